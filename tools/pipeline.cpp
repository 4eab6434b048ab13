// The verify-alloc pipeline: inputs -> selection -> measures -> allocation.
#include "tools/pipeline.h"
#include "tools/parallel.h"
#include "tools/optimal_row.h"

#include "arm/emit/emit.h"
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/alloc/liveness.h"
#include "core/ir/cfg.h"
#include "core/ir/classes.h"
#include "core/ir/text.h"
#include "ladder/ladder.h"
#include "ladder/wasm_facts.h"
#include "verifier/checker.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace vcr::tools {

namespace {

bool hasInputExtension(const fs::path &p) {
  auto e = p.extension().string();
  return e == ".wat" || e == ".wasm" || e == ".mir";
}

Diagnostic fileError(const std::string &file, std::string msg) {
  Diagnostic d;
  d.file = file;
  d.message = std::move(msg);
  return d;
}

std::optional<std::string> readText(const std::string &path, Diagnostics &diags) {
  if (std::error_code ec; fs::is_directory(path, ec)) {  // (it would open, and reading it throws)
    diags.push_back(fileError(path, "is a directory, not a .mir file"));
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.push_back(fileError(path, "cannot open file"));
    return std::nullopt;
  }
  std::ostringstream ss;
  try {
    ss << in.rdbuf();
  } catch (const std::ios_base::failure &) {
    diags.push_back(fileError(path, "cannot read file"));
    return std::nullopt;
  }
  return ss.str();
}

/// A module of vreg MIR read from one file, plus the functions declined
/// and the wasm it came from (absent for .mir input).
struct LoadedModule {
  mir::Module module;
  std::vector<select::Declined> declined;
  std::optional<select::WasmBinary> bin;
};

std::optional<LoadedModule> loadModule(const std::string &path, Diagnostics &diags,
                                       arm::Cpu cpu = arm::Cpu::CortexM4,
                                       std::optional<uint32_t> memoryMax = std::nullopt) {
  if (fs::path(path).extension() == ".mir") {
    auto text = readText(path, diags);
    if (!text) return std::nullopt;
    auto parsed = mir::parseModule(*text, path);
    diags.insert(diags.end(), parsed.diags.begin(), parsed.diags.end());
    if (!parsed.module) return std::nullopt;
    return LoadedModule{std::move(*parsed.module), {}, std::nullopt};
  }
  auto bin = select::loadWasmFile(path, diags);
  if (!bin) return std::nullopt;
  select::SelectOptions so;
  so.cpu = cpu;
  so.memoryMax = memoryMax;
  auto sel = select::selectModule(*bin, diags, so);
  if (!sel) return std::nullopt;
  return LoadedModule{std::move(sel->module), std::move(sel->declined), std::move(*bin)};
}

void writeFile(const std::string &dir, const std::string &name, const std::string &text,
               Diagnostics &diags) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string path = (fs::path(dir) / name).string();
  std::ofstream out(path);
  if (!out || !(out << text)) diags.push_back(fileError(path, "cannot write file"));
}

std::string stem(const std::string &file) { return fs::path(file).stem().string(); }

AllocReport toAllocReport(const alloc::AllocStats &s) {
  AllocReport a;
  a.rounds = s.rounds;
  a.spilledVRegs = s.spilledVRegs;
  a.spillStores = s.spillStores;
  a.reloads = s.reloads;
  a.remats = s.remats;
  a.movesBefore = s.movesBefore;
  a.moves = s.movesAfter;
  a.frameBytes = s.frameBytes;
  for (mir::PReg r : s.calleeSaved.list()) a.calleeSaved.emplace_back(mir::pregName(r));
  for (uint32_t m = s.calleeSavedS; m; m &= m - 1)  // S16-S31 (VPUSH), after the core registers
    a.calleeSaved.push_back("s" + std::to_string(__builtin_ctz(m)));
  a.timeUs = s.timeUs;
  return a;
}

uint16_t poolMask(const arm::Pool &pool) {
  uint16_t m = 0;
  for (mir::PReg r : pool.regs.list()) m |= static_cast<uint16_t>(1u << static_cast<unsigned>(r));
  return m;
}

