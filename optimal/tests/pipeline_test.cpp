// verify-alloc --optimal as a library call: rows carry the solver facts and the three costs, and are checked.
#include "tools/pipeline.h"
#include "tools/report.h"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("optimal - the pipeline's optimal rows are checked and carry the costs of all three allocators") {
  vcr::tools::PipelineOptions opt;
  opt.optimal = true;
  opt.optimalSeconds = 2;
  opt.jobs = 1;
  vcr::tools::Report rep =
      vcr::tools::runPipeline({std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/simple.wat"}, opt);
  REQUIRE(!rep.functions.empty());
  for (const auto &f : rep.functions) {
    INFO(f.function << ": " << f.status << " " << f.reason);
    REQUIRE(f.optimal.has_value());
    CHECK(f.status == "ok");
    CHECK(f.optimal->status == "optimal");
    CHECK(f.optimal->cost == static_cast<int64_t>(f.optimal->objective));
    CHECK(f.optimal->vcrCost >= f.optimal->cost);
    CHECK(f.optimal->legacyCost >= 0);
    REQUIRE(f.check.has_value());
    CHECK(f.check->refuted == 0);
    CHECK(f.check->unknown == 0);
  }
  const auto j = vcr::tools::toJson(rep);
  CHECK(j.at("functions").at(0).at("optimal").contains("vcr_cost"));
  CHECK(vcr::tools::toCsv(rep).find("optimal_status") != std::string::npos);
  CHECK(rep.exitCode() == 0);
}
