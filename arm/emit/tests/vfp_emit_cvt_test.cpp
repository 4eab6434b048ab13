// Emitted VFP conversions (trapping truncations at their exact bounds), VRINT, fload/fstore, VLDR/VSTR slots and VPUSH/VPOP in Unicorn.
#include "arm/emit/tests/vfp_emit_util.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>
#include <optional>

using namespace vcr;
using namespace vcr::emit::test;
using arm::Cpu;
using Status = exec::RunResult::Status;

namespace {

/// wasm's i32.trunc_f32/f64_s/u on the host: the value, or the trap (nullopt value).
struct Want {
  std::optional<uint32_t> value;
  mir::TrapReason trap = mir::TrapReason::Unreachable;
};

Want truncRef(double x, bool isSigned, bool sat) {
  if (std::isnan(x)) return sat ? Want{0u} : Want{std::nullopt, mir::TrapReason::BadConversion};
  const double t = std::trunc(x), lo = isSigned ? -2147483648.0 : 0.0, hi = isSigned ? 2147483647.0 : 4294967295.0;
  if (t < lo || t > hi) {
    if (!sat) return {std::nullopt, mir::TrapReason::Overflow};
    return Want{static_cast<uint32_t>(isSigned ? (t < lo ? 0x80000000u : 0x7fffffffu) : (t < lo ? 0u : 0xffffffffu))};
  }
  return Want{isSigned ? static_cast<uint32_t>(static_cast<int32_t>(t)) : static_cast<uint32_t>(t)};
}

/// Inputs around every bound of the truncations, plus NaNs and infinities.
std::vector<double> truncInputs() {
  std::vector<double> v{0.0, -0.0, 1.9, -1.9, -0.5, 0.99999, -0.9999999999999999, -1.0, 2147483647.0,
                        2147483647.9999998, 2147483648.0, -2147483648.0, -2147483648.9999998, -2147483649.0,
                        4294967295.0, 4294967295.9999995, 4294967296.0, 1e300, -1e300,
                        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::quiet_NaN()};
  for (float f : {2147483520.0f, 2147483648.0f, -2147483648.0f, -2147483904.0f, 4294967040.0f, 4294967296.0f,
                  -0.99999994f, std::nextafter(-1.0f, -2.0f)})
    v.push_back(f);
  return v;
}

/// A function of 16 f32 parameters in S0-S15 that sums them into S0 after
/// an instruction of the caller's: every caller-saved S register is live
/// across that instruction, so a VFP scratch must come from elsewhere.
struct AllSLive {
  std::string params, sig, sum;  ///< "s0, ..., s15", "f32, ..., f32", the fadd chain into s0
  AllSLive() {
    for (int k = 0; k < 16; ++k) {
      params += fmt::format("{}s{}", k ? ", " : "", k);
      sig += k ? ", f32" : "f32";
      if (k) sum += fmt::format("  fadd.f32 s0, s0, s{}\n", k);
    }
  }
  /// Arguments k * scale + offset, k = 0..15; `sum` receives their f32 sum in order.
  static std::vector<uint32_t> args(float scale, float offset, float &sum) {
    std::vector<uint32_t> a;
    for (int k = 0; k < 16; ++k) {
      a.push_back(fb(float(k) * scale + offset));
      sum = k ? sum + bf(a.back()) : bf(a.back());
    }
    return a;
  }
};

}  // namespace

