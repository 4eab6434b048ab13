#pragma once
/// The differential harness every layer shares: seeded random inputs for a
/// function (argument words, a linear-memory image, the globals table) with
/// the reference interpreter's outcome on the vreg form, and the comparison
/// of another run (allocated MIR in the interpreter, emitted Thumb-2 in
/// Unicorn, ...) against it: status, results, trap reason, final memory and
/// final globals.

#include "core/ir/interp.h"
#include "core/ir/mir.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::mir {

/// One input and what the vreg form does on it.
struct DiffInput {
  std::vector<uint64_t> args;      ///< one per param (i32 in the low 32 bits)
  std::vector<uint8_t> memory;     ///< linear memory at entry
  std::vector<uint32_t> globals;   ///< globals table at entry
  ExecResult expected;             ///< the vreg form's outcome
  std::vector<uint8_t> expectedMemory;
  std::vector<uint32_t> expectedGlobals;
  /// Function::floatResults of the function: a NaN result matches any NaN there.
  std::vector<uint8_t> floatResults;
  /// The module computes floats (computesFloats): a NaN written to memory or
  /// a global matches any NaN (nanTolerantMismatch).
  bool nanTolerant = false;
};

/// True when some function of `m` holds a float opcode or calls a float
/// runtime routine: its NaNs may have any bits, which wasm allows.
[[nodiscard]] bool computesFloats(const Module &m);

/// The first byte where `a` and `b` differ (SIZE_MAX if none; the shorter
/// length if only the sizes differ). With `nanTolerant`, a difference is
/// none when the bytes around it read as an f32 or f64 NaN on both sides,
/// at any byte offset (a float stored unaligned) and any sign and payload:
/// wasm leaves a NaN result's bits open, so two correct executions may
/// store different NaNs. Everything else is compared bit for bit.
[[nodiscard]] size_t nanTolerantMismatch(std::span<const uint8_t> a, std::span<const uint8_t> b,
                                         bool nanTolerant);

/// An outcome to compare, from whichever executor produced it.
struct Observed {
  ExecResult::Status status = ExecResult::Status::Error;
  std::span<const uint64_t> results;
  TrapReason trap = TrapReason::Unreachable;
  std::string_view error;                 ///< executor's complaint (Error)
  std::span<const uint8_t> memory;        ///< final linear memory
  std::span<const uint32_t> globals;      ///< final globals
};

/// `bytes` pseudo-random bytes, deterministic in `seed`.
[[nodiscard]] std::vector<uint8_t> randomMemory(size_t bytes, uint64_t seed);

/// Argument words biased toward what breaks allocators and code generators:
/// small values, word-aligned addresses inside the first half of memory
/// (at most 32 KiB), values below 1024, boundary values (0, all ones,
/// INT_MIN, INT_MAX of both widths) and full random words.
[[nodiscard]] std::vector<uint64_t> randomArgs(const Signature &sig, size_t memBytes, uint64_t &state);

/// Up to `count` inputs for `fn` of vreg-form module `m` (deterministic in
/// `seed`); inputs on which the vreg run exhausts `fuel` are skipped (at most
/// 4*count tries). Empty if there is no such vreg-form function.
[[nodiscard]] std::vector<DiffInput> makeDiffInputs(const Module &m, std::string_view fn, unsigned count,
                                                    uint64_t seed, uint64_t fuel = 2'000'000);
/// The same inputs, in the same order, handed to `take` one at a time: a
/// caller that runs each and drops it holds one at once (an input carries
/// two images of the linear memory: 20 inputs of a 32 MiB memory held 1.3
/// GB). Returns how many were made.
unsigned forEachDiffInput(const Module &m, std::string_view fn, unsigned count, uint64_t seed,
                          const std::function<void(DiffInput &&)> &take, uint64_t fuel = 2'000'000);

/// The input (`args`, `memory`, the module's initial globals) with the vreg
/// form's outcome on it (`fuel` instructions at most).
[[nodiscard]] DiffInput expectOn(const Module &m, std::string_view fn, std::vector<uint64_t> args,
                                 std::vector<uint8_t> memory, uint64_t fuel = 2'000'000);

/// "" if `o` agrees with the expectation of `in`, else what differs
/// (an executor Error always differs).
[[nodiscard]] std::string compareOutcome(const DiffInput &in, const Observed &o);

/// Run `fn` of allocated-form (or any-form) module `other` in the reference
/// interpreter on every input and compare. "" when all agree, else
/// "@fn input #k (args): what differs" for the first difference. With
/// `garbageSeed`, words that hold no value read as arbitrary words
/// (ExecEnv::garbageSeed) instead of stopping the run with an Error.
[[nodiscard]] std::string behaviourDifference(const Module &other, std::string_view fn,
                                              const std::vector<DiffInput> &inputs,
                                              std::optional<uint64_t> garbageSeed = std::nullopt);

/// behaviourDifference as the hardware sees it: a first difference that is
/// only a read of a word holding no value is rerun with two garbage seeds,
/// and counts only if the garbage then changes what is observed.
[[nodiscard]] std::string observableDifference(const Module &other, std::string_view fn,
                                               const std::vector<DiffInput> &inputs);

/// "returned (1 2)", "trapped divzero", "error: ..." for messages.
[[nodiscard]] std::string describeResult(const ExecResult &r);
/// "(1, 2, 3)" for messages.
[[nodiscard]] std::string argsText(std::span<const uint64_t> args);

}  // namespace vcr::mir
