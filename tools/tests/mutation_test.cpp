// Mutation tests of the independent checker: injected allocation faults over the whole corpus.
#include "core/ir/diff.h"
#include "tools/mutation.h"

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/ir/text.h"
#include "tools/pipeline.h"
#include "tests/size_env.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

using namespace vcr;
using namespace vcr::tools;

namespace {

/// Per-class tallies of the campaign.
struct ClassStats {
  unsigned mutants = 0, changing = 0, refuted = 0, proved = 0, strict = 0, unknown = 0;
  unsigned killed = 0;  ///< behaviour-changing and refuted
  unsigned functionsWithoutSite = 0;
};

/// A corpus module in both forms.
struct CorpusModule {
  std::string file;
  mir::Module vreg, allocated;
  std::vector<bool> allocOk;
};

/// Every corpus module in both forms. A module that cannot be loaded,
/// selected or fully allocated is left out and named in `skipped` (the
/// campaign fails on it); other diagnostics go to `notes`.
/// Modules that compute floats come a second time, selected for cortex-m4f:
/// their allocations hold S/D registers, where the VFP classes find sites.
std::vector<CorpusModule> loadCorpus(std::vector<std::string> &skipped, std::vector<std::string> &notes) {
  Diagnostics diags;
  std::vector<std::string> files = collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags);
  std::vector<CorpusModule> out;
  auto allocator = alloc::makeGraphColouring();
  for (size_t k = 0; k < 2 * files.size(); ++k) {
    const std::string &file = files[k % files.size()];
    const bool vfp = k >= files.size();
    auto bin = select::loadWasmFile(file, diags);
    if (!bin) {
      if (!vfp) skipped.push_back(file + ": does not load");
      continue;
    }
    select::SelectOptions so;
    if (vfp) so.cpu = arm::Cpu::CortexM4F;
    auto sel = select::selectModule(*bin, diags, so);
    if (!sel) {
      skipped.push_back(file + ": selection failed");
      continue;
    }
    if (vfp && !std::any_of(sel->module.functions.begin(), sel->module.functions.end(),
                            [](const mir::Function &f) { return mir::usesVfp(f); }))
      continue;
    CorpusModule cm;
    cm.file = std::filesystem::path(file).filename().string() + (vfp ? " (cortex-m4f)" : "");
    cm.vreg = std::move(sel->module);
    alloc::ModuleAllocation ma = alloc::allocateModule(*allocator, cm.vreg, alloc::AllocOptions{});
    bool all = true;
    for (const auto &r : ma.results) {
      cm.allocOk.push_back(r.ok);
      all = all && r.ok;
    }
    if (!all) {  // the interpreter wants every function of a module in one form
      skipped.push_back(cm.file + ": an allocation failed");
      continue;
    }
    cm.allocated = std::move(ma.module);
    out.push_back(std::move(cm));
  }
  for (const auto &d : diags) notes.push_back(d.str());
  return out;
}

mir::Module withFunction(const mir::Module &m, const mir::Function &f) {
  mir::Module copy = m;
  for (auto &g : copy.functions)
    if (g.name == f.name) g = f;
  return copy;
}

}  // namespace

