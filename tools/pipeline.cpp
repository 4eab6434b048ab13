// The verify-alloc pipeline: inputs -> selection -> measures -> allocation.
#include "tools/pipeline.h"

#include "arm/emit/emit.h"
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/alloc/liveness.h"
#include "core/ir/cfg.h"
#include "core/ir/text.h"
#include "ladder/ladder.h"
#include "verifier/checker.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>

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
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.push_back(fileError(path, "cannot open file"));
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A module of vreg MIR read from one file, plus the functions declined
/// and the wasm it came from (absent for .mir input).
struct LoadedModule {
  mir::Module module;
  std::vector<select::Declined> declined;
  std::optional<select::WasmBinary> bin;
};

std::optional<LoadedModule> loadModule(const std::string &path, Diagnostics &diags) {
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
  auto sel = select::selectModule(*bin, diags);
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
                     const PipelineOptions &opt, FunctionReport &r) {
  verifier::CheckOptions co;
  co.timeoutMs = opt.timeoutMs;
  co.stackLimit = opt.stackLimit;
  co.poolMask = poolMask(opt.pool);
  // DIR/<input stem>/<function>: two inputs may have functions of one name
  co.smtDir = opt.smtDir.empty() ? "" : opt.smtDir + "/" + stem(r.file) + "/" + f.name;
  verifier::CheckResult cr = verifier::checkFunction(f, allocated, m, co);
  CheckReport c;
  c.obligations = static_cast<unsigned>(cr.obligations.size());
  c.proved = cr.proved;
  c.refuted = cr.refuted;
  c.unknown = cr.unknown;
  c.timeUs = cr.timeUs;
  c.json = cr.toJson();
  if (!cr.ok()) c.failureText = cr.summary();
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
                          const PipelineOptions &opt, mir::Module *legacyAllocated) {
  ladder::LadderResult lr = ladder::runLadder(f, m);
  LegacyReport l;
  l.rung = lr.rung;
  l.check = "-";
  if (!lr.result.ok) return l;
  if (legacyAllocated) legacyAllocated->functions.push_back(lr.result.function);
  const mir::Function &a = lr.result.function;
  l.spillStores = countOrigin(a, mir::Opcode::Sts, mir::Origin::Spill);
  l.reloads = countOrigin(a, mir::Opcode::Lds, mir::Origin::Reload);
  for (const auto &b : a.blocks)
    for (const auto &i : b.instrs) l.moves += i.op == mir::Opcode::Mov && !alloc::isSelfMove(i);
  l.frameTraffic = frameTraffic(a);
  // Spurious: the legacy allocator needed a recovery rung or spill code
  // although the values live at once fit the pool.
  bool spilled = l.rung != "base" || l.spillStores + l.reloads > 0;
  l.spurious = spilled && peak <= opt.pool.regs.size();
  if (opt.check) {
    verifier::CheckOptions co;  // the legacy model's own pool: R0-R8
    co.timeoutMs = opt.timeoutMs;
    co.stackLimit = opt.stackLimit;
    verifier::CheckResult cr = verifier::checkFunction(f, a, m, co);
    l.check = cr.refuted ? "refuted" : cr.unknown ? "unknown" : "proved";
  }
  return l;
}

