// Tests of the MIR reference interpreter: every opcode on edge values,
// control flow, calls, and the allocated-form machine checks.
#include "core/ir/interp.h"
#include "core/ir/text.h"

#include <doctest/doctest.h>

#include <limits>
#include <string>

using namespace vcr::mir;
using Status = ExecResult::Status;

namespace {

constexpr ValType I32 = ValType::I32, I64 = ValType::I64;
Operand v(uint32_t n) { return Operand::vreg(n); }
Operand r(unsigned n) { return Operand::preg(static_cast<PReg>(n)); }
Operand imm(uint32_t n) { return Operand::imm(n); }
Operand st(uint32_t off) { return Operand::stack(off); }
const Operand SP = Operand::preg(PReg::SP), LR = Operand::preg(PReg::LR);

/// Builds a function block by block.
struct Fn {
  Function f;
  Fn(std::string name, std::vector<ValType> ps, std::vector<ValType> rs, bool alloc = false) {
    f.name = std::move(name);
    f.sig = {std::move(ps), std::move(rs)};
    f.allocated = alloc;
  }
  Fn &bb(std::string label) {
    f.blocks.push_back(Block{std::move(label), {}});
    return *this;
  }
  Fn &op(Opcode o, OperandList defs, OperandList uses, uint32_t im = 0) {
    Instr i;
    i.op = o;
    i.defs = std::move(defs);
    i.uses = std::move(uses);
    i.imm = im;
    f.blocks.back().instrs.push_back(std::move(i));
    return *this;
  }
  Instr &last() { return f.blocks.back().instrs.back(); }
  Fn &set(Cond c, Operand d, Operand a, Operand b) {
    op(Opcode::Set, {d}, {a, b});
    last().cc = c;
    return *this;
  }
  Fn &mem(Opcode o, Width w, OperandList defs, OperandList uses, uint32_t off) {
    op(o, std::move(defs), std::move(uses), off);
    last().width = w;
    return *this;
  }
  Fn &jump(Opcode o, OperandList uses, TargetList ts) {
    op(o, {}, std::move(uses));
    last().targets = std::move(ts);
    return *this;
  }
  Fn &call(std::string callee, OperandList defs, OperandList uses) {
    op(Opcode::Call, std::move(defs), std::move(uses));
    last().callee = std::move(callee);
    return *this;
  }
  Fn &trapif(Operand c, TrapReason why) {
    op(Opcode::TrapIf, {}, {c});
    last().reason = why;
    return *this;
  }
  Fn &ret(OperandList uses) { return op(Opcode::Ret, {}, std::move(uses)); }
};

Module mod(std::vector<Function> fs) {
  Module m;
  m.functions = std::move(fs);
  return m;
}

ExecResult run(const Module &m, std::string_view fn, std::vector<uint64_t> args, ExecEnv env = {}) {
  return execute(m, fn, args, env);
}

/// Result of a returned single-result execution (fails the test otherwise).
uint64_t ok(const ExecResult &res) {
  REQUIRE_MESSAGE(res.status == Status::Returned, res.error);
  REQUIRE(res.results.size() == 1);
  return res.results[0];
}

/// d = a op b in vreg form; with `immB` the second operand is an immediate.
uint32_t eval32(Opcode o, uint32_t a, uint32_t b, bool immB = false) {
  Fn f("f", {I32, I32}, {I32});
  f.bb("entry").op(Opcode::Param, {v(0), v(1)}, {}).op(o, {v(2)}, {v(0), immB ? imm(b) : v(1)}).ret({v(2)});
  return static_cast<uint32_t>(ok(run(mod({f.f}), "f", {a, b})));
}
uint32_t eval1(Opcode o, uint32_t a) {
  Fn f("f", {I32}, {I32});
  f.bb("entry").op(Opcode::Param, {v(0)}, {}).op(o, {v(1)}, {v(0)}).ret({v(1)});
  return static_cast<uint32_t>(ok(run(mod({f.f}), "f", {a})));
}
/// The same binary op, run in allocated form (r0 = r0 op r1).
uint32_t eval32Alloc(Opcode o, uint32_t a, uint32_t b) {
  Fn f("f", {I32, I32}, {I32}, true);
  f.bb("entry").op(Opcode::Param, {}, {}).op(o, {r(0)}, {r(0), r(1)}).ret({r(0)});
  return static_cast<uint32_t>(ok(run(mod({f.f}), "f", {a, b})));
}
uint64_t eval64(Opcode o, uint64_t a, uint64_t b) {
  Fn f("f", {I64, I64}, {I64});
  f.bb("entry").op(Opcode::Param, {v(0), v(1), v(2), v(3)}, {})
      .op(o, {v(4), v(5)}, {v(0), v(1), v(2), v(3)}).ret({v(4), v(5)});
  return ok(run(mod({f.f}), "f", {a, b}));
}
uint64_t evalShift64(Opcode o, uint64_t a, uint32_t n) {
  Fn f("f", {I64, I32}, {I64});
  f.bb("entry").op(Opcode::Param, {v(0), v(1), v(2)}, {})
      .op(o, {v(4), v(5)}, {v(0), v(1), v(2)}).ret({v(4), v(5)});
  return ok(run(mod({f.f}), "f", {a, n}));
}
uint32_t evalSet(bool wide, Cond c, uint64_t a, uint64_t b) {
  Fn f("f", {wide ? I64 : I32, wide ? I64 : I32}, {I32});
  if (wide) {
    f.bb("entry").op(Opcode::Param, {v(0), v(1), v(2), v(3)}, {});
    f.op(Opcode::Set64, {v(4)}, {v(0), v(1), v(2), v(3)}).last().cc = c;
    f.ret({v(4)});
  } else {
    f.bb("entry").op(Opcode::Param, {v(0), v(1)}, {}).set(c, v(4), v(0), v(1)).ret({v(4)});
  }
  return static_cast<uint32_t>(ok(run(mod({f.f}), "f", {a, b})));
}

constexpr uint32_t kMin32 = 0x80000000u;
constexpr uint64_t kMin64 = 0x8000000000000000ull;

}  // namespace

