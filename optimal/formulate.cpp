// The optimal allocator's integer program: states per program point, transitions, uses, defs, calls, moves.
#include "optimal/copies.h"
#include "optimal/cost.h"
#include "optimal/formulation.h"
#include "optimal/liveness.h"

#include <algorithm>

namespace vcr::optimal {

int State::find(mir::VReg v) const {
  auto it = std::lower_bound(vals.begin(), vals.end(), v, [](const Present &p, mir::VReg x) { return p.v < x; });
  return it != vals.end() && it->v == v ? it->base : -1;
}

namespace {

using Terms = std::vector<std::pair<int, double>>;

class Builder {
public:
  Builder(const mir::Function &fn, const mir::Cfg &cfg, const arm::Pool &pool, Formulation &f,
          const std::vector<uint8_t> &noRemat, const std::vector<mir::RegClass> &cls, bool inArgReloadable)
      : fn_(fn), cfg_(cfg), f_(f), noRemat_(noRemat), inArgReloadable_(inArgReloadable) {
    f.cls = cls;
    const bool vfp = std::any_of(cls.begin(), cls.end(), [](mir::RegClass c) { return c != mir::RegClass::Core; });
    f.file = RegFile(pool, vfp);
  }

  bool build(size_t maxVars, std::string &why) {
    classifyHomes();
    lv_ = computeLiveness(fn_, cfg_, f_.file);
    copies_ = computeCopies(fn_, cfg_);
    const size_t nb = fn_.blocks.size();
    f_.blocks.assign(nb, {});
    // Entry states first: the last state of a predecessor aliases them, and
    // successors of one block share the columns of each value live into both.
    std::vector<size_t> first(nb + 1, 0);
    for (size_t b = 0; b < nb; ++b) first[b + 1] = first[b] + lv_.liveIn[b].size();
    std::vector<size_t> parent(first[nb]);
    for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
    auto root = [&](size_t i) {
      while (parent[i] != i) i = parent[i] = parent[parent[i]];
      return i;
    };
    auto slot = [&](mir::BlockId b, mir::VReg v) -> long {
      const auto &in = lv_.liveIn[b];
      auto it = std::lower_bound(in.begin(), in.end(), v);
      return it != in.end() && *it == v ? static_cast<long>(first[b] + static_cast<size_t>(it - in.begin())) : -1;
    };
    for (size_t p = 0; p < nb; ++p)
      for (mir::BlockId s : cfg_.succs[p])
        for (mir::VReg v : lv_.liveIn[s])
          for (mir::BlockId t : cfg_.succs[p])
            if (long o = slot(t, v); o >= 0) {
              parent[root(static_cast<size_t>(slot(s, v)))] = root(static_cast<size_t>(o));
              break;
            }
    std::vector<UnitMask> occ(parent.size(), 0);
    for (size_t b = 0; b < nb; ++b)
      for (size_t i = first[b]; i < first[b + 1]; ++i) occ[root(i)] |= lv_.pregLiveIn[b];
    std::vector<int> baseOf(parent.size(), -1);
    for (size_t b = 0; b < nb; ++b) {
      State &e = f_.blocks[b].entry;
      e.occupied = lv_.pregLiveIn[b];
      for (size_t i = first[b]; i < first[b + 1]; ++i) {
        const mir::VReg v = lv_.liveIn[b][i - first[b]];
        int &base = baseOf[root(i)];
        if (base < 0) base = group(v, occ[root(i)], false);
        e.vals.push_back({v, base});
      }
      if (cfg_.preds[b].empty()) exclusive(e, copies_.entry[b]);
    }
    for (size_t b = 0; b < nb; ++b) {
      buildBlock(static_cast<mir::BlockId>(b));
      if (f_.mip.numVars() > maxVars) {
        why = "the program has over " + std::to_string(maxVars) + " variables (size limit)";
        return false;
      }
    }
    return true;
  }

private:
  const mir::Function &fn_;
  const mir::Cfg &cfg_;
  Formulation &f_;
  const std::vector<uint8_t> &noRemat_;  ///< per vreg: never rematerialised (a web of a multiply-defined vreg)
  bool inArgReloadable_;                 ///< a stack parameter may be reloaded from its incoming slot
  FunctionLiveness lv_;
  FunctionCopies copies_;