/// Run the independent checker and record its verdict in `r`.
void checkAllocation(const mir::Function &f, const mir::Function &allocated, const mir::Module &m,
                     const PipelineOptions &opt, const std::string &outName, FunctionReport &r) {
  verifier::CheckOptions co;
  co.timeoutMs = opt.timeoutMs;
  co.stackLimit = opt.stackLimit;
  co.poolMask = poolMask(opt.pool);
  // DIR/<input stem>/<function>: two inputs may have functions of one name
  co.smtDir = opt.smtDir.empty() ? "" : opt.smtDir + "/" + outName + "/" + f.name;
  verifier::CheckResult cr = verifier::checkFunction(f, allocated, m, co);
  CheckReport c;
  c.obligations = static_cast<unsigned>(cr.obligations.size());
  c.proved = cr.proved;
  c.refuted = cr.refuted;
  c.unknown = cr.unknown;
  c.timeUs = cr.timeUs;
  c.json = cr.toJson();
  if (!cr.ok()) c.failureText = cr.summary();
  if (r.artifacts)
    for (const verifier::Obligation &o : cr.obligations) r.artifacts->obligations.push_back(o.toJson());
  if (cr.refuted) r.status = "refuted";
  else if (cr.unknown) r.status = "unknown";
  r.check = std::move(c);
}

unsigned countOrigin(const mir::Function &f, mir::Opcode op, mir::Origin o) {
  unsigned n = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) n += i.op == op && i.origin == o;
  return n;
}

/// Run the legacy ladder model on `f` for the research table.
LegacyReport legacyReport(const mir::Function &f, const mir::Module &m, unsigned peak,
                          const PipelineOptions &opt, std::optional<mir::Function> &legacyCode,
                          const ladder::WasmFacts *facts) {
  ladder::LegacyEnv env;  // temps from --pool (default the legacy R0-R8), promotion counted on the wasm
  env.temps = opt.pool.regs.list();
  env.wasm = facts ? facts->find(f.wasmIndex) : nullptr;
  env.fpu = !arm::softFloat(opt.cpu);
  env.f64 = arm::hasF64(opt.cpu);
  ladder::LadderResult lr = ladder::runLadder(f, m, env);
  LegacyReport l;
  l.rung = lr.rung;
  l.check = "-";
  if (opt.legacyTrace) {
    std::istringstream lines(ladder::legacyTrace(lr));
    for (std::string line; std::getline(lines, line);) l.trace.push_back(line);
  }
  if (!lr.result.ok) return l;
  legacyCode = lr.result.function;
  const mir::Function &a = *legacyCode;
  l.spillStores = countOrigin(a, mir::Opcode::Sts, mir::Origin::Spill);
  l.reloads = countOrigin(a, mir::Opcode::Lds, mir::Origin::Reload);
  for (const auto &b : a.blocks)
    for (const auto &i : b.instrs) l.moves += i.op == mir::Opcode::Mov && !alloc::isSelfMove(i);
  l.frameTraffic = frameTraffic(a);
  // Spurious: the legacy allocator needed a recovery rung or spill code
  // although the values live at once fit the pool.
  bool spilled = l.rung != "base" || l.spillStores + l.reloads > 0;
  l.spurious = spilled && peak <= opt.pool.regs.size();
  if (const auto cls = mir::vregClasses(f, &m);
      std::any_of(cls.begin(), cls.end(), [](mir::RegClass c) { return c != mir::RegClass::Core; })) {
    // Per file: the core values fit the pool and the float values S0-S15
    // (in S units, an f64 two; any such mix packs into the legacy file).
    std::vector<unsigned> core(cls.size()), units(cls.size());
    for (size_t v = 0; v < cls.size(); ++v) {
      core[v] = cls[v] == mir::RegClass::Core;
      units[v] = cls[v] == mir::RegClass::F64 ? 2 : cls[v] == mir::RegClass::F32 ? 1 : 0;
    }
    l.spurious = spilled && alloc::peakPressure(f, core) <= opt.pool.regs.size() && alloc::peakPressure(f, units) <= 16;
  }
  if (opt.check) {
    verifier::CheckOptions co;  // the legacy model's pool: --pool (default R0-R8)
    co.poolMask = poolMask(opt.pool);
    co.timeoutMs = opt.timeoutMs;
    co.stackLimit = opt.stackLimit;
    verifier::CheckResult cr = verifier::checkFunction(f, a, m, co);
    l.check = cr.refuted ? "refuted" : cr.unknown ? "unknown" : "proved";
  }
  return l;
}

