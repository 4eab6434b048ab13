// Tests of VFP code per CPU: hand-written FPv4-SP / FPv5-D16 functions built and run in Unicorn.
#include "arm/exec/exec.h"
#include "arm/exec/process.h"
#include "arm/exec/tests/exec_test_util.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

using namespace vcr;
using namespace vcr::exec;
using namespace vcr::exec::test;
using Status = RunResult::Status;
using arm::Cpu;

namespace {

uint32_t fbits(float f) { return std::bit_cast<uint32_t>(f); }
uint32_t lo(double d) { return static_cast<uint32_t>(std::bit_cast<uint64_t>(d)); }
uint32_t hi(double d) { return static_cast<uint32_t>(std::bit_cast<uint64_t>(d) >> 32); }

/// Build function `f` from `body` for `cpu` (the test fails if it does not build).
Image buildFor(Cpu cpu, std::string_view body) {
  BuildOptions o;
  o.cpu = cpu;
  return mustBuild(asmHeader() + thumbFunction("f", body), o);
}

/// Run `f` of `img` with S0, S1, ... = sArgs and core args per `sig`.
RunResult runF(const Image &img, std::vector<uint32_t> sArgs, std::string_view sig = "",
               std::vector<uint64_t> args = {}) {
  mir::ExecEnv env;
  RunOptions ro;
  ro.sArgs = std::move(sArgs);
  return run(img, "f", sigOf(sig), args, env, ro);
}

bool haveAs() { return vcr::testing::toolAvailable("arm-none-eabi-as"); }

}  // namespace

TEST_CASE("vfp cortex-m4f: VADD VMUL VDIV VSQRT .F32 round like IEEE single precision") {
  if (!haveAs()) return;
  struct Op {
    const char *insn;
    float (*ref)(float, float);
  };
  const Op ops[] = {{"vadd.f32 s0, s0, s1", [](float a, float b) { return a + b; }},
                    {"vmul.f32 s0, s0, s1", [](float a, float b) { return a * b; }},
                    {"vdiv.f32 s0, s0, s1", [](float a, float b) { return a / b; }},
                    {"vsqrt.f32 s0, s0", [](float a, float) { return std::sqrt(a); }}};
  const float inputs[][2] = {{1.5f, 2.25f}, {1.0f, 3.0f}, {2.0f, 7.0f}, {1e30f, 1e-7f}, {-0.0f, 0.1f}};
  for (const Op &op : ops) {
    Image img = buildFor(Cpu::CortexM4F, fmt::format("  {}\n  bx lr", op.insn));
    CHECK(img.cpu == Cpu::CortexM4F);
    for (const auto &in : inputs) {
      RunResult r = runF(img, {fbits(in[0]), fbits(in[1])});
      INFO(op.insn << " on " << in[0] << ", " << in[1]);
      REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
      CHECK(r.sregs[0] == fbits(op.ref(in[0], in[1])));
      CHECK(r.insns == 2);
    }
  }
}

TEST_CASE("vfp: a NaN operand's payload propagates at reset (FPSCR 0), and RunOptions::defaultNaN gives the canonical NaN") {
  if (!haveAs()) return;
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    INFO(arm::cpuName(cpu));
    Image add = buildFor(cpu, "  vadd.f32 s0, s0, s1\n  vmov r0, s0\n  bx lr");
    for (bool dn : {false, true}) {
      mir::ExecEnv env;
      RunOptions ro;
      ro.sArgs = {0xffc00001u, fbits(1.0f)};
      ro.defaultNaN = dn;
      RunResult r = run(add, "f", sigOf(":i"), {}, env, ro);
      REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
      CHECK(r.results.at(0) == (dn ? 0x7fc00000u : 0xffc00001u));
      if (cpu != Cpu::CortexM7) continue;  // f64 arithmetic: the M7's double precision
      Image addD = buildFor(cpu, "  vcvt.f64.f32 d1, s0\n  vadd.f64 d1, d1, d1\n  vmov r0, r1, d1\n  bx lr");
      RunResult d = run(addD, "f", sigOf(":l"), {}, env, ro);
      REQUIRE_MESSAGE(d.status == Status::Returned, d.error);
      CHECK(d.results.at(0) == (dn ? 0x7ff8000000000000ull : 0xfff8000020000000ull));
    }
  }
}

