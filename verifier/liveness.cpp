// Backward liveness of the original function's vregs over the allocated CFG.
#include "verifier/liveness.h"

#include "core/ir/cfg.h"

namespace vcr::verifier {

using namespace mir;

std::vector<BlockId> allocSuccs(const Function &allocated, uint32_t b) {
  const auto &is = allocated.blocks[b].instrs;
  if (is.empty() || !is.back().isTerminator()) return {};
  std::vector<BlockId> out;
  for (BlockId t : successors(is.back()))
    if (t < allocated.blocks.size()) out.push_back(t);
  return out;
}

Liveness computeLiveness(const Function &original, const Function &allocated, const Pairing &p) {
  Liveness lv;
  lv.numVRegs = original.numVRegs();
  const size_t nb = allocated.blocks.size();
  lv.liveIn.assign(nb, std::vector<bool>(lv.numVRegs, false));
  lv.liveOut = lv.liveIn;
  // use/def summaries of each block (uses before any def in the block)
  std::vector<std::vector<bool>> gen(nb, std::vector<bool>(lv.numVRegs, false)), kill = gen;
  for (size_t b = 0; b < p.numOrigBlocks && b < nb; ++b)
    for (const Instr &in : original.blocks[b].instrs) {
      for (const Operand &u : in.uses)
        if (u.isVReg() && u.value < lv.numVRegs && !kill[b][u.value]) gen[b][u.value] = true;
      for (const Operand &d : in.defs)
        if (d.isVReg() && d.value < lv.numVRegs) kill[b][d.value] = true;
    }
  std::vector<std::vector<BlockId>> succ(nb);
  for (size_t b = 0; b < nb; ++b) succ[b] = allocSuccs(allocated, static_cast<uint32_t>(b));
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t bi = nb; bi-- > 0;) {
      std::vector<bool> out(lv.numVRegs, false);
      for (BlockId s : succ[bi])
        for (uint32_t v = 0; v < lv.numVRegs; ++v)
          if (lv.liveIn[s][v]) out[v] = true;
      std::vector<bool> in(lv.numVRegs, false);
      for (uint32_t v = 0; v < lv.numVRegs; ++v) in[v] = gen[bi][v] || (out[v] && !kill[bi][v]);
      if (in != lv.liveIn[bi] || out != lv.liveOut[bi]) {
        lv.liveIn[bi] = std::move(in);
        lv.liveOut[bi] = std::move(out);
        changed = true;
      }
    }
  }
  return lv;
}

}  // namespace vcr::verifier
