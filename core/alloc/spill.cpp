// Spill-code insertion: rematerialise constants, reload stack params, else a slot with short-lived temps.
#include "core/alloc/work.h"

#include <boost/container/small_vector.hpp>

#include <algorithm>

namespace vcr::alloc {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;

namespace {

enum class SpillKind : uint8_t { Slot, Remat, InArg };

struct SpillInfo {
  SpillKind kind = SpillKind::Slot;
  unsigned defCount = 0;
  const Instr *def = nullptr;  ///< the unique def (Remat / InArg)
  Instr defCopy;               ///< copy of it (the function is rebuilt)
};


SpillKind cheapKind(const WorkFunction &w, mir::VReg v, unsigned defCount, const Instr &def) {
  if (defCount != 1) return SpillKind::Slot;
  const bool web = v < w.multiDefWeb.size() && w.multiDefWeb[v];
  if (isRematDef(def.op) && !web) return SpillKind::Remat;
  if (def.op == Opcode::Lds && def.origin == Origin::InArg && !w.inArgsWritten) return SpillKind::InArg;
  return SpillKind::Slot;
}

/// Count the definitions of the spilled values (`index`: vreg -> its
/// spilled index, or -1) in `blocks`, leaving the last one of each in
/// `info`; with `flag` (per instruction, numbered from `blockBase`), only
/// the instructions it flags mention them.
void countDefs(const WorkFunction &w, const std::vector<uint32_t> &blocks, const uint8_t *flag,
               const std::vector<uint32_t> *blockBase, const std::vector<int32_t> &index, std::vector<SpillInfo> &info) {
  for (uint32_t bi : blocks) {
    const std::vector<Instr> &instrs = w.fn.blocks[bi].instrs;
    const uint32_t base = flag ? (*blockBase)[bi] : 0;
    for (size_t k = 0; k < instrs.size(); ++k) {
      if (flag && !flag[base + k]) continue;  // (its instruction not even read)
      for (const Operand &d : instrs[k].defs)
        if (d.isVReg() && d.value < index.size())
          if (const int32_t s = index[d.value]; s >= 0) ++info[s].defCount, info[s].def = &instrs[k];
    }
  }
}

/// The same from the flat code of the instructions (full node numbering):
/// the definitions as integers. The rewrite reads the instructions again,
/// and a first walk over them here was a quarter of spillNodes' time
/// (cache misses; perf, alloc_bench MIR 10,000).
void countDefs(const WorkFunction &w, const FlatCode &code, const std::vector<uint32_t> &blocks, const uint8_t *flag,
               const std::vector<int32_t> &index, std::vector<SpillInfo> &info) {
  for (uint32_t bi : blocks) {
    const std::vector<Instr> &instrs = w.fn.blocks[bi].instrs;
    for (uint32_t i = code.blockStart[bi]; i < code.blockStart[bi + 1]; ++i) {
      if (flag && !flag[i]) continue;
      const uint32_t *op = code.ops.data() + code.opStart[i];
      for (uint32_t q = 0; q < code.numDefs[i]; ++q)
        if (op[q] >= kVRegBase)
          if (const int32_t s = index[op[q] - kVRegBase]; s >= 0) ++info[s].defCount, info[s].def = &instrs[code.position(bi, i)];
    }
  }
}

}  // namespace

bool refillsWithoutSlot(const WorkFunction &w, mir::VReg v, unsigned defCount, const Instr &def) {
  return cheapKind(w, v, defCount, def) != SpillKind::Slot;
}

void discountCheapSpills(Interference &g, const WorkFunction &w, const mir::Cfg &cfg, const FlatCode &code) {
  // The definitions are counted from the round's flat code (the graph's
  // nodes, a few integers per instruction) and only a node defined once
  // reads its instruction: a walk over every instruction's operands (120
  // bytes each, and the whole function in every class pass) was 1-3% of
  // the allocation time (alloc_bench).
  const uint32_t nn = static_cast<uint32_t>(g.weight.size());
  std::vector<FlatCode::VRegDefs> defs;
  code.countVRegDefs(nn, defs);
  for (uint32_t node = kVRegBase; node < nn; ++node) {
    const FlatCode::VRegDefs &d = defs[node - kVRegBase];
    const mir::VReg v = w.vregOfNode(node);
    if (d.count != 1 || w.noSpill[v]) continue;
    const Instr &def = w.fn.blocks[d.block].instrs[code.position(d.block, d.instr)];
    if (cheapKind(w, v, 1, def) == SpillKind::Slot) continue;
    g.weight[node] = std::max(0.0, g.weight[node] - depthWeight(cfg, d.block));
  }
}

void spillNodes(WorkFunction &w, const std::vector<uint32_t> &spilledNodes, AllocStats &stats,
                std::vector<uint32_t> *touched, const std::vector<uint32_t> *blocks, SpillSites *sites) {
  if (sites) {
    sites->firstVReg = w.numVRegs;
    sites->instr.clear();
    sites->kind.clear();

  }
  uint32_t here = 0;  // the current instruction, numbered by sites->blockBase
  auto fresh = [&](uint8_t kind) {
    if (sites) {
      sites->instr.push_back(here);
      sites->kind.push_back(kind);
    }
    return w.freshVReg(true, w.passClass);
  };
  auto addKind = [&](mir::VReg t, uint8_t kind) {
    if (sites) sites->kind[t - sites->firstVReg] |= kind;
  };
  if (touched) touched->clear();
  std::vector<uint32_t> all;
  if (!blocks) {
    all.resize(w.fn.blocks.size());
    for (size_t b = 0; b < all.size(); ++b) all[b] = static_cast<uint32_t>(b);
    blocks = &all;
  }
  std::vector<int32_t> index(w.numVRegs, -1);
  std::vector<SpillInfo> info(spilledNodes.size());
  for (size_t i = 0; i < spilledNodes.size(); ++i) {
    mir::VReg v = spilledNodes[i] - kVRegBase;
    index[v] = static_cast<int32_t>(i);
    if (!w.everSpilled[v]) ++stats.spilledVRegs;
    w.everSpilled[v] = true;
  }
  auto spilledIdx = [&](const Operand &o) -> int32_t {
    return o.isVReg() && o.value < index.size() ? index[o.value] : -1;
  };
  // Per instruction: whether it mentions a spilled value (sites->touches).
  // (Raw pointers, here and for the groups: the vectors' data pointers
  // would be loaded again for every instruction, as the pushes may alias them.)
  const uint8_t *flag = sites && sites->touches ? sites->touches->data() : nullptr;
  uint32_t *groupStart = sites && sites->groupStart ? sites->groupStart->data() : nullptr;
  // Classify: a value whose only def is a `movi` is rematerialised; one
  // whose only def loads an incoming stack parameter is reloaded from there.
  if (const FlatCode *code = sites ? sites->code : nullptr) countDefs(w, *code, *blocks, flag, index, info);
  else countDefs(w, *blocks, flag, sites ? sites->blockBase : nullptr, index, info);
  for (size_t s = 0; s < info.size(); ++s) {
    SpillInfo &si = info[s];
    if (si.def) si.kind = cheapKind(w, spilledNodes[s] - kVRegBase, si.defCount, *si.def);
    if (si.kind != SpillKind::Slot) si.defCopy = *si.def;
  }

  // Load spilled value `s` into register operand `dst`.
  auto load = [&](std::vector<Instr> &out, int32_t s, const Operand &dst) {
    const SpillInfo &si = info[s];
    mir::VReg v = spilledNodes[s] - kVRegBase;
    if (si.kind == SpillKind::Remat) {  // movi, or fconst with its immediate bits
      out.push_back(makeInstr(si.defCopy.op, {dst}, si.defCopy.uses, Origin::Remat, si.defCopy.imm));
    } else if (si.kind == SpillKind::InArg) {
      out.push_back(makeInstr(Opcode::Lds, {dst}, si.defCopy.uses, Origin::InArg));
    } else {
      out.push_back(makeInstr(Opcode::Lds, {dst}, {Operand::stack(v)}, Origin::Reload));
    }
  };

  auto mentions = [&](const Instr &in) {
    for (const Operand &o : in.defs)
      if (spilledIdx(o) >= 0) return true;
    for (const Operand &o : in.uses)
      if (spilledIdx(o) >= 0) return true;
    return false;
  };
  for (uint32_t bi : *blocks) {
    mir::Block &b = w.fn.blocks[bi];
    if (blocks == &all && std::none_of(b.instrs.begin(), b.instrs.end(), mentions)) continue;
    if (touched) touched->push_back(bi);
    std::vector<Instr> &out = w.scratch;
    out.clear();
    out.reserve(b.instrs.size() + b.instrs.size() / 2 + 8);
    here = sites ? (*sites->blockBase)[bi] - 1 : 0;
    for (Instr &in : b.instrs) {
      ++here;
      if (groupStart) groupStart[here] = static_cast<uint32_t>(out.size());
      if (flag && !flag[here]) {  // mentions no spilled value
        out.push_back(std::move(in));
        continue;
      }
      // A split of a value around one instruction (repair.cpp) stored it to
      // and reloaded it from its own slot; spilled for good, both go.
      if (in.inserted() && isSlotAccess(in)) {
        const Operand &reg = in.op == Opcode::Lds ? in.defs[0] : in.uses[0];
        if (reg.isVReg() && reg.value == slotOf(in) && spilledIdx(reg) >= 0 &&
            info[spilledIdx(reg)].kind == SpillKind::Slot)
          continue;
      }
      // The unique def of a rematerialised / in-arg value disappears, except
      // an original one: it stays, defining a dead never-spilled temp, so
      // that the allocated code keeps every original instruction in order.
      bool deleted = false;
      for (Operand &d : in.defs)
        if (int32_t s = spilledIdx(d); s >= 0 && info[s].kind != SpillKind::Slot) {
          if (in.inserted()) deleted = true;
          else d = Operand::vreg(fresh(SpillSites::kDef));
        }
      if (deleted) continue;
      // An inserted move touching one spilled value becomes the store or the
      // load itself. Original moves keep their place (the allocated code
      // keeps every original instruction); coalescing then makes them
      // self-moves next to the spill store or reload.
      if (in.op == Opcode::Mov && in.inserted() && in.defs.size() == 1 && in.uses.size() == 1) {
        int32_t sd = spilledIdx(in.defs[0]), su = spilledIdx(in.uses[0]);
        if (sd >= 0 && su < 0 && !in.uses[0].isImm()) {
          out.push_back(makeInstr(Opcode::Sts, {Operand::stack(in.defs[0].value)}, {in.uses[0]}, Origin::Spill));
          continue;
        }
        if (su >= 0 && sd < 0) {
          load(out, su, in.defs[0]);
          continue;
        }
      }
      // General case: one fresh temp per spilled value of the instruction.
      // At most a handful per instruction: inline storage, no allocation.
      boost::container::small_vector<std::pair<int32_t, mir::VReg>, 6> temps;
      auto tempFor = [&](int32_t s, uint8_t kind) {
        for (auto &[k, t] : temps)
          if (k == s) {
            addKind(t, kind);
            return t;
          }
        mir::VReg t = fresh(kind);
        temps.push_back({s, t});
        return t;
      };
      for (Operand &u : in.uses)
        if (int32_t s = spilledIdx(u); s >= 0) {
          bool loaded = false;
          for (auto &[k, t] : temps) loaded = loaded || k == s;
          mir::VReg t = tempFor(s, SpillSites::kUse);
          if (!loaded) load(out, s, Operand::vreg(t));
          u = Operand::vreg(t);
        }
      boost::container::small_vector<std::pair<mir::VReg, mir::VReg>, 2> stores;  // (spilled vreg, temp)
      for (Operand &d : in.defs)
        if (int32_t s = spilledIdx(d); s >= 0) {
          mir::VReg v = d.value;
          mir::VReg t = tempFor(s, SpillSites::kDef);
          d = Operand::vreg(t);
          stores.push_back({v, t});
        }
      out.push_back(std::move(in));
      for (const auto &[v, t] : stores)
        out.push_back(makeInstr(Opcode::Sts, {Operand::stack(v)}, {Operand::vreg(t)}, Origin::Spill));
    }
    // The rewritten block takes the scratch buffer and the scratch takes
    // the block's old one: no instruction is moved twice, and both buffers
    // keep their capacity (the scratch was reserved for this block).
    std::swap(b.instrs, out);
  }
}

}  // namespace vcr::alloc
