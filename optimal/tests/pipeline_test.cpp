// verify-alloc --optimal as a library call: rows carry the solver facts and the three costs, and are checked.
#include "tools/pipeline.h"
#include "tools/report.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

/// --optimal with a 2 s limit, one job, and --run.
vcr::tools::PipelineOptions optimalRun() {
  vcr::tools::PipelineOptions opt;
  opt.optimal = true;
  opt.optimalSeconds = 2;
  opt.optimalCpuTime = true;  // the same search under any load
  opt.jobs = 1;
  opt.run = true;
  return opt;
}

}  // namespace

TEST_CASE("optimal - the pipeline's optimal rows are checked and carry the costs of all three allocators") {
  vcr::tools::PipelineOptions opt;
  opt.optimal = true;
  opt.optimalSeconds = 2;
  opt.optimalCpuTime = true;  // the same search under any load
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

TEST_CASE("optimal - callers of a function the optimal allocator declines still run, the declined one does not") {
  // `big` is over the program's size limit (declined as too large); the
  // module that runs links vcr-ra's code for it as a stand-in, so its
  // caller's optimal code runs. The stand-in's own run is not reported.
  std::string body;
  for (int k = 1; k <= 30; ++k) body += " i32.const " + std::to_string(k) + " i32.add local.get 0 i32.mul";
  const std::string wat = "(module\n (func $big (export \"big\") (param i32) (result i32)\n  local.get 0" + body +
                          ")\n (func $caller (export \"caller\") (param i32) (result i32)\n"
                          "  local.get 0 call $big i32.const 1 i32.add))\n";
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "vcr_optimal_declined_callee.wat";
  {
    std::ofstream out(path);
    out << wat;
  }
  vcr::tools::PipelineOptions opt = optimalRun();
  opt.optimalMaxVariables = 300;
  vcr::tools::Report rep = vcr::tools::runPipeline({path.string()}, opt);
  std::filesystem::remove(path);
  REQUIRE(rep.functions.size() == 2);
  for (const auto &f : rep.functions) {
    INFO(f.function << ": " << f.status << " " << f.reason);
    if (f.function == "big") {
      CHECK(f.status == "declined");
      CHECK(f.reason.find("too-large") != std::string::npos);
      CHECK(!f.exec.has_value());
      continue;
    }
    CHECK(f.status == "ok");
    REQUIRE(f.optimal.has_value());
    CHECK(f.optimal->status == "optimal");
    REQUIRE(f.exec.has_value());
    CHECK(f.exec->runs > 0);
    CHECK(f.exec->agree == f.exec->runs);
  }
}

TEST_CASE("optimal - functions returning results on the stack are allocated, proved and run") {
  // A result returned on the stack may overwrite the incoming area: the
  // program then reloads no stack parameter from it (as vcr-ra, spill.cpp).
  vcr::tools::PipelineOptions opt = optimalRun();
  vcr::tools::Report rep =
      vcr::tools::runPipeline({std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/multi_value.wat"}, opt);
  unsigned stackResults = 0;
  for (const auto &f : rep.functions) {
    INFO(f.function << ": " << f.status << " " << f.reason);
    CHECK(f.status == "ok");
    REQUIRE(f.check.has_value());
    CHECK(f.check->refuted == 0);
    REQUIRE(f.exec.has_value());
    CHECK(f.exec->agree == f.exec->runs);
    stackResults += f.function == "six" || f.function == "wide_tail" || f.function == "tenf";
  }
  CHECK(stackResults == 3);
}

TEST_CASE("optimal - --optimal-function solves the named functions, the others get vcr-ra's allocation") {
  vcr::tools::PipelineOptions opt;
  opt.optimal = true;
  opt.optimalSeconds = 2;
  opt.optimalCpuTime = true;  // the same search under any load
  opt.jobs = 1;
  vcr::tools::Report all = vcr::tools::runPipeline({std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/simple.wat"}, opt);
  REQUIRE(all.functions.size() >= 2);
  const std::string named = all.functions.at(1).function;
  opt.optimalFunctions = {named};
  vcr::tools::Report rep = vcr::tools::runPipeline({std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/simple.wat"}, opt);
  REQUIRE(rep.functions.size() == all.functions.size());
  unsigned solved = 0;
  for (const auto &f : rep.functions) {
    INFO(f.function << ": " << f.status << " " << f.reason);
    CHECK(f.status == "ok");
    CHECK(f.optimal.has_value() == (f.function == named));
    solved += f.optimal.has_value();
    REQUIRE(f.check.has_value());
    CHECK(f.check->refuted == 0);
    REQUIRE(f.alloc.has_value());
  }
  CHECK(solved == 1);
  CHECK(rep.exitCode() == 0);
}

TEST_CASE("optimal - VFP classes on cortex-m7: f32 in S, f64 in D, across calls, every allocation proved and run in Unicorn") {
  // dsp64 keeps f64 values in D registers and f32 values in S registers on
  // the M7, and calls between its functions: the program's register classes,
  // D-over-S aliasing and S0-S15 call clobbers all matter here.
  vcr::tools::PipelineOptions opt = optimalRun();
  opt.cpu = vcr::arm::Cpu::CortexM7;
  vcr::tools::Report rep =
      vcr::tools::runPipeline({std::string(VCR_SOURCE_DIR) + "/corpus/kernels/dsp64.wasm"}, opt);
  REQUIRE(rep.functions.size() >= 5);
  unsigned solved = 0;
  for (const auto &f : rep.functions) {
    INFO(f.function << ": " << f.status << " " << f.reason);
    CHECK(f.status == "ok");
    REQUIRE(f.optimal.has_value());
    CHECK((f.optimal->status == "optimal" || f.optimal->status == "feasible"));
    solved += f.optimal->status == "optimal";
    // An optimal row's code costs its objective; a time-limited one's may
    // cost more (a register cycle the cut rounds had no time to charge).
    if (f.optimal->status == "optimal") CHECK(f.optimal->cost == static_cast<int64_t>(f.optimal->objective));
    else CHECK(f.optimal->cost >= static_cast<int64_t>(f.optimal->objective));
    REQUIRE(f.check.has_value());
    CHECK(f.check->refuted == 0);
    CHECK(f.check->unknown == 0);
    REQUIRE(f.exec.has_value());
    CHECK(f.exec->runs > 0);
    CHECK(f.exec->agree == f.exec->runs);
  }
  CHECK(solved >= 3);
}
