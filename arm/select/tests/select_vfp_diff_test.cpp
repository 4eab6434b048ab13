// Differential of float selection for cortex-m4f and cortex-m7: the MIR interpreter against the wabt oracle on every float operator and the float fixtures.
#include "arm/select/tests/diff_util.h"

#include "corpus/gen/wasmgen.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>

using namespace vcr;
using namespace vcr::select;
using namespace vcr::select::test;

namespace {

/// Every float operator in a function with an integer signature (the float
/// values come in and go out reinterpreted, a NaN result canonicalised in
/// wasm, so the comparison is bit for bit), plus locals, blocks, loops,
/// select, globals and memory on float values.
std::string wrappedOps() {
  std::string w = R"((module
  (memory 1)
  (global $gf (mut f32) (f32.const -1.5))
  (global $gd (mut f64) (f64.const 0.25))
)";
  auto fn = [&](const std::string &sig, const std::string &body) {
    w += "  (func " + sig + "\n    " + body + ")\n";
  };
  auto in = [](char t, int k) {  // parameter k as a float of width t ('4': f32, '8': f64)
    const std::string get = "(local.get " + std::to_string(k) + ")";
    return t == '4' ? "(f32.reinterpret_i32 " + get + ")" : "(f64.reinterpret_i64 " + get + ")";
  };
  auto canon = [](char t, const std::string &e, int local) {  // any NaN as the canonical one
    const std::string l = "(local.get " + std::to_string(local) + ")";
    if (t == '4')
      return "(local.set " + std::to_string(local) + " " + e + ") (select (i32.const 0x7fc00000) (i32.reinterpret_f32 " +
             l + ") (f32.ne " + l + " " + l + "))";
    return "(local.set " + std::to_string(local) + " " + e + ") (select (i64.const 0x7ff8000000000000) (i64.reinterpret_f64 " +
           l + ") (f64.ne " + l + " " + l + "))";
  };
  for (char t : {'4', '8'}) {
    const std::string ft = t == '4' ? "f32" : "f64", it = t == '4' ? "i32" : "i64";
    for (std::string op : {"add", "sub", "mul", "div", "min", "max", "copysign"})
      fn("(param " + it + " " + it + ") (result " + it + ") (local " + ft + ")",
         canon(t, "(" + ft + "." + op + " " + in(t, 0) + " " + in(t, 1) + ")", 2));
    for (std::string op : {"sqrt", "abs", "neg", "ceil", "floor", "trunc", "nearest"})
      fn("(param " + it + ") (result " + it + ") (local " + ft + ")", canon(t, "(" + ft + "." + op + " " + in(t, 0) + ")", 1));
    for (std::string op : {"eq", "ne", "lt", "gt", "le", "ge"})
      fn("(param " + it + " " + it + ") (result i32)", "(" + ft + "." + op + " " + in(t, 0) + " " + in(t, 1) + ")");
    for (std::string from : {"i32", "i64"})
      for (std::string sg : {"s", "u"}) {
        fn("(param " + from + ") (result " + it + ") (local " + ft + ")",
           canon(t, "(" + ft + ".convert_" + from + "_" + sg + " (local.get 0))", 1));
        for (std::string sat : {"", "_sat"})
          fn("(param " + it + ") (result " + from + ")", "(" + from + ".trunc" + sat + "_" + ft + "_" + sg + " " + in(t, 0) + ")");
      }
    fn("(param " + it + " " + it + " i32) (result " + it + ")",
       "(" + it + ".reinterpret_" + ft + " (select " + in(t, 0) + " " + in(t, 1) + " (local.get 2)))");
    // a float local through a loop and an if with a float result: x * 0.5 + 1, n & 7 times, or -x
    fn("(param " + it + " i32) (result " + it + ") (local " + ft + ") (local " + ft + ")",
       "(local.set 2 " + in(t, 0) + ") (block (loop (br_if 1 (i32.eqz (i32.and (local.get 1) (i32.const 7)))) "
       "(local.set 2 (" + ft + ".add (" + ft + ".mul (local.get 2) (" + ft + ".const 0.5)) (" + ft + ".const 1))) "
       "(local.set 1 (i32.sub (local.get 1) (i32.const 1))) (br 0))) " +
       canon(t, "(if (result " + ft + ") (i32.and (local.get 1) (i32.const 8)) (then (" + ft + ".neg (local.get 2))) (else (local.get 2)))", 3));
    // memory and globals keep the bits exactly (bit operations only: memory is compared bit for bit)
    fn("(param i32 " + it + ")", "(" + ft + ".store offset=8 (i32.and (local.get 0) (i32.const 0xff8)) (" + ft + ".neg " + in(t, 1) +
       ")) (" + ft + ".store (i32.const 64) (" + ft + ".abs (" + ft + ".load offset=8 (i32.and (local.get 0) (i32.const 0xff8)))))");
    const std::string g = t == '4' ? "$gf" : "$gd";
    fn("(param " + it + ") (result " + it + ")", "(global.set " + g + " (" + ft + ".copysign (global.get " + g + ") " + in(t, 0) +
       ")) (" + it + ".reinterpret_" + ft + " (global.get " + g + "))");
  }
  fn("(param i32) (result i64) (local f64)", canon('8', "(f64.promote_f32 (f32.reinterpret_i32 (local.get 0)))", 1));
  fn("(param i64) (result i32) (local f32)", canon('4', "(f32.demote_f64 (f64.reinterpret_i64 (local.get 0)))", 1));
  return w + ")\n";
}

