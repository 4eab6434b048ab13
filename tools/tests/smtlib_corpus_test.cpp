// The --smt export of the whole corpus and of refuted mutants, re-checked by the z3 and cvc5 command-line tools.
#include "tools/mutation.h"
#include "tools/pipeline.h"

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "verifier/checker.h"
#include "verifier/tests/smtlib_run.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace vcr;
using namespace vcr::tools;
using vcr::verifier::test::Exported;
namespace fs = std::filesystem;

namespace {

/// Both solvers are on PATH; otherwise fail under CI, else report a skip.
bool solversPresent() {
  using verifier::test::haveTool;
  if (haveTool("z3") && haveTool("cvc5")) return true;
  if (std::getenv("CI")) {
    FAIL("z3 or cvc5 command-line tool missing (CI is set)");
    return false;
  }
  std::printf("VCR-SKIP: z3 or cvc5 command-line tool missing\n");
  return false;
}

fs::path scratch(const std::string &tag) {
  const fs::path dir = fs::temp_directory_path() / ("vcr_" + tag + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Both solvers answer unsat on every proved and sat on every refuted
/// obligation of `ex` (unknown ones are not asked); true if they do.
bool solversAgree(const std::vector<Exported> &ex, const fs::path &dir) {
  std::vector<std::string> files, want;
  for (const Exported &e : ex)
    if (e.verdict != "unknown") {
      files.push_back(e.path);
      want.push_back(e.verdict == "proved" ? "unsat" : "sat");
    }
  bool ok = true;
  for (const char *solver : {"z3", "cvc5"}) {
    double secs = 0;
    const std::vector<std::string> got = verifier::test::solveAll(solver, files, dir, 10000, secs);
    unsigned agree = 0;
    for (size_t k = 0; k < files.size(); ++k) {
      CHECK_MESSAGE(got[k] == want[k], solver << " answers " << got[k] << ", expected " << want[k]
                                              << " (in-process verdict), on " << files[k]);
      agree += got[k] == want[k];
    }
    ok = ok && agree == files.size();
    MESSAGE(solver << ": " << agree << " of " << files.size() << " queries agree, " << secs << " s");
  }
  if (!ok) MESSAGE("the exported files are kept in " << dir);
  return ok;
}

/// Whether an exported query mentions real terms: memory, arithmetic, or bit surgery.
bool hasRealTerms(const std::string &text) {
  for (const char *op : {"(select ", "(store ", "(bvadd ", "(bvsub ", "(bvmul ", "(bvand ", "(bvor ",
                         "(bvxor ", "(bvshl ", "(bvlshr ", "(bvashr ", "(concat ", "((_ extract ",
                         "(bvudiv ", "(bvsdiv ", "(bvurem ", "(bvsrem ", "(ite ", "(bvult "})
    if (text.find(op) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("smt export of the whole corpus as stated: z3 and cvc5 answer unsat on every proved obligation") {
  if (!solversPresent()) return;
  const fs::path dir = scratch("smt_corpus");
  Diagnostics diags;
  const std::vector<std::string> inputs = collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags);
  REQUIRE(inputs.size() >= 20);
  unsigned functions = 0;
  for (const std::string &file : inputs) {
    PipelineOptions opt;
    opt.smtDir = (dir / fs::path(file).filename()).string();  // one folder per input: names may repeat
    const Report rep = runPipeline({file}, opt);
    for (const FunctionReport &f : rep.functions) functions += f.check.has_value();
  }
  const std::vector<Exported> ex = verifier::test::readManifests(dir);
  REQUIRE_MESSAGE(!ex.empty(), "no obligation was exported");
  unsigned proved = 0, refuted = 0, unknown = 0, differing = 0, real = 0, onDisk = 0;
  for (const Exported &e : ex) {
    proved += e.verdict == "proved";
    refuted += e.verdict == "refuted";
    unknown += e.verdict == "unknown";
    differing += e.differing > 0;
    const std::string text = slurp(e.path);
    CHECK_MESSAGE(text.find("(assert (not true))") == std::string::npos, e.path);
    real += hasRealTerms(text);
  }
  for (const auto &d : fs::recursive_directory_iterator(dir)) onDisk += d.path().extension() == ".smt2";
  MESSAGE(inputs.size() << " inputs, " << functions << " functions checked, " << ex.size()
                        << " obligations exported (" << proved << " proved, " << refuted << " refuted, "
                        << unknown << " unknown); " << real << " mention memory or arithmetic, "
                        << differing << " have a goal whose two sides are different terms");
  CHECK(onDisk == ex.size());  // one manifest line per file
  CHECK(functions >= 50);
  CHECK(ex.size() >= 500);
  CHECK(unknown == 0);
  // non-trivial: most queries are about real terms, and many need reasoning
  // (the two sides differ before normalisation)
  CHECK(real * 10 >= ex.size() * 9);
  CHECK(differing >= 50);
  if (solversAgree(ex, dir)) fs::remove_all(dir);
}

TEST_CASE("smt export of refuted corpus mutants: z3 and cvc5 answer sat on every obligation refuted by the SMT layer") {
  if (!solversPresent()) return;
  const fs::path dir = scratch("smt_mutants");
  auto allocator = alloc::makeGraphColouring();
  std::set<std::string> classes;
  unsigned mutants = 0, smtRefuted = 0;
  for (const char *name : {"memory.wat", "calls.wat", "loops.wat", "i64_pairs.wat", "br_table.wat", "traps.wat"}) {
    Diagnostics diags;
    auto bin = select::loadWasmFile(std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/" + name, diags);
    REQUIRE(bin);
    auto sel = select::selectModule(*bin, diags);
    REQUIRE(sel);
    const mir::Module &m = sel->module;
    alloc::ModuleAllocation ma = alloc::allocateModule(*allocator, m, alloc::AllocOptions{});
    for (size_t i = 0; i < m.functions.size(); ++i) {
      REQUIRE(ma.results[i].ok);
      for (MutationClass c : allMutationClasses())
        for (const Mutant &mu : mutate(ma.results[i].function, c, 7 + i, 1)) {
          verifier::CheckOptions opt;
          opt.timeoutMs = 2000;
          opt.smtDir = (dir / (std::string(name) + "." + m.functions[i].name + "." +
                               std::string(mutationClassName(c)))).string();
          const verifier::CheckResult r = verifier::checkFunction(m.functions[i], mu.function, m, opt);
          ++mutants;
          for (const auto &o : r.obligations)
            if (o.status == verifier::Status::Refuted && o.method != "syntactic") {
              ++smtRefuted;
              classes.insert(std::string(mutationClassName(c)));
            }
        }
    }
  }
  const std::vector<Exported> ex = verifier::test::readManifests(dir);
  unsigned exportedRefuted = 0;
  for (const Exported &e : ex) exportedRefuted += e.verdict == "refuted";
  std::string names;
  for (const auto &c : classes) names += " " + c;
  MESSAGE(mutants << " mutants, " << smtRefuted << " obligations refuted by the SMT layer (classes:" << names
                  << "), " << ex.size() << " obligations exported");
  CHECK(exportedRefuted == smtRefuted);  // every SMT refutation is exported
  CHECK(smtRefuted >= 10);
  CHECK(classes.size() >= 4);
  if (solversAgree(ex, dir)) fs::remove_all(dir);
}
