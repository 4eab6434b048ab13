// Tests of the float opcodes in the reference interpreter: wasm's corner cases, agreement with the soft-float runtime calls, allocated form.
#include "core/ir/interp.h"
#include "core/ir/runtime_calls.h"
#include "core/ir/text.h"
#include "core/ir/tests/float_harness.h"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <string>

using namespace vcr::mir;
using Status = ExecResult::Status;
using vcr::mir::test::mk;
using vcr::mir::test::opFunction;
using vcr::mir::test::v;

namespace {

uint64_t b32(float x) { return std::bit_cast<uint32_t>(x); }
uint64_t b64(double x) { return std::bit_cast<uint64_t>(x); }
constexpr uint64_t kNaN32 = 0x7fc00000, kNaN64 = 0x7ff8000000000000ull;

ExecResult runOp(Opcode op, std::vector<uint64_t> args, Cond cc = Cond::None) {
  Module m;
  m.functions.push_back(opFunction(op, cc));
  ExecEnv env;
  return execute(m, "t", args, env);
}

/// The single result of `op` on args (fails the test if it does not return).
uint64_t res(Opcode op, std::vector<uint64_t> args, Cond cc = Cond::None) {
  ExecResult r = runOp(op, std::move(args), cc);
  INFO(r.error);
  REQUIRE(r.status == Status::Returned);
  REQUIRE(r.results.size() == 1);
  return r.results[0];
}

/// The trap of `op` on args.
TrapReason trapOf(Opcode op, std::vector<uint64_t> args) {
  ExecResult r = runOp(op, std::move(args));
  INFO(r.error);
  REQUIRE(r.status == Status::Trapped);
  return r.trap;
}

bool isNaN32(uint64_t x) { return std::isnan(std::bit_cast<float>(static_cast<uint32_t>(x))); }
bool isNaN64(uint64_t x) { return std::isnan(std::bit_cast<double>(x)); }

}  // namespace

TEST_CASE("fmin and fmax: NaN if either is NaN, -0 below +0") {
  CHECK(isNaN32(res(Opcode::FMin32, {kNaN32, b32(1)})));
  CHECK(isNaN32(res(Opcode::FMax32, {b32(1), kNaN32})));
  CHECK(isNaN64(res(Opcode::FMin64, {b64(-1), kNaN64})));
  CHECK(res(Opcode::FMin32, {b32(0.0f), b32(-0.0f)}) == 0x80000000u);
  CHECK(res(Opcode::FMin32, {b32(-0.0f), b32(0.0f)}) == 0x80000000u);
  CHECK(res(Opcode::FMax32, {b32(-0.0f), b32(0.0f)}) == 0);
  CHECK(res(Opcode::FMax64, {b64(0.0), b64(-0.0)}) == 0);
  CHECK(res(Opcode::FMin64, {b64(0.0), b64(-0.0)}) == b64(-0.0));
  CHECK(res(Opcode::FMax64, {b64(-3), b64(2)}) == b64(2));
}

TEST_CASE("fnearest ties to even and keeps the sign of zero, and ceil, floor, trunc keep it too") {
  CHECK(res(Opcode::FNearest32, {b32(2.5f)}) == b32(2.0f));
  CHECK(res(Opcode::FNearest32, {b32(3.5f)}) == b32(4.0f));
  CHECK(res(Opcode::FNearest32, {b32(-2.5f)}) == b32(-2.0f));
  CHECK(res(Opcode::FNearest32, {b32(-0.5f)}) == 0x80000000u);
  CHECK(res(Opcode::FNearest64, {b64(0.5)}) == 0);
  CHECK(res(Opcode::FNearest64, {b64(-4.5)}) == b64(-4.0));
  CHECK(res(Opcode::FCeil32, {b32(-0.5f)}) == 0x80000000u);
  CHECK(res(Opcode::FFloor64, {b64(-0.0)}) == b64(-0.0));
  CHECK(res(Opcode::FFloor64, {b64(-0.5)}) == b64(-1.0));
  CHECK(res(Opcode::FTrunc32, {b32(-0.7f)}) == 0x80000000u);
  CHECK(res(Opcode::FTrunc64, {b64(2.9)}) == b64(2.0));
  CHECK(res(Opcode::FSqrt64, {b64(2.25)}) == b64(1.5));
  CHECK(isNaN32(res(Opcode::FSqrt32, {b32(-1.0f)})));
  CHECK(res(Opcode::FSqrt32, {b32(-0.0f)}) == 0x80000000u);
}