TEST_CASE("vfp emit: ftrunc traps badconv on NaN and overflow exactly out of range, ftruncsat saturates") {
  if (!haveArmTools()) return;
  const char *kinds[] = {"ftrunc.s32", "ftrunc.u32", "ftruncsat.s32", "ftruncsat.u32"};
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    ModuleText m;
    for (int k = 0; k < 4; ++k) {
      // operand dies (its register serves) / operand live after (a scratch serves)
      m.fn(fmt::format("s{}a", k), "(f32) -> (i32)", fmt::format("  param s0\n  {}.f32 r0, s0\n  ret r0\n", kinds[k]));
      m.fn(fmt::format("s{}b", k), "(f32) -> (i32)",
           fmt::format("  param s0\n  {}.f32 r1, s0\n  fmovtoint.f32 r0, s0\n  eor r0, r0, r1\n  ret r0\n", kinds[k]));
      if (cpu == Cpu::CortexM7) {
        m.fn(fmt::format("d{}a", k), "(f64) -> (i32)", fmt::format("  param d0\n  {}.f64 r0, d0\n  ret r0\n", kinds[k]));
        m.fn(fmt::format("d{}b", k), "(f64) -> (i32)",
             fmt::format("  param d0\n  {}.f64 r1, d0\n  fmovtoint.f64 r0, r2, d0\n  eor r0, r0, r1\n  ret r0\n", kinds[k]));
      }
    }
    auto mach = buildFor(m.text, cpu);
    unsigned traps = 0;
    for (int k = 0; k < 4; ++k)
      for (double x : truncInputs())
        for (bool dbl : {false, true}) {
          if (dbl && cpu != Cpu::CortexM7) continue;
          const bool exactF32 = double(float(x)) == x || std::isnan(x);
          if (!dbl && !exactF32) continue;
          const Want want = truncRef(x, k % 2 == 0, k >= 2);
          const uint32_t xw = fb(float(x));
          const uint64_t xd = db(x);
          for (char shape : {'a', 'b'}) {
            INFO(arm::cpuName(cpu) << " " << kinds[k] << (dbl ? ".f64 " : ".f32 ") << fmt::format("{:.17g}", x) << " " << shape);
            const std::string name = fmt::format("{}{}{}", dbl ? 'd' : 's', k, shape);
            const exec::RunResult r = dbl ? runS(*mach, name, dwords({xd})) : runS(*mach, name, {xw});
            REQUIRE(r.status != Status::Fault);
            if (!want.value) {
              CHECK(r.status == Status::Trapped);
              CHECK(mir::trapName(r.trap) == mir::trapName(want.trap));
              ++traps;
              continue;
            }
            REQUIRE(r.status == Status::Returned);
            const uint32_t keep = shape == 'a' ? 0u : dbl ? uint32_t(xd) : xw;  // shape b: result ^ operand bits
            CHECK(fmt::format("{:#x}", uint32_t(r.results.at(0))) == fmt::format("{:#x}", *want.value ^ keep));
          }
        }
    CHECK(traps > 20);
  }
}

