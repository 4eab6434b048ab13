// The checker on `calli` (wasm call_indirect): the register the allocated
// code calls through must hold the original table index, like an argument.
#include "check_util.h"

#include <functional>

using namespace vcr;
using namespace vcr::verifier;
using namespace vcr::verifier::test;
using mir::Operand;
using mir::PReg;

namespace {

constexpr const char *kVreg = R"(
module {
  type 0 (i32) -> (i32)
  table 2
  elem 0 @inc 0
}
func @inc(i32) -> (i32) {
bb0:
  param v0
  add v1, v0, #1
  ret v1
}
func @dispatch(i32, i32) -> (i32) {
bb0:
  param v0, v1
  movi v2, #100
  calli #0, v0 (v1) -> (v3)
  add v4, v3, v2
  ret v4
}
)";

/// A correct allocation: the index (v0) in r4, the constant in r5.
constexpr const char *kAlloc = R"(
module {
  type 0 (i32) -> (i32)
  table 2
  elem 0 @inc 0
}
func @dispatch(i32, i32) -> (i32) allocated {
bb0:
  param r0, r1
  push r4, r5, r6, lr !prologue
  mov r4, r0 !move
  mov r0, r1 !move
  movi r5, #100
  calli #0, r4 (r0) -> (r0)
  add r0, r0, r5
  pop r4, r5, r6, lr !epilogue
  ret r0
}
)";

mir::Module parseText(const char *text) {
  mir::ParseResult r = mir::parseModule(text, "calli_test.mir");
  std::string diags;
  for (const auto &d : r.diags) diags += d.str() + "\n";
  REQUIRE_MESSAGE(r.module.has_value(), diags);
  return std::move(*r.module);
}

/// Check @dispatch's allocation after `mutate`.
CheckResult checkMutant(const std::function<void(mir::Instr &calli, mir::Function &f)> &mutate) {
  mir::Module orig = parseText(kVreg), alloc = parseText(kAlloc);
  mir::Function &f = fnOf(alloc, "dispatch");
  mir::Instr *calli = nullptr;
  for (auto &in : f.blocks[0].instrs)
    if (in.op == mir::Opcode::CallInd) calli = &in;
  REQUIRE(calli);
  mutate(*calli, f);
  return checkFunction(fnOf(orig, "dispatch"), f, orig, CheckOptions{});
}

/// The refuted abi.call obligation of `r` (with a counterexample), or null.
const Obligation *refutedCall(const CheckResult &r) {
  for (const Obligation &o : r.obligations)
    if (o.status == Status::Refuted && o.kind == "abi.call") return &o;
  return nullptr;
}

}  // namespace

TEST_CASE("calli: a correct allocation is proved") {
  const CheckResult r = checkMutant([](mir::Instr &, mir::Function &) {});
  INFO(failures(r));
  CHECK(r.ok());
  CHECK(r.proved > 0);
}

TEST_CASE("calli mutant: the call goes through the wrong register") {
  // r5 holds the constant 100, not the index
  const CheckResult r = checkMutant([](mir::Instr &c, mir::Function &) { c.uses.back() = Operand::preg(PReg::R5); });
  INFO(failures(r));
  CHECK_FALSE(r.ok());
  const Obligation *o = refutedCall(r);
  REQUIRE(o);
  CHECK(o->hasCounterexample);
  CHECK(o->cex.expected != o->cex.actual);
  CHECK(o->detail.find("table index") != std::string::npos);
}

TEST_CASE("calli mutant: the index register holds a different value") {
  // r4 gets the argument x instead of the index k
  const CheckResult r = checkMutant([](mir::Instr &, mir::Function &f) {
    for (auto &in : f.blocks[0].instrs)
      if (in.op == mir::Opcode::Mov && in.defs[0] == Operand::preg(PReg::R4)) in.uses[0] = Operand::preg(PReg::R1);
  });
  INFO(failures(r));
  CHECK_FALSE(r.ok());
  REQUIRE(refutedCall(r));
}

TEST_CASE("calli mutant: the index read from the argument register it shares the call with") {
  // r0 holds the argument x at the call, not the index
  const CheckResult r = checkMutant([](mir::Instr &c, mir::Function &) { c.uses.back() = Operand::preg(PReg::R0); });
  INFO(failures(r));
  CHECK_FALSE(r.ok());
  REQUIRE(refutedCall(r));
}

TEST_CASE("calli mutant: another signature id is a structural mismatch") {
  const CheckResult r = checkMutant([](mir::Instr &c, mir::Function &) { c.imm = 1; });
  CHECK_FALSE(r.ok());
  CHECK(r.refuted > 0);
}
