// Runtime routines: the table, wasm float semantics of the reference, and calls to them in both MIR forms.
#include "core/ir/interp.h"
#include "core/ir/runtime_calls.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

using namespace vcr::mir;

namespace {

RuntimeOutcome run(std::string_view name, std::vector<uint64_t> args) {
  auto k = findRuntimeFn(name);
  REQUIRE_MESSAGE(k, name);
  return evalRuntimeFn(*k, args);
}
uint64_t f(float x) { return std::bit_cast<uint32_t>(x); }
uint64_t d(double x) { return std::bit_cast<uint64_t>(x); }
bool isNaN32(uint64_t v) { return (v & 0x7fffffffu) > 0x7f800000u; }

}  // namespace

TEST_CASE("runtime routines: names, signatures and lookup as callees") {
  CHECK(findRuntimeFn("__aeabi_fadd").has_value());
  CHECK_FALSE(findRuntimeFn("fadd").has_value());
  CHECK_FALSE(findRuntimeFn("__aeabi_nothing").has_value());
  Module m;
  const Signature *s = m.calleeSig("__aeabi_dadd");
  REQUIRE(s);
  CHECK(s->params == std::vector<ValType>{ValType::I64, ValType::I64});
  CHECK(s->results == std::vector<ValType>{ValType::I64});
  REQUIRE(m.calleeSig("__vcr_fp_f2l_s"));
  CHECK(m.calleeSig("__vcr_fp_f2l_s")->params == std::vector<ValType>{ValType::I32});
  CHECK(m.calleeSig("__vcr_fp_f2l_s")->results == std::vector<ValType>{ValType::I64});
  for (const RuntimeFn &r : runtimeFns()) {
    CHECK(r.sig.results.size() == (r.memory ? 0u : 1u));
    CHECK(r.ours == r.name.starts_with("__vcr_fp_"));
  }
}

TEST_CASE("runtime routines: min and max order -0 below +0 and return NaN for a NaN operand") {
  CHECK(run("__vcr_fp_fmin", {f(-0.0f), f(0.0f)}).result == f(-0.0f));
  CHECK(run("__vcr_fp_fmin", {f(0.0f), f(-0.0f)}).result == f(-0.0f));
  CHECK(run("__vcr_fp_fmax", {f(-0.0f), f(0.0f)}).result == f(0.0f));
  CHECK(isNaN32(run("__vcr_fp_fmax", {f(1.0f), 0x7fc00000u}).result));
  CHECK(run("__vcr_fp_dmin", {d(-3.0), d(2.0)}).result == d(-3.0));
  CHECK(run("__vcr_fp_dmax", {d(0.0), d(-0.0)}).result == d(0.0));
}

TEST_CASE("runtime routines: nearest rounds ties to even, rounding keeps the sign of zero") {
  CHECK(run("__vcr_fp_fnearest", {f(2.5f)}).result == f(2.0f));
  CHECK(run("__vcr_fp_fnearest", {f(3.5f)}).result == f(4.0f));
  CHECK(run("__vcr_fp_fnearest", {f(-0.5f)}).result == f(-0.0f));
  CHECK(run("__vcr_fp_dnearest", {d(-2.5)}).result == d(-2.0));
  CHECK(run("__vcr_fp_dnearest", {d(4503599627370495.5)}).result == d(4503599627370496.0));
  CHECK(run("__vcr_fp_fceil", {f(-0.5f)}).result == f(-0.0f));
  CHECK(run("__vcr_fp_dfloor", {d(-0.5)}).result == d(-1.0));
  CHECK(run("__vcr_fp_dtrunc", {d(-1.75)}).result == d(-1.0));
  CHECK(run("__vcr_fp_fsqrt", {f(-0.0f)}).result == f(-0.0f));
  CHECK(isNaN32(run("__vcr_fp_fsqrt", {f(-1.0f)}).result));
  CHECK(run("__vcr_fp_dsqrt", {d(2.0)}).result == d(std::sqrt(2.0)));
}

