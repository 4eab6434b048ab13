// Soundness fuzzing smoke: mutant generation reaches every edit kind, and a campaign of at least
// 2,000 mutants finds no proved mutant that behaves differently (issue 12).
#include "tools/soundness_fuzz.h"
#include "tools/pipeline.h"

#include "core/ir/text.h"

#include "tests/size_env.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

using namespace vcr;
using namespace vcr::tools::fuzz;

namespace {

const char *kAllocated = R"(module {
  memory 1
  global 0 mut 3
}
func @f(i32, i32) -> (i32) allocated {
bb0:
  param r0, r1
  push r4, lr !prologue
  adjsp #-8 !prologue
  sts [sp+0], r0 !spill
  store.32 r1, [r0+0]
  gset r1, #0
  load r4, [r1+0]
  store.32 r4, [r0+0]
  sub r2, r4, r4
  brif r2, bb1, bb2
bb1:
  lds r0, [sp+0] !reload
  call @g (r0) -> (r0)
  br bb2
bb2:
  movi r0, #1 !remat
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

mir::Function parseAllocated() {
  auto parsed = mir::parseModule(kAllocated, "inline.mir");
  std::string diags;
  for (const auto &d : parsed.diags) diags += d.str() + "\n";
  REQUIRE_MESSAGE(parsed.module, diags);
  return parsed.module->functions.at(0);
}


}  // namespace

TEST_CASE("every soundness edit kind applies to a hand-written allocation and changes it") {
  const mir::Function f = parseAllocated();
  const std::string before = mir::printFunction(f);
  for (unsigned k = 0; k < kNumEditKinds; ++k) {
    const auto kind = static_cast<EditKind>(k);
    auto m = makeMutantOf(f, {kind}, 7);
    REQUIRE_MESSAGE(m, "no site for ", editKindName(kind));
    CHECK(m->edits.size() == 1);
    CHECK(m->edits[0].kind == kind);
    CHECK_MESSAGE(mir::printFunction(m->function) != before, editKindName(kind), ": ", m->describe());
  }
}

TEST_CASE("soundness mutants are deterministic in the seed and mix single and multi-edit shapes") {
  const mir::Function f = parseAllocated();
  std::set<size_t> sizes;
  std::set<std::string> distinct;
  for (uint64_t s = 1; s <= 200; ++s) {
    auto a = makeMutant(f, s), b = makeMutant(f, s);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->describe() == b->describe());
    CHECK(mir::printFunction(a->function) == mir::printFunction(b->function));
    sizes.insert(a->edits.size());
    distinct.insert(a->describe());
  }
  CHECK(sizes == std::set<size_t>{1, 2, 3, 4});
  // (Some shapes have few variants on one small function: DroppedSave has
  // about ten, so a few single-edit seeds repeat one another.)
  CHECK(distinct.size() > 185);
}

TEST_CASE("soundness campaign smoke finds no proved mutant that behaves differently") {
  // Proved mutants are judged in Unicorn: without binutils the test would judge nothing.
  const bool as = vcr::testing::toolAvailable("arm-none-eabi-as");
  if (!vcr::testing::toolAvailable("arm-none-eabi-ld") || !as) return;
  CampaignOptions opt;
  opt.mutants = vcr::testing::envCount("VCR_FUZZ_MUTANTS", 2000, 2000);
  opt.generated = vcr::testing::envCount("VCR_FUZZ_GENERATED", 2, 1);
  opt.seed = 1;
  if (const char *out = std::getenv("VCR_FUZZ_OUT")) opt.outDir = out;  // reproducers of any finding
  vcr::testing::CorpusFilter filter;  // VCR_CORPUS_ONLY (the sanitizer pass): the subjects' corpus files
  if (filter.filtered()) {
    Diagnostics d;
    const std::string src = VCR_SOURCE_DIR;
    for (const std::string &f :
         tools::collectInputs({src + "/corpus/fixtures", src + "/corpus/kernels", src + "/tools/fuzz/shapes.wat"}, d))
      if (filter.take(f)) opt.corpus.push_back(f);
    filter.done();
  }
  const CampaignReport rep = runCampaign(opt);
  MESSAGE(rep.text());
  for (const auto &n : rep.notes) MESSAGE("note: " << n);
  CHECK(rep.tried >= 2000);
  CHECK(rep.provedRunInUnicorn > 0);  // a judge that never runs is vacuous
  CHECK(rep.count(Outcome::ProvedEquivalent) > 0);
  CHECK(rep.count(Outcome::Refuted) > 0);
  CHECK(rep.count(Outcome::StructRejected) > 0);
  CHECK(rep.count(Outcome::ProvedDifferent) == 0);
}

TEST_CASE("soundness campaign under --memory-max: no proved mutant behaves differently") {
  // Memory that really grows (memgrow, R10 changing): mutants of the arena
  // and memory_grow fixtures, proved ones judged in Unicorn with memory
  // mapped at the maximum and by the wabt oracle growing to it.
  const bool as = vcr::testing::toolAvailable("arm-none-eabi-as");
  if (!vcr::testing::toolAvailable("arm-none-eabi-ld") || !as) return;
  CampaignOptions opt;
  opt.mutants = vcr::testing::envCount("VCR_FUZZ_MUTANTS", 1000, 1000);
  opt.generated = 0;
  opt.seed = 5;
  opt.memoryMax = 4;
  const std::string src = VCR_SOURCE_DIR;
  opt.corpus = {src + "/corpus/fixtures/arena.wat", src + "/corpus/fixtures/memory_grow.wat"};
  const CampaignReport rep = runCampaign(opt);
  MESSAGE(rep.text());
  for (const auto &n : rep.notes) MESSAGE("note: " << n);
  CHECK(rep.tried >= 1000);
  CHECK(rep.provedRunInUnicorn > 0);
  CHECK(rep.count(Outcome::Refuted) > 0);
  CHECK(rep.count(Outcome::ProvedDifferent) == 0);
}