TEST_CASE("mutation classes find their sites in a hand-written allocation") {
  const char *text = R"(module {
  memory 1
}
func @f(i32, i32) -> (i32) allocated {
bb0:
  param r0, r1
  push r4, lr !prologue
  adjsp #-8 !prologue
  sts [sp+0], r0 !spill
  add r0, r0, r1
  call @g (r0) -> (r0)
  lds r4, [sp+0] !reload
  sub r0, r0, r4
  adjsp #8 !epilogue
  pop r4, lr !epilogue
  ret r0
}
func @g(i32) -> (i32) {
bb0:
  param v0
  ret v0
}
)";
  auto parsed = mir::parseModule(text, "inline.mir");
  std::string diags;
  for (const auto &d : parsed.diags) diags += d.str() + "\n";
  REQUIRE_MESSAGE(parsed.module, diags);
  const mir::Function *alloc = nullptr;
  for (const auto &f : parsed.module->functions)
    if (f.allocated) alloc = &f;
  REQUIRE(alloc);
  std::map<MutationClass, size_t> n;
  for (MutationClass c : allMutationClasses()) {
    auto ms = mutate(*alloc, c, 1, 100);
    n[c] = ms.size();
    for (const auto &m : ms) {
      CHECK(m.cls == c);
      CHECK(!m.description.empty());
      CHECK(mir::printFunction(m.function) != mir::printFunction(*alloc));
    }
  }
  CHECK(n[MutationClass::SwapRegsAtUse] == 2);  // add and sub
  CHECK(n[MutationClass::DropReload] == 1);
  CHECK(n[MutationClass::DropSpillStore] == 1);
  CHECK(n[MutationClass::ReloadWrongSlot] == 1);  // [sp+4] is still inside the frame
  CHECK(n[MutationClass::SpillIntoLiveSlot] == 0); // only one slot
  CHECK(n[MutationClass::ClobberCalleeSaved] == 6); // r4 unsaved, or movi r4..r8 before ret
  CHECK(n[MutationClass::ReadCallerSavedAfterCall] == 2);
  CHECK(n[MutationClass::WrongCallArgReg] == 1);
  CHECK(n[MutationClass::WrongReturnRegister] == 1);
  CHECK(n[MutationClass::WrongRematConstant] == 0);
  CHECK(n[MutationClass::SwapI64Halves] == 0);
  CHECK(n[MutationClass::StackOutsideFrame] == 2);
  auto few = mutate(*alloc, MutationClass::ClobberCalleeSaved, 7, 3);
  CHECK(few.size() == 3);
  auto again = mutate(*alloc, MutationClass::ClobberCalleeSaved, 7, 3);
  for (size_t i = 0; i < few.size(); ++i) CHECK(few[i].description == again[i].description);
}

