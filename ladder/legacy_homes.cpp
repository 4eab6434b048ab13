// The legacy model's homes and reservations: promotion, register-home release points, constant divisions.
#include "ladder/legacy_internal.h"

#include "core/ir/cfg.h"

#include <algorithm>

namespace vcr::ladder::detail {

/// Local promotion: leaf function, i32 local (never an f32/f64 one), first access a write, all
/// accesses at control depth 0 (approximated: in blocks of loop depth 0 that
/// dominate every returning block), at least two accesses (selection's
/// zero-initialisation is not an access). R4..R8 in local-index order.
void promote(Analysis &a, const mir::Cfg &cfg, const WasmFunctionFacts *wasm) {
  const auto &fn = a.fn;
  // The homes: R4..R8, those of them the pool has (a narrower pool of the
  // pool-size experiment, e.g. r0-r7, has no R8 to give).
  std::vector<PReg> homes;
  for (unsigned r = unsigned(PReg::R4); r <= unsigned(PReg::R8); ++r)
    if (std::find(a.temps.begin(), a.temps.end(), PReg(r)) != a.temps.end()) homes.push_back(PReg(r));
  if (wasm) {  // counted on the wasm operators (LEGACY.md)
    std::map<int32_t, VReg> byIndex;
    for (VReg v = 0; v < a.home.size(); ++v) {
      auto info = fn.vinfo(v);
      if (info.kind == mir::VRegInfo::Kind::Local && info.hiOf < 0 && a.partner[v] < 0 && !isVfpV(a, v))
        byIndex[info.index] = v;
    }
    unsigned next = 0;
    for (auto [idx, v] : byIndex) {
      if (next >= homes.size() || idx < 0 || static_cast<size_t>(idx) >= wasm->locals.size()) continue;
      const WasmLocalFacts &l = wasm->locals[static_cast<size_t>(idx)];
      if (!l.firstWrite || !l.depth0 || l.accesses < 2) continue;
      a.home[v] = {Home::Kind::Reg, homes[next], 0};
      ++next;
    }
    a.promoted = next;
    return;
  }
  std::vector<mir::BlockId> rets;
  for (mir::BlockId b = 0; b < fn.blocks.size(); ++b)
    if (cfg.reachable[b] && !fn.blocks[b].instrs.empty() && fn.blocks[b].instrs.back().op == Opcode::Ret)
      rets.push_back(b);
  auto depth0 = [&](mir::BlockId b) {
    if (!cfg.reachable[b] || cfg.loopDepth[b] != 0) return false;
    for (mir::BlockId r : rets)
      if (!cfg.dominates(b, r)) return false;
    return true;
  };
  struct Acc { unsigned count = 0; bool firstWrite = false, seen = false, ok = true; };
  std::map<int32_t, std::pair<VReg, Acc>> byIndex;  // local index -> (vreg, facts)
  for (VReg v = 0; v < a.home.size(); ++v) {
    auto info = fn.vinfo(v);
    if (info.kind == mir::VRegInfo::Kind::Local && info.hiOf < 0 && a.partner[v] < 0 && !isVfpV(a, v))
      byIndex[info.index] = {v, Acc{}};
  }
  for (mir::BlockId b = 0; b < fn.blocks.size(); ++b)
    for (size_t i = 0; i < fn.blocks[b].instrs.size(); ++i) {
      if (b == 0 && a.zeroInit[i]) continue;
      const Instr &in = fn.blocks[b].instrs[i];
      for (auto &[idx, p] : byIndex) {
        const Operand self = Operand::vreg(p.first);  // a lambda may not capture `p` (clang-14)
        bool use = std::any_of(in.uses.begin(), in.uses.end(), [&](const Operand &o) { return o == self; });
        bool def = std::any_of(in.defs.begin(), in.defs.end(), [&](const Operand &o) { return o == self; });
        if (!use && !def) continue;
        Acc &acc = p.second;
        if (!acc.seen) acc.firstWrite = def && !use;
        acc.seen = true;
        acc.count += 1;
        if (!depth0(b)) acc.ok = false;
      }
    }
  unsigned next = 0;
  for (auto &[idx, p] : byIndex) {
    const Acc &acc = p.second;
    if (next >= homes.size() || !acc.ok || !acc.firstWrite || acc.count < 2) continue;
    a.home[p.first] = {Home::Kind::Reg, homes[next], 0};
    ++next;
  }
  a.promoted = next;
}

/// Register homes' reservations (parameters and promoted locals alike): from
/// entry to the last read, extended to the end of every loop (back edge
/// t -> h, blocks h..t in layout order) containing it. A `local.tee` counts
/// as a read: with wasm facts, the writes of a local that is ever tee'd do.
void reserveParams(Analysis &a, const WasmFunctionFacts *wasm) {
  const auto &fn = a.fn;
  std::vector<std::pair<size_t, size_t>> loops;  // position ranges
  for (mir::BlockId b = 0; b < fn.blocks.size(); ++b)
    if (!fn.blocks[b].instrs.empty())
      for (mir::BlockId t : mir::successors(fn.blocks[b].instrs.back()))
        if (t <= b) loops.push_back({a.blockStart[t], a.blockStart[b + 1] - 1});
  auto teed = [&](VReg v) {
    auto info = fn.vinfo(v);
    return wasm && info.index >= 0 && static_cast<size_t>(info.index) < wasm->locals.size() &&
           wasm->locals[static_cast<size_t>(info.index)].tee;
  };
  for (mir::BlockId b = 0; b < fn.blocks.size(); ++b)
    for (size_t i = 0; i < fn.blocks[b].instrs.size(); ++i) {
      const Instr &in = fn.blocks[b].instrs[i];
      const bool init = in.op == Opcode::Param || (b == 0 && i < a.zeroInit.size() && a.zeroInit[i]);
      auto read = [&](const Operand &o) {
        if (o.isVReg() && o.value < a.home.size() && a.home[o.value].kind == Home::Kind::Reg)
          a.release[o.value] = std::max<int64_t>(a.release[o.value], static_cast<int64_t>(a.blockStart[b] + i));
      };
      for (const Operand &o : in.uses) read(o);
      if (!init)
        for (const Operand &o : in.defs)
          if (o.isVReg() && teed(o.value)) read(o);
    }
  for (auto &r : a.release)
    for (bool changed = r >= 0; changed;) {
      changed = false;
      for (auto [lo, hi] : loops)
        if (r >= static_cast<int64_t>(lo) && r < static_cast<int64_t>(hi)) {
          r = static_cast<int64_t>(hi);
          changed = true;
        }
    }
}

/// Divisions by a constant that is not a power of two (the divisor a temp
/// defined by `movi` in the same block): the legacy selector lowers them to a
/// reciprocal multiply that needs three temps while the dividend is held.
void constDivisions(Analysis &a) {
  a.constDiv.assign(a.fn.blocks.size(), {});
  for (mir::BlockId b = 0; b < a.fn.blocks.size(); ++b) {
    std::map<VReg, uint32_t> konst;
    const auto &is = a.fn.blocks[b].instrs;
    for (size_t i = 0; i < is.size(); ++i) {
      const Instr &in = is[i];
      const bool div = in.op == Opcode::UDiv || in.op == Opcode::URem || in.op == Opcode::SDiv || in.op == Opcode::SRem;
      if (div && in.uses.size() == 2 && in.uses[1].isVReg())
        if (auto k = konst.find(in.uses[1].value); k != konst.end() && k->second != 0 && (k->second & (k->second - 1)) != 0)
          a.constDiv[b][i] = k->second;
      for (const Operand &o : in.defs)
        if (o.isVReg()) {
          if (in.op == Opcode::MovI && isTemp(a, o.value)) konst[o.value] = in.imm;
          else konst.erase(o.value);
        }
    }
  }
}

}  // namespace vcr::ladder::detail
