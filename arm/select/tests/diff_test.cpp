// The selection differential: every corpus function and thousands of
// generated ones run in the wabt oracle and the MIR interpreter on the same
// inputs; and proof that it catches deliberately wrong lowerings.
#include "arm/select/tests/diff_util.h"

#include <doctest/doctest.h>

#include "corpus/gen/wasmgen.h"
#include "tests/size_env.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

using namespace vcr;
using namespace vcr::select;
using namespace vcr::select::test;

namespace {

/// A module exercising every supported operator, one function each, plus
/// control flow, calls, globals and memory.
std::string opsModule() {
  std::string w = R"((module
  (import "env" "mix" (func $mix (param i32 i64) (result i64)))
  (memory 1)
  (global $g (mut i32) (i32.const 5))
  (global $h (mut i64) (i64.const 0x100000007))
)";
  auto fn = [&](const std::string &name, const std::string &sig, const std::string &body) {
    w += "  (func $" + name + " " + sig + "\n    " + body + ")\n";
  };
  for (std::string t : {"i32", "i64"}) {
    for (std::string op : {"add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor",
                           "shl", "shr_s", "shr_u", "rotl", "rotr"})
      fn(t + "_" + op, "(param " + t + " " + t + ") (result " + t + ")",
         "(" + t + "." + op + " (local.get 0) (local.get 1))");
    for (std::string op : {"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"})
      fn(t + "_" + op, "(param " + t + " " + t + ") (result i32)",
         "(" + t + "." + op + " (local.get 0) (local.get 1))");
    for (std::string op : {"clz", "ctz", "popcnt", "extend8_s", "extend16_s"})
      fn(t + "_" + op, "(param " + t + ") (result " + t + ")", "(" + t + "." + op + " (local.get 0))");
    fn(t + "_eqz", "(param " + t + ") (result i32)", "(" + t + ".eqz (local.get 0))");
    fn(t + "_select", "(param " + t + " " + t + " i32) (result " + t + ")",
       "(select (local.get 0) (local.get 1) (local.get 2))");
  }
  fn("i64_extend32_s", "(param i64) (result i64)", "(i64.extend32_s (local.get 0))");
  fn("wrap", "(param i64) (result i32)", "(i32.wrap_i64 (local.get 0))");
  fn("ext_s", "(param i32) (result i64)", "(i64.extend_i32_s (local.get 0))");
  fn("ext_u", "(param i32) (result i64)", "(i64.extend_i32_u (local.get 0))");
  for (std::string off : {"0", "3", "65534"}) {
    for (std::string op : {"i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u"})
      fn("ld_" + op.substr(4) + "_" + off, "(param i32) (result i32)",
         "(" + op + " offset=" + off + " (local.get 0))");
    for (std::string op : {"i64.load", "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u",
                           "i64.load32_s", "i64.load32_u"})
      fn("ld64_" + op.substr(4) + "_" + off, "(param i32) (result i64)",
         "(" + op + " offset=" + off + " (local.get 0))");
    for (std::string op : {"i32.store", "i32.store8", "i32.store16"})
      fn("st_" + op.substr(4) + "_" + off, "(param i32 i32)",
         "(" + op + " offset=" + off + " (local.get 0) (local.get 1))");
    for (std::string op : {"i64.store", "i64.store8", "i64.store16", "i64.store32"})
      fn("st64_" + op.substr(4) + "_" + off, "(param i32 i64)",
         "(" + op + " offset=" + off + " (local.get 0) (local.get 1))");
  }
  w += R"(
  (func $memsize (result i32) (memory.size))
  (func $globals (param i32 i64) (result i64)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (global.set $h (i64.sub (global.get $h) (local.get 1)))
    (i64.add (global.get $h) (i64.extend_i32_u (global.get $g))))
  (func $call_import (param i32 i64) (result i64)
    (i64.xor (call $mix (local.get 0) (local.get 1)) (call $mix (i32.const 3) (local.get 1))))
  (func $fact (param i32) (result i64)
    (if (result i64) (i32.le_u (local.get 0) (i32.const 1))
      (then (i64.const 1))
      (else (i64.mul (i64.extend_i32_u (local.get 0))
                     (call $fact (i32.sub (local.get 0) (i32.const 1)))))))
  (func $fact_bounded (param i32) (result i64) (call $fact (i32.and (local.get 0) (i32.const 15))))
  (func $sum_loop (param i32 i32) (result i32) (local i32)
    (local.set 0 (i32.and (local.get 0) (i32.const 63)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 2 (i32.add (local.get 2) (i32.mul (local.get 0) (local.get 1))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get 2))
  (func $switch (param i32 i64) (result i64)
    (block $b3 (result i64)
      (block $b2 (result i64)
        (block $b1 (result i64)
          (block $b0 (result i64)
            (local.get 1) (local.get 0) (br_table $b0 $b1 $b2 $b3 $b1))
          (i64.const 3) i64.mul (br $b3))
        (i64.const 5) i64.add)
      (i64.const 7) i64.xor))
  (func $switch_ret (param i32) (result i32)
    (block $a (block $b (br_table $a $b 1 (local.get 0))) (return (i32.const 11)))
    (i32.const 22))
  (func $alias (param i32 i32) (result i32)
    (local.get 0)
    (block (br_if 0 (local.get 1)) (local.set 0 (i32.const 5)))
    (local.get 0)
    (local.tee 0 (i32.const 9))
    (local.get 0)
    (i32.add (i32.sub))
    (i32.add))
  (func $ifs (param i32 i32) (result i32) (local i64)
    (if (local.get 0) (then (local.set 2 (i64.const -1))))
    (if (result i32) (i32.and (local.get 1) (i32.const 1))
      (then (i32.wrap_i64 (i64.shr_u (local.get 2) (i64.extend_i32_u (local.get 1)))))
      (else (unreachable))))
  (func $loop_result (param i32) (result i32) (local i32)
    (loop $l (result i32)
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (i32.and (local.get 0) (i32.const 7))))
      (i32.mul (local.get 1) (local.get 0))))
  (func $trap_after_store (param i32 i32) (result i32)
    (i32.store (i32.and (local.get 0) (i32.const 0xfffc)) (local.get 1))
    (i32.div_u (local.get 1) (i32.and (local.get 0) (i32.const 1))))
)
)";
  return w;
}

