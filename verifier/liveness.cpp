// Backward strong liveness of the original function's vregs over the allocated
// CFG (a use counts only where its instruction matters; sparse sorted sets,
// post-order passes to the fixpoint).
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
  std::vector<std::vector<BlockId>> succ(nb), pred(nb);
  for (size_t b = 0; b < nb; ++b) {
    succ[b] = allocSuccs(allocated, static_cast<uint32_t>(b));
    for (BlockId s : succ[b]) pred[s].push_back(static_cast<BlockId>(b));
  }
  // Strong liveness (faint variables): a use counts only where its
  // instruction matters, i.e. it is not pure (an effect, a trap, control, a
  // call, a result) or some def of it is live after it. A pure instruction
  // whose results are all dead needs no operand: its allocated counterpart
  // may read anything, since nothing observable depends on it (the block
  // goals still execute it; an operand that is not live is a fresh input).
  std::vector<char> live(lv.numVRegs, 0);
  std::vector<uint32_t> touched;
  auto mark = [&](uint32_t v) {
    if (v < lv.numVRegs && !live[v]) live[v] = 1, touched.push_back(v);
  };
  auto transfer = [&](BlockId b, const std::vector<uint32_t> &out, std::vector<uint32_t> &in) {
    in.clear();
    if (b >= p.numOrigBlocks || b >= original.blocks.size()) {  // an edge block: no vreg instructions
      in = out;
      return;
    }
    touched.clear();
    for (uint32_t v : out) mark(v);
    const auto &is = original.blocks[b].instrs;
    for (size_t k = is.size(); k-- > 0;) {
      const Instr &i = is[k];
      bool needed = !isPureOp(i.op);
      for (const Operand &d : i.defs)
        if (d.isVReg() && d.value < lv.numVRegs && live[d.value]) needed = true;
      for (const Operand &d : i.defs)
        if (d.isVReg() && d.value < lv.numVRegs) live[d.value] = 0;
      if (needed)
        for (const Operand &u : i.uses)
          if (u.isVReg()) mark(u.value);
    }
    for (uint32_t v : touched)
      if (live[v]) {
        in.push_back(v);
        live[v] = 0;
      }
    std::sort(in.begin(), in.end());
  };
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
      transfer(b, out, in);
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
