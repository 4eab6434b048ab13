// The allocator's fast interference graph against a slow reference: the textbook edge set.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/bench/mir_gen.h"
#include "core/alloc/boost_graph.h"
#include "core/alloc/work.h"
#include "corpus/gen/wasmgen.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <utility>

using namespace vcr;
using namespace vcr::alloc;

namespace {

std::vector<mir::Module> sampleModules() {
  std::vector<mir::Module> out;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    alloc::gen::MirGenOptions o;
    o.seed = seed;
    o.size = 20 + 15 * static_cast<unsigned>(seed);
    o.pressure = 4 + static_cast<unsigned>(seed % 6);
    out.push_back(alloc::gen::generateModule(o));
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

/// A function lowered to the working form and its core-class interference
/// graph over `pool`, as one allocation round builds them.
struct CoreGraph {
  WorkFunction w;
  NodeMap map;
  Interference g;
};
CoreGraph coreGraph(const mir::Function &f, const mir::Module &m, const arm::Pool &pool) {
  CoreGraph out;
  std::string error;
  REQUIRE_MESSAGE(lowerAbi(f, m, out.w, error), error);
  out.map = NodeMap::workingForm(out.w.numVRegs, pool.regs);
  const mir::Cfg cfg = mir::Cfg::build(out.w.fn);
  FlatCode code;
  code.build(out.w.fn, out.map);
  GlobalLiveness lv;
  lv.compute(code, cfg, out.map.numNodes);
  buildInterference(out.g, code, cfg, lv, out.map.numNodes);
  return out;
}

}  // namespace

TEST_CASE("interference graph: bit rows and lists equal the textbook edge set") {
  const arm::Pool pool;
  size_t checkedEdges = 0;
  for (const mir::Module &m : sampleModules())
    for (const mir::Function &f : m.functions) {
      CoreGraph cg = coreGraph(f, m, pool);
      const WorkFunction &w = cg.w;
      const NodeMap &map = cg.map;
      const Interference &g = cg.g;

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

TEST_CASE("a VFP class's graph in the compact numbering over the sparse flat code is the full one renamed") {
  // allocate.cpp colours a VFP class first in WorkFunction::vregNode's
  // numbering over the instructions with a node of the class; the claim
  // is that liveness and graph are those of the full numbering over every
  // instruction, node for node, and so is IRC's colouring (by the order):
  // a compact colouring that spills is carried over to the full numbering
  // for the spill repair, not made again.
  const arm::Pool pool;
  size_t classNodes = 0, edges = 0, colourings = 0, spills = 0;
  for (uint64_t seed = 1; seed <= 16; ++seed) {
    alloc::gen::MirGenOptions o;
    o.seed = seed;
    o.size = 30 + 12 * static_cast<unsigned>(seed);
    o.floatShare = 25 + static_cast<unsigned>(seed % 3) * 10;
    o.floatPressure = static_cast<unsigned>(seed % 8);
    const mir::Module m = alloc::gen::generateModule(o);
    for (const mir::Function &f : m.functions) {
      WorkFunction w;
      std::string error;
      REQUIRE_MESSAGE(lowerAbi(f, m, w, error), error);
      const mir::Cfg cfg = mir::Cfg::build(w.fn);
      for (mir::RegClass cls : {mir::RegClass::F64, mir::RegClass::F32}) {
        CAPTURE(seed);
        CAPTURE(f.name);
        w.numberClass(cls);  // the allocator's own numbering routine
        const std::vector<uint32_t> nodeVReg = w.nodeVReg;  // (a copy: numberAll below clears it)
        // The numbering's contract: the class's vregs, each once, in vreg order.
        for (size_t k = 0; k < nodeVReg.size(); ++k) {
          CHECK(w.classOf(nodeVReg[k]) == cls);
          CHECK(w.nodeOfVReg(nodeVReg[k]) == kVRegBase + k);
          CHECK(w.vregOfNode(kVRegBase + static_cast<uint32_t>(k)) == nodeVReg[k]);
          if (k > 0) CHECK(nodeVReg[k - 1] < nodeVReg[k]);
        }
        size_t ofClass = 0;
        for (uint32_t v = 0; v < w.numVRegs; ++v) ofClass += w.classOf(v) == cls;
        CHECK(nodeVReg.size() == ofClass);
        const NodeMap full = NodeMap::classForm(w.numVRegs, cls, pool.regs, &w.vclass);
        const NodeMap compact = NodeMap::classForm(w.numVRegs, cls, pool.regs, &w.vclass, &w.vregNode,
                                                   static_cast<uint32_t>(nodeVReg.size()));
        CHECK(compact.numNodes == kVRegBase + nodeVReg.size());
        FlatCode dense, sparse;
        dense.build(w.fn, full);
        sparse.build(w.fn, compact, true);
        CHECK(sparse.numDefs.size() <= dense.numDefs.size());
        GlobalLiveness ld, ls;
        ld.compute(dense, cfg, full.numNodes);
        ls.compute(sparse, cfg, compact.numNodes);
        auto toFull = [&](uint32_t n) { return n < kVRegBase ? n : kVRegBase + nodeVReg[n - kVRegBase]; };
        REQUIRE(ls.nodes.size() == ld.nodes.size());
        for (size_t k = 0; k < ls.nodes.size(); ++k) CHECK(toFull(ls.nodes[k]) == ld.nodes[k]);
        CHECK(ls.in == ld.in);
        CHECK(ls.out == ld.out);
        Interference gd, gs;
        buildInterference(gd, dense, cfg, ld, full.numNodes);
        buildInterference(gs, sparse, cfg, ls, compact.numNodes);
        CHECK(gs.maxLive == gd.maxLive);
        REQUIRE(gs.moves.size() == gd.moves.size());
        for (size_t k = 0; k < gs.moves.size(); ++k) {
          CHECK(toFull(gs.moves[k].dst) == gd.moves[k].dst);
          CHECK(toFull(gs.moves[k].src) == gd.moves[k].src);
          CHECK(gs.moves[k].weight == gd.moves[k].weight);
        }
        for (uint32_t n = kVRegBase; n < compact.numNodes; ++n) {
          const uint32_t fn = toFull(n);
          CHECK(gs.occurs.test(n) == gd.occurs.test(fn));
          CHECK(gs.degree[n] == gd.degree[fn]);
          CHECK(gs.preMask[n] == gd.preMask[fn]);
          CHECK(gs.weight[n] == gd.weight[fn]);
          std::vector<uint32_t> a, b;
          gs.forEachNeighbour(n, [&](uint32_t x) { a.push_back(toFull(x)); });
          gd.forEachNeighbour(fn, [&](uint32_t x) { b.push_back(x); });
          std::sort(a.begin(), a.end());
          std::sort(b.begin(), b.end());
          CHECK(a == b);
          edges += a.size();
        }
        // Nodes of other classes are absent from the full graph: nothing is lost.
        for (uint32_t v = 0; v < w.numVRegs; ++v)
          if (w.nodeOfVReg(v) == kNoNode) CHECK_FALSE(gd.occurs.test(kVRegBase + v));
        classNodes += nodeVReg.size();
        // IRC on both, as a round runs it (after the spill-cost discount),
        // with the class's whole file and with eight registers of it (which
        // makes values spill); each in the numbering its graph has.
        discountCheapSpills(gs, w, cfg, sparse);
        w.numberAll();
        discountCheapSpills(gd, w, cfg, dense);
        for (const PRegMask keep : {0xffffffffu, 0x000000ffu}) {
          ClassRegs cr = ClassRegs::vfp(cls);
          cr.pool &= keep, cr.caller &= cr.pool, cr.callee &= cr.pool;
          w.numberClass(cls);
          const Colouring cs = colourGraph(gs, w, cr);
          w.numberAll();
          const Colouring cd = colourGraph(gd, w, cr);
          for (uint32_t n = 0; n < compact.numNodes; ++n) CHECK(cs.colour[n] == cd.colour[toFull(n)]);
          REQUIRE(cs.spilled.size() == cd.spilled.size());
          for (size_t k = 0; k < cs.spilled.size(); ++k) CHECK(toFull(cs.spilled[k]) == cd.spilled[k]);
          ++colourings;
          spills += cs.spilled.size();
        }
      }
    }
  }
  MESSAGE(classNodes << " VFP class nodes, " << edges << " neighbours compared, " << colourings << " colourings, "
                     << spills << " spills");
  CHECK(classNodes > 500);
  CHECK(edges > 1000);
  CHECK(spills > 100);  // the carried-over case, not only colourings without a spill
}

TEST_CASE("IRC leaves the graph's bit rows as built (merges extend them only while it runs)") {
  // Coalescing sets bits in the graph's own rows and clears them again at
  // the end (irc.cpp): the spill repair and the hint recolouring read the
  // rows after it. A pool of 5 registers makes the functions coalesce
  // through high-degree nodes and spill as well as a full pool does not.
  // wasmgen modules through selection (as alloc_bench's wasm row): merges
  // rarely add an edge a row lacks (none in most functions; IRC reports
  // how many), so enough functions are taken for some to.
  std::vector<mir::Module> modules;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    vcr::gen::GenOptions o;
    o.seed = 5000 + seed;
    o.size = 100 + 20 * static_cast<unsigned>(seed);
    o.pressure = 6;
    o.helpers = 2;
    Diagnostics diags;
    auto bin = select::watToWasm(vcr::gen::generateWat(o), "graph.wat", diags);
    REQUIRE(bin.has_value());
    auto sel = select::selectModule(*bin, diags);
    REQUIRE(sel.has_value());
    modules.push_back(std::move(sel->module));
  }
  size_t merged = 0, added = 0;
  for (const arm::Pool &pool : {arm::Pool{}, arm::Pool{arm::RegSet::range(arm::PReg::R0, arm::PReg::R4)}})
    for (const mir::Module &m : modules)
      for (const mir::Function &f : m.functions) {
        CoreGraph cg = coreGraph(f, m, pool);
        Interference &g = cg.g;
        const WorkFunction &w = cg.w;
        const Interference built = g;
        const Colouring c = colourGraph(g, w, ClassRegs::core(pool));
        added += c.rowBitsAdded;
        CHECK(g.globalRows == built.globalRows);
        CHECK(g.globalRowSum == built.globalRowSum);
        CHECK(g.localGlobal == built.localGlobal);
        CHECK(g.localGlobalSum == built.localGlobalSum);
        // Moves whose two ends got one colour without interfering: merged.
        for (const GraphMove &mv : g.moves)
          merged += mv.dst >= kVRegBase && mv.src >= kVRegBase && c.colour[mv.dst] >= 0 &&
                    c.colour[mv.dst] == c.colour[mv.src];
      }
  MESSAGE(merged << " moves coalesced or coloured alike, " << added << " row bits added by merges");
  CHECK(merged > 100);
  CHECK(added > 0);  // else the comparisons above could not fail
}
