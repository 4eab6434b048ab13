#pragma once
/// Internal to the optimal allocator: turn a solution of the program into
/// the working form with every vreg replaced by its register and the
/// transition code (stores, moves, reloads, remats) between instructions.

#include "core/ir/mir.h"
#include "optimal/formulation.h"

#include <string>
#include <vector>

namespace vcr::optimal {

/// What the emission inserted (static counts).
struct EmitCounts {
  unsigned stores = 0, reloads = 0, remats = 0, moves = 0;
  unsigned cycleBreaks = 0;  ///< register cycles broken through memory (cost the program did not see)
  std::vector<mir::VReg> touched;  ///< values stored or reloaded (sorted, unique)
};

/// Rewrite `fn` (the working form the program was built from) in place.
/// False with `error` when the solution leaves a used value without a
/// register (a bug in the program).
bool emitSolution(mir::Function &fn, const Formulation &f, const std::vector<double> &x, EmitCounts &counts,
                  std::string &error);

}  // namespace vcr::optimal
