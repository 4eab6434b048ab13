// The shared allocation cost model: weighted spill stores, reloads, remats, frame traffic and moves.
#include "optimal/cost.h"

#include "core/ir/cfg.h"

#include <algorithm>
#include <set>

namespace vcr::optimal {

namespace {

bool selfMove(const mir::Instr &i) {
  return i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.uses.size() == 1 && i.defs[0] == i.uses[0];
}

}  // namespace

uint64_t depthWeight(uint32_t depth) {
  uint64_t w = 1;
  for (uint32_t d = 0; d < std::min(depth, 8u); ++d) w *= 10;
  return w;
}

Cost scoreAllocation(const mir::Function &f) {
  using mir::Opcode;
  using mir::Origin;
  Cost c;
  const mir::Cfg cfg = mir::Cfg::build(f);
  // Per incoming stack slot: whether a load of it was already seen. The
  // ABI's own load of each slot (one, at the entry, weight 1) is credited
  // once: a slot loaded at weights w1..wn costs w1 + ... + wn - 1.
  std::set<uint32_t> loadedSlots;
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    const uint64_t w = depthWeight(b < cfg.loopDepth.size() ? cfg.loopDepth[b] : 0);
    for (const mir::Instr &i : f.blocks[b].instrs) {
      unsigned *counter = nullptr;
      if (i.op == Opcode::Sts && (i.origin == Origin::Spill || i.origin == Origin::Frame))
        counter = &c.stores;
      else if (i.op == Opcode::Lds && (i.origin == Origin::Reload || i.origin == Origin::Frame))
        counter = &c.reloads;
      else if ((i.op == Opcode::MovI || i.op == Opcode::FConst32 || i.op == Opcode::FConst64) &&
               i.origin == Origin::Remat)
        counter = &c.remats;
      else if (i.op == Opcode::Mov && !selfMove(i))
        counter = &c.moves;
      else if (i.op == Opcode::Lds && i.origin == Origin::InArg) {
        const bool first = i.uses.empty() || loadedSlots.insert(i.uses[0].value).second;
        if (first) {  // the ABI's own load, wherever it is made: only its extra weight counts
          c.weighted += w - 1;
          continue;
        }
        counter = &c.reloads;
      }
      if (!counter) continue;
      ++*counter;
      c.weighted += w;
    }
  }
  return c;
}

}  // namespace vcr::optimal
