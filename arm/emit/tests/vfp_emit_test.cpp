// Emitted VFP arithmetic, compares, selects, constants and moves run in Unicorn (cortex-m4f, cortex-m7) bit for bit like host IEEE.
#include "arm/emit/tests/vfp_emit_util.h"

#include <fmt/format.h>

#include <functional>

using namespace vcr;
using namespace vcr::emit::test;
using arm::Cpu;
using Status = exec::RunResult::Status;

namespace {

/// Host reference of a binary f32 operation on bit patterns.
using Ref32 = std::function<uint32_t(uint32_t, uint32_t)>;
using Ref64 = std::function<uint64_t(uint64_t, uint64_t)>;

uint32_t copysign32(uint32_t a, uint32_t b) { return (a & 0x7fffffffu) | (b & 0x80000000u); }
uint64_t copysign64(uint64_t a, uint64_t b) {
  return (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull);
}

struct Op32 {
  const char *mir;
  bool unary, bitOp;  ///< bit operations compare NaNs exactly too
  Ref32 ref;
};
struct Op64 {
  const char *mir;
  bool unary, bitOp;
  Ref64 ref;
};

const std::vector<Op32> &ops32() {
  static const std::vector<Op32> ops{
      {"fadd", false, false, [](uint32_t a, uint32_t b) { return fb(bf(a) + bf(b)); }},
      {"fsub", false, false, [](uint32_t a, uint32_t b) { return fb(bf(a) - bf(b)); }},
      {"fmul", false, false, [](uint32_t a, uint32_t b) { return fb(bf(a) * bf(b)); }},
      {"fdiv", false, false, [](uint32_t a, uint32_t b) { return fb(bf(a) / bf(b)); }},
      {"fsqrt", true, false, [](uint32_t a, uint32_t) { return fb(std::sqrt(bf(a))); }},
      {"fabs", true, true, [](uint32_t a, uint32_t) { return a & 0x7fffffffu; }},
      {"fneg", true, true, [](uint32_t a, uint32_t) { return a ^ 0x80000000u; }},
      {"fcopysign", false, true, copysign32}};
  return ops;
}

const std::vector<Op64> &ops64() {
  static const std::vector<Op64> ops{
      {"fadd", false, false, [](uint64_t a, uint64_t b) { return db(bd(a) + bd(b)); }},
      {"fsub", false, false, [](uint64_t a, uint64_t b) { return db(bd(a) - bd(b)); }},
      {"fmul", false, false, [](uint64_t a, uint64_t b) { return db(bd(a) * bd(b)); }},
      {"fdiv", false, false, [](uint64_t a, uint64_t b) { return db(bd(a) / bd(b)); }},
      {"fsqrt", true, false, [](uint64_t a, uint64_t) { return db(std::sqrt(bd(a))); }},
      {"fabs", true, true, [](uint64_t a, uint64_t) { return a & 0x7fffffffffffffffull; }},
      {"fneg", true, true, [](uint64_t a, uint64_t) { return a ^ 0x8000000000000000ull; }},
      {"fcopysign", false, true, copysign64}};
  return ops;
}

/// The f64 operations FPv4-SP can do: bit operations on the halves.
bool m4fHas64(const Op64 &op) { return op.bitOp; }

/// Two shapes per operation: in place (d0 = op d0, d1) and into another register from swapped homes.
std::string body32(const Op32 &op, int shape) {
  if (shape == 0)
    return op.unary ? fmt::format("  param s0, s1\n  {}.f32 s0, s0\n  ret s0\n", op.mir)
                    : fmt::format("  param s0, s1\n  {}.f32 s0, s0, s1\n  ret s0\n", op.mir);
  return op.unary ? fmt::format("  param s0, s1\n  mov s9, s0\n  {}.f32 s5, s9\n  mov s0, s5\n  ret s0\n", op.mir)
                  : fmt::format("  param s0, s1\n  mov s9, s1\n  mov s3, s0\n  {}.f32 s1, s3, s9\n"
                                "  mov s0, s1\n  ret s0\n", op.mir);
}

std::string body64(const Op64 &op, int shape) {
  if (shape == 0)
    return op.unary ? fmt::format("  param d0, d1\n  {}.f64 d0, d0\n  ret d0\n", op.mir)
                    : fmt::format("  param d0, d1\n  {}.f64 d0, d0, d1\n  ret d0\n", op.mir);
  return op.unary ? fmt::format("  param d0, d1\n  mov d6, d0\n  {}.f64 d2, d6\n  mov d0, d2\n  ret d0\n", op.mir)
                  : fmt::format("  param d0, d1\n  mov d7, d1\n  mov d3, d0\n  {}.f64 d1, d3, d7\n"
                                "  mov d0, d1\n  ret d0\n", op.mir);
}

}  // namespace