TEST_CASE("abs, neg and copysign are bit operations, NaN payloads included") {
  CHECK(res(Opcode::FAbs32, {0xffc00001}) == 0x7fc00001);
  CHECK(res(Opcode::FNeg32, {0x7fc00001}) == 0xffc00001);
  CHECK(res(Opcode::FNeg32, {0}) == 0x80000000u);
  CHECK(res(Opcode::FCopySign32, {b32(1.0f), 0xffc00000}) == b32(-1.0f));
  CHECK(res(Opcode::FCopySign32, {0x7fc00001, b32(-1.0f)}) == 0xffc00001);
  CHECK(res(Opcode::FAbs64, {0xfff0000000000001ull}) == 0x7ff0000000000001ull);
  CHECK(res(Opcode::FNeg64, {b64(-0.0)}) == 0);
  CHECK(res(Opcode::FCopySign64, {b64(2.0), 0xfff8000000000000ull}) == b64(-2.0));
  CHECK(res(Opcode::FCopySign64, {0x7ff8000000000005ull, b64(-0.0)}) == 0xfff8000000000005ull);
}

TEST_CASE("arithmetic rounds to nearest even, demote rounds, promote is exact") {
  CHECK(res(Opcode::FAdd32, {b32(1.0f), b32(std::ldexp(1.0f, -24))}) == b32(1.0f));
  CHECK(res(Opcode::FAdd32, {b32(1.0f), b32(3 * std::ldexp(1.0f, -24))}) == 0x3f800002u);
  CHECK(res(Opcode::FSub64, {b64(1.0), b64(std::ldexp(1.0, -53))}) == b64(1.0 - std::ldexp(1.0, -53)));
  CHECK(res(Opcode::FDiv32, {b32(1.0f), b32(0.0f)}) == b32(std::numeric_limits<float>::infinity()));
  CHECK(res(Opcode::FMul64, {b64(3.0), b64(-0.5)}) == b64(-1.5));
  CHECK(res(Opcode::FDemote, {b64(1.0 + std::ldexp(1.0, -24))}) == b32(1.0f));
  CHECK(res(Opcode::FDemote, {b64(1.0 + 3 * std::ldexp(1.0, -24))}) == 0x3f800002u);
  CHECK(res(Opcode::FDemote, {b64(1e300)}) == b32(std::numeric_limits<float>::infinity()));
  CHECK(isNaN32(res(Opcode::FDemote, {kNaN64})));
  CHECK(res(Opcode::FPromote, {0x3f800001}) == 0x3ff0000020000000ull);
  CHECK(res(Opcode::FPromote, {0x80000000u}) == b64(-0.0));
}

TEST_CASE("integer to float conversions round to nearest even, i64 as a lo/hi pair") {
  CHECK(res(Opcode::FCvtF32S32, {16777217}) == b32(16777216.0f));
  CHECK(res(Opcode::FCvtF32S32, {16777219}) == b32(16777220.0f));
  CHECK(res(Opcode::FCvtF32S32, {0xffffffffu}) == b32(-1.0f));
  CHECK(res(Opcode::FCvtF32U32, {0xffffffffu}) == b32(4294967296.0f));
  CHECK(res(Opcode::FCvtF32U64, {~uint64_t{0}}) == 0x5f800000u);
  CHECK(res(Opcode::FCvtF32S64, {uint64_t{1} << 63}) == 0xdf000000u);
  CHECK(res(Opcode::FCvtF64S64, {(uint64_t{1} << 53) + 1}) == b64(9007199254740992.0));
  CHECK(res(Opcode::FCvtF64U64, {(uint64_t{1} << 63) + 1025}) == b64(9223372036854777856.0));
  CHECK(res(Opcode::FCvtF64S32, {0x80000000u}) == b64(-2147483648.0));
  CHECK(res(Opcode::FCvtF64U32, {0x80000000u}) == b64(2147483648.0));
}

