// Tests of the shared cost model: it counts what the model says, weights loops, and tells allocations apart.
#include "optimal/cost.h"

#include "core/ir/text.h"

#include <doctest/doctest.h>

#include <string>

namespace {

using namespace vcr;

mir::Function parseOne(const std::string &text) {
  auto r = mir::parseModule(text, "test.mir");
  REQUIRE(r.module);
  REQUIRE(r.module->functions.size() == 1);
  return r.module->functions[0];
}

}  // namespace

TEST_CASE("cost - a clean allocation costs nothing") {
  auto f = parseOne("func @add(i32, i32) -> (i32) allocated {\nbb0:\n  param r0, r1\n"
                    "  add r0, r0, r1\n  mov r0, r0\n  ret r0\n}\n");
  optimal::Cost c = optimal::scoreAllocation(f);
  CHECK(c.weighted == 0);
  CHECK(c.instructions() == 0);
}

TEST_CASE("cost - spill code, remats, moves and surplus inarg reloads count but the ABI inarg does not") {
  auto f = parseOne("func @spill(i32, i32, i32, i32, i32) -> (i32) allocated {\nbb0:\n"
                    "  param r0, r1, r2, r3, [sp+0]\n  adjsp #-8 !prologue\n"
                    "  lds r4, [sp+8] !inarg\n"
                    "  sts [sp+0], r3 !spill\n  add r0, r0, r1\n  lds r1, [sp+0] !reload\n"
                    "  mul r1, r2, r1\n  movi r2, #7 !remat\n  mov r3, r2 !move\n  sub r0, r0, r3\n"
                    "  lds r2, [sp+8] !inarg\n  eor r0, r0, r2\n  adjsp #8 !epilogue\n  ret r0\n}\n");
  optimal::Cost c = optimal::scoreAllocation(f);
  CHECK(c.stores == 1);
  CHECK(c.reloads == 2);  // the !reload and the second !inarg
  CHECK(c.remats == 1);
  CHECK(c.moves == 1);
  CHECK(c.weighted == 5);
}

TEST_CASE("cost - loop depth weights by 10 and the model tells two allocations apart") {
  const std::string head = "func @loop(i32) -> (i32) allocated {\nbb0:\n  param r0\n  movi r1, #0\n  br head\n"
                           "head:\n  set.eq r2, r0, #0\n  brif r2, done, body\nbody:\n";
  const std::string tail = "  add r1, r1, r0\n  sub r0, r0, #1\n  br head\ndone:\n  mov r0, r1 !move\n  ret r0\n}\n";
  auto clean = parseOne(head + tail);
  auto spilled = parseOne(head + "  sts [sp+0], r0 !spill\n  lds r0, [sp+0] !reload\n" + tail);
  optimal::Cost a = optimal::scoreAllocation(clean), b = optimal::scoreAllocation(spilled);
  CHECK(a.weighted == 1);   // the move at depth 0
  CHECK(b.weighted == 21);  // and two memory accesses at depth 1
  CHECK(a.weighted < b.weighted);
  CHECK(optimal::depthWeight(0) == 1);
  CHECK(optimal::depthWeight(3) == 1000);
  CHECK(optimal::depthWeight(12) == 100000000);
}