  void classifyHomes() {
    const uint32_t nv = fn_.numVRegs();
    std::vector<unsigned> defs(nv, 0);
    f_.home.assign(nv, Home::Slot);
    f_.homeDef.assign(nv, {});
    for (const auto &b : fn_.blocks)
      for (const auto &i : b.instrs)
        for (const auto &d : i.defs)
          if (d.isVReg()) {
            ++defs[d.value];
            f_.homeDef[d.value] = i;
          }
    for (uint32_t v = 0; v < nv; ++v) {
      const mir::Instr &d = f_.homeDef[v];
      if (defs[v] != 1) continue;
      const bool remat = d.op == mir::Opcode::MovI || d.op == mir::Opcode::FConst32 || d.op == mir::Opcode::FConst64;
      if (remat && !(v < noRemat_.size() && noRemat_[v])) f_.home[v] = Home::Remat;
      else if (inArgReloadable_ && d.op == mir::Opcode::Lds && d.origin == mir::Origin::InArg)
        f_.home[v] = Home::InArg;
    }
  }

  /// Columns of value `v` in a new state: x per register of its class (0
  /// where it overlaps `occupied`), m; at most one register, at least one location. A def
  /// (`isDef`) is in a register and its slot is stale.
  /// A lazy def (`regCost` > 0: the load of a stack parameter) need not
  /// be in a register: the load is then left out, and each register costs
  /// `regCost` (the load, when made).
  int group(mir::VReg v, UnitMask occupied, bool isDef, double regCost = 0) {
    Mip &mip = f_.mip;
    int base = -1;
    Terms regs, all;
    for (int j = 0; j < f_.k(v); ++j) {
      int c = mip.addBinary(regCost);
      if (base < 0) base = c;
      if (f_.units(v, j) & occupied) mip.fix(c, 0);
      regs.push_back({c, 1});
    }
    int m = mip.addBinary();
    if (base < 0) base = m;
    if (f_.home[v] != Home::Slot) mip.fix(m, 1);
    else if (isDef) mip.fix(m, 0);
    all = regs;
    all.push_back({m, 1});
    mip.addRow(regs, isDef && regCost == 0 ? 1 : 0, 1);
    if (!isDef) mip.addRow(all, 1, kInf);
    return base;
  }

  /// Per register unit: at most one value of `s` holds it (an f64 value in
  /// Dn holds both units of S2n, S2n+1), where copies of one value
  /// (`pairs`, always of one class) count as one: y(class, r) >= x(v, r)
  /// for each member.
  void exclusive(State &s, const CopyPairs &pairs) {
    s.exclusive = true;
    if (s.vals.size() < 2) return;
    std::vector<mir::VReg> present;
    for (const Present &p : s.vals) present.push_back(p.v);
    const auto classes = copyClasses(pairs, present);
    std::vector<uint8_t> inClass(s.vals.size(), 0);
    std::vector<std::pair<int, mir::VReg>> classBase;  // y's columns, and a member (for its register class)
    for (const auto &c : classes) {
      int base = static_cast<int>(f_.mip.numVars());
      const int kc = f_.k(c.front());
      for (int j = 0; j < kc; ++j) f_.mip.addVar(0, 1, 0, false);
      for (mir::VReg v : c) {
        int vb = s.find(v);
        const auto at = static_cast<size_t>(std::lower_bound(present.begin(), present.end(), v) - present.begin());
        inClass[at] = 1;
        s.vals[at].copyClass = static_cast<int>(classBase.size());
        for (int j = 0; j < kc; ++j) f_.mip.addRow({{base + j, 1}, {vb + j, -1}}, 0, kInf);
      }
      classBase.push_back({base, c.front()});
    }
    for (int u = 0; u < f_.file.numUnits(); ++u) {
      if (s.occupied >> u & 1) continue;
      Terms t;
      for (size_t n = 0; n < s.vals.size(); ++n)
        if (!inClass[n])
          if (int j = f_.file.candidateAt(f_.classOf(s.vals[n].v), u); j >= 0) t.push_back({s.vals[n].base + j, 1});
      for (auto [base, member] : classBase)
        if (int j = f_.file.candidateAt(f_.classOf(member), u); j >= 0) t.push_back({base + j, 1});
      if (t.size() >= 2) f_.mip.addRow(t, -kInf, 1);
    }
  }