TEST_CASE("vfp cortex-m4f: VCMP.F32 and VMRS give the IEEE comparison flags") {
  if (!haveAs()) return;
  Image flags = buildFor(Cpu::CortexM4F, "  vcmp.f32 s0, s1\n  vmrs r0, fpscr\n  lsrs r0, r0, #28\n  bx lr");
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // NZCV: less 1000, equal 0110, greater 0010, unordered 0011
  const struct {
    float a, b;
    uint64_t nzcv;
  } cases[] = {{1, 2, 8}, {2, 2, 6}, {-0.0f, 0.0f, 6}, {3, 2, 2}, {nan, 1, 3}, {1, nan, 3}};
  for (const auto &c : cases) {
    RunResult r = runF(flags, {fbits(c.a), fbits(c.b)}, ":i");
    INFO(c.a << " vs " << c.b);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == c.nzcv);
  }
  // VMRS APSR_nzcv, FPSCR feeds a conditional: a < b (false on NaN).
  Image lt = buildFor(Cpu::CortexM4F, "  vcmp.f32 s0, s1\n  vmrs APSR_nzcv, fpscr\n  ite mi\n"
                                      "  movmi r0, #1\n  movpl r0, #0\n  bx lr");
  CHECK(runF(lt, {fbits(1), fbits(2)}, ":i").results.at(0) == 1);
  CHECK(runF(lt, {fbits(2), fbits(1)}, ":i").results.at(0) == 0);
  CHECK(runF(lt, {fbits(nan), fbits(1)}, ":i").results.at(0) == 0);
}

TEST_CASE("vfp cortex-m4f: VCVT.S32.F32 truncates and saturates, VMOV moves bits between r and s") {
  if (!haveAs()) return;
  Image cvt = buildFor(Cpu::CortexM4F, "  vcvt.s32.f32 s0, s0\n  vmov r0, s0\n  bx lr");
  const struct {
    float in;
    uint32_t out;
  } cases[] = {{-7.75f, static_cast<uint32_t>(-7)}, {2.5f, 2}, {1e10f, 0x7fffffffu},
               {-1e10f, 0x80000000u}, {std::numeric_limits<float>::quiet_NaN(), 0}};
  for (const auto &c : cases) {
    RunResult r = runF(cvt, {fbits(c.in)}, ":i");
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK_MESSAGE(r.results.at(0) == c.out, c.in);
  }
  // r0 -> s5 -> r1 -> s0 (result) and s7 -> r0 (core result): bits unchanged.
  Image mov = buildFor(Cpu::CortexM4F, "  vmov s5, r0\n  vmov r1, s5\n  vmov s0, r1\n  vmov r0, s7\n  bx lr");
  std::vector<uint32_t> s(8, 0);
  s[7] = 0x7fc00001u;  // a NaN payload survives a move
  RunResult r = runF(mov, s, "i:i", {0xdeadbeefu});
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.sregs[0] == 0xdeadbeefu);
  CHECK(r.sregs[5] == 0xdeadbeefu);
  CHECK(r.results.at(0) == 0x7fc00001u);
}

TEST_CASE("vfp cortex-m4f: VLDR and VSTR reach linear memory") {
  if (!haveAs()) return;
  Image img = buildFor(Cpu::CortexM4F, "  vstr s0, [r11, #8]\n  vldr s2, [r11, #8]\n"
                                       "  vadd.f32 s0, s2, s2\n  vstr s0, [r11, #12]\n  bx lr");
  mir::ExecEnv env;
  env.memory.assign(64, 0);
  RunOptions ro;
  ro.sArgs = {fbits(1.25f)};
  RunResult r = run(img, "f", sigOf(""), {}, env, ro);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.sregs[0] == fbits(2.5f));
  CHECK(r.sregs[2] == fbits(1.25f));
  CHECK(r.loads == 1);
  CHECK(r.stores == 2);
  uint32_t w8 = 0, w12 = 0;
  std::memcpy(&w8, env.memory.data() + 8, 4);
  std::memcpy(&w12, env.memory.data() + 12, 4);
  CHECK(w8 == fbits(1.25f));
  CHECK(w12 == fbits(2.5f));
}

TEST_CASE("vfp cortex-m4f: S16-S31 are callee-saved: VPUSH/VPOP keeps them, a clobber is a fault") {
  if (!haveAs()) return;
  Image good = buildFor(Cpu::CortexM4F, "  vpush {s16-s31}\n  vmov.f32 s16, #1.0\n  vmov.f32 s31, #2.0\n"
                                        "  vadd.f32 s0, s16, s31\n  vpop {s16-s31}\n  bx lr");
  RunResult r = runF(good, {});
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.sregs[0] == fbits(3.0f));
  CHECK(r.stores == 16);  // one per word pushed
  CHECK(r.loads == 16);
  Image bad = buildFor(Cpu::CortexM4F, "  vmov.f32 s17, #1.0\n  vmov.f32 s0, s1\n  bx lr");
  r = runF(bad, {});
  CHECK(r.status == Status::Fault);
  CHECK_MESSAGE(r.error.find("callee-saved s17 not restored") != std::string::npos, r.error);
  // S0-S15 are scratch: changing them is fine.
  CHECK(runF(buildFor(Cpu::CortexM4F, "  vmov.f32 s15, #1.0\n  bx lr"), {}).status == Status::Returned);
}

