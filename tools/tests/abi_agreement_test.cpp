// The checker's AAPCS statement (verifier/abi.h) and arm/'s target
// description (arm/target/target.h) are written independently; here they are
// held against each other, so a shared mistake is caught, not inherited.
#include "arm/target/target.h"
#include "verifier/abi.h"

#include <doctest/doctest.h>

#include <random>

using namespace vcr;
using mir::PReg;
using mir::ValType;

TEST_CASE("verifier ABI table agrees with arm target description on every signature") {
  std::mt19937 rng(7);
  unsigned compared = 0;
  for (unsigned n = 0; n <= 8; ++n) {
    for (unsigned trial = 0; trial < 64; ++trial) {
      mir::Signature sig;
      for (unsigned i = 0; i < n; ++i) sig.params.push_back(rng() % 2 ? ValType::I64 : ValType::I32);
      if (trial % 3) sig.results.push_back(trial % 3 == 1 ? ValType::I32 : ValType::I64);
      auto mine = arm::paramLocations(sig);
      auto theirs = verifier::abi::paramHomes(sig);
      REQUIRE(mine.size() == theirs.size());
      for (size_t i = 0; i < mine.size(); ++i) {
        CHECK(mine[i].onStack == theirs[i].onStack);
        if (mine[i].onStack) CHECK(mine[i].offset == theirs[i].offset);
        else CHECK(mine[i].reg == theirs[i].reg);
      }
      CHECK(arm::stackArgBytes(sig) == verifier::abi::stackParamBytes(sig));
      auto r1 = arm::resultLocations(sig);
      auto r2 = verifier::abi::resultHomes(sig);
      REQUIRE(r1.size() == r2.size());
      for (size_t i = 0; i < r1.size(); ++i) CHECK(r1[i].reg == r2[i].reg);
      ++compared;
    }
  }
  CHECK(compared == 9 * 64);
}

TEST_CASE("verifier AAPCS-VFP placement agrees with arm target description on mixed signatures") {
  // f32/f64 in S/D registers with back-filling, the shared stack (issue 14):
  // the checker's verifier/abi.cpp and arm/target are written independently.
  std::mt19937 rng(11);
  const ValType types[] = {ValType::I32, ValType::I64, ValType::F32, ValType::F64};
  unsigned compared = 0;
  for (unsigned n = 0; n <= 20; ++n)
    for (unsigned trial = 0; trial < 64; ++trial) {
      mir::Signature sig;
      for (unsigned i = 0; i < n; ++i)  // odd trials mix all four types, even ones only floats
        sig.params.push_back(trial % 2 ? types[rng() % 4] : types[2 + rng() % 2]);
      sig.results.push_back(types[trial % 4]);
      for (unsigned r = 0; r < trial % 5; ++r) sig.results.push_back(types[rng() % 4]);  // multi-value
      const auto mine = arm::paramLocations(sig);
      const auto theirs = verifier::abi::paramHomes(sig);
      REQUIRE(mine.size() == theirs.size());
      for (size_t i = 0; i < mine.size(); ++i) {
        CHECK(arm::locOperand(mine[i]) == verifier::abi::homeOperand(theirs[i]));
        CHECK(mine[i].bytes == theirs[i].bytes);
      }
      CHECK(arm::stackArgBytes(sig) == verifier::abi::stackParamBytes(sig));
      const auto r1 = arm::resultLocations(sig);
      const auto r2 = verifier::abi::resultHomes(sig);
      REQUIRE(r1.size() == r2.size());
      for (size_t i = 0; i < r1.size(); ++i) {
        CHECK(arm::locOperand(r1[i]) == verifier::abi::homeOperand(r2[i]));
        CHECK(r1[i].onStack == r2[i].onStack);
      }
      ++compared;
    }
  CHECK(compared == 21 * 64);
}

TEST_CASE("verifier register roles agree with arm target roles") {
  auto mask = [](const arm::RegSet &s) {
    uint16_t m = 0;
    for (PReg r : s.list()) m |= verifier::abi::bit(r);
    return m;
  };
  CHECK(mask(arm::callerSaved()) == verifier::abi::kCallerSaved);
  CHECK(mask(arm::calleeSaved()) == verifier::abi::kCalleeSaved);
  CHECK(mask(arm::reserved()) == verifier::abi::kReserved);
  CHECK(mask(arm::argRegs()) == verifier::abi::kArgRegs);
  CHECK(mask(arm::Pool{}.regs) == verifier::abi::kLegacyPool);
}
