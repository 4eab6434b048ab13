#pragma once
/// Control-flow graph facts of one function: successors, predecessors,
/// reverse post-order, reachability, immediate dominators and loop-nesting
/// depth (natural loops of back edges whose head dominates the tail).

#include "core/ir/mir.h"

#include <vector>

namespace vcr::mir {

struct Cfg {
  std::vector<std::vector<BlockId>> succs, preds;
  std::vector<BlockId> rpo;       ///< reachable blocks in reverse post-order
  std::vector<bool> reachable;
  std::vector<int32_t> idom;      ///< -1 for the entry and unreachable blocks
  std::vector<uint32_t> loopDepth;
  std::vector<bool> loopHeader;
  /// Per reachable block: its number in a depth-first walk of the dominator
  /// tree, and the largest number in its subtree (dominates() in O(1)).
  std::vector<uint32_t> domPre, domLast;

  [[nodiscard]] static Cfg build(const Function &f);
  /// The same into this object, reusing its storage (for callers that
  /// build many CFGs, like the allocator).
  void rebuild(const Function &f);
  [[nodiscard]] bool dominates(BlockId a, BlockId b) const;
  [[nodiscard]] size_t numBlocks() const { return succs.size(); }
};

/// Successor block ids of a terminator (deduplicated, in target order).
[[nodiscard]] std::vector<BlockId> successors(const Instr &term);

}  // namespace vcr::mir
