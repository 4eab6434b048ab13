// Float MIR allocated by graph colouring (S/D classes, spills, VPUSH/VPOP, calls) and emitted for cortex-m4f/m7 runs like the interpreter.
#include "arm/emit/tests/vfp_emit_util.h"

#include "core/alloc/allocator.h"
#include "core/alloc/bench/mir_gen.h"
#include "core/ir/interp.h"
#include "core/ir/text.h"

#include <fmt/format.h>

#include <map>
#include <random>

using namespace vcr;
using namespace vcr::emit::test;
using arm::Cpu;
using Status = exec::RunResult::Status;

namespace {

/// A float kernel with an integer interface: two i32 words reinterpreted as
/// f32, `n` f32 values all live to the end (more than S0-S31 hold when n is
/// large), f64 values beside them on cortex-m7, compares, selects,
/// constants, saturating and trapping truncations and a call in the middle.
std::string kernel(unsigned n, bool f64, bool call) {
  std::string s = "func @g(i32) -> (i32) {\nbb0:\n  param v0\n  add v1, v0, v0\n  ret v1\n}\n\n";
  s += "func @f(i32, i32) -> (i32) {\nbb0:\n  param v0, v1\n  fmovfromint.f32 v2, v0\n  fmovfromint.f32 v3, v1\n";
  s += "  fconst.f32 v4, #1069547520\n  fconst.f32 v5, #1036831949\n";  // 1.5, 0.1
  unsigned next = 100;
  auto fresh = [&] { return "v" + std::to_string(next++); };
  std::vector<std::string> vals{"v2", "v3", "v4", "v5"};
  const char *ops[] = {"fadd", "fmul", "fsub", "fdiv"};
  for (unsigned k = 0; vals.size() < n; ++k) {
    const std::string v = fresh(), a = vals[vals.size() - 1], b = vals[(k * 7) % vals.size()];
    if (k % 9 == 4) s += fmt::format("  fabs.f32 {}, {}\n", v, a);
    else if (k % 9 == 7) s += fmt::format("  fcopysign.f32 {}, {}, {}\n", v, a, b);
    else s += fmt::format("  {}.f32 {}, {}, {}\n", ops[k % 4], v, a, b);
    vals.push_back(v);
  }
  std::vector<std::string> dvals;
  if (f64)
    for (unsigned k = 0; k < 10; ++k) {
      const std::string d = fresh();
      s += fmt::format("  fcvt.f64.f32 {}, {}\n", d, vals[(k * 5) % vals.size()]);
      if (k % 2) {
        const std::string e = fresh();
        s += fmt::format("  fmul.f64 {}, {}, {}\n", e, d, dvals.empty() ? d : dvals.back());
        dvals.push_back(e);
      } else {
        dvals.push_back(d);
      }
    }
  const std::string c = fresh(), t = fresh(), sat = fresh(), w = fresh();
  if (call) s += fmt::format("  call @g (v0) -> ({})\n", w);
  else s += fmt::format("  movi {}, #3\n", w);
  s += fmt::format("  fset.lt.f32 {}, {}, {}\n", c, vals[2], vals[5]);
  s += fmt::format("  ftruncsat.s32.f32 {}, {}\n", sat, vals[7]);
  s += fmt::format("  ftrunc.u32.f32 {}, {}\n", t, vals[3]);  // 1.5 -> 1, never traps
  std::string acc = vals[0];
  for (size_t k = 1; k < vals.size(); ++k) {
    const std::string v = fresh();
    if (k % 5 == 3) s += fmt::format("  fsel.f32 {}, {}, {}, {}\n", v, c, acc, vals[k]);
    else s += fmt::format("  fadd.f32 {}, {}, {}\n", v, acc, vals[k]);
    acc = v;
  }
  if (f64) {
    std::string dacc = dvals[0];
    for (size_t k = 1; k < dvals.size(); ++k) {
      const std::string v = fresh();
      s += fmt::format("  fadd.f64 {}, {}, {}\n", v, dacc, dvals[k]);
      dacc = v;
    }
    const std::string x = fresh(), y = fresh();
    s += fmt::format("  fcvt.f32.f64 {}, {}\n  fadd.f32 {}, {}, {}\n", x, dacc, y, acc, x);
    acc = y;
  }
  const std::string r = fresh(), r1 = fresh(), r2 = fresh(), r3 = fresh();
  s += fmt::format("  fmovtoint.f32 {}, {}\n  add {}, {}, {}\n  eor {}, {}, {}\n  add {}, {}, {}\n  ret {}\n}}\n", r,
                   acc, r1, r, w, r2, r1, sat, r3, r2, t, r3);
  return s;
}

}  // namespace

