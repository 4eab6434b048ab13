// Backward liveness of the original function's vregs over the allocated CFG.
#include "verifier/liveness.h"

#include "verifier/semantics.h"

#include <algorithm>

namespace vcr::verifier {

using namespace mir;

std::vector<BlockId> allocSuccs(const Function &allocated, uint32_t b) {
  const auto &is = allocated.blocks[b].instrs;
  if (is.empty() || !isTerminatorOp(is.back().op)) return {};
  std::vector<BlockId> out;
  for (BlockId t : is.back().targets)
    if (t < allocated.blocks.size() && std::find(out.begin(), out.end(), t) == out.end())
      out.push_back(t);
  return out;
}

Liveness computeLiveness(const Function &original, const Function &allocated, const Pairing &p) {
  Liveness lv;
  lv.numVRegs = original.numVRegs();
  lv.words = (lv.numVRegs + 63) / 64;
  const size_t nb = allocated.blocks.size(), nw = lv.words;
  lv.liveIn.assign(nb * nw, 0);
  lv.liveOut.assign(nb * nw, 0);
  // use/def summaries of each block (uses before any def in the block)
  std::vector<uint64_t> gen(nb * nw, 0), kill(nb * nw, 0);
  auto bit = [](std::vector<uint64_t> &m, size_t row, uint32_t v) -> uint64_t & { return m[row + v / 64]; };
  for (size_t b = 0; b < p.numOrigBlocks && b < nb; ++b)
    for (const Instr &in : original.blocks[b].instrs) {
      for (const Operand &u : in.uses)
        if (u.isVReg() && u.value < lv.numVRegs && !(bit(kill, b * nw, u.value) >> (u.value % 64) & 1))
          bit(gen, b * nw, u.value) |= uint64_t(1) << (u.value % 64);
      for (const Operand &d : in.defs)
        if (d.isVReg() && d.value < lv.numVRegs) bit(kill, b * nw, d.value) |= uint64_t(1) << (d.value % 64);
    }
  std::vector<std::vector<BlockId>> succ(nb);
  for (size_t b = 0; b < nb; ++b) succ[b] = allocSuccs(allocated, static_cast<uint32_t>(b));
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t bi = nb; bi-- > 0;) {
      const size_t row = bi * nw;
      for (size_t w = 0; w < nw; ++w) {
        uint64_t out = 0;
        for (BlockId s : succ[bi]) out |= lv.liveIn[s * nw + w];
        const uint64_t in = gen[row + w] | (out & ~kill[row + w]);
        if (in != lv.liveIn[row + w] || out != lv.liveOut[row + w]) {
          lv.liveIn[row + w] = in;
          lv.liveOut[row + w] = out;
          changed = true;
        }
      }
    }
  }
  return lv;
}

}  // namespace vcr::verifier
