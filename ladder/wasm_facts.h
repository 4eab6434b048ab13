#pragma once
/// Facts the legacy allocator takes from the wasm operators themselves (not
/// from vcr-ra's MIR): per local, its get/set/tee accesses, whether the first
/// one is a write and whether all of them sit at syntactic nesting depth 0
/// of wasm blocks/loops/ifs (LEGACY.md, "a promoted local"); and the
/// operand-stack depth bound that sizes pool-grow's pool.

#include "arm/select/wasm_load.h"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace vcr::ladder {

/// One wasm local (parameters first, as in the wasm index space).
struct WasmLocalFacts {
  unsigned accesses = 0;    ///< local.get + local.set + local.tee
  bool firstWrite = false;  ///< the first access is a local.set or local.tee
  bool depth0 = true;       ///< every access at nesting depth 0
  bool tee = false;         ///< some access is a local.tee (it counts as a read)
};

/// One wasm function.
struct WasmFunctionFacts {
  std::vector<WasmLocalFacts> locals;  ///< by wasm local index
  /// Most entries on the wasm operand stack at once (an i64 counts once;
  /// unreachable code after br/return/unreachable is not counted): sizes
  /// the pool-grow rung's pool.
  unsigned depthBound = 0;
  /// The function has an f32/f64 parameter, result, local or operator, or
  /// calls or reads something of those types: the legacy compiler declines
  /// it on a CPU without an FPU (LEGACY.md, "Floats").
  bool floats = false;
  /// The same for f64 alone: declined on a single-precision FPU (LEGACY.md:
  /// any f64 op needs double precision, an f64 parameter declines).
  bool f64 = false;
  /// Some call_indirect has a type with an f32/f64 result: the legacy
  /// compiler declines the function (LEGACY.md, "Other operators").
  bool calliFloatResult = false;
};

/// Facts for every defined function, keyed by the index in the wasm function space.
struct WasmFacts {
  std::map<int32_t, WasmFunctionFacts> functions;
  /// The facts of function `wasmIndex`, or null.
  [[nodiscard]] const WasmFunctionFacts *find(int32_t wasmIndex) const {
    auto it = functions.find(wasmIndex);
    return it == functions.end() ? nullptr : &it->second;
  }
};

/// Read the facts from a validated binary; nullopt if it cannot be read.
[[nodiscard]] std::optional<WasmFacts> wasmFacts(const select::WasmBinary &bin);

}  // namespace vcr::ladder
