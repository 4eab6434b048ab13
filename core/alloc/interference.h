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

/// The number of set bits in a row of `words` words. Built twice, for
/// CPUs with and without the POPCNT instruction, and picked at load time:
/// the portable build otherwise calls libgcc for every word.
[[nodiscard]] uint32_t popcountWords(const uint64_t *row, uint32_t words);

/// Transpose the 64x64 bit block `b` in place (b[r] bit c = row r, column c).
inline void transpose64(uint64_t b[64]) {
  uint64_t m = 0x00000000FFFFFFFFull;
  for (unsigned j = 32; j != 0; j >>= 1, m ^= m << j)
    for (unsigned k = 0; k < 64; k = (k + j + 1) & ~j) {
      uint64_t t = ((b[k] >> j) ^ b[k + j]) & m;
      b[k] ^= t << j;
      b[k + j] ^= t;
    }
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
  std::vector<uint32_t> preMask;      ///< per node: precoloured neighbours (bit r = register r)
  std::vector<uint32_t> localStart, localAdj;  ///< local-local adjacency (CSR, per node)
  std::vector<uint32_t> degree;       ///< neighbours; precoloured: effectively infinite
  std::vector<GraphMove> moves;
  std::vector<uint32_t> moveStart, moveIdx;  ///< per node: indices into moves (CSR)
  std::vector<double> weight;                ///< per node: sum of 10^loopDepth per use/def
  Bits occurs;                               ///< per node: appears in the function

  [[nodiscard]] static bool precoloured(uint32_t n) { return n < kVRegBase; }
  [[nodiscard]] bool isGlobal(uint32_t n) const { return globalOf[n] != kNoNode; }
  [[nodiscard]] const uint64_t *row(uint32_t n) const {
    return globalRows.data() + size_t(globalOf[n]) * nodeWords;
  }
  [[nodiscard]] const uint64_t *globalNeighbours(uint32_t n) const {
    return localGlobal.data() + size_t(n) * globalWords;
  }
  /// Whether u and v interfere (false for two precoloured nodes).
  [[nodiscard]] bool interferes(uint32_t u, uint32_t v) const;
  /// Calls `fn(m)` for every neighbour m of non-precoloured node n.
  template <class F> void forEachNeighbour(uint32_t n, F &&fn) const {
    for (uint32_t r = preMask[n]; r; r &= r - 1) fn(static_cast<uint32_t>(__builtin_ctz(r)));
    if (isGlobal(n)) {
      forEachBit(row(n), nodeWords, fn);
      return;
    }
    forEachBit(globalNeighbours(n), globalWords, [&](uint32_t i) { fn(globals[i]); });
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
