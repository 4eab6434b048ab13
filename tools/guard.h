#pragma once
/// The ladder as a defence-in-depth assertion: vcr-ra's allocator runs
/// first; if it ever fails on a function, the legacy recovery ladder's rungs
/// are tried and the firing is recorded. A strict run fails on any firing.

#include "core/alloc/allocator.h"

#include <optional>
#include <string>

namespace vcr::tools {

/// One firing of the ladder: vcr-ra failed on `function`, `rung` produced
/// the code instead (or "exhausted"), and `reason` is vcr-ra's failure.
struct LadderFiring {
  std::string function, rung, reason;
};

struct GuardedAllocation {
  alloc::AllocResult result;           ///< vcr-ra's, or the ladder's when it fired
  std::optional<LadderFiring> firing;  ///< set iff the ladder fired
};

/// Allocate `f` with `primary`; on failure run the legacy ladder.
[[nodiscard]] GuardedAllocation guardedAllocate(alloc::Allocator &primary, const mir::Function &f,
                                                const mir::Module &m, const alloc::AllocOptions &opt);

}  // namespace vcr::tools