TEST_CASE("the checker kills every behaviour-changing mutant of the corpus") {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> skippedModules, problems;
  std::vector<CorpusModule> corpus = loadCorpus(skippedModules, problems);
  REQUIRE_MESSAGE(!corpus.empty(), "no corpus module loaded");
  for (const auto &m : skippedModules) FAIL_CHECK("corpus module left out of the campaign: " << m);
  std::array<ClassStats, kNumMutationClasses> stats{};
  std::vector<std::string> skipped, undecided, unsound;
  std::string shownReport, shownMutant;
  unsigned functions = 0;
  double checkSecs = 0, interpSecs = 0;
  verifier::CheckOptions opt;
  verifier::CheckOptions mutantOpt;
  // Mutant queries get a shorter timeout: a timeout is "unknown", which
  // fails a verify-alloc run just as a refutation does (see below).
  mutantOpt.timeoutMs = 1000;
  // One mutant per class and function keeps the test near a minute; set
  // VCR_MUTATION_PER_SITE=N for up to N (the checker then dominates).
  const unsigned cap = vcr::testing::envCount("VCR_MUTATION_PER_SITE", 1, 1);
  const char *only = std::getenv("VCR_MUTATION_ONLY");  // only corpus files whose name contains it
  unsigned modulesMatched = 0;
  for (const CorpusModule &cm : corpus) {
    if (only && cm.file.find(only) == std::string::npos) continue;
    ++modulesMatched;
    for (const mir::Function &orig : cm.vreg.functions) {
      const mir::Function *alloc = cm.allocated.findFunction(orig.name);
      REQUIRE(alloc);
      verifier::CheckResult base = verifier::checkFunction(orig, *alloc, cm.vreg, opt);
      if (!base.ok()) {  // a mutant of an unproved baseline says nothing about the checker
        skipped.push_back(cm.file + ":@" + orig.name);
        FAIL_CHECK("unmutated allocation not proved, so its mutants cannot be judged: " << cm.file << ":@"
                                                                                      << orig.name << "\n"
                                                                                      << base.summary());
        continue;
      }
      ++functions;
      const uint64_t seed = std::hash<std::string>{}(cm.file + orig.name);
      std::vector<mir::DiffInput> inputs = mir::makeDiffInputs(cm.vreg, orig.name, 20, seed);
      CHECK_MESSAGE(inputs.size() >= 20, cm.file << ":@" << orig.name << " has only " << inputs.size()
                                                 << " usable inputs");
      const std::string baseDiff = mir::behaviourDifference(cm.allocated, orig.name, inputs);
      REQUIRE_MESSAGE(baseDiff.empty(), "unmutated allocation differs: " << baseDiff);
      for (MutationClass c : allMutationClasses()) {
        ClassStats &s = stats[static_cast<unsigned>(c)];
        std::vector<Mutant> mutants = mutate(*alloc, c, seed, cap);
        if (mutants.empty()) ++s.functionsWithoutSite;
        for (const Mutant &m : mutants) {
          ++s.mutants;
          const auto t0 = std::chrono::steady_clock::now();
          verifier::CheckResult cr = verifier::checkFunction(orig, m.function, cm.vreg, mutantOpt);
          const auto t1 = std::chrono::steady_clock::now();
          // Observable behaviour: a dead read of a word holding no value is
          // garbage on the hardware, not a difference (the checker agrees).
          const std::string diff = mir::observableDifference(withFunction(cm.allocated, m.function), orig.name, inputs);
          checkSecs += std::chrono::duration<double>(t1 - t0).count();
          interpSecs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
          const std::string what = cm.file + ":@" + orig.name + " [" + std::string(mutationClassName(c)) +
                                   "] " + m.description;
          if (!diff.empty()) ++s.changing;
          if (cr.refuted) ++s.refuted;
          else if (cr.unknown) ++s.unknown;
          else ++s.proved;
          if (cr.refuted && diff.empty()) ++s.strict;
          if (cr.refuted && !diff.empty()) ++s.killed;
          if (!diff.empty() && !cr.refuted && cr.unknown)
            undecided.push_back(what + "\n  behaviour: " + diff + "\n" + cr.summary().substr(0, 400));
          if (cr.ok() && !diff.empty())
            unsound.push_back(what + "\n  " + diff + "\n" + mir::printFunction(m.function));
          if (cr.refuted && !diff.empty() && shownReport.empty() &&
              (c == MutationClass::SpillIntoLiveSlot || c == MutationClass::ReloadWrongSlot)) {
            shownReport = cr.summary();
            shownMutant = what;
          }
        }
      }
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::ostringstream t;
  char line[160];
  std::snprintf(line, sizeof line, "%-26s %8s %10s %8s %8s %8s %8s\n", "class", "mutants", "changing",
                "refuted", "proved", "strict", "no-site");
  t << line;
  unsigned classesWithMutants = 0, total = 0, changing = 0, refuted = 0, killed = 0, unknown = 0;
  for (MutationClass c : allMutationClasses()) {
    const ClassStats &s = stats[static_cast<unsigned>(c)];
    classesWithMutants += s.mutants > 0;
    total += s.mutants;
    changing += s.changing;
    refuted += s.refuted;
    killed += s.killed;
    unknown += s.unknown;
    std::snprintf(line, sizeof line, "%-26s %8u %10u %8u %8u %8u %8u\n",
                  std::string(mutationClassName(c)).c_str(), s.mutants, s.changing, s.refuted, s.proved,
                  s.strict, s.functionsWithoutSite);
    t << line;
  }
  t << "functions: " << functions << ", mutants: " << total << ", behaviour-changing: " << changing
    << ", refuted: " << refuted << ", unknown: " << unknown
    << ", kill rate: " << killed << "/" << changing << " behaviour-changing mutants refuted"
    << ", not refuted (solver timeout): " << undecided.size() << ", time: " << secs << " s (checker " << checkSecs << " s, interpreter " << interpSecs << " s)\n"
    << "(strict = refuted without a behaviour change on the random inputs; no-site = functions "
       "where the class has no applicable site)\n";
  t << "unmutated allocations not proved (each fails the test): " << skipped.size();
  for (const auto &s : skipped) t << " " << s;
  t << "\n";
  for (const auto &p : problems) t << "note: " << p << "\n";
  MESSAGE("mutation campaign\n" << t.str());
  if (!shownReport.empty())
    MESSAGE("a refutation as the user sees it, for " << shownMutant << "\n" << shownReport);

  for (const auto &u : unsound) FAIL_CHECK("checker soundness bug: proved a behaviour-changing mutant: " << u);
  // A behaviour-changing mutant the checker could not decide is still
  // rejected (unknown fails the run) but is not a kill: the kill rate must be
  // 100%, so it is an error (VCR_MUTATION_LENIENT=1 only lists it).
  const bool strict = std::getenv("VCR_MUTATION_LENIENT") == nullptr;
  for (const auto &e : undecided) {
    if (strict) FAIL_CHECK("behaviour-changing mutant not refuted (unknown): " << e);
    else MESSAGE("behaviour-changing mutant rejected as unknown, not refuted: " << e);
  }
  if (strict) CHECK(killed == changing);
  // A campaign over nothing proves nothing: a filter must match a module,
  // and the campaign must judge functions and mutants.
  if (only) CHECK_MESSAGE(modulesMatched > 0, "VCR_MUTATION_ONLY=\"" << std::string(only) << "\" matches no corpus file");
  CHECK(functions > 0);
  CHECK(total > 0);
  if (!only) CHECK(functions >= 80);
  // Every class finds a site in the whole corpus; a filtered run (the
  // sanitizer pass takes the .wat files only, whose float modules call no
  // function with float arguments and save no S register) still needs the
  // thirteen core classes. The hand-written cortex-m4f test below covers the
  // VFP classes' sites under any filter.
  CHECK(classesWithMutants >= (only ? 13u : kNumMutationClasses));
  for (MutationClass c : {MutationClass::VfpWrongSReg, MutationClass::VfpDOverLiveS,
                          MutationClass::VfpReadCallerSavedAfterCall, MutationClass::VfpMissingVPush,
                          MutationClass::VfpWrongFloatArg})
    if (!only) CHECK_MESSAGE(stats[static_cast<unsigned>(c)].mutants > 0, mutationClassName(c) << " found no site");
  CHECK(changing > 0);
  CHECK(!shownReport.empty());
}

TEST_CASE("VFP mutation classes find their sites in a hand-written cortex-m4f allocation") {
  const char *text = R"(func @f(f32, f32) -> (f32) allocated {
bb0:
  param s0, s1
  push lr !prologue
  push s16, s17 !prologue
  adjsp #-4 !prologue
  mov s16, s0 !move
  fadd.f32 s17, s0, s1
  mov s0, s17 !move
  call @g (s0) -> (s0)
  fmul.f32 s0, s0, s16
  fsub.f32 s0, s0, s17
  adjsp #4 !epilogue
  pop s16, s17 !epilogue
  pop lr !epilogue
  ret s0
}
func @g(f32) -> (f32) {
bb0:
  param v0
  ret v0
}
)";
  auto parsed = mir::parseModule(text, "vfp.mir");
  std::string diags;
  for (const auto &d : parsed.diags) diags += d.str() + "\n";
  REQUIRE_MESSAGE(parsed.module, diags);
  const mir::Function &alloc = parsed.module->functions[0];
  std::map<MutationClass, size_t> n;
  for (MutationClass c : {MutationClass::VfpWrongSReg, MutationClass::VfpDOverLiveS,
                          MutationClass::VfpReadCallerSavedAfterCall, MutationClass::VfpMissingVPush,
                          MutationClass::VfpWrongFloatArg}) {
    auto ms = mutate(alloc, c, 1, 100);
    n[c] = ms.size();
    for (const auto &m : ms) {
      CHECK(mir::printFunction(m.function) != mir::printFunction(alloc));
      // every one of them is a real fault: the checker refutes it
      const mir::ParseResult orig = mir::parseModule(R"(func @f(f32, f32) -> (f32) {
bb0:
  param v0, v1
  fadd.f32 v2, v0, v1
  call @g (v2) -> (v3)
  fmul.f32 v4, v3, v0
  fsub.f32 v5, v4, v2
  ret v5
}
func @g(f32) -> (f32) {
bb0:
  param v0
  ret v0
}
)", "vfp.vreg.mir");
      REQUIRE(orig.module);
      const verifier::CheckResult base =
          verifier::checkFunction(orig.module->functions[0], alloc, *orig.module, {});
      REQUIRE_MESSAGE(base.ok(), base.summary());
      const verifier::CheckResult r =
          verifier::checkFunction(orig.module->functions[0], m.function, *orig.module, {});
      CHECK_MESSAGE(r.refuted, mutationClassName(c) << ": " << m.description);
    }
  }
  CHECK(n[MutationClass::VfpWrongSReg] == 3);               // fadd, fmul, fsub
  CHECK(n[MutationClass::VfpMissingVPush] == 2);            // s16, s17
  CHECK(n[MutationClass::VfpReadCallerSavedAfterCall] >= 1);  // s16 or s17 read after the call
  CHECK(n[MutationClass::VfpWrongFloatArg] == 1);           // the writer of s0 before the call
  CHECK(n[MutationClass::VfpDOverLiveS] >= 1);
}
