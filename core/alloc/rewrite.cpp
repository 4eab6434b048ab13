// Rewrite: replace every vreg by its colour and delete the inserted moves coalescing made redundant.
#include "core/alloc/work.h"

namespace vcr::alloc {

bool isSelfMove(const mir::Instr &i) {
  return i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.uses.size() == 1 && i.defs[0] == i.uses[0];
}

bool rewriteColours(const WorkFunction &w, const Colouring &c, mir::Function &out, std::string &error) {
  out = mir::Function{};
  out.name = w.fn.name;
  out.sig = w.fn.sig;
  out.wasmIndex = w.fn.wasmIndex;
  out.allocated = true;
  out.blocks.reserve(w.fn.blocks.size());
  auto colourOf = [&](mir::Operand &o) {
    if (!o.isVReg()) return;
    int r = kVRegBase + o.value < c.colour.size() ? c.colour[kVRegBase + o.value] : -1;
    if (r < 0) {
      error = "internal: v" + std::to_string(o.value) + " has no colour";
      r = 0;
    }
    o = mir::Operand::preg(static_cast<mir::PReg>(r));
  };
  for (const mir::Block &b : w.fn.blocks) {
    mir::Block nb;
    nb.label = b.label;
    nb.instrs.reserve(b.instrs.size());
    for (const mir::Instr &in : b.instrs) {
      mir::Instr i = in;
      for (auto &o : i.defs) colourOf(o);
      for (auto &o : i.uses) colourOf(o);
      // An original move that coalescing made a self-move stays, so that the
      // allocated code keeps every original instruction in order (the
      // checker pairs them 1:1); the emitter elides it. Inserted ones go.
      if (isSelfMove(i) && i.inserted()) continue;
      nb.instrs.push_back(std::move(i));
    }
    out.blocks.push_back(std::move(nb));
  }
  return error.empty();
}

}  // namespace vcr::alloc