/// Float values across calls, call_indirect, blocks and br_table: the
/// AAPCS-VFP boundaries (on cortex-m4f an f64 crosses them as a D register
/// and is a core pair inside).
const char *kCalls = R"((module
  (type $fd (func (param f32 f64) (result f64)))
  (table 2 funcref)
  (elem (i32.const 0) $mix $mix2)
  (func $mix (param $a f32) (param $b f64) (result f64)
    (f64.add (f64.promote_f32 (local.get $a)) (f64.mul (local.get $b) (f64.const 0.5))))
  (func $mix2 (param $a f32) (param $b f64) (result f64)
    (f64.sub (local.get $b) (f64.promote_f32 (f32.neg (local.get $a)))))
  (func $direct (param f32 f64 f32) (result f64)
    (call $mix (f32.mul (local.get 0) (local.get 2)) (call $mix (local.get 2) (local.get 1))))
  (func $indirect (param f32 f64 i32) (result f64)
    (call_indirect (type $fd) (local.get 0) (local.get 1) (i32.and (local.get 2) (i32.const 1))))
  (func $pick (param i32 f64 f64 f32) (result f64)
    (block $b2 (result f64)
      (block $b1 (result f64)
        (block $b0 (result f64)
          (local.get 1)
          (br_table $b0 $b1 $b2 (i32.and (local.get 0) (i32.const 3))))
        (return (f64.neg)))
      (f64.add (local.get 2)))
    (f64.promote_f32 (local.get 3))
    (f64.max))
  (func $back (param f64 f32) (result f32)
    (f32.add (f32.demote_f64 (local.get 0)) (local.get 1)))
  (func $chain (param f64 f32) (result f32)
    (call $back (call $pick (i32.const 2) (local.get 0) (local.get 0) (local.get 1)) (local.get 1)))
))";

void report(const char *what, const DiffStats &st) {
  std::cout << "[select vfp diff] " << what << ": " << st.summary() << "\n";
  if (!st.firstFailure.empty()) std::cout << "[select vfp diff] first problem: " << st.firstFailure << "\n";
}

DiffStats diffOn(arm::Cpu cpu, const std::string &wat, const std::string &file, unsigned inputs) {
  Diagnostics diags;
  auto bin = watToWasm(wat, file, diags);
  if (!bin) {
    DiffStats st;
    st.disagreements = 1;
    st.firstFailure = file + ": does not load: " + (diags.empty() ? "" : diags[0].str());
    return st;
  }
  DiffOptions opt;
  opt.inputsPerFunction = inputs;
  opt.select.cpu = cpu;
  return diffModule(*bin, opt);
}

}  // namespace

