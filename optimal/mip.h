#pragma once
/// A mixed-integer linear program built column by column and row by row,
/// solved by CBC (COIN-OR branch and cut) through its C interface.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace vcr::optimal {

/// What a solve found.
struct MipResult {
  /// "optimal", "feasible" (a solution, not proved optimal: time limit),
  /// "infeasible" (proved), or "no-solution" (none found within the limit).
  std::string status = "no-solution";
  double objective = 0;   ///< the best solution's objective (when one exists)
  double bound = 0;       ///< the best proved lower bound on the optimum
  double seconds = 0;     ///< wall time of the solve
  std::vector<double> x;  ///< the best solution (when found)
  bool found = false;     ///< a solution exists
  /// Why the solve was cut off from outside ("hard time limit", "solver
  /// crashed"), or empty. A cut-off solve keeps only the warm start.
  std::string stopped;
  [[nodiscard]] bool hasSolution() const { return found; }
};

/// A minimisation problem. Variables are numbered from 0 in creation order.
class Mip {
public:
  /// A new variable in [lb, ub] with objective coefficient `obj`.
  int addVar(double lb, double ub, double obj, bool integer);
  /// A binary variable.
  int addBinary(double obj = 0) { return addVar(0, 1, obj, true); }
  /// Fix variable `v` to `value` (both bounds).
  void fix(int v, double value);
  /// lo <= sum(coef * var) <= hi.
  void addRow(const std::vector<std::pair<int, double>> &terms, double lo, double hi);
  [[nodiscard]] size_t numVars() const { return lb_.size(); }
  [[nodiscard]] size_t numRows() const { return rowLo_.size(); }
  /// Solve with a time limit: wall time, or with `cpuTime` the solver's
  /// own CPU time (the same search however loaded the machine is; the wall
  /// time may then be longer). The objective is integral (the model
  /// weights are integers), so a gap below one unit is optimal.
  /// `warm`, when given, is a feasible solution CBC starts from (see
  /// completeStart).
  /// CBC runs in a child process (see solveIsolation) that is killed at
  /// hardLimit(seconds): CBC alone overruns its limit in root processing.
  [[nodiscard]] MipResult solve(double seconds, bool log = false, const std::vector<double> *warm = nullptr,
                                bool cpuTime = false) const;
  /// The wall time after which a solve is killed: the limit plus a grace of
  /// half of it (at least 2 s) for CBC to stop by itself; four times that
  /// with `cpuTime` (a loaded machine gives the solver a share of a core).
  [[nodiscard]] static double hardLimit(double seconds, bool cpuTime = false);
  /// The objective of the assignment `x` (numVars values).
  [[nodiscard]] double objectiveOf(const double *x) const;
  /// Complete a start whose integer variables are set: raise each
  /// continuous variable to what its rows need (every continuous variable
  /// here has a non-negative cost and only lower-bounded rows ask for it),
  /// then check every bound and row. False if the start is infeasible.
  [[nodiscard]] bool completeStart(std::vector<double> &x) const;
  [[nodiscard]] double lowerBound(int v) const { return lb_[static_cast<size_t>(v)]; }
  [[nodiscard]] double upperBound(int v) const { return ub_[static_cast<size_t>(v)]; }

private:
  std::vector<double> lb_, ub_, obj_;
  std::vector<char> integer_;
  std::vector<double> rowLo_, rowHi_;
  std::vector<int> tripRow_, tripCol_;
  std::vector<double> tripVal_;
};

/// Where Mip::solve runs CBC. ChildProcess (the default) gives a hard time
/// limit and lets solves run in parallel; InProcess (sanitizer builds, or
/// when fork fails) runs one solve at a time and trusts CBC's own clock.
enum class SolveIsolation { ChildProcess = 0, InProcess = 1 };
[[nodiscard]] SolveIsolation solveIsolation();
/// Tests: force an isolation mode, and make the child stall before solving
/// (so that only the watchdog can end it).
void setSolveIsolationForTesting(SolveIsolation mode);
void resetSolveIsolationForTesting();  ///< back to the build's default
void setSolveStallForTesting(bool on);
[[nodiscard]] bool solveStallForTesting();

/// An "infinite" row bound.
inline constexpr double kInf = 1e30;

}  // namespace vcr::optimal
