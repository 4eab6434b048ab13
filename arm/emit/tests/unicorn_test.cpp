// Self-check of emitted code in Unicorn (Cortex-M4, via arm/exec) against the reference interpreter for the tricky expansions.
#include "arm/emit/tests/emit_util.h"

#include "arm/exec/exec.h"
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "arm/target/runtime.h"
#include "core/alloc/allocator.h"
#include "corpus/gen/wasmgen.h"
#include "core/ir/diff.h"
#include "core/ir/interp.h"
#include "tests/size_env.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace vcr;

namespace {


/// The functions under test: every expansion with a subtle part, with defs
/// aliasing uses.
std::string testModule() {
  std::string s = "module {\n  memory 1\n  global 0 mut 5\n  global 1 mut 7\n}\n";
  auto fn = [&](const std::string &name, const std::string &sig, const std::string &body) {
    s += "func @" + name + sig + " allocated {\nbb0:\n" + body + "}\n";
  };
  for (const char *op : {"udiv64", "sdiv64", "urem64", "srem64"}) {
    fn(op, "(i64, i64) -> (i64)",
       fmt::format("  param r0, r1, r2, r3\n  {} r0, r1, r0, r1, r2, r3\n  ret r0, r1\n", op));
    fn(std::string(op) + "_lr", "(i64, i64) -> (i64)",
       fmt::format("  param r0, r1, r2, r3\n  push r4, r5, lr\n  {} r4, lr, r2, r3, r0, r1\n"
                   "  mov r0, r4\n  mov r1, lr\n  pop r4, r5, lr\n  ret r0, r1\n", op));
  }
  for (const char *op : {"shl64", "shru64", "shrs64", "rotl64", "rotr64"})
    fn(op, "(i64, i32) -> (i64)",
       fmt::format("  param r0, r1, r2\n  {} r1, r0, r0, r1, r2\n  mov r2, r0\n  mov r0, r1\n"
                   "  mov r1, r2\n  ret r0, r1\n", op));
  fn("mul64", "(i64, i64) -> (i64)",
     "  param r0, r1, r2, r3\n  mul64 r1, r0, r0, r1, r2, r3\n  mov r2, r0\n  mov r0, r1\n"
     "  mov r1, r2\n  ret r0, r1\n");
  fn("add64", "(i64, i64) -> (i64)",
     "  param r0, r1, r2, r3\n  add64 r1, r2, r0, r1, r2, r3\n  mov r0, r1\n  mov r1, r2\n  ret r0, r1\n");
  fn("sub64", "(i64, i64) -> (i64)",
     "  param r0, r1, r2, r3\n  sub64 r3, r0, r0, r1, r2, r3\n  mov r1, r0\n  mov r0, r3\n  ret r0, r1\n");
  fn("smull", "(i32, i32) -> (i64)", "  param r0, r1\n  smull r1, r0, r0, r1\n  mov r2, r0\n"
                                     "  mov r0, r1\n  mov r1, r2\n  ret r0, r1\n");
  for (const char *cc : {"eq", "ne", "slt", "ult", "sgt", "ugt", "sle", "ule", "sge", "uge"}) {
    fn(std::string("set64_") + cc, "(i64, i64) -> (i32)",
       fmt::format("  param r0, r1, r2, r3\n  set64.{} r0, r0, r1, r2, r3\n  ret r0\n", cc));
    fn(std::string("set_") + cc, "(i32, i32) -> (i32)",
       fmt::format("  param r0, r1\n  set.{} r0, r0, r1\n  ret r0\n", cc));
    int k = 0;
    for (const char *imm : {"#5", "#4294967291", "#74565", "#2147483648", "#0"})
      fn(fmt::format("seti{}_{}", k++, cc), "(i32) -> (i32)",
         fmt::format("  param r0\n  set.{} r0, r0, {}\n  ret r0\n", cc, imm));
  }
  for (const char *op : {"shl", "shru", "shrs", "rotl", "rotr", "sdiv", "udiv", "srem", "urem",
                         "add", "sub", "mul", "and", "orr", "eor"}) {
    fn(std::string("r_") + op, "(i32, i32) -> (i32)",
       fmt::format("  param r0, r1\n  {} r1, r0, r1\n  mov r0, r1\n  ret r0\n", op));
    const std::string o = op;
    if (o == "sdiv" || o == "udiv" || o == "srem" || o == "urem") continue;  // no immediate form
    int k = 0;
    for (const char *imm : {"#0", "#1", "#31", "#32", "#45", "#4294967291", "#305419896", "#4095"})
      fn(fmt::format("i{}_{}", k++, op), "(i32) -> (i32)",
         fmt::format("  param r0\n  {} r0, r0, {}\n  ret r0\n", op, imm));
  }
  for (const char *op : {"clz", "ctz", "popcnt", "sext8", "sext16"})
    fn(std::string("u_") + op, "(i32) -> (i32)", fmt::format("  param r0\n  {} r0, r0\n  ret r0\n", op));
  fn("sel", "(i32, i32, i32) -> (i32)", "  param r0, r1, r2\n  sel r0, r0, r1, r2\n  ret r0\n");
  for (const char *w : {"u8", "s8", "u16", "s16", "32"})
    for (const char *off : {"0", "3", "65533", "100000"})
      fn(fmt::format("ld{}_{}", w, off), "(i32) -> (i32)",
         fmt::format("  param r0\n  load.{} r0, [r0+{}]\n  ret r0\n", w, off));
  for (const char *w : {"8", "16", "32"})
    fn(fmt::format("st{}", w), "(i32, i32) -> (i32)",
       fmt::format("  param r0, r1\n  store.{} r1, [r0+1]\n  movi r0, #0\n  ret r0\n", w));
  fn("ld64", "(i32) -> (i64)", "  param r0\n  load64 r1, r0, [r0+4]\n  mov r2, r0\n  mov r0, r1\n"
                               "  mov r1, r2\n  ret r0, r1\n");
  // r12 as a data register where the expansion can do without scratch
  fn("r12_shl", "(i32, i32) -> (i32)", "  param r0, r1\n  mov r12, r1\n  shl r12, r0, r12\n"
                                       "  mov r0, r12\n  ret r0\n");
  fn("r12_srem", "(i32, i32) -> (i32)", "  param r0, r1\n  srem r12, r0, r1\n  mov r0, r12\n  ret r0\n");
  fn("r12_set64", "(i64, i64) -> (i32)", "  param r0, r1, r2, r3\n  mov r12, r0\n"
                                         "  set64.sle r0, r12, r1, r2, r3\n  ret r0\n");
  fn("r12_ld", "(i32) -> (i32)", "  param r0\n  load.s16 r12, [r0+7]\n  mov r0, r12\n  ret r0\n");
  fn("r12_live", "(i64, i32) -> (i64)", "  param r0, r1, r2\n  mov r12, r2\n"
                                        "  rotr64 r0, r1, r0, r1, r2\n  add r0, r0, r12\n  ret r0, r1\n");
  fn("ld64b", "(i32) -> (i64)", "  param r0\n  load64 r0, r1, [r0+65528]\n  ret r0, r1\n");
  fn("st64", "(i32, i64) -> (i32)", "  param r0, r2, r3\n  store64 r2, r3, [r0+2]\n  gget r0, #1\n"
                                    "  gset r0, #0\n  memsize r0\n  ret r0\n");
  fn("movi", "(i32) -> (i32)", "  param r0\n  movi r1, #4294967040\n  movi r2, #305419896\n"
                               "  add r0, r0, r1\n  eor r0, r0, r2\n  ret r0\n");
  return s;
}

uint64_t pick(std::mt19937_64 &rng) {
  static const uint64_t special[] = {0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 0x7fffffff, 0x80000000,
                                     0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
                                     0x8000000000000000ull, ~0ull, ~1ull, 65530, 65535, 65536};
  switch (rng() % 5) {
  case 0: return special[rng() % (sizeof special / sizeof special[0])];
  case 1: return rng() % 70000;
  case 2: return rng() >> (rng() % 64);
  case 3: return uint64_t(int64_t(int32_t(rng() % 20) - 10));
  default: return rng();
  }
}

/// Run every emitted function of allocated module `m` on `runs` random
/// inputs, on the emitted code in Unicorn (arm/exec: AAPCS arguments incl.
/// stack words, host imports, callee-saved checks) and in the reference
/// interpreter, and compare results, traps, memory and globals. Returns the
/// number of runs compared.
unsigned differential(const mir::Module &m, unsigned runs, const std::string &what,
                      uint64_t seed, bool allowDeclines = false) {
  emit::EmitResult er = emit::emitModule(m);
  if (!allowDeclines)
    for (const auto &d : er.declined) FAIL_CHECK(what << ": " << d.function << ": " << d.reason);
  if (er.emitted.empty()) return 0;  // everything declined (widened pool)
  exec::BuildOptions bo;
  bo.imports = m.imports;
  // soft-float calls (float fixtures) go to libgcc's AEABI routines
  if (const std::string &lib = exec::softFloatLibgcc(); !lib.empty()) bo.libraries.push_back(lib);
  exec::BuildResult built = exec::buildImage(er.asmText, bo);
  REQUIRE_MESSAGE(built.ok, what << ": " << built.error);
  exec::Machine machine(std::move(built.image));
  std::mt19937_64 rng(seed);
  unsigned checked = 0;
  for (const mir::Function &f : m.functions) {
    if (!machine.image().find(f.name)) continue;  // declined
    for (unsigned k = 0; k < runs; ++k) {
      std::vector<uint64_t> args;
      for (mir::ValType t : f.sig.params) {
        uint64_t x = pick(rng);
        args.push_back(t == mir::ValType::I32 ? (x & 0xffffffffu) : x);
      }
      mir::ExecEnv env;
      env.memory.resize(size_t(m.memoryPages) * 65536);
      for (size_t i = 0; i < env.memory.size(); ++i) env.memory[i] = static_cast<uint8_t>(i * 131 + 7);
      for (const auto &g : m.globals) env.globals.push_back(g.init);
      env.fuel = 1'000'000;
      mir::ExecEnv armEnv = env;
      const mir::ExecResult ref = mir::execute(m, f.name, args, env);
      if (ref.status == mir::ExecResult::Status::Exhausted) continue;
      REQUIRE_MESSAGE(ref.status != mir::ExecResult::Status::Error, f.name << ": " << ref.error);
      const exec::RunResult got = machine.run(f.name, f.sig, args, armEnv);
      std::string argText;
      for (uint64_t a : args) argText += fmt::format("{:#x} ", a);
      INFO(what << " @" << f.name << " (" << argText << ")");
      REQUIRE_MESSAGE(got.status != exec::RunResult::Status::Fault, got.error);
      if (ref.status == mir::ExecResult::Status::Trapped) {
        CHECK(got.status == exec::RunResult::Status::Trapped);
        CHECK(got.trap == ref.trap);
      } else {
        REQUIRE(got.status == exec::RunResult::Status::Returned);
        // an f32/f64 NaN result matches any NaN (wasm allows any; libgcc's differ from the host's)
        bool same = got.results.size() == ref.results.size();
        for (size_t i = 0; same && i < ref.results.size(); ++i) {
          const uint8_t fb = i < f.floatResults.size() ? f.floatResults[i] : 0;
          auto nan = [fb](uint64_t v) {
            return fb == 32 ? (v & 0x7fffffffu) > 0x7f800000u
                            : (v & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
          };
          same = got.results[i] == ref.results[i] || (fb && nan(got.results[i]) && nan(ref.results[i]));
        }
        CHECK_MESSAGE(same, fmt::format("{} vs {}", fmt::join(got.results, " "), fmt::join(ref.results, " ")));
        // a NaN stored to memory or a global matches any NaN (libgcc's differ from the host's)
        const bool tolerant = mir::computesFloats(m);
        CHECK(mir::nanTolerantMismatch(armEnv.memory, env.memory, tolerant) == SIZE_MAX);
        auto bytesOf = [](const std::vector<uint32_t> &g) {
          return std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(g.data()), g.size() * 4);
        };
        CHECK(armEnv.globals.size() == env.globals.size());
        CHECK(mir::nanTolerantMismatch(bytesOf(armEnv.globals), bytesOf(env.globals), tolerant) == SIZE_MAX);
      }
      ++checked;
    }
  }
  return checked;
}

/// The assembler and linker that arm/exec runs (a missing one skips, or fails under CI).
bool haveTools() {
  return vcr::testing::toolAvailable("arm-none-eabi-as", emit::test::haveAssembler()) &&
         vcr::testing::toolAvailable("arm-none-eabi-ld");
}

}  // namespace

