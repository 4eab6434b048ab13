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

GlobalLiveness GlobalLiveness::compute(const Function &f, const Cfg &cfg, const NodeMap &map) {
  const size_t nb = f.blocks.size();
  GlobalLiveness lv;
  // Pass 1: upward-exposed uses decide which nodes are global.
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> defBlock(map.numNodes, kNone), compact(map.numNodes, kNone);
  for (size_t b = 0; b < nb; ++b)
    for (const mir::Instr &i : f.blocks[b].instrs) {
      map.forEachUse(i, [&](uint32_t n) {
        if (defBlock[n] != b && compact[n] == kNone) {
          compact[n] = static_cast<uint32_t>(lv.nodes.size());
          lv.nodes.push_back(n);
        }
      });
      map.forEachDef(i, [&](uint32_t n) { defBlock[n] = static_cast<uint32_t>(b); });
    }
  const size_t ng = lv.nodes.size();
  lv.liveIn.assign(nb, Bits(ng));
  lv.liveOut.assign(nb, Bits(ng));
  // Pass 2: upward-exposed uses and defs of each block, over global nodes.
  std::vector<Bits> use(nb, Bits(ng)), def(nb, Bits(ng));
  for (size_t b = 0; b < nb; ++b) {
    Bits &u = use[b], &d = def[b];
    for (const mir::Instr &i : f.blocks[b].instrs) {
      map.forEachUse(i, [&](uint32_t n) {
        uint32_t c = compact[n];
        if (c != kNone && !d.test(c)) u.set(c);
      });
      map.forEachDef(i, [&](uint32_t n) {
        if (compact[n] != kNone) d.set(compact[n]);
      });
    }
  }
  // Visit order: post-order (successors first), then unreachable blocks.
  std::vector<BlockId> order(cfg.rpo.rbegin(), cfg.rpo.rend());
  for (size_t b = 0; b < nb; ++b)
    if (b >= cfg.reachable.size() || !cfg.reachable[b]) order.push_back(static_cast<BlockId>(b));
  Bits tmp(ng);
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

Liveness Liveness::computeNodes(const Function &f, const Cfg &cfg, const NodeMap &map) {
  GlobalLiveness g = GlobalLiveness::compute(f, cfg, map);
  Liveness lv;
  const size_t nb = f.blocks.size();
  lv.liveIn.assign(nb, Bits(map.numNodes));
  lv.liveOut.assign(nb, Bits(map.numNodes));
  for (size_t b = 0; b < nb; ++b) {
    for (size_t c = g.liveIn[b].find_first(); c != Bits::npos; c = g.liveIn[b].find_next(c))
      lv.liveIn[b].set(g.nodes[c]);
    for (size_t c = g.liveOut[b].find_first(); c != Bits::npos; c = g.liveOut[b].find_next(c))
      lv.liveOut[b].set(g.nodes[c]);
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