TEST_CASE("trapping truncations: badconv on NaN, overflow out of range, exact at the bounds") {
  CHECK(trapOf(Opcode::FTruncS32F32, {kNaN32}) == TrapReason::BadConversion);
  CHECK(trapOf(Opcode::FTruncU64F64, {kNaN64}) == TrapReason::BadConversion);
  CHECK(trapOf(Opcode::FTruncS32F32, {b32(2147483648.0f)}) == TrapReason::Overflow);
  CHECK(res(Opcode::FTruncS32F32, {b32(-2147483648.0f)}) == 0x80000000u);
  CHECK(trapOf(Opcode::FTruncS32F32, {b32(-2147483904.0f)}) == TrapReason::Overflow);
  CHECK(res(Opcode::FTruncS32F64, {b64(-2147483648.9)}) == 0x80000000u);
  CHECK(trapOf(Opcode::FTruncS32F64, {b64(-2147483649.0)}) == TrapReason::Overflow);
  CHECK(res(Opcode::FTruncU32F32, {b32(-0.9f)}) == 0);
  CHECK(trapOf(Opcode::FTruncU32F32, {b32(-1.0f)}) == TrapReason::Overflow);
  CHECK(res(Opcode::FTruncU32F64, {b64(4294967295.9)}) == 0xffffffffu);
  CHECK(trapOf(Opcode::FTruncU32F64, {b64(4294967296.0)}) == TrapReason::Overflow);
  CHECK(res(Opcode::FTruncS64F64, {b64(-9223372036854775808.0)}) == uint64_t{1} << 63);
  CHECK(trapOf(Opcode::FTruncS64F32, {b32(9223372036854775808.0f)}) == TrapReason::Overflow);
  CHECK(res(Opcode::FTruncU64F32, {b32(18446742974197923840.0f)}) == 18446742974197923840ull);
  CHECK(trapOf(Opcode::FTruncU64F64, {b64(18446744073709551616.0)}) == TrapReason::Overflow);
  CHECK(trapOf(Opcode::FTruncS32F32, {b32(std::numeric_limits<float>::infinity())}) == TrapReason::Overflow);
}

TEST_CASE("saturating truncations: NaN to 0, out of range to the nearest bound") {
  CHECK(res(Opcode::FTruncSatS32F32, {kNaN32}) == 0);
  CHECK(res(Opcode::FTruncSatU64F64, {kNaN64}) == 0);
  CHECK(res(Opcode::FTruncSatS32F32, {b32(std::numeric_limits<float>::infinity())}) == 0x7fffffffu);
  CHECK(res(Opcode::FTruncSatS32F32, {b32(-std::numeric_limits<float>::infinity())}) == 0x80000000u);
  CHECK(res(Opcode::FTruncSatU32F64, {b64(-5.0)}) == 0);
  CHECK(res(Opcode::FTruncSatU32F64, {b64(1e10)}) == 0xffffffffu);
  CHECK(res(Opcode::FTruncSatS64F32, {b32(1e30f)}) == 0x7fffffffffffffffull);
  CHECK(res(Opcode::FTruncSatS64F64, {b64(-1e30)}) == uint64_t{1} << 63);
  CHECK(res(Opcode::FTruncSatU64F32, {b32(1e30f)}) == ~uint64_t{0});
  CHECK(res(Opcode::FTruncSatS32F64, {b64(-7.9)}) == 0xfffffff9u);
}

TEST_CASE("fset: false on NaN except ne, -0 equals +0, fsel picks by a core condition") {
  CHECK(res(Opcode::FSet32, {kNaN32, kNaN32}, Cond::Ne) == 1);
  CHECK(res(Opcode::FSet32, {kNaN32, b32(1)}, Cond::Eq) == 0);
  for (Cond c : {Cond::SLt, Cond::SGt, Cond::SLe, Cond::SGe}) {
    CHECK(res(Opcode::FSet32, {kNaN32, b32(1)}, c) == 0);
    CHECK(res(Opcode::FSet64, {b64(1), kNaN64}, c) == 0);
  }
  CHECK(res(Opcode::FSet64, {b64(-0.0), b64(0.0)}, Cond::Eq) == 1);
  CHECK(res(Opcode::FSet64, {b64(-0.0), b64(0.0)}, Cond::SLt) == 0);
  CHECK(res(Opcode::FSet64, {b64(-1.0), b64(0.0)}, Cond::SLt) == 1);
  CHECK(res(Opcode::FSet32, {b32(2.0f), b32(2.0f)}, Cond::SGe) == 1);
  CHECK(res(Opcode::FSet32, {b32(2.0f), b32(2.0f)}, Cond::SGt) == 0);
  // mir::evalFCond states the same on host values
  const float vals[] = {-1.0f, -0.0f, 0.0f, 2.0f, std::numeric_limits<float>::quiet_NaN()};
  for (Cond c : {Cond::Eq, Cond::Ne, Cond::SLt, Cond::SGt, Cond::SLe, Cond::SGe})
    for (float a : vals)
      for (float b : vals) CHECK(res(Opcode::FSet32, {b32(a), b32(b)}, c) == uint64_t(evalFCond(c, a, b)));
  CHECK(res(Opcode::FSel32, {1, b32(1), b32(2)}) == b32(1));
  CHECK(res(Opcode::FSel64, {0, b64(1), b64(2)}) == b64(2));
}

