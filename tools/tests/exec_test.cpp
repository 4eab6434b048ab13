// The end-to-end differential: wasm -> selection -> vcr-ra -> Thumb-2 -> binutils -> Unicorn,
// against the wabt interpreter (and the MIR interpreter), on the corpus and on generated
// modules; and deliberately wrong emissions that the differential must catch.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/ir/interp.h"
#include "corpus/gen/wasmgen.h"
#include "ladder/ladder.h"
#include "ladder/wasm_facts.h"
#include "tools/execute.h"
#include "tools/pipeline.h"
#include "verifier/checker.h"
#include "tests/size_env.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>
#include <set>

using namespace vcr;

namespace {

struct Selected {
  select::WasmBinary bin;
  mir::Module module;
};

Selected selectWat(const std::string &wat, const std::string &name) {
  Diagnostics diags;
  auto bin = select::watToWasm(wat, name, diags);
  REQUIRE_MESSAGE(bin, name);
  auto sel = select::selectModule(*bin, diags);
  REQUIRE_MESSAGE(sel, name);
  return {std::move(*bin), std::move(sel->module)};
}

Selected selectFile(const std::string &path, arm::Cpu cpu = arm::Cpu::CortexM4) {
  Diagnostics diags;
  auto bin = select::loadWasmFile(path, diags);
  REQUIRE_MESSAGE(bin, path);
  select::SelectOptions so;
  so.cpu = cpu;
  auto sel = select::selectModule(*bin, diags, so);
  REQUIRE_MESSAGE(sel, path);
  return {std::move(*bin), std::move(sel->module)};
}

mir::Module allocateAll(const mir::Module &m) {
  mir::Module out = m;
  out.functions.clear();
  auto a = alloc::makeGraphColouring();
  for (const auto &f : m.functions) {
    alloc::AllocResult r = a->allocate(f, m, {});
    REQUIRE_MESSAGE(r.ok, f.name, ": ", r.error);
    out.functions.push_back(std::move(r.function));
  }
  return out;
}

/// Runs, agreements and declines over a set of modules.
struct Tally {
  unsigned functions = 0, runs = 0, agree = 0, declined = 0;
  std::vector<std::string> declines;
  void add(const std::string &where, const std::map<std::string, tools::ExecReport> &reports) {
    for (const auto &entry : reports) {  // no structured binding: the CHECK macros capture (clang-14)
      const std::string &fn = entry.first;
      const tools::ExecReport &r = entry.second;
      ++functions;
      if (r.status == "declined") {
        ++declined;
        declines.push_back(where + " @" + fn + ": " + r.reason);
        continue;
      }
      CHECK_MESSAGE(r.status == "ok", where, " @", fn, ": ", r.reason);
      CHECK_MESSAGE(r.agree == r.runs, where, " @", fn, ": ", r.firstDifference);
      runs += r.runs;
      agree += r.agree;
    }
  }
};

/// The binutils that executeModule runs (a missing one skips, or fails under CI).
bool haveBinutils() {
  return vcr::testing::toolAvailable("arm-none-eabi-as") && vcr::testing::toolAvailable("arm-none-eabi-ld");
}

const char *kCompare = R"((module
  (func (export "lt") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
  (func (export "keep") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.mul (local.get 4) (local.get 5))
             (i32.add (local.get 6) (i32.mul (local.get 0) (local.get 3))))))
)";

}  // namespace