TEST_CASE("vfp emit: VCVT from integers and between f32 and f64 rounds to nearest even") {
  if (!haveArmTools()) return;
  const uint32_t ints[] = {0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu, 16777217u, 0x7fffffc0u, 0xfffffe80u, 123456789u};
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    ModuleText m;
    m.fn("fs", "(i32) -> (f32)", "  param r0\n  fcvt.f32.s32 s0, r0\n  ret s0\n");
    m.fn("fu", "(i32) -> (f32)", "  param r0\n  fcvt.f32.u32 s3, r0\n  mov s0, s3\n  ret s0\n");
    if (cpu == Cpu::CortexM7) {
      m.fn("ds", "(i32) -> (f64)", "  param r0\n  fcvt.f64.s32 d0, r0\n  ret d0\n");
      m.fn("du", "(i32) -> (f64)", "  param r0\n  fcvt.f64.u32 d2, r0\n  mov d0, d2\n  ret d0\n");
      m.fn("promote", "(f32) -> (f64)", "  param s0\n  fcvt.f64.f32 d0, s0\n  ret d0\n");
      m.fn("demote", "(f64) -> (f32)", "  param d0\n  fcvt.f32.f64 s1, d0\n  mov s0, s1\n  ret s0\n");
    }
    auto mach = buildFor(m.text, cpu);
    for (uint32_t i : ints) {
      INFO(arm::cpuName(cpu) << " " << i);
      CHECK(runS(*mach, "fs", {}, {i}).sregs[0] == fb(float(int32_t(i))));
      CHECK(runS(*mach, "fu", {}, {i}).sregs[0] == fb(float(i)));
      if (cpu != Cpu::CortexM7) continue;
      CHECK(dOf(runS(*mach, "ds", {}, {i}), 0) == db(double(int32_t(i))));
      CHECK(dOf(runS(*mach, "du", {}, {i}), 0) == db(double(i)));
    }
    if (cpu != Cpu::CortexM7) continue;
    for (uint32_t f : f32Values()) {
      const uint64_t got = dOf(runS(*mach, "promote", {f}), 0), want = db(double(bf(f)));
      CHECK_MESSAGE((nan64(want) ? nan64(got) : got == want), fmt::format("{:#x}", f));
    }
    for (uint64_t d : f64Values()) {
      const uint32_t got = runS(*mach, "demote", dwords({d})).sregs[0], want = fb(float(bd(d)));
      CHECK_MESSAGE((nan32(want) ? nan32(got) : got == want), fmt::format("{:#x}", d));
    }
    // round to nearest, ties to even, on demotion: 1 + 2^-24 exactly halfway
    CHECK(runS(*mach, "demote", dwords({db(1.0 + std::ldexp(1.0, -24))})).sregs[0] == fb(1.0f));
    CHECK(runS(*mach, "demote", dwords({db(1.0 + 3 * std::ldexp(1.0, -24))})).sregs[0] == fb(1.0f + std::ldexp(1.0f, -22)));
  }
}

TEST_CASE("vfp emit: fceil ffloor ftrunc fnearest are VRINTP/M/Z/N on cortex-m7") {
  if (!haveArmTools()) return;
  struct R {
    const char *op;
    double (*ref)(double);
  };
  const R ops[] = {{"fceil", [](double x) { return std::ceil(x); }}, {"ffloor", [](double x) { return std::floor(x); }},
                   {"ftrunc", [](double x) { return std::trunc(x); }},
                   {"fnearest", [](double x) { return std::nearbyint(x); }}};  // default mode: ties to even
  ModuleText m;
  for (const R &o : ops) {
    m.fn(fmt::format("{}32", o.op), "(f32) -> (f32)", fmt::format("  param s0\n  {}.f32 s2, s0\n  mov s0, s2\n  ret s0\n", o.op));
    m.fn(fmt::format("{}64", o.op), "(f64) -> (f64)", fmt::format("  param d0\n  {}.f64 d0, d0\n  ret d0\n", o.op));
  }
  auto mach = buildFor(m.text, Cpu::CortexM7);
  const double xs[] = {0.5, -0.5, 1.5, 2.5, -2.5, -0.0, 0.0, 3.7, -3.7, 1e30, -1e-30, 8388607.5, 4503599627370495.5,
                       std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
  for (const R &o : ops)
    for (double x : xs) {
      INFO(o.op << " " << x);
      const float xf = float(x);
      const uint32_t got32 = runS(*mach, fmt::format("{}32", o.op), {fb(xf)}).sregs[0];
      const uint32_t want32 = fb(float(o.ref(double(xf))));
      CHECK((nan32(want32) ? nan32(got32) : got32 == want32));
      const uint64_t got64 = dOf(runS(*mach, fmt::format("{}64", o.op), dwords({db(x)})), 0), want64 = db(o.ref(x));
      CHECK((nan64(want64) ? nan64(got64) : got64 == want64));
    }
}

TEST_CASE("vfp emit: fload/fstore are bounds-checked and work at unaligned addresses") {
  if (!haveArmTools()) return;
  ModuleText m;
  // copy an f32 and an f64 from [a+1] / [a+8] to [a+100] / [a+204]; the address stays live
  m.fn("copy", "(i32) -> (i32)",
       "  param r0\n  fload.f32 s3, [r0+1]\n  fload.f64 d5, [r0+8]\n  fstore.f32 s3, [r0+100]\n"
       "  fstore.f64 d5, [r0+204]\n  ret r0\n");
  m.fn("ld64", "(i32) -> (f64)", "  param r0\n  fload.f64 d0, [r0+3]\n  ret d0\n");
  m.fn("st64", "(i32, f64) -> (i32)", "  param r0, d0\n  fstore.f64 d0, [r0+5]\n  ret r0\n");
  m.fn("last", "(i32) -> (i32)", "  param r0\n  fload.f64 d1, [r0+0]\n  fstore.f64 d1, [r0+0]\n  movi r0, #0\n  ret r0\n");
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    auto mach = buildFor(m.text, cpu);
    for (uint32_t a : {0u, 3u, 1001u}) {
      mir::ExecEnv env;
      env.memory.resize(65536);
      for (size_t i = 0; i < env.memory.size(); ++i) env.memory[i] = static_cast<uint8_t>(i * 37 + 11);
      std::vector<uint8_t> want = env.memory;
      std::memcpy(want.data() + a + 100, want.data() + a + 1, 4);
      std::memcpy(want.data() + a + 204, want.data() + a + 8, 8);
      const exec::RunResult r = runS(*mach, "copy", {}, {a}, &env);
      INFO(arm::cpuName(cpu) << " a=" << a);
      REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
      CHECK(env.memory == want);
      CHECK(r.results.at(0) == a);
      // the D register's low word is the lower address (little-endian), loaded and stored
      uint64_t word = 0;
      std::memcpy(&word, env.memory.data() + a + 3, 8);
      CHECK(dOf(runS(*mach, "ld64", {}, {a}, &env), 0) == word);
      REQUIRE(runS(*mach, "st64", dwords({0x0102030405060708ull}), {a}, &env).status == Status::Returned);
      std::memcpy(&word, env.memory.data() + a + 5, 8);
      CHECK(word == 0x0102030405060708ull);
    }
    // an f64 access ending exactly at the end of memory is in bounds; one byte further traps
    CHECK(runS(*mach, "last", {}, {65528}).status == Status::Returned);
    const exec::RunResult r = runS(*mach, "last", {}, {65529});
    CHECK(r.status == Status::Trapped);
    CHECK(r.trap == mir::TrapReason::OutOfBounds);
  }
}

