#pragma once
/// The optimal register allocator: register allocation with spilling and
/// live-range splitting at every program point, as an integer linear
/// program (optimal/formulation.h) that CBC solves under a time limit. It
/// minimises the shared cost model (optimal/cost.h, docs/optimal.md) under
/// vcr-ra's constraints: the pool, the ABI's physical registers, call
/// clobbers. A research baseline: never the production allocator.

#include "core/alloc/allocator.h"

#include <cstddef>
#include <memory>
#include <string>

namespace vcr::optimal {

/// Limits of one function's solve.
struct OptimalOptions {
  double timeLimitSeconds = 10;  ///< CBC time limit per function (wall time; see cpuTime)
  /// Count the limit in the solver's own CPU time: the same search, and so
  /// the same result, however loaded the machine is (tests, reproducible
  /// tables); the wall time may be longer.
  bool cpuTime = false;
  size_t maxVariables = 200000;  ///< larger programs are not attempted ("too-large")
  bool log = false;              ///< CBC's own log on stdout
  bool startFromVcr = true;      ///< offer CBC vcr-ra's colouring as a start when it is cheaper than spilling everywhere
};

/// What the last solve found, for reports.
struct OptimalInfo {
  /// "optimal" (proved), "feasible" (time-limited: best, bound and gap),
  /// "no-solution" (none within the time limit), "infeasible" (proved: a
  /// bug, since spilling everything is always possible), "too-large",
  /// or "error" (the solution could not be turned into code).
  std::string status;
  std::string why;          ///< for too-large, declined and error
  double objective = -1;    ///< the program's cost of the best solution
  double bound = -1;        ///< the best proved lower bound (= objective when optimal); -1: unknown
  double gap = -1;          ///< (codeCost - bound) / max(codeCost, 1), when both exist; else -1
  double seconds = 0;       ///< solver wall time
  size_t variables = 0, rows = 0;
  bool warmStart = false;   ///< CBC started from a feasible solution
  std::string startFrom;    ///< "vcr-ra" (its colouring) or "spill-everywhere"; empty: cold start
  double startCost = -1;    ///< the start's objective (-1: none)
  /// Instructions breaking a register cycle of a parallel move (a move
  /// through a free register, or a store to the value's slot), which the
  /// program charges only through the cuts of later rounds (cycleRounds).
  unsigned cycleBreaks = 0;
  unsigned cycleRounds = 0; ///< re-solves with cuts charging the cycles earlier solutions had
  double codeCost = -1;     ///< scoreAllocation of the code made (objective, plus any cycle no cut charged)
  std::string stopped;      ///< CBC was killed: "hard time limit" or "solver crashed" (the warm start is kept)
  [[nodiscard]] bool allocated() const { return status == "optimal" || status == "feasible"; }
};

/// The allocator. allocate() fails (ok = false, with the status in the
/// error) when there is no solution; last() says what happened either way.
class OptimalAllocator final : public alloc::Allocator {
public:
  explicit OptimalAllocator(OptimalOptions o = {}) : opt_(o) {}
  [[nodiscard]] std::string_view name() const override { return "optimal"; }
  [[nodiscard]] alloc::AllocResult allocate(const mir::Function &f, const mir::Module &m,
                                            const alloc::AllocOptions &opt) override;
  /// The solve behind the last allocate() call.
  [[nodiscard]] const OptimalInfo &last() const { return info_; }
  /// vcr-ra's allocation of the function of the last allocate() call, made
  /// for the start (OptimalOptions::startFromVcr), or null when none was
  /// made: callers that compare with vcr-ra need not allocate it again.
  [[nodiscard]] const alloc::AllocResult *vcrResult() const { return haveVcr_ ? &vcr_ : nullptr; }

private:
  OptimalOptions opt_;
  OptimalInfo info_;
  alloc::AllocResult vcr_;
  bool haveVcr_ = false;
};

}  // namespace vcr::optimal
