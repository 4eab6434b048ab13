#include "tools/pipeline.h"
#include "tools/report.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace vcr::tools;

namespace {
/// A fresh temporary directory with the given files.
fs::path makeDir(const std::string &name,
                 const std::vector<std::pair<std::string, std::string>> &files) {
  fs::path d = fs::temp_directory_path() / ("vcr-pipeline-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  for (const auto &[n, text] : files) std::ofstream(d / n, std::ios::binary) << text;
  return d;
}
const FunctionReport *find(const Report &r, const std::string &fn) {
  for (const auto &f : r.functions)
    if (f.function == fn) return &f;
  return nullptr;
}
bool anyDiagMentions(const Report &r, const std::string &s) {
  for (const auto &d : r.diags)
    if (d.str().find(s) != std::string::npos) return true;
  return false;
}
const std::string kGood = R"((module
  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add)
  (func $half (export "half") (param f32) (result f32)
    local.get 0 f32.const 0.5 f32.mul))
)";
}  // namespace

TEST_CASE("bad inputs are reported by file and do not stop the other files") {
  std::string wasmHeaderOnly("\0asm\1\0\0\0\1\5", 10);  // truncated type section
  fs::path d = makeDir("bad", {{"a_good.wat", kGood},
                               {"b_malformed.wat", "(module (func $f (result i32) i32.add"},
                               {"c_truncated.wasm", wasmHeaderOnly},
                               {"d_garbage.wasm", "not wasm at all"},
                               {"e_bad.mir", "func @f() -> (i32) {\nbb0:\n  ret v9\n}\n"},
                               {"f_ignored.txt", "ignored"}});
  PipelineOptions opt;
  opt.cpu = vcr::arm::Cpu::CortexM4F;  // floats in S registers there (cortex-m4: soft float)
  Report r = runPipeline({d.string(), (d / "missing.wat").string()}, opt);
  CHECK(r.filesRead == 5);
  CHECK(r.exitCode() == 2);
  CHECK(anyDiagMentions(r, "b_malformed.wat"));
  CHECK(anyDiagMentions(r, "c_truncated.wasm"));
  CHECK(anyDiagMentions(r, "d_garbage.wasm"));
  CHECK(anyDiagMentions(r, "e_bad.mir"));
  CHECK(anyDiagMentions(r, "missing.wat"));
  const FunctionReport *add = find(r, "add");
  REQUIRE(add);
  CHECK(add->status == "ok");
  REQUIRE(add->alloc);
  CHECK(add->alloc->moves == 0);  // coalescing removes the ABI copies
  const FunctionReport *half = find(r, "half");
  REQUIRE(half);
  CHECK(half->status == "ok");  // selected to VFP classes, allocated and proved
  REQUIRE(half->alloc);
}

TEST_CASE("the JSON report has the documented shape") {
  fs::path d = makeDir("json", {{"m.wat", kGood}});
  PipelineOptions m4f;
  m4f.cpu = vcr::arm::Cpu::CortexM4F;  // $half in S registers there
  Report r = runPipeline({d.string()}, m4f);
  nlohmann::json j = toJson(r);
  CHECK(j["tool"] == "verify-alloc");
  CHECK(j.contains("version"));
  REQUIRE(j["functions"].size() == 2);
  for (const auto &f : j["functions"]) {
    for (const char *k : {"file", "function", "status", "mir_instructions", "vregs",
                          "peak_pressure", "calls", "loops"})
      CHECK_MESSAGE(f.contains(k), k);
    if (f["status"] == "ok") {
      for (const char *k : {"rounds", "spilled_vregs", "spill_stores", "reloads", "remats",
                            "moves", "frame_bytes", "callee_saved", "time_us"})
        CHECK_MESSAGE(f["alloc"].contains(k), k);
    } else {
      CHECK(f.contains("reason"));
    }
  }
  CHECK(j["summary"]["functions"] == 2);
  CHECK(j["summary"]["declined"] == 0);
  CHECK(j["summary"]["exit_code"] == 0);
  CHECK(j["run"]["cpu"] == "cortex-m4f");
  CHECK(toTable(r).find("add") != std::string::npos);
  CHECK(toTable(r).rfind("cpu cortex-m4f\n", 0) == 0);
  Report m4 = runPipeline({d.string()}, PipelineOptions{});  // the default CPU compiles $half (soft float)
  CHECK(toJson(m4)["summary"]["declined"] == 0);
  CHECK(toJson(m4)["run"]["cpu"] == "cortex-m4");
}

