// A spill-everywhere starting solution for CBC: values in memory, loaded into a free register at each use.
#include "optimal/start.h"

#include "optimal/liveness.h"

#include <algorithm>

namespace vcr::optimal {

namespace {

class Start {
public:
  Start(const Formulation &f) : f_(f), x_(f.mip.numVars(), 0.0) {
    for (size_t c = 0; c < x_.size(); ++c) x_[c] = f.mip.lowerBound(static_cast<int>(c));
  }

  /// The registers (mask) already given to values of `s`.
  uint32_t taken(const State &s) const {
    uint32_t m = 0;
    for (const Present &p : s.vals)
      for (int j = 0; j < f_.k(); ++j)
        if (x_[static_cast<size_t>(p.base + j)] > 0.5) m |= 1u << j;
    return m;
  }

  /// Put the value with columns at `base` in a register outside
  /// `forbidden` (unless it already has one); its register, or -1.
  int place(int base, uint32_t forbidden) {
    for (int j = 0; j < f_.k(); ++j)
      if (x_[static_cast<size_t>(base + j)] > 0.5) return j;  // a terminator's operand, shared with a successor
    for (int j = 0; j < f_.k(); ++j)
      if (!(forbidden >> j & 1)) {
        x_[static_cast<size_t>(base + j)] = 1;
        return j;
      }
    return -1;
  }

  bool run(const mir::Function &fn) {
    // Slots valid wherever their value is not just defined.
    for (const BlockStates &bs : f_.blocks) {
      markMemory(bs.entry);
      for (const InstrStates &st : bs.instrs) markMemory(st.before);
    }
    for (size_t b = 0; b < fn.blocks.size(); ++b) {
      const BlockStates &bs = f_.blocks[b];
      const auto &instrs = fn.blocks[b].instrs;
      for (size_t n = 0; n < instrs.size(); ++n) {
        const InstrStates &st = bs.instrs[n];
        const bool last = n + 1 == instrs.size();
        uint32_t busy = st.before.occupied | taken(st.before);
        for (mir::VReg v : vregsOf(instrs[n].uses)) {
          int base = st.before.find(v);
          bool through = !last && st.after.find(v) == base;
          int j = place(base, busy | (through ? st.after.occupied : 0));
          if (j < 0) return false;
          busy |= 1u << j;
        }
        if (last) continue;
        uint32_t after = st.after.occupied | taken(st.after);
        for (mir::VReg v : vregsOf(instrs[n].defs)) {
          int j = place(st.after.find(v), after);
          if (j < 0) return false;
          after |= 1u << j;
        }
      }
    }
    return f_.mip.completeStart(x_);
  }

  std::vector<double> take() { return std::move(x_); }

private:
  const Formulation &f_;
  std::vector<double> x_;

  void markMemory(const State &s) {
    for (const Present &p : s.vals) x_[static_cast<size_t>(p.base + f_.k())] = 1;
  }
};

}  // namespace

std::optional<std::vector<double>> spillEverywhereStart(const mir::Function &fn, const Formulation &f) {
  Start s(f);
  if (!s.run(fn)) return std::nullopt;
  return s.take();
}

}  // namespace vcr::optimal