TEST_CASE("32-bit ALU wraps and takes shift amounts mod 32") {
  CHECK(eval32(Opcode::Add, 0xFFFFFFFFu, 2) == 1);
  CHECK(eval32(Opcode::Sub, 0, 1) == 0xFFFFFFFFu);
  CHECK(eval32(Opcode::Mul, 0x10000u, 0x10001u) == 0x10000u);
  CHECK(eval32(Opcode::And, 0xF0F0u, 0xFF00u) == 0xF000u);
  CHECK(eval32(Opcode::Orr, 0xF0F0u, 0x0F00u) == 0xFFF0u);
  CHECK(eval32(Opcode::Eor, 0xFFFFu, 0x0F0Fu) == 0xF0F0u);
  CHECK(eval32(Opcode::Shl, 0x12345678u, 32) == 0x12345678u);
  CHECK(eval32(Opcode::Shl, 0x12345678u, 33) == 0x2468ACF0u);
  CHECK(eval32(Opcode::Shl, 3, 0xFFFFFFFFu) == 0x80000000u);  // -1 -> 31
  CHECK(eval32(Opcode::ShrU, 0x80000000u, 31) == 1);
  CHECK(eval32(Opcode::ShrU, 0x80000000u, 32) == 0x80000000u);
  CHECK(eval32(Opcode::ShrS, 0x80000000u, 31) == 0xFFFFFFFFu);
  CHECK(eval32(Opcode::ShrS, 0x80000000u, 0xFFFFFFFFu) == 0xFFFFFFFFu);
  CHECK(eval32(Opcode::ShrS, 0x40000000u, 33) == 0x20000000u);
  CHECK(eval32(Opcode::Rotl, 0x80000001u, 1) == 3);
  CHECK(eval32(Opcode::Rotl, 0x80000001u, 32) == 0x80000001u);
  CHECK(eval32(Opcode::Rotr, 0x80000001u, 33) == 0xC0000000u);
  CHECK(eval32(Opcode::Rotr, 1, 0xFFFFFFFFu) == 2);
  // the same through immediates and in allocated form
  CHECK(eval32(Opcode::Shl, 1, 33, true) == 2);
  CHECK(eval32(Opcode::Sub, 5, 7, true) == 0xFFFFFFFEu);
  CHECK(eval32Alloc(Opcode::ShrS, 0x80000000u, 33) == 0xC0000000u);
  CHECK(eval32Alloc(Opcode::SDiv, kMin32, 0xFFFFFFFFu) == kMin32);
}

TEST_CASE("32-bit division is ARM-total") {
  CHECK(eval32(Opcode::SDiv, 7, 0) == 0);
  CHECK(eval32(Opcode::SDiv, kMin32, 0xFFFFFFFFu) == kMin32);
  CHECK(eval32(Opcode::SDiv, static_cast<uint32_t>(-7), 2) == static_cast<uint32_t>(-3));
  CHECK(eval32(Opcode::SRem, static_cast<uint32_t>(-7), 2) == static_cast<uint32_t>(-1));
  CHECK(eval32(Opcode::SRem, 7, 0) == 7);
  CHECK(eval32(Opcode::SRem, kMin32, 0xFFFFFFFFu) == 0);
  CHECK(eval32(Opcode::UDiv, 7, 0) == 0);
  CHECK(eval32(Opcode::UDiv, 0xFFFFFFFFu, 2) == 0x7FFFFFFFu);
  CHECK(eval32(Opcode::URem, 7, 0) == 7);
  CHECK(eval32(Opcode::URem, 0xFFFFFFFFu, 10) == 5);
}

TEST_CASE("unary operations on edge values") {
  CHECK(eval1(Opcode::Clz, 0) == 32);
  CHECK(eval1(Opcode::Clz, 1) == 31);
  CHECK(eval1(Opcode::Clz, 0x80000000u) == 0);
  CHECK(eval1(Opcode::Ctz, 0) == 32);
  CHECK(eval1(Opcode::Ctz, 0x80000000u) == 31);
  CHECK(eval1(Opcode::Popcnt, 0) == 0);
  CHECK(eval1(Opcode::Popcnt, 0xFFFFFFFFu) == 32);
  CHECK(eval1(Opcode::Popcnt, 0x80000101u) == 3);
  CHECK(eval1(Opcode::Sext8, 0x80) == 0xFFFFFF80u);
  CHECK(eval1(Opcode::Sext8, 0x17F) == 0x7F);
  CHECK(eval1(Opcode::Sext16, 0x8000) == 0xFFFF8000u);
  CHECK(eval1(Opcode::Sext16, 0x12347FFF) == 0x7FFF);
  CHECK(eval1(Opcode::Mov, 0xDEADBEEF) == 0xDEADBEEF);
}

