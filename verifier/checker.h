#pragma once
/// The independent register-allocation checker (issue 4). It trusts nothing
/// the allocator computed: from the vreg-form function, the allocated-form
/// function and the module (for callee signatures) it derives its own
/// liveness, its own location dataflow and its own AAPCS homes, then proves
/// per-block semantic equivalence in its SMT layer (verifier/smt: a
/// normalising hash-consed term DAG decides correct allocations; random
/// testing and then Z3 decide what normalisation leaves open).
/// Layering: verifier/ links only vcr_ir, Z3 and nlohmann_json.

#include "core/ir/mir.h"
#include "verifier/obligation.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace vcr::verifier {

/// Knobs of one check.
struct CheckOptions {
  unsigned timeoutMs = 10000;  ///< per solver query; a timeout is Unknown
  uint16_t poolMask = 0x01FF;  ///< allocatable registers, bit i = r_i (default R0-R8)
  /// If set, every SMT obligation is written here as stated (terms before
  /// normalisation) as <id>.smt2, with manifest.tsv (verifier/smt_export.h).
  std::string smtDir;
  /// Bytes of stack one function's frame may use below its entry SP (pushes,
  /// adjsp, outgoing arguments); more is a refuted `frame` obligation. That
  /// the whole call chain fits the target's stack is an assumption (proofs/).
  uint32_t stackLimit = 16 * 1024;
};

/// The verdict on one function.
struct CheckResult {
  std::vector<Obligation> obligations;
  unsigned proved = 0, refuted = 0, unknown = 0;
  uint64_t timeUs = 0;  ///< wall time of the whole check

  /// {"obligations", "proved", "refuted", "unknown", "time_us", "failures": [...]}
  [[nodiscard]] nlohmann::json toJson() const;
  /// Text summary: the counts, then every failing obligation with its
  /// counterexample (Obligation::str).
  [[nodiscard]] std::string summary() const;
  /// True iff every obligation is proved.
  [[nodiscard]] bool ok() const { return refuted == 0 && unknown == 0; }
};

/// Check that `allocated` (same name, Function::allocated) implements
/// `original` (vreg form) under AAPCS. Never throws on bad input: problems
/// become refuted structure obligations.
[[nodiscard]] CheckResult checkFunction(const mir::Function &original,
                                        const mir::Function &allocated,
                                        const mir::Module &module, const CheckOptions &opt);

}  // namespace vcr::verifier
