#pragma once
/// Internal to the optimal allocator: feasible starting solutions, so that
/// CBC always has an allocation to improve on. Spill everywhere: every value
/// lives in memory (stored right after its definition; constants and stack
/// parameters are re-made) and is loaded into a register for each
/// instruction that uses it. From a colouring: values keep their register.

#include "core/ir/mir.h"
#include "optimal/formulation.h"

#include <optional>
#include <vector>

namespace vcr::optimal {

/// The start for the program `f` built from `fn`, or nullopt when the
/// greedy choice of registers breaks a constraint (then CBC starts cold).
[[nodiscard]] std::optional<std::vector<double>> spillEverywhereStart(const mir::Function &fn,
                                                                      const Formulation &f);

/// A start that follows a colouring: value v stays in physical register
/// `reg[v]` (a mir::PReg number; -1: spilled) wherever it is present, unless
/// some state gives that register to a physical operand or to another value
/// first; the values left over are spilled everywhere as above. With
/// vcr-ra's colouring it costs about what vcr-ra's allocation costs, so a
/// time-limited solve is rarely worse than vcr-ra. nullopt when infeasible.
[[nodiscard]] std::optional<std::vector<double>> colouringStart(const mir::Function &fn, const Formulation &f,
                                                                const std::vector<int> &reg);

}  // namespace vcr::optimal
