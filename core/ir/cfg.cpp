// CFG construction, dominators (Cooper-Harvey-Kennedy) and loop depth.
#include "core/ir/cfg.h"

#include <algorithm>

namespace vcr::mir {

std::vector<BlockId> successors(const Instr &term) {
  std::vector<BlockId> out;
  for (BlockId t : term.targets)
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  return out;
}

Cfg Cfg::build(const Function &f) {
  Cfg g;
  const size_t n = f.blocks.size();
  g.succs.resize(n);
  g.preds.resize(n);
  g.reachable.assign(n, false);
  g.idom.assign(n, -1);
  g.loopDepth.assign(n, 0);
  g.loopHeader.assign(n, false);
  for (size_t b = 0; b < n; ++b) {
    const auto &is = f.blocks[b].instrs;
    if (is.empty() || !is.back().isTerminator()) continue;
    for (BlockId s : successors(is.back())) {
      if (s >= n) continue;
      g.succs[b].push_back(s);
      g.preds[s].push_back(static_cast<BlockId>(b));
    }
  }
  if (n == 0) return g;

  // Iterative DFS for post-order.
  std::vector<BlockId> post;
  std::vector<std::pair<BlockId, size_t>> stack{{0, 0}};
  g.reachable[0] = true;
  while (!stack.empty()) {
    auto &[b, i] = stack.back();
    if (i < g.succs[b].size()) {
      BlockId s = g.succs[b][i++];
      if (!g.reachable[s]) {
        g.reachable[s] = true;
        stack.push_back({s, 0});
      }
    } else {
      post.push_back(b);
      stack.pop_back();
    }
  }
  g.rpo.assign(post.rbegin(), post.rend());
  std::vector<uint32_t> order(n, 0);
  for (size_t i = 0; i < g.rpo.size(); ++i) order[g.rpo[i]] = static_cast<uint32_t>(i);

  // Cooper, Harvey, Kennedy: "A Simple, Fast Dominance Algorithm".
  std::vector<int32_t> idom(n, -1);
  idom[0] = 0;
  auto intersect = [&](int32_t a, int32_t b) {
    while (a != b) {
      while (order[a] > order[b]) a = idom[a];
      while (order[b] > order[a]) b = idom[b];
    }
    return a;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 1; i < g.rpo.size(); ++i) {
      BlockId b = g.rpo[i];
      int32_t nd = -1;
      for (BlockId p : g.preds[b]) {
        if (!g.reachable[p] || idom[p] < 0) continue;
        nd = nd < 0 ? static_cast<int32_t>(p) : intersect(static_cast<int32_t>(p), nd);
      }
      if (nd >= 0 && idom[b] != nd) {
        idom[b] = nd;
        changed = true;
      }
    }
  }
  for (size_t b = 1; b < n; ++b) g.idom[b] = idom[b];

  // Natural loops: for each header h, the union over its back edges t->h
  // (h dominates t) of the blocks that reach t without passing h. Each
  // header adds one to the depth of every block of its loop.
  for (BlockId h = 0; h < n; ++h) {
    if (!g.reachable[h]) continue;
    std::vector<bool> in(n, false);
    std::vector<BlockId> work;
    for (BlockId t : g.preds[h]) {
      if (!g.reachable[t] || !g.dominates(h, t)) continue;
      g.loopHeader[h] = true;
      in[h] = true;
      if (!in[t]) {
        in[t] = true;
        work.push_back(t);
      }
    }
    while (!work.empty()) {
      BlockId b = work.back();
      work.pop_back();
      for (BlockId p : g.preds[b])
        if (g.reachable[p] && !in[p]) {
          in[p] = true;
          work.push_back(p);
        }
    }
    for (size_t b = 0; b < n; ++b)
      if (in[b]) ++g.loopDepth[b];
  }
  return g;
}

bool Cfg::dominates(BlockId a, BlockId b) const {
  if (b >= reachable.size() || !reachable[b]) return false;
  for (int32_t x = static_cast<int32_t>(b);; x = idom[x]) {
    if (x == static_cast<int32_t>(a)) return true;
    if (x <= 0) return a == 0;
  }
}

}  // namespace vcr::mir
