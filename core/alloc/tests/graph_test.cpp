// The allocator's fast interference graph against a slow reference: the textbook edge set.
#include "core/alloc/bench/mir_gen.h"
#include "core/alloc/boost_graph.h"
#include "core/alloc/work.h"

#include <doctest/doctest.h>

#include <set>
#include <utility>

using namespace vcr;
using namespace vcr::alloc;

namespace {

std::vector<mir::Module> sampleModules() {
  std::vector<mir::Module> out;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    gen::MirGenOptions o;
    o.seed = seed;
    o.size = 20 + 15 * static_cast<unsigned>(seed);
    o.pressure = 4 + static_cast<unsigned>(seed % 6);
    out.push_back(gen::generateModule(o));
  }
  return out;
}

/// Interference edges by the textbook rule, from full per-node live sets.
std::set<std::pair<uint32_t, uint32_t>> referenceEdges(const mir::Function &f, const NodeMap &map) {
  const mir::Cfg cfg = mir::Cfg::build(f);
  const Liveness lv = Liveness::computeNodes(f, cfg, map);
  std::set<std::pair<uint32_t, uint32_t>> edges;
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    Bits live = lv.liveOut[b];
    const auto &is = f.blocks[b].instrs;
    for (auto it = is.rbegin(); it != is.rend(); ++it) {
      if (isNodeMove(*it, map)) live.reset(map.node(it->uses[0]));
      std::vector<uint32_t> defs;
      map.forEachDef(*it, [&](uint32_t n) { defs.push_back(n); });
      for (uint32_t d : defs) live.set(d);
      for (uint32_t d : defs)
        for (size_t l = live.find_first(); l != Bits::npos; l = live.find_next(l)) {
          auto u = static_cast<uint32_t>(l);
          if (u == d || (Interference::precoloured(u) && Interference::precoloured(d))) continue;
          edges.insert({std::min(u, d), std::max(u, d)});
        }
      for (uint32_t d : defs) live.reset(d);
      map.forEachUse(*it, [&](uint32_t n) { live.set(n); });
    }
  }
  return edges;
}

}  // namespace

TEST_CASE("interference graph: bit rows and lists equal the textbook edge set") {
  const arm::Pool pool;
  size_t checkedEdges = 0;
  for (const mir::Module &m : sampleModules())
    for (const mir::Function &f : m.functions) {
      WorkFunction w;
      std::string error;
      REQUIRE_MESSAGE(lowerAbi(f, m, w, error), error);
      const NodeMap map = NodeMap::workingForm(w.numVRegs, pool.regs);
      const mir::Cfg cfg = mir::Cfg::build(w.fn);
      FlatCode code;
      code.build(w.fn, map);
      GlobalLiveness lv;
      lv.compute(code, cfg, map.numNodes);
      Interference g;
      buildInterference(g, code, cfg, lv, map.numNodes);

      const auto ref = referenceEdges(w.fn, map);
      CHECK(g.numEdges() == ref.size());
      std::vector<uint32_t> degree(map.numNodes, 0);
      for (const auto &[u, v] : ref) {
        CHECK(g.interferes(u, v));
        CHECK(g.interferes(v, u));
        ++degree[u];
        ++degree[v];
      }
      for (uint32_t n = kVRegBase; n < map.numNodes; ++n) {
        CHECK(g.degree[n] == degree[n]);
        g.forEachNeighbour(n, [&](uint32_t a) { CHECK(ref.count({std::min(a, n), std::max(a, n)}) == 1); });
      }
      // The Boost.Graph view holds each edge in both directions.
      const CsrGraph csr = boostGraph(g);
      CHECK(boost::num_vertices(csr) == map.numNodes);
      CHECK(boost::num_edges(csr) == 2 * ref.size());
      for (auto [e, end] = boost::edges(csr); e != end; ++e) {
        auto u = static_cast<uint32_t>(boost::source(*e, csr)), v = static_cast<uint32_t>(boost::target(*e, csr));
        CHECK(ref.count({std::min(u, v), std::max(u, v)}) == 1);
      }
      checkedEdges += ref.size();
    }
  MESSAGE(checkedEdges << " edges checked");
  CHECK(checkedEdges > 1000);
}

TEST_CASE("popcount64 and popcount32 count the set bits of any word") {
  auto slow = [](uint64_t x) {
    uint32_t n = 0;
    for (; x; x >>= 1) n += static_cast<uint32_t>(x & 1);
    return n;
  };
  CHECK(popcount64(0) == 0);
  CHECK(popcount64(~0ull) == 64);
  CHECK(popcount64(1ull << 63) == 1);
  CHECK(popcount32(0xffffffffu) == 32);
  uint64_t x = 0x9e3779b97f4a7c15ull;  // splitmix-style walk over words
  for (int i = 0; i < 10000; ++i) {
    x += 0x9e3779b97f4a7c15ull;
    uint64_t z = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    const uint64_t w = i % 3 == 0 ? z & (z >> 7) : (i % 3 == 1 ? z | (z << 5) : z);  // sparse, dense, even
    REQUIRE(popcount64(w) == slow(w));
    REQUIRE(popcount32(static_cast<uint32_t>(w)) == slow(static_cast<uint32_t>(w)));
  }
}
