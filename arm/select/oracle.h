#pragma once
/// The oracle of the selection differential: runs a wasm function in the
/// wabt interpreter on a given memory image and globals table, with imports
/// that behave exactly like vcr::mir::mixHost, so the MIR interpreter can be
/// run on the very same state and compared.

#include "arm/select/wasm_load.h"
#include "core/ir/diag.h"
#include "core/ir/mir.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vcr::select {

/// The outcome of one oracle run.
struct OracleRun {
  enum class Status { Returned, Trapped, Exhausted, Error } status = Status::Error;
  std::vector<uint64_t> results;  ///< one per result (i32 in the low 32 bits)
  std::string trap;               ///< wabt's trap message (Trapped/Exhausted)
  mir::TrapReason reason = mir::TrapReason::Unreachable;  ///< the trap as MIR names it
  std::vector<uint8_t> memory;    ///< final linear memory
  std::vector<uint32_t> globals;  ///< final globals table words (same layout as selection)
  std::string error;              ///< what went wrong (Error)
};

/// Map a wabt trap message to a MIR trap reason (nullopt: not a wasm trap,
/// e.g. "call stack exhausted").
[[nodiscard]] std::optional<mir::TrapReason> trapReasonFromWabt(const std::string &message);

/// Default instruction budget of Oracle::run, in wasm instructions (wabt
/// interprets some 10^8 a second): a run beyond it is Exhausted.
inline constexpr uint64_t kOracleBudget = 1'000'000'000;

/// An instantiated module in the wabt interpreter.
class Oracle {
public:
  /// Instantiate `bin` with host imports; nullopt with diagnostics on failure
  /// (unreadable binary, a trapping start function, a memory over 1024 pages).
  /// `memoryMax`: the memory may grow up to that many pages (--memory-max,
  /// the selected module's Module::memoryMax); unset, it keeps its initial size.
  [[nodiscard]] static std::optional<Oracle> create(const WasmBinary &bin, Diagnostics &diags,
                                                    std::optional<uint32_t> memoryMax = std::nullopt);
  /// Run function `wasmFuncIndex` (wasm function space) with `args` (one
  /// uint64 per param) after overwriting the instance's memory with
  /// `memoryImage` (zero-padded or truncated to the memory size) and its
  /// globals with `globalWords` (i32 global: one word, i64: lo, hi).
  /// At most `budget` wasm instructions execute (callees included): a run
  /// that needs more ends as Exhausted, as does deep recursion (wabt's call
  /// stack limit).
  [[nodiscard]] OracleRun run(uint32_t wasmFuncIndex, std::span<const uint64_t> args,
                              const std::vector<uint8_t> &memoryImage,
                              const std::vector<uint32_t> &globalWords,
                              uint64_t budget = kOracleBudget);
  /// Number of functions in the wasm function space.
  [[nodiscard]] uint32_t numFunctions() const;

  Oracle(Oracle &&) noexcept;
  Oracle &operator=(Oracle &&) noexcept;
  ~Oracle();

private:
  struct State;
  explicit Oracle(std::unique_ptr<State> st);
  std::unique_ptr<State> st_;
};

}  // namespace vcr::select