TEST_CASE("vfp emit: allocated float kernels (spills, VPUSH/VPOP, calls) run like the interpreter") {
  if (!haveArmTools()) return;
  unsigned runs = 0;
  for (Cpu cpu : {Cpu::CortexM4F, Cpu::CortexM7})
    for (unsigned n : {8u, 20u, 40u})
      for (bool call : {false, true}) {
        const bool f64 = cpu == Cpu::CortexM7;
        const std::string text = kernel(n, f64, call);
        mir::ParseResult p = mir::parseModule(text, "kernel.mir");
        REQUIRE_MESSAGE(p.module.has_value(), text);
        auto ra = alloc::makeGraphColouring();
        alloc::ModuleAllocation a = alloc::allocateModule(*ra, *p.module, alloc::AllocOptions{});
        for (const auto &r : a.results) REQUIRE_MESSAGE(r.ok, r.error);
        const std::string allocated = mir::printModule(a.module);
        INFO(arm::cpuName(cpu) << " n=" << n << " call=" << call << "\n" << allocated);
        std::string asmText;
        auto mach = buildFor(allocated, cpu, &asmText);
        if (n == 40) CHECK((asmText.find("vstr") != std::string::npos && asmText.find("vldr") != std::string::npos));
        if (call) CHECK(asmText.find("vpush") != std::string::npos);
        std::mt19937 rng(n * 31 + call);
        std::uniform_real_distribution<float> dist(-100.0f, 100.0f);
        for (unsigned k = 0; k < 20; ++k) {
          const std::vector<uint64_t> args{fb(dist(rng)), fb(dist(rng))};
          mir::ExecEnv env;
          env.memory.assign(65536, 0);
          const mir::ExecResult ref = mir::execute(*p.module, "f", args, env);
          REQUIRE_MESSAGE(ref.status == mir::ExecResult::Status::Returned, ref.error);
          const exec::RunResult got = runS(*mach, "f", {}, args);
          REQUIRE_MESSAGE(got.status == Status::Returned, got.error);
          CHECK(fmt::format("{:#x}", uint32_t(got.results.at(0))) == fmt::format("{:#x}", uint32_t(ref.results.at(0))));
          ++runs;
        }
      }
  CHECK(runs == 240);
  MESSAGE(runs << " runs of allocated float kernels agree");
}

namespace {

/// Make a generated module's NaN bits unobservable, so that the host's and
/// the FPU's different default NaNs cannot tell runs apart (wasm lets them
/// differ): every float-to-core reinterpretation becomes a saturating
/// truncation (NaN -> 0), float stores are dropped, and fmin/fmax (runtime
/// calls, not emitted) become fsub/fadd.
void tame(mir::Module &m) {
  using mir::Opcode;
  for (mir::Function &f : m.functions)
    for (mir::Block &b : f.blocks) {
      std::vector<mir::Instr> out;
      for (mir::Instr &i : b.instrs) {
        switch (i.op) {
        case Opcode::FMin32: i.op = Opcode::FSub32; break;
        case Opcode::FMax32: i.op = Opcode::FAdd32; break;
        case Opcode::FMin64: i.op = Opcode::FSub64; break;
        case Opcode::FMax64: i.op = Opcode::FAdd64; break;
        case Opcode::FMovToInt32: i.op = Opcode::FTruncSatS32F32; break;
        case Opcode::FStore32: case Opcode::FStore64: continue;
        case Opcode::FMovToInt64: {
          const mir::Operand hi = i.defs[1];
          i.op = Opcode::FTruncSatS32F64;
          i.defs = {i.defs[0]};
          out.push_back(i);
          out.push_back(mir::makeInstr(Opcode::MovI, {hi}, {}, mir::Origin::Original, 0));
          continue;
        }
        default: break;
        }
        out.push_back(i);
      }
      b.instrs = std::move(out);
    }
}

bool sameValue(mir::ValType t, uint64_t a, uint64_t b) {
  if (t == mir::ValType::F32) return a == b || (nan32(uint32_t(a)) && nan32(uint32_t(b)));
  if (t == mir::ValType::F64) return a == b || (nan64(a) && nan64(b));
  return a == b;
}

}  // namespace

