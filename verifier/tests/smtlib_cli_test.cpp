// Exported SMT-LIB2 obligations run through the z3 and cvc5 command-line tools.
#include "check_util.h"

#include <cstdio>
#include <filesystem>
#include <map>

using namespace vcr;
using namespace vcr::verifier;
using namespace vcr::verifier::test;
namespace fs = std::filesystem;

namespace {

/// First line of a command's standard output, or "" if it cannot run.
std::string run(const std::string &cmd) {
  FILE *p = popen(cmd.c_str(), "r");
  if (!p) return "";
  char buf[256] = {0};
  std::string out = fgets(buf, sizeof buf, p) ? buf : "";
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

bool have(const std::string &tool) { return run("command -v " + tool + " 2>/dev/null") != ""; }

}  // namespace

TEST_CASE("smt-lib: z3 and cvc5 agree with the in-process verdict") {
  const bool z3 = have("z3"), cvc5 = have("cvc5");
  if (!z3 && !cvc5) {
    MESSAGE("skipped: neither z3 nor cvc5 is on PATH");
    return;
  }
  if (!z3) MESSAGE("z3 CLI missing: checking cvc5 only");
  if (!cvc5) MESSAGE("cvc5 CLI missing: checking z3 only");
  const fs::path dir = fs::temp_directory_path() / ("vcr_verifier_smt_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  mir::Module orig = loadData("basic.vreg.mir"), alloc = loadData("basic.alloc.mir");
  // one wrong allocation so that some files are satisfiable (refuted)
  for (auto &i : fnOf(alloc, "wide").blocks[0].instrs)
    if (i.op == mir::Opcode::Mov && i.uses[0].value == 2) i.uses[0] = mir::Operand::preg(mir::PReg::R3);
  CheckOptions opt;
  opt.smtDir = dir.string();
  std::map<std::string, Status> verdict;
  for (const char *fn : {"loop", "calls", "spill", "wide"}) {
    CheckResult r = checkFunction(fnOf(orig, fn), fnOf(alloc, fn), orig, opt);
    for (const auto &o : r.obligations) verdict[o.id] = o.status;
  }
  unsigned files = 0, refuted = 0;
  for (const auto &e : fs::directory_iterator(dir)) {
    const std::string file = e.path().string();
    std::string id = e.path().filename().string();
    id = id.substr(0, id.size() - 5);  // drop ".smt2"
    REQUIRE_MESSAGE(verdict.count(id), "no obligation for " << file);
    const std::string want = verdict[id] == Status::Proved ? "unsat" : "sat";
    refuted += want == "sat";
    ++files;
    CAPTURE(file);
    if (z3) CHECK(run("z3 -T:20 " + file + " 2>&1") == want);
    if (cvc5) CHECK(run("cvc5 --lang smt2 --tlimit=20000 " + file + " 2>&1") == want);
  }
  CHECK(files >= 10);
  CHECK(refuted >= 1);
  fs::remove_all(dir);
}