TEST_CASE("the bundled corpus: every function selected or declined, pressure fixtures measured") {
  Report r = runPipeline({std::string(VCR_SOURCE_DIR) + "/corpus"}, PipelineOptions{});
  CHECK(r.exitCode() == 0);
  for (const auto &d : r.diags) FAIL_CHECK(d.str());
  for (const auto &f : r.functions) {
    CHECK_MESSAGE(f.status != "error", f.file, ": ", f.function, ": ", f.reason);
    if (f.status == "ok") CHECK_MESSAGE(f.alloc.has_value(), f.function);
  }
  const FunctionReport *p10 = find(r, "pressure10");
  REQUIRE(p10);
  CHECK(p10->peakPressure >= 10);
  const FunctionReport *cl = find(r, "control_loop");
  REQUIRE(cl);
  CHECK(cl->peakPressure == 8);
  REQUIRE(cl->alloc);
  CHECK(cl->alloc->spilledVRegs == 0);
}

TEST_CASE("--emit-mir and --dot write the allocated MIR and coloured interference graphs") {
  fs::path d = makeDir("emit", {{"m.wat", kGood}});
  PipelineOptions opt;
  opt.emitMirDir = (d / "mir").string();
  opt.dotDir = (d / "dot").string();
  Report r = runPipeline({(d / "m.wat").string()}, opt);
  CHECK(r.exitCode() == 0);
  std::ifstream mir(d / "mir" / "m.mir");
  REQUIRE(mir.good());
  std::string text((std::istreambuf_iterator<char>(mir)), std::istreambuf_iterator<char>());
  CHECK(text.find("func @add(i32, i32) -> (i32) allocated") != std::string::npos);
  CHECK(text.find("add r0, r0, r1") != std::string::npos);
  std::ifstream dot(d / "dot" / "m.add.dot");
  REQUIRE(dot.good());
  std::string graph((std::istreambuf_iterator<char>(dot)), std::istreambuf_iterator<char>());
  CHECK(graph.find("graph") != std::string::npos);
  CHECK(graph.find("fillcolor") != std::string::npos);
}

