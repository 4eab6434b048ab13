// Interference-graph construction: a backward scan of each block from its live-out set, rows ORed per def.
#include "core/alloc/interference.h"

#include <algorithm>

namespace vcr::alloc {

bool Interference::interferes(uint32_t u, uint32_t v) const {
  if (u == v || (precoloured(u) && precoloured(v))) return false;
  if (precoloured(u)) return preMask[v] >> u & 1;
  if (precoloured(v)) return preMask[u] >> v & 1;
  if (isGlobal(u)) return testBit(row(u), v);
  if (isGlobal(v)) return testBit(row(v), u);
  if (localStart[u + 1] - localStart[u] > localStart[v + 1] - localStart[v]) std::swap(u, v);
  const uint32_t *b = localAdj.data() + localStart[u], *e = localAdj.data() + localStart[u + 1];
  return std::find(b, e, v) != e;
}

size_t Interference::numEdges() const {
  size_t twice = 0, pre = 0;
  for (uint32_t n = kVRegBase; n < numNodes; ++n) {
    auto p = popcount32(preMask[n]);
    pre += p;
    twice += degree[n] - p;
  }
  return twice / 2 + pre;
}

namespace {

/// A set of nodes with O(1) insert/erase/test and iteration over members.
class SparseSet {
public:
  void reset(size_t n) {
    pos_.assign(n, kNoNode);
    dense_.clear();
  }
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

/// The live global indices of the backward scan: a bit row and an exact
/// summary of its non-zero words (interference.h). A large function's row
/// has a handful of non-zero words, so a def ORs, and a block start
/// clears, those words only, and the summary a def ORs into its row's is
/// that row's summary as built (no scan of the rows afterwards).
class LiveRow {
public:
  void reset(uint32_t words) {
    bits_.assign(words, 0);
    sum_.assign(summaryWords(words), 0);
  }
  [[nodiscard]] bool test(uint32_t i) const { return testBit(bits_.data(), i); }
  void set(uint32_t i) {
    setBit(bits_.data(), i);
    setBit(sum_.data(), i >> 6);
  }
  /// Word w |= x.
  void orWord(uint32_t w, uint64_t x) {
    bits_[w] |= x;
    sum_[w >> 6] |= uint64_t{x != 0} << (w & 63);
  }
  void erase(uint32_t i) {
    uint64_t &word = bits_[i >> 6];
    word &= ~(1ull << (i & 63));
    if (!word) sum_[i >> 12] &= ~(1ull << (i >> 6 & 63));  // exact: the word is no longer marked
  }
  void clear() {
    forEachMarkedWord(sum_.data(), sumWords(), [&](uint32_t w) { bits_[w] = 0; });
    std::fill(sum_.begin(), sum_.end(), 0);
  }
  /// this = row (of as many words); returns the number of bits set.
  uint32_t assign(const uint64_t *row) {
    std::fill(sum_.begin(), sum_.end(), 0);
    uint32_t count = 0;
    for (uint32_t w = 0; w < bits_.size(); ++w) {
      bits_[w] = row[w];
      if (!row[w]) continue;  // most words of a large function's row: no popcount
      count += popcount64(row[w]);
      sum_[w >> 6] |= 1ull << (w & 63);
    }
    return count;
  }
  /// row |= this, and rowSum (the summary of row) |= this summary.
  void orInto(uint64_t *row, uint64_t *rowSum) const {
    for (uint32_t s = 0; s < sumWords(); ++s) {
      rowSum[s] |= sum_[s];
      for (uint64_t x = sum_[s]; x; x &= x - 1) {
        const uint32_t w = s * 64 + static_cast<uint32_t>(__builtin_ctzll(x));
        row[w] |= bits_[w];
      }
    }
  }
  /// Calls fn(i) for each live global index i.
  template <class F> void forEach(F &&fn) const { forEachBitMarked(bits_.data(), sum_.data(), sumWords(), fn); }

private:
  [[nodiscard]] uint32_t sumWords() const { return static_cast<uint32_t>(sum_.size()); }
  std::vector<uint64_t> bits_, sum_;
};

/// Sets the local neighbours' bits in the rows of the global nodes: the
/// transpose of the local nodes' global rows (localGlobal), whose edges
/// are the most numerous kind. An OR per edge into rows a whole row apart
/// took half the build's time on wasmgen 10000 (perf; about 600,000 such
/// edges per function, 70 per local node); so the local nodes of one word
/// of the rows (64 nodes) first gather their bits in a word per global index
/// (`acc`, a few KB), and each global row then gets one OR, and one summary
/// mark, per word it has bits in (the build's share of the wasmgen 10000
/// time: 12.3% -> 10.8%). As it reads every word of the local nodes' global
/// rows, it also counts them: degree[n] = global neighbours of local node n.
/// `touched` is scratch: a clear row of globalWords.
void transposeLocalRows(Interference &g, LiveRow &touched) {
  const auto ng = static_cast<uint32_t>(g.globals.size());
  const uint32_t gsw = g.globalSumWords, nw = g.nodeWords, nsw = g.nodeSumWords;
  std::vector<uint64_t> &acc = g.scratchAcc;
  acc.assign(ng, 0);
  for (uint32_t word = kVRegBase / 64; word < nw; ++word) {
    const uint32_t end = std::min(g.numNodes, (word + 1) * 64);
    for (uint32_t n = std::max(kVRegBase, word * 64); n < end; ++n) {
      if (g.isGlobal(n)) continue;
      const uint64_t bit = 1ull << (n & 63);
      const uint64_t *row = g.globalNeighbours(n);
      uint32_t degree = 0;
      forEachMarkedWord(g.globalNeighboursSum(n), gsw, [&](uint32_t w) {
        touched.orWord(w, row[w]);
        degree += popcount64(row[w]);
        for (uint64_t x = row[w]; x; x &= x - 1) acc[w * 64 + static_cast<uint32_t>(__builtin_ctzll(x))] |= bit;
      });
      g.degree[n] = degree;
    }
    // touched: the global indices acc has bits for.
    uint64_t *rows = g.globalRows.data() + word, *sums = g.globalRowSum.data() + (word >> 6);
    const uint64_t sumBit = 1ull << (word & 63);
    touched.forEach([&](uint32_t gi) {
      rows[size_t(gi) * nw] |= acc[gi];
      sums[size_t(gi) * nsw] |= sumBit;
      acc[gi] = 0;
    });
    touched.clear();
  }
}

/// Group undirected pairs into a deduplicated adjacency (CSR) over `nn` nodes.
/// `scratch` is for the storage only.
void groupPairs(const std::vector<std::pair<uint32_t, uint32_t>> &pairs, uint32_t nn,
                std::vector<uint32_t> &start, std::vector<uint32_t> &adj, std::vector<uint32_t> &scratch) {
  start.assign(nn + 1, 0);
  for (const auto &[u, v] : pairs) ++start[u + 1], ++start[v + 1];
  for (uint32_t i = 0; i < nn; ++i) start[i + 1] += start[i];
  adj.resize(start[nn]);
  std::vector<uint32_t> &fill = scratch;
  fill.assign(start.begin(), start.end() - 1);
  for (const auto &[u, v] : pairs) {
    adj[fill[u]++] = v;
    adj[fill[v]++] = u;
  }
  // Deduplicate each list in place (stamp = owner of the last sighting).
  std::vector<uint32_t> &stamp = scratch;
  stamp.assign(nn, kNoNode);
  uint32_t out = 0;
  for (uint32_t n = 0; n < nn; ++n) {
    const uint32_t b = start[n], e = start[n + 1];
    start[n] = out;
    for (uint32_t i = b; i < e; ++i)
      if (stamp[adj[i]] != n) {
        stamp[adj[i]] = n;
        adj[out++] = adj[i];
      }
  }
  start[nn] = out;
  adj.resize(out);
}

}  // namespace

void buildInterference(Interference &g, const FlatCode &code, const mir::Cfg &cfg, const GlobalLiveness &lv,
                       uint32_t nn) {
  auto pre = [](uint32_t n) { return Interference::precoloured(n); };
  g.numNodes = nn;
  g.globals.clear();
  g.globalOf.assign(nn, kNoNode);
  for (uint32_t n : lv.nodes)
    if (!pre(n)) {
      g.globalOf[n] = static_cast<uint32_t>(g.globals.size());
      g.globals.push_back(n);
    }
  const auto ng = static_cast<uint32_t>(g.globals.size());
  // No precoloured node is global (the usual case): the global indices are
  // the liveness's compact ones, and a block's live-out row is liveG as is.
  const bool sameIndices = ng == lv.nodes.size();
  const uint32_t nw = (nn + 63) / 64, gw = (ng + 63) / 64;
  // The rows are zero outside the words their summaries mark (clearMarked):
  // clear those of the last build, then size them for this one.
  clearMarked(g.globalRows, g.nodeWords, g.globalRowSum, g.nodeSumWords);
  clearMarked(g.localGlobal, g.globalWords, g.localGlobalSum, g.globalSumWords);
  g.nodeWords = nw;
  g.globalWords = gw;
  g.globalRows.resize(size_t(ng) * nw);
  g.localGlobal.resize(size_t(nn) * gw);
  g.preMask.assign(nn, 0);
  g.moves.clear();
  g.weight.assign(nn, 0.0);
  g.occurs.clear();
  g.occurs.resize(nn);
  g.nodeSumWords = summaryWords(nw);
  g.globalSumWords = summaryWords(gw);
  const uint32_t gsw = g.globalSumWords;
  g.globalRowSum.assign(size_t(ng) * g.nodeSumWords, 0);
  g.localGlobalSum.assign(size_t(nn) * gsw, 0);  // ORed as the rows are (LiveRow::orInto)

  // The global-global rows, with summaries of their own. The rows are left
  // zero by the last build (its closure below reads and clears the words
  // its summaries mark), so only growth is zeroed here.
  std::vector<uint64_t> &gg = g.scratchGG, &ggSum = g.scratchGGSum;
  ggSum.assign(size_t(ng) * gsw, 0);
  if (gg.size() < size_t(ng) * gw) gg.resize(size_t(ng) * gw);
  LiveRow liveG;  // live globals
  liveG.reset(gw);
  std::vector<std::pair<uint32_t, uint32_t>> &pairs = g.scratchPairs;  // local-local edges, with repeats
  pairs.clear();
  SparseSet liveL;                                             // live local vreg nodes
  liveL.reset(nn);
  uint32_t livePre = 0;                                        // live precoloured nodes
  uint32_t liveCount = 0;                                      // nodes live (all three kinds)
  g.maxLive = 0;
  auto insert = [&](uint32_t n) {
    if (pre(n)) {
      liveCount += !(livePre >> n & 1);
      livePre |= 1u << n;
    } else if (uint32_t gi = g.globalOf[n]; gi != kNoNode) {
      liveCount += !liveG.test(gi);
      liveG.set(gi);
    } else if (!liveL.contains(n)) {
      ++liveCount;
      liveL.insert(n);
    }
  };
  auto erase = [&](uint32_t n) {
    if (pre(n)) {
      liveCount -= livePre >> n & 1;
      livePre &= ~(1u << n);
    } else if (uint32_t gi = g.globalOf[n]; gi != kNoNode) {
      liveCount -= liveG.test(gi);
      liveG.erase(gi);
    } else if (liveL.contains(n)) {
      --liveCount;
      liveL.erase(n);
    }
  };
  static constexpr double kPow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

  const uint32_t nb = code.numBlocks();
  for (uint32_t b = 0; b < nb; ++b) {
    liveL.clear();
    livePre = 0;
    liveCount = 0;
    if (sameIndices) {
      liveCount = liveG.assign(lv.liveOut(b));
    } else {
      liveG.clear();
      lv.forEachIn(lv.liveOut(b), insert);
    }
    g.maxLive = std::max(g.maxLive, liveCount);
    const uint32_t depth = b < cfg.loopDepth.size() ? std::min(cfg.loopDepth[b], 8u) : 0;
    const double w = kPow10[depth];
    for (uint32_t i = code.blockStart[b + 1]; i-- > code.blockStart[b];) {
      const uint32_t *op = code.ops.data() + code.opStart[i];
      const uint32_t nd = code.numDefs[i], n = code.opStart[i + 1] - code.opStart[i];
      if (code.move[i]) {
        const uint32_t d = op[0], s = op[1];
        erase(s);
        if (d != s) g.moves.push_back({d, s, static_cast<float>(w)});
      }
      for (uint32_t k = 0; k < nd; ++k) insert(op[k]);
      uint32_t preDefs = 0;  // a call's clobbers: one pass over the live values for all of them
      for (uint32_t k = 0; k < nd; ++k) {
        const uint32_t d = op[k];
        g.occurs.set(d);
        g.weight[d] += w;
        if (pre(d)) {
          preDefs |= 1u << d;
        } else if (uint32_t gi = g.globalOf[d]; gi != kNoNode) {
          liveG.orInto(gg.data() + size_t(gi) * gw, ggSum.data() + size_t(gi) * gsw);
          g.preMask[d] |= livePre;
          for (uint32_t l : liveL.members()) {
            setBit(g.localGlobal.data() + size_t(l) * gw, gi);
            setBit(g.localGlobalSum.data() + size_t(l) * gsw, gi >> 6);
          }
        } else {
          liveG.orInto(g.localGlobal.data() + size_t(d) * gw, g.localGlobalSum.data() + size_t(d) * gsw);
          g.preMask[d] |= livePre;
          for (uint32_t l : liveL.members())
            if (l != d) pairs.push_back({d, l});
        }
      }
      if (preDefs) {
        for (uint32_t l : liveL.members()) g.preMask[l] |= preDefs;
        liveG.forEach([&](uint32_t gi) { g.preMask[g.globals[gi]] |= preDefs; });
      }
      for (uint32_t k = 0; k < nd; ++k) erase(op[k]);
      for (uint32_t k = nd; k < n; ++k) {
        insert(op[k]);
        g.occurs.set(op[k]);
        g.weight[op[k]] += w;
      }
      g.maxLive = std::max(g.maxLive, liveCount);  // live before instruction i
    }
  }

  // Rows of the global nodes: the symmetric closure of the global-global
  // rows plus the transpose of the local nodes' global rows, a bit per
  // edge (the rows are sparse: a 64 x 64 block transpose over every block
  // cost more than the edges themselves on large functions).
  auto link = [&](uint32_t gi, uint32_t n) {
    setBit(g.globalRows.data() + size_t(gi) * nw, n);
    setBit(g.globalRowSum.data() + size_t(gi) * g.nodeSumWords, n >> 6);
  };
  for (uint32_t i = 0; i < ng; ++i) {
    uint64_t *r = gg.data() + size_t(i) * gw;
    forEachMarkedWord(ggSum.data() + size_t(i) * gsw, gsw, [&](uint32_t w) {
      for (uint64_t x = r[w]; x; x &= x - 1) {
        const uint32_t j = w * 64 + static_cast<uint32_t>(__builtin_ctzll(x));
        if (j == i) continue;
        link(i, g.globals[j]);
        link(j, g.globals[i]);
      }
      r[w] = 0;  // left zero for the next build
    });
  }
  // (Without a global node there is no local-global edge, and no row to offset.)
  liveG.clear();
  g.degree.assign(nn, 0);  // transposeLocalRows counts the local nodes' global neighbours
  if (ng != 0) transposeLocalRows(g, liveG);
  groupPairs(pairs, nn, g.localStart, g.localAdj, g.scratchNodes);

  auto popcountMarked = [](const uint64_t *row, const uint64_t *sum, uint32_t sumWords) {
    uint32_t c = 0;
    forEachMarkedWord(sum, sumWords, [&](uint32_t w) { c += popcount64(row[w]); });
    return c;
  };
  for (uint32_t r = 0; r < kVRegBase && r < nn; ++r) g.degree[r] = UINT32_MAX / 2;
  for (uint32_t n = kVRegBase; n < nn; ++n) {
    uint32_t d = popcount32(g.preMask[n]);
    if (g.isGlobal(n)) {
      d += popcountMarked(g.row(n), g.rowSum(n), g.nodeSumWords);
    } else {
      d += g.degree[n] + g.localStart[n + 1] - g.localStart[n];
    }
    g.degree[n] = d;
  }

  // Moves per node, in the order of `moves` (CSR).
  g.moveStart.assign(nn + 1, 0);
  for (const GraphMove &m : g.moves) ++g.moveStart[m.dst + 1], ++g.moveStart[m.src + 1];
  for (uint32_t i = 0; i < nn; ++i) g.moveStart[i + 1] += g.moveStart[i];
  g.moveIdx.resize(g.moveStart[nn]);
  std::vector<uint32_t> &fill = g.scratchNodes;
  fill.assign(g.moveStart.begin(), g.moveStart.end() - 1);
  for (uint32_t mi = 0; mi < g.moves.size(); ++mi) {
    g.moveIdx[fill[g.moves[mi].dst]++] = mi;
    g.moveIdx[fill[g.moves[mi].src]++] = mi;
  }
}

}  // namespace vcr::alloc
