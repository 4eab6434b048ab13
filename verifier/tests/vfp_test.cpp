// The checker on the VFP file (issue 14, docs/vfp.md "Checker"): hand-made
// correct allocations of float code (verifier/tests/vfp) are proved, and
// each VFP fault planted in them is refuted with a counterexample; the
// reference interpreter confirms that every fault really runs differently.
#include "smtlib_run.h"

#include "core/ir/diff.h"
#include "core/ir/text.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace vcr;

namespace {

std::string slurp(const std::string &name) {
  const std::string path = std::string(VCR_SOURCE_DIR) + "/verifier/tests/vfp/" + name;
  std::ifstream f(path);
  REQUIRE_MESSAGE(f.good(), "cannot open " << path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

mir::Module parse(const std::string &text, const std::string &what) {
  mir::ParseResult r = mir::parseModule(text, what);
  std::string diags;
  for (const auto &d : r.diags) diags += d.str() + "\n";
  REQUIRE_MESSAGE(r.module.has_value(), what << ": " << diags);
  return std::move(*r.module);
}

/// One case: a fixture, lines of its allocation replaced (each `from` must
/// occur exactly once; "" as `to` deletes the line), and the verdict.
struct Case {
  const char *name, *fixture;
  std::vector<std::pair<std::string, std::string>> edits;
  const char *refutedKind;  ///< nullptr: proved
  bool needsCounterexample = true;  ///< a refuted SMT goal, not only a syntactic refutation
};

const std::vector<Case> &cases() {
  static const std::vector<Case> all = {
      {"alias correct", "alias", {}, nullptr},
      {"alias: D reloaded word by word", "alias",
       {{"  lds d4, [sp+0] !reload\n", "  lds s8, [sp+0] !reload\n  lds s9, [sp+4] !reload\n"}}, nullptr},
      {"alias: the wrong S register (s3, the high word of d1, for v2)", "alias",
       {{"fadd.f32 s6, s4, s5", "fadd.f32 s6, s4, s3"}}, "effects"},
      {"alias: a D register overlapping a live S (d2 over v0 in s4)", "alias",
       {{"fsub.f64 d0, d0, d4", "fsub.f64 d2, d0, d4"}, {"fadd.f64 d3, d0, d7", "fadd.f64 d3, d2, d7"}},
       "effects"},
      {"alias: D reloaded with its words swapped", "alias",
       {{"  lds d4, [sp+0] !reload\n", "  lds s8, [sp+4] !reload\n  lds s9, [sp+0] !reload\n"}}, "effects"},
      {"alias: only the low word of v4 moved into d7", "alias", {{"  mov s15, s3 !move\n", ""}}, "effects"},
      {"alias: the second f32 parameter declared in s2 (no back-filling)", "alias",
       {{"param s0, d1, s1", "param s0, d1, s2"}}, "abi.params", false},
      {"alias: f64 result in d1", "alias", {{"ret d0", "ret d1"}}, "abi.ret", false},
      {"call correct", "call", {}, nullptr},
      {"call: a caller-saved S (s2) read after the call", "call",
       {{"fadd.f32 s16, s0, s0", "fadd.f32 s2, s0, s0"}, {"fadd.f32 s1, s0, s16", "fadd.f32 s1, s0, s2"}},
       "effects"},
      {"call: a missing VPUSH of the used callee-saved s16", "call",
       {{"  push s16, s17 !prologue\n", ""}, {"  pop s16, s17 !epilogue\n", ""}}, "preserve"},
      {"call: VPUSH of s17 only, s16 clobbered", "call",
       {{"push s16, s17 !prologue", "push s17, s18 !prologue"}, {"pop s16, s17 !epilogue", "pop s17, s18 !epilogue"}},
       "preserve"},
      {"call: the f32 argument in s1 while the call passes s0", "call",
       {{"fconst.f32 s0, #0x3f800000", "fconst.f32 s1, #0x3f800000"}, {"fadd.f32 s16, s0, s0", "fadd.f32 s16, s1, s1"}},
       "abi.call"},
      {"call: the f32 argument named in s1", "call",
       {{"call @g (s0, r0) -> (s0)", "call @g (s1, r0) -> (s0)"}}, "abi.call", false},
      {"call: the core pair of fmovtoint.f64 in caller-saved r2, r3", "call",
       {{"fmovtoint.f64 r4, r5, d0", "fmovtoint.f64 r2, r3, d0"}, {"add r0, r4, r0", "add r0, r2, r0"},
        {"add r0, r0, r5", "add r0, r0, r3"}},
       "abi.ret"},
      {"call: the f32 result read from s1", "call",
       {{"fadd.f32 s1, s0, s16", "fadd.f32 s1, s1, s16"}}, "effects"},
      {"stackargs correct", "stackargs", {}, nullptr},
      {"stackargs: an f64 reload into d7, over the f32 in s14", "stackargs",
       {{"lds d6, [sp+0] !inarg", "lds d7, [sp+0] !inarg"}, {"fcvt.f32.f64 s0, d6", "fcvt.f32.f64 s0, d7"}},
       "effects"},
      {"stackargs: the last f32 back-filled into s15", "stackargs",
       {{"s14, [sp+0], [sp+8], r0", "s14, [sp+0], s15, r0"}}, "abi.params", false},
      {"stackargs: the f64 stack parameter read from its high word", "stackargs",
       {{"lds d6, [sp+0] !inarg", "lds d6, [sp+4] !inarg"}}, "effects"},
      {"mem correct", "mem", {}, nullptr},
      {"mem: the f32 stack argument stored from the wrong S register", "mem",
       {{"sts [sp+8], s4 !outarg", "sts [sp+8], s1 !outarg"}}, "abi.call"},
      {"mem: the f64 stack argument stored with its words swapped", "mem",
       {{"  sts [sp+0], d1 !outarg\n", "  sts [sp+0], s3 !outarg\n  sts [sp+4], s2 !outarg\n"}}, "abi.call"},
      {"mem: the f64 stack argument stored word by word (correct)", "mem",
       {{"  sts [sp+0], d1 !outarg\n", "  sts [sp+0], s2 !outarg\n  sts [sp+4], s3 !outarg\n"}}, nullptr},
      {"mem: the f64 result read from d1, clobbered by the call", "mem",
       {{"fstore.f64 d0, [r4+16]", "fstore.f64 d1, [r4+16]"}}, "effects"},
      {"mem: the truncation kept across the call in caller-saved r2", "mem",
       {{"ftrunc.s32.f32 r5, s4", "ftrunc.s32.f32 r2, s4"}, {"add r0, r0, r5", "add r0, r0, r2"}}, "exit"},
      {"mem: the truncation applied to the wrong S register", "mem",
       {{"ftrunc.s32.f32 r5, s4", "ftrunc.s32.f32 r5, s1"}}, "effects"},
      {"mem: fsel into s2, the low word of the live d1", "mem",
       {{"fsel.f32 s4, r6, s1, s0", "fsel.f32 s2, r6, s1, s0"}, {"fstore.f32 s4, [r4+4]", "fstore.f32 s2, [r4+4]"},
        {"ftrunc.s32.f32 r5, s4", "ftrunc.s32.f32 r5, s2"}, {"sts [sp+8], s4 !outarg", "sts [sp+8], s2 !outarg"}},
       "abi.call"},
      {"mem: the branch on the wrong register", "mem", {{"brif r6, bb1, bb2", "brif r5, bb1, bb2"}}, "branch"},
      {"remat correct", "remat", {}, nullptr},
      {"remat: the f32 constant rematerialised with another value", "remat",
       {{"fconst.f32 s2, #0x40490fdb !remat", "fconst.f32 s2, #0x40490fdc !remat"}}, "effects"},
      {"remat: the f64 constant rematerialised with its words swapped", "remat",
       {{"fconst.f64 d2, #0x54442d18, #0x400921fb !remat", "fconst.f64 d2, #0x400921fb, #0x54442d18 !remat"}},
       "effects"},
      {"remat: the f32 constant not rematerialised after the call (s1 is clobbered)", "remat",
       {{"  fconst.f32 s2, #0x40490fdb !remat\n", ""}, {"fmul.f32 s0, s0, s2", "fmul.f32 s0, s0, s1"}}, "effects"},
      {"loop correct", "loop", {}, nullptr},
      {"loop: the result moved as its low word only", "loop",
       {{"mov d2, d1 !move", "mov s4, s2 !move"}}, "abi.ret"},
      {"loop: the high word of the carried f64 overwritten in the loop", "loop",
       {{"  sub r2, r2, #1\n", "  sub r2, r2, #1\n  mov s3, s0 !move\n"}}, "exit"},
      {"callint correct", "callint", {}, nullptr},
      {"callint: d8 pushed as a D register saves s16", "callint",
       {{"push s16, s17, d9 !prologue", "push d8, d9 !prologue"}, {"pop s16, s17, d9 !epilogue", "pop d8, d9 !epilogue"}},
       nullptr},
      {"callint: a caller-saved S (s3) read after the call", "callint",
       {{"fadd.f32 s16, s2, s2", "fadd.f32 s3, s2, s2"}, {"fadd.f32 s0, s0, s16", "fadd.f32 s0, s0, s3"}}, "effects"},
      {"callint: a missing VPUSH of the used callee-saved s16 and d9", "callint",
       {{"  push s16, s17, d9 !prologue\n", ""}, {"  pop s16, s17, d9 !epilogue\n", ""}}, "preserve"},
      {"callint: a D register (d8) overlapping the live s16", "callint",
       {{"fmul.f64 d9, d0, d0", "fmul.f64 d8, d0, d0"}, {"fadd.f64 d1, d1, d9", "fadd.f64 d1, d1, d8"}}, "effects"},
      {"callint: the wrong S register (s17) for the f32 kept across the call", "callint",
       {{"fadd.f32 s0, s0, s16", "fadd.f32 s0, s0, s17"}}, "effects"},
      {"callint: a word of the fmovtoint.f64 core pair in caller-saved r3", "callint",
       {{"fmovtoint.f64 r4, r5, d0", "fmovtoint.f64 r3, r5, d0"}, {"add r0, r0, r4", "add r0, r0, r3"}}, "abi.ret"},
      {"callint: VPOP listed as d8, s18, s19 restores the same words", "callint",
       {{"pop s16, s17, d9 !epilogue", "pop d8, s18, s19 !epilogue"}}, nullptr},
  };
  return all;
}

std::string edited(std::string text, const Case &c) {
  for (const auto &edit : c.edits) {  // (no structured binding: clang-14 cannot capture one in REQUIRE_MESSAGE)
    const std::string &from = edit.first, &to = edit.second;
    const size_t at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "edit `" << from << "` does not apply");
    REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos, "edit `" << from << "` is ambiguous");
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

TEST_CASE("VFP allocations: correct ones are proved, every planted VFP fault is refuted") {
  unsigned proved = 0, refuted = 0, mutants = 0, correct = 0, ran = 0;
  for (const Case &c : cases()) {
    const std::string name = c.name;
    CAPTURE(name);
    mir::Module vreg = parse(slurp(std::string(c.fixture) + ".vreg.mir"), c.fixture);
    mir::Module alloc = parse(edited(slurp(std::string(c.fixture) + ".alloc.mir"), c), c.name);
    REQUIRE(vreg.functions.size() == alloc.functions.size());
    // The reference interpreter does not take f32/f64 signatures yet: such
    // fixtures are judged by the checker alone.
    bool runnable = true;
    for (const mir::Function &f : vreg.functions)
      for (const auto *ts : {&f.sig.params, &f.sig.results})
        for (mir::ValType t : *ts) runnable = runnable && !mir::isVfpType(t);
    bool kindRefuted = false, counterexample = false;
    std::string verdicts, diffs;
    for (const mir::Function &a : alloc.functions) {
      const auto it = std::find_if(vreg.functions.begin(), vreg.functions.end(),
                                   [&](const mir::Function &f) { return f.name == a.name; });
      REQUIRE(it != vreg.functions.end());
      const verifier::CheckResult r = verifier::checkFunction(*it, a, vreg, verifier::CheckOptions{});
      proved += r.proved;
      refuted += r.refuted;
      CHECK_MESSAGE(r.unknown == 0, r.summary());
      for (const auto &o : r.obligations) {
        if (o.status != verifier::Status::Refuted) continue;
        verdicts += o.str() + "\n";
        kindRefuted = kindRefuted || (c.refutedKind && o.kind == c.refutedKind);
        counterexample = counterexample || o.hasCounterexample;
      }
      if (!runnable) continue;
      const std::vector<mir::DiffInput> inputs = mir::makeDiffInputs(vreg, a.name, 48, 11);
      CHECK(inputs.size() >= 10);
      diffs += mir::behaviourDifference(alloc, a.name, inputs);
    }
    ran += runnable;
    if (!c.refutedKind) {
      ++correct;
      CHECK_MESSAGE(verdicts.empty(), verdicts);
      CHECK_MESSAGE(diffs.empty(), diffs);
      continue;
    }
    ++mutants;
    if (std::getenv("VCR_VFP_VERBOSE")) std::printf("== %s\n%s", c.name, verdicts.c_str());
    CHECK_MESSAGE(kindRefuted, "no `" << std::string(c.refutedKind) << "` obligation refuted; refuted:\n" << verdicts);
    if (c.needsCounterexample) CHECK_MESSAGE(counterexample, "no counterexample:\n" << verdicts);
    if (runnable) CHECK_MESSAGE(!diffs.empty(), "the fault runs the same as the original in the interpreter");
  }
  MESSAGE("VFP fixtures: " << correct << " correct, " << mutants << " faulty (" << ran
                           << " also run in the interpreter); obligations " << proved << " proved, "
                           << refuted << " refuted");
  CHECK(ran >= 10);
  CHECK(correct >= 5);
  CHECK(mutants >= 15);
}

TEST_CASE("the float pair of tools/tests/vfp_decline_test.cpp is proved") {
  const mir::Module orig = parse("func @f(i32) -> (i32) {\nbb0:\n  param v0\n  fmovfromint.f32 v1, v0\n"
                                 "  fadd.f32 v2, v1, v1\n  fmovtoint.f32 v3, v2\n  ret v3\n}\n", "vreg");
  const mir::Module alloc = parse("func @f(i32) -> (i32) allocated {\nbb0:\n  param r0\n  fmovfromint.f32 s0, r0\n"
                                  "  fadd.f32 s1, s0, s0\n  fmovtoint.f32 r0, s1\n  ret r0\n}\n", "alloc");
  const verifier::CheckResult r = verifier::checkFunction(orig.functions[0], alloc.functions[0], orig, {});
  CHECK_MESSAGE(r.ok(), r.summary());
  CHECK(r.proved >= 4);
}

TEST_CASE("VFP fixtures and their faults exported as SMT-LIB: unsat where proved, sat where refuted, under z3 and cvc5") {
  namespace fs = std::filesystem;
  const fs::path dir = verifier::test::scratch("vfp_smt");
  unsigned n = 0;
  for (const Case &c : cases()) {  // every case, each function in its own directory
    const std::string name = c.name;
    CAPTURE(name);
    const mir::Module vreg = parse(slurp(std::string(c.fixture) + ".vreg.mir"), c.fixture);
    const mir::Module alloc = parse(edited(slurp(std::string(c.fixture) + ".alloc.mir"), c), c.name);
    for (const mir::Function &a : alloc.functions) {
      const auto it = std::find_if(vreg.functions.begin(), vreg.functions.end(),
                                   [&](const mir::Function &f) { return f.name == a.name; });
      REQUIRE(it != vreg.functions.end());
      verifier::CheckOptions opt;
      opt.smtDir = (dir / (std::to_string(n++) + "_" + a.name)).string();
      const verifier::CheckResult r = verifier::checkFunction(*it, a, vreg, opt);
      CHECK(r.unknown == 0);  // the export builds every block (the same goals without normalisation)
      if (!c.refutedKind) CHECK_MESSAGE(r.ok(), r.summary());
    }
  }
  std::vector<std::string> files, want;
  unsigned refuted = 0;
  for (const verifier::test::Exported &e : verifier::test::readManifests(dir)) {
    if (e.verdict == "unknown") continue;
    files.push_back(e.path);
    want.push_back(e.verdict == "proved" ? "unsat" : "sat");
    refuted += e.verdict == "refuted";
  }
  CHECK(files.size() >= 300);
  CHECK(refuted >= 15);
  MESSAGE("VFP export: " << files.size() << " SMT obligations, " << refuted << " refuted");
  if (!verifier::test::solversPresent()) return;
  bool ok = true;
  for (const char *solver : {"z3", "cvc5"}) {
    double secs = 0;
    const std::vector<std::string> got = verifier::test::solveAll(solver, files, dir, 30000, secs);
    MESSAGE(std::string(solver) << ": " << files.size() << " queries in " << secs << " s");
    for (size_t k = 0; k < files.size(); ++k) {
      CHECK_MESSAGE(got[k] == want[k], std::string(solver) << " answers " << got[k] << ", expected " << want[k] << ", on " << files[k]);
      ok = ok && got[k] == want[k];
    }
  }
  if (ok) fs::remove_all(dir);
  else MESSAGE("the exported files are kept in " << dir);
}
