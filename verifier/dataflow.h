#pragma once
/// The checker's location dataflow (in the spirit of Rideau & Leroy's
/// equation sets and regalloc2's checker, but proved rather than trusted):
/// forward over the allocated code, the abstract state maps every location
/// (16 registers and the frame words, addressed by their byte offset from
/// the ENTRY SP) to the set of values it provably holds. Values are the
/// original function's vregs and pseudo-values for the entry contents of
/// R4-R11 and LR, so callee-saved preservation is the same question as
/// "does r4 hold entry-r4 at ret". The SP offset is tracked through
/// push/pop/adjsp and must agree at joins. Meet is intersection.
///
/// Nothing here is trusted: the per-block SMT check proves every relation
/// the dataflow claims at a block exit from the relations it claims at the
/// block entry. The dataflow only decides which relations to ask for.

#include "core/ir/mir.h"
#include "verifier/liveness.h"
#include "verifier/pairing.h"
#include "verifier/valset.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vcr::verifier {


/// Number of pseudo-values: entry R4..R11 (k = 0..7) and entry LR (k = 8).
inline constexpr uint32_t kNumPseudo = 9;
/// The register whose entry value pseudo k stands for.
[[nodiscard]] inline mir::PReg pseudoReg(uint32_t k) {
  return k < 8 ? static_cast<mir::PReg>(4 + k) : mir::PReg::LR;
}

/// Abstract state at one program point. A ValSet holds value ids: vreg v
/// is v, pseudo k is numVRegs + k.
struct LocState {
  bool reached = false;
  int32_t sp = 0;  ///< SP minus entry SP, in bytes
  std::array<ValSet, mir::kNumPRegs> regs;
  FrameMap frame;  ///< entry-SP-relative byte offset -> values
  friend bool operator==(const LocState &, const LocState &) = default;
};

/// A frame or stack-pointer problem found while walking the code.
struct FrameIssue {
  uint32_t block = 0;
  int32_t instr = -1;  ///< -1: at the block entry (join)
  std::string what;
};

/// Fixpoint of the location dataflow.
struct Dataflow {
  uint32_t numVRegs = 0;
  uint32_t inArgBytes = 0;  ///< incoming stack-parameter bytes at [entry sp + 0, ...)
  std::vector<LocState> in, out;  ///< per allocated block
  std::vector<std::vector<mir::BlockId>> succs;  ///< allocSuccs of every allocated block
  std::vector<FrameIssue> issues;

  /// Id of pseudo-value k.
  [[nodiscard]] uint32_t pseudo(uint32_t k) const { return numVRegs + k; }
  /// Whether a value id is a pseudo-value.
  [[nodiscard]] bool isPseudo(uint32_t id) const { return id >= numVRegs; }
  /// "v12" or "entry.r4".
  [[nodiscard]] std::string valueName(uint32_t id) const;
};

/// Run the dataflow to its fixpoint and collect frame issues, among them
/// any point where the frame would use more than `stackLimit` bytes of
/// stack below the entry SP.
[[nodiscard]] Dataflow computeDataflow(const mir::Function &original,
                                       const mir::Function &allocated, const mir::Module &module,
                                       const Pairing &p, const Liveness &live,
                                       uint32_t stackLimit);

/// Reverse post-order of the blocks reachable from block 0, given each
/// block's successors (the checker's own order; unreachable blocks omitted).
[[nodiscard]] std::vector<mir::BlockId> reversePostOrder(
    const std::vector<std::vector<mir::BlockId>> &succs);

/// Name of a frame word, relative to the entry SP: "[entry-8]", "[entry+0]".
[[nodiscard]] std::string frameName(int32_t offset);

}  // namespace vcr::verifier