TEST_CASE("reinterpreting moves keep the bits") {
  CHECK(res(Opcode::FMovFromInt64, {0x0123456789abcdefull}) == 0x0123456789abcdefull);
  CHECK(res(Opcode::FMovToInt32, {0x7fc00001}) == 0x7fc00001);
}

TEST_CASE("fconst, fload, fstore and mov of f64 vregs in vreg form") {
  ParseResult p = parseModule(R"(module {
  memory 1
}
func @f(i32) -> (i64) {
bb0:
  param v0
  fconst.f64 v1, #0x54442d18, #0x400921fb
  mov v2, v1
  fstore.f64 v2, [v0+8]
  fload.f64 v3, [v0+8]
  fconst.f32 v4, #0x3fc00000
  fstore.f32 v4, [v0+4]
  fload.f32 v5, [v0+4]
  fcvt.f64.f32 v6, v5
  fadd.f64 v7, v6, v3
  fmovtoint.f64 v8, v9, v7
  ret v8, v9
}
)", "t.mir");
  REQUIRE(p.module);
  ExecEnv env;
  env.memory.assign(65536, 0);
  ExecResult r = execute(*p.module, "f", std::vector<uint64_t>{16}, env);
  INFO(r.error);
  REQUIRE(r.status == Status::Returned);
  CHECK(r.results[0] == b64(3.141592653589793 + 1.5));
  CHECK(env.memory[24] == 0x18);  // little-endian at 16 + 8
  CHECK(env.memory[31] == 0x40);
  ExecResult oob = execute(*p.module, "f", std::vector<uint64_t>{65530}, env);
  CHECK(oob.status == Status::Trapped);
  CHECK(oob.trap == TrapReason::OutOfBounds);
}

namespace {

/// The same computation as a call of the opcode's runtime routine.
ExecResult runCall(uint32_t k, const std::vector<uint64_t> &args) {
  const RuntimeFn &rf = runtimeFns()[k];
  Function f;
  f.name = "c";
  f.sig = rf.sig;
  Instr param = mk(Opcode::Param, {}, {});
  Instr call = mk(Opcode::Call, {}, {});
  call.callee = std::string(rf.name);
  uint32_t next = 0;
  for (ValType t : rf.sig.params)
    for (unsigned w = 0; w < words(t); ++w) {
      param.defs.push_back(v(next));
      call.uses.push_back(v(next++));
    }
  for (ValType t : rf.sig.results)
    for (unsigned w = 0; w < words(t); ++w) call.defs.push_back(v(next++));
  Instr ret = mk(Opcode::Ret, {}, call.defs);
  f.blocks.push_back(Block{"bb0", {param, call, ret}});
  Module m;
  m.functions.push_back(f);
  ExecEnv env;
  return execute(m, "c", args, env);
}

uint64_t edgeOrRandom(std::mt19937_64 &rng, bool wide) {
  static const uint64_t e32[] = {0, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x7f800000u, 0xff800000u,
                                 0x7fc00000u, 0xffc00001u, 0x7f7fffffu, 0x00000001u, 0x4f000000u,
                                 0xcf000000u, 0x4f800000u, 0x5f000000u, 0xdf000000u, 0x3f000000u,
                                 0x40200000u, 0xffffffffu, 0x7fffffffu};
  static const uint64_t e64[] = {0, uint64_t{1} << 63, 0x3ff0000000000000ull, 0xbff0000000000000ull,
                                 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
                                 0xfff8000000000001ull, 0x7fefffffffffffffull, 1, 0x41e0000000000000ull,
                                 0xc1e0000000000000ull, 0x41f0000000000000ull, 0x43e0000000000000ull,
                                 0xc3e0000000000000ull, 0x3fe0000000000000ull, 0x4004000000000000ull,
                                 ~uint64_t{0}, 0x36a0000000000000ull};
  const unsigned pick = rng() % 3;
  if (pick == 0) return wide ? e64[rng() % std::size(e64)] : e32[rng() % std::size(e32)];
  if (pick == 1) {  // a small integer-valued or half-way float
    const double x = static_cast<double>(static_cast<int64_t>(rng() % 2001) - 1000) / 2.0;
    return wide ? b64(x) : b32(static_cast<float>(x));
  }
  return wide ? rng() : rng() & 0xffffffffu;
}

}  // namespace

