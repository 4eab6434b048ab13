#pragma once
/// Internal to the optimal allocator: turn a solution of the program into
/// the working form with every vreg replaced by its register and the
/// transition code (stores, moves, reloads, remats) between instructions.

#include "core/ir/mir.h"
#include "optimal/formulation.h"

#include <string>
#include <vector>

namespace vcr::optimal {

/// A register cycle of a gap's parallel move that took an instruction the
/// program did not count: value v from register src (in state a) to dst
/// (in state b), for each member, in cycle order.
struct Cycle {
  size_t block = 0;
  const State *a = nullptr, *b = nullptr;
  struct Member {
    mir::VReg v;
    int src, dst;
  };
  std::vector<Member> members;
};

/// What the emission inserted (static counts).
struct EmitCounts {
  unsigned stores = 0, reloads = 0, remats = 0, moves = 0;
  /// Instructions breaking register cycles, one per cycle none of whose
  /// values is also in memory: a move via a free register or a store (cost
  /// the program did not see).
  unsigned cycleBreaks = 0;
  std::vector<Cycle> cycles;  ///< those cycles
  std::vector<mir::VReg> touched;  ///< values stored or reloaded (sorted, unique)
};

/// Rewrite `fn` (the working form the program was built from) in place.
/// False with `error` when the solution leaves a used value without a
/// register (a bug in the program).
bool emitSolution(mir::Function &fn, const Formulation &f, const std::vector<double> &x, EmitCounts &counts,
                  std::string &error);

}  // namespace vcr::optimal
