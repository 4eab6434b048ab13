// Rewrite: replace every vreg by its colour and delete the inserted moves coalescing made redundant.
#include "core/alloc/work.h"

#include <algorithm>
#include <vector>

namespace vcr::alloc {

bool isSelfMove(const mir::Instr &i) {
  return i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.uses.size() == 1 && i.defs[0] == i.uses[0];
}

bool rewriteClass(WorkFunction &w, const Colouring &c, std::string &error) {
  const mir::RegClass k = w.passClass;
  auto colourOf = [&](mir::Operand &o) {
    if (!o.isVReg() || w.classOf(o.value) != k) return;
    int r = kVRegBase + o.value < c.colour.size() ? c.colour[kVRegBase + o.value] : -1;
    if (r < 0) {
      error = "internal: v" + std::to_string(o.value) + " (" + std::string(mir::regClassName(k)) +
              ") has no colour";
      r = 0;
    }
    const auto n = static_cast<uint32_t>(r);
    o = k == mir::RegClass::F64 ? mir::Operand::dreg(n) : mir::Operand::sreg(n);
  };
  for (mir::Block &b : w.fn.blocks)
    for (mir::Instr &i : b.instrs) {
      for (auto &o : i.defs) colourOf(o);
      for (auto &o : i.uses) colourOf(o);
    }
  return error.empty();
}

bool rewriteColours(WorkFunction &w, const Colouring &c, mir::Function &out, FrameScan &sc, AllocStats &stats,
                    std::string &error) {
  out = mir::Function{};
  out.name = std::move(w.fn.name);
  out.sig = std::move(w.fn.sig);
  out.wasmIndex = w.fn.wasmIndex;
  out.floatParams = w.fn.floatParams;
  out.floatResults = w.fn.floatResults;
  out.allocated = true;
  // Moved, not copied: a copy of every instruction cost more than the
  // rest of the rewrite (alloc_bench).
  out.blocks = std::move(w.fn.blocks);
  w.fn.blocks.clear();
  auto colourOf = [&](mir::Operand &o) {
    if (!o.isVReg()) return;
    int r = kVRegBase + o.value < c.colour.size() ? c.colour[kVRegBase + o.value] : -1;
    if (r < 0) {
      error = "internal: v" + std::to_string(o.value) + " has no colour";
      r = 0;
    }
    o = mir::Operand::preg(static_cast<mir::PReg>(r));
  };
  const size_t nb = out.blocks.size();
  sc.written = {};
  sc.writtenS = 0;
  sc.ids.clear();
  sc.dense.assign(w.numVRegs, kNoNode);
  sc.flags.assign(nb, 0);
  FlatCode &slots = sc.slotCode;
  slots.blockStart.clear();
  slots.opStart.clear();
  slots.numDefs.clear();
  slots.ops.clear();
  for (size_t b = 0; b < nb; ++b) {
    slots.blockStart.push_back(static_cast<uint32_t>(slots.opStart.size()));
    auto &is = out.blocks[b].instrs;
    // An original move that coalescing made a self-move stays, so that the
    // allocated code keeps every original instruction in order (the
    // checker pairs them 1:1); the emitter elides it. Inserted ones go.
    bool drop = false;
    for (mir::Instr &i : is) {
      for (auto &o : i.defs) {
        colourOf(o);
        if (i.op == mir::Opcode::Param) continue;
        if (o.isPReg()) sc.written.add(o.preg());
        for (uint32_t s : mir::sregsOf(o)) sc.writtenS |= 1u << s;
      }
      for (auto &o : i.uses) colourOf(o);
      const bool self = isSelfMove(i);
      drop = drop || (self && i.inserted());
      stats.movesAfter += i.op == mir::Opcode::Mov && !self;
      stats.spillStores += i.op == mir::Opcode::Sts && i.origin == mir::Origin::Spill;
      stats.reloads += i.op == mir::Opcode::Lds && i.origin == mir::Origin::Reload;
      stats.remats += i.op == mir::Opcode::MovI && i.origin == mir::Origin::Remat;
      if ((i.op == mir::Opcode::Lds || i.op == mir::Opcode::Sts) && i.origin == mir::Origin::InArg) sc.flags[b] |= 2;
      if (!isSlotAccess(i)) continue;
      sc.flags[b] |= 1;
      const uint32_t id = slotOf(i);
      if (id >= w.numVRegs) continue;
      if (sc.dense[id] == kNoNode) {
        sc.dense[id] = static_cast<uint32_t>(sc.ids.size());
        sc.ids.push_back(id);
      }
      slots.opStart.push_back(static_cast<uint32_t>(slots.ops.size()));
      slots.numDefs.push_back(i.op == mir::Opcode::Sts ? 1 : 0);
      slots.ops.push_back(sc.dense[id]);
    }
    if (drop) std::erase_if(is, [](const mir::Instr &i) { return isSelfMove(i) && i.inserted(); });
  }
  slots.blockStart.push_back(static_cast<uint32_t>(slots.opStart.size()));
  slots.opStart.push_back(static_cast<uint32_t>(slots.ops.size()));
  return error.empty();
}

}  // namespace vcr::alloc