TEST_CASE("vfp cortex-m7: VADD.F64 VMUL.F64 VCVT.F64.F32 in double precision") {
  if (!haveAs()) return;
  Image add = buildFor(Cpu::CortexM7, "  vadd.f64 d0, d0, d1\n  bx lr");
  Image mul = buildFor(Cpu::CortexM7, "  vmul.f64 d0, d0, d1\n  bx lr");
  Image cvt = buildFor(Cpu::CortexM7, "  vcvt.f64.f32 d0, s4\n  bx lr");
  CHECK(add.cpu == Cpu::CortexM7);
  const double pairs[][2] = {{1.5, 2.25}, {0.1, 0.2}, {1e300, 1e10}, {-3.0, 1.0 / 3.0}};
  for (const auto &p : pairs) {
    const std::vector<uint32_t> s{lo(p[0]), hi(p[0]), lo(p[1]), hi(p[1])};
    RunResult a = runF(add, s), m = runF(mul, s);
    REQUIRE_MESSAGE(a.status == Status::Returned, a.error);
    REQUIRE_MESSAGE(m.status == Status::Returned, m.error);
    CHECK(a.sregs[0] == lo(p[0] + p[1]));
    CHECK(a.sregs[1] == hi(p[0] + p[1]));
    CHECK(m.sregs[0] == lo(p[0] * p[1]));
    CHECK(m.sregs[1] == hi(p[0] * p[1]));
  }
  RunResult c = runF(cvt, {0, 0, 0, 0, fbits(0.1f)});
  REQUIRE_MESSAGE(c.status == Status::Returned, c.error);
  CHECK(c.sregs[0] == lo(static_cast<double>(0.1f)));
  CHECK(c.sregs[1] == hi(static_cast<double>(0.1f)));
  // Single precision runs on the M7 as well.
  RunResult f = runF(buildFor(Cpu::CortexM7, "  vdiv.f32 s0, s0, s1\n  bx lr"), {fbits(1), fbits(3)});
  CHECK(f.sregs[0] == fbits(1.0f / 3.0f));
}

TEST_CASE("vfp negative: no FPU on cortex-m4, no double precision on cortex-m4f") {
  if (!haveAs()) return;
  // The assembler refuses VFP for cortex-m4 and F64 for cortex-m4f.
  BuildResult b = buildImage(asmHeader() + thumbFunction("f", "  vadd.f32 s0, s0, s1\n  bx lr"));
  CHECK_FALSE(b.ok);
  BuildOptions m4f;
  m4f.cpu = Cpu::CortexM4F;
  b = buildImage(asmHeader() + thumbFunction("f", "  vadd.f64 d0, d0, d1\n  bx lr"), m4f);
  CHECK_FALSE(b.ok);
  CHECK_MESSAGE(b.error.find("vadd.f64") != std::string::npos, b.error);
  // Code built for cortex-m4f, run on cortex-m4: a fault that names the instruction.
  Image img = buildFor(Cpu::CortexM4F, "  movs r0, #1\n  vadd.f32 s0, s0, s1\n  bx lr");
  img.cpu = Cpu::CortexM4;
  for (bool count : {true, false}) {
    mir::ExecEnv env;
    RunOptions ro;
    ro.countInsns = count;
    RunResult r = run(img, "f", sigOf(""), {}, env, ro);
    CHECK(r.status == Status::Fault);
    CHECK_MESSAGE(r.error.find("no FPU") != std::string::npos, r.error);
    CHECK_MESSAGE(r.error.find(fmt::format("0x{:x}", img.find("f") + 2)) != std::string::npos, r.error);
  }
  // A double-precision encoding on the M4F model is an invalid instruction.
  Image f64 = buildFor(Cpu::CortexM4F, "  .inst.w 0xee300b01\n  bx lr");  // vadd.f64 d0, d0, d1
  RunResult r = runF(f64, {});
  CHECK(r.status == Status::Fault);
  CHECK_MESSAGE(r.error.find("invalid instruction") != std::string::npos, r.error);
  // The models are the Cortex-M4/M7 (ARMv7E-M), not Unicorn's M-class default, the
  // Cortex-M33: the ARMv8-M TT instruction is undefined on both.
  for (Cpu cpu : {Cpu::CortexM4, Cpu::CortexM7}) {
    RunResult t = runF(buildFor(cpu, "  .inst.w 0xe841f000\n  bx lr"), {});  // tt r0, r1
    CHECK(t.status == Status::Fault);
    CHECK_MESSAGE(t.error.find("invalid instruction") != std::string::npos, t.error);
  }
}