  /// Costs of the transition from state `a` to state `b` at one gap.
  void transition(const State &a, const State &b, double w) {
    Mip &mip = f_.mip;
    for (const Present &p : b.vals) {
      int ab = a.find(p.v);
      if (ab < 0 || ab == p.base) continue;
      // A move, reload or remat into a new register: one term per register
      // (the sum is the LP's tightest statement of "arrives in a new register").
      const int kv = f_.k(p.v);
      for (int j = 0; j < kv; ++j) {
        int c = mip.addVar(0, 1, w, false);
        mip.addRow({{c, 1}, {p.base + j, -1}, {ab + j, 1}}, 0, kInf);
      }
      if (f_.home[p.v] != Home::Slot) continue;
      int s = mip.addVar(0, 1, w, false);  // a store
      mip.addRow({{s, 1}, {p.base + kv, -1}, {ab + kv, 1}}, 0, kInf);
      Terms src{{p.base + kv, 1}, {ab + kv, -1}};  // stored from a register
      for (int j = 0; j < kv; ++j) src.push_back({ab + j, -1});
      mip.addRow(src, -kInf, 0);
    }
  }

  /// The cost of a `mov` left in the code: one unless both sides share a register.
  void moveCost(const mir::Instr &i, const State &before, const State &after, double w) {
    if (i.op != mir::Opcode::Mov || i.defs.size() != 1 || i.uses.size() != 1) return;
    const mir::Operand &d = i.defs[0], &s = i.uses[0];
    Mip &mip = f_.mip;
    if (d.isVReg() && s.isVReg()) {
      int sb = before.find(s.value), db = after.find(d.value);
      for (int j = 0; j < f_.k(d.value); ++j) {
        int c = mip.addVar(0, 1, w, false);
        mip.addRow({{c, 1}, {sb + j, -1}, {db + j, 1}}, 0, kInf);
      }
    } else if (d.isVReg() != s.isVReg()) {
      const mir::Operand &r = d.isVReg() ? s : d;
      const mir::VReg v = d.isVReg() ? d.value : s.value;
      const int j = f_.file.candidate(f_.classOf(v), r);
      if (j < 0) return;
      int base = d.isVReg() ? after.find(d.value) : before.find(s.value);
      int c = mip.addVar(0, 1, w, false);
      mip.addRow({{c, 1}, {base + j, 1}}, 1, kInf);
    }
  }

