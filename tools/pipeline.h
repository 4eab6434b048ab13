#pragma once
/// The verify-alloc pipeline as a library: walk inputs (.wat, .wasm, .mir
/// files and directories), select every function to vreg MIR, measure it,
/// allocate it, and collect one FunctionReport per function. The command-line
/// tool (verify_alloc_main.cpp) only parses options and prints.

#include "arm/target/cpu.h"
#include "arm/target/target.h"
#include "core/alloc/allocator.h"
#include "tools/execute.h"
#include "tools/guard.h"
#include "core/ir/diag.h"
#include "core/ir/mir.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vcr::tools {

/// How far a run is (PipelineOptions::onProgress).
struct Progress {
  size_t filesDone = 0, files = 0, functionsDone = 0, functions = 0;
  double elapsedSeconds = 0;
};

struct PipelineOptions {
  bool allocate = true;        ///< run the graph-colouring allocator
  arm::Pool pool;              ///< allocatable registers
  arm::Cpu cpu = arm::Cpu::CortexM4;  ///< target CPU (--cpu): what selection does with floats
  /// --memory-max PAGES: memory really grows (memory.grow is `memgrow`), each
  /// module up to select::effectiveMemoryMax; unset: memory has a fixed size.
  std::optional<uint32_t> memoryMax;
  /// --without: quality passes switched off (an ablation; all on by default).
  alloc::QualityPasses passes;
  std::string emitMirDir;      ///< write allocated MIR here (empty: don't)
  std::string emitVregMirDir;  ///< write the vreg (selected, unallocated) MIR here (empty: don't)
  std::string emitAsmDir;      ///< write the emitted Thumb-2 assembly here (empty: don't)
  std::string dotDir;          ///< write interference graphs here (empty: don't)
  /// Keep each function's texts in FunctionReport::artifacts (--html).
  bool keepArtifacts = false;
  bool check = true;           ///< run the independent checker on each allocation
  unsigned timeoutMs = 10000;  ///< per solver query; a timeout is "unknown"
  uint32_t stackLimit = 16 * 1024;  ///< bytes of stack one frame may use (checked)
  std::string smtDir;          ///< write every SMT obligation as SMT-LIB2 here
  bool legacy = false;         ///< also run the legacy ladder model (research table)
  bool legacyTrace = false;    ///< keep the legacy per-rung log (LegacyReport::trace; --legacy-trace)
  bool permissive = false;     ///< a ladder firing keeps the ladder's code and does not fail the run
  /// Check the allocated-form functions of this .mir file (matched by name)
  /// instead of allocating: allocations made elsewhere, by hand, or mutated.
  std::string allocatedFile;
  bool run = false;            ///< emit Thumb-2, assemble, run in Unicorn, compare (--run)
  ExecOptions exec;            ///< inputs per function, seed, --native
  /// The allocator under guard; default vcr-ra's graph colouring. Tests
  /// inject a failing one to show the guard fires. Called once per worker
  /// thread.
  std::function<std::unique_ptr<alloc::Allocator>()> makeAllocator;
  /// Worker threads (--jobs); 0: one per core. The report is the same
  /// whatever the count: rows and diagnostics keep input order.
  unsigned jobs = 1;
  /// Process only inputs i with i % shardCount == shardIndex - 1 (--shard K/N).
  unsigned shardIndex = 1, shardCount = 1;
  /// A function with more MIR instructions is an input error, not a job.
  size_t maxInstructions = 250000;
  /// --optimal: allocate with the optimal allocator (optimal/, CBC) instead
  /// of vcr-ra, and score vcr-ra and the legacy model beside it.
  bool optimal = false;
  double optimalSeconds = 10;          ///< CBC time limit per function
  bool optimalCpuTime = false;         ///< the limit counts the solver's CPU time (OptimalOptions::cpuTime)
  size_t optimalMaxVariables = 200000; ///< larger programs are not attempted
  /// --optimal-function: the functions (by name) the optimal allocator
  /// solves; the others get vcr-ra's allocation as without --optimal.
  /// Empty: every function.
  std::vector<std::string> optimalFunctions;
  /// Called (serialised) whenever a function or a file is done.
  std::function<void(const Progress &)> onProgress;
};


/// What the legacy ladder model did to one function (--legacy).
struct LegacyReport {
  std::string rung;  ///< base, spill, param-backing, promotion-off, pool-grow, exhausted, declined
  unsigned spillStores = 0, reloads = 0, moves = 0;
  unsigned frameTraffic = 0;  ///< stack loads + stores, ABI argument passing excluded
  std::string check;     ///< checker verdict on the legacy code: proved, refuted, unknown, or "-"
  bool spurious = false; ///< spills although peak pressure fits the pool
  std::optional<ExecReport> exec;  ///< the legacy code run in Unicorn (--run)
  /// The legacy per-rung log, one `rung=<name> [promotion-off] result=ok|exhausted`
  /// line per attempt (--legacy-trace).
  std::vector<std::string> trace;
};

/// What the optimal allocator did to one function (--optimal). Costs are
/// optimal::scoreAllocation's (docs/optimal.md); -1 where there is none.
struct OptimalReport {
  std::string status;        ///< optimal, feasible, no-solution, infeasible, too-large, error
  double objective = -1;     ///< the program's optimum (or best) cost
  double bound = -1;         ///< proved lower bound on the optimum
  double gap = -1;           ///< (cost - bound) / max(cost, 1): the code's gap
  double solverSeconds = 0;
  size_t variables = 0, rows = 0;
  unsigned cycleBreaks = 0;  ///< instructions breaking register cycles (optimal::OptimalInfo::cycleBreaks)
  unsigned cycleRounds = 0;  ///< re-solves with cuts charging register cycles
  std::string stopped;       ///< the solve was cut off: "hard time limit" or "solver crashed" (else empty)
  std::string startFrom;     ///< CBC's start: "vcr-ra" (its colouring), "spill-everywhere", or empty
  double startCost = -1;     ///< the start's cost in the program (-1: none)
  int64_t cost = -1;         ///< the optimal code's cost under the model
  int64_t vcrCost = -1;      ///< vcr-ra's allocation's cost
  int64_t legacyCost = -1;   ///< the legacy model's (ladder) allocation's cost
};

