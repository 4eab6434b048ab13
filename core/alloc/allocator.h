#pragma once
/// The register-allocator interface that vcr-ra's graph-colouring allocator
/// and the legacy-allocator model implement, plus whole-module allocation.

#include "arm/target/target.h"
#include "core/ir/mir.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::alloc {

/// The passes that exist for allocation quality alone (each file says what
/// it buys). All run by default; switching one off measures what it costs
/// and buys (`alloc_bench --without`, `verify-alloc --without`,
/// scripts/ablation.sh). The allocation stays correct without any of them.
struct QualityPasses {
  bool callSplits = true;      ///< splitAtCalls (split.cpp)
  bool loopExitSplits = true;  ///< splitAtLoopExits (split.cpp)
  bool webs = true;            ///< splitWebs (webs.cpp)
  bool argOnlyParams = true;   ///< spillArgumentOnlyStackParams (split.cpp)
  bool calleeSplit = true;     ///< the second allocation split around calls (callee_split.cpp)
  bool recolour = true;        ///< recolourForMoves (recolour.cpp)
};

/// The names of the quality passes, in QualityPasses' order:
/// call-splits, loop-exit-splits, webs, arg-only-params, callee-split, recolour.
[[nodiscard]] const std::vector<std::string_view> &qualityPassNames();
/// Switch off the passes named in `list` (comma-separated names of
/// qualityPassNames). False with `error` set for an unknown or empty name.
[[nodiscard]] bool disablePasses(std::string_view list, QualityPasses &passes, std::string &error);
/// The passes switched off in `passes`, comma-separated in qualityPassNames'
/// order (empty when all run): what a report says, whatever order --without gave.
[[nodiscard]] std::string disabledPasses(const QualityPasses &passes);

/// What the caller asks of an allocation.
struct AllocOptions {
  arm::Pool pool;          ///< registers that may hold allocated values
  bool wantDot = false;    ///< also render the interference graph (Graphviz)
  QualityPasses passes;    ///< quality passes to run (all by default)
};

/// Where an allocation's time went, in microseconds of wall time, summed
/// over rounds: ABI lowering, flat operand form, liveness, interference
/// graph, IRC, spill repair (spill code, splits, temp colours), colour
/// rewrite, frame layout.
struct PhaseTimes {
  double lower = 0, flat = 0, liveness = 0, graph = 0, irc = 0, repair = 0, rewrite = 0, frame = 0;
  PhaseTimes &operator+=(const PhaseTimes &o) {
    lower += o.lower, flat += o.flat, liveness += o.liveness, graph += o.graph, irc += o.irc, repair += o.repair,
        rewrite += o.rewrite, frame += o.frame;
    return *this;
  }
};

/// What an allocation did.
struct AllocStats {
  unsigned rounds = 0;        ///< colouring attempts (1 = coloured at once)
  unsigned spilledVRegs = 0;  ///< vregs spilled (to a slot or rematerialised)
  unsigned spillStores = 0;   ///< `sts ... !spill` in the output
  unsigned reloads = 0;       ///< `lds ... !reload` in the output
  unsigned remats = 0;        ///< `movi ... !remat` in the output
  unsigned movesBefore = 0;   ///< `mov`s in the ABI-lowered working form
  unsigned movesAfter = 0;    ///< `mov`s left in the output, self-moves excluded
  uint32_t frameBytes = 0;    ///< pushed bytes + the `adjsp` amount
  arm::RegSet calleeSaved;    ///< registers pushed by the prologue (may include LR)
  uint32_t calleeSavedS = 0;  ///< S16-S31 pushed by the prologue (VPUSH), bit n = Sn
  uint64_t timeUs = 0;        ///< wall time of the allocation
  PhaseTimes phases;          ///< the same time by phase
};

/// The allocated function or, on an internal invariant failure, an error.
struct AllocResult {
  bool ok = false;
  std::string error;      ///< internal invariant failure only: a bug
  mir::Function function; ///< allocated form (when ok)
  AllocStats stats;
  std::string dot;        ///< interference graph, when AllocOptions::wantDot
  /// Per vreg of the ABI-lowered working form split into webs (lowerAbi's
  /// then splitWebs' numbering, before spilling): the register it was
  /// given, as a number in its class's file (core: the mir::PReg number;
  /// f32: n of Sn; f64: n of Dn), or -1 when it was spilled or is no value. Research use: the optimal allocator, which makes the same webs,
  /// starts its solver from it (optimal/start.h).
  std::vector<int> vregColour;
};

/// A register allocator: vreg-form function in, allocated-form function out.
class Allocator {
public:
  virtual ~Allocator() = default;
  /// Short name for reports ("irc", "legacy").
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Allocate one vreg-form function of module `m`.
  [[nodiscard]] virtual AllocResult allocate(const mir::Function &f, const mir::Module &m,
                                             const AllocOptions &opt) = 0;
};

/// `mov r, r`: an original move that coalescing made redundant. Allocated
/// code keeps it so that original instructions pair 1:1; it costs nothing
/// (the emitter elides it) and is not counted in AllocStats::movesAfter.
[[nodiscard]] bool isSelfMove(const mir::Instr &i);

/// The cost of an allocated function as the optimal baseline counts it
/// (docs/optimal.md): 10^loop-depth per spill store, reload (a stack
/// parameter's included), rematerialisation and register move. vcr-ra
/// keeps the cheaper of two allocations by it (callee_split.cpp).
[[nodiscard]] double allocationCost(const mir::Function &allocated);

/// vcr-ra's allocator: iterated register coalescing with integrated spilling.
[[nodiscard]] std::unique_ptr<Allocator> makeGraphColouring();

/// Every function allocated. `module` copies memory, globals and imports;
/// a function whose allocation failed is kept in vreg form there and its
/// result carries the error.
struct ModuleAllocation {
  mir::Module module;
  std::vector<AllocResult> results;  ///< parallel to the input's functions
};

/// Allocate every function of `m` with `a`.
[[nodiscard]] ModuleAllocation allocateModule(Allocator &a, const mir::Module &m,
                                              const AllocOptions &opt);

}  // namespace vcr::alloc
