// Tests of f32/f64 signatures in the Unicorn harness: AAPCS-VFP arguments and S0/D0 results of runs and import stubs, and the interpreter's placement against arm::paramLocations.
#include "arm/exec/exec.h"
#include "arm/exec/tests/exec_test_util.h"
#include "arm/target/runtime.h"
#include "arm/target/target.h"
#include "core/ir/interp_machine.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <bit>
#include <random>

using namespace vcr;
using namespace vcr::exec;
using namespace vcr::exec::test;
using Status = RunResult::Status;
using arm::Cpu;

namespace {

uint64_t b32(float x) { return std::bit_cast<uint32_t>(x); }
uint64_t b64(double x) { return std::bit_cast<uint64_t>(x); }
float f32of(uint64_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b)); }
double f64of(uint64_t b) { return std::bit_cast<double>(b); }

bool haveAs() { return vcr::testing::toolAvailable("arm-none-eabi-as"); }

/// Build function `f` from `body` for `cpu` with `imports`.
Image buildFor(Cpu cpu, std::string_view body, std::vector<mir::Import> imports = {}) {
  BuildOptions o;
  o.cpu = cpu;
  o.imports = std::move(imports);
  return mustBuild(asmHeader() + thumbFunction("f", body), o);
}

/// Run `f` of `img` with typed `args` (no RunOptions::sArgs); the run must return.
uint64_t runTyped(const Image &img, std::string_view sig, std::vector<uint64_t> args, mir::ExecEnv &env) {
  RunResult r = run(img, "f", sigOf(sig), args, env);
  INFO(r.error);
  REQUIRE(r.status == Status::Returned);
  REQUIRE(r.results.size() == 1);
  return r.results[0];
}

}  // namespace

