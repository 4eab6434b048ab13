// From a solution to code: operands get their registers, gaps get stores, parallel moves and reloads.
#include "optimal/emit.h"

#include <algorithm>

namespace vcr::optimal {

namespace {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;

class Emitter {
public:
  Emitter(const Formulation &f, const std::vector<double> &x, EmitCounts &c) : f_(f), x_(x), c_(c) {}

  /// The register index of `v` in `s` (among its class's registers), or -1.
  int reg(const State &s, mir::VReg v) const {
    int base = s.find(v);
    if (base < 0) return -1;
    for (int j = 0; j < f_.k(v); ++j)
      if (x_[static_cast<size_t>(base + j)] > 0.5) return j;
    return -1;
  }
  bool mem(const State &s, mir::VReg v) const {
    int base = s.find(v);
    return base >= 0 && x_[static_cast<size_t>(base + f_.k(v))] > 0.5;
  }

  /// The code of one gap, from state `a` to state `b`.
  void gap(const State &a, const State &b, std::vector<Instr> &out) {
    // A move of `v` from register src to dst (indices among its class's
    // registers); a move waits while another one still reads a unit it writes.
    struct Move {
      int src, dst;
      mir::VReg v;
    };
    std::vector<Move> moves;
    std::vector<std::pair<mir::VReg, int>> loads;
    UnitMask busy = a.occupied | b.occupied;
    for (const Present &p : a.vals)
      if (int r = reg(a, p.v); r >= 0) busy |= f_.units(p.v, r);
    for (const Present &p : b.vals) {
      int ra = reg(a, p.v), rb = reg(b, p.v);
      if (rb >= 0) busy |= f_.units(p.v, rb);
      if (f_.home[p.v] == Home::Slot && mem(b, p.v) && !mem(a, p.v) && ra >= 0) store(p.v, ra, out);
      if (rb < 0 || ra == rb) continue;
      if (ra >= 0) moves.push_back({ra, rb, p.v});
      else loads.push_back({p.v, rb});
    }
    while (!moves.empty()) {
      auto ready = std::find_if(moves.begin(), moves.end(), [&](const Move &m) {
        return std::none_of(moves.begin(), moves.end(), [&](const Move &o) {
          return &o != &m && (f_.units(o.v, o.src) & f_.units(m.v, m.dst)) != 0;
        });
      });
      if (ready != moves.end()) {
        out.push_back(mir::makeInstr(Opcode::Mov, {f_.reg(ready->v, ready->dst)}, {f_.reg(ready->v, ready->src)},
                                     Origin::Move));
        ++c_.moves;
        moves.erase(ready);
        continue;
      }
      // Only cycles are left. A member whose value is also in memory (its
      // slot valid, or re-made from its def) is loaded instead of moved: no
      // extra instruction. Otherwise one extra instruction breaks the
      // cycle: a move through a free register, else a store to the slot.
      auto freeCopy = std::find_if(moves.begin(), moves.end(), [&](const Move &m) {
        return f_.home[m.v] != Home::Slot || mem(a, m.v) || mem(b, m.v);
      });
      if (freeCopy != moves.end()) {
        loads.push_back({freeCopy->v, freeCopy->dst});
        moves.erase(freeCopy);
        continue;
      }
      recordCycle(a, b, moves);
      Move &m = moves.front();
      int t = -1;
      for (int j = 0; j < f_.k(m.v) && t < 0; ++j)
        if (!(busy & f_.units(m.v, j))) t = j;
      if (t >= 0) {
        out.push_back(mir::makeInstr(Opcode::Mov, {f_.reg(m.v, t)}, {f_.reg(m.v, m.src)}, Origin::Move));
        ++c_.moves;
        ++c_.cycleBreaks;  // the program counts a cycle of n values as n moves; it takes n + 1
        busy |= f_.units(m.v, t);
        m.src = t;
        continue;
      }
      store(m.v, m.src, out);
      ++c_.cycleBreaks;
      loads.push_back({m.v, m.dst});
      moves.erase(moves.begin());
    }
    for (auto [v, r] : loads) load(v, r, out);
  }

