#pragma once
/// The allocation cost model shared by vcr-ra, the legacy model and the
/// optimal allocator (docs/optimal.md): every allocator-inserted spill
/// store, reload, rematerialisation, frame load/store and non-self move,
/// weighted 10^loop-depth (depth capped at 8, as vcr-ra's spill cost).

#include "core/ir/mir.h"

#include <cstdint>

namespace vcr::optimal {

/// One allocated function's cost under the model, with its parts. Counts
/// are static (instructions); `weighted` is the model's cost.
struct Cost {
  unsigned stores = 0;   ///< `sts` marked !spill or !frame
  unsigned reloads = 0;  ///< `lds` marked !reload or !frame, and !inarg of a slot loaded before
  unsigned remats = 0;   ///< `movi` or `fconst` marked !remat
  unsigned moves = 0;    ///< `mov` that is not a self-move (any origin)
  uint64_t weighted = 0; ///< sum over those instructions of 10^min(depth, 8)
  [[nodiscard]] unsigned instructions() const { return stores + reloads + remats + moves; }
};

/// 10^min(depth, 8): the weight of one instruction at loop depth `depth`.
[[nodiscard]] uint64_t depthWeight(uint32_t depth);

/// Score an allocated-form function. Loop depth comes from the function's
/// own CFG. Loads of an incoming stack parameter (`lds !inarg`): the ABI
/// needs one of each slot, at the entry (weight 1), so the first load of a
/// slot costs its weight minus 1 (nothing at the entry, 9 in a loop) and
/// every further one is a reload; a parameter nothing reads costs nothing,
/// loaded or not. Push/pop, ABI constants (`movi !move`)
/// and outgoing stack arguments are not part of the model.
[[nodiscard]] Cost scoreAllocation(const mir::Function &allocated);

}  // namespace vcr::optimal
