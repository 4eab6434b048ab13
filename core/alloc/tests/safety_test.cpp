// The allocator's safety net: generated functions, vreg form vs allocated form in the interpreter.
#include "core/alloc/allocator.h"
#include "core/alloc/bench/mir_gen.h"
#include "core/alloc/tests/test_util.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"
#include "tests/recorded_hash.h"
#include "tests/size_env.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

using namespace vcr;
using namespace vcr::alloc;

namespace {

/// Number of generated functions (env VCR_ALLOC_GENERATED overrides). Floor
/// 100: a fifth of it is 20 functions, about one per generator shape mix.
unsigned generatedCount(unsigned dflt) { return vcr::testing::envCount("VCR_ALLOC_GENERATED", dflt, 100); }

std::string diagText(const Diagnostics &ds) {
  std::string s;
  for (const auto &d : ds) s += d.str() + "\n";
  return s;
}

}  // namespace

TEST_CASE("safety net: generated MIR modules allocate and run identically") {
  // The wasmgen safety net (corpus_test.cpp) takes the full VCR_ALLOC_GENERATED
  // count; this MIR-level one adds a fifth of it (shapes selection never makes).
  const unsigned functions = generatedCount(10000) / 5;
  auto ra = makeGraphColouring();
  AllocOptions opt;
  unsigned done = 0, modules = 0, spilling = 0, firstRound = 0, runs = 0;
  for (uint64_t seed = 1; done < functions; ++seed) {
    gen::MirGenOptions g;
    g.seed = seed;
    g.size = 5 + static_cast<unsigned>(seed * 7 % 116);
    g.pressure = static_cast<unsigned>(seed % 17);
    g.callShare = seed % 3 == 0 ? 0 : 12;
    g.loopShare = seed % 4 == 1 ? 0 : 10;
    g.i64Share = seed % 5 == 2 ? 0 : 20;
    mir::Module m = gen::generateModule(g);
    Diagnostics diags;
    REQUIRE_MESSAGE(mir::validateModule(m, diags), "generator produced invalid MIR (seed " << seed << "):\n"
                                                        << diagText(diags) << mir::printModule(m));
    ModuleAllocation out = allocateModule(*ra, m, opt);
    for (size_t i = 0; i < out.results.size(); ++i) {
      const AllocResult &r = out.results[i];
      REQUIRE_MESSAGE(r.ok, r.error);
      if (r.stats.rounds == 1) ++firstRound;
      if (r.stats.spilledVRegs) ++spilling;
      std::string bad = test::checkRegisterRoles(r.function, opt.pool);
      REQUIRE_MESSAGE(bad.empty(), "register outside the pool/ABI roles (seed " << seed << "): " << bad);
    }
    done += static_cast<unsigned>(m.functions.size());
    ++modules;
    Diagnostics vd;
    REQUIRE_MESSAGE(mir::validateModule(out.module, vd), "allocated module invalid (seed " << seed << "):\n"
                                                             << diagText(vd) << mir::printModule(out.module));
    for (const char *fn : {"main", "h2"}) {
      test::DiffOutcome d = test::differential(m, out.module, fn, fn[0] == 'm' ? 20 : 4, seed);
      runs += d.runs;
      REQUIRE_MESSAGE(d.same, "seed " << seed << ": " << d.why << "\n--- vreg form\n" << mir::printModule(m)
                                      << "--- allocated\n" << mir::printModule(out.module));
    }
  }
  MESSAGE(done << " generated functions in " << modules << " modules, " << runs << " runs; " << spilling
               << " needed spill code, " << firstRound << " coloured in the first round");
  CHECK(done >= functions);
}

TEST_CASE("safety net: generated MIR with f32 and f64 values allocates and runs identically") {
  // Both VFP classes beside core values: up to 44 f32 locals and a third as many f64 ones live to
  // the end (more than the 32 S registers), across calls (S0-S15 clobbered), loops and diamonds.
  const unsigned functions = generatedCount(10000) / 10;
  auto ra = makeGraphColouring();
  AllocOptions opt;
  unsigned done = 0, runs = 0, vfpSpills = 0, savedS = 0;
  for (uint64_t seed = 1; done < functions; ++seed) {
    gen::MirGenOptions g;
    g.seed = seed + 5000;
    g.size = 10 + static_cast<unsigned>(seed * 7 % 90);
    g.pressure = static_cast<unsigned>(seed % 9);
    g.callShare = seed % 3 == 0 ? 0 : 10;
    g.loopShare = seed % 4 == 1 ? 0 : 10;
    g.i64Share = 10;
    g.floatShare = 35;
    g.floatPressure = static_cast<unsigned>(seed * 13 % 45);
    mir::Module m = gen::generateModule(g);
    Diagnostics diags;
    REQUIRE_MESSAGE(mir::validateModule(m, diags), "generator produced invalid MIR (seed " << seed << "):\n"
                                                        << diagText(diags) << mir::printModule(m));
    ModuleAllocation out = allocateModule(*ra, m, opt);
    for (const AllocResult &r : out.results) {
      REQUIRE_MESSAGE(r.ok, r.error);
      savedS += r.stats.calleeSavedS != 0;
    }
    for (const mir::Function &f : out.module.functions)
      for (const mir::Block &b : f.blocks)
        for (const mir::Instr &i : b.instrs)
          vfpSpills += i.op == mir::Opcode::Sts && i.origin == mir::Origin::Spill && i.uses[0].isVfp();
    done += static_cast<unsigned>(m.functions.size());
    Diagnostics vd;
    REQUIRE_MESSAGE(mir::validateModule(out.module, vd), "allocated module invalid (seed " << seed << "):\n"
                                                             << diagText(vd) << mir::printModule(out.module));
    for (const char *fn : {"main", "h2"}) {
      test::DiffOutcome d = test::differential(m, out.module, fn, fn[0] == 'm' ? 12 : 4, seed);
      runs += d.runs;
      REQUIRE_MESSAGE(d.same, "seed " << seed << ": " << d.why << "\n--- vreg form\n" << mir::printModule(m)
                                      << "--- allocated\n" << mir::printModule(out.module));
    }
  }
  MESSAGE(done << " generated functions, " << runs << " runs; " << vfpSpills << " VFP spill stores, " << savedS
               << " functions saving S16-S31");
  CHECK(done >= functions);
  CHECK(vfpSpills > 0);  // the shapes reach beyond the 32 S registers
  CHECK(savedS > 0);     // and keep values in callee-saved S registers across calls
}

