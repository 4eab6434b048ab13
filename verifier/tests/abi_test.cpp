// The checker's own AAPCS placement on hand-worked signatures.
#include "core/ir/text.h"
#include "verifier/abi.h"

#include <doctest/doctest.h>

#include <string>

using namespace vcr;
using namespace vcr::verifier::abi;
using mir::ValType;

namespace {

/// "r0 r2 r3 [sp+0]" for the parameter homes of a signature.
std::string homes(std::initializer_list<ValType> ps) {
  mir::Signature s;
  s.params = ps;
  std::string out;
  for (const WordHome &h : paramHomes(s)) {
    if (!out.empty()) out += ' ';
    out += mir::printOperand(homeOperand(h));
  }
  return out;
}

uint32_t stackBytes(std::initializer_list<ValType> ps) {
  mir::Signature s;
  s.params = ps;
  return stackParamBytes(s);
}

constexpr ValType I = ValType::I32, L = ValType::I64, F = ValType::F32, D = ValType::F64;

}  // namespace

TEST_CASE("abi: i32 parameters fill r0-r3 then the stack") {
  CHECK(homes({}) == "");
  CHECK(homes({I, I, I, I}) == "r0 r1 r2 r3");
  CHECK(homes({I, I, I, I, I, I}) == "r0 r1 r2 r3 [sp+0] [sp+4]");
  CHECK(stackBytes({I, I, I, I, I, I}) == 8);
}

TEST_CASE("abi: i64 parameters take even pairs, never straddle, no back-filling") {
  CHECK(homes({L}) == "r0 r1");
  CHECK(homes({I, L}) == "r0 r2 r3");           // r1 skipped
  CHECK(homes({I, L, I}) == "r0 r2 r3 [sp+0]");  // no back-fill of r1
  CHECK(homes({I, I, I, L}) == "r0 r1 r2 [sp+0] [sp+4]");  // r3 left empty
  CHECK(homes({I, I, I, L, I}) == "r0 r1 r2 [sp+0] [sp+4] [sp+8]");
  CHECK(homes({L, L, I, L}) == "r0 r1 r2 r3 [sp+0] [sp+8] [sp+12]");  // i64 8-aligned
  CHECK(stackBytes({L, L, I, L}) == 16);
  CHECK(homes({I, I, I, I, I, L}) == "r0 r1 r2 r3 [sp+0] [sp+8] [sp+12]");
}

TEST_CASE("abi: AAPCS-VFP places f32 in S0-S15 and f64 in D0-D7 with back-filling") {
  CHECK(homes({F, F}) == "s0 s1");
  CHECK(homes({D, F}) == "d0 s2");
  CHECK(homes({F, D, F}) == "s0 d1 s1");  // the second f32 back-fills s1 below d1
  CHECK(homes({F, D, F, F}) == "s0 d1 s1 s4");
  CHECK(homes({I, F, L, D, I}) == "r0 s0 r2 r3 d1 [sp+0]");  // core and VFP placed independently
  // eight f64 fill d0-d7; a ninth goes to the stack, 8-aligned, and so does every later VFP value
  CHECK(homes({D, D, D, D, D, D, D, D, D, F}) == "d0 d1 d2 d3 d4 d5 d6 d7 [sp+0] [sp+8]");
  CHECK(stackBytes({D, D, D, D, D, D, D, D, D, F}) == 12);
  // s15 free but no even pair: the f64 goes to the stack, the last f32 does not back-fill s15
  CHECK(homes({D, D, D, D, D, D, D, F, D, F, I}) ==
        "d0 d1 d2 d3 d4 d5 d6 s14 [sp+0] [sp+8] r0");
  // the stack is shared with core values in argument order; an f64 there is 8-aligned
  // (d0-d7 cover s0-s15: the f32 finds no S register either)
  CHECK(homes({I, I, I, I, I, D, D, D, D, D, D, D, D, F, D}) ==
        "r0 r1 r2 r3 [sp+0] d0 d1 d2 d3 d4 d5 d6 d7 [sp+4] [sp+8]");
  CHECK(stackBytes({I, I, I, I, I, D, D, D, D, D, D, D, D, F, D}) == 16);
  // seventeen f32: s0-s15 then the stack
  CHECK(homes({F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, I}) ==
        "s0 s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 s12 s13 s14 s15 [sp+0] r0");
}

TEST_CASE("abi: f32 results in s0, f64 in d0") {
  mir::Signature s;
  s.results = {F};
  CHECK(printOperand(homeOperand(resultHomes(s).at(0))) == "s0");
  s.results = {D};
  CHECK(printOperand(homeOperand(resultHomes(s).at(0))) == "d0");
  CHECK(resultHomes(s).at(0).bytes == 8);
}

TEST_CASE("abi: results in r0, r0:r1") {
  mir::Signature s;
  CHECK(resultHomes(s).empty());
  s.results = {I};
  REQUIRE(resultHomes(s).size() == 1);
  CHECK(resultHomes(s)[0].reg == mir::PReg::R0);
  s.results = {L};
  REQUIRE(resultHomes(s).size() == 2);
  CHECK(resultHomes(s)[1].reg == mir::PReg::R1);
  CHECK(!resultHomes(s)[1].onStack);
}

TEST_CASE("abi: several results (multi-value) are placed as parameters of their types would be") {
  auto res = [](std::vector<mir::ValType> ts) {
    mir::Signature s;
    s.results = std::move(ts);
    std::string out;
    for (const auto &h : resultHomes(s)) out += (out.empty() ? "" : " ") + printOperand(homeOperand(h));
    return out;
  };
  CHECK(res({I, I}) == "r0 r1");
  CHECK(res({I, L}) == "r0 r2 r3");       // an i64 takes an even pair, skipping r1
  CHECK(res({I, I, I, I}) == "r0 r1 r2 r3");
  CHECK(res({F, D, F}) == "s0 d1 s1");    // back-filling, as for parameters
  CHECK(res({I, F, L, D}) == "r0 s0 r2 r3 d1");
  // the rest go to the caller's outgoing area, as stack parameters would
  CHECK(res({I, I, I, I, I, I}) == "r0 r1 r2 r3 [sp+0] [sp+4]");
  CHECK(res({L, L, I, L}) == "r0 r1 r2 r3 [sp+0] [sp+8] [sp+12]");
  mir::Signature s;
  s.results = {L, L, I, L};
  CHECK(stackResultBytes(s) == 16);
  s.results = {I, F};
  CHECK(stackResultBytes(s) == 0);
}

TEST_CASE("abi: register roles") {
  for (unsigned r = 0; r < 16; ++r) {
    const auto p = static_cast<mir::PReg>(r);
    CHECK(has(kCallerSaved, p) == (r <= 3 || r == 12 || r == 14));
    CHECK(has(kCalleeSaved, p) == (r >= 4 && r <= 11));
    CHECK(has(kLegacyPool, p) == (r <= 8));
    CHECK(has(kReserved, p) == (r >= 9));
  }
}