/// Measure, allocate and check one function; exceptions become an "error" row.
FunctionReport processFunction(const std::string &file, const mir::Module &m,
                               const mir::Function &f, const PipelineOptions &opt,
                               alloc::Allocator *allocator, mir::Module *allocated,
                               mir::Module *legacyAllocated, const mir::Module *external,
                               Diagnostics &diags) {
  FunctionReport r;
  r.file = file;
  r.function = f.name;
  try {
    r.mirInstructions = f.numInstrs();
    r.vregs = f.numVRegs();
    r.calls = countCalls(f);
    r.loops = countLoops(f);
    if (f.allocated) {
      r.status = "error";
      r.reason = "function is already in allocated form";
      r.inputError = true;
      return r;
    }
    r.peakPressure = alloc::peakPressure(f);
    if (opt.legacy) r.legacy = legacyReport(f, m, r.peakPressure, opt, legacyAllocated);
    if (external) {
      const mir::Function *a = external->findFunction(f.name);
      if (!a || !a->allocated) {
        r.status = "error";
        r.reason = "no allocated-form function @" + f.name + " in " + opt.allocatedFile;
        r.inputError = true;
        return r;
      }
      AllocReport ar;
      ar.spillStores = countOrigin(*a, mir::Opcode::Sts, mir::Origin::Spill);
      ar.reloads = countOrigin(*a, mir::Opcode::Lds, mir::Origin::Reload);
      ar.remats = countOrigin(*a, mir::Opcode::MovI, mir::Origin::Remat);
      for (const auto &b : a->blocks)
        for (const auto &i : b.instrs) ar.moves += i.op == mir::Opcode::Mov && !alloc::isSelfMove(i);
      ar.frameTraffic = frameTraffic(*a);
      r.alloc = ar;
      if (opt.check) checkAllocation(f, *a, m, opt, r);
      if (allocated) allocated->functions.push_back(*a);
      return r;
    }
    if (!allocator) return r;
    alloc::AllocOptions ao;
    ao.pool = opt.pool;
    ao.wantDot = !opt.dotDir.empty();
    GuardedAllocation g = guardedAllocate(*allocator, f, m, ao);
    r.firing = g.firing;
    alloc::AllocResult res = std::move(g.result);
    if (!res.ok) {
      r.status = "error";
      r.reason = "allocator invariant failure: " + res.error;
      return r;
    }
    r.alloc = toAllocReport(res.stats);
    r.alloc->frameTraffic = frameTraffic(res.function);
    if (opt.check) checkAllocation(f, res.function, m, opt, r);
    if (ao.wantDot) writeFile(opt.dotDir, stem(file) + "." + f.name + ".dot", res.dot, diags);
    if (allocated) allocated->functions.push_back(std::move(res.function));
  } catch (const std::exception &e) {
    r.status = "error";
    r.reason = std::string("internal error: ") + e.what();
  }
  return r;
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
    auto mine = executeModule(lm.module, allocated, bin, workloads, opt.exec);
    if (opt.exec.native) {
      fs::path c = fs::path(file).replace_extension(".c");
      std::error_code ec;
      if (fs::exists(c, ec)) runNative(c.string(), lm.module, workloads, opt.exec, mine);
    }
    std::map<std::string, ExecReport> theirs;
    if (opt.legacy) theirs = executeModule(lm.module, legacyAllocated, bin, workloads, opt.exec);
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
    for (const auto &i : b.instrs) n += i.op == mir::Opcode::Call;
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
  Report rep;
  rep.permissive = opt.permissive;
  std::vector<std::string> files = collectInputs(paths, rep.diags);
  rep.filesFailed = static_cast<unsigned>(rep.diags.size());
  std::unique_ptr<alloc::Allocator> allocator;
  if (opt.allocate) allocator = opt.makeAllocator ? opt.makeAllocator() : alloc::makeGraphColouring();
  std::optional<mir::Module> external;
  if (!opt.allocatedFile.empty()) {
    std::optional<LoadedModule> lm = loadModule(opt.allocatedFile, rep.diags);
    if (!lm) {
      ++rep.filesFailed;
      return rep;
    }
    external = std::move(lm->module);
  }
  for (const std::string &file : files) {
    ++rep.filesRead;
    size_t before = rep.diags.size();
    std::optional<LoadedModule> lm;
    try {
      lm = loadModule(file, rep.diags);
    } catch (const std::exception &e) {
      rep.diags.push_back(fileError(file, std::string("internal error while loading: ") + e.what()));
    }
    if (!lm) {
      if (rep.diags.size() == before) rep.diags.push_back(fileError(file, "cannot load module"));
      ++rep.filesFailed;
      continue;
    }
    mir::Module allocated = lm->module;
    allocated.functions.clear();
    mir::Module legacyAllocated = allocated;
    const bool haveCode = allocator || external;
    const bool keep = haveCode && (!opt.emitMirDir.empty() || !opt.emitAsmDir.empty() || opt.run);
    const size_t first = rep.functions.size();
    for (const mir::Function &f : lm->module.functions)
      rep.functions.push_back(processFunction(file, lm->module, f, opt, allocator.get(),
                                              keep ? &allocated : nullptr,
                                              opt.run ? &legacyAllocated : nullptr,
                                              external ? &*external : nullptr, rep.diags));
    if (opt.run) {
      std::span<FunctionReport> rows(rep.functions.data() + first, rep.functions.size() - first);
      runFile(file, *lm, allocated, legacyAllocated, opt, rows, rep.diags);
    }
    for (const auto &d : lm->declined) {
      FunctionReport r;
      r.file = file;
      r.function = d.function;
      r.status = "declined";
      r.reason = d.reason;
      if (opt.legacy) r.legacy = LegacyReport{"declined", 0, 0, 0, 0, "-", false, std::nullopt};
      rep.functions.push_back(std::move(r));
    }
    if (haveCode && !opt.emitAsmDir.empty()) {
      emit::EmitResult er = emit::emitModule(allocated);
      std::string text = er.asmText;
      for (const auto &d : er.declined) text += "@ declined " + d.function + ": " + d.reason + "\n";
      writeFile(opt.emitAsmDir, stem(file) + ".s", text, rep.diags);
    }
    if (!opt.emitVregMirDir.empty()) writeFile(opt.emitVregMirDir, stem(file) + ".vreg.mir", mir::printModule(lm->module), rep.diags);
    if (haveCode && !opt.emitMirDir.empty()) writeFile(opt.emitMirDir, stem(file) + ".mir", mir::printModule(allocated), rep.diags);
  }
  return rep;
}

}  // namespace vcr::tools
