// The checker's regression folder run on the hardware model: every hand-made wrong
// allocation in verifier/tests/regress, emitted to Thumb-2 and run in Unicorn, must
// behave differently from its original (or fail to run at all), and every control
// case the same. Execution, not the checker, is the judge of the expectation.
#include "arm/target/cpu.h"
#include "core/ir/text.h"
#include "tools/execute.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace vcr;

namespace {

namespace fs = std::filesystem;

mir::Module parseFile(const fs::path &p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  mir::ParseResult r = mir::parseModule(ss.str(), p.string());
  REQUIRE_MESSAGE(r.module.has_value(), p.string());
  return std::move(*r.module);
}

/// The value of the case's `; KEY: value` header line ("" if none).
std::string header(const fs::path &p, const std::string &key) {
  std::ifstream f(p);
  const std::string prefix = "; " + key + ": ";
  for (std::string line; std::getline(f, line);)
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  return "";
}

}  // namespace

TEST_CASE("each wrong allocation of the checker's regression folder runs differently in Unicorn") {
  const fs::path dir = fs::path(VCR_SOURCE_DIR) / "verifier" / "tests" / "regress";
  std::set<std::string> names;
  for (const auto &e : fs::directory_iterator(dir)) {
    const std::string f = e.path().filename().string();
    if (f.ends_with(".alloc.mir")) names.insert(f.substr(0, f.size() - 10));
  }
  REQUIRE(names.size() >= 17);
  unsigned differ = 0, same = 0;
  for (const std::string &name : names) {
    CAPTURE(name);
    const std::string runs = header(dir / (name + ".alloc.mir"), "runs");
    const std::string only = header(dir / (name + ".alloc.mir"), "function");
    REQUIRE((runs == "differ" || runs == "same"));
    const mir::Module vreg = parseFile(dir / (name + ".vreg.mir"));
    const mir::Module alloc = parseFile(dir / (name + ".alloc.mir"));
    tools::ExecOptions opt;
    opt.inputs = 40;
    if (const std::string cpu = header(dir / (name + ".alloc.mir"), "cpu"); !cpu.empty()) {
      const auto c = arm::parseCpu(cpu);
      REQUIRE_MESSAGE(c.has_value(), "unknown `; cpu:` " << cpu);
      opt.cpu = *c;
    }
    const auto reports = tools::executeModule(vreg, alloc, nullptr, {}, opt);
    REQUIRE(!reports.empty());
    for (const auto &entry : reports) {  // no structured binding: the CHECK macros capture (clang-14)
      const std::string &fn = entry.first;
      const tools::ExecReport &r = entry.second;
      CAPTURE(fn);
      CAPTURE(r.status);
      CAPTURE(r.reason);
      CAPTURE(r.firstDifference);
      if (!only.empty() && fn != only) continue;  // the module's other functions: see regress_test
      if (runs == "same") {
        CHECK(r.status == "ok");
        CHECK(r.runs >= 20);
        CHECK(r.agree == r.runs);
        ++same;
      } else {
        // It must have run and disagreed: a decline by the emitter or a
        // build error would prove nothing about the allocation.
        CHECK(r.status == "ok");
        CHECK(r.runs >= 20);
        CHECK(r.agree < r.runs);
        ++differ;
      }
    }
  }
  CHECK(differ >= 15);
  CHECK(same >= 1);
}