TEST_CASE("vfp differential: every float operator on cortex-m4f and cortex-m7, integer signatures") {
  const std::string wat = wrappedOps();
  for (arm::Cpu cpu : {arm::Cpu::CortexM4F, arm::Cpu::CortexM7}) {
    CAPTURE(arm::cpuName(cpu));
    DiffStats st = diffOn(cpu, wat, "vfp_ops.wat", 150);
    report(std::string(arm::cpuName(cpu)).c_str(), st);
    CHECK(st.functions >= 74);
    CHECK(st.declined == 0);
    CHECK(st.invalid == 0);
    CHECK(st.disagreements == 0);
    CHECK(st.runs > st.functions * 140);
  }
}

TEST_CASE("vfp differential: the float fixtures on cortex-m4f and cortex-m7, F32/F64 signatures") {
  const std::filesystem::path dir = std::filesystem::path(VCR_SOURCE_DIR) / "corpus" / "fixtures";
  for (arm::Cpu cpu : {arm::Cpu::CortexM4F, arm::Cpu::CortexM7}) {
    DiffStats total;
    for (const char *name : {"float_arith.wat", "float_convert.wat", "float_minmax.wat"}) {
      Diagnostics diags;
      auto bin = loadWasmFile((dir / name).string(), diags);
      REQUIRE_MESSAGE(bin, name);
      DiffOptions opt;
      opt.inputsPerFunction = 100;
      opt.select.cpu = cpu;
      total.add(diffModule(*bin, opt));
    }
    CAPTURE(arm::cpuName(cpu));
    report(std::string(arm::cpuName(cpu)).c_str(), total);
    CHECK(total.modules == 3);
    CHECK(total.functions >= 70);
    CHECK(total.declined == 0);
    CHECK(total.invalid == 0);
    CHECK(total.disagreements == 0);
    CHECK(total.runs > total.functions * 90);
  }
}

TEST_CASE("vfp differential: f32/f64 across calls, call_indirect, blocks and br_table on cortex-m4f and cortex-m7") {
  for (arm::Cpu cpu : {arm::Cpu::CortexM4F, arm::Cpu::CortexM7}) {
    CAPTURE(arm::cpuName(cpu));
    DiffStats st = diffOn(cpu, kCalls, "vfp_calls.wat", 200);
    report(std::string(arm::cpuName(cpu)).c_str(), st);
    CHECK(st.functions == 7);
    CHECK(st.declined == 0);
    CHECK(st.invalid == 0);
    CHECK(st.disagreements == 0);
    CHECK(st.runs > st.functions * 190);
  }
}

TEST_CASE("vfp differential: generated float functions on cortex-m4, cortex-m4f and cortex-m7") {
  for (arm::Cpu cpu : {arm::Cpu::CortexM4, arm::Cpu::CortexM4F, arm::Cpu::CortexM7}) {
    CAPTURE(arm::cpuName(cpu));
    DiffStats total;
    size_t vfpFunctions = 0;  // selected functions holding a VFP opcode
    for (uint64_t seed = 1; seed <= 150; ++seed) {
      gen::GenOptions g;
      g.seed = seed;
      g.floatShare = 0.3 + 0.1 * static_cast<double>(seed % 4);
      g.indirectShare = (seed % 3) * 0.25;
      g.pressure = 4 + static_cast<unsigned>(seed % 7);
      const std::string wat = gen::generateWat(g), file = "gen-float-" + std::to_string(seed) + ".wat";
      total.add(diffOn(cpu, wat, file, 12));
      Diagnostics diags;
      SelectOptions so;
      so.cpu = cpu;
      if (auto bin = watToWasm(wat, file, diags))
        if (auto sel = selectModule(*bin, diags, so))
          for (const auto &f : sel->module.functions) vfpFunctions += mir::usesVfp(f);
    }
    report(std::string(arm::cpuName(cpu)).c_str(), total);
    std::cout << "[select vfp diff] " << arm::cpuName(cpu) << ": " << vfpFunctions << " functions with VFP opcodes\n";
    if (cpu == arm::Cpu::CortexM4) CHECK(vfpFunctions == 0);
    else CHECK(vfpFunctions > total.functions / 2);
    CHECK(total.modules == 150);
    CHECK(total.functions >= 400);
    CHECK(total.declined == 0);
    CHECK(total.invalid == 0);
    CHECK(total.disagreements == 0);
    CHECK(total.runs > total.functions * 8);
  }
}
