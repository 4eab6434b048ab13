// CFG construction, dominators (Cooper-Harvey-Kennedy) and loop depth, in near-linear time.
#include "core/ir/cfg.h"

#include <algorithm>
#include <cstdint>

namespace vcr::mir {

std::vector<BlockId> successors(const Instr &term) {
  std::vector<BlockId> out;
  for (BlockId t : term.targets)
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  return out;
}

Cfg Cfg::build(const Function &f) {
  Cfg g;
  g.rebuild(f);
  return g;
}

void Cfg::rebuild(const Function &f) {
  Cfg &g = *this;
  const size_t n = f.blocks.size();
  g.succs.resize(n);
  g.preds.resize(n);
  for (size_t b = 0; b < n; ++b) {
    g.succs[b].clear();  // keeps the lists' storage
    g.preds[b].clear();
  }
  g.rpo.clear();
  g.reachable.assign(n, false);
  g.idom.assign(n, -1);
  g.loopDepth.assign(n, 0);
  g.loopHeader.assign(n, false);
  for (size_t b = 0; b < n; ++b) {
    const auto &is = f.blocks[b].instrs;
    if (is.empty() || !is.back().isTerminator()) continue;
    auto &out = g.succs[b];
    for (BlockId s : is.back().targets) {  // successors(), without a vector of its own
      if (s >= n || std::find(out.begin(), out.end(), s) != out.end()) continue;
      out.push_back(s);
      g.preds[s].push_back(static_cast<BlockId>(b));
    }
  }
  if (n == 0) return;

  // Iterative DFS for post-order.
  std::vector<BlockId> post;
  post.reserve(n);
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

  // Dominance in O(1): pre/post numbers of a DFS of the dominator tree.
  std::vector<uint32_t> childStart(n + 1, 0), child(g.rpo.size());
  std::vector<uint32_t> &pre = g.domPre, &last = g.domLast;
  pre.assign(n, 0);
  last.assign(n, 0);
  for (BlockId b : g.rpo)
    if (b != 0) ++childStart[idom[b] + 1];
  for (size_t i = 1; i <= n; ++i) childStart[i] += childStart[i - 1];
  {
    std::vector<uint32_t> fill(childStart.begin(), childStart.end() - 1);
    for (BlockId b : g.rpo)
      if (b != 0) child[fill[idom[b]]++] = b;
  }
  uint32_t clock = 0;
  std::vector<std::pair<BlockId, uint32_t>> dstack{{0, childStart[0]}};
  pre[0] = clock++;
  while (!dstack.empty()) {
    auto &[b, i] = dstack.back();
    if (i < childStart[b + 1]) {
      BlockId c = child[i++];
      pre[c] = clock++;
      dstack.push_back({c, childStart[c]});
    } else {
      last[b] = clock - 1;  // largest pre number in b's subtree
      dstack.pop_back();
    }
  }

  // Natural loops: for each header h, the union over its back edges t->h
  // (h dominates t) of the blocks that reach t without passing h. Each
  // header adds one to the depth of every block of its loop.
  std::vector<uint32_t> stamp(n, UINT32_MAX), body, work;
  for (BlockId h = 0; h < n; ++h) {
    if (!g.reachable[h]) continue;
    body.clear();
    for (BlockId t : g.preds[h]) {
      if (!g.dominates(h, t)) continue;
      if (!g.loopHeader[h]) {
        g.loopHeader[h] = true;
        stamp[h] = h;
        body.push_back(h);
      }
      if (stamp[t] != h) {
        stamp[t] = h;
        body.push_back(t);
        work.push_back(t);
      }
    }
    while (!work.empty()) {
      BlockId b = work.back();
      work.pop_back();
      for (BlockId p : g.preds[b])
        if (g.reachable[p] && stamp[p] != h) {
          stamp[p] = h;
          body.push_back(p);
          work.push_back(p);
        }
    }
    for (BlockId b : body) ++g.loopDepth[b];
  }
}

bool Cfg::dominates(BlockId a, BlockId b) const {
  if (a >= reachable.size() || b >= reachable.size() || !reachable[a] || !reachable[b]) return false;
  return domPre[a] <= domPre[b] && domPre[b] <= domLast[a];
}

}  // namespace vcr::mir
