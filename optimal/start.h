#pragma once
/// Internal to the optimal allocator: a feasible starting solution, so that
/// CBC always has an allocation to improve on. Every value lives in memory
/// (stored right after its definition; constants and stack parameters are
/// re-made) and is loaded into a register for each instruction that uses it.

#include "core/ir/mir.h"
#include "optimal/formulation.h"

#include <optional>
#include <vector>

namespace vcr::optimal {

/// The start for the program `f` built from `fn`, or nullopt when the
/// greedy choice of registers breaks a constraint (then CBC starts cold).
[[nodiscard]] std::optional<std::vector<double>> spillEverywhereStart(const mir::Function &fn,
                                                                      const Formulation &f);

}  // namespace vcr::optimal
