#pragma once
/// Liveness of MIR values: per-block live-in/live-out sets (backward dataflow
/// to a fixpoint) and the peak register pressure of a vreg-form function.

#include "core/alloc/nodes.h"
#include "core/ir/cfg.h"
#include "core/ir/mir.h"

#include <vector>

namespace vcr::alloc {

/// Per-block live sets. In the public use (`compute`) the sets are indexed by
/// vreg; the allocator's working form indexes them by node (see nodes.h).
struct Liveness {
  std::vector<Bits> liveIn, liveOut;  ///< per block, indexed by vreg (or node)

  /// Liveness of a vreg-form function (physical registers are ignored).
  [[nodiscard]] static Liveness compute(const mir::Function &f, const mir::Cfg &cfg);
  /// Liveness over the nodes of `map` (the allocator's working form).
  [[nodiscard]] static Liveness computeNodes(const mir::Function &f, const mir::Cfg &cfg,
                                             const NodeMap &map);
};

/// Liveness restricted to the "global" nodes: those read in some block
/// before being written there (only they can be live across a block
/// boundary). Block-local values need no dataflow; keeping them out makes
/// the sets small for large functions.
struct GlobalLiveness {
  std::vector<uint32_t> nodes;        ///< compact index -> node
  std::vector<Bits> liveIn, liveOut;  ///< per block, over compact indices

  [[nodiscard]] static GlobalLiveness compute(const mir::Function &f, const mir::Cfg &cfg,
                                              const NodeMap &map);
};

/// Maximum over program points of the number of simultaneously live vregs
/// (an i64 is two vregs). Computed by a backward scan of each block from its
/// live-out set; at an instruction the values live after it plus its defs
/// count (a def that is never used still counts at its def point), and so do
/// the values live before it.
[[nodiscard]] unsigned peakPressure(const mir::Function &f);

}  // namespace vcr::alloc