TEST_CASE("set, set64 and sel against an independent reference") {
  const uint64_t vals[] = {0, 1, 2, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000ull,
                           0x7FFFFFFFFFFFFFFFull, kMin64, ~0ull};
  const Cond conds[] = {Cond::Eq, Cond::Ne, Cond::SLt, Cond::ULt, Cond::SGt,
                        Cond::UGt, Cond::SLe, Cond::ULe, Cond::SGe, Cond::UGe};
  auto ref = [](Cond c, auto a, auto b, auto sa, auto sb) {
    switch (c) {
    case Cond::Eq: return a == b;
    case Cond::Ne: return a != b;
    case Cond::SLt: return sa < sb;
    case Cond::ULt: return a < b;
    case Cond::SGt: return sa > sb;
    case Cond::UGt: return a > b;
    case Cond::SLe: return sa <= sb;
    case Cond::ULe: return a <= b;
    case Cond::SGe: return sa >= sb;
    default: return a >= b;
    }
  };
  for (Cond c : conds)
    for (uint64_t a : vals)
      for (uint64_t b : vals) {
        CAPTURE(condName(c));
        CAPTURE(a);
        CAPTURE(b);
        CHECK(evalSet(true, c, a, b) == ref(c, a, b, int64_t(a), int64_t(b)));
        const auto a32 = uint32_t(a), b32 = uint32_t(b);
        CHECK(evalSet(false, c, a32, b32) == ref(c, a32, b32, int32_t(a32), int32_t(b32)));
      }
  Fn f("f", {I32, I32, I32}, {I32});
  f.bb("entry").op(Opcode::Param, {v(0), v(1), v(2)}, {}).op(Opcode::Sel, {v(3)}, {v(0), v(1), v(2)}).ret({v(3)});
  CHECK(ok(run(mod({f.f}), "f", {5, 10, 20})) == 10);
  CHECK(ok(run(mod({f.f}), "f", {0, 10, 20})) == 20);
}

TEST_CASE("64-bit pair operations against uint64/__int128 references") {
  const uint64_t vals[] = {0, 1, 3, 0xFFFFFFFFull, 0x100000000ull, 0x123456789ABCDEFull,
                           0x7FFFFFFFFFFFFFFFull, kMin64, ~0ull, static_cast<uint64_t>(-7)};
  for (uint64_t a : vals)
    for (uint64_t b : vals) {
      CAPTURE(a);
      CAPTURE(b);
      const auto sa = int64_t(a), sb = int64_t(b);
      CHECK(eval64(Opcode::Add64, a, b) == a + b);
      CHECK(eval64(Opcode::Sub64, a, b) == a - b);
      CHECK(eval64(Opcode::Mul64, a, b) == uint64_t((unsigned __int128)a * b));
      const __int128 q = b == 0 ? 0 : (__int128)sa / sb;  // no overflow in 128 bits
      CHECK(eval64(Opcode::SDiv64, a, b) == uint64_t(q));  // MIN/-1 wraps back to MIN
      CHECK(eval64(Opcode::SRem64, a, b) == (b == 0 ? a : uint64_t((__int128)sa % sb)));
      CHECK(eval64(Opcode::UDiv64, a, b) == (b == 0 ? 0 : a / b));
      CHECK(eval64(Opcode::URem64, a, b) == (b == 0 ? a : a % b));
    }
  CHECK(eval64(Opcode::SDiv64, kMin64, ~0ull) == kMin64);
  CHECK(eval64(Opcode::SRem64, kMin64, ~0ull) == 0);
  const uint64_t x = 0x8123456789ABCDEFull;
  const uint32_t amounts[] = {0, 1, 31, 32, 33, 63, 64, 65, 0xFFFFFFFFu};
  for (uint32_t n : amounts) {
    CAPTURE(n);
    const unsigned k = n & 63;
    CHECK(evalShift64(Opcode::Shl64, x, n) == x << k);
    CHECK(evalShift64(Opcode::ShrU64, x, n) == x >> k);
    CHECK(evalShift64(Opcode::ShrS64, x, n) == uint64_t(int64_t(x) >> k));
    CHECK(evalShift64(Opcode::Rotl64, x, n) == (k ? (x << k) | (x >> (64 - k)) : x));
    CHECK(evalShift64(Opcode::Rotr64, x, n) == (k ? (x >> k) | (x << (64 - k)) : x));
  }
  for (uint64_t a : vals)
    for (uint64_t b : vals) {
      Fn f("f", {I32, I32}, {I64});
      Fn g("g", {I32, I32}, {I64});
      f.bb("entry").op(Opcode::Param, {v(0), v(1)}, {}).op(Opcode::UMull, {v(2), v(3)}, {v(0), v(1)}).ret({v(2), v(3)});
      g.bb("entry").op(Opcode::Param, {v(0), v(1)}, {}).op(Opcode::SMull, {v(2), v(3)}, {v(0), v(1)}).ret({v(2), v(3)});
      const auto a32 = uint32_t(a), b32 = uint32_t(b);
      CHECK(ok(run(mod({f.f}), "f", {a32, b32})) == uint64_t(a32) * b32);
      CHECK(ok(run(mod({g.f}), "g", {a32, b32})) == uint64_t(int64_t(int32_t(a32)) * int32_t(b32)));
    }
}

namespace {
/// f(addr) = load/store of one width at [addr + off] on a 64 KiB memory.
ExecResult memOp(Opcode o, Width w, uint32_t addr, uint32_t off, ExecEnv &env) {
  Fn f("f", {I32}, {I64});
  f.bb("entry").op(Opcode::Param, {v(0)}, {}).op(Opcode::MovI, {v(1)}, {}, 0).op(Opcode::MovI, {v(2)}, {}, 0);
  if (o == Opcode::Load) f.mem(o, w, {v(1)}, {v(0)}, off);
  if (o == Opcode::Load64) f.mem(o, w, {v(1), v(2)}, {v(0)}, off);
  if (o == Opcode::Store) f.op(Opcode::MovI, {v(3)}, {}, 0xA1B2C3D4u).mem(o, w, {}, {v(3), v(0)}, off);
  if (o == Opcode::Store64)
    f.op(Opcode::MovI, {v(3)}, {}, 0x11223344u).op(Opcode::MovI, {v(4)}, {}, 0x55667788u)
        .mem(o, w, {}, {v(3), v(4), v(0)}, off);
  f.ret({v(1), v(2)});
  return execute(mod({f.f}), "f", std::vector<uint64_t>{addr}, env);
}
ExecEnv memEnv() {
  ExecEnv env;
  env.memory.assign(65536, 0);
  const uint8_t bytes[] = {0x80, 0xFF, 0x34, 0x12, 0x01, 0x02, 0x03, 0x84};
  for (unsigned i = 0; i < 8; ++i) env.memory[16 + i] = bytes[i];
  return env;
}
}  // namespace

