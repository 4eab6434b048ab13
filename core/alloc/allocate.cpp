// The vcr-ra allocator driver: ABI lowering, one build/colour round, then colour repair around the spills.
#include "core/alloc/work.h"

#include <chrono>

namespace vcr::alloc {

namespace {

/// Full rounds before giving up. A round builds the graph and colours it
/// by IRC; when values spill, repairColouring keeps every colour and only
/// colours the spill temps, so a second full round happens only when a
/// temp finds no free colour even by splitting a value around it. Spill
/// temps are never spilled again: this only stops a bug.
constexpr unsigned kMaxRounds = 64;

/// Adds the time since the last lap to a phase.
class PhaseClock {
public:
  void lap(double &phase) {
    auto now = std::chrono::steady_clock::now();
    phase += std::chrono::duration<double, std::micro>(now - last_).count();
    last_ = now;
  }

private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

unsigned countMoves(const mir::Function &f) {
  unsigned n = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) n += i.op == mir::Opcode::Mov;
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
  /// Storage kept from round to round and from call to call: the big
  /// buffers are not given back to the system and faulted in again for
  /// every round.
  WorkFunction work_;
  FrameScan scan_;
  FlatCode code_;
  GlobalLiveness live_;
  Interference graph_;
  mir::Cfg cfg_;

  AllocResult run(const mir::Function &f, const mir::Module &m, const AllocOptions &opt) {
    AllocResult r;
    PhaseTimes &t = r.stats.phases;
    PhaseClock clock;
    WorkFunction &w = work_;
    if (!lowerAbi(f, m, w, r.error)) return r;
    r.stats.movesBefore = countMoves(w.fn);
    cfg_.rebuild(w.fn);  // spilling never changes the blocks
    splitAtCalls(w, cfg_);
    splitWebs(w, cfg_);
    spillArgumentOnlyStackParams(w, cfg_, r.stats);
    const uint32_t lowered = w.numVRegs;  // vregs of lowerAbi's and splitWebs' numbering (vregColour)
    const mir::Cfg &cfg = cfg_;
    clock.lap(t.lower);

    Colouring colours;
    GraphSnapshot first;
    bool coloured = false, repaired = false;
    while (!coloured && r.stats.rounds < kMaxRounds) {
      ++r.stats.rounds;
      NodeMap map = NodeMap::workingForm(w.numVRegs, opt.pool.regs);
      code_.build(w.fn, map);
      clock.lap(t.flat);
      live_.compute(code_, cfg, map.numNodes);
      clock.lap(t.liveness);
      buildInterference(graph_, code_, cfg, live_, map.numNodes);
      discountCheapSpills(graph_, w, cfg);
      if (opt.wantDot && r.stats.rounds == 1) first = snapshot(graph_);
      clock.lap(t.graph);
      colours = colourGraph(graph_, w, opt.pool);
      coloured = colours.spilled.empty();
      clock.lap(t.irc);
      // Keep every colour and spill around it; a full round again only if
      // a spill temp is boxed in.
      if (!coloured) {
        coloured = repairColouring(w, code_, live_, graph_, opt.pool, colours, r.stats);
        repaired = true;
      }
      clock.lap(t.repair);
    }
    if (!coloured) {
      r.error = "internal: no colouring after " + std::to_string(kMaxRounds) + " rounds";
      return r;
    }
    // Hint recolouring, on the graph of the final code (a repair rewrote it).
    if (repaired) {
      NodeMap map = NodeMap::workingForm(w.numVRegs, opt.pool.regs);
      code_.build(w.fn, map);
      live_.compute(code_, cfg, map.numNodes);
      buildInterference(graph_, code_, cfg, live_, map.numNodes);
      colours.colour.resize(map.numNodes, -1);
    }
    recolourForMoves(graph_, opt.pool, colours.colour);
    clock.lap(t.repair);
    r.vregColour.assign(lowered, -1);
    for (uint32_t v = 0; v < lowered; ++v) {
      const uint32_t node = kVRegBase + v;
      if (node < colours.colour.size() && !(v < w.everSpilled.size() && w.everSpilled[v]))
        r.vregColour[v] = colours.colour[node];
    }
    if (!rewriteColours(w, colours, r.function, scan_, r.stats, r.error)) return r;
    clock.lap(t.rewrite);
    layoutFrame(r.function, w, scan_, r.stats);
    clock.lap(t.frame);
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
  out.module.data = m.data;
  out.module.types = m.types;
  out.module.table = m.table;
  for (const mir::Function &f : m.functions) {
    AllocResult r = a.allocate(f, m, opt);
    out.module.functions.push_back(r.ok ? r.function : f);
    out.results.push_back(std::move(r));
  }
  return out;
}

}  // namespace vcr::alloc
