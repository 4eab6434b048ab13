#pragma once
/// The legacy compiler's recovery ladder (domain brief, section 3) over the
/// legacy allocator model: base, spill-on-exhaustion, param frame-backing,
/// promotion-off (rungs 0-3 again without local promotion) and pool-grow
/// (a spill pool of operand-stack depth bound + 4 slots, at most 120).

#include "core/alloc/allocator.h"
#include "ladder/legacy.h"

#include <memory>
#include <string>
#include <vector>

namespace vcr::ladder {

/// One attempt the ladder made.
struct LadderAttempt {
  std::string rung;   ///< the rung it belongs to
  LegacyConfig config;
  LegacyError error = LegacyError::None;  ///< None: it allocated
  std::string message;
};

/// What the ladder did for one function.
struct LadderResult {
  /// "base", "spill", "param-backing", "promotion-off", "pool-grow" or "exhausted".
  std::string rung;
  alloc::AllocResult result;            ///< of the attempt that worked (or the last failure)
  std::vector<LadderAttempt> attempts;  ///< in order
  unsigned promotedLocals = 0;          ///< at the base attempt
  unsigned depthBound = 0;              ///< operand-stack depth bound
};

/// Run the ladder on one vreg-form function of `m`.
[[nodiscard]] LadderResult runLadder(const mir::Function &f, const mir::Module &m);

/// The ladder as an Allocator ("legacy-ladder"): the code of the rung that worked.
[[nodiscard]] std::unique_ptr<alloc::Allocator> makeLadderAllocator();

}  // namespace vcr::ladder
