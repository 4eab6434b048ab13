// Tests of f32/f64 parameters, arguments and results in the reference interpreter: vreg form, and allocated form with AAPCS-VFP placement.
#include "core/ir/interp.h"
#include "core/ir/interp_machine.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <bit>
#include <string>
#include <vector>

using namespace vcr::mir;
using Status = ExecResult::Status;
using vcr::mir::interp_detail::Placement;
using vcr::mir::interp_detail::placeParams;
using vcr::mir::interp_detail::WordLoc;

namespace {

uint64_t b32(float x) { return std::bit_cast<uint32_t>(x); }
uint64_t b64(double x) { return std::bit_cast<uint64_t>(x); }
float f32of(uint64_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b)); }
double f64of(uint64_t b) { return std::bit_cast<double>(b); }

/// Parse and validate `text` (the test fails on any diagnostic).
Module parseValid(const std::string &text) {
  ParseResult p = parseModule(text, "t.mir");
  std::string all;
  for (const auto &d : p.diags) all += d.str() + "\n";
  INFO(all);
  REQUIRE(p.module);
  vcr::Diagnostics vd;
  const bool valid = validateModule(*p.module, vd);
  for (const auto &d : vd) all += d.str() + "\n";
  INFO(all);
  REQUIRE(valid);
  return std::move(*p.module);
}

/// The single result of a run that must return.
uint64_t result(const Module &m, std::string_view fn, std::vector<uint64_t> args, ExecEnv &env) {
  const ExecResult r = execute(m, fn, args, env);
  INFO(r.error);
  REQUIRE(r.status == Status::Returned);
  REQUIRE(r.results.size() == 1);
  return r.results[0];
}

/// The error of a run that must fail with an Error containing `want`.
void checkError(const Module &m, std::string_view fn, std::vector<uint64_t> args, const std::string &want) {
  ExecEnv env;
  const ExecResult r = execute(m, fn, args, env);
  INFO(r.error);
  CHECK(r.status == Status::Error);
  CHECK(r.error.find(want) != std::string::npos);
}

/// env.fh(x: f32, y: f64) -> f32 = x - y in single precision; the result
/// carries garbage above its low word, which an f32 result must drop.
ExecEnv hostEnv(std::vector<std::vector<uint64_t>> &seen) {
  ExecEnv env;
  env.host = [&seen](const Import &imp, std::span<const uint64_t> args) {
    CHECK(imp.name == "env.fh");
    seen.emplace_back(args.begin(), args.end());
    return std::vector<uint64_t>{0xdead'beef'0000'0000ull |
                                 b32(static_cast<float>(f32of(args[0]) - f64of(args[1])))};
  };
  return env;
}

const char *kImport = "module {\n  import @env.fh (f32, f64) -> (f32)\n  type 0 (f64) -> (f64)\n"
                      "  table 1\n  elem 0 @id 0\n}\n";

/// @g(a, b, c) = (a + b) + c in double precision; @f(a, b, c) calls
/// r = g(c, b, a), then h = env.fh(a, r), and returns r + h.
const char *kVreg = R"(func @g(f32, f64, f32) -> (f64) {
bb0:
  param v0, v1, v2
  fcvt.f64.f32 v3, v0
  fadd.f64 v4, v3, v1
  fcvt.f64.f32 v5, v2
  fadd.f64 v6, v4, v5
  ret v6
}

func @f(f32, f64, f32) -> (f64) {
bb0:
  param v0, v1, v2
  call @g (v2, v1, v0) -> (v3)
  call @env.fh (v0, v3) -> (v4)
  fcvt.f64.f32 v5, v4
  fadd.f64 v6, v3, v5
  ret v6
}

func @id(f64) -> (f64) {
bb0:
  param v0
  mov v1, v0
  ret v1
}

func @k(f64) -> (f64) {
bb0:
  param v0
  call @id (v0) -> (v1)
  ret v1
}

func @ki(f64) -> (f64) {
bb0:
  param v0
  movi v1, #0
  calli #0, v1 (v0) -> (v2)
  ret v2
}
)";

/// The same in allocated form: s0, d1, s1 by AAPCS-VFP (s1 back-fills below d1).
const char *kAllocated = R"(func @g(f32, f64, f32) -> (f64) allocated {
bb0:
  param s0, d1, s1
  fcvt.f64.f32 d2, s0
  fadd.f64 d2, d2, d1
  fcvt.f64.f32 d0, s1
  fadd.f64 d0, d2, d0
  ret d0
}