TEST_CASE("every corpus function runs in Unicorn and agrees with wabt (or is declined with a reason)") {
  if (!haveBinutils()) return;
  Tally t;
  Diagnostics diags;
  vcr::testing::CorpusFilter filter;
  for (const auto &file : tools::collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags)) {
    if (!filter.take(file)) continue;
    Selected s = selectFile(file);
    tools::Workloads w = tools::loadWorkloads(file, diags);
    tools::ExecOptions opt;
    opt.inputs = 30;
    auto reports = tools::executeModule(s.module, allocateAll(s.module), &s.bin, w, opt);
    for (const auto &f : s.module.functions) CHECK_MESSAGE(reports.count(f.name), file, " @", f.name);
    t.add(file, reports);
  }
  CHECK(diags.empty());
  for (const auto &d : t.declines) MESSAGE("declined: ", d);
  MESSAGE(t.functions, " corpus functions, ", t.runs, " runs, ", t.agree, " agree, ", t.declined,
          " declined by the emitter");
  filter.done();
  CHECK(t.functions >= (filter.filtered() ? 40u : 80u));
  CHECK(t.declined == 0);
  CHECK(t.runs >= 20 * (t.functions - t.declined));
}

TEST_CASE("generated modules: emitted code agrees with wabt on 20+ inputs per function") {
  if (!haveBinutils()) return;
  // Floor 50: fewer functions leave most generator shapes untried.
  const unsigned count = vcr::testing::envCount("VCR_EXEC_GENERATED", 1000, 50);
  Tally t;
  for (unsigned seed = 1; t.functions < count; ++seed) {
    gen::GenOptions g;
    g.seed = 90'000 + seed;
    g.size = 20 + seed % 90;
    g.pressure = seed % 18;
    g.helpers = seed % 3;
    g.i64Share = (seed % 5) * 0.1;
    Selected s = selectWat(gen::generateWat(g), "gen" + std::to_string(g.seed) + ".wat");
    tools::ExecOptions opt;
    opt.inputs = 20;
    opt.seed = seed;
    t.add("seed " + std::to_string(g.seed), tools::executeModule(s.module, allocateAll(s.module), &s.bin, {}, opt));
  }
  MESSAGE(t.functions, " generated functions, ", t.runs, " runs, ", t.declined, " declined");
  CHECK(t.functions >= count);
  CHECK(t.declined == 0);
  CHECK(t.runs >= 20 * (t.functions - t.declined));
}

TEST_CASE("generated float and call_indirect modules: emitted code agrees with wabt") {
  if (!haveBinutils()) return;
  // Soft float on cortex-m4 (runtime calls with values live across them) and
  // dispatch through the table, with NaNs observed only where wasm fixes them.
  const unsigned count = vcr::testing::envCount("VCR_EXEC_GENERATED", 1000, 50) / 8;
  Tally t;
  unsigned indirect = 0;
  for (unsigned seed = 1; t.functions < count; ++seed) {
    gen::GenOptions g;
    g.seed = 95'000 + seed;
    g.size = 20 + seed % 80;
    g.pressure = seed % 14;
    g.helpers = 1 + seed % 3;
    g.i64Share = (seed % 3) * 0.1;
    g.floatShare = 0.15 + (seed % 4) * 0.1;
    g.indirectShare = 0.5;
    g.callShare = 0.2;
    const std::string wat = gen::generateWat(g);
    indirect += wat.find("call_indirect") != std::string::npos;
    Selected s = selectWat(wat, "fgen" + std::to_string(g.seed) + ".wat");
    tools::ExecOptions opt;
    opt.inputs = 20;
    opt.seed = seed;
    t.add("seed " + std::to_string(g.seed), tools::executeModule(s.module, allocateAll(s.module), &s.bin, {}, opt));
  }
  MESSAGE(t.functions, " generated float functions, ", t.runs, " runs, ", t.declined, " declined, ", indirect,
          " modules with call_indirect");
  CHECK(t.functions >= count);
  CHECK(t.declined == 0);
  CHECK(indirect > 0);
  CHECK(t.runs >= 20 * (t.functions - t.declined));
}

