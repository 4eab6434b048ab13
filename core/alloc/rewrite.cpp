// Rewrite: replace every vreg by its colour and delete the inserted moves coalescing made redundant.
#include "core/alloc/work.h"

#include <algorithm>
#include <vector>

namespace vcr::alloc {

bool isSelfMove(const mir::Instr &i) {
  return i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.uses.size() == 1 && i.defs[0] == i.uses[0];
}

bool rewriteClass(WorkFunction &w, const Colouring &c, std::string &error, const FlatCode *code) {
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
  auto rewrite = [&](mir::Instr &i) {
    for (auto &o : i.defs) colourOf(o);
    for (auto &o : i.uses) colourOf(o);
  };
  if (!code) {
    for (mir::Block &b : w.fn.blocks)
      for (mir::Instr &i : b.instrs) rewrite(i);
    return error.empty();
  }
  // The flat code's instructions only (a sparse one lists a fraction of
  // the function; a walk over every 120-byte instruction was 4% of the
  // float-heavy allocation at 1k instructions, alloc_bench).
  for (uint32_t b = 0; b < code->numBlocks(); ++b) {
    auto &is = w.fn.blocks[b].instrs;
    for (uint32_t k = code->blockStart[b]; k < code->blockStart[b + 1]; ++k) rewrite(is[code->position(b, k)]);
  }
  return error.empty();
}

namespace {

/// The S registers `o` writes, as a mask (a D register: both halves);
/// mir::sregsOf without building a list per operand.
uint32_t sregMask(const mir::Operand &o) {
  if (o.isSReg()) return 1u << o.value;
  if (o.isDReg()) return 3u << (2 * o.value);
  return 0;
}

/// Note a slot access `i` of block `b` in the slots' flat code of `sc`
/// (a store defines its slot, a reload uses it).
void noteSlotAccess(const mir::Instr &i, size_t b, uint32_t numVRegs, FrameScan &sc) {
  sc.flags[b] |= 1;
  const uint32_t id = slotOf(i);
  if (id >= numVRegs) return;
  if (sc.dense[id] == kNoNode) {
    sc.dense[id] = static_cast<uint32_t>(sc.ids.size());
    sc.ids.push_back(id);
  }
  FlatCode &slots = sc.slotCode;
  slots.opStart.push_back(static_cast<uint32_t>(slots.ops.size()));
  slots.numDefs.push_back(i.op == mir::Opcode::Sts ? 1 : 0);
  slots.ops.push_back(sc.dense[id]);
}

}  // namespace

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
  // The colours in locals: an operand store may alias the vector's
  // fields, which the compiler would otherwise reload per operand.
  const int *colour = c.colour.data();
  const size_t numColours = c.colour.size();
  auto colourOf = [&](mir::Operand &o) {
    if (!o.isVReg()) return;
    int r = kVRegBase + o.value < numColours ? colour[kVRegBase + o.value] : -1;
    if (r < 0) {
      error = "internal: v" + std::to_string(o.value) + " has no colour";
      r = 0;
    }
    o = mir::Operand::preg(static_cast<mir::PReg>(r));
  };
  const size_t nb = out.blocks.size();
  uint32_t written = 0;  // as a mask here, a RegSet at the end (its add checks the bound)
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
      const bool param = i.op == mir::Opcode::Param;
      for (auto &o : i.defs) {
        colourOf(o);
        if (param) continue;
        if (o.isPReg()) written |= 1u << o.value;
        sc.writtenS |= sregMask(o);
      }
      for (auto &o : i.uses) colourOf(o);
      // One dispatch on the opcode for the counts and the frame's notes.
      switch (i.op) {
      case mir::Opcode::Mov: {
        const bool self = isSelfMove(i);
        drop = drop || (self && i.inserted());
        stats.movesAfter += !self;
        break;
      }
      case mir::Opcode::MovI: stats.remats += i.origin == mir::Origin::Remat; break;
      case mir::Opcode::Lds:
      case mir::Opcode::Sts:
        if (i.origin == mir::Origin::InArg) sc.flags[b] |= 2;
        if (!isSlotAccess(i)) break;
        ++(i.op == mir::Opcode::Sts ? stats.spillStores : stats.reloads);
        noteSlotAccess(i, b, w.numVRegs, sc);
        break;
      default: break;
      }
    }
    if (drop) std::erase_if(is, [](const mir::Instr &i) { return isSelfMove(i) && i.inserted(); });
  }
  slots.blockStart.push_back(static_cast<uint32_t>(slots.opStart.size()));
  slots.opStart.push_back(static_cast<uint32_t>(slots.ops.size()));
  sc.written = {};
  for (; written; written &= written - 1) sc.written.add(static_cast<mir::PReg>(__builtin_ctz(written)));
  return error.empty();
}

}  // namespace vcr::alloc
