#pragma once
/// The legacy compiler's recovery ladder (LEGACY.md, "The ladder") over the
/// legacy allocator model. Each rung reruns the whole function:
///  - base (promotion on, no spill rung);
///  - spill, only after "all allocatable registers are live on the stack";
///  - param-backing, only after "no consecutive pair of free registers for
///    i64" (the base attempt can give it: then spill is skipped);
///  - promotion-off: the above again without promotion, after any
///    exhaustion; if it fails too, the promotion-on error is reported;
///  - pool-grow: after "i64 spill-slot pool exhausted", everything again
///    (base included) with a pool of depth bound + 4 slots in [8, 120].
///  - vfp-spill: after "VFP register file exhausted" or "VFP D-register
///    file exhausted" at base, base with the VFP file spilling;
///    vfp-spill+int: both files spilling, after a VFP exhaustion at spill or
///    param-backing (their configuration kept) or a core exhaustion at
///    vfp-spill.
/// A function is declined before any attempt (legacyDecline): call_indirect,
/// floats without an FPU, f64 without double precision, a float argument on
/// the stack.

#include "core/alloc/allocator.h"
#include "ladder/legacy.h"

#include <memory>
#include <string>
#include <vector>

namespace vcr::ladder {

/// One attempt the ladder made.
struct LadderAttempt {
  std::string rung;            ///< base, spill, param-backing, vfp-spill, vfp-spill+int, or pool-grow[+...]
  bool promotionOff = false;   ///< made by the promotion-off retry
  LegacyConfig config;
  LegacyError error = LegacyError::None;  ///< None: it allocated
  std::string message;
};

/// What the ladder did for one function.
struct LadderResult {
  /// "base", "spill", "param-backing", "vfp-spill", "vfp-spill+int",
  /// "promotion-off", "pool-grow", "exhausted", or "declined" (legacyDecline:
  /// no attempt runs).
  std::string rung;
  alloc::AllocResult result;            ///< of the attempt that worked (or the reported failure)
  std::vector<LadderAttempt> attempts;  ///< in order
  unsigned promotedLocals = 0;          ///< at the base attempt
  unsigned depthBound = 0;              ///< wasm operand-stack depth bound (without wasm facts: the model's, on MIR)
  LegacyError error = LegacyError::None;  ///< the reported error when exhausted
};

/// Run the ladder on one vreg-form function of `m`.
[[nodiscard]] LadderResult runLadder(const mir::Function &f, const mir::Module &m, const LegacyEnv &env = {});

/// The legacy compiler's per-rung log: one line per attempt,
/// `rung=<name> [promotion-off] result=ok|exhausted`.
[[nodiscard]] std::string legacyTrace(const LadderResult &r);

/// The ladder as an Allocator ("legacy-ladder"): the code of the rung that
/// worked, temps from the pool option.
[[nodiscard]] std::unique_ptr<alloc::Allocator> makeLadderAllocator();

}  // namespace vcr::ladder