func @f(f32, f64, f32) -> (f64) allocated {
bb0:
  param s0, d1, s1
  push r4, lr
  push s16, s17, d9
  mov s16, s0
  mov s17, s1
  mov s0, s17
  mov s1, s16
  call @g (s0, d1, s1) -> (d0)
  mov d9, d0
  mov d1, d0
  mov s0, s16
  call @env.fh (s0, d1) -> (s0)
  fcvt.f64.f32 d0, s0
  fadd.f64 d0, d9, d0
  pop s16, s17, d9
  pop r4, lr
  ret d0
}

func @id(f64) -> (f64) allocated {
bb0:
  param d0
  ret d0
}

func @k(f64) -> (f64) allocated {
bb0:
  param d0
  push r4, lr
  mov d5, d0
  mov d0, d5
  call @id (d0) -> (d0)
  pop r4, lr
  ret d0
}

func @ki(f64) -> (f64) allocated {
bb0:
  param d0
  push r4, lr
  movi r4, #0
  calli #0, r4 (d0) -> (d0)
  pop r4, lr
  ret d0
}
)";

/// A list "p0, p1, ..." of `n` operands named by `name(k)`.
template <class F> std::string list(unsigned n, F name) {
  std::string s;
  for (unsigned k = 0; k < n; ++k) s += (k ? ", " : "") + name(k);
  return s;
}

std::string types(unsigned n, const char *t) {
  return list(n, [&](unsigned) { return std::string(t); });
}

}  // namespace

