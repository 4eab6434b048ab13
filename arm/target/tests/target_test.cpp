#include "arm/target/target.h"

#include <doctest/doctest.h>

using namespace vcr;
using mir::PReg;
using mir::ValType;

TEST_CASE("default pool is R0-R8, the legacy allocator's nine registers") {
  arm::Pool p;
  CHECK(p.regs.size() == 9);
  CHECK(p.regs.contains(PReg::R0));
  CHECK(p.regs.contains(PReg::R8));
  CHECK(!p.regs.contains(PReg::R9));
  CHECK(arm::Pool::parse("r0-r8") .regs == p.regs);
  CHECK(arm::Pool::parse("r0-r8,r12,lr").regs.size() == 11);
  CHECK_THROWS((void)arm::Pool::parse("r0-sp"));
  CHECK_THROWS((void)arm::Pool::parse("r5-r2"));
  CHECK_THROWS((void)arm::Pool::parse("x1"));
  // registers with a fixed role are never allocatable; the message names the role
  CHECK_THROWS_WITH((void)arm::Pool::parse("r0-r11"), doctest::Contains("r9 is the globals base register"));
  CHECK_THROWS_WITH((void)arm::Pool::parse("r0-r8,r10"), doctest::Contains("memory size"));
  CHECK_THROWS_WITH((void)arm::Pool::parse("r11"), doctest::Contains("memory base"));
  CHECK_THROWS_WITH((void)arm::Pool::parse("r0,pc"), doctest::Contains("program counter"));
}

TEST_CASE("register roles follow AAPCS and the runtime reservations") {
  CHECK(arm::callerSaved().str() == "{r0, r1, r2, r3, r12, lr}");
  CHECK(arm::calleeSaved().str() == "{r4, r5, r6, r7, r8, r9, r10, r11}");
  CHECK(arm::reserved().contains(PReg::R9));
  CHECK(arm::reserved().contains(PReg::R12));
  CHECK((arm::callerSaved() & arm::calleeSaved()).empty());
}

TEST_CASE("AAPCS parameter placement: pairs are even-aligned, no back-filling") {
  using W = arm::WordLoc;
  auto reg = [](PReg r) { return W{false, r, 0}; };
  auto stk = [](uint32_t o) { return W{true, PReg::R0, o}; };
  mir::Signature s1{{ValType::I32, ValType::I64}, {}};
  CHECK(arm::paramLocations(s1) == std::vector<W>{reg(PReg::R0), reg(PReg::R2), reg(PReg::R3)});
  mir::Signature s2{{ValType::I32, ValType::I32, ValType::I32, ValType::I64, ValType::I32}, {}};
  CHECK(arm::paramLocations(s2) ==
        std::vector<W>{reg(PReg::R0), reg(PReg::R1), reg(PReg::R2), stk(0), stk(4), stk(8)});
  CHECK(arm::stackArgBytes(s2) == 12);
  mir::Signature s3{{ValType::I32, ValType::I32, ValType::I32, ValType::I32, ValType::I32, ValType::I64}, {}};
  CHECK(arm::paramLocations(s3).back() == stk(12));
  CHECK(arm::paramLocations(s3)[5] == stk(8));
  mir::Signature s4{{}, {ValType::I64}};
  CHECK(arm::resultLocations(s4) == std::vector<W>{reg(PReg::R0), reg(PReg::R1)});
}