TEST_CASE("the legacy model's code of every corpus function runs in Unicorn and agrees with wabt") {
  if (!haveBinutils()) return;
  Tally t;
  Diagnostics diags;
  vcr::testing::CorpusFilter filter;
  for (const auto &file : tools::collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags)) {
    if (!filter.take(file)) continue;
    Selected s = selectFile(file);
    mir::Module legacy = s.module;
    legacy.functions.clear();
    for (const auto &f : s.module.functions) {
      ladder::LadderResult lr = ladder::runLadder(f, s.module);
      if (lr.result.ok) legacy.functions.push_back(std::move(lr.result.function));
    }
    tools::ExecOptions opt;
    t.add(file, tools::executeModule(s.module, legacy, &s.bin, tools::loadWorkloads(file, diags), opt));
  }
  MESSAGE(t.functions, " legacy allocations run, ", t.agree, " of ", t.runs, " runs agree");
  filter.done();
  CHECK(t.functions >= (filter.filtered() ? 40u : 80u));
}

TEST_CASE("the legacy model's VFP code (cortex-m7, cortex-m4f) of every float corpus function is proved and agrees with wabt") {
  if (!haveBinutils()) return;
  Diagnostics diags;
  vcr::testing::CorpusFilter filter;
  for (arm::Cpu cpu : {arm::Cpu::CortexM7, arm::Cpu::CortexM4F}) {
    Tally t;
    unsigned vfpFunctions = 0, vfpRungs = 0;
    for (const auto &file : tools::collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags)) {
      if (!filter.take(file)) continue;
      Selected s = selectFile(file, cpu);
      auto facts = ladder::wasmFacts(s.bin);
      REQUIRE(facts.has_value());
      mir::Module legacy = s.module;
      legacy.functions.clear();
      for (const auto &f : s.module.functions) {
        if (!mir::touchesVfp(f, s.module)) continue;  // the core-only functions: the test above
        ladder::LegacyEnv env;
        env.wasm = facts->find(f.wasmIndex);
        env.fpu = true;
        env.f64 = arm::hasF64(cpu);
        ladder::LadderResult lr = ladder::runLadder(f, s.module, env);
        if (!lr.result.ok) continue;
        ++vfpFunctions;
        vfpRungs += lr.rung.rfind("vfp-spill", 0) == 0 || lr.rung == "pool-grow";
        const verifier::CheckResult cr = verifier::checkFunction(f, lr.result.function, s.module, verifier::CheckOptions{});
        CHECK_MESSAGE(cr.ok(), file << " @" << f.name << " (" << lr.rung << ")\n" << cr.summary());
        legacy.functions.push_back(std::move(lr.result.function));
      }
      if (legacy.functions.empty()) continue;
      tools::ExecOptions opt;
      opt.cpu = cpu;
      t.add(file, tools::executeModule(s.module, legacy, &s.bin, tools::loadWorkloads(file, diags), opt));
    }
    MESSAGE(arm::cpuName(cpu), ": ", vfpFunctions, " legacy VFP allocations proved (", vfpRungs,
            " at a VFP rung or pool-grow), ", t.agree, " of ", t.runs, " runs agree");
    CHECK(vfpFunctions >= (filter.filtered() ? 20u : cpu == arm::Cpu::CortexM7 ? 100u : 50u));
    CHECK(vfpRungs >= 3);  // corpus/ladder/vfp_file.wat's vfp-spill, vfp-spill+int and pool-grow
    CHECK(t.runs > 0);
  }
  filter.done();
}

