// The checker's own AAPCS placement on hand-worked signatures.
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
    out += h.onStack ? "[sp+" + std::to_string(h.offset) + "]"
                     : std::string(mir::pregName(h.reg));
  }
  return out;
}

uint32_t stackBytes(std::initializer_list<ValType> ps) {
  mir::Signature s;
  s.params = ps;
  return stackParamBytes(s);
}

constexpr ValType I = ValType::I32, L = ValType::I64;

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

TEST_CASE("abi: register roles") {
  for (unsigned r = 0; r < 16; ++r) {
    const auto p = static_cast<mir::PReg>(r);
    CHECK(has(kCallerSaved, p) == (r <= 3 || r == 12 || r == 14));
    CHECK(has(kCalleeSaved, p) == (r >= 4 && r <= 11));
    CHECK(has(kLegacyPool, p) == (r <= 8));
    CHECK(has(kReserved, p) == (r >= 9));
  }
}