TEST_CASE("loads extend, stores truncate, memory is little-endian") {
  ExecEnv env = memEnv();
  CHECK(ok(memOp(Opcode::Load, Width::U8, 16, 0, env)) == 0x80);
  CHECK(ok(memOp(Opcode::Load, Width::S8, 16, 0, env)) == 0xFFFFFF80u);
  CHECK(ok(memOp(Opcode::Load, Width::S8, 10, 8, env)) == 0x34);  // offset added
  CHECK(ok(memOp(Opcode::Load, Width::U16, 16, 0, env)) == 0xFF80);
  CHECK(ok(memOp(Opcode::Load, Width::S16, 16, 0, env)) == 0xFFFFFF80u);
  CHECK(ok(memOp(Opcode::Load, Width::S16, 18, 0, env)) == 0x1234);
  CHECK(ok(memOp(Opcode::Load, Width::W32, 16, 0, env)) == 0x1234FF80u);
  CHECK(ok(memOp(Opcode::Load64, Width::W32, 16, 0, env)) == 0x840302011234FF80ull);
  CHECK(ok(memOp(Opcode::Store, Width::U8, 100, 0, env)) == 0);
  CHECK(env.memory[100] == 0xD4);
  CHECK(env.memory[101] == 0);
  CHECK(ok(memOp(Opcode::Store, Width::U16, 200, 2, env)) == 0);
  CHECK(env.memory[202] == 0xD4);
  CHECK(env.memory[203] == 0xC3);
  CHECK(env.memory[204] == 0);
  CHECK(ok(memOp(Opcode::Store, Width::W32, 300, 0, env)) == 0);
  CHECK(env.memory[303] == 0xA1);
  CHECK(ok(memOp(Opcode::Store64, Width::W32, 400, 0, env)) == 0);
  CHECK(env.memory[400] == 0x44);
  CHECK(env.memory[407] == 0x55);
}

TEST_CASE("bounds checks are exact and do not wrap") {
  ExecEnv env = memEnv();
  CHECK(memOp(Opcode::Load, Width::W32, 65532, 0, env).status == Status::Returned);
  CHECK(memOp(Opcode::Load, Width::W32, 65530, 2, env).status == Status::Returned);
  ExecResult r = memOp(Opcode::Load, Width::W32, 65533, 0, env);
  CHECK(r.status == Status::Trapped);
  CHECK(r.trap == TrapReason::OutOfBounds);
  CHECK(memOp(Opcode::Load, Width::W32, 65530, 3, env).status == Status::Trapped);
  CHECK(memOp(Opcode::Load, Width::U8, 65535, 0, env).status == Status::Returned);
  CHECK(memOp(Opcode::Load, Width::U8, 65535, 1, env).status == Status::Trapped);
  CHECK(memOp(Opcode::Load, Width::U16, 65535, 0, env).status == Status::Trapped);
  CHECK(memOp(Opcode::Load64, Width::W32, 65528, 0, env).status == Status::Returned);
  CHECK(memOp(Opcode::Load64, Width::W32, 65529, 0, env).status == Status::Trapped);
  // 0xFFFFFFFF + 1 is 2^32, not 0
  CHECK(memOp(Opcode::Load, Width::U8, 0xFFFFFFFFu, 1, env).status == Status::Trapped);
  CHECK(memOp(Opcode::Load, Width::U8, 0xFFFFFFFFu, 0, env).status == Status::Trapped);
  CHECK(memOp(Opcode::Store, Width::W32, 65533, 0, env).status == Status::Trapped);
  CHECK(env.memory[65533] == 0);  // a trapping store writes nothing
  CHECK(memOp(Opcode::Store64, Width::W32, 65529, 0, env).status == Status::Trapped);
  ExecEnv none;  // no memory at all
  CHECK(memOp(Opcode::Load, Width::U8, 0, 0, none).status == Status::Trapped);
}

TEST_CASE("globals, memsize, traps") {
  Fn f("f", {I32}, {I32});
  f.bb("entry").op(Opcode::Param, {v(0)}, {}).op(Opcode::GGet, {v(1)}, {}, 1)
      .op(Opcode::Add, {v(2)}, {v(1), v(0)}).op(Opcode::GSet, {}, {v(2)}, 0)
      .op(Opcode::MemSize, {v(3)}, {}).op(Opcode::Add, {v(4)}, {v(2), v(3)}).ret({v(4)});
  ExecEnv env;
  env.memory.assign(3 * 65536, 0);
  env.globals = {0, 40};
  CHECK(execute(mod({f.f}), "f", std::vector<uint64_t>{2}, env).results == std::vector<uint64_t>{45});
  CHECK(env.globals[0] == 42);
  env.globals = {0};  // index 1 out of range
  ExecResult bad = execute(mod({f.f}), "f", std::vector<uint64_t>{2}, env);
  CHECK(bad.status == Status::Error);
  CHECK(bad.error.find("global index 1") != std::string::npos);

  Fn t("t", {I32}, {I32});
  t.bb("entry").op(Opcode::Param, {v(0)}, {}).trapif(v(0), TrapReason::DivZero).ret({v(0)});
  CHECK(ok(run(mod({t.f}), "t", {0})) == 0);
  ExecResult tr = run(mod({t.f}), "t", {7});
  CHECK(tr.status == Status::Trapped);
  CHECK(tr.trap == TrapReason::DivZero);
  CHECK(tr.steps == 2);
  Fn u("u", {}, {});
  u.bb("entry").op(Opcode::Trap, {}, {}).last().reason = TrapReason::Overflow;
  ExecResult ur = run(mod({u.f}), "u", {});
  CHECK(ur.status == Status::Trapped);
  CHECK(ur.trap == TrapReason::Overflow);
}