TEST_CASE("emitted expansions run like the reference interpreter (Unicorn, Cortex-M4)") {
  if (!haveTools()) return;
  const mir::Module m = emit::test::parse(testModule());
  // Floor 20 runs per function: CHECK(checked > 1000) below needs about that many.
  const unsigned checked = differential(m, vcr::testing::envCount("VCR_EMIT_UC_RUNS", 100, 20), "expansions", 7);
  MESSAGE(checked << " runs of " << m.functions.size() << " functions agree");
  CHECK(checked > 1000);
}

namespace {

/// Select and allocate (graph colouring, `pool`) a loaded wasm binary.
mir::Module pipeline(const select::WasmBinary &bin, const arm::Pool &pool) {
  Diagnostics diags;
  auto sel = select::selectModule(bin, diags);
  REQUIRE(sel.has_value());
  auto ra = alloc::makeGraphColouring();
  alloc::AllocOptions opt;
  opt.pool = pool;
  alloc::ModuleAllocation a = alloc::allocateModule(*ra, sel->module, opt);
  for (const auto &r : a.results) REQUIRE_MESSAGE(r.ok, r.error);
  return a.module;
}

}  // namespace

TEST_CASE("selected, allocated and emitted corpus and generated code runs like the interpreter") {
  if (!haveTools()) return;
  const unsigned runs = vcr::testing::envCount("VCR_EMIT_UC_RUNS", 100, 20) / 5 + 1;
  unsigned checked = 0, modules = 0;
  vcr::testing::CorpusFilter filter;
  for (const auto &p : emit::test::corpusFiles()) {
    if (!filter.take(p.string())) continue;
    Diagnostics diags;
    auto bin = select::loadWasmFile(p.string(), diags);
    REQUIRE(bin.has_value());
    const mir::Module m = pipeline(*bin, arm::Pool::legacy());
    checked += differential(m, runs, p.filename().string(), 11);
    // the widened pool puts values in R12 and LR: what is emitted must run too
    checked += differential(pipeline(*bin, arm::Pool::parse("r0-r8,r12,lr")), runs,
                            p.filename().string() + " (pool r0-r8,r12,lr)", 12, true);
    ++modules;
  }
  const unsigned gens = vcr::testing::envCount("VCR_EMIT_UC_GEN", 30, 5);
  for (unsigned k = 0; k < gens; ++k) {
    gen::GenOptions o;
    o.seed = 5000 + k;
    o.size = 20 + (k * 11) % 60;
    o.pressure = 2 + (k * 3) % 14;
    o.i64Share = (k % 4) * 0.15;
    o.memShare = 0.15;
    o.callShare = (k % 3) * 0.1;
    o.helpers = k % 3;
    o.imports = false;
    Diagnostics diags;
    auto bin = select::watToWasm(gen::generateWat(o), "gen", diags);
    REQUIRE(bin.has_value());
    checked += differential(pipeline(*bin, arm::Pool::legacy()), runs, "gen seed " + std::to_string(o.seed), k);
    ++modules;
  }
  MESSAGE(modules << " modules, " << checked << " runs agree");
  filter.done();
  CHECK(checked > 100);
}
