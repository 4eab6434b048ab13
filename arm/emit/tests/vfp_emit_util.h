#pragma once
/// Helpers of the VFP emitter tests: emit hand-written allocated MIR for an
/// FPU CPU, build it (arm/exec) and run a function with S-register arguments
/// (RunOptions::sArgs) and core arguments, reading S0-S31 back.

#include "arm/emit/tests/emit_util.h"
#include "arm/exec/exec.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vcr::emit::test {

inline uint32_t fb(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t db(double d) { return std::bit_cast<uint64_t>(d); }
inline float bf(uint32_t b) { return std::bit_cast<float>(b); }
inline double bd(uint64_t b) { return std::bit_cast<double>(b); }
inline bool nan32(uint32_t b) { return (b & 0x7fffffffu) > 0x7f800000u; }
inline bool nan64(uint64_t b) { return (b & 0x7fffffffffffffffull) > 0x7ff0000000000000ull; }
/// S-register words of f64 bit patterns (low word first).
inline std::vector<uint32_t> dwords(std::initializer_list<uint64_t> ds) {
  std::vector<uint32_t> w;
  for (uint64_t d : ds) w.insert(w.end(), {static_cast<uint32_t>(d), static_cast<uint32_t>(d >> 32)});
  return w;
}
/// D register n of a run's S registers.
inline uint64_t dOf(const exec::RunResult &r, unsigned n) {
  return r.sregs[2 * n] | (uint64_t(r.sregs[2 * n + 1]) << 32);
}

/// f32 test values: zeros, normals, denormals, extremes, infinities, NaNs (quiet, signalling, negative).
inline const std::vector<uint32_t> &f32Values() {
  static const std::vector<uint32_t> v{0, 0x80000000u, fb(1), fb(-1), fb(1.5f), fb(0.1f), fb(-2.5f), fb(3),
                                       fb(1e30f), fb(-1e-30f), 1, 0x807fffffu, fb(3.4028235e38f),
                                       0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7f800001u, 0xffc00123u};
  return v;
}
/// f64 test values, likewise.
inline const std::vector<uint64_t> &f64Values() {
  static const std::vector<uint64_t> v{0, 0x8000000000000000ull, db(1), db(-1), db(1.5), db(0.1), db(-2.5),
                                       db(3), db(1e300), db(-1e-300), 1, db(1.7976931348623157e308),
                                       0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
                                       0x7ff0000000000001ull, 0xfff8000000000123ull};
  return v;
}

/// A module of allocated functions, built up by fn().
struct ModuleText {
  std::string text = "module {\n  memory 1\n}\n";
  /// Add `func @name sig allocated { bb0: body }`.
  void fn(const std::string &name, const std::string &sig, const std::string &body) {
    text += "func @" + name + sig + " allocated {\nbb0:\n" + body + "}\n";
  }
};

/// The assembler and linker arm/exec runs (a missing one skips, or fails under CI).
inline bool haveArmTools() {
  return vcr::testing::toolAvailable("arm-none-eabi-as", haveAssembler()) &&
         vcr::testing::toolAvailable("arm-none-eabi-ld");
}

/// Emit `text` for `cpu` (every function must be emitted) and build it.
inline std::unique_ptr<exec::Machine> buildFor(const std::string &text, arm::Cpu cpu, std::string *asmOut = nullptr) {
  EmitOptions o;
  o.cpu = cpu;
  EmitResult er = emitText(text, o);
  for (const auto &d : er.declined) FAIL_CHECK(arm::cpuName(cpu) << ": " << d.function << ": " << d.reason);
  if (asmOut) *asmOut = er.asmText;
  exec::BuildOptions bo;
  bo.cpu = cpu;
  exec::BuildResult b = exec::buildImage(er.asmText, bo);
  REQUIRE_MESSAGE(b.ok, b.error);
  return std::make_unique<exec::Machine>(std::move(b.image));
}

/// Run `name` with S0.. = sArgs, R0.. = core (i32 each); R0 is read as an i32 result.
inline exec::RunResult runS(exec::Machine &m, const std::string &name, std::vector<uint32_t> sArgs,
                            std::vector<uint64_t> core = {}, mir::ExecEnv *envIn = nullptr) {
  mir::Signature sig;
  sig.params.assign(core.size(), mir::ValType::I32);
  sig.results = {mir::ValType::I32};
  mir::ExecEnv local;
  local.memory.assign(65536, 0);
  mir::ExecEnv &env = envIn ? *envIn : local;
  exec::RunOptions ro;
  ro.sArgs = std::move(sArgs);
  return m.run(name, sig, core, env, ro);
}

}  // namespace vcr::emit::test
