#pragma once
/// The checker's own liveness of the original (vreg-form) function, laid out
/// on the allocated CFG: block b's instructions are those of original block
/// b (none for an inserted edge block) and its successors are the allocated
/// block's successors. Never taken from the allocator.

#include "core/ir/mir.h"
#include "verifier/pairing.h"

#include <bit>
#include <cstdint>
#include <vector>

namespace vcr::verifier {

/// Live vregs at the entry and exit of every allocated block, as bit rows
/// of `words` 64-bit words per block.
struct Liveness {
  std::vector<uint64_t> liveIn, liveOut;  ///< [block * words + v / 64] bit v % 64
  uint32_t numVRegs = 0;
  uint32_t words = 0;  ///< words per block row

  /// Whether vreg v is live into block b.
  [[nodiscard]] bool in(uint32_t b, uint32_t v) const {
    return v < numVRegs && (liveIn[size_t(b) * words + v / 64] >> (v % 64) & 1);
  }
  /// Whether vreg v is live out of block b.
  [[nodiscard]] bool out(uint32_t b, uint32_t v) const {
    return v < numVRegs && (liveOut[size_t(b) * words + v / 64] >> (v % 64) & 1);
  }
  /// Calls f(v) for every vreg live into block b, in increasing order.
  template <class F> void forEachIn(uint32_t b, F f) const { forEach(liveIn, b, f); }
  /// Calls f(v) for every vreg live out of block b, in increasing order.
  template <class F> void forEachOut(uint32_t b, F f) const { forEach(liveOut, b, f); }

private:
  template <class F> void forEach(const std::vector<uint64_t> &rows, uint32_t b, F f) const {
    for (uint32_t w = 0; w < words; ++w)
      for (uint64_t x = rows[size_t(b) * words + w]; x != 0; x &= x - 1)
        f(w * 64 + static_cast<uint32_t>(std::countr_zero(x)));
  }
};

/// Backward dataflow to the fixpoint.
[[nodiscard]] Liveness computeLiveness(const mir::Function &original,
                                       const mir::Function &allocated, const Pairing &p);

/// Allocated-CFG successors of block b (deduplicated, in target order).
[[nodiscard]] std::vector<mir::BlockId> allocSuccs(const mir::Function &allocated, uint32_t b);

}  // namespace vcr::verifier
