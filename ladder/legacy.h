#pragma once
/// A model of the legacy single-pass register allocator (LEGACY.md; rule by
/// rule in docs/ladder.md): one walk over the selected vreg MIR in wasm
/// operator order, keeping the operand stack in registers taken round-robin
/// (R0-R8, or the pool given), with its reservations (parameter homes,
/// promoted locals, values crossing blocks, i64 pairs), its spilling to a
/// small pool of 8-byte slots and its call marshalling. It produces real
/// allocated MIR (docs/mir.md) or one of the legacy compiler's three
/// exhaustion errors.

#include "core/alloc/allocator.h"
#include "core/ir/mir.h"
#include "ladder/wasm_facts.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vcr::ladder {

/// Knobs the recovery ladder turns.
struct LegacyConfig {
  bool promotion = true;     ///< promote eligible i32 locals of leaf functions to R4..R8
  bool spilling = false;     ///< reserve the spill pool; spill the deepest stack entry when full
  bool paramBacking = false; ///< store register params to frame slots at entry
  unsigned poolSlots = 8;    ///< 8-byte slots of the spill pool
  /// The vfp-spill rungs: when S0-S15 (or D0-D7) have no free register,
  /// spill the deepest f32/f64 value of the block to the spill pool.
  bool vfpSpilling = false;
};

/// What the model is given besides the function: the temp pool and the
/// wasm operators' facts.
struct LegacyEnv {
  /// Temps in round-robin order (default the legacy R0-R8; R12 and LR may be
  /// added for the pool-size experiment).
  std::vector<mir::PReg> temps = defaultTemps();
  /// Facts of this function's wasm operators (promotion eligibility counted
  /// on them); null: approximated on the MIR.
  const WasmFunctionFacts *wasm = nullptr;
  /// The CPU has an FPU (cortex-m4f, cortex-m7). Without one the legacy
  /// compiler declines every function whose wasm facts show floats (it has
  /// no soft-float calls).
  bool fpu = false;
  /// The FPU has double precision (vcr-ra's cortex-m7, FPv5-D16: the legacy
  /// compiler's cortex-m7dp). Without it any f64 declines the function.
  bool f64 = false;
  /// R0-R8.
  [[nodiscard]] static std::vector<mir::PReg> defaultTemps();
};

/// Why a legacy attempt failed.
enum class LegacyError : uint8_t {
  None,
  NoFreeTemp,     ///< "all allocatable registers are live on the stack"
  NoPair,         ///< "no consecutive pair of free registers for i64"
  PoolExhausted,  ///< "i64 spill-slot pool exhausted"
  VfpExhausted,   ///< "VFP register file exhausted" (no free S0-S15 for an f32)
  VfpDExhausted,  ///< "VFP D-register file exhausted" (no free D0-D7 for an f64)
  Skipped,        ///< the rung does not apply (param-backing with an i64/f64 param in registers)
  Malformed       ///< the input is not selected vreg MIR this model understands
};

/// The legacy compiler's message for an error.
[[nodiscard]] std::string_view legacyErrorText(LegacyError e);

/// One legacy attempt in full.
struct LegacyOutcome {
  alloc::AllocResult result;      ///< ok, or the error text in result.error
  LegacyError error = LegacyError::None;
  unsigned promotedLocals = 0;    ///< locals promoted to R4..R8
  unsigned maxStackDepth = 0;     ///< operand-stack depth bound (stack entries, an i64 counted once)
};

/// The legacy allocator with one fixed configuration.
class LegacyAllocator final : public alloc::Allocator {
public:
  explicit LegacyAllocator(LegacyConfig cfg = {}, LegacyEnv env = {}) : cfg_(cfg), env_(std::move(env)) {}
  /// "legacy".
  [[nodiscard]] std::string_view name() const override { return "legacy"; }
  /// Allocate `f`; on exhaustion result.ok is false and result.error holds
  /// "function 'f': <legacy message> (at block:instr)". The pool option
  /// gives the temps (in register order); wasm facts are not available here.
  [[nodiscard]] alloc::AllocResult allocate(const mir::Function &f, const mir::Module &m,
                                            const alloc::AllocOptions &opt) override;
  /// The same, with the error kind and the model's facts.
  [[nodiscard]] LegacyOutcome run(const mir::Function &f, const mir::Module &m) const;
  /// The configuration.
  [[nodiscard]] const LegacyConfig &config() const { return cfg_; }

private:
  LegacyConfig cfg_;
  LegacyEnv env_;
};

/// Why the legacy compiler declines `f` before any attempt runs (LEGACY.md,
/// "Floats", "Other operators"), or "" when it does not: call_indirect;
/// floats without an FPU; f64 without double precision; a float argument
/// (of `f` or of a callee) that AAPCS-VFP would pass on the stack.
[[nodiscard]] std::string legacyDecline(const mir::Function &f, const mir::Module &m, const LegacyEnv &env);

/// Operand-stack depth bound of `f` (the most stack entries live at once
/// in the model, i64 entries counted once); used to size the grown pool.
[[nodiscard]] unsigned stackDepthBound(const mir::Function &f);

}  // namespace vcr::ladder