/// What processing one function yields: its row, and its code.
struct FunctionOutcome {
  FunctionReport row;
  std::optional<mir::Function> allocated;  ///< vcr-ra's (or the --allocated) code
  std::optional<mir::Function> legacy;     ///< the legacy model's code (--legacy)
  /// --optimal: vcr-ra's code for a function the optimal allocator
  /// declined, linked into the module so that its callers' optimal code
  /// runs; never reported as the function's own (its row stays declined).
  std::optional<mir::Function> standIn;
  Diagnostics diags;
};

/// Measure, allocate and check one function; exceptions become an "error" row.
FunctionOutcome processFunction(const std::string &file, const std::string &outName, const mir::Module &m,
                                const mir::Function &f, const PipelineOptions &opt,
                                alloc::Allocator *allocator, const mir::Module *external,
                                const ladder::WasmFacts *facts = nullptr) {
  FunctionOutcome out;
  FunctionReport &r = out.row;
  r.file = file;
  r.function = f.name;
  if (opt.keepArtifacts) r.artifacts = std::make_shared<Artifacts>();
  try {
    r.mirInstructions = f.numInstrs();
    r.vregs = f.numVRegs();
    r.calls = countCalls(f);
    r.loops = countLoops(f);
    if (f.allocated) {
      r.status = "error";
      r.reason = "function is already in allocated form";
      r.inputError = true;
      return out;
    }
    if (arm::softFloat(opt.cpu) && mir::touchesVfp(f, m)) {  // MIR selected for another CPU (a .vreg.mir)
      r.status = "error";
      r.reason = std::string("holds f32/f64 values in the VFP register file (S/D registers), which ") +
                 std::string(arm::cpuName(opt.cpu)) +
                 " has not: this MIR was selected for cortex-m4f or cortex-m7 (pass that --cpu)";
      r.inputError = true;
      return out;
    }
    if (r.mirInstructions > opt.maxInstructions) {
      r.status = "error";
      r.reason = "function has " + std::to_string(r.mirInstructions) +
                 " MIR instructions, over the limit of " + std::to_string(opt.maxInstructions) +
                 " (--max-instructions)";
      r.inputError = true;
      return out;
    }
    if (r.artifacts) r.artifacts->vregMir = mir::printFunction(f);
    r.peakPressure = alloc::peakPressure(f);
    r.memoryMaxPages = m.memoryMax;
    if (opt.legacy) r.legacy = legacyReport(f, m, r.peakPressure, opt, out.legacy, facts);
    if (external) {
      const mir::Function *a = external->findFunction(f.name);
      if (!a || !a->allocated) {
        r.status = "error";
        r.reason = "no allocated-form function @" + f.name + " in " + opt.allocatedFile;
        r.inputError = true;
        return out;
      }
      AllocReport ar;
      ar.spillStores = countOrigin(*a, mir::Opcode::Sts, mir::Origin::Spill);
      ar.reloads = countOrigin(*a, mir::Opcode::Lds, mir::Origin::Reload);
      ar.remats = countOrigin(*a, mir::Opcode::MovI, mir::Origin::Remat);
      for (const auto &b : a->blocks)
        for (const auto &i : b.instrs) ar.moves += i.op == mir::Opcode::Mov && !alloc::isSelfMove(i);
      ar.frameTraffic = frameTraffic(*a);
      r.alloc = ar;
      if (opt.check) checkAllocation(f, *a, m, opt, outName, r);
      out.allocated = *a;
      return out;
    }
    const bool solve = opt.optimal && (opt.optimalFunctions.empty() ||
                                       std::find(opt.optimalFunctions.begin(), opt.optimalFunctions.end(),
                                                 f.name) != opt.optimalFunctions.end());
    if (solve) {  // the optimal allocation, checked like any other
      out.allocated = optimalAllocate(f, m, opt, r);
      if (out.allocated && opt.check) checkAllocation(f, *out.allocated, m, opt, outName, r);
      if (!out.allocated && r.status == "declined") {
        alloc::AllocOptions ao;
        ao.pool = opt.pool;
        ao.passes = opt.passes;
        alloc::AllocResult res = alloc::makeGraphColouring()->allocate(f, m, ao);
        if (res.ok) out.standIn = std::move(res.function);
      }
      return out;
    }
    if (!allocator) return out;
    alloc::AllocOptions ao;
    ao.pool = opt.pool;
    ao.passes = opt.passes;
    ao.wantDot = !opt.dotDir.empty() || opt.keepArtifacts;
    GuardedAllocation g = guardedAllocate(*allocator, f, m, ao);
    r.firing = g.firing;
    alloc::AllocResult res = std::move(g.result);
    if (!res.ok) {
      r.status = "error";
      r.reason = "allocator invariant failure: " + res.error;
      return out;
    }
    r.alloc = toAllocReport(res.stats);
    r.alloc->frameTraffic = frameTraffic(res.function);
    if (opt.check) checkAllocation(f, res.function, m, opt, outName, r);
    if (!opt.dotDir.empty()) writeFile(opt.dotDir, outName + "." + f.name + ".dot", res.dot, out.diags);
    if (r.artifacts) r.artifacts->dot = std::move(res.dot);
    out.allocated = std::move(res.function);
  } catch (const std::exception &e) {
    r.status = "error";
    r.reason = std::string("internal error: ") + e.what();
  }
  return out;
}

