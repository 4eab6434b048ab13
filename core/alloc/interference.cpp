// Interference-graph construction: a backward scan of each block from its live-out set.
#include "core/alloc/interference.h"

#include <algorithm>
#include <cmath>

namespace vcr::alloc {

EdgeSet::EdgeSet(uint32_t numNodes, size_t expected) { reset(numNodes, expected); }

void EdgeSet::reset(uint32_t numNodes, size_t expected) {
  size_ = 0;
  const uint64_t words = numNodes > 1 ? (uint64_t(numNodes) * (numNodes - 1) / 2 + 63) / 64 : 0;
  const bool dense = numNodes <= kDenseMatrixNodes && words * 8 <= uint64_t(expected) * 16;
  if (numNodes > 1 && (numNodes <= kMatrixNodes || dense)) {
    matrix_.assign(words, 0);  // reuses the capacity of an earlier round
    return;
  }
  matrix_.clear();
  size_t cap = 64;
  shift_ = 58;
  while (cap < expected * 2) {
    cap *= 2;
    --shift_;
  }
  table_.assign(cap, ~0ull);
}

void EdgeSet::grow() {
  std::vector<uint64_t> old;
  old.swap(table_);
  table_.assign(old.size() * 2, ~0ull);
  --shift_;
  const size_t mask = table_.size() - 1;
  for (uint64_t k : old) {
    if (k == ~0ull) continue;
    size_t s = slot(k);
    while (table_[s] != ~0ull) s = (s + 1) & mask;
    table_[s] = k;
  }
}

bool EdgeSet::hashInsert(uint32_t u, uint32_t v) {
  if ((size_ + 1) * 2 > table_.size()) grow();
  const uint64_t k = key(u, v);
  const size_t mask = table_.size() - 1;
  for (size_t s = slot(k);; s = (s + 1) & mask) {
    if (table_[s] == k) return false;
    if (table_[s] == ~0ull) {
      table_[s] = k;
      ++size_;
      return true;
    }
  }
}

bool EdgeSet::hashContains(uint32_t u, uint32_t v) const {
  const uint64_t k = key(u, v);
  const size_t mask = table_.size() - 1;
  for (size_t s = slot(k);; s = (s + 1) & mask) {
    if (table_[s] == k) return true;
    if (table_[s] == ~0ull) return false;
  }
}

bool Interference::addEdge(uint32_t u, uint32_t v) {
  if (u == v || (precoloured(u) && precoloured(v))) return false;
  if (!edges.insert(u, v)) return false;
  if (!precoloured(u)) {
    extra[u].push_back(v);
    ++degree[u];
  }
  if (!precoloured(v)) {
    extra[v].push_back(u);
    ++degree[v];
  }
  return true;
}

namespace {

/// A set of nodes with O(1) insert/erase/test and iteration over members.
class SparseSet {
public:
  explicit SparseSet(size_t n) : pos_(n, kNoNode) {}
  bool contains(uint32_t n) const { return pos_[n] != kNoNode; }
  void insert(uint32_t n) {
    if (contains(n)) return;
    pos_[n] = static_cast<uint32_t>(dense_.size());
    dense_.push_back(n);
  }
  void erase(uint32_t n) {
    uint32_t p = pos_[n];
    if (p == kNoNode) return;
    uint32_t last = dense_.back();
    dense_[p] = last;
    pos_[last] = p;
    dense_.pop_back();
    pos_[n] = kNoNode;
  }
  void clear() {
    for (uint32_t n : dense_) pos_[n] = kNoNode;
    dense_.clear();
  }
  const std::vector<uint32_t> &members() const { return dense_; }

private:
  std::vector<uint32_t> dense_, pos_;
};

/// A rough edge count: per block, its instructions times its live-out
/// values (dense graphs come from many values live across much code).
size_t estimateEdges(const mir::Function &f, const GlobalLiveness &lv) {
  size_t e = f.numInstrs() * 4;
  size_t across = 0;
  for (size_t b = 0; b < f.blocks.size(); ++b) across += lv.liveOut[b].count() * f.blocks[b].instrs.size();
  return std::max(e, across / 4);
}

}  // namespace

Interference::Interference(uint32_t nn) : numNodes(nn), extra(nn) {}

Interference::Interference(uint32_t nn, Interference &&previous)
    : numNodes(nn), extra(nn), edges(std::move(previous.edges)), arcs(std::move(previous.arcs)) {}

void buildInterference(Interference &g, const mir::Function &f, const mir::Cfg &cfg,
                       const GlobalLiveness &lv, const NodeMap &map) {
  const uint32_t nn = map.numNodes;
  const size_t expected = estimateEdges(f, lv) + 64;
  g.edges.reset(nn, expected);
  g.degree.assign(nn, 0);
  for (uint32_t r = 0; r < kVRegBase && r < nn; ++r) g.degree[r] = UINT32_MAX / 2;
  g.moveList.resize(nn);
  g.weight.assign(nn, 0.0);
  g.occurs.resize(nn);

  SparseSet live(nn);
  std::vector<uint32_t> defs;
  std::vector<std::pair<uint32_t, uint32_t>> &arcs = g.arcs;
  arcs.clear();
  arcs.reserve(std::min(2 * expected, f.numInstrs() * 64 + 64));
  auto interfere = [&](uint32_t u, uint32_t v) {
    if (u == v || (Interference::precoloured(u) && Interference::precoloured(v))) return;
    if (!g.edges.insert(u, v)) return;
    if (!Interference::precoloured(u)) {
      arcs.push_back({u, v});
      ++g.degree[u];
    }
    if (!Interference::precoloured(v)) {
      arcs.push_back({v, u});
      ++g.degree[v];
    }
  };
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    live.clear();
    const Bits &out = lv.liveOut[b];
    for (size_t c = out.find_first(); c != Bits::npos; c = out.find_next(c)) live.insert(lv.nodes[c]);
    const uint32_t depth = b < cfg.loopDepth.size() ? std::min(cfg.loopDepth[b], 8u) : 0;
    const double w = std::pow(10.0, depth);
    const auto &is = f.blocks[b].instrs;
    for (auto it = is.rbegin(); it != is.rend(); ++it) {
      const mir::Instr &in = *it;
      if (isNodeMove(in, map)) {
        uint32_t d = map.node(in.defs[0]), s = map.node(in.uses[0]);
        live.erase(s);
        if (d != s) {
          auto mi = static_cast<uint32_t>(g.moves.size());
          g.moves.push_back({d, s});
          g.moveList[d].push_back(mi);
          g.moveList[s].push_back(mi);
        }
      }
      defs.clear();
      map.forEachDef(in, [&](uint32_t n) { defs.push_back(n); });
      for (uint32_t d : defs) live.insert(d);
      for (uint32_t d : defs) {
        g.occurs.set(d);
        g.weight[d] += w;
        for (uint32_t l : live.members()) interfere(l, d);
      }
      for (uint32_t d : defs) live.erase(d);
      map.forEachUse(in, [&](uint32_t n) {
        live.insert(n);
        g.occurs.set(n);
        g.weight[n] += w;
      });
    }
  }
  g.base.emplace(boost::edges_are_unsorted_multi_pass, arcs.begin(), arcs.end(), nn);
}

GraphSnapshot snapshot(const Interference &g) {
  GraphSnapshot s;
  s.moves = g.moves;
  s.occurs = g.occurs;
  for (uint32_t u = kVRegBase; u < g.numNodes; ++u)
    g.forEachNeighbour(u, [&](uint32_t a) {
      if (u < a || Interference::precoloured(a)) s.edges.push_back({u, a});
    });
  return s;
}

}  // namespace vcr::alloc