/// Every .wat/.wasm under corpus/, sorted.
std::vector<std::string> corpusFiles() {
  std::vector<std::string> files;
  std::filesystem::path root = std::filesystem::path(VCR_SOURCE_DIR) / "corpus";
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    auto ext = it->path().extension();
    if (it->is_regular_file() && (ext == ".wat" || ext == ".wasm")) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

DiffStats diffWat(const std::string &wat, const std::string &file, const DiffOptions &opt) {
  Diagnostics diags;
  auto bin = watToWasm(wat, file, diags);
  if (!bin) {
    DiffStats st;
    st.disagreements = 1;
    st.firstFailure = file + ": does not load: " + (diags.empty() ? "" : diags[0].str());
    return st;
  }
  return diffModule(*bin, opt);
}

DiffStats diffCorpus(const DiffOptions &opt) {
  DiffStats total;
  for (const auto &path : corpusFiles()) {
    Diagnostics diags;
    auto bin = loadWasmFile(path, diags);
    if (!bin) {
      DiffStats st;
      st.disagreements = 1;
      st.firstFailure = path + ": does not load: " + (diags.empty() ? "" : diags[0].str());
      total.add(st);
      continue;
    }
    total.add(diffModule(*bin, opt));
  }
  return total;
}

/// Generated modules until `functions` selected functions were compared.
DiffStats diffGenerated(size_t functions, const DiffOptions &opt) {
  DiffStats total;
  for (uint64_t seed = 1; total.functions < functions && seed < 100000; ++seed) {
    gen::GenOptions g;
    g.seed = seed;
    g.pressure = 4 + static_cast<unsigned>(seed % 9);
    g.i64Share = (seed % 4) * 0.15;
    DiffOptions o = opt;
    o.seed = opt.seed + seed;
    total.add(diffWat(gen::generateWat(g), "gen-seed-" + std::to_string(seed) + ".wat", o));
    if (opt.stopAtFirst && total.disagreements) break;
  }
  return total;
}

/// Generated functions to compare (VCR_DIFF_GENERATED); floor 100: fewer
/// leave most generator shapes untried.
size_t generatedCount() { return vcr::testing::envCount("VCR_DIFF_GENERATED", 2000, 100); }

void report(const char *what, const DiffStats &st) {
  std::cout << "[select diff] " << what << ": " << st.summary() << "\n";
  if (!st.firstFailure.empty()) std::cout << "[select diff] first problem: " << st.firstFailure << "\n";
}

}  // namespace

TEST_CASE("differential: every operator, control flow, calls, globals, memory") {
  DiffOptions opt;
  opt.inputsPerFunction = 48;
  DiffStats st = diffWat(opsModule(), "ops.wat", opt);
  report("operators", st);
  CHECK(st.functions > 120);
  CHECK(st.declined == 0);
  CHECK(st.runs > st.functions * 40);
  CHECK(st.invalid == 0);
  CHECK(st.disagreements == 0);
}

TEST_CASE("differential: every corpus function runs alike in the wabt oracle and the MIR interpreter") {
  DiffOptions opt;
  opt.inputsPerFunction = 24;
  DiffStats st = diffCorpus(opt);
  report("corpus", st);
  CHECK(st.invalid == 0);
  CHECK(st.disagreements == 0);
  CHECK(st.modules >= 20);
  CHECK(st.functions >= 80);
  CHECK(st.runs > st.functions * 10);
}

TEST_CASE("differential: generated functions run alike in the wabt oracle and the MIR interpreter") {
  DiffOptions opt;
  opt.inputsPerFunction = 20;
  size_t n = generatedCount();
  DiffStats st = diffGenerated(n, opt);
  report("generated", st);
  CHECK(st.functions >= n);
  CHECK(st.invalid == 0);
  CHECK(st.disagreements == 0);
}

TEST_CASE("the differential catches each deliberately wrong lowering") {
  using Fault = SelectOptions::Fault;
  for (Fault f : {Fault::SubSwapped, Fault::ShrSigned, Fault::LtUnsigned}) {
    CAPTURE(static_cast<int>(f));
    DiffOptions opt;
    opt.select.fault = f;
    opt.stopAtFirst = true;
    opt.validate = false;
    DiffStats st = diffCorpus(opt);
    if (!st.disagreements) st.add(diffGenerated(200, opt));
    report("with a fault", st);
    CHECK(st.disagreements > 0);
    DiffStats ops = diffWat(opsModule(), "ops.wat", opt);
    CHECK(ops.disagreements > 0);
  }
}