TEST_CASE("vfp emit: lds/sts of D and S registers (slot low word at sp+N, high at sp+N+4), VPUSH/VPOP keep S16-S31") {
  if (!haveArmTools()) return;
  ModuleText m;
  // spill d0 and s2, clobber them, reload d3 from the D slot and its halves as S registers;
  // the callee-saved s16, s17, d9 (s18, s19) and s24 hold values in between and are saved by VPUSH/VPOP
  const std::string body =
      "  param d0, s2\n  push s16, s17, d9, s24\n  adjsp #-2000\n  sts [sp+0], d0\n  sts [sp+1600], s2\n"
      "  fconst.f64 d0, #0, #0\n  fconst.f32 s2, #0\n  lds d9, [sp+0]\n  lds s17, [sp+4]\n  lds s16, [sp+1600]\n"
      "  lds s24, [sp+0]\n  fadd.f32 s16, s16, s17\n  fmovtoint.f32 r0, s24\n  fmovtoint.f64 r1, r2, d9\n"
      "  eor r0, r0, r1\n  fmovtoint.f32 r1, s16\n  add r0, r0, r1\n  adjsp #2000\n  pop s16, s17, d9, s24\n  ret r0\n";
  m.fn("frame", "(f64, f32) -> (i32)", body);
  m.fn("noSave", "(f32) -> (i32)", "  param s0\n  mov s20, s0\n  movi r0, #0\n  ret r0\n");
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    std::string text;
    auto mach = buildFor(m.text, cpu, &text);
    CHECK(text.find("vpush {s24}") != std::string::npos);
    CHECK(text.find("vpush {s16-s19}") != std::string::npos);
    const uint64_t d = db(-6.25);
    const float s = 2.5f;
    const exec::RunResult r = runS(*mach, "frame", {uint32_t(d), uint32_t(d >> 32), fb(s)});
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);  // a callee-saved S changed would be a Fault
    const uint32_t want = (uint32_t(d) ^ uint32_t(d)) + fb(s + bf(uint32_t(d >> 32)));
    CHECK(uint32_t(r.results.at(0)) == want);
    // the test can fail: a callee-saved S register written without VPUSH/VPOP is caught
    const exec::RunResult bad = runS(*mach, "noSave", {fb(1.0f)});
    CHECK(bad.status == Status::Fault);
    CHECK(bad.error.find("s20") != std::string::npos);
  }
}