namespace {
/// sum(n) = 1 + 2 + ... + n with a loop.
Function sumLoop(bool fuelHog = false) {
  Fn f("sum", {I32}, {I32});
  f.bb("entry").op(Opcode::Param, {v(0)}, {}).op(Opcode::MovI, {v(1)}, {}, 0).jump(Opcode::Br, {}, {1});
  f.bb("loop").trapif(imm(0), TrapReason::Unreachable).jump(Opcode::BrIf, {v(0)}, {2, 3});
  f.bb("body").op(Opcode::Add, {v(1)}, {v(1), v(0)}).op(Opcode::Sub, {v(0)}, {v(0), imm(fuelHog ? 0 : 1)})
      .jump(Opcode::Br, {}, {1});
  f.bb("done").ret({v(1)});
  return f.f;
}
}  // namespace

TEST_CASE("control flow: loop, brtable default, fuel") {
  ExecResult r = run(mod({sumLoop()}), "sum", {100});
  CHECK(ok(r) == 5050);
  CHECK(r.steps == 3 + 100 * 5 + 2 + 1);
  ExecEnv env;
  env.fuel = 1000;
  ExecResult ex = execute(mod({sumLoop(true)}), "sum", std::vector<uint64_t>{1}, env);
  CHECK(ex.status == Status::Exhausted);
  CHECK(ex.steps == 1000);
  CHECK(ex.results.empty());

  Fn t("t", {I32}, {I32});
  t.bb("entry").op(Opcode::Param, {v(0)}, {}).jump(Opcode::BrTable, {v(0)}, {1, 2, 3});
  t.bb("c0").op(Opcode::MovI, {v(1)}, {}, 10).ret({v(1)});
  t.bb("c1").op(Opcode::MovI, {v(1)}, {}, 11).ret({v(1)});
  t.bb("dflt").op(Opcode::MovI, {v(1)}, {}, 99).ret({v(1)});
  CHECK(ok(run(mod({t.f}), "t", {0})) == 10);
  CHECK(ok(run(mod({t.f}), "t", {1})) == 11);
  CHECK(ok(run(mod({t.f}), "t", {2})) == 99);
  CHECK(ok(run(mod({t.f}), "t", {0xFFFFFFFF})) == 99);
}

TEST_CASE("vreg form: undefined reads and malformed functions are Errors") {
  Fn f("f", {I32}, {I32});
  f.bb("entry").op(Opcode::Param, {v(0)}, {}).jump(Opcode::BrIf, {v(0)}, {1, 2});
  f.bb("set").op(Opcode::MovI, {v(7)}, {}, 1).jump(Opcode::Br, {}, {2});
  f.bb("join").op(Opcode::Add, {v(8)}, {v(7), v(0)}).ret({v(8)});
  CHECK(ok(run(mod({f.f}), "f", {1})) == 2);
  ExecResult e = run(mod({f.f}), "f", {0});
  CHECK(e.status == Status::Error);
  CHECK(e.error == "in @f at join:0 (add): read of v7 which holds no value");

  Fn g("g", {}, {});
  g.bb("entry").op(Opcode::MovI, {v(0)}, {}, 1);  // no terminator
  CHECK(run(mod({g.f}), "g", {}).status == Status::Error);
  Fn h("h", {}, {});
  h.bb("entry").op(Opcode::Add, {v(0)}, {v(1)}).ret({});  // missing operand
  ExecResult he = run(mod({h.f}), "h", {});
  CHECK(he.status == Status::Error);
  CHECK(he.error.find("expected 2 uses") != std::string::npos);
  Fn k("k", {}, {});
  k.bb("entry").op(Opcode::Mov, {r(0)}, {v(1)}).ret({});  // preg in vreg form
  CHECK(run(mod({k.f}), "k", {}).status == Status::Error);
  CHECK(run(mod({f.f}), "nope", {}).status == Status::Error);
  CHECK(run(mod({f.f}), "f", {1, 2}).status == Status::Error);
  Fn a("a", {}, {}, true);
  a.bb("entry").ret({});
  ExecResult mixed = run(mod({f.f, a.f}), "f", {1});
  CHECK(mixed.status == Status::Error);
  CHECK(mixed.error.find("mixes forms") != std::string::npos);
}

