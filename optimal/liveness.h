#pragma once
/// Internal to the optimal allocator: liveness of vregs and of the pool's
/// physical registers at every instruction of a working-form function.

#include "core/ir/cfg.h"
#include "core/ir/mir.h"

#include <array>
#include <cstdint>
#include <vector>

namespace vcr::optimal {

/// Liveness around one instruction. Vreg lists are sorted; register masks
/// have bit j for the j-th pool register.
struct PointLiveness {
  std::vector<mir::VReg> before, after;
  uint32_t pregBefore = 0, pregAfter = 0;
};

/// Per block, per instruction; plus each block's live-in vregs and registers.
struct FunctionLiveness {
  std::vector<std::vector<PointLiveness>> at;
  std::vector<std::vector<mir::VReg>> liveIn;
  std::vector<uint32_t> pregLiveIn;
};

/// The pool index of each physical register (-1: not in the pool).
using PoolIndex = std::array<int, mir::kNumPRegs>;

/// Vreg operands of `ops`, sorted and deduplicated.
[[nodiscard]] std::vector<mir::VReg> vregsOf(const mir::OperandList &ops);
/// Pool-register mask of the physical operands of `ops`.
[[nodiscard]] uint32_t pregMask(const mir::OperandList &ops, const PoolIndex &idx);

/// Backward dataflow over the CFG, then one walk per block.
[[nodiscard]] FunctionLiveness computeLiveness(const mir::Function &fn, const mir::Cfg &cfg,
                                               const PoolIndex &idx);

}  // namespace vcr::optimal
