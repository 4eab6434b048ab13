#pragma once
/// Liveness of MIR values: per-block live-in/live-out sets (backward dataflow
/// to a fixpoint) and the peak register pressure of a vreg-form function.

#include "core/alloc/nodes.h"
#include "core/ir/cfg.h"
#include "core/ir/mir.h"

#include <vector>

namespace vcr::alloc {

/// Per-block live sets. In the public use (`compute`) the sets are indexed by
/// vreg; the allocator's working form indexes them by node (see nodes.h).
struct Liveness {
  std::vector<Bits> liveIn, liveOut;  ///< per block, indexed by vreg (or node)

  /// Liveness of a vreg-form function (physical registers are ignored).
  [[nodiscard]] static Liveness compute(const mir::Function &f, const mir::Cfg &cfg);
  /// Liveness over the nodes of `map` (the allocator's working form).
  [[nodiscard]] static Liveness computeNodes(const mir::Function &f, const mir::Cfg &cfg,
                                             const NodeMap &map);
};

/// The node operands of a function in flat arrays, built once per round so
/// that the liveness and interference passes read dense integers instead of
/// mir::Operand vectors. Instruction i of the function (counted across
/// blocks in order) has defs ops[opStart[i] .. opStart[i]+numDefs[i]) (a
/// call's clobbers included) and uses up to opStart[i+1].
struct FlatCode {
  std::vector<uint32_t> blockStart;  ///< per block: index of its first instruction; one more at the end
  std::vector<uint32_t> opStart;     ///< per instruction: first operand; one more at the end
  std::vector<uint8_t> numDefs;      ///< per instruction
  std::vector<uint8_t> move;         ///< per instruction: 1 for a node-to-node move
  std::vector<uint32_t> ops;         ///< node operands (defs, then uses); may run on past the last opStart
  /// Sparse flat code only (computeSome's, and build's with `sparse`: they
  /// leave out instructions): per instruction, its index in its block.
  std::vector<uint32_t> instrPos;

  /// Rebuild from `f` with numbering `map` (storage of earlier use kept).
  /// `sparse` leaves out the instructions without a node of the map (a
  /// VFP class pass sees a few of a core function's instructions): the
  /// liveness and the interference graph are the same from either form,
  /// but the spill repair indexes instructions and needs the dense one.
  void build(const mir::Function &f, const NodeMap &map, bool sparse = false);
  [[nodiscard]] uint32_t numBlocks() const { return static_cast<uint32_t>(blockStart.size()) - 1; }
  /// The position in block b of instruction i (one of b's).
  [[nodiscard]] uint32_t position(uint32_t b, uint32_t i) const {
    return instrPos.empty() ? i - blockStart[b] : instrPos[i];
  }

  /// Per vreg node (index node - kVRegBase): how many instructions define
  /// it, and the block and index of the last one.
  struct VRegDefs {
    uint32_t count = 0, block = 0, instr = 0;
  };
  /// The definitions of the vreg nodes below `numNodes`, from the operands
  /// alone: the passes that need them read a few integers per
  /// instruction instead of walking the 120-byte instructions (each such
  /// walk was 1-5% of the allocation time; perf, alloc_bench).
  void countVRegDefs(uint32_t numNodes, std::vector<VRegDefs> &out) const {
    out.assign(numNodes > kVRegBase ? numNodes - kVRegBase : 0, {});
    for (uint32_t b = 0; b < numBlocks(); ++b)
      for (uint32_t i = blockStart[b]; i < blockStart[b + 1]; ++i)
        for (uint32_t k = opStart[i], e = opStart[i] + numDefs[i]; k < e; ++k)
          if (ops[k] >= kVRegBase) {
            VRegDefs &d = out[ops[k] - kVRegBase];
            d = {d.count + 1, b, i};
          }
  }
};

/// Liveness restricted to the "global" nodes: those read in some block
/// before being written there (only they can be live across a block
/// boundary). Block-local values need no dataflow; keeping them out makes
/// the sets small for large functions. The sets are rows of `words` 64-bit
/// words in flat arrays (one allocation for all blocks).
struct GlobalLiveness {
  std::vector<uint32_t> nodes;    ///< compact (global) index -> node
  std::vector<uint32_t> compact;  ///< node -> compact index, or kNoNode
  uint32_t words = 0;             ///< words per block row
  std::vector<uint64_t> in, out;  ///< per block: `words` words over compact indices

  /// Live-in / live-out row of block b.
  [[nodiscard]] const uint64_t *liveIn(size_t b) const { return in.data() + b * words; }
  [[nodiscard]] const uint64_t *liveOut(size_t b) const { return out.data() + b * words; }
  /// Calls fn(node) for each node of a row.
  template <class F> void forEachIn(const uint64_t *row, F &&fn) const {
    for (uint32_t w = 0; w < words; ++w)
      for (uint64_t x = row[w]; x; x &= x - 1)
        fn(nodes[w * 64 + static_cast<uint32_t>(__builtin_ctzll(x))]);
  }

  /// Recompute for `code` over `numNodes` nodes (storage of earlier use kept).
  void compute(const FlatCode &code, const mir::Cfg &cfg, uint32_t numNodes);
  [[nodiscard]] static GlobalLiveness compute(const mir::Function &f, const mir::Cfg &cfg,
                                              const NodeMap &map);
  /// Liveness of the vregs v < pick.size() with pick[v] set, in a function
  /// whose nodes are vregs (node = vreg; no other vreg and no physical
  /// register is tracked). The passes before colouring each need a few
  /// vregs' liveness; over all of them it cost more than they did.
  /// With `flat`, the flat code of the picked operands is left there (the
  /// instructions with none are left out): a caller that walks those
  /// operands again reads it instead of the function.
  [[nodiscard]] static GlobalLiveness computeSome(const mir::Function &f, const mir::Cfg &cfg,
                                                  const std::vector<uint8_t> &pick, FlatCode *flat = nullptr);
};

/// Maximum over program points of the number of simultaneously live vregs
/// (an i64 is two vregs). Computed by a backward scan of each block from its
/// live-out set; at an instruction the values live after it plus its defs
/// count (a def that is never used still counts at its def point), and so do
/// the values live before it.
[[nodiscard]] unsigned peakPressure(const mir::Function &f);
/// The same with a weight per vreg (0: not counted), e.g. the S units of
/// the f32/f64 values (an f64 weighs 2) or the core values alone.
[[nodiscard]] unsigned peakPressure(const mir::Function &f, const std::vector<unsigned> &weight);

}  // namespace vcr::alloc
