#pragma once
/// The checker's own liveness of the original (vreg-form) function, laid out
/// on the allocated CFG: block b's instructions are those of original block
/// b (none for an inserted edge block) and its successors are the allocated
/// block's successors. Strong liveness: a pure instruction whose results are
/// all dead makes none of its operands live. Never taken from the allocator.

#include "core/ir/mir.h"
#include "verifier/pairing.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vcr::verifier {

/// Live vregs at the entry and exit of every allocated block, as sorted
/// lists (sparse: the work and memory follow the live sets, not the number
/// of blocks times the number of vregs).
struct Liveness {
  std::vector<std::vector<uint32_t>> liveIn, liveOut;  ///< per block, increasing
  uint32_t numVRegs = 0;

  /// Whether vreg v is live into block b.
  [[nodiscard]] bool in(uint32_t b, uint32_t v) const {
    return std::binary_search(liveIn[b].begin(), liveIn[b].end(), v);
  }
  /// Whether vreg v is live out of block b.
  [[nodiscard]] bool out(uint32_t b, uint32_t v) const {
    return std::binary_search(liveOut[b].begin(), liveOut[b].end(), v);
  }
  /// Calls f(v) for every vreg live into block b, in increasing order.
  template <class F> void forEachIn(uint32_t b, F f) const {
    for (uint32_t v : liveIn[b]) f(v);
  }
  /// Calls f(v) for every vreg live out of block b, in increasing order.
  template <class F> void forEachOut(uint32_t b, F f) const {
    for (uint32_t v : liveOut[b]) f(v);
  }
};

/// Backward dataflow to the fixpoint.
[[nodiscard]] Liveness computeLiveness(const mir::Function &original,
                                       const mir::Function &allocated, const Pairing &p);

/// Allocated-CFG successors of block b (deduplicated, in target order).
[[nodiscard]] std::vector<mir::BlockId> allocSuccs(const mir::Function &allocated, uint32_t b);

}  // namespace vcr::verifier
