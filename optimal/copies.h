#pragma once
/// Internal to the optimal allocator: which vregs hold the same value at
/// each program point because one was copied from the other (`mov d, s`)
/// and neither has been redefined since. Such values may share a register,
/// as vcr-ra's coalescing lets them (a move's ends do not interfere).

#include "core/ir/cfg.h"
#include "core/ir/mir.h"

#include <utility>
#include <vector>

namespace vcr::optimal {

/// Pairs (a, b), a < b, sorted: a and b hold the same value.
using CopyPairs = std::vector<std::pair<mir::VReg, mir::VReg>>;

/// Copies at each block entry and after each instruction.
struct FunctionCopies {
  std::vector<CopyPairs> entry;                ///< per block
  std::vector<std::vector<CopyPairs>> after;   ///< per block, per instruction
  /// Before instruction n of block b.
  [[nodiscard]] const CopyPairs &before(size_t b, size_t n) const { return n == 0 ? entry[b] : after[b][n - 1]; }
};

/// Forward dataflow (intersection at joins) over the CFG.
[[nodiscard]] FunctionCopies computeCopies(const mir::Function &fn, const mir::Cfg &cfg);

/// Equivalence classes of `present` (sorted) under `pairs`: only classes of
/// two or more values, each sorted.
[[nodiscard]] std::vector<std::vector<mir::VReg>> copyClasses(const CopyPairs &pairs,
                                                              const std::vector<mir::VReg> &present);

}  // namespace vcr::optimal
