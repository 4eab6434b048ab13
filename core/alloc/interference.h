#pragma once
/// The interference graph: vregs plus precoloured physical registers, with
/// the move-related pairs kept for coalescing.

#include "core/alloc/liveness.h"
#include "core/alloc/nodes.h"
#include "core/ir/cfg.h"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace vcr::alloc {

/// A set of unordered node pairs: the adjacency "matrix" of the graph. A
/// triangular bit-matrix for graphs of up to kMatrixNodes nodes, or of up to
/// kDenseMatrixNodes nodes when about as many edges are expected as the
/// matrix has bytes / 16 (a hash set that full would be as big and much
/// slower); an open-addressing hash set otherwise.
class EdgeSet {
public:
  static constexpr uint32_t kMatrixNodes = 4096;
  static constexpr uint32_t kDenseMatrixNodes = 16384;
  /// For nodes below `numNodes`, with room for about `expected` edges.
  explicit EdgeSet(uint32_t numNodes = 0, size_t expected = 64);
  /// Empty the set and size it as the constructor does, keeping the
  /// storage of earlier use where it fits (no fresh pages per round).
  void reset(uint32_t numNodes, size_t expected);
  /// Insert {u, v}; true if it was new.
  bool insert(uint32_t u, uint32_t v) {
    if (u == v) return false;
    if (!matrix_.empty()) {
      uint64_t b = bit(u, v);
      uint64_t &w = matrix_[b >> 6], m = 1ull << (b & 63);
      if (w & m) return false;
      w |= m;
      ++size_;
      return true;
    }
    return hashInsert(u, v);
  }
  [[nodiscard]] bool contains(uint32_t u, uint32_t v) const {
    if (u == v) return false;
    if (!matrix_.empty()) {
      uint64_t b = bit(u, v);
      return matrix_[b >> 6] >> (b & 63) & 1;
    }
    return hashContains(u, v);
  }
  [[nodiscard]] size_t size() const { return size_; }

private:
  static uint64_t bit(uint32_t u, uint32_t v) {
    if (u < v) std::swap(u, v);  // u > v: row u of the lower triangle
    return uint64_t(u) * (u - 1) / 2 + v;
  }
  bool hashInsert(uint32_t u, uint32_t v);
  [[nodiscard]] bool hashContains(uint32_t u, uint32_t v) const;
  std::vector<uint64_t> matrix_;
  static uint64_t key(uint32_t u, uint32_t v) {
    return u < v ? (uint64_t(u) << 32 | v) : (uint64_t(v) << 32 | u);
  }
  [[nodiscard]] size_t slot(uint64_t k) const {
    return static_cast<size_t>((k * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void grow();
  std::vector<uint64_t> table_;
  size_t size_ = 0;
  unsigned shift_ = 58;
};

/// The adjacency lists of the graph as built: a Boost.Graph compressed
/// sparse row graph (each undirected edge stored in both directions; lists
/// of precoloured nodes are not kept). Edges added later by coalescing go
/// to Interference::extra.
using CsrGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                    boost::no_property, uint32_t, uint32_t>;

/// A move `dst <- src` between two nodes.
struct GraphMove {
  uint32_t dst = 0, src = 0;
};

/// The interference graph of one round.
struct Interference {
  /// An empty graph over `numNodes` nodes (built in place, never copied).
  explicit Interference(uint32_t numNodes);
  /// An empty graph over `numNodes` nodes reusing the edge-set and build
  /// storage of `previous` (an earlier round's graph).
  Interference(uint32_t numNodes, Interference &&previous);
  Interference(const Interference &) = delete;
  Interference &operator=(const Interference &) = delete;

  uint32_t numNodes = 0;
  std::optional<CsrGraph> base;                ///< adjacency as built
  std::vector<std::vector<uint32_t>> extra;    ///< per node: edges added after the build
  EdgeSet edges;
  std::vector<uint32_t> degree;                ///< precoloured: effectively infinite
  std::vector<GraphMove> moves;
  std::vector<std::vector<uint32_t>> moveList; ///< per node: indices into moves
  std::vector<double> weight;                  ///< per node: sum of 10^loopDepth per use/def
  std::vector<std::pair<uint32_t, uint32_t>> arcs;  ///< build scratch: directed arcs of the edges
  Bits occurs;                                 ///< per node: appears in the function

  [[nodiscard]] static bool precoloured(uint32_t n) { return n < kVRegBase; }
  [[nodiscard]] bool interferes(uint32_t u, uint32_t v) const { return edges.contains(u, v); }
  /// Add the interference edge {u, v} after the build (no-op if present,
  /// u == v or both precoloured); true if it was added.
  bool addEdge(uint32_t u, uint32_t v);
  /// Calls `stop(m)` for neighbours m of non-precoloured node n until it
  /// returns true; returns whether it did.
  template <class F> bool anyNeighbour(uint32_t n, F &&stop) const {
    for (auto [a, e] = boost::adjacent_vertices(n, *base); a != e; ++a)
      if (stop(static_cast<uint32_t>(*a))) return true;
    for (uint32_t m : extra[n])
      if (stop(m)) return true;
    return false;
  }
  /// Calls `fn(m)` for every neighbour m of non-precoloured node n.
  template <class F> void forEachNeighbour(uint32_t n, F &&fn) const {
    for (auto [a, e] = boost::adjacent_vertices(n, *base); a != e; ++a) fn(static_cast<uint32_t>(*a));
    for (uint32_t m : extra[n]) fn(m);
  }
};

/// A copy of the edges and moves of a graph, for the dot rendering.
struct GraphSnapshot {
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::vector<GraphMove> moves;
  Bits occurs;
};

/// Build the interference graph of working-form `f` (Chaitin/Appel: each def
/// interferes with everything live after it, except a move's source).
/// `g` must be fresh, over map.numNodes nodes.
void buildInterference(Interference &g, const mir::Function &f, const mir::Cfg &cfg,
                       const GlobalLiveness &lv, const NodeMap &map);

/// The edges and moves of `g` as they are now.
[[nodiscard]] GraphSnapshot snapshot(const Interference &g);

}  // namespace vcr::alloc