TEST_CASE("property: every float opcode agrees with its soft-float runtime call on edge and random bits") {
  std::mt19937_64 rng(20261205);
  unsigned compared = 0;
  for (unsigned o = 0; o < kNumOpcodes; ++o) {
    const auto op = static_cast<Opcode>(o);
    if (!isFloatOp(op)) continue;
    const bool fset = op == Opcode::FSet32 || op == Opcode::FSet64;
    for (Cond cc : fset ? std::vector<Cond>{Cond::Eq, Cond::Ne, Cond::SLt, Cond::SGt, Cond::SLe, Cond::SGe}
                        : std::vector<Cond>{Cond::None}) {
      const auto k = runtimeEquivalent(op, cc);
      if (!k) continue;
      const Signature &sig = runtimeFns()[*k].sig;
      Instr probe;
      probe.op = op;
      const RegClass rc = *operandClass(probe, true, 0);
      const bool floatResult = rc != RegClass::Core;
      CAPTURE(info(op).mnemonic);
      CAPTURE(runtimeFns()[*k].name);
      for (unsigned round = 0; round < 300; ++round) {
        std::vector<uint64_t> args;
        for (ValType t : sig.params) args.push_back(edgeOrRandom(rng, t == ValType::I64));
        CAPTURE(args);
        const ExecResult a = runOp(op, args, cc), b = runCall(*k, args);
        REQUIRE(a.status == b.status);
        if (a.status == Status::Trapped) {
          CHECK(a.trap == b.trap);
          continue;
        }
        REQUIRE(a.status == Status::Returned);
        uint64_t want = b.results[0];
        if (cc == Cond::Ne) want ^= 1;
        const uint64_t got = a.results[0];
        if (floatResult && (rc == RegClass::F32 ? isNaN32(got) && isNaN32(want) : isNaN64(got) && isNaN64(want)))
          continue;  // both NaN: wasm allows any NaN
        CHECK(got == want);
        ++compared;
      }
    }
  }
  CHECK(compared > 10000);
}

TEST_CASE("allocated form: S/D registers, D aliasing, spill slots, vpush/vpop and call clobbers") {
  ParseResult p = parseModule(R"(module {
  import @env.h () -> ()
}
func @f(i32, i32) -> (i32) allocated {
bb0:
  param r0, r1
  push r4, lr
  push s16, d9
  adjsp #-16
  fmovfromint.f64 d1, r0, r1
  mov s16, s2
  mov s19, s3
  sts [sp+8], d1
  lds d0, [sp+8]
  fadd.f64 d2, d0, d9
  call @env.h () -> ()
  fmovtoint.f32 r4, s16
  mov s0, s19
  fmovtoint.f32 r1, s0
  eor r0, r4, r1
  adjsp #16
  pop s16, d9
  pop r4, lr
  ret r0
}
)", "t.mir");
  std::string all;
  for (const auto &d : p.diags) all += d.str() + "\n";
  INFO(all);
  REQUIRE(p.module);
  ExecEnv env;
  ExecResult r = execute(*p.module, "f", std::vector<uint64_t>{0x11111111u, 0x22222222u}, env);
  INFO(r.error);
  REQUIRE(r.status == Status::Returned);
  CHECK(r.results[0] == (0x11111111u ^ 0x22222222u));  // s2 = d1.lo, s3 = d1.hi

  // reading a caller-saved S register after a call is an error
  ParseResult q = parseModule(R"(module {
  import @env.h () -> ()
}
func @g(i32) -> (i32) allocated {
bb0:
  param r0
  push r4, lr
  fmovfromint.f32 s5, r0
  call @env.h () -> ()
  fmovtoint.f32 r0, s5
  pop r4, lr
  ret r0
}
)", "t.mir");
  REQUIRE(q.module);
  ExecResult e = execute(*q.module, "g", std::vector<uint64_t>{1}, env);
  CHECK(e.status == Status::Error);
  CHECK(e.error.find("read of s5 which holds no value (clobbered by a call") != std::string::npos);

  // a callee-saved S register must be preserved
  ParseResult s = parseModule(R"(func @h(i32) -> (i32) allocated {
bb0:
  param r0
  fmovfromint.f32 s17, r0
  ret r0
}
)", "t.mir");
  REQUIRE(s.module);
  ExecResult h = execute(*s.module, "h", std::vector<uint64_t>{1}, env);
  CHECK(h.status == Status::Error);
  CHECK(h.error.find("callee-saved s17 not preserved by @h") != std::string::npos);
}
