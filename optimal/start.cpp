// Starting solutions for CBC: spill everywhere, or follow a colouring (vcr-ra's) and spill the rest everywhere.
#include "optimal/start.h"

#include "core/ir/text.h"
#include "optimal/liveness.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

namespace vcr::optimal {

namespace {

class Start {
public:
  Start(const Formulation &f) : f_(f), x_(f.mip.numVars(), 0.0) {
    for (size_t c = 0; c < x_.size(); ++c) x_[c] = f.mip.lowerBound(static_cast<int>(c));
  }

  /// The register units already given to values of `s`.
  UnitMask taken(const State &s) const {
    UnitMask m = 0;
    for (const Present &p : s.vals)
      for (int j = 0; j < f_.k(p.v); ++j)
        if (x_[static_cast<size_t>(p.base + j)] > 0.5) m |= f_.units(p.v, j);
    return m;
  }

  /// Put value `v` with columns at `base` in a register of its class
  /// outside the units `forbidden` (unless it already has one); its
  /// register, or -1.
  int place(mir::VReg v, int base, UnitMask forbidden) {
    if (!forbid_.empty()) forbidden |= forbid_[static_cast<size_t>(base)];
    for (int j = 0; j < f_.k(v); ++j)
      if (x_[static_cast<size_t>(base + j)] > 0.5) return j;  // a terminator's operand, shared with a successor
    for (int j = 0; j < f_.k(v); ++j)
      if (!(forbidden & f_.units(v, j))) {
        x_[static_cast<size_t>(base + j)] = 1;
        return j;
      }
    return -1;
  }

  /// Keep value v in pool register want[v] (-1: none) wherever it is
  /// present, as far as no physical operand, fixed column or earlier kept
  /// value claims that register in some state. Where a definition's
  /// register is taken, only that definition goes elsewhere (run() places
  /// it; a dead definition costs nothing more); a value that cannot keep its
  /// register somewhere else is spilled everywhere by run(), as are the rest.
  void keep(const mir::Function &fn, std::vector<int> want) {
    auto wants = [&](mir::VReg v) { return v < want.size() && want[v] >= 0 && want[v] < f_.k(v); };
    // fn(state, defs of the instruction before it, or null)
    auto forEachState = [&](auto &&visit) {
      for (size_t b = 0; b < f_.blocks.size(); ++b) {
        const BlockStates &bs = f_.blocks[b];
        visit(bs.entry, static_cast<const mir::OperandList *>(nullptr));
        for (size_t n = 0; n < bs.instrs.size(); ++n) {
          visit(bs.instrs[n].before, static_cast<const mir::OperandList *>(nullptr));
          visit(bs.instrs[n].after, &fn.blocks[b].instrs[n].defs);
        }
      }
    };
    auto isDef = [](const mir::OperandList *defs, mir::VReg v) {
      if (defs)
        for (const mir::Operand &d : *defs)
          if (d.isVReg() && d.value == v) return true;
      return false;
    };
    std::vector<uint8_t> skip(x_.size(), 0);  // per def column: placed by run(), not kept
    for (bool changed = true; changed;) {  // demotions only: ends
      changed = false;
      std::fill(skip.begin(), skip.end(), 0);
      forEachState([&](const State &s, const mir::OperandList *defs) {
        UnitMask mask = s.occupied;
        std::array<int, 64> holder;  // per unit: the copy class holding it (-1: a value of no class)
        holder.fill(-2);
        for (const Present &p : s.vals) {
          if (!wants(p.v)) continue;
          const int j = want[p.v];
          const UnitMask units = f_.units(p.v, j);
          bool shared = s.exclusive && p.copyClass >= 0;  // every unit held by its copy class
          for (size_t u = 0; u < holder.size() && shared; ++u)
            if (units >> u & 1) shared = holder[u] == p.copyClass;
          const bool clash = s.exclusive && (mask & units) && !shared;
          if (!clash && f_.mip.upperBound(p.base + j) >= 0.5) {
            mask |= units;
            for (size_t u = 0; u < holder.size(); ++u)
              if (units >> u & 1) holder[u] = p.copyClass;
          } else if (isDef(defs, p.v)) {
            skip[static_cast<size_t>(p.base)] = 1;
          } else {
            if (std::getenv("VCR_OPTIMAL_DEBUG"))
              fprintf(stderr, "start: v%u loses %s (mask %llx, ub %g)\n", p.v, mir::printOperand(f_.reg(p.v, j)).c_str(),
                      static_cast<unsigned long long>(mask), f_.mip.upperBound(p.base + j));
            want[p.v] = -1;
            changed = true;
          }
        }
      });
    }
    kept_.assign(want.size(), 0);
    forbid_.assign(x_.size(), 0);
    forEachState([&](const State &s, const mir::OperandList *) {
      UnitMask held = s.occupied;
      for (const Present &p : s.vals)
        if (wants(p.v) && !skip[static_cast<size_t>(p.base)]) {
          x_[static_cast<size_t>(p.base + want[p.v])] = 1;
          kept_[p.v] = 1;
          held |= f_.units(p.v, want[p.v]);
        }
      // A column may stand for the value in several states (block entries
      // share them): a value placed later must avoid what is kept in each.
      for (const Present &p : s.vals)
        if (!wants(p.v) || skip[static_cast<size_t>(p.base)]) forbid_[static_cast<size_t>(p.base)] |= held;
    });
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
        UnitMask busy = st.before.occupied | taken(st.before);
        for (mir::VReg v : vregsOf(instrs[n].uses)) {
          int base = st.before.find(v);
          bool through = !last && st.after.find(v) == base;
          int j = place(v, base, busy | (through ? st.after.occupied : 0));
          if (j < 0) return fail("no register for a use");
          busy |= f_.units(v, j);
        }
        if (last) continue;
        UnitMask after = st.after.occupied | taken(st.after);
        for (mir::VReg v : vregsOf(instrs[n].defs)) {
          int j = place(v, st.after.find(v), after);
          if (j < 0) return fail("no register for a definition");
          after |= f_.units(v, j);
        }
      }
    }
    return f_.mip.completeStart(x_);
  }

