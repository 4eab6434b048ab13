#pragma once
/// Internal to the optimal allocator: liveness of vregs and of the
/// physical registers (their units, optimal/regfile.h) at every instruction
/// of a working-form function.

#include "core/ir/cfg.h"
#include "core/ir/mir.h"
#include "optimal/regfile.h"

#include <cstdint>
#include <vector>

namespace vcr::optimal {

/// Liveness around one instruction. Vreg lists are sorted; register masks
/// are unit masks (RegFile).
struct PointLiveness {
  std::vector<mir::VReg> before, after;
  UnitMask pregBefore = 0, pregAfter = 0;
};

/// Per block, per instruction; plus each block's live-in vregs and registers.
struct FunctionLiveness {
  std::vector<std::vector<PointLiveness>> at;
  std::vector<std::vector<mir::VReg>> liveIn;
  std::vector<UnitMask> pregLiveIn;
};

/// Vreg operands of `ops`, sorted and deduplicated.
[[nodiscard]] std::vector<mir::VReg> vregsOf(const mir::OperandList &ops);

/// Backward dataflow over the CFG, then one walk per block.
[[nodiscard]] FunctionLiveness computeLiveness(const mir::Function &fn, const mir::Cfg &cfg,
                                               const RegFile &file);

}  // namespace vcr::optimal
