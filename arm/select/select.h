#pragma once
/// Instruction selection: a validated wasm binary -> a vreg-form MIR module
/// (docs/mir.md). Covers the integer MVP; a function using anything else
/// (floats, SIMD, call_indirect, memory.grow, bulk memory, multi-value...)
/// is declined with a reason and left out, the rest of the module is kept.

#include "arm/select/wasm_load.h"
#include "arm/target/cpu.h"
#include "core/ir/diag.h"
#include "core/ir/mir.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::select {

/// A function selection refused, and why ("unsupported operator 'f32.add'
/// at offset 0x2a").
struct Declined {
  std::string function;
  std::string reason;
};

/// Options of selectModule.
struct SelectOptions {
  /// Deliberately wrong lowerings, to prove the differential test has teeth:
  /// SubSwapped computes i32.sub as b - a, ShrSigned lowers i32.shr_u as an
  /// arithmetic shift, LtUnsigned lowers i32.lt_s as an unsigned compare.
  enum class Fault { None, SubSwapped, ShrSigned, LtUnsigned } fault = Fault::None;
  /// The target CPU: on cortex-m4 (no FPU) f32/f64 are core-register words
  /// and their operations runtime calls; on cortex-m4f f32 values are f32-class
  /// vregs (f64 stays words, F64 only at call boundaries), on cortex-m7 f64
  /// values are f64-class vregs too (docs/vfp.md "Selection").
  arm::Cpu cpu = arm::Cpu::CortexM4;
  /// --memory-max PAGES: memory really grows (memory.grow is `memgrow`), up
  /// to effectiveMemoryMax; unset: memory has a fixed size.
  std::optional<uint32_t> memoryMax;
};

/// The maximum a growable memory gets under --memory-max `pages`:
/// min(pages, the module's declared maximum if any), never below the initial
/// size, at most mir::kMaxGrowPages; nullopt when even the initial size is
/// above that (the memory then keeps its fixed size).
[[nodiscard]] std::optional<uint32_t> effectiveMemoryMax(uint32_t pages, uint64_t initial,
                                                         std::optional<uint64_t> declaredMax);

/// The selected module plus what was declined.
struct Selection {
  mir::Module module;
  std::vector<Declined> declined;
  /// Wasm global index -> first globals-table word (-1 for a global of a
  /// type without words, e.g. f32). An i64 global takes two words, lo first.
  std::vector<int32_t> globalWord;
};

/// Select every function of `bin`. Returns nullopt (with diagnostics) only
/// if the binary cannot be read at all; declined functions are not errors.
[[nodiscard]] std::optional<Selection> selectModule(const WasmBinary &bin, Diagnostics &diags,
                                                    const SelectOptions &opt = {});

/// Replace every character outside [A-Za-z0-9_.$-] by '_' (MIR name syntax).
[[nodiscard]] std::string sanitizeName(std::string_view s);

/// The MIR name of an import: "module.field", sanitized.
[[nodiscard]] std::string importName(std::string_view module, std::string_view field);

}  // namespace vcr::select
