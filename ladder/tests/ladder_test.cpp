// The recovery ladder's classification of the corpus fixtures (the brief's measured table).
#include "ladder/ladder.h"
#include "ladder/tests/diff.h"

#include <doctest/doctest.h>

using namespace vcr;
using namespace vcr::ladder;

namespace {

LadderResult ladderOf(const std::string &fixture, const std::string &fn) {
  mir::Module m = test::selectFile(std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/" + fixture);
  const mir::Function *f = m.findFunction(fn);
  REQUIRE_MESSAGE(f != nullptr, fn);
  return runLadder(*f, m);
}

std::string attempts(const LadderResult &r) {
  std::string s;
  for (const auto &a : r.attempts) s += a.rung + ": " + (a.message.empty() ? "ok" : a.message) + "\n";
  return s;
}

}  // namespace

TEST_CASE("simple functions compile at the base rung") {
  mir::Module m = test::selectFile(std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/simple.wat");
  REQUIRE(m.functions.size() >= 8);
  for (const auto &f : m.functions) {
    LadderResult r = runLadder(f, m);
    CHECK_MESSAGE(r.rung == "base", f.name << "\n" << attempts(r));
    CHECK(r.attempts.size() == 1);
    CHECK(r.result.stats.spillStores == 0);
  }
}

TEST_CASE("the 10-live i32 fixture needs the spill rung") {
  LadderResult r = ladderOf("pressure10.wat", "pressure10");
  CHECK_MESSAGE(r.rung == "spill", attempts(r));
  REQUIRE(r.attempts.size() == 2);
  CHECK(r.attempts[0].error == LegacyError::NoFreeTemp);
  CHECK(r.result.stats.spillStores > 0);
}

TEST_CASE("the i64 pair-exhaustion fixture fails: param-backing is skipped for its i64 params") {
  // LEGACY.md: base itself gives "no consecutive pair" (pair spilling at base
  // cannot free one); param-backing does not apply to i64 params in registers.
  LadderResult r = ladderOf("i64_pairs.wat", "i64_pairs");
  CHECK_MESSAGE(r.rung == "exhausted", attempts(r));
  REQUIRE(r.attempts.size() == 1);
  CHECK(r.attempts[0].error == LegacyError::NoPair);
  CHECK(r.error == LegacyError::Skipped);
}

TEST_CASE("the promotable-locals chain needs promotion-off") {
  LadderResult r = ladderOf("promote_chain.wat", "promote_chain");
  CHECK_MESSAGE(r.rung == "promotion-off", attempts(r));
  CHECK(r.promotedLocals == 5);
  CHECK(r.attempts.back().config.promotion == false);
}

TEST_CASE("the 20-live i64 fixture needs pool-grow") {
  LadderResult r = ladderOf("i64_live20.wat", "i64_live20");
  CHECK_MESSAGE(r.rung == "pool-grow", attempts(r));
  CHECK(r.attempts.back().config.poolSlots == std::min(r.depthBound + 4, 120u));
  CHECK(r.attempts.back().config.poolSlots > 8);
}

TEST_CASE("the peak-8 control loop needs the spill rung") {
  LadderResult r = ladderOf("control_loop.wat", "control_loop");
  CHECK_MESSAGE(r.rung == "spill", attempts(r));
  CHECK(r.attempts[0].error == LegacyError::NoFreeTemp);
  CHECK(r.promotedLocals == 0);  // its locals are read first or live in the loop
}
