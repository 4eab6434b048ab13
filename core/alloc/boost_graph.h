#pragma once
/// The interference graph as a Boost.Graph graph. A header of its own: the
/// Boost.Graph headers are heavy, and only the DOT view and the tests need
/// them, not every allocator file that includes interference.h.

#include "core/alloc/interference.h"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>

namespace vcr::alloc {

/// A compressed sparse row graph: each undirected edge stored in both
/// directions, precoloured nodes with their vreg neighbours too.
using CsrGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                    boost::no_property, uint32_t, uint32_t>;

/// `g` as a Boost.Graph CSR graph.
[[nodiscard]] CsrGraph boostGraph(const Interference &g);

}  // namespace vcr::alloc
