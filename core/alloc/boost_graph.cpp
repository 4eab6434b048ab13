// The Boost.Graph view of the interference graph, and the snapshot the DOT rendering draws from it.
#include "core/alloc/boost_graph.h"

#include <vector>

namespace vcr::alloc {

CsrGraph boostGraph(const Interference &g) {
  std::vector<uint32_t> src, dst;
  for (uint32_t n = kVRegBase; n < g.numNodes; ++n)
    g.forEachNeighbour(n, [&](uint32_t m) {
      src.push_back(n);
      dst.push_back(m);
      if (Interference::precoloured(m)) {  // precoloured nodes keep no lists of their own
        src.push_back(m);
        dst.push_back(n);
      }
    });
  return CsrGraph(boost::construct_inplace_from_sources_and_targets, src, dst, g.numNodes);
}

GraphSnapshot snapshot(const Interference &g) {
  GraphSnapshot s;
  s.moves = g.moves;
  s.occurs = g.occurs;
  const CsrGraph csr = boostGraph(g);
  for (uint32_t u = kVRegBase; u < g.numNodes; ++u)
    for (auto [a, e] = boost::adjacent_vertices(u, csr); a != e; ++a)
      if (u < *a || Interference::precoloured(*a)) s.edges.push_back({u, static_cast<uint32_t>(*a)});
  return s;
}

}  // namespace vcr::alloc