/// --run for one file: execute vcr-ra's and the legacy model's code and
/// record the outcome in the file's rows; a disagreement makes the row
/// "mismatch".
void runFile(const std::string &file, const LoadedModule &lm, const mir::Module &allocated,
             const mir::Module &legacyAllocated, const PipelineOptions &opt,
             std::span<FunctionReport> rows, Diagnostics &diags) {
  try {
    Workloads workloads = loadWorkloads(file, diags);
    const select::WasmBinary *bin = lm.bin ? &*lm.bin : nullptr;
    ExecOptions eo = opt.exec;
    eo.cpu = opt.cpu;  // build and run for --cpu
    auto mine = executeModule(lm.module, allocated, bin, workloads, eo);
    if (opt.exec.native) {
      fs::path c = fs::path(file).replace_extension(".c");
      std::error_code ec;
      if (fs::exists(c, ec)) runNative(c.string(), lm.module, workloads, eo, mine);
    }
    std::map<std::string, ExecReport> theirs;
    if (opt.legacy) theirs = executeModule(lm.module, legacyAllocated, bin, workloads, eo);
    for (FunctionReport &r : rows) {
      if (auto it = mine.find(r.function); it != mine.end()) {
        r.exec = it->second;
        if (r.status == "ok" && r.exec->agree < r.exec->runs) {
          r.status = "mismatch";
          r.reason = "emitted code disagrees with the oracles: " + r.exec->firstDifference;
        } else if (r.status == "ok" && r.exec->status == "error") {
          r.status = "error";
          r.reason = r.exec->reason;
        }
      }
      if (r.legacy)
        if (auto it = theirs.find(r.function); it != theirs.end()) r.legacy->exec = it->second;
    }
  } catch (const std::exception &e) {
    diags.push_back(fileError(file, std::string("internal error while running emitted code: ") + e.what()));
  }
}

