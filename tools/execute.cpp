// verify-alloc --run: emit, assemble, link and run allocated code in Unicorn; compare with the oracles.
#include "tools/execute.h"

#include "arm/emit/emit.h"
#include "arm/exec/exec.h"
#include "arm/exec/process.h"
#include "arm/select/oracle.h"
#include "arm/target/runtime.h"
#include "core/ir/diff.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace fs = std::filesystem;

namespace vcr::tools {

namespace {

/// Unicorn's instruction budget of a run: this many instructions per step
/// of the MIR interpreter on the same input, plus the slack (and more for
/// runtime routines: exec::runDiffInput).
constexpr uint64_t kInsnsPerStep = 40, kInsnsSlack = 1'000'000;

using Status = mir::ExecResult::Status;


Status fromOracle(select::OracleRun::Status s) {
  switch (s) {
  case select::OracleRun::Status::Returned: return Status::Returned;
  case select::OracleRun::Status::Trapped: return Status::Trapped;
  case select::OracleRun::Status::Exhausted: return Status::Exhausted;
  case select::OracleRun::Status::Error: return Status::Error;
  }
  return Status::Error;
}

uint64_t median(std::vector<uint64_t> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

/// First line(s) of a tool's output, for a one-line reason.
std::string firstLines(const std::string &s, size_t lines = 2) {
  size_t pos = 0;
  for (size_t k = 0; k < lines && pos != std::string::npos; ++k) {
    pos = s.find('\n', pos == 0 ? 0 : pos + 1);
  }
  return pos == std::string::npos ? s : s.substr(0, pos);
}

/// Runs `run(input, k, fixed)` on each input of `fn`: the seeded ones, then
/// the workloads', one at a time (each holds two images of the linear
/// memory: made all at once, 20 inputs of a 32 MiB memory held 1.3 GB).
/// Returns the inputs without an expected outcome (ExecReport::noVerdict).
template <class Run>
unsigned forEachInput(const mir::Module &vreg, const std::string &fn, const Workloads &workloads,
                      const ExecOptions &opt, Run &&run) {
  size_t k = 0;
  const unsigned made = mir::forEachDiffInput(vreg, fn, opt.inputs, opt.seed ^ std::hash<std::string>{}(fn),
                                              [&](mir::DiffInput &&in) { run(in, k++, false); });
  unsigned noVerdict = made < opt.inputs ? opt.inputs - made : 0;
  const size_t memBytes = size_t(vreg.memoryPages) * 65536;
  if (auto it = workloads.find(fn); it != workloads.end()) {
    size_t w = 0;
    for (const Workload &wl : it->second) {
      const mir::DiffInput d =
          mir::expectOn(vreg, fn, wl.args, mir::randomMemory(memBytes, wl.memorySeed), 200'000'000);
      if (d.expected.status != Status::Exhausted) run(d, w++, true);
      else ++noVerdict;
    }
  }
  return noVerdict;
}

}  // namespace

Workloads loadWorkloads(const std::string &inputFile, Diagnostics &diags) {
  Workloads out;
  const fs::path path = fs::path(inputFile).parent_path() / "workloads.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) return out;
  try {
    std::ifstream in(path);
    nlohmann::json j = nlohmann::json::parse(in);
    const std::string key = fs::path(inputFile).filename().string();
    if (!j.contains(key)) return out;
    for (const auto &[fn, list] : j.at(key).items())
      for (const auto &w : list) {
        Workload wl;
        for (const auto &a : w.at("args")) wl.args.push_back(a.get<uint64_t>());
        wl.memorySeed = w.value("memory_seed", uint64_t{1});
        out[fn].push_back(std::move(wl));
      }
  } catch (const std::exception &e) {
    Diagnostic d;
    d.file = path.string();
    d.message = std::string("malformed workloads file: ") + e.what();
    diags.push_back(d);
    out.clear();
  }
  return out;
}

std::map<std::string, ExecReport> executeModule(const mir::Module &vreg, const mir::Module &allocated,
                                                const select::WasmBinary *bin, const Workloads &workloads,
                                                const ExecOptions &opt) {
  std::map<std::string, ExecReport> reports;
  emit::EmitOptions eopts;
  eopts.markOrigins = opt.countOrigins;
  eopts.cpu = opt.cpu;  // VFP code for cortex-m4f / cortex-m7
  emit::EmitResult er = emit::emitModule(allocated, eopts);
  for (const auto &d : er.declined) {
    ExecReport &r = reports[d.function];
    r.status = "declined";
    r.reason = d.reason;
  }
  if (er.emitted.empty()) return reports;
  if (opt.patchAsm) opt.patchAsm(er.asmText);
  exec::BuildOptions bo;
  // Linear memory is mapped at 0, at its maximum (or its size when it
  // cannot grow), below the code: what does not fit is refused here, by
  // name, before any run (an initial size over the limit was reported as
  // a mismatch of every run, or exhausted the host's memory).
  const uint64_t mappedPages = vreg.memoryMax ? *vreg.memoryMax : vreg.memoryPages;
  if (mappedPages * 65536 > bo.textBase) {
    const std::string what = vreg.memoryMax ? "memory maximum of " + std::to_string(*vreg.memoryMax) + " pages"
                                            : "memory of " + std::to_string(vreg.memoryPages) + " pages";
    for (const auto &fn : er.emitted) {
      ExecReport &r = reports[fn];
      r.status = "error";
      r.reason = what + ": Unicorn maps linear memory at " + (vreg.memoryMax ? "its maximum" : "its size") +
                 " below the code at 0x10000000, which holds at most " + std::to_string(bo.textBase / 65536) +
                 " pages" + (vreg.memoryMax ? " (lower --memory-max)" : "");
    }
    return reports;
  }
  bo.imports = allocated.imports;
  bo.cpu = opt.cpu;
  // soft-float calls (--cpu cortex-m4) go to libgcc's AEABI routines
  if (const std::string &lib = exec::libgccFor(opt.cpu); !lib.empty()) bo.libraries.push_back(lib);
  exec::BuildResult built = exec::buildImage(er.asmText, bo);
  if (!built.ok) {
    for (const auto &fn : er.emitted) {
      ExecReport &r = reports[fn];
      r.status = "error";
      r.reason = "assembling or linking the emitted code failed: " + firstLines(built.error);
    }
    return reports;
  }
  exec::Machine machine(std::move(built.image));
  Diagnostics oracleDiags;
  std::optional<select::Oracle> oracle;
  if (bin) oracle = select::Oracle::create(*bin, oracleDiags, vreg.memoryMax);  // grows as MIR does

  for (const auto &fn : er.emitted) {
    ExecReport &r = reports[fn];
    const mir::Function *vf = vreg.findFunction(fn);
    if (!vf) {
      r.status = "error";
      r.reason = "no vreg-form function @" + fn;
      continue;
    }
    if (auto it = machine.image().sizes.find(arm::rt::functionSymbol(fn)); it != machine.image().sizes.end())
      r.codeBytes = it->second;
    std::vector<uint64_t> insns, loads, stores, fixedInsns, fixedLoads, fixedStores;
    std::map<unsigned, std::vector<uint64_t>> byOrigin, fixedByOrigin;
    auto runOne = [&](const mir::DiffInput &in, size_t k, bool fixed) {
      std::string why;
      if (oracle && vf->wasmIndex >= 0) {
        select::OracleRun o = oracle->run(static_cast<uint32_t>(vf->wasmIndex), in.args, in.memory, in.globals);
        mir::Observed ob{fromOracle(o.status), o.results, o.reason, o.error, o.memory, o.globals};
        if (std::string d = mir::compareOutcome(in, ob); !d.empty())
          why = "the wabt interpreter disagrees with the MIR interpreter (expected: MIR interpreter, got: wabt): " + d;
      }
      mir::ExecEnv env;
      exec::RunOptions ro;
      ro.countOrigins = opt.countOrigins;
      ro.memoryMaxBytes = vreg.memoryMax ? uint64_t(*vreg.memoryMax) * 65536 : 0;
      exec::RunResult rr = exec::runDiffInput(machine, fn, vf->sig, in, env, ro, kInsnsPerStep, kInsnsSlack);
      mir::Observed ob{exec::asExecStatus(rr.status), rr.results, rr.trap, rr.error, env.memory, env.globals};
      if (why.empty()) {
        why = mir::compareOutcome(in, ob);
        // The hardware propagates a NaN operand's payload (FPSCR.DN clear at
        // reset; libgcc's soft-float routines alike); the interpreters give
        // the canonical NaN. wasm allows either, but integer code that reads
        // the bits (reinterpret, memory) sees the difference. Run again in
        // default NaN mode: if it agrees there, the two differed in NaN bits
        // alone.
        if (!why.empty() && in.nanTolerant) {
          mir::ExecEnv env2;
          exec::RunOptions dn = ro;
          dn.defaultNaN = true;
          const exec::RunResult again =
              exec::runDiffInput(machine, fn, vf->sig, in, env2, dn, kInsnsPerStep, kInsnsSlack);
          const mir::Observed ob2{exec::asExecStatus(again.status), again.results, again.trap, again.error,
                                  env2.memory, env2.globals};
          if (mir::compareOutcome(in, ob2).empty()) {
            why.clear();
            ++r.nanBitsOnly;
          }
        }
      }
      ++r.runs;
      if (why.empty()) ++r.agree;
      else if (r.firstDifference.empty())
        r.firstDifference = std::string(fixed ? "workload" : "input") + " #" + std::to_string(k) + " " +
                            mir::argsText(in.args) + ": " + why;
      (fixed ? fixedInsns : insns).push_back(rr.insns);
      (fixed ? fixedLoads : loads).push_back(rr.loads);
      (fixed ? fixedStores : stores).push_back(rr.stores);
      if (opt.countOrigins)
        for (unsigned o = 1; o <= static_cast<unsigned>(mir::Origin::Frame); ++o)  // 0 is Original
          (fixed ? fixedByOrigin : byOrigin)[o].push_back(rr.originInsns[o]);
    };
    r.noVerdict = forEachInput(vreg, fn, workloads, opt, runOne);
    r.workload = !fixedInsns.empty();
    r.insns = median(r.workload ? fixedInsns : insns);
    r.loads = median(r.workload ? fixedLoads : loads);
    r.stores = median(r.workload ? fixedStores : stores);
    for (const auto &[o, v] : r.workload ? fixedByOrigin : byOrigin)
      r.originInsns[std::string(mir::originName(static_cast<mir::Origin>(o)))] = median(v);
  }
  return reports;
}

void runNative(const std::string &cFile, const mir::Module &vreg, const Workloads &workloads,
               const ExecOptions &opt, std::map<std::string, ExecReport> &reports) {
  auto noteAll = [&](const std::string &why) {
    for (const auto &[fn, list] : workloads)
      if (auto it = reports.find(fn); it != reports.end()) it->second.nativeNote = why;
  };
  exec::TempDir tmp;
  if (!tmp.ok()) return noteAll("no temporary directory: " + tmp.error());
  const std::string obj = tmp.path() + "/native.o";
  std::vector<std::string> argv{opt.clang, "--target=thumbv7em-none-eabi", "-mcpu=cortex-m4"};
  if (!arm::softFloat(opt.cpu)) {  // -mcpu, -mfpu, -mfloat-abi=hard (AAPCS-VFP)
    argv.pop_back();
    std::istringstream flags{std::string(arm::cpuFlags(opt.cpu))};
    for (std::string f; flags >> f;) argv.push_back(f);
  }
  argv.insert(argv.end(), {"-mthumb", "-O2", "-fno-addrsig", "-ffreestanding", "-fno-builtin", "-nostdlib",
                           "-c", cFile, "-o", obj});
  exec::ToolResult cc = exec::runTool(argv, tmp.path());
  if (!cc.ok) return noteAll(opt.clang + " failed: " + firstLines(cc.output));
  // Calls the compiler makes on its own (64-bit division: __aeabi_uldivmod)
  // come from libgcc of the arm-none-eabi toolchain, when it is installed.
  exec::BuildOptions bo;
  bo.cpu = opt.cpu;
  if (const std::string &lib = exec::libgccFor(opt.cpu); !lib.empty()) bo.libraries.push_back(lib);
  exec::BuildResult built = exec::buildImageFromObject(obj, bo);
  if (!built.ok) return noteAll("linking the native object failed: " + firstLines(built.error));
  exec::Machine machine(std::move(built.image));
  const size_t memBytes = size_t(vreg.memoryPages) * 65536;
  for (const auto &[fn, list] : workloads) {
    auto rit = reports.find(fn);
    const mir::Function *vf = vreg.findFunction(fn);
    if (rit == reports.end() || !vf) continue;
    ExecReport &r = rit->second;
    if (!machine.image().find(fn)) {
      r.nativeNote = "no symbol '" + fn + "' in the native object";
      continue;
    }
    std::vector<uint64_t> insns;
    bool agree = true;
    for (const Workload &w : list) {
      mir::DiffInput in = mir::expectOn(vreg, fn, w.args, mir::randomMemory(memBytes, w.memorySeed), 200'000'000);
      mir::ExecEnv env;
      env.memory = in.memory;
      env.globals = in.globals;
      exec::RunResult rr = machine.run(fn, vf->sig, in.args, env);
      // The native code has its own stack and data: compare results only.
      agree &= exec::asExecStatus(rr.status) == in.expected.status && rr.results == in.expected.results;
      insns.push_back(rr.insns);
    }
    r.nativeInsns = median(insns);
    r.nativeAgree = agree;
  }
}

}  // namespace vcr::tools
