// --jobs, --shard and merge: the same report for every thread count and
// every sharding, with diagnostics and exit codes in single-run order.
#include "tools/pipeline.h"
#include "tools/report.h"
#include "tools/report_merge.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace vcr::tools;
using nlohmann::json;

namespace {

/// The report's JSON without its timings (the only part a run may vary).
json withoutTimes(const json &j) {
  if (j.is_object()) {
    json o = json::object();
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!it.key().ends_with("time_us")) o[it.key()] = withoutTimes(it.value());
    return o;
  }
  if (j.is_array()) {
    json a = json::array();
    for (const auto &x : j) a.push_back(withoutTimes(x));
    return a;
  }
  return j;
}

PipelineOptions options(unsigned jobs) {
  PipelineOptions o;
  o.pool = vcr::arm::Pool::parse("r0-r8");
  o.jobs = jobs;
  return o;
}

/// Run `paths` as shards 1/n .. n/n, each through its JSON, and merge.
Report shardedRun(const std::vector<std::string> &paths, unsigned n, unsigned jobs) {
  std::vector<Report> shards;
  for (unsigned k = n; k >= 1; --k) {  // any order of the shard reports
    PipelineOptions o = options(jobs);
    o.shardIndex = k;
    o.shardCount = n;
    shards.push_back(reportFromJson(toJson(runPipeline(paths, o))));
  }
  std::string error;
  Report merged = mergeReports(shards, error);
  REQUIRE_MESSAGE(error.empty(), error);
  return merged;
}

/// A directory of inputs with a broken one between good ones, so that
/// diagnostics and error rows sit in the middle of the run.
fs::path mixedInputs() {
  fs::path d = fs::temp_directory_path() / "vcr-parallel-mixed";
  fs::remove_all(d);
  fs::create_directories(d);
  fs::copy_file(VCR_SOURCE_DIR "/corpus/fixtures/calls.wat", d / "a_calls.wat");
  std::ofstream(d / "b_broken.wat") << "(module (func $f (result i32) i32.add)";
  fs::copy_file(VCR_SOURCE_DIR "/corpus/fixtures/loops.wat", d / "c_loops.wat");
  std::ofstream(d / "d_bad.mir") << "func @f(\n";
  fs::copy_file(VCR_SOURCE_DIR "/corpus/fixtures/simple.wat", d / "e_simple.wat");
  return d;
}

}  // namespace

TEST_CASE("the corpus report is the same with 1, 2 and 5 threads") {
  const std::vector<std::string> corpus{VCR_SOURCE_DIR "/corpus"};
  const Report one = runPipeline(corpus, options(1));
  REQUIRE(one.functions.size() > 50);
  const json want = withoutTimes(toJson(one));
  for (unsigned jobs : {2u, 5u}) {
    CAPTURE(jobs);
    const Report many = runPipeline(corpus, options(jobs));
    CHECK(withoutTimes(toJson(many)) == want);
    CHECK(many.exitCode() == one.exitCode());
  }
}

TEST_CASE("shards of the corpus merge into the single-run report, for 1 to 4 shards") {
  const std::vector<std::string> corpus{VCR_SOURCE_DIR "/corpus"};
  const Report one = runPipeline(corpus, options(2));
  const json want = withoutTimes(toJson(one));
  for (unsigned n = 1; n <= 4; ++n) {
    CAPTURE(n);
    const Report merged = shardedRun(corpus, n, 2);
    CHECK(withoutTimes(toJson(merged)) == want);
    CHECK(toTable(merged).size() > 0);
  }
}

TEST_CASE("a shard holds only its slice of the inputs") {
  const std::vector<std::string> corpus{VCR_SOURCE_DIR "/corpus"};
  PipelineOptions o = options(2);
  o.shardIndex = 2;
  o.shardCount = 3;
  const Report r = runPipeline(corpus, o);
  REQUIRE(r.inputs.size() > 6);
  CHECK(r.filesRead == (r.inputs.size() + 1) / 3);
  for (const auto &f : r.functions) {
    size_t i = std::find(r.inputs.begin(), r.inputs.end(), f.file) - r.inputs.begin();
    REQUIRE(i < r.inputs.size());
    CHECK(i % 3 == 1);
  }
}

TEST_CASE("diagnostics and exit code of a run with broken inputs survive threads and shards") {
  const fs::path dir = mixedInputs();
  const std::vector<std::string> paths{dir.string(), (dir / "missing.wat").string()};
  const Report one = runPipeline(paths, options(1));
  REQUIRE(one.exitCode() == 2);
  REQUIRE(one.diags.size() >= 3);  // the missing path and both broken files
  const json want = withoutTimes(toJson(one));
  CHECK(withoutTimes(toJson(runPipeline(paths, options(3)))) == want);
  for (unsigned n : {2u, 3u, 5u}) {
    CAPTURE(n);
    const Report merged = shardedRun(paths, n, 2);
    CHECK(merged.exitCode() == 2);
    CHECK(withoutTimes(toJson(merged)) == want);
  }
}

