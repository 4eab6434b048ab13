// The regression folder of hand-made wrong allocations (verifier/tests/regress):
// each pair's verdict, and that the wrong ones really run differently.
#include "core/ir/diff.h"
#include "core/ir/text.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace vcr;

namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(VCR_SOURCE_DIR) / "verifier" / "tests" / "regress";

std::string slurp(const fs::path &p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

mir::Module parse(const fs::path &p) {
  mir::ParseResult r = mir::parseModule(slurp(p), p.string());
  std::string diags;
  for (const auto &d : r.diags) diags += d.str() + "\n";
  REQUIRE_MESSAGE(r.module.has_value(), p.string() << ": " << diags);
  return std::move(*r.module);
}

/// The header of a case: "; expect: ..." and "; runs: ...".
struct Expectation {
  bool proved = false;
  std::vector<std::string> refutedKinds;
  std::string runs;      // "differ" or "same"
  std::string function;  // "": every function; else the only one the verdict is about
};

Expectation readExpectation(const fs::path &alloc) {
  Expectation e;
  std::istringstream in(slurp(alloc));
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string semi, key, value;
    words >> semi >> key;
    if (semi != ";") continue;
    if (key == "expect:") {
      words >> value;
      if (value == "proved") e.proved = true;
      for (std::string k; words >> k;) e.refutedKinds.push_back(k);
    } else if (key == "runs:") {
      words >> e.runs;
    } else if (key == "function:") {
      words >> e.function;
    }
  }
  return e;
}

std::vector<std::string> caseNames() {
  std::set<std::string> names;
  for (const auto &ent : fs::directory_iterator(kDir)) {
    const std::string f = ent.path().filename().string();
    const std::string suffix = ".alloc.mir";
    if (f.size() > suffix.size() && f.ends_with(suffix)) names.insert(f.substr(0, f.size() - suffix.size()));
  }
  return {names.begin(), names.end()};
}

}  // namespace

TEST_CASE("every hand-made wrong allocation in verifier/tests/regress gets its stated verdict") {
  const std::vector<std::string> names = caseNames();
  REQUIRE(names.size() >= 17);  // the folder is the test: an empty one must fail
  unsigned wrong = 0, controls = 0;
  for (const std::string &name : names) {
    CAPTURE(name);
    const Expectation want = readExpectation(kDir / (name + ".alloc.mir"));
    REQUIRE_MESSAGE((want.proved || !want.refutedKinds.empty()), "no `; expect:` line");
    REQUIRE_MESSAGE((want.runs == "differ" || want.runs == "same"), "no `; runs:` line");
    REQUIRE_MESSAGE(want.proved == (want.runs == "same"),
                    "a refuted case must run differently and a proved one the same");
    mir::Module vreg = parse(kDir / (name + ".vreg.mir"));
    mir::Module alloc = parse(kDir / (name + ".alloc.mir"));
    REQUIRE(vreg.functions.size() == alloc.functions.size());
    bool named = want.function.empty();
    for (const mir::Function &a : alloc.functions) {
      CAPTURE(a.name);
      const auto it = std::find_if(vreg.functions.begin(), vreg.functions.end(),
                                   [&](const mir::Function &f) { return f.name == a.name; });
      REQUIRE(it != vreg.functions.end());
      const verifier::CheckResult r = verifier::checkFunction(*it, a, vreg, verifier::CheckOptions{});
      std::string verdicts;
      for (const auto &o : r.obligations)
        if (o.status != verifier::Status::Proved) verdicts += o.id + " [" + o.kind + "] " + o.detail + "\n";
      // The other functions of a module whose verdict is about one of them
      // are correct allocations: proved (they may run differently only
      // through calls to the wrong one).
      const bool about = want.function.empty() || want.function == a.name;
      named = named || want.function == a.name;
      const std::vector<mir::DiffInput> inputs = mir::makeDiffInputs(vreg, a.name, 64, 7);
      REQUIRE(inputs.size() >= 20);
      const std::string diff = mir::behaviourDifference(alloc, a.name, inputs);
      if (!about) {
        CHECK_MESSAGE(r.ok(), verdicts);
        continue;
      }
      if (want.proved) {
        CHECK_MESSAGE(r.ok(), verdicts);
        ++controls;
      } else {
        CHECK(r.unknown == 0);
        for (const std::string &kind : want.refutedKinds) {
          const bool refuted = std::any_of(r.obligations.begin(), r.obligations.end(), [&](const auto &o) {
            return o.kind == kind && o.status == verifier::Status::Refuted;
          });
          CHECK_MESSAGE(refuted, "no `" << kind << "` obligation refuted; failures:\n" << verdicts);
        }
        ++wrong;
      }
      // Execution is the judge of the expectation itself: a wrong allocation
      // must behave differently from its original on some input.
      if (want.runs == "differ") CHECK_MESSAGE(!diff.empty(), "runs the same as the original");
      else CHECK_MESSAGE(diff.empty(), diff);
    }
    CHECK_MESSAGE(named, "no function @" << want.function);
  }
  CHECK(wrong >= 15);
  CHECK(controls >= 1);
}

TEST_CASE("a pool containing r9, r10, r11, sp or pc is refused by the checker") {
  mir::Module vreg = parse(kDir / "correct_reserved_saves.vreg.mir");
  mir::Module alloc = parse(kDir / "correct_reserved_saves.alloc.mir");
  verifier::CheckOptions opt;
  REQUIRE(verifier::checkFunction(vreg.functions[0], alloc.functions[0], vreg, opt).ok());
  for (unsigned r : {9u, 10u, 11u, 13u, 15u}) {
    CAPTURE(r);
    opt.poolMask = static_cast<uint16_t>(0x01FF | (1u << r));
    const verifier::CheckResult res = verifier::checkFunction(vreg.functions[0], alloc.functions[0], vreg, opt);
    CHECK_FALSE(res.ok());
    const bool named = std::any_of(res.obligations.begin(), res.obligations.end(), [&](const auto &o) {
      return o.kind == "structure" && o.detail.find("never allocatable") != std::string::npos;
    });
    CHECK(named);
  }
  opt.poolMask = 0x01FF | (1u << 12) | (1u << 14);  // r12 and lr may be in a pool
  CHECK(verifier::checkFunction(vreg.functions[0], alloc.functions[0], vreg, opt).ok());
}
