// The vcr-ra allocator driver: ABI lowering, then build/colour/spill rounds until the graph colours.
#include "core/alloc/work.h"

#include <chrono>

namespace vcr::alloc {

namespace {

/// Rounds before giving up; spill temps are never spilled again, so real
/// functions colour within a few rounds and this only stops a bug.
constexpr unsigned kMaxRounds = 64;

unsigned countOps(const mir::Function &f, mir::Opcode op, mir::Origin origin, bool anyOrigin) {
  unsigned n = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs)
      if (i.op == op && (anyOrigin || i.origin == origin)) ++n;
  return n;
}

class GraphColouring final : public Allocator {
public:
  std::string_view name() const override { return "irc"; }

  AllocResult allocate(const mir::Function &f, const mir::Module &m, const AllocOptions &opt) override {
    auto start = std::chrono::steady_clock::now();
    AllocResult r = run(f, m, opt);
    r.stats.timeUs = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
    if (!r.ok) r.error = "function '" + f.name + "': " + r.error;
    return r;
  }

private:
  /// Edge-set and build storage kept from round to round and from call to
  /// call: the big buffers are not given back to the system and faulted in
  /// again for every round (that churn used to dominate large functions).
  Interference scratch_{0};

  AllocResult run(const mir::Function &f, const mir::Module &m, const AllocOptions &opt) {
    AllocResult r;
    WorkFunction w;
    if (!lowerAbi(f, m, w, r.error)) return r;
    r.stats.movesBefore = countOps(w.fn, mir::Opcode::Mov, mir::Origin::Original, true);
    const mir::Cfg cfg = mir::Cfg::build(w.fn);  // spilling never changes the blocks

    Colouring colours;
    GraphSnapshot first;
    bool coloured = false;
    while (!coloured && r.stats.rounds < kMaxRounds) {
      ++r.stats.rounds;
      NodeMap map = NodeMap::workingForm(w.numVRegs, opt.pool.regs);
      GlobalLiveness live = GlobalLiveness::compute(w.fn, cfg, map);
      Interference graph(map.numNodes, std::move(scratch_));
      buildInterference(graph, w.fn, cfg, live, map);
      if (opt.wantDot && r.stats.rounds == 1) first = snapshot(graph);
      colours = colourGraph(graph, w, opt.pool);
      coloured = colours.spilled.empty();
      if (!coloured) spillNodes(w, colours.spilled, r.stats);
      scratch_.edges = std::move(graph.edges);
      scratch_.arcs = std::move(graph.arcs);
    }
    if (!coloured) {
      r.error = "internal: no colouring after " + std::to_string(kMaxRounds) + " rounds";
      return r;
    }
    if (!rewriteColours(w, colours, r.function, r.error)) return r;
    layoutFrame(r.function, w, r.stats);

    r.stats.movesAfter = countOps(r.function, mir::Opcode::Mov, mir::Origin::Original, true);
    for (const auto &b : r.function.blocks)
      for (const auto &i : b.instrs) r.stats.movesAfter -= isSelfMove(i);
    r.stats.spillStores = countOps(r.function, mir::Opcode::Sts, mir::Origin::Spill, false);
    r.stats.reloads = countOps(r.function, mir::Opcode::Lds, mir::Origin::Reload, false);
    r.stats.remats = countOps(r.function, mir::Opcode::MovI, mir::Origin::Remat, false);
    if (opt.wantDot) r.dot = renderDot(f.name, first, colours, w);
    r.ok = true;
    return r;
  }
};

}  // namespace

std::unique_ptr<Allocator> makeGraphColouring() { return std::make_unique<GraphColouring>(); }

ModuleAllocation allocateModule(Allocator &a, const mir::Module &m, const AllocOptions &opt) {
  ModuleAllocation out;
  out.module.memoryPages = m.memoryPages;
  out.module.globals = m.globals;
  out.module.imports = m.imports;
  for (const mir::Function &f : m.functions) {
    AllocResult r = a.allocate(f, m, opt);
    out.module.functions.push_back(r.ok ? r.function : f);
    out.results.push_back(std::move(r));
  }
  return out;
}

}  // namespace vcr::alloc
