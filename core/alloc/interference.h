#pragma once
/// The interference graph: vregs plus precoloured physical registers, with
/// the move-related pairs kept for coalescing.
///
/// Storage is split by the kind of node, because nearly all edges (over 90%
/// in large functions) touch one of the few "global" nodes, the values live
/// across a block boundary (GlobalLiveness::nodes):
///  - a global node has a bit row over all nodes (its neighbours);
///  - a block-local node has a bit row over the global indices (its global
///    neighbours) and a deduplicated adjacency list of local neighbours;
///  - precoloured neighbours of any node are a register mask.
/// The build ORs whole live sets into rows instead of inserting pairs one by
/// one, so duplicates cost nothing and no hash set is needed. The same graph
/// as a Boost.Graph compressed sparse row graph is `boostGraph()`
/// (boost_graph.h, kept out of this header: Boost.Graph's headers tripled
/// the compile time of every allocator file); the DOT view reads that form.

#include "core/alloc/liveness.h"
#include "core/alloc/nodes.h"
#include "core/ir/cfg.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace vcr::alloc {

/// A move `dst <- src` between two nodes.
struct GraphMove {
  uint32_t dst = 0, src = 0;
  float weight = 1;  ///< 10^loopDepth of the move's block
};

/// Bit helpers over rows of 64-bit words.
inline bool testBit(const uint64_t *row, uint32_t i) { return row[i >> 6] >> (i & 63) & 1; }
inline void setBit(uint64_t *row, uint32_t i) { row[i >> 6] |= 1ull << (i & 63); }
/// Calls fn(i) for each set bit i of a row of `words` words.
template <class F> void forEachBit(const uint64_t *row, uint32_t words, F &&fn) {
  for (uint32_t w = 0; w < words; ++w)
    for (uint64_t x = row[w]; x; x &= x - 1) fn(w * 64 + static_cast<uint32_t>(__builtin_ctzll(x)));
}

/// Sparse rows: a row's summary has bit k set when word k of the row may be
/// non-zero (a superset: bits cleared later leave the mark). Rows over all
/// nodes are long (a word per 64 vregs) but hold a handful of non-zero
/// words, since a value meets the values defined near it: scans that
/// visit the marked words only do not grow with the function.
[[nodiscard]] inline uint32_t summaryWords(uint32_t words) { return (words + 63) / 64; }
/// Calls fn(w) for each word index w the summary marks.
template <class F> void forEachMarkedWord(const uint64_t *sum, uint32_t sumWords, F &&fn) {
  for (uint32_t s = 0; s < sumWords; ++s)
    for (uint64_t x = sum[s]; x; x &= x - 1) fn(s * 64 + static_cast<uint32_t>(__builtin_ctzll(x)));
}
/// Calls fn(i) for each set bit i of a row whose non-zero words `sum` marks.
template <class F> void forEachBitMarked(const uint64_t *row, const uint64_t *sum, uint32_t sumWords, F &&fn) {
  forEachMarkedWord(sum, sumWords, [&](uint32_t w) {
    for (uint64_t x = row[w]; x; x &= x - 1) fn(w * 64 + static_cast<uint32_t>(__builtin_ctzll(x)));
  });
}

/// Rows kept zero between uses, so that a new use neither clears nor
/// copies whole arrays (megabytes on large functions, nearly all zero):
/// `clearMarked` zeroes the words the summaries mark (all that can be
/// non-zero), `copyMarked` copies only those words into zeroed rows.
inline void clearMarked(std::vector<uint64_t> &rows, uint32_t words, const std::vector<uint64_t> &sums,
                        uint32_t sumWords) {
  if (sumWords == 0) return;
  const size_t n = std::min(sums.size() / sumWords, words ? rows.size() / words : 0);
  for (size_t r = 0; r < n; ++r)
    forEachMarkedWord(sums.data() + r * sumWords, sumWords, [&](uint32_t w) { rows[r * words + w] = 0; });
}
inline void copyMarked(std::vector<uint64_t> &to, const std::vector<uint64_t> &from, uint32_t words,
                       const std::vector<uint64_t> &sums, uint32_t sumWords) {
  to.resize(from.size());
  if (sumWords == 0) return;
  const size_t n = std::min(sums.size() / sumWords, words ? from.size() / words : 0);
  for (size_t r = 0; r < n; ++r)
    forEachMarkedWord(sums.data() + r * sumWords, sumWords,
                      [&](uint32_t w) { to[r * words + w] = from[r * words + w]; });
}

