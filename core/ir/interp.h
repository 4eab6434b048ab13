#pragma once
/// Reference interpreter: the executable statement of MIR semantics.
/// Runs a function of a module, in vreg form or in allocated form, on
/// concrete arguments and a linear-memory image.
///
/// Vreg form: values live in vregs; calls pass values directly.
/// Allocated form: a machine state of 16 registers and a byte-addressed
/// stack. Arguments are placed per AAPCS (R0-R3, i64 in even pairs, then the
/// stack; f32/f64 per AAPCS-VFP in S0-S15 / D0-D7, results in S0 / D0); a
/// call clobbers R0-R3, R12 and LR; the callee-saved registers and SP are
/// checked at return. Reading a register that holds no value (never
/// written, or clobbered by a call) is an Error, not garbage: this is the
/// allocator's safety net. R9, R10 and R11 have their runtime roles (globals
/// base, memory size in bytes, memory base; set at the outermost entry):
/// load/store bounds-check against the current R10 and access R11 + ea,
/// gget/gset access R9 + 4*index, memsize is R10 >> 16, as the emitted code
/// does; an access that a changed R9-R11 sends outside the linear-memory image
/// or the globals table is an Error (docs/mir.md, "Semantics").
/// Float opcodes (docs/mir.md, "Float classes (VFP)") compute wasm's results
/// through their runtime routines; in vreg form an f64 vreg holds 64 bits, in
/// allocated form the VFP file S0-S31 (Dn = S2n:S2n+1) sits beside the core
/// registers: S16-S31 are callee-saved and checked at return, a call leaves
/// S0-S15 holding no value but an f32/f64 result, a callee starts with
/// S0-S15 holding only its f32/f64 parameters.

#include "core/ir/mir.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vcr::mir {

/// A host function for imports: gets the import name and the argument
/// values (i64 and f64 as one uint64, i32 and f32 in the low 32 bits),
/// returns the result values (of an i32 or f32 only the low 32 bits count).
using HostFn = std::function<std::vector<uint64_t>(const Import &, std::span<const uint64_t>)>;

/// The deterministic host used by tests and the differential: each result
/// is a hash of the import name, the result index and the arguments.
[[nodiscard]] std::vector<uint64_t> mixHost(const Import &imp, std::span<const uint64_t> args);

struct ExecEnv {
  std::vector<uint8_t> memory;    ///< linear memory (its size is memory.size)
  std::vector<uint32_t> globals;  ///< globals table words
  HostFn host = mixHost;
  uint64_t fuel = 50'000'000;     ///< instructions before giving up
  uint32_t maxDepth = 256;        ///< call depth before giving up
  /// Allocated form: when set, a register or stack word that holds no value
  /// reads as an arbitrary word (a hash of this seed, the location and the
  /// step) instead of being an Error: the hardware's view, where such a read
  /// is harmless if the word is dead. Oracles that must not call a dead read
  /// of garbage a behaviour change run a suspect twice with two seeds.
  std::optional<uint64_t> garbageSeed;
};

struct ExecResult {
  enum class Status : uint8_t {
    Returned,   ///< normal return; `results` holds one value per result type
    Trapped,    ///< a wasm-level trap; `trap` says which
    Exhausted,  ///< fuel or call depth ran out (no verdict)
    Error       ///< the MIR itself is wrong: `error` says where and why
  };
  Status status = Status::Error;
  std::vector<uint64_t> results;
  TrapReason trap = TrapReason::Unreachable;
  std::string error;
  uint64_t steps = 0;  ///< instructions executed, callees included
};

/// Run function `fn` of `m` with `args` (one uint64 per param; i32 and f32
/// params use the low 32 bits, an f64 all 64). Every function of `m` must be in the same form.
[[nodiscard]] ExecResult execute(const Module &m, std::string_view fn,
                                 std::span<const uint64_t> args, ExecEnv &env);

}  // namespace vcr::mir
