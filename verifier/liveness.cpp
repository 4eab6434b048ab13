// Backward liveness of the original function's vregs over the allocated CFG
// (sparse sorted sets, post-order passes to the fixpoint).
#include "verifier/liveness.h"

#include "verifier/dataflow.h"
#include "verifier/semantics.h"

#include <algorithm>
#include <iterator>

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
  const size_t nb = allocated.blocks.size();
  lv.liveIn.assign(nb, {});
  lv.liveOut.assign(nb, {});
  // use/def summaries of each block: gen (used before any def in the block), kill (defined)
  std::vector<std::vector<uint32_t>> gen(nb), kill(nb);
  std::vector<uint32_t> defStamp(lv.numVRegs, 0), useStamp(lv.numVRegs, 0);  // block + 1
  for (size_t b = 0; b < p.numOrigBlocks && b < nb; ++b) {
    const auto stamp = static_cast<uint32_t>(b + 1);
    for (const Instr &in : original.blocks[b].instrs) {
      for (const Operand &u : in.uses)
        if (u.isVReg() && u.value < lv.numVRegs && defStamp[u.value] != stamp && useStamp[u.value] != stamp) {
          useStamp[u.value] = stamp;
          gen[b].push_back(u.value);
        }
      for (const Operand &d : in.defs)
        if (d.isVReg() && d.value < lv.numVRegs && defStamp[d.value] != stamp) {
          defStamp[d.value] = stamp;
          kill[b].push_back(d.value);
        }
    }
    std::sort(gen[b].begin(), gen[b].end());
    std::sort(kill[b].begin(), kill[b].end());
  }
  std::vector<std::vector<BlockId>> succ(nb), pred(nb);
  for (size_t b = 0; b < nb; ++b) {
    succ[b] = allocSuccs(allocated, static_cast<uint32_t>(b));
    for (BlockId s : succ[b]) pred[s].push_back(static_cast<BlockId>(b));
  }
  for (size_t b = 0; b < nb; ++b) lv.liveIn[b] = gen[b];
  // Passes in post-order (successors first; blocks not reached from the
  // entry last), each visiting only blocks with a changed successor.
  std::vector<BlockId> order = reversePostOrder(succ);
  std::reverse(order.begin(), order.end());
  std::vector<char> listed(nb, 0);
  for (BlockId b : order) listed[b] = 1;
  for (size_t b = nb; b-- > 0;)
    if (!listed[b]) order.push_back(static_cast<BlockId>(b));
  std::vector<char> dirty(nb, 1);
  std::vector<uint32_t> out, tmp, in;
  auto liveOut = [&](BlockId b) {  // the union of the successors' live-in sets, into `out`
    out.clear();
    for (BlockId s : succ[b]) {
      tmp.clear();
      std::set_union(out.begin(), out.end(), lv.liveIn[s].begin(), lv.liveIn[s].end(), std::back_inserter(tmp));
      out.swap(tmp);
    }
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (BlockId b : order) {
      if (!dirty[b]) continue;
      dirty[b] = 0;
      liveOut(b);
      tmp.clear();
      std::set_difference(out.begin(), out.end(), kill[b].begin(), kill[b].end(), std::back_inserter(tmp));
      in.clear();
      std::set_union(gen[b].begin(), gen[b].end(), tmp.begin(), tmp.end(), std::back_inserter(in));
      if (in == lv.liveIn[b]) continue;
      lv.liveIn[b].swap(in);
      changed = true;
      for (BlockId q : pred[b]) dirty[q] = 1;
    }
  }
  for (size_t b = 0; b < nb; ++b) {  // the exits, once, from the fixpoint's entries
    liveOut(static_cast<BlockId>(b));
    lv.liveOut[b] = out;
  }
  return lv;
}

}  // namespace vcr::verifier