TEST_CASE("deliberately wrong emissions are caught by the differential") {
  if (!haveBinutils()) return;
  Selected s = selectWat(kCompare, "compare.wat");
  mir::Module allocated = allocateAll(s.module);
  tools::ExecOptions opt;
  opt.inputs = 40;
  auto clean = tools::executeModule(s.module, allocated, &s.bin, {}, opt);
  REQUIRE(clean["lt"].status == "ok");
  CHECK(clean["lt"].agree == clean["lt"].runs);
  REQUIRE(clean["keep"].status == "ok");
  CHECK(clean["keep"].agree == clean["keep"].runs);

  SUBCASE("a wrong condition code: signed less-than emitted as less-or-equal") {
    opt.patchAsm = [](std::string &text) {
      // Every condition suffix `lt` (IT masks and conditional instructions) becomes `le`.
      text = std::regex_replace(text, std::regex(R"(\b(it[et]*\s+)lt\b)"), "$1le");
      text = std::regex_replace(text, std::regex(R"(\b(mov|b)lt\b)"), "$1le");
      text = std::regex_replace(text, std::regex(R"(\b(mov|b)ge\b)"), "$1gt");
    };
    // Equal operands tell < from <=; random words rarely are, so fixed workloads add them.
    tools::Workloads equal{{"lt", {tools::Workload{{5, 5}, 1}, tools::Workload{{0xffffffffu, 0xffffffffu}, 1}}}};
    auto bad = tools::executeModule(s.module, allocated, &s.bin, equal, opt);
    REQUIRE(bad["lt"].status == "ok");
    CHECK(bad["lt"].agree < bad["lt"].runs);
    CHECK(bad["lt"].firstDifference.find("expected returned") != std::string::npos);
  }
  SUBCASE("a callee-saved register not restored: the epilogue forgets r4") {
    opt.patchAsm = [](std::string &text) {
      text = std::regex_replace(text, std::regex(R"(pop\s*\{r4, )"), "pop {");
      text = std::regex_replace(text, std::regex(R"(pop\s*\{r4\})"), "add sp, sp, #4");
    };
    auto bad = tools::executeModule(s.module, allocated, &s.bin, {}, opt);
    REQUIRE(bad["keep"].status == "ok");
    CHECK(bad["keep"].agree < bad["keep"].runs);
  }
}

TEST_CASE("soft float on cortex-m4: runtime calls run in Unicorn, and a wrong routine is caught") {
  if (!haveBinutils()) return;
  Selected s = selectWat(R"((module
    (func (export "dadd") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
    (func (export "fadd") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
    (func (export "near") (param f32) (result f32) (f32.nearest (local.get 0)))
    (func (export "conv") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))))",
                         "soft.wat");
  mir::Module allocated = allocateAll(s.module);
  tools::ExecOptions opt;
  opt.inputs = 30;
  // 2.5 rounds to 2 (ties to even); 2^31 and NaN trap in the truncation
  tools::Workloads w{{"near", {tools::Workload{{0x40200000u}, 1}, tools::Workload{{0xc0600000u}, 1}}},
                     {"conv", {tools::Workload{{0x4f000000u}, 1}, tools::Workload{{0x7fc00000u}, 1}}}};
  auto clean = tools::executeModule(s.module, allocated, &s.bin, w, opt);
  for (const char *fn : {"dadd", "fadd", "near", "conv"}) {
    REQUIRE_MESSAGE(clean[fn].status == "ok", fn, ": ", clean[fn].reason, clean[fn].firstDifference);
    CHECK_MESSAGE(clean[fn].agree == clean[fn].runs, fn, ": ", clean[fn].firstDifference);
  }
  SUBCASE("subtract instead of add, in libgcc's routines and in ours") {
    opt.patchAsm = [](std::string &text) {
      text = std::regex_replace(text, std::regex(R"(bl __aeabi_fadd)"), "bl __aeabi_fsub");
      text = std::regex_replace(text, std::regex(R"(bl __vcr_fp_dadd)"), "bl __vcr_fp_dsub");
    };
    auto bad = tools::executeModule(s.module, allocated, &s.bin, w, opt);
    CHECK(bad["fadd"].agree < bad["fadd"].runs);
    CHECK(bad["dadd"].agree < bad["dadd"].runs);
  }
  SUBCASE("ceil instead of nearest, a truncation that does not trap") {
    opt.patchAsm = [](std::string &text) {
      text = std::regex_replace(text, std::regex(R"(bl __vcr_fp_fnearest)"), "bl __vcr_fp_fceil");
      text = std::regex_replace(text, std::regex(R"(bl __vcr_fp_f2i_s\b)"), "bl __vcr_fp_f2i_sat_s");
    };
    auto bad = tools::executeModule(s.module, allocated, &s.bin, w, opt);
    CHECK(bad["near"].agree < bad["near"].runs);
    CHECK(bad["conv"].agree < bad["conv"].runs);
  }
}

