// The independent checker end to end: every allocation of generated
// functions is proved (no false alarms). (The z3/cvc5 re-check of every
// exported corpus obligation is tools/tests/smtlib_corpus_test.cpp.)
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "corpus/gen/wasmgen.h"
#include "tools/pipeline.h"
#include "tests/size_env.h"
#include "tests/tool_guard.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace fs = std::filesystem;
using namespace vcr;

namespace {

}  // namespace

TEST_CASE("checker proves every allocation of generated functions: no false alarms") {
  // Floor 100: fewer functions leave most generator shapes untried.
  const unsigned count = vcr::testing::envCount("VCR_CHECK_GENERATED", 2000, 100);
  auto allocator = alloc::makeGraphColouring();
  unsigned functions = 0, obligations = 0, solverCalls = 0;
  uint64_t checkUs = 0, allocUs = 0;
  for (unsigned seed = 1; functions < count; ++seed) {
    gen::GenOptions g;
    g.seed = seed;
    g.size = 10 + seed % 90;
    g.pressure = seed % 15;
    g.helpers = seed % 3;
    g.i64Share = seed % 4 == 0 ? 0.0 : 0.25;
    if (seed % 5 == 0) {  // soft float and call_indirect
      g.floatShare = 0.3;
      g.indirectShare = 0.5;
      g.helpers = 2;
    }
    Diagnostics diags;
    auto bin = select::watToWasm(gen::generateWat(g), "gen" + std::to_string(seed) + ".wat", diags);
    REQUIRE(bin);
    auto sel = select::selectModule(*bin, diags);
    REQUIRE(sel);
    auto am = alloc::allocateModule(*allocator, sel->module, {});
    for (size_t i = 0; i < sel->module.functions.size(); ++i) {
      const auto &res = am.results[i];
      REQUIRE_MESSAGE(res.ok, res.error);
      auto cr = verifier::checkFunction(sel->module.functions[i], res.function, sel->module, {});
      CHECK_MESSAGE(cr.ok(), "seed ", seed, " function ", res.function.name, "\n", cr.summary());
      ++functions;
      obligations += static_cast<unsigned>(cr.obligations.size());
      for (const auto &o : cr.obligations) solverCalls += o.method != "syntactic";
      checkUs += cr.timeUs;
      allocUs += res.stats.timeUs;
    }
  }
  CHECK(functions >= count);
  CHECK(obligations > 0);
  MESSAGE(functions, " generated functions checked, ", obligations, " obligations, check ",
          checkUs / 1000, " ms vs allocation ", allocUs / 1000, " ms");
  // Speed by design: a correct allocation keeps every original instruction,
  // so both sides build the same hash-consed terms and every goal normalises
  // to true without testing or Z3.
  CHECK_MESSAGE(solverCalls == 0, solverCalls, " obligations of correct allocations needed testing or Z3");
}