/// The checker's verdict on one function (a summary of verifier::CheckResult).
struct CheckReport {
  unsigned obligations = 0, proved = 0, refuted = 0, unknown = 0;
  uint64_t timeUs = 0;
  nlohmann::json json;      ///< the checker's own JSON object (with failures)
  std::string failureText;  ///< refuted/unknown obligations as a user reads them
};

/// What the allocator did to one function.
struct AllocReport {
  unsigned rounds = 0, spilledVRegs = 0, spillStores = 0, reloads = 0, remats = 0;
  unsigned movesBefore = 0, moves = 0;
  unsigned frameTraffic = 0;  ///< stack loads + stores, ABI argument passing excluded
  uint32_t frameBytes = 0;
  std::vector<std::string> calleeSaved;
  uint64_t timeUs = 0;
};

/// The texts behind one row, kept when PipelineOptions::keepArtifacts (the
/// HTML report shows them side by side). Empty where there is nothing.
struct Artifacts {
  std::string vregMir;       ///< the function as selected (vreg form)
  std::string allocatedMir;  ///< vcr-ra's allocation (or the --allocated one)
  std::string legacyMir;     ///< the legacy model's allocation (--legacy)
  std::string dot;           ///< interference graph, coloured by assignment (Graphviz)
  std::string asmText;       ///< this function's Thumb-2 listing
  std::string asmDeclined;   ///< why the emitter declined it (then asmText is empty)
  /// Every obligation the checker asked, proved ones too (Obligation::toJson).
  nlohmann::json obligations = nlohmann::json::array();
};

/// One row of the report.
struct FunctionReport {
  std::string file, function;
  std::string status = "ok";  ///< "ok", "declined", "error", "refuted", "unknown"
  std::string reason;         ///< for declined and error
  bool inputError = false;    ///< the error is the input's fault (exit 2), not a tool bug (exit 1)
  size_t mirInstructions = 0;
  uint32_t vregs = 0;
  unsigned peakPressure = 0, calls = 0, loops = 0;
  /// The module's effective memory maximum in pages when its memory can grow (--memory-max).
  std::optional<uint32_t> memoryMaxPages;
  std::optional<AllocReport> alloc;
  std::optional<CheckReport> check;
  std::optional<LadderFiring> firing;  ///< the guard fired on this function
  std::optional<LegacyReport> legacy;
  std::optional<OptimalReport> optimal;  ///< --optimal
  std::optional<ExecReport> exec;  ///< the emitted code run in Unicorn (--run)
  std::shared_ptr<Artifacts> artifacts;  ///< kept texts (PipelineOptions::keepArtifacts)
};

struct Report {
  std::vector<FunctionReport> functions;
  Diagnostics diags;          ///< input problems (unreadable, malformed, invalid)
  /// The input each diagnostic belongs to (index into `inputs`), or -1 for
  /// a run-wide one (a missing path, the --allocated file): what `merge`
  /// needs to put shards' diagnostics back in single-run order.
  std::vector<int> diagInput;
  unsigned filesRead = 0, filesFailed = 0;
  std::vector<std::string> inputs;  ///< every input file, before sharding
  unsigned shardIndex = 1, shardCount = 1;
  unsigned pathsFailed = 0;         ///< paths that named no input (run-wide)
  bool permissive = false;    ///< ladder firings do not fail the run
  std::string cpu = "cortex-m4";  ///< the target CPU (--cpu)
  std::optional<uint32_t> memoryMax;  ///< --memory-max PAGES, if given
  std::string passesOff;  ///< --without: the quality passes switched off (alloc::disabledPasses; empty: none)
  [[nodiscard]] unsigned ladderFired() const;

  /// 2: some input was unreadable or invalid; else 1: a function failed
  /// inside the tool (an allocator invariant failure is a bug) or has a
  /// refuted or unknown obligation, or its emitted code disagreed with the
  /// oracles (--run, status "mismatch"), or the ladder fired in a strict
  /// run; else 0.
  [[nodiscard]] int exitCode() const;
};

/// Expand PATHs (files and directories, recursively, sorted) to input files
/// with a .wat, .wasm or .mir extension. Missing paths become diagnostics.
[[nodiscard]] std::vector<std::string> collectInputs(const std::vector<std::string> &paths,
                                                     Diagnostics &diags);

/// Run the pipeline over the inputs. Never throws for bad input: every
/// problem becomes a diagnostic or an "error" row, and the rest goes on.
[[nodiscard]] Report runPipeline(const std::vector<std::string> &paths, const PipelineOptions &opt);

/// Loop count of a function (number of loop headers).
[[nodiscard]] unsigned countLoops(const mir::Function &f);
/// Stack loads and stores of allocated code (lds/sts/push/pop words), ABI
/// argument passing (outarg, inarg) excluded: the memory traffic an
/// allocation costs, however its instructions are labelled.
[[nodiscard]] unsigned frameTraffic(const mir::Function &allocated);
/// Number of call instructions.
[[nodiscard]] unsigned countCalls(const mir::Function &f);

}  // namespace vcr::tools