  void buildBlock(mir::BlockId b) {
    BlockStates &bs = f_.blocks[b];
    const auto &instrs = fn_.blocks[b].instrs;
    const double w = static_cast<double>(depthWeight(b < cfg_.loopDepth.size() ? cfg_.loopDepth[b] : 0));
    bs.instrs.assign(instrs.size(), {});
    // Per register unit: the vreg whose copy the physical register holds
    // (it was set by `mov r, v` and neither has changed since), else -1.
    // That vreg may stay in the register: `mov r0, v` with v in r0 is
    // free, as in vcr-ra's code, where coalescing gives both one register.
    const int nu = f_.file.numUnits();
    std::vector<long> copyOf(static_cast<size_t>(nu), -1);
    auto copies = [&](mir::VReg v) {
      UnitMask m = 0;
      for (int u = 0; u < nu; ++u) m |= UnitMask{copyOf[static_cast<size_t>(u)] == static_cast<long>(v)} << u;
      return m;
    };
    for (size_t n = 0; n < instrs.size(); ++n) {
      const mir::Instr &i = instrs[n];
      const PointLiveness &pl = lv_.at[b][n];
      InstrStates &st = bs.instrs[n];
      const bool last = n + 1 == instrs.size();
      st.before.occupied = pl.pregBefore;
      for (mir::VReg v : pl.before) st.before.vals.push_back({v, last ? exitGroup(b, v, pl.pregBefore) : -1});
      for (Present &p : st.before.vals)
        if (p.base < 0) p.base = group(p.v, pl.pregBefore & ~copies(p.v), false);
      exclusive(st.before, copies_.before(b, n));
      transition(bs.gapA(n), st.before, w);
      for (mir::VReg v : vregsOf(i.uses)) {
        Terms t;
        int base = st.before.find(v);
        for (int j = 0; j < f_.k(v); ++j) t.push_back({base + j, 1});
        f_.mip.addRow(t, 1, kInf);
      }
      if (last) break;
      // After the instruction: values live through keep their columns; defs get new ones.
      const auto defs = vregsOf(i.defs);
      st.after.occupied = pl.pregAfter | f_.file.unitsOf(i.defs) | (mir::isCall(i.op) ? f_.file.callClobbered() : 0);
      trackCopies(i, defs, copyOf);
      std::vector<mir::VReg> present;
      std::set_union(pl.after.begin(), pl.after.end(), defs.begin(), defs.end(), std::back_inserter(present));
      for (mir::VReg v : present) {
        const bool isDef = std::binary_search(defs.begin(), defs.end(), v);
        // The load of a stack parameter that is read later may be left out
        // (the value is reloaded where it is needed), as vcr-ra does when it
        // spills one. The cost model charges in-arg loads beyond one per
        // stack word: the load costs w here, each reload w, and a constant
        // -w makes the first one free wherever it is made.
        const bool lazy = isDef && f_.home[v] == Home::InArg && i.op == mir::Opcode::Lds &&
                          i.origin == mir::Origin::InArg && std::binary_search(pl.after.begin(), pl.after.end(), v);
        if (lazy) f_.mip.addVar(1, 1, -w, false);
        int base = isDef ? group(v, st.after.occupied, true, lazy ? w : 0) : st.before.find(v);
        const UnitMask shared = isDef ? 0 : copies(v);
        if (!isDef)
          for (int j = 0; j < f_.k(v); ++j)
            if (f_.units(v, j) & st.after.occupied & ~shared) f_.mip.fix(base + j, 0);
        st.after.vals.push_back({v, base});
      }
      if (!defs.empty()) exclusive(st.after, copies_.after[b][n]);
      moveCost(i, st.before, st.after, w);
    }
  }

  /// Update `copyOf` past instruction `i` (vreg definitions `defs`): a
  /// register it writes holds no copy, unless `i` is `mov r, v`; a vreg it
  /// writes is no longer what a register copied.
  void trackCopies(const mir::Instr &i, const std::vector<mir::VReg> &defs, std::vector<long> &copyOf) const {
    const UnitMask written = f_.file.unitsOf(i.defs) | (mir::isCall(i.op) ? f_.file.callClobbered() : 0);
    for (size_t u = 0; u < copyOf.size(); ++u) {
      long &c = copyOf[u];
      if (written >> u & 1) c = -1;
      if (c >= 0 && std::binary_search(defs.begin(), defs.end(), static_cast<mir::VReg>(c))) c = -1;
    }
    if (i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.uses.size() == 1 && !i.defs[0].isVReg() &&
        i.uses[0].isVReg())
      for (size_t u = 0; u < copyOf.size(); ++u)
        if (f_.file.unitsOf(i.defs[0]) >> u & 1) copyOf[u] = static_cast<long>(i.uses[0].value);
  }

  /// The columns of `v` before the terminator of `b`: those of the entry
  /// states of the successors where `v` is live (shared, see build).
  int exitGroup(mir::BlockId b, mir::VReg v, UnitMask occupied) {
    int base = -1;
    for (mir::BlockId s : cfg_.succs[b])
      if (base < 0) base = f_.blocks[s].entry.find(v);
    if (base >= 0)
      for (int j = 0; j < f_.k(v); ++j)
        if (f_.units(v, j) & occupied) f_.mip.fix(base + j, 0);
    return base;
  }
};

}  // namespace

bool formulate(const mir::Function &fn, const mir::Cfg &cfg, const arm::Pool &pool, size_t maxVars,
               Formulation &out, std::string &why, const std::vector<uint8_t> &noRemat,
               const std::vector<mir::RegClass> &cls, bool inArgReloadable) {
  Builder b(fn, cfg, pool, out, noRemat, cls, inArgReloadable);
  return b.build(maxVars, why);
}

}  // namespace vcr::optimal
