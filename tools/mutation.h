#pragma once
/// Mutation testing of the independent checker (issue 4, "the checker's
/// teeth"): inject register-allocation faults of named classes into a
/// correct allocated-form function, and decide with the reference
/// interpreter whether a mutant changes behaviour against the vreg form.

#include "core/ir/interp.h"
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
};
/// Number of mutation classes.
inline constexpr unsigned kNumMutationClasses = 13;

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

/// One input of a differential run and the vreg form's outcome on it.
struct DiffInput {
  std::vector<uint64_t> args;
  std::vector<uint8_t> memory;
  std::vector<uint32_t> globals;
  mir::ExecResult expected;            ///< the vreg form's result
  std::vector<uint8_t> expectedMemory; ///< linear memory after the vreg run
  std::vector<uint32_t> expectedGlobals;
};

/// Up to `count` random inputs for function `fn` of vreg-form module `m`,
/// with the vreg form's outcomes. Arguments mix small values, pointers into
/// linear memory and random words; memory is a seeded random image. Inputs
/// on which the vreg form exhausts its fuel are dropped (at most 4*count
/// tries).
[[nodiscard]] std::vector<DiffInput> makeDiffInputs(const mir::Module &m, const std::string &fn,
                                                    unsigned count, uint64_t seed);

/// Run `fn` of allocated-form module `allocated` on every input and compare
/// with the vreg outcome (status, results, trap reason, final memory and
/// globals; an interpreter Error or exhaustion counts as a change). Returns
/// "" when every input agrees, else a description of the first difference.
[[nodiscard]] std::string behaviourDifference(const mir::Module &allocated, const std::string &fn,
                                              const std::vector<DiffInput> &inputs);

}  // namespace vcr::tools
