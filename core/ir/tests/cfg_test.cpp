#include "core/ir/cfg.h"

#include <doctest/doctest.h>

using namespace vcr::mir;

namespace {
Instr br(BlockId t) { Instr i; i.op = Opcode::Br; i.targets = {t}; return i; }
Instr brif(BlockId t, BlockId f) {
  Instr i; i.op = Opcode::BrIf; i.uses = {Operand::vreg(0)}; i.targets = {t, f}; return i;
}
Instr ret() { Instr i; i.op = Opcode::Ret; return i; }
Function make(std::vector<Instr> terms) {
  Function f;
  for (auto &t : terms) f.blocks.push_back(Block{"bb" + std::to_string(f.blocks.size()), {t}});
  return f;
}
}  // namespace

TEST_CASE("diamond: dominators and no loops") {
  // 0 -> 1, 2 ; 1 -> 3 ; 2 -> 3
  Cfg g = Cfg::build(make({brif(1, 2), br(3), br(3), ret()}));
  CHECK(g.idom[1] == 0);
  CHECK(g.idom[2] == 0);
  CHECK(g.idom[3] == 0);
  CHECK(g.dominates(0, 3));
  CHECK(!g.dominates(1, 3));
  for (auto d : g.loopDepth) CHECK(d == 0);
  CHECK(g.rpo.front() == 0);
  CHECK(g.rpo.back() == 3);
}

TEST_CASE("nested loops give depth 2, a loop with two back edges depth 1") {
  // 0 -> 1 ; 1 (outer head) -> 2 ; 2 (inner head) -> 3 ; 3 -> 2 | 4 ; 4 -> 1 | 5 ; 5 ret
  Cfg g = Cfg::build(make({br(1), br(2), br(3), brif(2, 4), brif(1, 5), ret()}));
  CHECK(g.loopDepth[0] == 0);
  CHECK(g.loopDepth[1] == 1);
  CHECK(g.loopDepth[2] == 2);
  CHECK(g.loopDepth[3] == 2);
  CHECK(g.loopDepth[4] == 1);
  CHECK(g.loopDepth[5] == 0);
  CHECK(g.loopHeader[1]);
  CHECK(g.loopHeader[2]);
  // 0 -> 1 ; 1 -> 2 | 3 ; 2 -> 1 ; 3 -> 1 | 4 (two back edges to 1)
  Cfg h = Cfg::build(make({br(1), brif(2, 3), br(1), brif(1, 4), ret()}));
  CHECK(h.loopDepth[1] == 1);
  CHECK(h.loopDepth[2] == 1);
  CHECK(h.loopDepth[3] == 1);
  CHECK(h.loopDepth[4] == 0);
}

TEST_CASE("unreachable blocks are marked and have no dominator") {
  Cfg g = Cfg::build(make({ret(), br(0)}));
  CHECK(g.reachable[0]);
  CHECK(!g.reachable[1]);
  CHECK(g.idom[1] == -1);
  CHECK(g.rpo.size() == 1);
}