  /// The block whose gaps are being emitted (for EmitCounts::cycles).
  size_t block = 0;

  /// Record the cycle through the first pending move (every pending move is
  /// on a cycle here): its members, from the first, following the register
  /// units each destination overwrites.
  template <typename Moves>
  void recordCycle(const State &a, const State &b, const Moves &moves) {
    Cycle c;
    c.block = block;
    c.a = &a;
    c.b = &b;
    size_t at = 0;
    for (size_t step = 0; step < moves.size(); ++step) {
      const auto &m = moves[at];
      c.members.push_back({m.v, m.src, m.dst});
      size_t next = moves.size();
      for (size_t o = 0; o < moves.size() && next == moves.size(); ++o)
        if (f_.units(moves[o].v, moves[o].src) & f_.units(m.v, m.dst)) next = o;
      if (next == moves.size() || next == 0) break;
      at = next;
    }
    c_.cycles.push_back(std::move(c));
  }

  void store(mir::VReg v, int r, std::vector<Instr> &out) {
    out.push_back(mir::makeInstr(Opcode::Sts, {Operand::stack(v)}, {f_.reg(v, r)}, Origin::Spill));
    ++c_.stores;
    c_.touched.push_back(v);
  }

  void load(mir::VReg v, int r, std::vector<Instr> &out) {
    const Instr &def = f_.homeDef[v];
    if (f_.home[v] == Home::Remat) {
      out.push_back(mir::makeInstr(def.op, {f_.reg(v, r)}, def.uses, Origin::Remat, def.imm));  // movi, fconst
      ++c_.remats;
    } else if (f_.home[v] == Home::InArg) {
      out.push_back(mir::makeInstr(Opcode::Lds, {f_.reg(v, r)}, def.uses, Origin::InArg));
      ++c_.reloads;
    } else {
      out.push_back(mir::makeInstr(Opcode::Lds, {f_.reg(v, r)}, {Operand::stack(v)}, Origin::Reload));
      ++c_.reloads;
    }
    c_.touched.push_back(v);
  }

  /// Replace the vregs of `ops` by their registers in `s`.
  bool assign(mir::OperandList &ops, const State &s, std::string &error) {
    for (Operand &o : ops) {
      if (!o.isVReg()) continue;
      int r = reg(s, o.value);
      if (r < 0) {
        error = "internal: v" + std::to_string(o.value) + " has no register at its use or def";
        return false;
      }
      o = f_.reg(o.value, r);
    }
    return true;
  }

private:
  const Formulation &f_;
  const std::vector<double> &x_;
  EmitCounts &c_;
};

}  // namespace

bool emitSolution(mir::Function &fn, const Formulation &f, const std::vector<double> &x, EmitCounts &counts,
                  std::string &error) {
  Emitter e(f, x, counts);
  for (size_t b = 0; b < fn.blocks.size(); ++b) {
    const BlockStates &bs = f.blocks[b];
    std::vector<Instr> out;
    auto &instrs = fn.blocks[b].instrs;
    out.reserve(instrs.size() * 2);
    e.block = b;
    for (size_t n = 0; n < instrs.size(); ++n) {
      const InstrStates &st = bs.instrs[n];
      e.gap(bs.gapA(n), st.before, out);
      Instr i = std::move(instrs[n]);
      // A stack parameter's load the solution left out (formulate.cpp: lazy).
      if (i.op == Opcode::Lds && i.origin == Origin::InArg && i.defs.size() == 1 && i.defs[0].isVReg() &&
          e.reg(st.after, i.defs[0].value) < 0)
        continue;
      if (!e.assign(i.uses, st.before, error)) return false;
      if (n + 1 == instrs.size() && !i.defs.empty()) {
        error = "internal: block " + fn.blocks[b].label + " does not end in a terminator";
        return false;
      }
      if (!e.assign(i.defs, st.after, error)) return false;
      out.push_back(std::move(i));
    }
    instrs = std::move(out);
  }
  std::sort(counts.touched.begin(), counts.touched.end());
  counts.touched.erase(std::unique(counts.touched.begin(), counts.touched.end()), counts.touched.end());
  return true;
}

}  // namespace vcr::optimal