TEST_CASE("NaN bits: a payload the FPU propagates where the interpreters give the canonical NaN agrees up to NaN bits, a wrong result does not") {
  if (!haveBinutils()) return;
  // 1 + a NaN with a payload, read back as an integer: VADD keeps the
  // payload (FPSCR.DN clear, the reset state), wabt and the MIR interpreter
  // give 0x7fc00000. wasm allows any NaN there.
  const std::string wat = R"((module
    (func (export "bits32") (param f32) (result i32) (i32.reinterpret_f32 (f32.add (f32.const 1) (local.get 0))))
    (func (export "bits64") (param f64) (result i64) (i64.reinterpret_f64 (f64.add (f64.const 1) (local.get 0))))
    (func (export "sqrt32") (param f32) (result i32) (i32.reinterpret_f32 (f32.sqrt (local.get 0))))))";
  Diagnostics diags;
  auto bin = select::watToWasm(wat, "nanbits.wat", diags);
  REQUIRE(bin);
  const tools::Workloads w{{"bits32", {tools::Workload{{0xffc00001u}, 1}, tools::Workload{{0x40000000u}, 1}}},
                           {"bits64", {tools::Workload{{0xfff8000000000001ull}, 1}, tools::Workload{{0x4000000000000000ull}, 1}}},
                           {"sqrt32", {tools::Workload{{0xffc00001u}, 1}, tools::Workload{{0x40800000u}, 1}}}};
  for (arm::Cpu cpu : {arm::Cpu::CortexM4, arm::Cpu::CortexM4F, arm::Cpu::CortexM7}) {
    CAPTURE(arm::cpuName(cpu));
    select::SelectOptions so;
    so.cpu = cpu;
    auto sel = select::selectModule(*bin, diags, so);
    REQUIRE(sel);
    const mir::Module allocated = allocateAll(sel->module);
    tools::ExecOptions opt;
    opt.cpu = cpu;
    opt.inputs = 0;  // the workloads alone: a NaN with a payload, and 2.0
    auto r = tools::executeModule(sel->module, allocated, &*bin, w, opt);
    for (const char *fn : {"bits32", "bits64", "sqrt32"}) {
      CAPTURE(fn);
      REQUIRE_MESSAGE(r[fn].status == "ok", r[fn].reason);
      CHECK(r[fn].runs == 2);
      CHECK_MESSAGE(r[fn].agree == 2, r[fn].firstDifference);
    }
    // VADD.F32 on the FPUs, libgcc's __aeabi_fadd on cortex-m4: both keep the payload
    CHECK(r["bits32"].nanBitsOnly == 1);
    CHECK(r["sqrt32"].nanBitsOnly == 1);  // VSQRT, or our __vcr_fp_fsqrt on cortex-m4 (it keeps the payload too)
    if (cpu == arm::Cpu::CortexM7) CHECK(r["bits64"].nanBitsOnly == 1);  // VADD.F64 on the M7 (a routine elsewhere)
    // Teeth: 1 - x instead of 1 + x differs on 2.0, in default NaN mode too.
    opt.patchAsm = [](std::string &text) {
      text = std::regex_replace(text, std::regex(R"(vadd\.f32)"), "vsub.f32");
      text = std::regex_replace(text, std::regex(R"(bl __aeabi_fadd)"), "bl __aeabi_fsub");
    };
    auto bad = tools::executeModule(sel->module, allocated, &*bin, w, opt);
    CHECK(bad["bits32"].agree == 1);
  }
}