TEST_CASE("runtime routines: truncation traps on NaN and overflow, the sat forms saturate") {
  auto t = run("__vcr_fp_f2i_s", {0x7fc00000u});
  CHECK(t.trapped);
  CHECK(t.trap == TrapReason::BadConversion);
  t = run("__vcr_fp_f2i_s", {f(2147483648.0f)});
  CHECK(t.trapped);
  CHECK(t.trap == TrapReason::Overflow);
  t = run("__vcr_fp_f2i_s", {f(-2147483648.0f)});
  CHECK_FALSE(t.trapped);
  CHECK(t.result == 0x80000000u);
  CHECK(run("__vcr_fp_d2i_s", {d(-2147483648.9)}).result == 0x80000000u);
  CHECK(run("__vcr_fp_d2i_s", {d(-2147483649.0)}).trapped);
  CHECK(run("__vcr_fp_d2i_u", {d(-0.9)}).result == 0);
  CHECK(run("__vcr_fp_d2i_u", {d(-1.0)}).trapped);
  CHECK(run("__vcr_fp_d2l_u", {d(18446744073709549568.0)}).result == 18446744073709549568ull);
  CHECK(run("__vcr_fp_d2l_u", {d(18446744073709551616.0)}).trapped);
  CHECK(run("__vcr_fp_f2i_sat_s", {0x7fc00000u}).result == 0);
  CHECK(run("__vcr_fp_f2i_sat_s", {f(-1e10f)}).result == 0x80000000u);
  CHECK(run("__vcr_fp_f2i_sat_u", {f(1e10f)}).result == 0xffffffffu);
  CHECK(run("__vcr_fp_d2l_sat_s", {d(1e300)}).result == 0x7fffffffffffffffull);
  CHECK(run("__vcr_fp_d2l_sat_u", {d(-5.0)}).result == 0);
}

TEST_CASE("runtime calls run in the interpreter in both forms, and their traps are traps") {
  auto parsed = parseModule(R"(
func @t(i32) -> (i32) {
bb0:
  param v0
  call @__vcr_fp_f2i_s (v0) -> (v1)
  ret v1
}
func @ta(i32) -> (i32) allocated {
bb0:
  param r0
  push lr !prologue
  adjsp #-4 !prologue
  call @__vcr_fp_f2i_s (r0) -> (r0)
  adjsp #4 !epilogue
  pop lr !epilogue
  ret r0
}
)", "t.mir");
  REQUIRE(parsed.module);
  // each form in a module of its own (a module holds one form)
  for (int form = 0; form < 2; ++form) {
    Module m;
    m.functions.push_back(parsed.module->functions[size_t(form)]);
    vcr::Diagnostics diags;
    CHECK(validateFunction(m.functions[0], m, diags));
    ExecEnv env;
    std::vector<uint64_t> args{f(-7.9f)};
    const std::string name = m.functions[0].name;
    ExecResult r = execute(m, name, args, env);
    REQUIRE_MESSAGE(r.status == ExecResult::Status::Returned, r.error);
    CHECK(r.results == std::vector<uint64_t>{0xfffffff9u});
    args = {0xffc00001u};
    r = execute(m, name, args, env);
    CHECK(r.status == ExecResult::Status::Trapped);
    CHECK(r.trap == TrapReason::BadConversion);
  }
}

TEST_CASE("bulk memory routines: copy is memmove, fill the low byte, bounds checked before any write") {
  auto parsed = parseModule(R"(
module {
  memory 1
}
func @cp(i32, i32, i32) -> () {
bb0:
  param v0, v1, v2
  call @__vcr_memory_copy (v0, v1, v2) -> ()
  ret
}
func @fl(i32, i32, i32) -> () {
bb0:
  param v0, v1, v2
  call @__vcr_memory_fill (v0, v1, v2) -> ()
  ret
}
)", "bulk.mir");
  auto parsedA = parseModule(R"(
module {
  memory 1
}
func @cpa(i32, i32, i32) -> () allocated {
bb0:
  param r0, r1, r2
  push lr !prologue
  adjsp #-4 !prologue
  call @__vcr_memory_copy (r0, r1, r2) -> ()
  adjsp #4 !epilogue
  pop lr !epilogue
  ret
}
)", "bulk_alloc.mir");
  std::string msg = parsed.diags.empty() ? std::string() : parsed.diags[0].str();
  REQUIRE_MESSAGE(parsed.module, msg);
  msg = parsedA.diags.empty() ? std::string() : parsedA.diags[0].str();
  REQUIRE_MESSAGE(parsedA.module, msg);
  const Module &m = *parsed.module;
  REQUIRE(m.calleeSig("__vcr_memory_copy"));
  CHECK(m.calleeSig("__vcr_memory_copy")->results.empty());
  std::vector<uint8_t> base(65536);
  for (size_t i = 0; i < base.size(); ++i) base[i] = static_cast<uint8_t>(i * 7 + (i >> 8));
  struct Case {
    const char *fn;
    uint32_t a, b, n;
    bool traps;
  };
  const Case cases[] = {
      {"cp", 103, 100, 50, false},   {"cp", 100, 103, 50, false},    {"cp", 0, 0, 65536, false},
      {"cp", 65536, 0, 0, false},    {"cp", 65537, 0, 0, true},      {"cp", 0, 65535, 2, true},
      {"cp", 65530, 0, 7, true},     {"cp", 0xffffffffu, 0, 2, true}, {"fl", 10, 0x1ab, 20, false},
      {"fl", 65530, 0xff, 6, false}, {"fl", 65530, 0xff, 7, true},   {"fl", 1, 5, 0xffffffffu, true},
      {"cpa", 203, 200, 64, false},  {"cpa", 200, 203, 64, false},   {"cpa", 65000, 0, 1000, true},
  };
  for (const Case &c : cases) {
    ExecEnv env;
    env.memory = base;
    const uint64_t args[] = {c.a, c.b, c.n};
    const std::string fn = c.fn;
    ExecResult r = execute(fn == "cpa" ? *parsedA.module : m, fn, args, env);
    std::vector<uint8_t> want = base;
    if (!c.traps) {
      if (c.fn[0] == 'f') std::memset(want.data() + c.a, static_cast<int>(c.b & 0xff), c.n);
      else if (c.n) std::memmove(want.data() + c.a, want.data() + c.b, c.n);
    }
    INFO(fn, " ", c.a, " ", c.b, " ", c.n, ": ", r.error);
    if (c.traps) {
      REQUIRE(r.status == ExecResult::Status::Trapped);
      CHECK(r.trap == TrapReason::OutOfBounds);
    } else {
      REQUIRE(r.status == ExecResult::Status::Returned);
    }
    CHECK(env.memory == want);  // a trap writes nothing
  }
}