TEST_CASE("f32/f64 signatures: vreg and allocated form compute the same bits, calls and a host import included") {
  const float a = 1.5f, c = 0.3f;
  const double b = 0.1;
  const double r = (static_cast<double>(c) + b) + static_cast<double>(a);
  const float h = static_cast<float>(a - r);
  const uint64_t want = b64(r + static_cast<double>(h));
  for (const char *body : {kVreg, kAllocated}) {
    const Module m = parseValid(std::string(kImport) + body);
    std::vector<std::vector<uint64_t>> seen;
    ExecEnv env = hostEnv(seen);
    CAPTURE(m.functions[0].allocated);
    // an f32 argument uses the low 32 bits of its uint64
    CHECK(result(m, "g", {0xffff'ffff'0000'0000ull | b32(a), b64(b), b32(c)}, env) ==
          b64((static_cast<double>(a) + b) + static_cast<double>(c)));
    CHECK(result(m, "f", {b32(a), b64(b), b32(c)}, env) == want);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == std::vector<uint64_t>{b32(a), b64(r)});  // the host sees f32 bits and all 64 f64 bits
    // an f64 through functions without float opcodes keeps its high word
    CHECK(result(m, "k", {0x8123'4567'89ab'cdefull}, env) == 0x8123'4567'89ab'cdefull);
    CHECK(result(m, "ki", {0x8123'4567'89ab'cdefull}, env) == 0x8123'4567'89ab'cdefull);  // calli too
  }
}

TEST_CASE("f32/f64 results: an f32 result of a host import is its low word, f32 results have 32 bits") {
  const Module m = parseValid(std::string(kImport) + R"(func @f(f32, f64) -> (f32) {
bb0:
  param v0, v1
  call @env.fh (v0, v1) -> (v2)
  ret v2
}
)");
  std::vector<std::vector<uint64_t>> seen;
  ExecEnv env = hostEnv(seen);
  CHECK(result(m, "f", {b32(2.5f), b64(0.5)}, env) == b32(2.0f));
  // the deterministic default host masks f32 results like i32 ones
  ExecEnv mix;
  CHECK(result(m, "f", {b32(2.5f), b64(0.5)}, mix) <= 0xffff'ffffu);
}

TEST_CASE("AAPCS-VFP placement: S0-S15, D0-D7 with back-filling, then the shared stack") {
  Signature s;
  s.params = {ValType::F32, ValType::F64, ValType::F32, ValType::F64, ValType::F32, ValType::I32};
  Placement p = placeParams(s);
  REQUIRE(p.words.size() == 6);
  CHECK((p.words[0].vfp == WordLoc::Vfp::S && p.words[0].reg == 0));
  CHECK((p.words[1].vfp == WordLoc::Vfp::D && p.words[1].reg == 1 && p.words[1].bytes == 8));
  CHECK((p.words[2].vfp == WordLoc::Vfp::S && p.words[2].reg == 1));  // back-fills below d1
  CHECK((p.words[3].vfp == WordLoc::Vfp::D && p.words[3].reg == 2));
  CHECK((p.words[4].vfp == WordLoc::Vfp::S && p.words[4].reg == 6));
  CHECK((p.words[5].vfp == WordLoc::Vfp::None && !p.words[5].onStack && p.words[5].reg == 0));
  CHECK(p.sRegs == 0x7fu);
  CHECK(p.stackBytes == 0);
  // seven f64 leave s14, s15: an f32 takes s14, then an f64 does not fit and
  // goes to the stack, and so does every later VFP value (s15 stays free)
  s.params.assign(7, ValType::F64);
  s.params.insert(s.params.end(), {ValType::F32, ValType::I32, ValType::F64, ValType::F32, ValType::F64});
  p = placeParams(s);
  REQUIRE(p.words.size() == 12);
  CHECK((p.words[6].vfp == WordLoc::Vfp::D && p.words[6].reg == 6));
  CHECK((p.words[7].vfp == WordLoc::Vfp::S && p.words[7].reg == 14));
  CHECK((!p.words[8].onStack && p.words[8].reg == 0));
  CHECK((p.words[9].onStack && p.words[9].offset == 0 && p.words[9].bytes == 8));
  CHECK((p.words[10].onStack && p.words[10].offset == 8 && p.words[10].bytes == 4));
  CHECK((p.words[11].onStack && p.words[11].offset == 16 && p.words[11].bytes == 8));  // 8-aligned
  CHECK(p.stackBytes == 24);
  CHECK(p.sRegs == 0x7fffu);
  // core values keep their own placement, and share the stack in argument order
  s.params = {ValType::I64, ValType::I32, ValType::I64, ValType::F32};
  p = placeParams(s);
  CHECK((!p.words[0].onStack && p.words[0].reg == 0 && p.words[1].reg == 1 && p.words[2].reg == 2));
  CHECK((p.words[3].onStack && p.words[3].offset == 0 && p.words[4].offset == 4));
  CHECK((p.words[5].vfp == WordLoc::Vfp::S && p.words[5].reg == 0));
  CHECK(p.stackBytes == 8);
}

TEST_CASE("stack-passed VFP arguments: 17 f32 parameters, and f64/f32/i32 past the registers") {
  const std::string t17 = types(17, "f32");
  const std::string vreg = "func @last(" + t17 + ") -> (f32) {\nbb0:\n  param " +
                           list(17, [](unsigned k) { return "v" + std::to_string(k); }) +
                           "\n  ret v16\n}\n\nfunc @caller(" + t17 + ") -> (f32) {\nbb0:\n  param " +
                           list(17, [](unsigned k) { return "v" + std::to_string(k); }) + "\n  call @last (" +
                           list(17, [](unsigned k) { return "v" + std::to_string(16 - k); }) +
                           ") -> (v17)\n  ret v17\n}\n";
  const std::string sregs = list(16, [](unsigned k) { return "s" + std::to_string(k); });
  // @caller passes its own 17th argument on: after push (8) and adjsp (8) it is at [sp+16]
  const std::string alloc = "func @last(" + t17 + ") -> (f32) allocated {\nbb0:\n  param " + sregs +
                            ", [sp+0]\n  lds s0, [sp+0]\n  ret s0\n}\n\nfunc @caller(" + t17 +
                            ") -> (f32) allocated {\nbb0:\n  param " + sregs +
                            ", [sp+0]\n  push r4, lr\n  adjsp #-8\n  lds r2, [sp+16]\n  sts [sp+0], r2\n"
                            "  call @last (" + sregs + ", [sp+0]) -> (s0)\n  adjsp #8\n  pop r4, lr\n  ret s0\n}\n";
  std::vector<uint64_t> args;
  for (unsigned k = 0; k < 17; ++k) args.push_back(b32(static_cast<float>(k) + 0.5f));
  std::vector<uint64_t> reversed(args.rbegin(), args.rend());
  ExecEnv env;
  const Module vm = parseValid(vreg), am = parseValid(alloc);
  CHECK(result(vm, "last", args, env) == b32(16.5f));
  CHECK(result(am, "last", args, env) == b32(16.5f));
  CHECK(result(vm, "caller", args, env) == b32(0.5f));  // reversed arguments in vreg form
  CHECK(result(am, "caller", args, env) == b32(16.5f));
  CHECK(result(am, "caller", reversed, env) == b32(0.5f));

  // (f64 x8, f32, f64, i32 x5): d0-d7, [sp+0], [sp+8], r0-r3, [sp+16]
  const std::string sig = "(" + types(8, "f64") + ", f32, f64, " + types(5, "i32") + ")";
  const std::string params = "  param " + list(8, [](unsigned k) { return "d" + std::to_string(k); }) +
                             ", [sp+0], [sp+8], r0, r1, r2, r3, [sp+16]\n";
  const Module mixed = parseValid(
      "func @pf32" + sig + " -> (f32) allocated {\nbb0:\n" + params + "  lds s0, [sp+0]\n  ret s0\n}\n\n" +
      "func @pf64" + sig + " -> (f64) allocated {\nbb0:\n" + params + "  lds d0, [sp+8]\n  ret d0\n}\n\n" +
      "func @pd7" + sig + " -> (f64) allocated {\nbb0:\n" + params + "  mov d0, d7\n  ret d0\n}\n\n" +
      "func @pi32" + sig + " -> (i32) allocated {\nbb0:\n" + params + "  lds r0, [sp+16]\n  ret r0\n}\n");
  std::vector<uint64_t> margs;
  for (unsigned k = 0; k < 8; ++k) margs.push_back(b64(k * 1.25));
  margs.push_back(b32(-3.5f));
  margs.push_back(0x7ff8'0000'dead'beefull);  // a NaN payload travels unchanged
  for (unsigned k = 0; k < 5; ++k) margs.push_back(100 + k);
  CHECK(result(mixed, "pf32", margs, env) == b32(-3.5f));
  CHECK(result(mixed, "pf64", margs, env) == 0x7ff8'0000'dead'beefull);
  CHECK(result(mixed, "pd7", margs, env) == b64(7 * 1.25));
  CHECK(result(mixed, "pi32", margs, env) == 104);
}

TEST_CASE("allocated form errors: undefined S/D arguments and results, S0-S15 at entry, callee-saved S16-S31") {
  const Module m = parseValid(R"(func @h(f32) -> (f32) allocated {
bb0:
  param s0
  ret s0
}

func @h2(f64) -> (f64) allocated {
bb0:
  param d0
  ret d0
}

func @noArg() -> (f32) allocated {
bb0:
  param
  push r4, lr
  call @h (s0) -> (s0)
  pop r4, lr
  ret s0
}

func @halfD(i32) -> (f64) allocated {
bb0:
  param r0
  push r4, lr
  fmovfromint.f32 s0, r0
  call @h2 (d0) -> (d0)
  pop r4, lr
  ret d0
}

func @noResult(i32) -> (f64) allocated {
bb0:
  param r0
  ret d0
}

func @readS2(f32) -> (f32) allocated {
bb0:
  param s0
  mov s0, s2
  ret s0
}

func @passS2(f32) -> (f32) allocated {
bb0:
  param s0
  push r4, lr
  mov s2, s0
  call @readS2 (s0) -> (s0)
  pop r4, lr
  ret s0
}

func @afterCall(f32) -> (f32) allocated {
bb0:
  param s0
  push r4, lr
  mov s1, s0
  call @h (s0) -> (s0)
  mov s0, s1
  pop r4, lr
  ret s0
}

func @clobber(f32) -> (f32) allocated {
bb0:
  param s0
  mov s20, s0
  ret s0
}
)");
  checkError(m, "noArg", {}, "argument 0 of the call to @h is passed in s0, which holds no value "
                             "(no value at the entry of @noArg)");
  checkError(m, "halfD", {1}, "argument 0 of the call to @h2 is passed in d0, whose s1 holds no value");
  checkError(m, "noResult", {1}, "the result of @noResult is returned in d0, whose s0 holds no value");
  // S0-S15 carry only the parameters into a callee: s2 is not one of @readS2's
  checkError(m, "passS2", {b32(1.0f)}, "in @readS2 at bb0:1 (mov): read of s2 which holds no value "
                                       "(no value at the entry of @readS2)");
  checkError(m, "afterCall", {b32(1.0f)}, "read of s1 which holds no value (clobbered by a call at bb0:3)");
  checkError(m, "clobber", {b32(1.0f)}, "callee-saved s20 not preserved by @clobber");
  ExecEnv env;
  CHECK(result(m, "h", {b32(-0.0f)}, env) == b32(-0.0f));
  // garbage mode reads an undefined argument as a word instead of failing
  ExecEnv g;
  g.garbageSeed = 7;
  CHECK(execute(m, "noArg", {}, g).status == Status::Returned);
}
