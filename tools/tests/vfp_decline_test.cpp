// The layers that do not handle the VFP register classes yet decline a float function with a clear reason (docs/vfp.md); the checker proves it.
#include "arm/emit/emit.h"
#include "core/alloc/allocator.h"
#include "core/ir/text.h"
#include "ladder/ladder.h"
#include "optimal/optimal.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

using namespace vcr;

namespace {

const char *kVRegForm = R"(func @f(i32) -> (i32) {
bb0:
  param v0
  fmovfromint.f32 v1, v0
  fadd.f32 v2, v1, v1
  fmovtoint.f32 v3, v2
  ret v3
}
)";

const char *kAllocated = R"(func @f(i32) -> (i32) allocated {
bb0:
  param r0
  fmovfromint.f32 s0, r0
  fadd.f32 s1, s0, s0
  fmovtoint.f32 r0, s1
  ret r0
}
)";

mir::Module parse(const char *text) {
  mir::ParseResult r = mir::parseModule(text, "vfp.mir");
  REQUIRE(r.module);
  return *r.module;
}

}  // namespace

TEST_CASE("allocators decline a function with float opcodes: vcr-ra, the ladder, the optimal allocator") {
  const mir::Module m = parse(kVRegForm);
  const mir::Function &f = m.functions[0];
  const alloc::AllocOptions opt;
  const alloc::AllocResult irc = alloc::makeGraphColouring()->allocate(f, m, opt);
  CHECK_FALSE(irc.ok);
  CHECK(irc.error.find("VFP register classes are not yet allocated") != std::string::npos);
  const alloc::AllocResult lad = ladder::makeLadderAllocator()->allocate(f, m, opt);
  CHECK_FALSE(lad.ok);
  CHECK(lad.error.find("VFP register classes are not modelled by the legacy allocator") != std::string::npos);
  optimal::OptimalAllocator opal;
  const alloc::AllocResult op = opal.allocate(f, m, opt);
  CHECK_FALSE(op.ok);
  CHECK(op.error.find("VFP register classes are not yet allocated") != std::string::npos);
}

TEST_CASE("the checker proves and the emitter declines a function with VFP registers") {
  // The checker handles the VFP file (docs/vfp.md "Checker"; verifier/tests/vfp_test.cpp).
  const mir::Module orig = parse(kVRegForm), alloc = parse(kAllocated);
  const verifier::CheckResult c =
      verifier::checkFunction(orig.functions[0], alloc.functions[0], orig, verifier::CheckOptions{});
  CHECK_MESSAGE(c.ok(), c.summary());
  const emit::EmitResult e = emit::emitModule(alloc);
  CHECK(e.emitted.empty());
  REQUIRE(e.declined.size() == 1);
  CHECK(e.declined[0].reason.find("VFP register classes are not yet emitted") != std::string::npos);
}
