#pragma once
/// A random generator of valid vreg-form MIR modules for the allocator's
/// benchmark and safety-net tests: straight-line arithmetic (i32 and i64
/// pairs), diamonds, counted loops, calls (helpers with register and stack
/// parameters, an import), memory and globals, under a chosen pressure.
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
};

/// A module with helpers `h0`..`h3`, an import `env.mix` and the function
/// `main` (last). Memory: 1 page; 8 mutable globals.
[[nodiscard]] mir::Module generateModule(const MirGenOptions &opt);

}  // namespace vcr::alloc::gen