TEST_CASE("vreg form: recursion, imports and call depth") {
  Fn fib("fib", {I32}, {I32});
  fib.bb("entry").op(Opcode::Param, {v(0)}, {}).set(Cond::ULt, v(1), v(0), imm(2)).jump(Opcode::BrIf, {v(1)}, {1, 2});
  fib.bb("base").ret({v(0)});
  fib.bb("rec").op(Opcode::Sub, {v(2)}, {v(0), imm(1)}).call("fib", {v(3)}, {v(2)})
      .op(Opcode::Sub, {v(4)}, {v(0), imm(2)}).call("fib", {v(5)}, {v(4)})
      .op(Opcode::Add, {v(6)}, {v(3), v(5)}).ret({v(6)});
  CHECK(ok(run(mod({fib.f}), "fib", {20})) == 6765);

  Module m = mod({});
  m.imports.push_back(Import{"env.mix", {{I32, I64}, {I64}}});
  m.imports.push_back(Import{"env.low", {{}, {I32}}});
  Fn f("f", {I32, I64}, {I64});
  f.bb("entry").op(Opcode::Param, {v(0), v(1), v(2)}, {}).call("env.mix", {v(3), v(4)}, {v(0), v(1), v(2)})
      .call("env.low", {v(5)}, {}).op(Opcode::Add, {v(3)}, {v(3), v(5)}).ret({v(3), v(4)});
  m.functions.push_back(f.f);
  ExecEnv env;
  std::vector<uint64_t> seen;
  env.host = [&](const Import &imp, std::span<const uint64_t> args) -> std::vector<uint64_t> {
    if (imp.name == "env.low") return {0xABCD00000001ull};  // high bits must be dropped
    seen.assign(args.begin(), args.end());
    return {args[1] + args[0]};
  };
  ExecResult r = execute(m, "f", std::vector<uint64_t>{5, 0x1122334455667788ull}, env);
  CHECK(ok(r) == 0x1122334455667788ull + 5 + 1);
  CHECK(seen == std::vector<uint64_t>{5, 0x1122334455667788ull});

  ExecEnv mixEnv;
  const uint64_t a = ok(execute(m, "f", std::vector<uint64_t>{1, 2}, mixEnv));
  CHECK(a == ok(execute(m, "f", std::vector<uint64_t>{1, 2}, mixEnv)));
  CHECK(a != ok(execute(m, "f", std::vector<uint64_t>{1, 3}, mixEnv)));
  const uint64_t args[] = {7};
  CHECK(mixHost(m.imports[1], args)[0] <= 0xFFFFFFFFull);
  CHECK(mixHost(m.imports[0], args)[0] > 0xFFFFFFFFull);  // a full 64-bit hash (for this input)

  Fn loop("loop", {}, {});
  loop.bb("entry").call("loop", {}, {}).ret({});
  ExecEnv deep;
  deep.maxDepth = 50;
  ExecResult d = execute(mod({loop.f}), "loop", std::vector<uint64_t>{}, deep);
  CHECK(d.status == Status::Exhausted);
  CHECK(d.steps == 50);
}

// ---------------------------------------------------------------- allocated form

namespace {
/// @add2(a, b) = a + b, allocated.
Function add2() {
  Fn f("add2", {I32, I32}, {I32}, true);
  f.bb("entry").op(Opcode::Param, {r(0), r(1)}, {}).op(Opcode::Add, {r(0)}, {r(0), r(1)}).ret({r(0)});
  return f.f;
}
/// @main(a, b) = (a + 100) * b + a with a frame: saves r4, r5, lr, spills b.
/// `variant` breaks it in one way (0 = correct): 1 reads r1 after the call,
/// 2 leaves SP unbalanced, 3 never spills, 4 clobbers r6, 5 does not save lr.
Function mainFn(int variant) {
  Fn f("main", {I32, I32}, {I32}, true);
  f.bb("entry").op(Opcode::Param, {r(0), r(1)}, {});
  if (variant != 5) f.op(Opcode::Push, {}, {r(5), LR, r(4)});  // order in the list is irrelevant
  else f.op(Opcode::Push, {}, {r(4), r(5)});
  f.op(Opcode::AdjSp, {}, {}, static_cast<uint32_t>(-4));
  if (variant != 3) f.op(Opcode::Sts, {st(0)}, {r(1)});
  f.op(Opcode::Mov, {r(4)}, {r(0)}).op(Opcode::MovI, {r(1)}, {}, 100)
      .call("add2", {r(0)}, {r(0), r(1)})
      .op(Opcode::Lds, {r(5)}, {st(0)})
      .op(Opcode::Mul, {r(0)}, {r(0), variant == 1 ? r(1) : r(5)})
      .op(Opcode::Add, {r(0)}, {r(0), r(4)});
  if (variant != 2) f.op(Opcode::AdjSp, {}, {}, 4);
  if (variant != 5) f.op(Opcode::Pop, {r(4), LR, r(5)}, {});
  else f.op(Opcode::Pop, {r(4), r(5)}, {});
  if (variant == 4) f.op(Opcode::MovI, {r(6)}, {}, 1);
  f.ret({r(0)});
  return f.f;
}
ExecResult runMain(int variant) { return run(mod({add2(), mainFn(variant)}), "main", {3, 5}); }
void checkError(const ExecResult &res, const std::string &part) {
  CHECK(res.status == Status::Error);
  CHECK_MESSAGE(res.error.find(part) != std::string::npos, res.error);
}
}  // namespace

TEST_CASE("allocated form: a hand-allocated frame runs") {
  ExecResult res = runMain(0);
  CHECK(ok(res) == 518);
  CHECK(res.steps == 13 + 3);
}