TEST_CASE("vfp abi cortex-m7: (f32, f64) -> f64 placed in s0 and d1 by the typed signature, result from d0") {
  if (!haveAs()) return;
  Image img = buildFor(Cpu::CortexM7, "  vcvt.f64.f32 d0, s0\n  vadd.f64 d0, d0, d1\n  bx lr");
  mir::ExecEnv env;
  const struct {
    float a;
    double b;
  } cases[] = {{1.5f, 2.25}, {0.1f, 0.2}, {-3.0f, 1e300}, {1e-30f, -0.0}};
  for (const auto &c : cases) {
    CAPTURE(c.a);
    CAPTURE(c.b);
    CHECK(runTyped(img, "fd:d", {b32(c.a), b64(c.b)}, env) == b64(static_cast<double>(c.a) + c.b));
  }
  // (f32, f64, f32): s0, d1, then s1 back-filled; an f32 takes the low word of its uint64
  Image three = buildFor(Cpu::CortexM7, "  vsub.f32 s0, s0, s1\n  vcvt.f64.f32 d0, s0\n  vadd.f64 d0, d0, d1\n  bx lr");
  CHECK(runTyped(three, "fdf:d", {0xffff'ffff'0000'0000ull | b32(5.0f), b64(0.5), b32(2.0f)}, env) ==
        b64(3.5));
}

TEST_CASE("vfp abi cortex-m4f: f32 arguments and result, the stack past S15, core values apart") {
  if (!haveAs()) return;
  Image add = buildFor(Cpu::CortexM4F, "  vadd.f32 s0, s0, s1\n  bx lr");
  mir::ExecEnv env;
  CHECK(runTyped(add, "ff:f", {b32(1.25f), b32(1e-8f)}, env) == b32(1.25f + 1e-8f));
  // 16 f32 fill s0-s15; the i32 goes to r0; the f64 to [sp+0] (8 bytes), the last f32 to [sp+8]
  const std::string sig = std::string(16, 'f') + "idf:f";
  // s0 = s15 + [sp+8] + float(r0) + f32(high word of the f64) - f32(its low word)
  Image img = buildFor(Cpu::CortexM4F, R"(  vldr s1, [sp, #8]
  vmov s2, r0
  vcvt.f32.s32 s2, s2
  vldr d2, [sp]
  vadd.f32 s0, s15, s1
  vadd.f32 s0, s0, s2
  vadd.f32 s0, s0, s5
  vsub.f32 s0, s0, s4
  bx lr)");
  std::vector<uint64_t> args;
  for (unsigned k = 0; k < 16; ++k) args.push_back(b32(static_cast<float>(k) * 0.25f));
  args.push_back(7);                                        // r0
  args.push_back(b32(2.5f) << 32 | b32(1.0f));              // [sp+0] low 1.0f, [sp+4] high 2.5f
  args.push_back(b32(0.5f));                                // [sp+8]
  CHECK(runTyped(img, sig, args, env) == b32((((3.75f + 0.5f) + 7.0f) + 2.5f) - 1.0f));
  args[16] = 0xffff'fff0;  // -16 in r0
  CHECK(runTyped(img, sig, args, env) == b32((((3.75f + 0.5f) - 16.0f) + 2.5f) - 1.0f));
}

TEST_CASE("vfp abi import stubs: a float-typed import gets S/D arguments and returns in s0") {
  if (!haveAs()) return;
  const mir::Import fh{"env.fh", {{mir::ValType::F32, mir::ValType::F64}, {mir::ValType::F32}}};
  Image img = buildFor(Cpu::CortexM4F, fmt::format(R"(  push {{r4, lr}}
  vpush {{s16}}
  vmov.f32 s16, s0
  bl {}
  vadd.f32 s0, s0, s16
  vpop {{s16}}
  pop {{r4, pc}})", arm::rt::importSymbol("env.fh")), {fh});
  mir::ExecEnv env;
  std::vector<std::vector<uint64_t>> seen;
  env.host = [&](const mir::Import &imp, std::span<const uint64_t> args) {
    CHECK(imp.name == "env.fh");
    seen.emplace_back(args.begin(), args.end());
    return std::vector<uint64_t>{0xdead'beef'0000'0000ull | b32(static_cast<float>(f32of(args[0]) * f64of(args[1])))};
  };
  const uint64_t d = 0x4004'0000'0000'0001ull;  // 2.5 plus one ulp: the low word matters
  CHECK(runTyped(img, "fd:f", {b32(1.5f), d}, env) == b32(static_cast<float>(1.5f * f64of(d)) + 1.5f));
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == std::vector<uint64_t>{b32(1.5f), d});
  // with an f64 result in d0
  const mir::Import dd{"env.dd", {{mir::ValType::F64}, {mir::ValType::F64}}};
  Image img2 = buildFor(Cpu::CortexM7, fmt::format("  push {{r4, lr}}\n  bl {}\n  pop {{r4, pc}}",
                                                   arm::rt::importSymbol("env.dd")), {dd});
  env.host = [](const mir::Import &, std::span<const uint64_t> args) {
    return std::vector<uint64_t>{args[0] ^ 0x8000'0000'0000'0001ull};
  };
  CHECK(runTyped(img2, "d:d", {b64(0.1)}, env) == (b64(0.1) ^ 0x8000'0000'0000'0001ull));
}

TEST_CASE("vfp abi cortex-m4: a float-typed signature is refused, it has no S/D registers") {
  if (!haveAs()) return;
  Image img = buildFor(Cpu::CortexM4, "  bx lr");
  mir::ExecEnv env;
  RunResult r = run(img, "f", sigOf("f:i"), std::vector<uint64_t>{0}, env);
  CHECK(r.status == Status::Fault);
  CHECK_MESSAGE(r.error.find("cortex-m4 has no FPU") != std::string::npos, r.error);
  const mir::Import fi{"env.fi", {{mir::ValType::F32}, {}}};
  Image withImport = buildFor(Cpu::CortexM4, fmt::format("  push {{r4, lr}}\n  bl {}\n  pop {{r4, pc}}",
                                                         arm::rt::importSymbol("env.fi")), {fi});
  r = run(withImport, "f", sigOf(""), {}, env);
  CHECK(r.status == Status::Fault);
  CHECK_MESSAGE(r.error.find("import 'env.fi' has f32/f64 values") != std::string::npos, r.error);
}

TEST_CASE("vfp abi: the interpreter's own AAPCS-VFP placement equals arm::paramLocations") {
  std::mt19937 rng(1405);
  const mir::ValType all[] = {mir::ValType::I32, mir::ValType::I64, mir::ValType::F32, mir::ValType::F64};
  unsigned vfpOnStack = 0;
  for (unsigned round = 0; round < 2000; ++round) {
    mir::Signature sig;
    std::vector<mir::ValType> opType;  // the type of each operand
    const unsigned n = rng() % 24;
    for (unsigned k = 0; k < n; ++k) {
      sig.params.push_back(all[rng() % 4]);
      opType.insert(opType.end(), mir::operandsOf(sig.params.back()), sig.params.back());
    }
    const auto want = arm::paramLocations(sig);
    const auto got = mir::interp_detail::placeParams(sig);
    REQUIRE(got.words.size() == want.size());
    CHECK(got.stackBytes == arm::stackArgBytes(sig));
    for (size_t k = 0; k < want.size(); ++k) {
      const arm::WordLoc &w = want[k];
      const mir::interp_detail::WordLoc &g = got.words[k];
      CAPTURE(round);
      CAPTURE(k);
      CHECK(g.onStack == w.onStack);
      CHECK(g.bytes == w.bytes);
      if (w.onStack) {
        CHECK(g.offset == w.offset);
        if (mir::isVfpType(opType[k])) ++vfpOnStack;
      } else if (w.vfp == arm::WordLoc::Vfp::None) {
        CHECK(g.vfp == mir::interp_detail::WordLoc::Vfp::None);
        CHECK(g.reg == static_cast<unsigned>(w.reg));
      } else {
        CHECK(static_cast<unsigned>(g.vfp) == static_cast<unsigned>(w.vfp));
        CHECK(g.reg == w.vfpReg);
      }
    }
  }
  CHECK(vfpOnStack > 100);  // the random signatures reach the stack
}