TEST_CASE("a function named like the runtime routine its module links (__divsf3) runs as the module's") {
  if (!haveBinutils()) return;
  // f32.div on cortex-m4 links libgcc's __divsf3; the module's own export
  // of that name used to be looked up as the libgcc routine and "disagreed".
  Selected s = selectWat(R"((module
    (func (export "__divsf3") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
    (func (export "div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))))",
                         "clash.wat");
  mir::Module allocated = allocateAll(s.module);
  tools::ExecOptions opt;
  opt.inputs = 20;
  auto r = tools::executeModule(s.module, allocated, &s.bin, {}, opt);
  for (const char *fn : {"__divsf3", "div"}) {
    CAPTURE(fn);
    REQUIRE_MESSAGE(r[fn].status == "ok", r[fn].reason);
    CHECK(r[fn].runs >= 20);
    CHECK_MESSAGE(r[fn].agree == r[fn].runs, r[fn].firstDifference);
  }
}

TEST_CASE("soft float on cortex-m4: a loop of f64 routines is not cut short, and one that never ends is caught") {
  if (!haveBinutils()) return;
  // Newton's square root, n rounds: each round is a few MIR steps, and on
  // cortex-m4 each of them a runtime routine of hundreds of instructions
  // (a division, a square root): far more than 40 instructions per step,
  // the budget that fits compiled code (Embench's nbody ran out of it).
  Selected s = selectWat(R"((module
    (func (export "newton") (param f64 i32) (result f64) (local f64)
      (local.set 2 (f64.add (local.get 0) (f64.const 1)))
      (block (loop
        (br_if 1 (i32.eqz (local.get 1)))
        (local.set 2 (f64.mul (f64.const 0.5)
          (f64.add (local.get 2) (f64.div (local.get 0) (local.get 2)))))
        (local.set 2 (f64.add (local.get 2) (f64.sub (f64.sqrt (local.get 0)) (f64.sqrt (local.get 0)))))
        (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
        (br 0)))
      (local.get 2))))",
                         "newton.wat");
  mir::Module allocated = allocateAll(s.module);
  tools::ExecOptions opt;
  opt.inputs = 1;
  // 2.0 and 3,000 rounds: some 30,000 steps, so 40 per step plus the slack
  // (1,000,000) is too few for the routines' instructions.
  const std::vector<uint64_t> args{0x4000000000000000ull, 3000};
  const tools::Workloads w{{"newton", {tools::Workload{args, 1}}}};
  mir::ExecEnv env;
  env.memory.assign(size_t(s.module.memoryPages) * 65536, 0);
  const mir::ExecResult vreg = mir::execute(s.module, "newton", args, env);
  REQUIRE(vreg.status == mir::ExecResult::Status::Returned);
  auto clean = tools::executeModule(s.module, allocated, &s.bin, w, opt);
  REQUIRE_MESSAGE(clean["newton"].status == "ok", clean["newton"].reason, clean["newton"].firstDifference);
  CHECK_MESSAGE(clean["newton"].agree == clean["newton"].runs, clean["newton"].firstDifference);
  CHECK(clean["newton"].workload);
  // The workload's run did need more than the first budget.
  CHECK(clean["newton"].insns > 40 * vreg.steps + 1'000'000);
  SUBCASE("a square root that never returns is a disagreement, not a pass") {
    opt.patchAsm = [](std::string &text) {
      text = std::regex_replace(text, std::regex(R"(bl __vcr_fp_dsqrt)"), "b .");
    };
    auto bad = tools::executeModule(s.module, allocated, &s.bin, w, opt);
    CHECK(bad["newton"].agree < bad["newton"].runs);
    CHECK(bad["newton"].firstDifference.find("exhausted") != std::string::npos);
  }
}

TEST_CASE("bulk memory: memory.copy and memory.fill run in Unicorn, and a wrong routine is caught") {
  if (!haveBinutils()) return;
  Selected s = selectFile(std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/bulk_memory.wat");
  mir::Module allocated = allocateAll(s.module);
  Diagnostics diags;
  tools::Workloads w = tools::loadWorkloads(std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/bulk_memory.wat", diags);
  REQUIRE(w.count("edges"));
  tools::ExecOptions opt;
  opt.inputs = 20;
  auto clean = tools::executeModule(s.module, allocated, &s.bin, w, opt);
  for (const char *fn : {"copy_up", "copy_down", "copy_any", "fill", "fill_any", "edges", "store_then_oob",
                         "init", "init_any", "drop_then_init", "drop_twice"}) {
    REQUIRE_MESSAGE(clean[fn].status == "ok", fn, ": ", clean[fn].reason, clean[fn].firstDifference);
    CHECK_MESSAGE(clean[fn].agree == clean[fn].runs, fn, ": ", clean[fn].firstDifference);
  }
  SUBCASE("a copy that always runs front to back (memcpy, not memmove)") {
    opt.patchAsm = [](std::string &text) {
      text = std::regex_replace(text, std::regex(R"(cmp r0, r1\n\tbhi 4f)"), "cmp r0, r1\n\tnop");
    };
    auto bad = tools::executeModule(s.module, allocated, &s.bin, w, opt);
    CHECK(bad["copy_up"].agree < bad["copy_up"].runs);
    CHECK(bad["copy_down"].agree == bad["copy_down"].runs);  // destination below: forward is right
  }
  SUBCASE("a fill whose bounds check is gone writes before it should trap") {
    opt.patchAsm = [](std::string &text) {
      text = std::regex_replace(text, std::regex(R"((__vcr_memory_fill:\n\tadds r3, r0, r2\n\tbcs 9f\n\tcmp r3, r10\n)\tbhi 9f)"), "$1\tnop");
    };
    auto bad = tools::executeModule(s.module, allocated, &s.bin, w, opt);
    CHECK(bad["edges"].agree < bad["edges"].runs);
  }
  SUBCASE("a data.drop that drops nothing") {
    opt.patchAsm = [](std::string &text) {
      text = std::regex_replace(text, std::regex(R"(str r1, \[r12, r0, lsl #3\])"), "nop");
    };
    auto bad = tools::executeModule(s.module, allocated, &s.bin, w, opt);
    CHECK(bad["drop_then_init"].agree < bad["drop_then_init"].runs);
  }
}

TEST_CASE("call_indirect: table dispatch and its three traps run in Unicorn, and a skipped check is caught") {
  if (!haveBinutils()) return;
  const std::string file = std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/call_indirect.wat";
  Selected s = selectFile(file);
  // the fixture's workloads reach every trap (on the MIR interpreter, vreg form)
  std::set<mir::TrapReason> seen;
  for (uint64_t op : {3u, 6u, 0u, 9u}) {
    mir::ExecEnv env;
    env.memory.assign(size_t(s.module.memoryPages) * 65536u, 0);
    const std::vector<uint64_t> args{op, 7, 3};
    mir::ExecResult r = mir::execute(s.module, "dispatch", args, env);
    if (r.status == mir::ExecResult::Status::Trapped) seen.insert(r.trap);
    if (op == 3) CHECK(r.results.at(0) == 31);
  }
  CHECK(seen == std::set<mir::TrapReason>{mir::TrapReason::NullFunc, mir::TrapReason::BadSig,
                                          mir::TrapReason::TableOob});
  Diagnostics diags;
  tools::Workloads w = tools::loadWorkloads(file, diags);
  const mir::Module allocated = allocateAll(s.module);
  tools::ExecOptions opt;
  opt.inputs = 10;
  Tally t;
  t.add(file, tools::executeModule(s.module, allocated, &s.bin, w, opt));
  CHECK(t.declined == 0);
  CHECK(t.runs > 0);
  // without the signature check, slot 0 ($unop) is called as a $binop
  opt.patchAsm = [](std::string &text) {
    text = std::regex_replace(text, std::regex(R"(\n\tbne \.L\w+_trap_badsig)"), "");
  };
  auto bad = tools::executeModule(s.module, allocated, &s.bin, w, opt);
  REQUIRE(bad["dispatch"].status == "ok");
  CHECK(bad["dispatch"].agree < bad["dispatch"].runs);
}
