#pragma once
/// Obligations: the named, reportable units the checker proves or refutes,
/// and their JSON form. Kinds (proofs/obligations.md states each formally):
///   structure  - operands, block correspondence, inserted-instruction kinds
///   abi.params - the `param` declaration names the AAPCS homes
///   abi.call   - a call site's operand lists name the AAPCS homes, the SP is
///                8-byte aligned, and (semantically) every argument word is
///                in its home
///   abi.ret    - `ret` names R0 / R0:R1 and (semantically) they hold the result
///   preserve   - at a return R4-R11 and LR hold their entry values, SP = entry SP
///   frame      - stack accesses inside the frame, aligned, SP agrees at joins
///   edge       - the predecessor's exit relation includes the successor's entry
///   effects    - same loads/stores (addresses), traps, calls (memory, globals)
///                and the same memory and globals at block exit
///   branch     - the same branch decision
///   exit       - every live-out vreg equals the content of its locations

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace vcr::verifier {

/// Outcome of one obligation.
enum class Status : uint8_t { Proved, Refuted, Unknown };
/// "proved", "refuted", "unknown".
[[nodiscard]] const char *statusName(Status s);

/// A concrete reason for a refutation.
struct Counterexample {
  /// Input values (block live-ins, location contents, arguments) by name.
  std::vector<std::pair<std::string, uint64_t>> inputs;
  std::string location;   ///< the diverging location or event ("r4", "memory", "trap #1")
  std::string expected;   ///< its value on the vreg side (original function)
  std::string actual;     ///< its value on the allocated side
  /// The allocated instructions that led there, with the values they produced.
  std::vector<std::string> trail;
};

/// One named proof obligation.
struct Obligation {
  std::string id;        ///< "f.bb3.exit"
  std::string kind;      ///< see the header comment
  std::string function;
  int32_t block = -1;    ///< allocated block index, -1 for function-level
  Status status = Status::Unknown;
  std::string method = "syntactic";  ///< "syntactic", "testing" (random counterexample) or "z3"
  uint64_t solverTimeUs = 0;
  std::string detail;    ///< for a failure: what is wrong, in words
  bool hasCounterexample = false;
  Counterexample cex;

  /// JSON object of this obligation.
  [[nodiscard]] nlohmann::json toJson() const;
  /// Human-readable report: one line, plus the counterexample if any.
  [[nodiscard]] std::string str() const;
};

}  // namespace vcr::verifier