TEST_CASE("vfp emit: f32 arithmetic and sign operations run like host IEEE (cortex-m4f, cortex-m7)") {
  if (!haveArmTools()) return;
  ModuleText m;
  for (const Op32 &op : ops32())
    for (int shape = 0; shape < 2; ++shape) m.fn(fmt::format("{}{}", op.mir, shape), "(f32, f32) -> (f32)", body32(op, shape));
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    auto mach = buildFor(m.text, cpu);
    unsigned runs = 0;
    for (const Op32 &op : ops32())
      for (int shape = 0; shape < 2; ++shape)
        for (uint32_t a : f32Values())
          for (uint32_t b : f32Values()) {
            const exec::RunResult r = runS(*mach, fmt::format("{}{}", op.mir, shape), {a, b});
            INFO(arm::cpuName(cpu) << " " << op.mir << shape << fmt::format(" {:#x} {:#x}", a, b));
            REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
            const uint32_t want = op.ref(a, b), got = r.sregs[0];
            if (!op.bitOp && nan32(want)) CHECK(nan32(got));
            else CHECK(fmt::format("{:#x}", got) == fmt::format("{:#x}", want));
            ++runs;
          }
    CHECK(runs == 16 * f32Values().size() * f32Values().size());
  }
}

TEST_CASE("vfp emit: f64 arithmetic on cortex-m7, f64 sign operations on cortex-m4f, like host IEEE") {
  if (!haveArmTools()) return;
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    ModuleText m;
    for (const Op64 &op : ops64())
      if (cpu == Cpu::CortexM7 || m4fHas64(op))
        for (int shape = 0; shape < 2; ++shape)
          m.fn(fmt::format("{}{}", op.mir, shape), "(f64, f64) -> (f64)", body64(op, shape));
    auto mach = buildFor(m.text, cpu);
    for (const Op64 &op : ops64()) {
      if (cpu != Cpu::CortexM7 && !m4fHas64(op)) continue;
      for (int shape = 0; shape < 2; ++shape)
        for (uint64_t a : f64Values())
          for (uint64_t b : f64Values()) {
            const exec::RunResult r = runS(*mach, fmt::format("{}{}", op.mir, shape), dwords({a, b}));
            INFO(arm::cpuName(cpu) << " " << op.mir << shape << fmt::format(" {:#x} {:#x}", a, b));
            REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
            const uint64_t want = op.ref(a, b), got = dOf(r, 0);
            if (!op.bitOp && nan64(want)) CHECK(nan64(got));
            else CHECK(fmt::format("{:#x}", got) == fmt::format("{:#x}", want));
          }
    }
  }
}

TEST_CASE("vfp emit: f64 arithmetic, VRINT and min/max are declined on cortex-m4f, all VFP code on cortex-m4") {
  auto declined = [](const std::string &body, const std::string &sig, Cpu cpu) {
    emit::EmitOptions o;
    o.cpu = cpu;
    const emit::EmitResult er = emitText("func @f" + sig + " allocated {\nbb0:\n" + body + "}\n", o);
    return er.declined.empty() ? std::string() : er.declined[0].reason;
  };
  const std::string add64 = "  param d0, d1\n  fadd.f64 d0, d0, d1\n  ret d0\n";
  CHECK(declined(add64, "(f64, f64) -> (f64)", Cpu::CortexM4F).find("double-precision") != std::string::npos);
  CHECK(declined(add64, "(f64, f64) -> (f64)", Cpu::CortexM7).empty());
  const std::string ceil = "  param s0\n  fceil.f32 s0, s0\n  ret s0\n";
  CHECK(declined(ceil, "(f32) -> (f32)", Cpu::CortexM4F).find("VRINT") != std::string::npos);
  CHECK(declined(ceil, "(f32) -> (f32)", Cpu::CortexM7).empty());
  CHECK(declined("  param s0, s1\n  fmin.f32 s0, s0, s1\n  ret s0\n", "(f32, f32) -> (f32)", Cpu::CortexM7)
            .find("fmin.f32") != std::string::npos);
  const std::string add32 = "  param s0, s1\n  fadd.f32 s0, s0, s1\n  ret s0\n";
  CHECK(declined(add32, "(f32, f32) -> (f32)", Cpu::CortexM4).find("no FPU") != std::string::npos);
  CHECK(declined(add32, "(f32, f32) -> (f32)", Cpu::CortexM4F).empty());
  CHECK(declined("  param d0\n  ftrunc.s32.f64 r0, d0\n  ret r0\n", "(f64) -> (i32)", Cpu::CortexM4F)
            .find("ftrunc.s32.f64") != std::string::npos);
}