TEST_CASE("merge refuses reports that are not the shards of one run") {
  const std::vector<std::string> fixtures{VCR_SOURCE_DIR "/corpus/fixtures"};
  auto shard = [&](unsigned k, unsigned n, const std::vector<std::string> &paths) {
    PipelineOptions o = options(1);
    o.shardIndex = k;
    o.shardCount = n;
    o.check = false;
    return reportFromJson(toJson(runPipeline(paths, o)));
  };
  std::string error;
  (void)mergeReports({shard(1, 3, fixtures), shard(3, 3, fixtures)}, error);
  CHECK(error.find("shard 2/3 is missing") != std::string::npos);
  (void)mergeReports({shard(1, 2, fixtures), shard(1, 2, fixtures), shard(2, 2, fixtures)}, error);
  CHECK(error.find("given twice") != std::string::npos);
  (void)mergeReports({shard(1, 2, fixtures), shard(2, 3, fixtures)}, error);
  CHECK(error.find("not shards of one run") != std::string::npos);
  const std::vector<std::string> other{VCR_SOURCE_DIR "/corpus/kernels"};
  (void)mergeReports({shard(1, 2, fixtures), shard(2, 2, other)}, error);
  CHECK(error.find("not shards of one run") != std::string::npos);
  (void)mergeReports({}, error);
  CHECK(!error.empty());
  CHECK_THROWS_WITH_AS((void)reportFromJson(json{{"tool", "verify-alloc"}}),
                       doctest::Contains("'functions'"), std::runtime_error);
}

TEST_CASE("progress reaches every file and function exactly at the end") {
  PipelineOptions o = options(3);
  std::vector<Progress> seen;
  o.onProgress = [&](const Progress &p) { seen.push_back(p); };
  const Report r = runPipeline({VCR_SOURCE_DIR "/corpus/fixtures"}, o);
  REQUIRE(!seen.empty());
  const Progress &last = seen.back();
  CHECK(last.files == r.filesRead);
  CHECK(last.filesDone == last.files);
  CHECK(last.functions == r.functions.size());
  CHECK(last.functionsDone == last.functions);
  for (size_t i = 1; i < seen.size(); ++i) {
    CHECK(seen[i].functionsDone >= seen[i - 1].functionsDone);
    CHECK(seen[i].elapsedSeconds >= seen[i - 1].elapsedSeconds);
  }
}

TEST_CASE("a function over --max-instructions is an input error naming the limit") {
  PipelineOptions o = options(1);
  o.maxInstructions = 5;
  const Report r = runPipeline({VCR_SOURCE_DIR "/corpus/fixtures/loops.wat"}, o);
  REQUIRE(!r.functions.empty());
  bool over = false;
  for (const auto &f : r.functions)
    if (f.mirInstructions > 5) {
      over = true;
      CHECK(f.status == "error");
      CHECK(f.inputError);
      CHECK(f.reason.find("over the limit of 5 (--max-instructions)") != std::string::npos);
      CHECK(!f.alloc);
    }
  CHECK(over);
  CHECK(r.exitCode() == 2);
}

TEST_CASE("inputs sharing a stem get output files of their own") {
  const fs::path d = fs::temp_directory_path() / "vcr-parallel-stems";
  fs::remove_all(d);
  fs::create_directories(d / "a");
  fs::create_directories(d / "b");
  fs::copy_file(VCR_SOURCE_DIR "/corpus/fixtures/calls.wat", d / "a" / "x.wat");
  fs::copy_file(VCR_SOURCE_DIR "/corpus/fixtures/simple.wat", d / "b" / "x.wat");
  fs::copy_file(VCR_SOURCE_DIR "/corpus/fixtures/loops.wat", d / "y.wat");
  PipelineOptions o = options(2);
  o.emitMirDir = (d / "out").string();
  const Report r = runPipeline({d.string()}, o);
  REQUIRE(r.exitCode() == 0);
  CHECK(fs::exists(d / "out" / "x.1.mir"));
  CHECK(fs::exists(d / "out" / "x.2.mir"));
  CHECK(fs::exists(d / "out" / "y.mir"));
  CHECK(!fs::exists(d / "out" / "x.mir"));
  std::ifstream one(d / "out" / "x.1.mir"), two(d / "out" / "x.2.mir");
  std::string a((std::istreambuf_iterator<char>(one)), {}), b((std::istreambuf_iterator<char>(two)), {});
  CHECK(a != b);
}