TEST_CASE("data segments: text round trip, memory.init bounds by the segment, data.drop per run") {
  const char *text = R"(module {
  memory 1
  data 0 passive 1 2 3 255
  data 1 active
  data 2 passive
}

func @init(i32, i32, i32, i32) -> () {
bb0:
  param v0, v1, v2, v3
  call @__vcr_memory_init (v0, v1, v2, v3) -> ()
  ret
}

func @drop_init(i32) -> () {
bb0:
  param v0
  movi v1, #0
  call @__vcr_data_drop (v1) -> ()
  movi v2, #0
  movi v3, #1
  call @__vcr_memory_init (v0, v2, v0, v1) -> ()
  ret
}
)";
  auto parsed = parseModule(text, "data.mir");
  std::string msg = parsed.diags.empty() ? std::string() : parsed.diags[0].str();
  REQUIRE_MESSAGE(parsed.module, msg);
  const Module &m = *parsed.module;
  REQUIRE(m.data.size() == 3);
  CHECK(m.data[0].passive);
  CHECK(m.data[0].bytes == std::vector<uint8_t>{1, 2, 3, 255});
  CHECK_FALSE(m.data[1].passive);
  CHECK(m.data[2].bytes.empty());
  CHECK(printModule(m) == text);
  CHECK_FALSE(parseModule("module {\n  data 0 passive 256\n}\n", "bad.mir").module);
  CHECK_FALSE(parseModule("module {\n  data 1 passive\n}\n", "bad.mir").module);
  CHECK_FALSE(parseModule("module {\n  data 0 active 1\n}\n", "bad.mir").module);

  auto init = [&](uint32_t d, uint32_t s, uint32_t n, uint32_t seg, std::vector<uint8_t> &mem) {
    ExecEnv env;
    env.memory = mem;
    const uint64_t args[] = {d, s, n, seg};
    ExecResult r = execute(m, "init", args, env);
    mem = env.memory;
    return r;
  };
  std::vector<uint8_t> mem(65536, 0xee);
  ExecResult r = init(10, 1, 3, 0, mem);
  REQUIRE(r.status == ExecResult::Status::Returned);
  CHECK(mem[9] == 0xee);
  CHECK(mem[10] == 2);
  CHECK(mem[12] == 255);
  CHECK(mem[13] == 0xee);
  CHECK(init(0, 4, 0, 0, mem).status == ExecResult::Status::Returned);  // the end of the segment
  for (auto [d, s, n, seg] : {std::array<uint32_t, 4>{0, 5, 0, 0}, {0, 2, 3, 0}, {65535, 0, 2, 0},
                              {0, 0, 1, 1}, {0, 0, 1, 2}}) {
    std::vector<uint8_t> before = mem;
    ExecResult t = init(d, s, n, seg, mem);
    CHECK(t.status == ExecResult::Status::Trapped);
    CHECK(t.trap == TrapReason::OutOfBounds);
    CHECK(mem == before);
  }
  CHECK(init(0, 0, 0, 1, mem).status == ExecResult::Status::Returned);  // length 0: allowed
  CHECK(init(0, 0, 0, 7, mem).status == ExecResult::Status::Error);     // no such segment
  // dropped within the run: the later init traps (n = 0 would not)
  ExecEnv env;
  env.memory = mem;
  const uint64_t one[] = {1};
  CHECK(execute(m, "drop_init", one, env).trap == TrapReason::OutOfBounds);
  const uint64_t zero[] = {0};
  ExecEnv env0;
  env0.memory = mem;
  CHECK(execute(m, "drop_init", zero, env0).status == ExecResult::Status::Returned);
  // ... and a new run starts with no segment dropped
  CHECK(init(0, 0, 4, 0, mem).status == ExecResult::Status::Returned);
}
