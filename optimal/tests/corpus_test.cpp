// The optimal allocator on the bundled corpus fixtures: every solved allocation is proved by the checker and costs no more than vcr-ra's.
#include "optimal/cost.h"
#include "optimal/optimal.h"

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/ir/text.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace vcr;

mir::Module selectFile(const std::string &path) {
  Diagnostics diags;
  auto bin = select::loadWasmFile(path, diags);
  REQUIRE(bin.has_value());
  auto sel = select::selectModule(*bin, diags);
  REQUIRE(sel.has_value());
  return sel->module;
}

}  // namespace

TEST_CASE("optimal - corpus fixtures: solved allocations are proved and never costlier than vcr-ra") {
  namespace fs = std::filesystem;
  // Small limits keep the test cheap (well under a minute): the fixtures
  // whose programs are small, one second each; a time-limited solution is
  // still checked, a larger program is skipped.
  optimal::OptimalOptions oo;
  oo.cpuTime = true;  // the same search under any load (OptimalOptions::cpuTime)
  oo.timeLimitSeconds = 1;
  oo.maxVariables = 12000;
  const std::vector<std::string> fixtures = {"simple.wat", "loops.wat", "calls.wat", "memory.wat",
                                             "traps.wat", "br_table.wat", "i64_pairs.wat"};
  unsigned solved = 0, optimalCount = 0;
  for (const std::string &name : fixtures) {
    const fs::path path = fs::path(VCR_SOURCE_DIR) / "corpus" / "fixtures" / name;
    const mir::Module m = selectFile(path.string());
    for (const mir::Function &f : m.functions) {
      optimal::OptimalAllocator ilp(oo);
      alloc::AllocOptions ao;
      alloc::AllocResult r = ilp.allocate(f, m, ao);
      const optimal::OptimalInfo &info = ilp.last();
      INFO(name << " @" << f.name << ": " << info.status << " " << r.error);
      CHECK(info.status != "error");
      CHECK(info.status != "infeasible");
      if (!r.ok) continue;
      ++solved;
      verifier::CheckResult cr = verifier::checkFunction(f, r.function, m, verifier::CheckOptions{});
      INFO(cr.summary() << mir::printFunction(r.function));
      CHECK(cr.ok());
      const optimal::Cost cost = optimal::scoreAllocation(r.function);
      CHECK(static_cast<double>(cost.weighted) >= info.objective);
      if (info.status != "optimal") continue;
      ++optimalCount;
      alloc::AllocResult mine = alloc::makeGraphColouring()->allocate(f, m, ao);
      REQUIRE(mine.ok);
      // "optimal" means the code costs its objective (register cycles charged): never above vcr-ra.
      CHECK(static_cast<double>(cost.weighted) == info.objective);
      CHECK(cost.weighted <= optimal::scoreAllocation(mine.function).weighted);
    }
  }
  MESSAGE("solved " << solved << ", proved optimal " << optimalCount);
  CHECK(optimalCount > 10);
}