TEST_CASE("vfp emit: fset is wasm's ordered comparison (false on NaN except ne)") {
  if (!haveArmTools()) return;
  const char *conds[] = {"eq", "ne", "lt", "gt", "le", "ge"};
  auto host = [](int c, auto a, auto b) {
    switch (c) {
    case 0: return a == b;
    case 1: return !(a == b);
    case 2: return a < b;
    case 3: return a > b;
    case 4: return a <= b;
    default: return a >= b;
    }
  };
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    ModuleText m;
    for (const char *c : conds) {
      m.fn(fmt::format("s_{}", c), "(f32, f32) -> (i32)", fmt::format("  param s0, s1\n  fset.{}.f32 r0, s1, s0\n  ret r0\n", c));
      if (cpu == Cpu::CortexM7)
        m.fn(fmt::format("d_{}", c), "(f64, f64) -> (i32)", fmt::format("  param d0, d1\n  fset.{}.f64 r2, d0, d1\n  mov r0, r2\n  ret r0\n", c));
    }
    auto mach = buildFor(m.text, cpu);
    for (int c = 0; c < 6; ++c) {
      for (uint32_t a : f32Values())
        for (uint32_t b : f32Values()) {
          const exec::RunResult r = runS(*mach, fmt::format("s_{}", conds[c]), {a, b});
          INFO(arm::cpuName(cpu) << fmt::format(" fset.{}.f32 {:#x} {:#x}", conds[c], b, a));
          REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
          CHECK(r.results.at(0) == uint64_t(host(c, bf(b), bf(a))));
        }
      if (cpu != Cpu::CortexM7) continue;
      for (uint64_t a : f64Values())
        for (uint64_t b : f64Values()) {
          const exec::RunResult r = runS(*mach, fmt::format("d_{}", conds[c]), dwords({a, b}));
          INFO(fmt::format("fset.{}.f64 {:#x} {:#x}", conds[c], a, b));
          REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
          CHECK(r.results.at(0) == uint64_t(host(c, bd(a), bd(b))));
        }
    }
  }
}

TEST_CASE("vfp emit: fsel picks by a core condition, with the destination aliasing either value") {
  if (!haveArmTools()) return;
  const char *shapes32[] = {"fsel.f32 s4, r0, s0, s1\n  mov s0, s4", "fsel.f32 s0, r0, s0, s1",
                            "fsel.f32 s1, r0, s0, s1\n  mov s0, s1"};
  const char *shapes64[] = {"fsel.f64 d4, r0, d0, d1\n  mov d0, d4", "fsel.f64 d0, r0, d0, d1",
                            "fsel.f64 d1, r0, d0, d1\n  mov d0, d1"};
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    ModuleText m;
    for (int k = 0; k < 3; ++k) {
      m.fn(fmt::format("s{}", k), "(i32, f32, f32) -> (f32)", fmt::format("  param r0, s0, s1\n  {}\n  ret s0\n", shapes32[k]));
      m.fn(fmt::format("d{}", k), "(i32, f64, f64) -> (f64)", fmt::format("  param r0, d0, d1\n  {}\n  ret d0\n", shapes64[k]));
    }
    std::string text;
    auto mach = buildFor(m.text, cpu, &text);
    CHECK((text.find("vseleq") != std::string::npos) == (cpu == Cpu::CortexM7));
    for (int k = 0; k < 3; ++k)
      for (uint64_t c : {0ull, 1ull, 0x80000000ull}) {
        INFO(arm::cpuName(cpu) << " shape " << k << " c " << c);
        exec::RunResult r = runS(*mach, fmt::format("s{}", k), {fb(1.25f), 0x7fc00042u}, {c});
        REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
        CHECK(r.sregs[0] == (c ? fb(1.25f) : 0x7fc00042u));
        r = runS(*mach, fmt::format("d{}", k), dwords({db(-3.5), 0x7ff8000000000042ull}), {c});
        REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
        CHECK(dOf(r, 0) == (c ? db(-3.5) : 0x7ff8000000000042ull));
      }
  }
}