TEST_CASE("vfp emit: generated float MIR, allocated and emitted for cortex-m7, runs like the interpreter") {
  if (!haveArmTools()) return;
  auto ra = alloc::makeGraphColouring();
  unsigned runs = 0, functions = 0;
  std::map<std::string, unsigned> seen;  // VFP instructions in the emitted code
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    alloc::gen::MirGenOptions g;
    g.seed = seed;
    g.size = 30 + unsigned(seed * 7 % 40);
    g.pressure = 4 + unsigned(seed % 8);
    g.callShare = seed % 3 == 0 ? 0 : 10;
    g.floatShare = 35;
    g.floatPressure = unsigned(seed * 13 % 45);
    mir::Module m = alloc::gen::generateModule(g);
    tame(m);
    alloc::ModuleAllocation a = alloc::allocateModule(*ra, m, alloc::AllocOptions{});
    for (const auto &r : a.results) REQUIRE_MESSAGE(r.ok, r.error);
    emit::EmitOptions eo;
    eo.cpu = Cpu::CortexM7;
    const emit::EmitResult er = emit::emitModule(a.module, eo);
    for (const auto &d : er.declined) FAIL_CHECK("seed " << seed << ": " << d.function << ": " << d.reason);
    for (const char *mn : {"\tvstr ", "\tvldr ", "\tvpush ", "\tvcvt.", "\tvcmp.", "\tvseleq.", "\tvrint"})
      for (size_t at = er.asmText.find(mn); at != std::string::npos; at = er.asmText.find(mn, at + 1)) ++seen[mn];
    exec::BuildOptions bo;
    bo.cpu = Cpu::CortexM7;
    bo.imports = m.imports;
    exec::BuildResult built = exec::buildImage(er.asmText, bo);
    REQUIRE_MESSAGE(built.ok, built.error);
    exec::Machine mach(std::move(built.image));
    std::mt19937_64 rng(seed);
    for (const mir::Function &f : m.functions) {
      ++functions;
      for (unsigned k = 0; k < 6; ++k) {
        std::vector<uint64_t> args;
        for (mir::ValType t : f.sig.params)
          args.push_back(t == mir::ValType::F32   ? fb(float(int(rng() % 2001) - 1000) / 8)
                         : t == mir::ValType::F64 ? db(double(int(rng() % 2001) - 1000) / 8)
                         : t == mir::ValType::I64 ? rng()
                                                  : rng() % 5000);
        mir::ExecEnv env;
        env.memory.resize(65536);
        for (size_t i = 0; i < env.memory.size(); ++i) env.memory[i] = uint8_t(i * 131 + 7);
        for (const auto &gl : m.globals) env.globals.push_back(gl.init);
        mir::ExecEnv armEnv = env;
        const mir::ExecResult ref = mir::execute(m, f.name, args, env);
        if (ref.status == mir::ExecResult::Status::Exhausted) continue;
        REQUIRE_MESSAGE(ref.status == mir::ExecResult::Status::Returned, ref.error);
        const exec::RunResult got = mach.run(f.name, f.sig, args, armEnv);
        INFO("seed " << seed << " @" << f.name << " run " << k);
        REQUIRE_MESSAGE(got.status == Status::Returned, got.error);
        REQUIRE(got.results.size() == ref.results.size());
        for (size_t r = 0; r < ref.results.size(); ++r)
          CHECK_MESSAGE(sameValue(f.sig.results[r], got.results[r], ref.results[r]),
                        fmt::format("result {}: {:#x} vs {:#x}", r, got.results[r], ref.results[r]));
        CHECK(armEnv.memory == env.memory);
        CHECK(armEnv.globals == env.globals);
        ++runs;
      }
    }
  }
  MESSAGE(functions << " generated functions, " << runs << " runs agree");
  CHECK(runs > 200);
  for (const char *mn : {"\tvstr ", "\tvldr ", "\tvpush ", "\tvcvt.", "\tvcmp.", "\tvseleq.", "\tvrint"})
    CHECK_MESSAGE(seen[mn] > 0, mn);
}
