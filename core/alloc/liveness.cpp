// Backward liveness dataflow over vregs or working-form nodes, and peak pressure.
#include "core/alloc/liveness.h"

#include <algorithm>

namespace vcr::alloc {

using mir::BlockId;
using mir::Cfg;
using mir::Function;

Liveness Liveness::compute(const Function &f, const Cfg &cfg) {
  return computeNodes(f, cfg, NodeMap::vregs(f));
}

Liveness Liveness::computeNodes(const Function &f, const Cfg &cfg, const NodeMap &map) {
  const size_t nb = f.blocks.size();
  const size_t nn = map.numNodes;
  Liveness lv;
  lv.liveIn.assign(nb, Bits(nn));
  lv.liveOut.assign(nb, Bits(nn));
  // Upward-exposed uses and defs of each block.
  std::vector<Bits> use(nb, Bits(nn)), def(nb, Bits(nn));
  for (size_t b = 0; b < nb; ++b) {
    Bits &u = use[b], &d = def[b];
    for (const mir::Instr &i : f.blocks[b].instrs) {
      map.forEachUse(i, [&](uint32_t n) {
        if (!d.test(n)) u.set(n);
      });
      map.forEachDef(i, [&](uint32_t n) { d.set(n); });
    }
  }
  // Visit order: post-order (successors first), then unreachable blocks.
  std::vector<BlockId> order(cfg.rpo.rbegin(), cfg.rpo.rend());
  for (size_t b = 0; b < nb; ++b)
    if (b >= cfg.reachable.size() || !cfg.reachable[b]) order.push_back(static_cast<BlockId>(b));
  Bits tmp(nn);
  for (bool changed = true; changed;) {
    changed = false;
    for (BlockId b : order) {
      Bits &out = lv.liveOut[b];
      for (BlockId s : cfg.succs[b]) out |= lv.liveIn[s];
      tmp = out;
      tmp -= def[b];
      tmp |= use[b];
      if (tmp != lv.liveIn[b]) {
        lv.liveIn[b].swap(tmp);
        changed = true;
      }
    }
  }
  return lv;
}

unsigned peakPressure(const Function &f) {
  Cfg cfg = Cfg::build(f);
  NodeMap map = NodeMap::vregs(f);
  Liveness lv = Liveness::compute(f, cfg);
  unsigned peak = 0;
  std::vector<uint32_t> defs;
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    Bits live = lv.liveOut[b];
    auto count = static_cast<unsigned>(live.count());
    peak = std::max(peak, count);
    const auto &is = f.blocks[b].instrs;
    for (auto it = is.rbegin(); it != is.rend(); ++it) {
      // After the instruction: live-after plus its (possibly dead) defs.
      defs.clear();
      map.forEachDef(*it, [&](uint32_t n) {
        if (std::find(defs.begin(), defs.end(), n) == defs.end()) defs.push_back(n);
      });
      unsigned after = count;
      for (uint32_t n : defs)
        if (!live.test(n)) ++after;
      peak = std::max(peak, after);
      // Before it: (live-after minus defs) plus uses.
      for (uint32_t n : defs)
        if (live.test(n)) {
          live.reset(n);
          --count;
        }
      map.forEachUse(*it, [&](uint32_t n) {
        if (!live.test(n)) {
          live.set(n);
          ++count;
        }
      });
      peak = std::max(peak, count);
    }
  }
  return peak;
}

}  // namespace vcr::alloc
