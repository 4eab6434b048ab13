#pragma once
/// Mutation testing of the independent checker (issue 4, "the checker's
/// teeth"): inject register-allocation faults of named classes into a
/// correct allocated-form function. Whether a mutant changes behaviour is
/// decided with the shared differential harness (core/ir/diff.h).

#include "core/ir/mir.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::tools {

/// The fault classes. Each names one way an allocator can go wrong.
enum class MutationClass : uint8_t {
  SwapRegsAtUse,             ///< two register uses of one original instruction swapped
  DropReload,                ///< an `lds ... !reload` removed
  ReloadWrongSlot,           ///< a reload reads another slot
  DropSpillStore,            ///< an `sts ... !spill` removed
  SpillIntoLiveSlot,         ///< a spill store redirected to another slot in use
  ReverseMove,               ///< `mov a, b` becomes `mov b, a`
  ClobberCalleeSaved,        ///< R4-R8 written without a save (or its save removed)
  ReadCallerSavedAfterCall,  ///< a use after a call renamed to a clobbered R0-R3
  WrongCallArgReg,           ///< the writer of a call argument register writes another one
  SwapI64Halves,             ///< lo/hi of an i64 pair swapped at a pair operation
  WrongReturnRegister,       ///< the writer of R0 before `ret` writes another register
  WrongRematConstant,        ///< a `movi ... !remat` gets another value
  StackOutsideFrame,         ///< a stack access [sp+N] moved beyond the frame
  // The VFP file (docs/vfp.md), in code allocated for cortex-m4f/m7:
  VfpWrongSReg,              ///< an S register use of an original instruction renamed to another
  VfpDOverLiveS,             ///< a D (or S) write moved onto a register whose S half is read later
  VfpReadCallerSavedAfterCall,  ///< a use after a call renamed to a clobbered S0-S15
  VfpMissingVPush,           ///< a callee-saved S register left out of the VPUSH and VPOP
  VfpWrongFloatArg,          ///< the writer of a call's S/D argument register writes another one
};
/// Number of mutation classes.
inline constexpr unsigned kNumMutationClasses = 18;

/// Every class, in declaration order.
[[nodiscard]] std::array<MutationClass, kNumMutationClasses> allMutationClasses();
/// "SwapRegsAtUse", ... (the enumerator's name).
[[nodiscard]] std::string_view mutationClassName(MutationClass c);

/// One faulty variant of an allocated function.
struct Mutant {
  MutationClass cls = MutationClass::SwapRegsAtUse;
  mir::Function function;   ///< the mutated allocated-form function
  std::string description;  ///< "bb2:5 `add r0, r1, r2` -> `add r0, r2, r1`"
};

/// Mutants of class `c` of allocated function `allocated`, one per
/// applicable site; when there are more than `maxMutants` sites, a subset
/// chosen by `seed` (deterministic). Empty when the class has no site.
[[nodiscard]] std::vector<Mutant> mutate(const mir::Function &allocated, MutationClass c,
                                         uint64_t seed, unsigned maxMutants = 3);

}  // namespace vcr::tools