TEST_CASE("vfp emit: fconst gives the exact bits, by VMOV immediate where it encodes") {
  if (!haveArmTools()) return;
  const uint32_t c32[] = {fb(1.5f), fb(-0.125f), fb(31), fb(0.0f), 0x80000000u, fb(0.1f), fb(1e30f), 0x7fc00001u,
                          fb(-15.5f), fb(0.1875f)};
  const uint64_t c64[] = {db(1.5), db(-0.125), db(31), 0, 0x8000000000000000ull, db(0.1), db(1e300),
                          0x7ff8000000000001ull, db(2.0), 0x4000000040000000ull};
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    ModuleText m;
    for (size_t k = 0; k < std::size(c32); ++k)
      m.fn(fmt::format("s{}", k), "() -> (f32)", fmt::format("  fconst.f32 s7, #{}\n  mov s0, s7\n  ret s0\n", c32[k]));
    for (size_t k = 0; k < std::size(c64); ++k)
      m.fn(fmt::format("d{}", k), "() -> (f64)",
           fmt::format("  fconst.f64 d5, #{}, #{}\n  mov d0, d5\n  ret d0\n", uint32_t(c64[k]), uint32_t(c64[k] >> 32)));
    std::string text;
    auto mach = buildFor(m.text, cpu, &text);
    CHECK(text.find("vmov.f32 s7, #1.5") != std::string::npos);
    CHECK(text.find("vmov.f32 s7, #-0.125") != std::string::npos);
    CHECK((text.find("vmov.f64 d5, #1.5") != std::string::npos) == (cpu == Cpu::CortexM7));
    for (size_t k = 0; k < std::size(c32); ++k) {
      const exec::RunResult r = runS(*mach, fmt::format("s{}", k), {});
      REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
      CHECK_MESSAGE(r.sregs[0] == c32[k], arm::cpuName(cpu) << " " << k);
    }
    for (size_t k = 0; k < std::size(c64); ++k) {
      const exec::RunResult r = runS(*mach, fmt::format("d{}", k), {});
      REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
      CHECK_MESSAGE(dOf(r, 0) == c64[k], arm::cpuName(cpu) << " " << k);
    }
  }
}

TEST_CASE("vfp emit: fmovtoint/fmovfromint and mov of S/D keep the bits") {
  if (!haveArmTools()) return;
  ModuleText m;
  m.fn("toint", "(f32) -> (i32)", "  param s0\n  mov s13, s0\n  fmovtoint.f32 r3, s13\n  mov r0, r3\n  ret r0\n");
  m.fn("fromint", "(i32) -> (f32)", "  param r0\n  fmovfromint.f32 s9, r0\n  mov s0, s9\n  ret s0\n");
  m.fn("toint64", "(f64) -> (i64)", "  param d0\n  mov d5, d0\n  fmovtoint.f64 r1, r0, d5\n  ret r0, r1\n");
  m.fn("fromint64", "(i64) -> (f64)", "  param r0, r1\n  fmovfromint.f64 d3, r1, r0\n  mov d0, d3\n  ret d0\n");
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7}) {
    auto mach = buildFor(m.text, cpu);
    exec::RunResult r = runS(*mach, "toint", {0xffc01234u});
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == 0xffc01234u);
    r = runS(*mach, "fromint", {}, {0x7f800001u});
    CHECK(r.sregs[0] == 0x7f800001u);
    mir::Signature sig{{mir::ValType::I32}, {mir::ValType::I64}};
    mir::ExecEnv env;
    exec::RunOptions ro;
    ro.sArgs = dwords({0x7ff0000000000abcull});
    r = mach->run("toint64", sig, std::vector<uint64_t>{0}, env, ro);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == 0x00000abc7ff00000ull);  // r0 = hi word, r1 = lo word
    r = runS(*mach, "fromint64", {}, {0x11223344u, 0x55667788u});
    CHECK(dOf(r, 0) == 0x1122334455667788ull);  // d3 = (lo r1, hi r0)
  }
}
