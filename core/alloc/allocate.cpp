// The vcr-ra allocator driver: ABI lowering, one build/colour round, then colour repair around the spills.
#include "core/alloc/work.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>

namespace vcr::alloc {

namespace {

/// Full rounds before giving up. A round builds the graph and colours it
/// by IRC; when values spill, repairColouring keeps every colour and only
/// colours the spill temps, so a second full round happens only when a
/// temp finds no free colour even by splitting a value around it. IRC
/// spills a spill temp only when nothing else is left (its cost is all but
/// infinite), so rounds end; this bound only stops a bug, and colourClass
/// bounds the vregs too (a pool too small for the function).
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

/// The cost of an allocation as the optimal baseline counts it
/// (docs/optimal.md): 10^loop-depth per spill store, reload (stack
/// parameters' included), rematerialisation and register move.
double weightedCost(const mir::Function &f, const mir::Cfg &cfg) {
  double c = 0;
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    const double w = depthWeight(cfg, b);
    for (const mir::Instr &i : f.blocks[b].instrs) {
      using mir::Opcode, mir::Origin;
      const bool counted = (i.op == Opcode::Sts && i.origin == Origin::Spill) ||
                           (i.op == Opcode::Lds && (i.origin == Origin::Reload || i.origin == Origin::InArg)) ||
                           (isRematDef(i.op) && i.origin == Origin::Remat) ||
                           (i.op == Opcode::Mov && !(i.defs[0] == i.uses[0]));
      if (counted) c += w;
    }
  }
  return c;
}

class GraphColouring final : public Allocator {
public:
  std::string_view name() const override { return "irc"; }