TEST_CASE("vfp emit: with S0-S15 all live and nothing saved, a VFP scratch is borrowed with VPUSH/VPOP") {
  if (!haveArmTools()) return;
  const AllSLive f;
  ModuleText m;
  for (const char *op : {"ftruncsat", "ftrunc"})
    m.fn(op, "(" + f.sig + ") -> (i32)",
         fmt::format("  param {}\n  {}.s32.f32 r0, s3\n{}  fmovtoint.f32 r1, s0\n  add r0, r0, r1\n  ret r0\n", f.params,
                     op, f.sum));
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    std::string text;
    auto mach = buildFor(m.text, cpu, &text);
    CHECK(text.find("vpush {s15}") != std::string::npos);
    CHECK(text.find("vpop {s15}") != std::string::npos);
    float want = 0;
    std::vector<uint32_t> args = AllSLive::args(1.25f, -3.0f, want);
    for (const char *op : {"ftruncsat", "ftrunc"}) {
      INFO(arm::cpuName(cpu) << " " << op);
      const exec::RunResult r = runS(*mach, op, args);
      REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
      CHECK(uint32_t(r.results.at(0)) == uint32_t(int32_t(std::trunc(bf(args[3])))) + fb(want));
    }
    args[3] = 0x7fc00000u;
    const exec::RunResult r = runS(*mach, "ftrunc", args);
    CHECK(r.status == Status::Trapped);
    CHECK(r.trap == mir::TrapReason::BadConversion);
  }
}

TEST_CASE("vfp emit: a callee-saved S register pushed but never popped is no scratch (its entry value is read at return)") {
  if (!haveArmTools()) return;
  // S0-S15 all live across a trapping ftrunc, which needs two VFP scratch
  // registers. The prologue pushes s16 and the epilogue drops the copy
  // (adjsp): s16 is never written, so the allocation is correct (the
  // checker proves it) and s16 must reach the return as it was. It used to
  // be taken as scratch, because a push counted as a save whether or not a
  // pop restored it (a soundness probe found it, session 21).
  const AllSLive f;
  ModuleText m;
  m.fn("dropped", "(" + f.sig + ") -> (i32)",
       fmt::format("  param {}\n  push s16\n  ftrunc.s32.f32 r0, s3\n{}  fmovtoint.f32 r1, s0\n  add r0, r0, r1\n"
                   "  adjsp #4\n  ret r0\n",
                   f.params, f.sum));
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    INFO(arm::cpuName(cpu));
    std::string text;
    auto mach = buildFor(m.text, cpu, &text);
    const std::string body = bodyOf(text, "dropped");
    CHECK(body.find("s16,") == std::string::npos);  // never a destination
    CHECK(body.find("vpush {s15}") != std::string::npos);  // a borrowed scratch instead
    float want = 0;
    const std::vector<uint32_t> args = AllSLive::args(0.75f, -2.0f, want);
    // (the harness faults a run whose S16-S31 differ at return from entry)
    const exec::RunResult r = runS(*mach, "dropped", args);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(uint32_t(r.results.at(0)) == uint32_t(int32_t(std::trunc(bf(args[3])))) + fb(want));
  }
}