/// The interference graph of one round (see the file comment for the layout).
struct Interference {
  uint32_t numNodes = 0;
  std::vector<uint32_t> globals;   ///< global index -> node (from the liveness)
  std::vector<uint32_t> globalOf;  ///< node -> global index, or kNoNode
  uint32_t nodeWords = 0;          ///< words of a row over all nodes
  uint32_t globalWords = 0;        ///< words of a row over the global indices
  std::vector<uint64_t> globalRows;   ///< per global index: neighbours (nodeWords words)
  std::vector<uint64_t> localGlobal;  ///< per node: global neighbours of a local node (globalWords words)
  uint32_t nodeSumWords = 0;          ///< words of a summary of a row over all nodes (summaryWords)
  uint32_t globalSumWords = 0;        ///< words of a summary of a row over the global indices
  std::vector<uint64_t> globalRowSum;    ///< per global index: summary of its row (nodeSumWords words)
  std::vector<uint64_t> localGlobalSum;  ///< per node: summary of its localGlobal row (globalSumWords words)
  std::vector<uint32_t> preMask;      ///< per node: precoloured neighbours (bit r = register r)
  std::vector<uint32_t> localStart, localAdj;  ///< local-local adjacency (CSR, per node)
  std::vector<uint32_t> degree;       ///< neighbours; precoloured: effectively infinite
  std::vector<GraphMove> moves;
  std::vector<uint32_t> moveStart, moveIdx;  ///< per node: indices into moves (CSR)
  std::vector<double> weight;                ///< per node: sum of 10^loopDepth per use/def
  Bits occurs;                               ///< per node: appears in the function
  /// The most nodes live at once (before an instruction or at a block's
  /// end; registers of the pool included): the pressure the code puts on
  /// this class, where a call's clobbers count only where they are live.
  uint32_t maxLive = 0;
  /// Build scratch, kept for the storage: the global-global rows. They are
  /// all zero between builds (buildInterference clears the words it set
  /// as it reads them), so a build zeroes only their growth.
  std::vector<uint64_t> scratchGG;
  /// More build scratch, kept for the storage only (a build assigns what
  /// it uses): allocating them anew in every build cost 2% of the build's
  /// instructions on small functions (alloc_bench float 100).
  std::vector<uint64_t> scratchGGSum, scratchAcc;            // summaries of scratchGG; transpose words
  std::vector<std::pair<uint32_t, uint32_t>> scratchPairs;  // local-local edges, with repeats
  std::vector<uint32_t> scratchNodes;                        // per node: CSR fill positions, stamps

  [[nodiscard]] static bool precoloured(uint32_t n) { return n < kVRegBase; }
  [[nodiscard]] bool isGlobal(uint32_t n) const { return globalOf[n] != kNoNode; }
  [[nodiscard]] const uint64_t *row(uint32_t n) const {
    return globalRows.data() + size_t(globalOf[n]) * nodeWords;
  }
  [[nodiscard]] const uint64_t *globalNeighbours(uint32_t n) const {
    return localGlobal.data() + size_t(n) * globalWords;
  }
  [[nodiscard]] const uint64_t *rowSum(uint32_t n) const {
    return globalRowSum.data() + size_t(globalOf[n]) * nodeSumWords;
  }
  [[nodiscard]] const uint64_t *globalNeighboursSum(uint32_t n) const {
    return localGlobalSum.data() + size_t(n) * globalSumWords;
  }
  /// Whether u and v interfere (false for two precoloured nodes).
  [[nodiscard]] bool interferes(uint32_t u, uint32_t v) const;
  /// Calls `fn(m)` for every neighbour m of non-precoloured node n.
  template <class F> void forEachNeighbour(uint32_t n, F &&fn) const {
    for (uint32_t r = preMask[n]; r; r &= r - 1) fn(static_cast<uint32_t>(__builtin_ctz(r)));
    if (isGlobal(n)) {
      forEachBitMarked(row(n), rowSum(n), nodeSumWords, fn);
      return;
    }
    forEachBitMarked(globalNeighbours(n), globalNeighboursSum(n), globalSumWords,
                     [&](uint32_t i) { fn(globals[i]); });
    for (uint32_t i = localStart[n]; i < localStart[n + 1]; ++i) fn(localAdj[i]);
  }
  /// The moves of node n.
  template <class F> void forEachMove(uint32_t n, F &&fn) const {
    for (uint32_t i = moveStart[n]; i < moveStart[n + 1]; ++i) fn(moveIdx[i]);
  }
  /// Number of (undirected) edges.
  [[nodiscard]] size_t numEdges() const;
};

/// A copy of the edges and moves of a graph, for the dot rendering.
struct GraphSnapshot {
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::vector<GraphMove> moves;
  Bits occurs;
};

/// Build the interference graph of the working form `code` (Chaitin/Appel:
/// each def interferes with everything live after it, except a move's
/// source) into `g`, reusing its storage. `lv` is the liveness of `code`.
void buildInterference(Interference &g, const FlatCode &code, const mir::Cfg &cfg, const GlobalLiveness &lv,
                       uint32_t numNodes);

/// The edges (from the Boost.Graph form) and moves of `g`.
[[nodiscard]] GraphSnapshot snapshot(const Interference &g);

}  // namespace vcr::alloc