/// The names the inputs' outputs take in --emit-mir/--emit-asm/--dot/--smt
/// folders: each input's stem, or "<stem>.<k>" for the k-th of inputs sharing
/// a stem (a/x.wat and b/x.wasm must not overwrite each other's files).
std::vector<std::string> outputNames(const std::vector<std::string> &inputs) {
  std::map<std::string, unsigned> total, seen;
  for (const auto &in : inputs) ++total[stem(in)];
  std::vector<std::string> names;
  for (const auto &in : inputs) {
    const std::string s = stem(in);
    names.push_back(total[s] == 1 ? s : s + "." + std::to_string(++seen[s]));
  }
  return names;
}

/// One input file on its way through the pipeline.
struct FileWork {
  std::string file;
  std::string outName;                     ///< its name in output folders (outputName)
  int input = -1;                          ///< index into Report::inputs
  Diagnostics diags;                       ///< this file's diagnostics, in order
  std::optional<LoadedModule> lm;          ///< absent: the file failed to load
  std::optional<ladder::WasmFacts> facts;  ///< --legacy: the wasm operators' facts
  std::vector<FunctionOutcome> outcomes;   ///< one per function of lm->module
  std::vector<FunctionReport> declinedRows;
};

void loadFile(FileWork &w, arm::Cpu cpu, std::optional<uint32_t> memoryMax) {
  try {
    w.lm = loadModule(w.file, w.diags, cpu, memoryMax);
  } catch (const std::exception &e) {
    w.diags.push_back(fileError(w.file, std::string("internal error while loading: ") + e.what()));
  }
  if (!w.lm && !hasErrors(w.diags)) w.diags.push_back(fileError(w.file, "cannot load module"));
}

/// A module's listing without its functions: what `--allocated` cannot change.
std::string moduleHeader(const mir::Module &m) {
  mir::Module head;
  head.memoryPages = m.memoryPages;
  head.memoryMax = m.memoryMax;
  head.globals = m.globals;
  head.imports = m.imports;
  head.data = m.data;
  head.types = m.types;
  head.table = m.table;
  return mir::printModule(head);
}

/// The part of a module's listing that is function `name`'s.
std::string asmOf(const std::string &asmText, const std::string &name) {
  const std::string head = "\n@ ---- @" + name + "\n";
  size_t b = asmText.find(head);
  if (b == std::string::npos) return "";
  size_t e = asmText.find("\n@ ---- ", b + head.size());
  return asmText.substr(b + 1, e == std::string::npos ? std::string::npos : e - b);
}

/// After every function of the file is done: assemble its allocated
/// module, run it (--run), emit it, and add the declined functions' rows.
void finishFile(FileWork &w, const PipelineOptions &opt, bool haveCode) {
  if (!w.lm) return;
  mir::Module allocated = w.lm->module;
  allocated.functions.clear();
  mir::Module legacyAllocated = allocated;
  for (auto &o : w.outcomes) {
    w.diags.insert(w.diags.end(), o.diags.begin(), o.diags.end());
    if (o.allocated) allocated.functions.push_back(*o.allocated);
    else if (o.standIn) allocated.functions.push_back(*o.standIn);
    if (o.legacy) legacyAllocated.functions.push_back(*o.legacy);
    if (o.row.artifacts) {
      if (o.allocated) o.row.artifacts->allocatedMir = mir::printFunction(*o.allocated);
      if (o.legacy) o.row.artifacts->legacyMir = mir::printFunction(*o.legacy);
    }
  }
  if (opt.run) {
    std::vector<FunctionReport> rows;
    for (auto &o : w.outcomes) rows.push_back(std::move(o.row));
    runFile(w.file, *w.lm, allocated, legacyAllocated, opt, rows, w.diags);
    for (size_t j = 0; j < rows.size(); ++j) {
      if (w.outcomes[j].standIn) rows[j].exec.reset();  // vcr-ra's code ran there, not the row's
      w.outcomes[j].row = std::move(rows[j]);
    }
  }
  for (const auto &d : w.lm->declined) {
    FunctionReport r;
    r.file = w.file;
    r.function = d.function;
    r.status = "declined";
    r.reason = d.reason;
    if (opt.legacy) r.legacy = LegacyReport{"declined", 0, 0, 0, 0, "-", false, std::nullopt, {}};
    w.declinedRows.push_back(std::move(r));
  }
  if (haveCode && (!opt.emitAsmDir.empty() || opt.keepArtifacts)) {
    emit::EmitOptions eo;
    eo.cpu = opt.cpu;  // VFP code for cortex-m4f / cortex-m7
    emit::EmitResult er = emit::emitModule(allocated, eo);
    if (!opt.emitAsmDir.empty()) {
      std::string text = er.asmText;
      for (const auto &d : er.declined) text += "@ declined " + d.function + ": " + d.reason + "\n";
      writeFile(opt.emitAsmDir, w.outName + ".s", text, w.diags);
    }
    for (auto &o : w.outcomes)
      if (o.row.artifacts) {
        o.row.artifacts->asmText = asmOf(er.asmText, o.row.function);
        for (const auto &d : er.declined)
          if (d.function == o.row.function) o.row.artifacts->asmDeclined = d.reason;
      }
  }
  if (!opt.emitVregMirDir.empty())
    writeFile(opt.emitVregMirDir, w.outName + ".vreg.mir", mir::printModule(w.lm->module), w.diags);
  if (haveCode && !opt.emitMirDir.empty())
    writeFile(opt.emitMirDir, w.outName + ".mir", mir::printModule(allocated), w.diags);
}

}  // namespace