  AllocResult allocate(const mir::Function &f, const mir::Module &m, const AllocOptions &opt) override {
    auto start = std::chrono::steady_clock::now();
    AllocResult r = run(f, m, opt, false);
    // Where the core values fit the pool at every point and still spill,
    // the callee-saved registers ran out at calls, and splitting around
    // calls (callee_split.cpp) may avoid the spill. Whether the splits pay
    // depends on what coalescing and spilling make of them, so the
    // allocation with them is made as well and the cheaper one is kept.
    // (Where the pressure exceeds the pool, spills are due anyway and no
    // second allocation is spent.)
    if (opt.passes.calleeSplit && r.ok && work_.hasCalls && r.stats.spilledVRegs > 0 &&
        coreMaxLive_ <= ClassRegs::core(opt.pool).size()) {
      const double before = weightedCost(r.function, cfg_);
      AllocResult s = run(f, m, opt, true);
      if (s.ok && s.stats.rounds > 0 && weightedCost(s.function, cfg_) < before) std::swap(r, s);
      r.stats.phases += s.stats.phases;
    }
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
  PrePassLiveness pre_;
  Interference graph_;
  mir::Cfg cfg_;

  GraphSnapshot first;
  /// Interference::maxLive of the core values' first round (before any spill).
  uint32_t coreMaxLive_ = 0;
  /// Whether `code_` is the flat code of the working function as it is
  /// after colourClass (its last round coloured without a spill repair).
  bool codeAsBuilt_ = false;

  /// A colouring of the compact numbering (WorkFunction::vregNode) in the
  /// full one, where node kVRegBase + v is vreg v; nothing if the
  /// numbering is the full one already.
  static void toFullNumbering(const WorkFunction &w, Colouring &colours) {
    if (w.nodeVReg.empty()) return;
    std::vector<int> full(kVRegBase + w.numVRegs, -1);
    std::copy(colours.colour.begin(), colours.colour.begin() + kVRegBase, full.begin());
    for (size_t k = 0; k < w.nodeVReg.size(); ++k) full[kVRegBase + w.nodeVReg[k]] = colours.colour[kVRegBase + k];
    colours.colour = std::move(full);
    for (uint32_t &n : colours.spilled) n = kVRegBase + w.nodeVReg[n - kVRegBase];
  }

  /// Colour the vregs of class `cr.cls` (build, IRC, repair of spills,
  /// rounds until coloured, hint recolouring); `colours` receives the
  /// colouring over the nodes of the final code. False with `r.error` set.
  bool colourClass(WorkFunction &w, const ClassRegs &cr, const AllocOptions &opt, GraphSnapshot *snap,
                   Colouring &colours, AllocResult &r, PhaseClock &clock) {
    PhaseTimes &t = r.stats.phases;
    const mir::Cfg &cfg = cfg_;
    bool coloured = false;
    unsigned rounds = 0;
    // A spilled value gets at most one temp per operand over all rounds
    // (a value is spilled once, and a temp only when nothing else is left),
    // so the vregs stay well within this bound; a colouring that keeps
    // spilling temps past it is not converging (a pool too small for the
    // function: with r0-r3 alone, a return of five results doubled the
    // vregs each round until memory ran out), and stops with an error.
    // The operands counted are the class's nodes in the first round's flat
    // code, not the function's: a walk of its own over the instructions
    // (120 bytes each) was 2% of the allocation's cache misses at 10k
    // instructions (callgrind --cache-sim, alloc_bench).
    size_t vregLimit = SIZE_MAX;
    // One build and IRC colouring of the round's code. A VFP pass tries it
    // first in the compact numbering (WorkFunction::vregNode) over the
    // instructions with a node of its class (sparse flat code): the graph,
    // the liveness and IRC's arrays then hold its own values, not every
    // core vreg of the function. The node order is the vreg order, so the
    // choices are those of the full numbering; if the colouring spills,
    // the round is made again in the full numbering, in which the spill
    // repair works. The colouring there would be the same, node for node,
    // so it is not made again: the compact one is carried over (`colour`
    // false), and only the flat code, the liveness and the graph that the
    // repair and the recolouring read are built in the full numbering.
    auto buildAndColour = [&](bool compact, unsigned round, bool colour = true) {
      if (compact) w.numberClass(cr.cls);
      else w.numberAll();
      const NodeMap map = NodeMap::classForm(w.numVRegs, cr.cls, opt.pool.regs, &w.vclass,
                                             compact ? &w.vregNode : nullptr,
                                             static_cast<uint32_t>(w.nodeVReg.size()));
      code_.build(w.fn, map, compact);
      clock.lap(t.flat);
      live_.compute(code_, cfg, map.numNodes);
      clock.lap(t.liveness);
      buildInterference(graph_, code_, cfg, live_, map.numNodes);
      discountCheapSpills(graph_, w, cfg, code_);
      if (round == 1 && cr.cls == mir::RegClass::Core) coreMaxLive_ = graph_.maxLive;
      if (opt.wantDot && snap && round == 1) *snap = snapshot(graph_);
      clock.lap(t.graph);
      if (!colour) return;
      colours = colourGraph(graph_, w, cr);
      clock.lap(t.irc);
    };
    while (!coloured && rounds < kMaxRounds) {
      if (w.numVRegs > vregLimit) {
        r.error = "internal: no colouring of the " + std::string(mir::regClassName(cr.cls)) + " values: " +
                  std::to_string(rounds) + " rounds of spilling grew the function to " +
                  std::to_string(w.numVRegs) + " vregs without converging (a pool of " +
                  std::to_string(cr.size()) + " registers may be too small for it)";
        return false;
      }
      ++rounds;
      ++r.stats.rounds;
      const bool vfp = cr.cls != mir::RegClass::Core;
      buildAndColour(vfp, rounds);
      if (vfp && !colours.spilled.empty()) {
        toFullNumbering(w, colours);
        buildAndColour(false, rounds, false);
      }
      if (rounds == 1) vregLimit = size_t(w.numVRegs) + 4 * size_t(code_.opStart.back()) + 4096;
      coloured = colours.spilled.empty();
      codeAsBuilt_ = coloured;  // else the repair below changes the code
      // Hint recolouring (recolour.cpp) on this round's graph, then keep
      // every colour and spill around it; a full round again only if a
      // spill temp is boxed in. Recolouring before the repair needs no
      // graph of the repaired code: the values to spill are uncoloured and
      // constrain nothing, and the repair colours its temps around the
      // colours as they are then.
      if (opt.passes.recolour) recolourForMoves(graph_, cr, colours.colour);
      toFullNumbering(w, colours);  // for the passes after
      w.numberAll();
      if (!coloured) coloured = repairColouring(w, code_, live_, graph_, cr, colours, r.stats);
      clock.lap(t.repair);
    }
    if (!coloured) {
      r.error = "internal: no colouring of the " + std::string(mir::regClassName(cr.cls)) + " values after " +
                std::to_string(kMaxRounds) + " rounds";
      return false;
    }
    return true;
  }

  /// One allocation. With `calleeSplit`, the values that crowd the
  /// callee-saved registers are split around their calls first; if there
  /// is none, nothing is allocated (stats.rounds stays 0).
  AllocResult run(const mir::Function &f, const mir::Module &m, const AllocOptions &opt, bool calleeSplit) {
    AllocResult r;
    PhaseTimes &t = r.stats.phases;
    PhaseClock clock;
    WorkFunction &w = work_;
    first = {};
    if (!lowerAbi(f, m, w, r.error)) return r;
    r.stats.movesBefore = w.loweredMoves;
    cfg_.rebuild(w.fn);  // spilling never changes the blocks
    const QualityPasses &q = opt.passes;
    // One liveness for the splits and the webs (PrePassLiveness).
    if (q.callSplits || q.loopExitSplits || q.webs)
      computePrePassLiveness(w, cfg_, q.callSplits, q.loopExitSplits, q.webs, pre_);
    if (q.callSplits) splitAtCalls(w, cfg_, &pre_);
    if (q.loopExitSplits) splitAtLoopExits(w, cfg_, &pre_);
    if (q.webs) splitWebs(w, cfg_, &pre_);
    if (q.argOnlyParams) spillArgumentOnlyStackParams(w, cfg_, r.stats);
    const uint32_t lowered = w.numVRegs;  // vregs of lowerAbi's and splitWebs' numbering (vregColour)
    if (calleeSplit) {
      if (splitForCalleePressure(w, cfg_, ClassRegs::core(opt.pool).calleeCount(), ClassRegs::core(opt.pool).size()) ==
          0) {
        clock.lap(t.lower);
        r.ok = true;
        return r;
      }
      // A value's part after a call that no other definition joins becomes
      // a vreg of its own, which may stay in the piece's register.
      if (q.webs) splitWebs(w, cfg_);
    }
    clock.lap(t.lower);

    // One pass per register class, the same phases each time (docs/vfp.md):
    // f64 values take D registers first, then f32 values take the S
    // registers left (the D registers now in the code are S pairs to them),
    // then core values.
    Colouring colours;
    r.vregColour.assign(lowered, -1);
    for (mir::RegClass k : {mir::RegClass::F64, mir::RegClass::F32, mir::RegClass::Core}) {
      if (k != mir::RegClass::Core &&
          std::find(w.vclass.begin(), w.vclass.end(), k) == w.vclass.end())
        continue;
      w.passClass = k;
      ClassRegs cr = k == mir::RegClass::Core ? ClassRegs::core(opt.pool) : ClassRegs::vfp(k);
      // With f32 values to come, the f64 pass leaves D14-D15 (S28-S31) to
      // them: its values could otherwise hold every S register at some
      // point, where no f32 value, not even a spill temp, would fit.
      if (k == mir::RegClass::F64 &&
          std::find(w.vclass.begin(), w.vclass.end(), mir::RegClass::F32) != w.vclass.end()) {
        cr.pool &= 0x3fffu;
        cr.callee &= cr.pool;
      }
      if (!colourClass(w, cr, opt, k == mir::RegClass::Core ? &first : nullptr, colours, r, clock)) return r;
      for (uint32_t v = 0; v < lowered; ++v) {  // before the next pass's colouring replaces `colours`
        const uint32_t node = kVRegBase + v;
        if (node < colours.colour.size() && !(v < w.everSpilled.size() && w.everSpilled[v]) && w.classOf(v) == k)
          r.vregColour[v] = colours.colour[node];
      }
      if (k != mir::RegClass::Core && !rewriteClass(w, colours, r.error, codeAsBuilt_ ? &code_ : nullptr)) return r;
    }
    if (!rewriteColours(w, colours, r.function, scan_, r.stats, r.error)) return r;
    clock.lap(t.rewrite);
    layoutFrame(r.function, w, cfg_, scan_, r.stats);
    clock.lap(t.frame);
    if (opt.wantDot) r.dot = renderDot(f.name, first, colours, w);
    r.ok = true;
    return r;
  }
};

}  // namespace

std::unique_ptr<Allocator> makeGraphColouring() { return std::make_unique<GraphColouring>(); }

double allocationCost(const mir::Function &allocated) { return weightedCost(allocated, mir::Cfg::build(allocated)); }

const std::vector<std::string_view> &qualityPassNames() {
  static const std::vector<std::string_view> names = {"call-splits",     "loop-exit-splits", "webs",
                                                      "arg-only-params", "callee-split",     "recolour"};
  return names;
}

namespace {
/// The switches of `passes` in qualityPassNames' order.
template <class Q> auto passFlags(Q &passes) {
  return std::array{&passes.callSplits,    &passes.loopExitSplits, &passes.webs,
                    &passes.argOnlyParams, &passes.calleeSplit,    &passes.recolour};
}
}  // namespace

std::string disabledPasses(const QualityPasses &passes) {
  std::string out;
  const auto flags = passFlags(passes);
  for (size_t k = 0; k < flags.size(); ++k)
    if (!*flags[k]) {
      if (!out.empty()) out += ',';
      out += qualityPassNames()[k];
    }
  return out;
}

bool disablePasses(std::string_view list, QualityPasses &passes, std::string &error) {
  const auto flags = passFlags(passes);
  const auto &names = qualityPassNames();
  for (size_t start = 0; start <= list.size();) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view name = list.substr(start, comma - start);
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      std::string known;
      for (std::string_view n : names) known += (known.empty() ? "" : ", ") + std::string(n);
      error = "unknown quality pass '" + std::string(name) + "' (known: " + known + ")";
      return false;
    }
    *flags[it - names.begin()] = false;
    start = comma + 1;
  }
  return true;
}

ModuleAllocation allocateModule(Allocator &a, const mir::Module &m, const AllocOptions &opt) {
  ModuleAllocation out;
  out.module.memoryPages = m.memoryPages;
  out.module.memoryMax = m.memoryMax;
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
