// The shared allocation cost model: weighted spill stores, reloads, remats, frame traffic and moves.
#include "optimal/cost.h"

#include "arm/target/target.h"
#include "core/ir/cfg.h"

#include <algorithm>

namespace vcr::optimal {

namespace {

bool selfMove(const mir::Instr &i) {
  return i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.uses.size() == 1 && i.defs[0] == i.uses[0];
}

/// Stack words of the incoming parameters: the `lds !inarg` the ABI needs.
unsigned stackParamWords(const mir::Signature &sig) {
  unsigned n = 0;
  for (const arm::WordLoc &l : arm::paramLocations(sig)) n += l.onStack;
  return n;
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
  unsigned inArgs = 0;
  const unsigned abiInArgs = stackParamWords(f.sig);
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
        // The first ones (in program order of the entry) are the ABI's own.
        if (++inArgs <= abiInArgs) continue;
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