unsigned Report::ladderFired() const {
  unsigned n = 0;
  for (const auto &f : functions) n += f.firing.has_value();
  return n;
}

int Report::exitCode() const {
  if (filesFailed || hasErrors(diags)) return 2;
  for (const auto &f : functions)
    if (f.status == "error" && f.inputError) return 2;
  for (const auto &f : functions)
    if (f.status == "error" || f.status == "refuted" || f.status == "unknown" || f.status == "mismatch")
      return 1;
  // --legacy: the legacy model's code is research data only if it is right.
  for (const auto &f : functions)
    if (f.legacy && (f.legacy->check == "refuted" || f.legacy->check == "unknown" ||
                     (f.legacy->exec && f.legacy->exec->status == "ok" && f.legacy->exec->agree != f.legacy->exec->runs)))
      return 1;
  if (!permissive && ladderFired()) return 1;
  return 0;
}

unsigned countLoops(const mir::Function &f) {
  auto cfg = mir::Cfg::build(f);
  return static_cast<unsigned>(std::count(cfg.loopHeader.begin(), cfg.loopHeader.end(), true));
}

unsigned frameTraffic(const mir::Function &allocated) {
  unsigned n = 0;
  for (const auto &b : allocated.blocks)
    for (const auto &i : b.instrs) {
      bool abiArg = i.origin == mir::Origin::OutArg || i.origin == mir::Origin::InArg;
      if ((i.op == mir::Opcode::Lds || i.op == mir::Opcode::Sts) && !abiArg) ++n;
    }
  return n;
}

unsigned countCalls(const mir::Function &f) {
  unsigned n = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) n += mir::isCall(i.op);
  return n;
}

std::vector<std::string> collectInputs(const std::vector<std::string> &paths, Diagnostics &diags) {
  std::vector<std::string> out;
  for (const std::string &p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && hasInputExtension(it->path()))
          found.push_back(it->path().string());
      if (ec) diags.push_back(fileError(p, "cannot read directory: " + ec.message()));
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      diags.push_back(fileError(p, "no such file or directory"));
    }
  }
  return out;
}