TEST_CASE("allocated form: machine-level mistakes are Errors") {
  checkError(runMain(1), "in @main at entry:8 (mul): read of r1 which holds no value "
                         "(clobbered by call at entry:6)");
  checkError(runMain(2), "sp at the return of @main");
  checkError(runMain(3), "read of [sp+0]");
  checkError(runMain(3), "never written");
  checkError(runMain(4), "callee-saved r6 not preserved by @main");
  checkError(runMain(5), "lr holds no value at the return of @main (clobbered by call at entry:6)");
  // clobbering r4 without saving it, in a leaf
  Fn leaf("leaf", {I32}, {I32}, true);
  leaf.bb("entry").op(Opcode::MovI, {r(4)}, {}, 9).op(Opcode::Add, {r(0)}, {r(0), r(4)}).ret({r(0)});
  checkError(run(mod({leaf.f}), "leaf", {1}), "callee-saved r4 not preserved");
  // a pop of a word nobody wrote
  Fn pop("pop", {}, {}, true);
  pop.bb("entry").op(Opcode::AdjSp, {}, {}, static_cast<uint32_t>(-8)).op(Opcode::Pop, {r(4)}, {})
      .op(Opcode::AdjSp, {}, {}, 4).ret({});
  checkError(run(mod({pop.f}), "pop", {}), "pop of r4");
  // a callee reading a register that is not one of its parameters
  Fn one("one", {I32}, {I32}, true);
  one.bb("entry").op(Opcode::Add, {r(0)}, {r(0), r(1)}).ret({r(0)});
  checkError(run(mod({one.f}), "one", {1}), "read of r1 which holds no value (no value at the entry of @one)");
  // lr overwritten by a value
  Fn lr("lr", {}, {}, true);
  lr.bb("entry").op(Opcode::MovI, {LR}, {}, 0).ret({});
  checkError(run(mod({lr.f}), "lr", {}), "not the return address");
  // stack pointer outside the region
  Fn big("big", {}, {}, true);
  big.bb("entry").op(Opcode::AdjSp, {}, {}, static_cast<uint32_t>(-(1 << 21))).ret({});
  checkError(run(mod({big.f}), "big", {}), "outside the stack region");
  // vregs in allocated form
  Fn vr("vr", {}, {}, true);
  vr.bb("entry").op(Opcode::Mov, {r(0)}, {v(0)}).ret({});
  checkError(run(mod({vr.f}), "vr", {}), "vreg v0 in an allocated-form function");
}

TEST_CASE("allocated form: a pushed no-value register pops back as no value") {
  Fn f("f", {}, {I32}, true);
  f.bb("entry").op(Opcode::Push, {}, {r(3), LR}).op(Opcode::MovI, {r(3)}, {}, 1)
      .op(Opcode::Pop, {r(3), LR}, {}).op(Opcode::MovI, {r(0)}, {}, 2).ret({r(0)});
  CHECK(ok(run(mod({f.f}), "f", {})) == 2);
  Fn g = f;
  g.f.blocks[0].instrs[3].op = Opcode::Mov;
  g.f.blocks[0].instrs[3].uses = {r(3)};
  checkError(run(mod({g.f}), "f", {}), "read of r3 which holds no value (popped at entry:2");
}

namespace {
/// @six(a..f) = a + 2b + 3c + 4d + 5e + 6f; e and f come on the stack.
Function six(uint32_t eOffset = 8) {
  Fn f("six", {I32, I32, I32, I32, I32, I32}, {I32}, true);
  f.bb("entry").op(Opcode::Param, {r(0), r(1), r(2), r(3), st(0), st(4)}, {})
      .op(Opcode::Push, {}, {r(4), LR});
  f.op(Opcode::Mul, {r(1)}, {r(1), imm(2)}).op(Opcode::Add, {r(0)}, {r(0), r(1)})
      .op(Opcode::Mul, {r(2)}, {r(2), imm(3)}).op(Opcode::Add, {r(0)}, {r(0), r(2)})
      .op(Opcode::Mul, {r(3)}, {r(3), imm(4)}).op(Opcode::Add, {r(0)}, {r(0), r(3)})
      .op(Opcode::Lds, {r(4)}, {st(eOffset)}).op(Opcode::Mul, {r(4)}, {r(4), imm(5)})
      .op(Opcode::Add, {r(0)}, {r(0), r(4)})
      .op(Opcode::Lds, {r(4)}, {st(12)}).op(Opcode::Mul, {r(4)}, {r(4), imm(6)})
      .op(Opcode::Add, {r(0)}, {r(0), r(4)}).op(Opcode::Pop, {r(4), LR}, {}).ret({r(0)});
  return f.f;
}
/// @caller() = six(1, 2, 3, 4, 5, 6) with outgoing stack arguments.
Function sixCaller() {
  Fn f("caller", {}, {I32}, true);
  f.bb("entry").op(Opcode::Push, {}, {r(4), LR}).op(Opcode::AdjSp, {}, {}, static_cast<uint32_t>(-8))
      .op(Opcode::MovI, {r(4)}, {}, 5).op(Opcode::Sts, {st(0)}, {r(4)})
      .op(Opcode::MovI, {r(4)}, {}, 6).op(Opcode::Sts, {st(4)}, {r(4)});
  for (unsigned i = 0; i < 4; ++i) f.op(Opcode::MovI, {r(i)}, {}, i + 1);
  f.call("six", {r(0)}, {r(0), r(1), r(2), r(3), st(0), st(4)})
      .op(Opcode::AdjSp, {}, {}, 8).op(Opcode::Pop, {r(4), LR}, {}).ret({r(0)});
  return f.f;
}
}  // namespace

TEST_CASE("allocated form: stack parameters") {
  CHECK(ok(run(mod({six()}), "six", {1, 2, 3, 4, 5, 6})) == 91);
  CHECK(ok(run(mod({six(), sixCaller()}), "caller", {})) == 91);
  // reading past the incoming arguments reaches into the caller's frame
  checkError(run(mod({six(16), sixCaller()}), "caller", {}), "in the caller's frame");
  // the top-level frame has nothing above its arguments
  checkError(run(mod({six(16)}), "six", {1, 2, 3, 4, 5, 6}), "outside the stack region");
  // an outgoing argument the caller forgot to store
  Function c = sixCaller();
  c.blocks[0].instrs.erase(c.blocks[0].instrs.begin() + 5);  // sts [sp+4]
  checkError(run(mod({six(), c}), "caller", {}), "argument 5 of the call to @six is passed in [sp+4]");
}