TEST_CASE("ablation: each quality pass switched off still allocates correctly, and changes something") {
  // `--without` (alloc_bench, verify-alloc) measures what a quality pass
  // buys; the allocation must stay correct without it, and each switch must
  // be wired: some function allocates differently without the pass.
  // A fixed set (not VCR_ALLOC_GENERATED): call-splits, loop-exit-splits
  // and callee-split change 1 to 10 of these 400 functions, so a smaller
  // set could not show that their switches are wired.
  constexpr unsigned functions = 400;  // per pass
  const auto &names = qualityPassNames();
  REQUIRE(names.size() == 6);
  auto ra = makeGraphColouring();
  for (size_t p = 0; p <= names.size(); ++p) {
    const std::string list = p < names.size() ? std::string(names[p]) : "call-splits,loop-exit-splits,webs,"
                                                                         "arg-only-params,callee-split,recolour";
    CAPTURE(list);
    AllocOptions off;
    std::string error;
    REQUIRE_MESSAGE(disablePasses(list, off.passes, error), error);
    unsigned done = 0, differ = 0;
    for (uint64_t seed = 1; done < functions; ++seed) {
      gen::MirGenOptions g;
      g.seed = 7000 + seed;
      g.size = 8 + static_cast<unsigned>(seed * 13 % 90);
      g.pressure = static_cast<unsigned>(4 + seed % 13);
      g.callShare = seed % 3 == 0 ? 0 : 14;
      g.loopShare = seed % 4 == 1 ? 0 : 12;
      g.i64Share = seed % 5 == 2 ? 0 : 15;
      g.floatShare = seed % 4 == 3 ? 25 : 0;
      g.floatPressure = g.floatShare ? 5 : 0;
      mir::Module m = gen::generateModule(g);
      ModuleAllocation a = allocateModule(*ra, m, AllocOptions{});
      ModuleAllocation b = allocateModule(*ra, m, off);
      for (size_t i = 0; i < b.results.size(); ++i) {
        REQUIRE_MESSAGE(b.results[i].ok, b.results[i].error);
        differ += mir::printFunction(a.results[i].function) != mir::printFunction(b.results[i].function);
      }
      done += static_cast<unsigned>(m.functions.size());
      Diagnostics vd;
      REQUIRE_MESSAGE(mir::validateModule(b.module, vd), "allocated module invalid (seed " << g.seed << "):\n"
                                                             << diagText(vd));
      test::DiffOutcome d = test::differential(m, b.module, "main", 6, g.seed);
      REQUIRE_MESSAGE(d.same, "seed " << g.seed << ": " << d.why << "\n--- vreg form\n" << mir::printModule(m)
                                      << "--- allocated\n" << mir::printModule(b.module));
    }
    MESSAGE(list << " off: " << differ << " of " << done << " functions allocate differently");
    CHECK(differ > 0);
  }
}

TEST_CASE("ablation: pass lists are parsed strictly") {
  QualityPasses q;
  std::string error;
  CHECK(disablePasses("webs,recolour", q, error));
  CHECK(!q.webs);
  CHECK(!q.recolour);
  CHECK(q.callSplits);
  CHECK(q.loopExitSplits);
  CHECK(q.argOnlyParams);
  CHECK(q.calleeSplit);
  QualityPasses all;
  for (std::string_view n : qualityPassNames()) CHECK(disablePasses(n, all, error));
  CHECK(!(all.callSplits || all.loopExitSplits || all.webs || all.argOnlyParams || all.calleeSplit || all.recolour));
  for (const char *bad : {"", "web", "webs,", ",webs", "webs,,recolour", "WEBS"}) {
    CAPTURE(bad);
    QualityPasses x;
    CHECK_FALSE(disablePasses(bad, x, error));
    CHECK(error.find("unknown quality pass") != std::string::npos);
  }
}

TEST_CASE("MIR generator: recorded seeds give the recorded modules in every build") {
  // As wasmgen's test of the same name: one seed, one module, whatever the
  // build (FNV-1a of the module's text; the ASan+UBSan pass of CI checks
  // the same hashes). After an intended change to the generator, record
  // the new hashes (printed).
  std::vector<uint64_t> got;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    gen::MirGenOptions g;
    g.seed = seed;
    g.size = 20 + static_cast<unsigned>(seed * 11 % 40);
    g.pressure = static_cast<unsigned>(3 + seed % 8);
    g.floatShare = seed % 2 ? 30 : 0;
    g.floatPressure = g.floatShare ? 4 : 0;
    g.states = seed % 3 == 0 ? 3 : 0;
    got.push_back(vcr::testing::fnv1a(mir::printModule(gen::generateModule(g))));
  }
  const std::vector<uint64_t> recorded = {0x1f64974477bf4fdfull, 0x5fc15f7255ff7a0eull, 0x57c3848815d572ecull,
                                          0x1daa89dc23db63d2ull, 0x583112a572f8493full, 0x064e813d936fa39cull};
  vcr::testing::checkRecorded(got, recorded);
}
