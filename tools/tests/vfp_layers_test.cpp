// A float function across the layers (docs/vfp.md): vcr-ra, the legacy model and the optimal allocator allocate
// it and the checker proves each; the emitter emits it for an FPU and declines it on cortex-m4.
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

/// Whether some instruction of `fn` writes an S register.
bool writesSReg(const mir::Function &fn) {
  for (const auto &b : fn.blocks)
    for (const auto &i : b.instrs)
      for (const mir::Operand &o : i.defs)
        if (o.isSReg()) return true;
  return false;
}

mir::Module parse(const char *text) {
  mir::ParseResult r = mir::parseModule(text, "vfp.mir");
  REQUIRE(r.module);
  return *r.module;
}

}  // namespace

TEST_CASE("vcr-ra, the legacy ladder and the optimal allocator allocate a float function, each proved") {
  const mir::Module m = parse(kVRegForm);
  const mir::Function &f = m.functions[0];
  const alloc::AllocOptions opt;
  const alloc::AllocResult irc = alloc::makeGraphColouring()->allocate(f, m, opt);
  REQUIRE_MESSAGE(irc.ok, irc.error);
  CHECK(writesSReg(irc.function));
  const verifier::CheckResult c = verifier::checkFunction(f, irc.function, m, verifier::CheckOptions{});
  CHECK_MESSAGE(c.ok(), c.summary());
  const alloc::AllocResult lad = ladder::makeLadderAllocator()->allocate(f, m, opt);
  REQUIRE_MESSAGE(lad.ok, lad.error);  // the legacy VFP file: S0-S15, no VPUSH
  bool legacySReg = false, highS = false;
  for (const auto &b : lad.function.blocks)
    for (const auto &i : b.instrs)
      for (const mir::Operand &o : i.defs) {
        legacySReg |= o.isSReg();
        highS |= o.isSReg() && o.value >= 16;
      }
  CHECK(legacySReg);
  CHECK_FALSE(highS);
  const verifier::CheckResult lc = verifier::checkFunction(f, lad.function, m, verifier::CheckOptions{});
  CHECK_MESSAGE(lc.ok(), lc.summary());
  optimal::OptimalAllocator opal;
  const alloc::AllocResult op = opal.allocate(f, m, opt);
  REQUIRE_MESSAGE(op.ok, op.error);
  CHECK(opal.last().status == "optimal");
  CHECK(writesSReg(op.function));
  const verifier::CheckResult oc = verifier::checkFunction(f, op.function, m, verifier::CheckOptions{});
  CHECK_MESSAGE(oc.ok(), oc.summary());
}

TEST_CASE("the checker proves a VFP allocation, the emitter emits it for an FPU and declines it on cortex-m4") {
  const mir::Module orig = parse(kVRegForm), alloc = parse(kAllocated);
  const verifier::CheckResult c =
      verifier::checkFunction(orig.functions[0], alloc.functions[0], orig, verifier::CheckOptions{});
  CHECK_MESSAGE(c.ok(), c.summary());
  const emit::EmitResult e = emit::emitModule(alloc);  // cortex-m4: no FPU
  CHECK(e.emitted.empty());
  REQUIRE(e.declined.size() == 1);
  CHECK(e.declined[0].reason.find("which has no FPU") != std::string::npos);
  for (arm::Cpu cpu : {arm::Cpu::CortexM4F, arm::Cpu::CortexM7}) {
    emit::EmitOptions eo;
    eo.cpu = cpu;
    const emit::EmitResult fe = emit::emitModule(alloc, eo);
    CHECK(fe.declined.empty());
    REQUIRE(fe.emitted.size() == 1);
    CHECK(fe.asmText.find("vadd.f32") != std::string::npos);
  }
}

TEST_CASE("an f32 passed through without a float opcode: the legacy model and the ILP keep it in S registers") {
  // No float opcode and no S/D register in vreg form, yet the value is f32 (AAPCS-VFP: in S0):
  // the legacy model once allocated it to core registers, which the checker refused; it now
  // models the VFP file (the value stays in S0 across nothing, the result comes back in S0).
  const mir::Module m = parse(R"(func @g(f32) -> (f32) {
bb0:
  param v0
  ret v0
}

func @pass(f32) -> (f32) {
bb0:
  param v0
  call @g (v0) -> (v1)
  ret v1
}
)");
  CHECK_FALSE(mir::usesVfp(m.functions[1]));
  CHECK(mir::touchesVfp(m.functions[1], m));
  const alloc::AllocOptions opt;
  const alloc::AllocResult lad = ladder::makeLadderAllocator()->allocate(m.functions[1], m, opt);
  REQUIRE_MESSAGE(lad.ok, lad.error);
  CHECK(verifier::checkFunction(m.functions[1], lad.function, m, verifier::CheckOptions{}).ok());
  const std::string text = mir::printFunction(lad.function);
  CHECK_MESSAGE(text.find("call @g (s0) -> (s0)") != std::string::npos, text);
  optimal::OptimalAllocator opal;
  const alloc::AllocResult op = opal.allocate(m.functions[1], m, opt);
  REQUIRE_MESSAGE(op.ok, op.error);
  CHECK(verifier::checkFunction(m.functions[1], op.function, m, verifier::CheckOptions{}).ok());
  CHECK_MESSAGE(mir::printFunction(op.function).find("call @g (s0) -> (s0)") != std::string::npos,
                mir::printFunction(op.function));
  const alloc::AllocResult irc = alloc::makeGraphColouring()->allocate(m.functions[1], m, opt);
  REQUIRE_MESSAGE(irc.ok, irc.error);
  CHECK(verifier::checkFunction(m.functions[1], irc.function, m, verifier::CheckOptions{}).ok());
}