TEST_CASE("allocated form: i64 arguments follow AAPCS") {
  // (i32, i64): the i64 skips r1 and takes r2:r3
  Fn f("f", {I32, I64}, {I64}, true);
  f.bb("entry").op(Opcode::Param, {r(0), r(2), r(3)}, {}).op(Opcode::Mov, {r(0)}, {r(2)})
      .op(Opcode::Mov, {r(1)}, {r(3)}).ret({r(0), r(1)});
  CHECK(ok(run(mod({f.f}), "f", {1, 0x1122334455667788ull})) == 0x1122334455667788ull);
  Fn f1 = f;
  f1.f.blocks[0].instrs[1].uses = {r(1)};
  checkError(run(mod({f1.f}), "f", {1, 2}), "read of r1");
  // (i32, i32, i32, i64, i32): the i64 goes to [sp+0], and the last i32 does not back-fill r3
  Fn g("g", {I32, I32, I32, I64, I32}, {I64}, true);
  g.bb("entry").op(Opcode::Param, {r(0), r(1), r(2), st(0), st(4), st(8)}, {})
      .op(Opcode::Lds, {r(0)}, {st(0)}).op(Opcode::Lds, {r(1)}, {st(4)}).op(Opcode::Lds, {r(2)}, {st(8)})
      .op(Opcode::Add, {r(1)}, {r(1), r(2)}).ret({r(0), r(1)});
  CHECK(ok(run(mod({g.f}), "g", {1, 2, 3, 0x0000000500000007ull, 9})) == 0x0000000E00000007ull);
  Fn g1 = g;
  g1.f.blocks[0].instrs[3].uses = {r(3)};
  checkError(run(mod({g1.f}), "g", {1, 2, 3, 4, 5}), "read of r3");
  // (i64, i32, i64): r0:r1, r2, then the stack (8-aligned) and r3 stays unused
  Fn h("h", {I64, I32, I64}, {I64}, true);
  h.bb("entry").op(Opcode::Lds, {r(0)}, {st(0)}).op(Opcode::Lds, {r(1)}, {st(4)})
      .op(Opcode::Add, {r(0)}, {r(0), r(2)}).ret({r(0), r(1)});
  CHECK(ok(run(mod({h.f}), "h", {1, 2, 0xAAAAAAAA00000010ull})) == 0xAAAAAAAA00000012ull);
}

TEST_CASE("allocated form agrees with vreg form on an import call") {
  auto build = [](bool alloc) {
    Module m;
    m.imports.push_back(Import{"env.mix", {{I32, I64}, {I64}}});
    Fn f("f", {I32, I64}, {I64}, alloc);
    if (alloc) {
      f.bb("entry").op(Opcode::Push, {}, {r(4), LR}).call("env.mix", {r(0), r(1)}, {r(0), r(2), r(3)})
          .op(Opcode::Pop, {r(4), LR}, {}).ret({r(0), r(1)});
    } else {
      f.bb("entry").op(Opcode::Param, {v(0), v(1), v(2)}, {})
          .call("env.mix", {v(3), v(4)}, {v(0), v(1), v(2)}).ret({v(3), v(4)});
    }
    m.functions.push_back(f.f);
    return m;
  };
  const std::vector<uint64_t> args = {7, 0xFEDCBA9876543210ull};
  const uint64_t want = mixHost(build(false).imports[0], args)[0];
  CHECK(ok(run(build(false), "f", args)) == want);
  CHECK(ok(run(build(true), "f", args)) == want);
}

// ---------------------------------------------------------------- from .mir text

namespace {
Module parse(std::string_view text) {
  ParseResult p = parseModule(text, "interp_test.mir");
  for (const auto &d : p.diags) MESSAGE(d.str());
  REQUIRE(p.module.has_value());
  return *p.module;
}
}  // namespace

TEST_CASE("text: the same function in vreg and allocated form") {
  const Module vf = parse(R"(
func @f(i32, i64) -> (i64) {
bb0:
  param v0, v1, v2
  set.eq v3, v0, #0
  brif v3, zero, loop
zero:
  ret v1, v2
loop:
  movi v4, #1
  shl64 v1, v2, v1, v2, v4
  sub v0, v0, #1
  set.ne v3, v0, #0
  brif v3, loop, zero
}
)");
  const Module af = parse(R"(
func @f(i32, i64) -> (i64) allocated {
bb0:
  param r0, r2, r3
  set.eq r1, r0, #0
  brif r1, zero, loop
zero:
  mov r0, r2
  mov r1, r3
  ret r0, r1
loop:
  movi r12, #1
  shl64 r2, r3, r2, r3, r12
  sub r0, r0, #1
  set.ne r1, r0, #0
  brif r1, loop, zero
}
)");
  for (uint64_t n : {0u, 1u, 5u, 40u, 63u, 64u}) {
    CAPTURE(n);
    const uint64_t want = n >= 64 ? 0 : 3ull << n;
    CHECK(ok(run(vf, "f", {n, 3})) == want);
    CHECK(ok(run(af, "f", {n, 3})) == want);
  }
}

TEST_CASE("text: allocated-form errors name the place") {
  const Module m = parse(R"(
module {
  import @env.get () -> (i32)
}
func @g(i32) -> (i32) allocated {
bb0:
  param r0
  push r4, lr
  mov r4, r0
  call @env.get () -> (r0)
  add r0, r0, r4
  pop r4, lr
  ret r0
}
)");
  CHECK(run(m, "g", {1}).status == Status::Returned);
  const Module bad = parse(R"(
module {
  import @env.get () -> (i32)
}
func @g(i32) -> (i32) allocated {
bb0:
  param r0
  push r4, lr
  mov r4, r0
  call @env.get () -> (r0)
  br next
next:
  add r0, r1, r4
  pop r4, lr
  ret r0
}
)");
  checkError(run(bad, "g", {1}), "in @g at next:0 (add): read of r1 which holds no value "
                                 "(clobbered by call at bb0:3)");
}