TEST_CASE("vfp libgcc: each CPU links its multilib, hard-float members included") {
  if (!vcr::testing::toolAvailable("arm-none-eabi-gcc")) return;
  CHECK(libgccFor(Cpu::CortexM4).find("thumb/v7e-m/nofp/libgcc.a") != std::string::npos);
  CHECK(libgccFor(Cpu::CortexM4F).find("thumb/v7e-m+fp/hard/libgcc.a") != std::string::npos);
  CHECK(libgccFor(Cpu::CortexM7).find("thumb/v7e-m+dp/hard/libgcc.a") != std::string::npos);
  CHECK(softFloatLibgcc() == libgccFor(Cpu::CortexM4));
  // __aeabi_uldivmod pulls _udivmoddi4.o, compiled from C with the AAPCS-VFP
  // tag; the object declares IEEE floats as the clang-compiled float runtime
  // embedded in emitted code does (Tag_ABI_FP_number_model), so ld checks
  // that both use the same variant of the procedure call standard.
  for (Cpu cpu : {Cpu::CortexM4, Cpu::CortexM4F, Cpu::CortexM7}) {
    BuildOptions o;
    o.cpu = cpu;
    o.libraries.push_back(libgccFor(cpu));
    BuildResult b = buildImage(asmHeader() + ".eabi_attribute Tag_ABI_FP_number_model, 3\n" + thumbFunction("f", "  push {r4, lr}\n  bl __aeabi_uldivmod\n"
                                                                "  adds r0, r0, r2\n  pop {r4, pc}"),
                               o);
    REQUIRE_MESSAGE(b.ok, b.error);
    mir::ExecEnv env;
    const std::vector<uint64_t> args{1000000000007ULL, 1000};
    RunResult r = run(b.image, "f", sigOf("ll:i"), args, env);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == 1000000000ULL + 7);  // quotient + remainder (low words)
  }
}

TEST_CASE("vfp clang-14 hard float: objects for cortex-m4f and cortex-m7 link with their libgcc and run") {
  if (!vcr::testing::toolAvailable("clang-14") || !vcr::testing::toolAvailable("arm-none-eabi-gcc")) return;
  TempDir dir;
  REQUIRE(dir.ok());
  const std::string c = dir.path() + "/k.c";
  REQUIRE(writeFile(c, "float fma1(float a, float b) { return a * b + 1.0f; }\n"
                       "double dmul(double a, double b) { return a * b; }\n"
                       "unsigned long long udiv(unsigned long long a, unsigned long long b) { return a / b; }\n"));
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    INFO(arm::cpuName(cpu));
    const std::string o = dir.path() + "/k_" + std::string(arm::cpuName(cpu)) + ".o";
    std::vector<std::string> argv{"clang-14", "--target=thumbv7em-none-eabi", "-mthumb", "-O2", "-fno-addrsig",
                                  "-ffreestanding", "-c", "-o", o, c};
    std::istringstream flags{std::string(arm::cpuFlags(cpu))};
    for (std::string f; flags >> f;) argv.push_back(f);
    ToolResult cc = runTool(argv, dir.path());
    REQUIRE_MESSAGE(cc.ok, cc.output);
    BuildOptions bo;
    bo.cpu = cpu;
    bo.libraries.push_back(libgccFor(cpu));
    BuildResult b = buildImageFromObject(o, bo);
    REQUIRE_MESSAGE(b.ok, b.error);
    mir::ExecEnv env;
    RunOptions ro;
    ro.sArgs = {fbits(1.5f), fbits(3.0f)};  // AAPCS-VFP: a in s0, b in s1, result in s0
    RunResult r = run(b.image, "fma1", sigOf(""), {}, env, ro);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.sregs[0] == fbits(5.5f));
    ro.sArgs = {lo(0.1), hi(0.1), lo(3.0), hi(3.0)};  // d0, d1; on cortex-m4f a libgcc call
    r = run(b.image, "dmul", sigOf(""), {}, env, ro);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.sregs[0] == lo(0.1 * 3.0));
    CHECK(r.sregs[1] == hi(0.1 * 3.0));
    const std::vector<uint64_t> args{1000000000007ULL, 1000};
    r = run(b.image, "udiv", sigOf("ll:l"), args, env);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == 1000000000ULL);
  }
}
