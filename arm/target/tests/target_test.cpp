#include "arm/target/target.h"
#include "arm/target/cpu.h"

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

TEST_CASE("AAPCS-VFP placement: S and D registers, back-filling, then the shared stack") {
  using W = arm::WordLoc;
  using mir::Operand;
  auto ops = [](const mir::Signature &s) {
    std::vector<Operand> out;
    for (const W &l : arm::paramLocations(s)) out.push_back(arm::locOperand(l));
    return out;
  };
  const auto F = ValType::F32, D = ValType::F64, I = ValType::I32, L = ValType::I64;
  // an f32 after an f64 back-fills the S register left free below it
  CHECK(ops({{F, D, F}, {}}) == std::vector<Operand>{Operand::sreg(0), Operand::dreg(1), Operand::sreg(1)});
  // core and VFP values are placed independently (the last i32 finds no core register after
  // the pair, and core registers are never back-filled)
  CHECK(ops({{I, F, L, D, I}, {}}) == std::vector<Operand>{Operand::preg(PReg::R0), Operand::sreg(0),
                                                            Operand::preg(PReg::R2), Operand::preg(PReg::R3),
                                                            Operand::dreg(1), Operand::stack(0)});
  // 16 S registers, then the stack
  std::vector<ValType> many(17, F);
  auto l17 = arm::paramLocations({many, {}});
  CHECK(arm::locOperand(l17[15]) == Operand::sreg(15));
  CHECK(l17[16] == W{true, PReg::R0, 0, W::Vfp::None, 0, 4});
  // an f64 that finds no free even pair goes to the stack 8-aligned, and so does every later
  // VFP value, even where an S register is still free (s15 here)
  std::vector<ValType> ps(15, F);
  ps.push_back(I);
  ps.push_back(I);
  ps.push_back(I);
  ps.push_back(I);
  ps.push_back(I);  // r0-r3, then [sp+0]
  ps.push_back(D);  // no pair: [sp+8], 8 bytes
  ps.push_back(F);  // [sp+16], not s15
  auto lp = arm::paramLocations({ps, {}});
  CHECK(arm::locOperand(lp[14]) == Operand::sreg(14));
  CHECK(lp[19] == W{true, PReg::R0, 0, W::Vfp::None, 0, 4});
  CHECK(lp[20] == W{true, PReg::R0, 8, W::Vfp::None, 0, 8});
  CHECK(lp[21] == W{true, PReg::R0, 16, W::Vfp::None, 0, 4});
  CHECK(arm::stackArgBytes({ps, {}}) == 20);
  // results: S0 and D0
  CHECK(arm::locOperand(arm::resultLocations({{}, {F}})[0]) == Operand::sreg(0));
  CHECK(arm::locOperand(arm::resultLocations({{}, {D}})[0]) == Operand::dreg(0));
  CHECK(arm::resultLocations({{}, {D}}).size() == 1);
}

TEST_CASE("--cpu names: each parses back to itself, cortex-m7dp is cortex-m7, others are refused") {
  for (arm::Cpu c : {arm::Cpu::CortexM4, arm::Cpu::CortexM4F, arm::Cpu::CortexM7})
    CHECK(arm::parseCpu(arm::cpuName(c)) == c);
  CHECK(arm::parseCpu("cortex-m7dp") == arm::Cpu::CortexM7);
  CHECK(arm::hasF64(*arm::parseCpu("cortex-m7dp")));
  CHECK_FALSE(arm::hasF64(arm::Cpu::CortexM4F));
  CHECK_FALSE(arm::parseCpu("cortex-m3").has_value());
  CHECK_FALSE(arm::parseCpu("").has_value());
}
