#pragma once
/// A random generator of valid vreg-form MIR modules for the allocator's
/// benchmark and safety-net tests: straight-line arithmetic (i32 and i64
/// pairs), diamonds, counted loops, calls (helpers with register and stack
/// parameters, an import), memory and globals, under a chosen pressure;
/// optionally float values of both VFP classes.
/// With `states` set, `main` is instead a state machine: a dispatch loop
/// (`brtable` on a state vreg, bounded by a fuel counter) over that many
/// small states that load, compare and branch.
/// Every generated function terminates and never traps.

#include "core/ir/mir.h"

#include <cstdint>

namespace vcr::alloc::gen {

/// Shape of a generated module.
struct MirGenOptions {
  uint64_t seed = 1;
  unsigned size = 40;       ///< statements in the main function (~2.5 instructions each)
  unsigned pressure = 8;    ///< long-lived values kept until the end
  unsigned callShare = 10;  ///< percent of statements that are calls
  unsigned loopShare = 8;   ///< percent that open a counted loop
  unsigned branchShare = 8; ///< percent that open a diamond
  unsigned i64Share = 15;   ///< percent of i64 arithmetic
  unsigned memShare = 10;   ///< percent of loads/stores/globals
  /// Percent of float statements (docs/vfp.md classes): f32 and f64
  /// arithmetic, conversions, compares, selects, reinterpretation and float
  /// memory over `floatPressure` f32 locals and a third as many f64 ones,
  /// all live to the end (0: none, and no float locals).
  unsigned floatShare = 0;
  unsigned floatPressure = 0;
  /// 0: `main` is random statements (size of them). Else `main` is a state
  /// machine of this many states (about 4 blocks and 45 instructions each,
  /// `size` unused): a loop around a `brtable` dispatch whose cases load a
  /// byte, compare it and branch to blocks that set the next state.
  unsigned states = 0;
};

/// A module with helpers `h0`..`h3`, an import `env.mix` and the function
/// `main` (last). Memory: 1 page; 8 mutable globals.
[[nodiscard]] mir::Module generateModule(const MirGenOptions &opt);

}  // namespace vcr::alloc::gen