TEST_CASE("verify-alloc --allocated proves a correct allocation made elsewhere and refutes a wrong one and --emit-asm writes Thumb-2") {
  fs::path d = makeDir("external", {{"m.wat", kGood}});
  PipelineOptions opt;
  opt.emitMirDir = (d / "mir").string();
  opt.emitAsmDir = (d / "asm").string();
  REQUIRE(runPipeline({(d / "m.wat").string()}, opt).exitCode() == 0);
  std::ifstream s(d / "asm" / "m.s");
  std::string asmText((std::istreambuf_iterator<char>(s)), std::istreambuf_iterator<char>());
  CHECK(asmText.find(".syntax unified") != std::string::npos);
  CHECK(asmText.find("vcr_fn_add:") != std::string::npos);
  CHECK(asmText.find("bx lr") != std::string::npos);

  std::ifstream in(d / "mir" / "m.mir");
  std::string mirText((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  PipelineOptions ext;
  ext.allocatedFile = (d / "mir" / "m.mir").string();
  Report same = runPipeline({(d / "m.wat").string()}, ext);
  CHECK(same.exitCode() == 0);
  REQUIRE(find(same, "add"));
  CHECK(find(same, "add")->status == "ok");
  auto headerWarnings = [](const Report &r) {
    unsigned n = 0;
    for (const auto &diag : r.diags)
      n += diag.level == vcr::Diagnostic::Level::Warning && diag.message.find("module header") != std::string::npos;
    return n;
  };
  CHECK(headerWarnings(same) == 0);
  // A header edited in the allocated file alone changes nothing, and says so.
  {
    std::string grown = mirText;  // (the module has no memory: its header, if any, says no memory line)
    REQUIRE(grown.find("memory ") == std::string::npos);
    if (const size_t at = grown.find("module {\n"); at != std::string::npos) grown.insert(at + 9, "  memory 3\n");
    else grown = "module {\n  memory 3\n}\n\n" + grown;
    std::ofstream(d / "header.mir") << grown;
    ext.allocatedFile = (d / "header.mir").string();
    Report edited = runPipeline({(d / "m.wat").string()}, ext);
    CHECK(edited.exitCode() == 0);
    CHECK(headerWarnings(edited) == 1);
    REQUIRE(find(edited, "add"));
    CHECK(find(edited, "add")->status == "ok");
  }

  // add r0, r0, r1 -> add r0, r0, r0: the checker refutes it with a counterexample.
  const std::string bad = "add r0, r0, r1";
  REQUIRE(mirText.find(bad) != std::string::npos);
  mirText.replace(mirText.find(bad), bad.size(), "add r0, r0, r0");
  std::ofstream(d / "wrong.mir") << mirText;
  ext.allocatedFile = (d / "wrong.mir").string();
  Report wrong = runPipeline({(d / "m.wat").string()}, ext);
  CHECK(wrong.exitCode() == 1);
  REQUIRE(find(wrong, "add"));
  CHECK(find(wrong, "add")->status == "refuted");
  CHECK(toTable(wrong).find("diverges at") != std::string::npos);

  ext.allocatedFile = (d / "missing.mir").string();
  CHECK(runPipeline({(d / "m.wat").string()}, ext).exitCode() == 2);
  // a directory (named like a .mir file or not) is an error naming it, not a crash
  for (const fs::path &dir : {d / "mir", d / "dir.mir"}) {
    fs::create_directories(dir);
    ext.allocatedFile = dir.string();
    const Report r = runPipeline({(d / "m.wat").string()}, ext);
    CHECK(r.exitCode() == 2);
    bool named = false;
    for (const auto &diag : r.diags) named |= diag.file == dir.string() && diag.message.find("directory") != std::string::npos;
    CHECK_MESSAGE(named, dir.string());
  }
}

TEST_CASE("--run counts the inputs it could not judge: a function the interpreter never finishes has no run, and says so") {
  if (!vcr::testing::toolAvailable("arm-none-eabi-as") || !vcr::testing::toolAvailable("arm-none-eabi-ld")) return;
  fs::path d = makeDir("noverdict", {{"m.wat", R"((module
  (func $runaway (export "runaway") (call $runaway))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))))"}});
  PipelineOptions opt;
  opt.run = true;
  const Report r = runPipeline({(d / "m.wat").string()}, opt);
  CHECK(r.exitCode() == 0);
  const nlohmann::json j = toJson(r);
  bool seen = false;
  for (const auto &f : j["functions"]) {
    CAPTURE(f["function"]);
    if (f["function"] == "runaway") {
      seen = true;
      CHECK(f["exec"]["runs"] == 0);
      CHECK(f["exec"]["no_verdict"] == 20);  // every seeded input, none with an expected outcome
    } else {
      CHECK(f["exec"]["runs"] == 20);
      CHECK_FALSE(f["exec"].contains("no_verdict"));
    }
  }
  CHECK(seen);
  CHECK(j["summary"]["exec_no_verdict"] == 20);
  const std::string table = toTable(r);
  CHECK(table.find("run 0/0 (+20 no verdict)") != std::string::npos);
  CHECK(table.find("20 inputs without a verdict") != std::string::npos);
  CHECK(table.find("1 function with no run at all") != std::string::npos);
}

TEST_CASE("the text table says why --native gave no figure, once per file and reason") {
  // A failed compile of the sibling .c left the native column empty and its
  // reason in the JSON alone (found by a sweep of clang-compiled C).
  Report rep;
  for (const char *fn : {"a", "b"}) {
    FunctionReport f;
    f.file = "k.wasm";
    f.function = fn;
    ExecReport e;
    e.status = "ok";
    e.runs = e.agree = 20;
    e.nativeNote = "clang-14 failed: k.c:1:1: error: __int128 is not supported on this target";
    f.exec = e;
    rep.functions.push_back(f);
  }
  FunctionReport measured;
  measured.file = "k.wasm";
  measured.function = "c";
  ExecReport e;
  e.status = "ok";
  e.runs = e.agree = 20;
  e.nativeInsns = 17;
  measured.exec = e;
  rep.functions.push_back(measured);
  const std::string table = toTable(rep);
  INFO(table);
  size_t dashes = 0;
  for (size_t p = table.find(" native -"); p != std::string::npos; p = table.find(" native -", p + 1)) ++dashes;
  CHECK(dashes == 2);
  CHECK(table.find(" native 17") != std::string::npos);
  const std::string note = "k.wasm: --native: clang-14 failed: k.c:1:1: error: __int128 is not supported on this target";
  const size_t at = table.find(note);
  REQUIRE(at != std::string::npos);
  CHECK(table.find(note, at + 1) == std::string::npos);  // once
}

TEST_CASE("vreg MIR with VFP values is an input error on cortex-m4, which has no FPU") {
  // A .vreg.mir written for cortex-m7 came out "ok" and proved on
  // cortex-m4, with S registers the CPU does not have (only --run's
  // emitter then declined it). It is the input's fault, said per function;
  // its integer functions still allocate, and on cortex-m4f it all does.
  const fs::path d = makeDir("vfp-on-m4", {{"m.vreg.mir", "func @h(f32) -> (f32) {\nbb0:\n  param v0\n"
                                                          "  fmul.f32 v1, v0, v0\n  ret v1\n}\n\n"
                                                          "func @i(i32) -> (i32) {\nbb0:\n  param v0\n"
                                                          "  add v1, v0, v0\n  ret v1\n}\n"}});
  PipelineOptions opt;
  opt.jobs = 1;
  Report rep = runPipeline({(d / "m.vreg.mir").string()}, opt);
  const FunctionReport *h = find(rep, "h"), *i = find(rep, "i");
  REQUIRE(h);
  REQUIRE(i);
  CHECK(h->status == "error");
  CHECK(h->inputError);
  CHECK(h->reason.find("which cortex-m4 has not") != std::string::npos);
  CHECK(i->status == "ok");
  opt.cpu = vcr::arm::Cpu::CortexM4F;
  rep = runPipeline({(d / "m.vreg.mir").string()}, opt);
  REQUIRE(find(rep, "h"));
  CHECK(find(rep, "h")->status == "ok");
  fs::remove_all(d);
}
