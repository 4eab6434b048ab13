// The independent checker end to end: every allocation of generated
// functions is proved (no false alarms), and a second solver (cvc5) agrees
// with Z3 on every obligation of the corpus, read from the SMT-LIB export.
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

/// Run a shell command and return its standard output.
std::string run(const std::string &cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE *)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
  return out;
}

/// Merge self-contained SMT-LIB2 files into one incremental script: each
/// query between (push 1) and (pop 1), so one solver process answers all.
std::string mergeQueries(const std::vector<fs::path> &files) {
  std::string script = "(set-logic QF_ABV)\n";
  for (const auto &f : files) {
    std::ifstream in(f);
    std::string line;
    script += "(push 1)\n";
    while (std::getline(in, line))
      if (!line.starts_with("(set-logic") && !line.starts_with("(set-info")) script += line + "\n";
    script += "(pop 1)\n";
  }
  return script;
}

std::vector<std::string> lines(const std::string &s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

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

TEST_CASE("cvc5 and z3 agree with the in-process verdict on every corpus obligation") {
  const bool haveZ3 = vcr::testing::toolAvailable("z3");
  if (!vcr::testing::toolAvailable("cvc5") || !haveZ3) return;
  fs::path dir = fs::temp_directory_path() / "vcr-check-smt";
  fs::remove_all(dir);
  tools::PipelineOptions opt;
  opt.smtDir = dir.string();
  tools::Report rep = tools::runPipeline({std::string(VCR_SOURCE_DIR) + "/corpus"}, opt);
  // Expected verdict per obligation id: sat for a refuted one, unsat otherwise.
  std::map<std::string, std::string> expected;
  for (const auto &f : rep.functions) {
    if (!f.check) continue;
    for (const auto &fail : f.check->json["failures"])
      expected[fail["id"].get<std::string>()] = fail["status"] == "refuted" ? "sat" : "unknown";
  }
  unsigned queries = 0;
  for (const auto &fnDir : fs::directory_iterator(dir)) {
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(fnDir.path()))
      if (e.path().extension() == ".smt2") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) continue;
    fs::path merged = fnDir.path() / "all.smt";
    std::ofstream(merged) << mergeQueries(files);
    auto z3 = lines(run("z3 -T:60 " + merged.string()));
    auto cvc5 = lines(run("cvc5 --lang smt2 --incremental --tlimit=60000 " + merged.string()));
    REQUIRE_MESSAGE(z3.size() == files.size(), fnDir.path());
    REQUIRE_MESSAGE(cvc5.size() == files.size(), fnDir.path());
    for (size_t i = 0; i < files.size(); ++i) {
      std::string id = files[i].stem().string();
      std::string want = expected.count(id) ? expected[id] : "unsat";
      CHECK_MESSAGE(z3[i] == want, id, ": z3 says ", z3[i]);
      CHECK_MESSAGE(cvc5[i] == want, id, ": cvc5 says ", cvc5[i]);
      ++queries;
    }
  }
  MESSAGE(queries, " corpus obligations re-checked by z3 and cvc5");
  CHECK(queries > 500);
}