  std::vector<double> take() { return std::move(x_); }

private:
  const Formulation &f_;
  std::vector<double> x_;
  std::vector<uint8_t> kept_;  ///< per vreg: in its register everywhere (keep())
  std::vector<UnitMask> forbid_;  ///< per column base of a value not kept: registers kept values hold where it is

  static bool fail(const char *why) {
    if (std::getenv("VCR_OPTIMAL_DEBUG")) fprintf(stderr, "start: %s\n", why);
    return false;
  }

  bool isKept(mir::VReg v) const { return v < kept_.size() && kept_[v]; }

  void markMemory(const State &s) {
    for (const Present &p : s.vals)
      if (!isKept(p.v)) x_[static_cast<size_t>(p.base + f_.k(p.v))] = 1;
  }
};

}  // namespace

std::optional<std::vector<double>> spillEverywhereStart(const mir::Function &fn, const Formulation &f) {
  Start s(f);
  if (!s.run(fn)) return std::nullopt;
  return s.take();
}

std::optional<std::vector<double>> colouringStart(const mir::Function &fn, const Formulation &f,
                                                  const std::vector<int> &reg) {
  std::vector<int> want(reg.size(), -1);
  for (size_t v = 0; v < reg.size(); ++v) {
    if (reg[v] < 0) continue;
    const auto n = static_cast<uint32_t>(reg[v]);  // its number in its class's file (AllocResult::vregColour)
    const auto c = f.classOf(static_cast<mir::VReg>(v));
    const mir::Operand o = c == mir::RegClass::Core  ? mir::Operand::preg(static_cast<mir::PReg>(n))
                           : c == mir::RegClass::F32 ? mir::Operand::sreg(n)
                                                     : mir::Operand::dreg(n);
    want[v] = f.file.candidate(c, o);
  }
  Start s(f);
  s.keep(fn, std::move(want));
  if (!s.run(fn)) return std::nullopt;
  return s.take();
}

}  // namespace vcr::optimal