Report runPipeline(const std::vector<std::string> &paths, const PipelineOptions &opt) {
  const auto t0 = std::chrono::steady_clock::now();
  Report rep;
  rep.permissive = opt.permissive;
  rep.cpu = std::string(arm::cpuName(opt.cpu));
  rep.passesOff = alloc::disabledPasses(opt.passes);
  rep.memoryMax = opt.memoryMax;
  rep.shardIndex = opt.shardIndex;
  rep.shardCount = std::max(1u, opt.shardCount);
  rep.inputs = collectInputs(paths, rep.diags);
  rep.pathsFailed = static_cast<unsigned>(rep.diags.size());
  rep.filesFailed = rep.pathsFailed;
  rep.diagInput.assign(rep.diags.size(), -1);
  std::optional<mir::Module> external;
  if (!opt.allocatedFile.empty()) {
    std::optional<LoadedModule> lm = loadModule(opt.allocatedFile, rep.diags);
    rep.diagInput.resize(rep.diags.size(), -1);
    if (!lm) {
      ++rep.filesFailed;
      ++rep.pathsFailed;
      return rep;
    }
    external = std::move(lm->module);
  }
  std::vector<FileWork> work;
  const std::vector<std::string> names = outputNames(rep.inputs);
  for (size_t i = 0; i < rep.inputs.size(); ++i)
    if (i % rep.shardCount == rep.shardIndex - 1) {
      work.emplace_back();
      work.back().file = rep.inputs[i];
      work.back().input = static_cast<int>(i);
      work.back().outName = names[i];
    }
  const unsigned jobs = opt.jobs ? opt.jobs : std::max(1u, std::thread::hardware_concurrency());

  ProgressMeter meter(opt.onProgress, t0, work.size());
  parallelFor(work.size(), jobs, [&](size_t k) {
    loadFile(work[k], opt.cpu, opt.memoryMax);
    if (opt.legacy && work[k].lm && work[k].lm->bin) work[k].facts = ladder::wasmFacts(*work[k].lm->bin);
  });
  // The --allocated file's functions are checked and run in the input's
  // module (its memory, globals, table, data, types and imports): a header
  // edited in that file alone would change nothing, so say so.
  if (external)
    for (FileWork &w : work)
      if (w.lm && moduleHeader(w.lm->module) != moduleHeader(*external)) {
        Diagnostic d = fileError(opt.allocatedFile,
                                 "its module header (memory, globals, table, data, types or imports) differs from "
                                 "that of '" + w.file + "': the functions are checked and run in the input's module; "
                                 "the allocated file's header is ignored");
        d.level = Diagnostic::Level::Warning;
        w.diags.push_back(std::move(d));
      }

  // One task per function of every loaded file, run in any order, written
  // to its own slot: the report's order is the inputs' order whatever `jobs`.
  std::vector<std::pair<size_t, size_t>> tasks;
  for (size_t k = 0; k < work.size(); ++k)
    if (work[k].lm) {
      work[k].outcomes.resize(work[k].lm->module.functions.size());
      for (size_t j = 0; j < work[k].outcomes.size(); ++j) tasks.emplace_back(k, j);
    }
  meter.setFunctions(tasks.size());
  const bool haveCode = opt.allocate || external;
  std::vector<std::unique_ptr<alloc::Allocator>> allocators(jobs);
  parallelFor(tasks.size(), jobs, [&](size_t t, unsigned worker) {
    auto [k, j] = tasks[t];
    std::unique_ptr<alloc::Allocator> &a = allocators[worker];
    if (opt.allocate && !external && !a) a = opt.makeAllocator ? opt.makeAllocator() : alloc::makeGraphColouring();
    const mir::Module &m = work[k].lm->module;
    work[k].outcomes[j] = processFunction(work[k].file, work[k].outName, m, m.functions[j], opt, a.get(),
                                          external ? &*external : nullptr,
                                          work[k].facts ? &*work[k].facts : nullptr);
    meter.functionDone();
  });
  parallelFor(work.size(), jobs, [&](size_t k) {
    finishFile(work[k], opt, haveCode);
    meter.fileDone();
  });

  for (FileWork &w : work) {
    ++rep.filesRead;
    rep.filesFailed += !w.lm;
    for (auto &d : w.diags) {
      rep.diags.push_back(std::move(d));
      rep.diagInput.push_back(w.input);
    }
    for (auto &o : w.outcomes) rep.functions.push_back(std::move(o.row));
    for (auto &r : w.declinedRows) rep.functions.push_back(std::move(r));
  }
  return rep;
}

}  // namespace vcr::tools
