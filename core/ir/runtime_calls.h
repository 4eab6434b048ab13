#pragma once
/// Runtime routines: the callees a `call` may name besides the module's
/// functions and imports. On a CPU without an FPU every f32/f64 operation
/// that is not a bit operation is a call to one of them under the base AAPCS
/// (f32 in one word, f64 in a lo/hi word pair, like i32/i64): the AEABI
/// soft-float routines of libgcc (`__aeabi_fadd`, ...) and our own
/// (`__vcr_fp_*`) where wasm's semantics differ from C's (min/max, nearest,
/// trapping and saturating truncation, sqrt). This table gives each its
/// signature and wasm semantics, which the reference interpreter executes.
/// The bulk-memory routines (`__vcr_memory_*`, `__vcr_data_drop`) are here
/// too: wasm's memory.copy/fill/init and data.drop on every CPU.

#include "core/ir/mir.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vcr::mir {

/// One runtime routine: MIR callee name (also its assembler symbol) and signature.
struct RuntimeFn {
  std::string_view name;
  Signature sig;
  bool ours = false;  ///< a `__vcr_fp_*` routine (arm/emit float runtime), else libgcc's AEABI
  /// A bulk-memory routine (`__vcr_memory_*`, assembly in arm/emit/runtime_asm.cpp):
  /// it reads and writes linear memory (base R11, size R10), so the
  /// interpreter runs it itself (Machine::execMemoryRoutine), not evalRuntimeFn.
  bool memory = false;
};

/// Every runtime routine, in a fixed order.
[[nodiscard]] std::span<const RuntimeFn> runtimeFns();
/// Index of the runtime routine named `name` (without '@'), if it is one.
[[nodiscard]] std::optional<uint32_t> findRuntimeFn(std::string_view name);

/// What a runtime routine does on concrete arguments (i64/f64 as one uint64).
struct RuntimeOutcome {
  bool trapped = false;
  TrapReason trap = TrapReason::Unreachable;
  uint64_t result = 0;  ///< the single result (0 words when the signature has none)
};

/// Index in runtimeFns() of `__vcr_memory_copy (dst, src, n) -> ()`: wasm's
/// memory.copy (overlap as memmove; traps oob, before any byte is written,
/// when src + n or dst + n exceeds the memory size).
[[nodiscard]] uint32_t memoryCopyFn();
/// Index of `__vcr_memory_fill (dst, value, n) -> ()`: wasm's memory.fill
/// (the low byte of value; traps oob when dst + n exceeds the memory size).
[[nodiscard]] uint32_t memoryFillFn();
/// Index of `__vcr_memory_init (dst, src, n, segment) -> ()`: wasm's
/// memory.init of data segment `segment` (Module::data); traps oob when
/// src + n exceeds the segment's length (0 once dropped, and for an active
/// segment) or dst + n the memory size.
[[nodiscard]] uint32_t memoryInitFn();
/// Index of `__vcr_data_drop (segment) -> ()`: wasm's data.drop. The dropped
/// state belongs to the run (one outermost call), like memory.
[[nodiscard]] uint32_t dataDropFn();

/// The runtime routine whose wasm semantics float opcode `op` has (index in
/// runtimeFns()), for the opcodes that compute through one: arithmetic,
/// min/max, sqrt and rounding, comparisons (fset ne: the negation of the eq
/// routine), conversions and truncations. nullopt for the bit operations
/// (abs, neg, copysign, fsel, fconst, fmovtoint/fmovfromint), memory and
/// non-float opcodes. The interpreter executes a float opcode through this
/// routine, so a float opcode and its soft-float call agree by construction;
/// on an FPU lacking the operation (FPv4: f64, rounding, min/max) the
/// emitter may call the same routine.
[[nodiscard]] std::optional<uint32_t> runtimeEquivalent(Opcode op, Cond cc = Cond::None);

/// wasm semantics of routine `index` on `args` (one per param; f32 in the
/// low 32 bits). NaN results are whatever the host produces: wasm allows any
/// NaN there, and the differential compares NaNs as wasm permits.
[[nodiscard]] RuntimeOutcome evalRuntimeFn(uint32_t index, std::span<const uint64_t> args);

}  // namespace vcr::mir
