#pragma once
/// Structural obligations and the instruction pairing they establish:
/// allocated block i corresponds to original block i (extra blocks only as
/// inserted edge blocks), every original instruction appears in order with
/// the same opcode and fields and with physical registers for vregs, and
/// every inserted instruction is of an allowed kind with allowed registers.

#include "core/ir/mir.h"
#include "verifier/obligation.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace vcr::verifier {

/// How the allocated function lines up with the original one.
struct Pairing {
  uint32_t numOrigBlocks = 0;
  /// Per allocated block, per instruction: index of the original instruction
  /// it implements in the same-numbered original block, or -1 if inserted.
  std::vector<std::vector<int32_t>> orig;
  /// Per allocated block: pure original instructions the allocator removed
  /// (coalesced moves, constants rematerialised at their uses, dead code),
  /// as (allocated position, original index): the vreg side executes them
  /// alone, just before allocated instruction `position`.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> elided;
  /// Per allocated block: the original block its control reaches (itself for
  /// b < numOrigBlocks, the branch target for an edge block).
  std::vector<mir::BlockId> resolved;
  /// Per vreg of the original: the constant c when its only definition in
  /// the whole function is `movi v, #c` (rematerialisable), else nullopt.
  std::vector<std::optional<uint32_t>> constOf;
  /// Per vreg: the bits (hi << 32 | lo) when its only definition is
  /// `fconst.f64 v, #lo, #hi` (`constOf` covers `fconst.f32 v, #c` as c).
  std::vector<std::optional<uint64_t>> const64Of;

  /// The original instruction paired with allocated instruction (b, i), or null.
  [[nodiscard]] const mir::Instr *origInstr(const mir::Function &original, uint32_t b,
                                            uint32_t i) const {
    if (b >= numOrigBlocks || orig[b][i] < 0) return nullptr;
    return &original.blocks[b].instrs[static_cast<size_t>(orig[b][i])];
  }
};

/// Check the structure of `allocated` against `original`. Appends the
/// function-level and per-block structure obligations to `out`. Returns the
/// pairing if the correspondence holds; nullopt means later stages cannot
/// run (the structure obligations then say why).
[[nodiscard]] std::optional<Pairing> checkStructure(const mir::Function &original,
                                                    const mir::Function &allocated,
                                                    const mir::Module &module, uint16_t poolMask,
                                                    std::vector<Obligation> &out);

/// Obligation skeleton named "<function>.<suffix>".
[[nodiscard]] Obligation makeObligation(const std::string &function, const std::string &suffix,
                                        const std::string &kind, int32_t block);
/// Mark `o` refuted syntactically, appending `why` to its detail.
void refute(Obligation &o, const std::string &why);

}  // namespace vcr::verifier
