#pragma once
/// The checker's location dataflow (in the spirit of Rideau & Leroy's
/// equation sets and regalloc2's checker, but proved rather than trusted):
/// forward over the allocated code, the abstract state maps every location
/// (16 core registers, S0-S31 and the frame words, addressed by their byte offset from
/// the ENTRY SP) to the set of values it provably holds. Values are the
/// original function's vregs and pseudo-values for the entry contents of
/// R4-R11, LR and S16-S31, so callee-saved preservation is the same question as
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


/// Register locations: R0-R15 (0-15) and the 32-bit S registers S0-S31
/// (16-47). A D register is exactly the pair of its S locations (Dn = S2n
/// low, S2n+1 high), so writing one changes the other's view.
inline constexpr unsigned kNumLocs = mir::kNumPRegs + mir::kNumSRegs;
/// Location of S register n.
[[nodiscard]] constexpr unsigned sLoc(unsigned n) { return mir::kNumPRegs + n; }
/// "r4", "s17".
[[nodiscard]] std::string locName(unsigned loc);
/// Up to two register locations (no allocation).
struct Locs {
  std::array<unsigned, 2> at{};
  unsigned n = 0;
  [[nodiscard]] size_t size() const { return n; }
  [[nodiscard]] bool empty() const { return n == 0; }
  unsigned operator[](size_t k) const { return at[k]; }
  [[nodiscard]] const unsigned *begin() const { return at.data(); }
  [[nodiscard]] const unsigned *end() const { return at.data() + n; }
};
/// The register locations an operand covers, low word first: one for a
/// core or S register, two for a D register, none for anything else.
[[nodiscard]] inline Locs regLocs(const mir::Operand &o) {
  if (o.isPReg() && o.value < mir::kNumPRegs) return {{o.value, 0}, 1};
  if (o.isSReg() && o.value < mir::kNumSRegs) return {{sLoc(o.value), 0}, 1};
  if (o.isDReg() && o.value < mir::kNumDRegs) return {{sLoc(2 * o.value), sLoc(2 * o.value + 1)}, 2};
  return {};
}

/// Pseudo-values: entry R4..R11 (k = 0..7), entry LR (k = 8), and, in a
/// function that uses the VFP file, entry S16..S31 (k = 9..24).
inline constexpr uint32_t kNumCorePseudo = 9;
/// The most pseudo-values a function has (the size of per-value tables).
inline constexpr uint32_t kNumPseudo = kNumCorePseudo + 16;
/// The location whose entry value pseudo k stands for.
[[nodiscard]] inline unsigned pseudoLoc(uint32_t k) {
  return k < 8 ? 4 + k : k == 8 ? unsigned(mir::PReg::LR) : sLoc(16 + (k - 9));
}

/// Abstract state at one program point. A ValSet holds value ids: vreg v
/// is v, pseudo k is numVRegs + k, and word h (0 low, 1 high) of an f64
/// vreg v is numVRegs + kNumPseudo + 2v + h (an f64 is held word by word:
/// its whole id is never in a location).
struct LocState {
  bool reached = false;
  int32_t sp = 0;  ///< SP minus entry SP, in bytes
  std::array<ValSet, kNumLocs> regs;
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
  uint32_t numPseudo = kNumCorePseudo;  ///< kNumPseudo when the function uses VFP
  bool vfp = false;  ///< either side holds a float opcode or an S/D register
  std::vector<mir::RegClass> classes;  ///< of the original's vregs (mir::vregClasses)
  uint32_t inArgBytes = 0;  ///< incoming stack-parameter bytes at [entry sp + 0, ...)
  std::vector<LocState> in, out;  ///< per allocated block
  std::vector<std::vector<mir::BlockId>> succs;  ///< allocSuccs of every allocated block
  std::vector<FrameIssue> issues;

  /// Id of pseudo-value k.
  [[nodiscard]] uint32_t pseudo(uint32_t k) const { return numVRegs + k; }
  /// Whether a value id is a pseudo-value.
  [[nodiscard]] bool isPseudo(uint32_t id) const {
    return id >= numVRegs && id < numVRegs + kNumPseudo;
  }
  /// Id of word h of f64 vreg v.
  [[nodiscard]] uint32_t half(uint32_t v, unsigned h) const {
    return numVRegs + kNumPseudo + 2 * v + h;
  }
  /// Whether a value id is a word of an f64 vreg.
  [[nodiscard]] bool isHalf(uint32_t id) const { return id >= numVRegs + kNumPseudo; }
  /// The vreg of a vreg or half id.
  [[nodiscard]] uint32_t vregOf(uint32_t id) const {
    return isHalf(id) ? (id - numVRegs - kNumPseudo) / 2 : id;
  }
  /// Number of value ids (the size of tables by value id).
  [[nodiscard]] uint32_t numValues() const { return 3 * numVRegs + kNumPseudo; }
  /// Register locations in use: S0-S31 only when the function uses the VFP
  /// file (else they stay empty, and the loops skip them).
  [[nodiscard]] unsigned numLocs() const { return vfp ? kNumLocs : mir::kNumPRegs; }
  /// Whether vreg v is an f64.
  [[nodiscard]] bool isF64(uint32_t v) const {
    return v < classes.size() && classes[v] == mir::RegClass::F64;
  }
  /// "v12", "entry.r4", "v3.hi".
  [[nodiscard]] std::string valueName(uint32_t id) const;
};

/// Whether the VFP file is involved: a float opcode or S/D register on
/// either side, or an f32/f64 in the original's signature or a callee's.
/// When not, every vreg is core and S0-S31 stay out of the analysis.
[[nodiscard]] bool vfpInvolved(const mir::Function &original, const mir::Function &allocated,
                               const mir::Module &module);

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
