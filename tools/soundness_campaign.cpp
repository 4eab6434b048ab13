// Soundness campaign: subjects (corpus and generated functions, two allocators), checking and judging by execution.
#include "tools/soundness_fuzz.h"

#include "arm/emit/emit.h"
#include "arm/exec/exec.h"
#include "arm/select/oracle.h"
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/ir/diff.h"
#include "core/ir/text.h"
#include "corpus/gen/wasmgen.h"
#include "ladder/ladder.h"
#include "tools/pipeline.h"
#include "verifier/checker.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

namespace vcr::tools::fuzz {

namespace {

using Clock = std::chrono::steady_clock;
using Status = mir::ExecResult::Status;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// One selected module with a correct allocation of every function.
struct Base {
  std::string label;            ///< "memory.wat [vcr-ra]"
  arm::Cpu cpu = arm::Cpu::CortexM4;  ///< what it was selected, emitted and is run for
  std::shared_ptr<const mir::Module> vreg;
  mir::Module allocated;
  std::vector<std::string> fns; ///< functions usable as subjects
  std::map<std::string, std::vector<mir::DiffInput>> inputs;
};

/// A proved mutant waiting for Unicorn.
struct Pending {
  std::string fn, symbol, edits;
  std::vector<EditKind> kinds;
  mir::Function function;
  std::string interpDiff;  ///< interpreter difference ("" = none)
  bool interpError = false;
};


mir::Module withFunction(const mir::Module &m, const mir::Function &f) {
  mir::Module copy = m;
  for (auto &g : copy.functions)
    if (g.name == f.name) g = f;
  return copy;
}

/// Seeded inputs plus inputs whose pointer-like arguments make loads trap.
std::vector<mir::DiffInput> makeInputs(const mir::Module &vreg, const mir::Function &f, unsigned n, uint64_t seed) {
  std::vector<mir::DiffInput> in = mir::makeDiffInputs(vreg, f.name, n, seed);
  const uint32_t mem = vreg.memoryPages * 65536u;
  if (f.sig.params.empty()) return in;
  const uint64_t edges[] = {mem - 1, mem - 4, mem, 0xfffffffcu};
  for (size_t k = 0; k < std::size(edges); ++k) {
    std::vector<uint64_t> args(f.sig.params.size(), edges[k]);
    mir::DiffInput d = mir::expectOn(vreg, f.name, args, mir::randomMemory(mem, seed + k));
    if (d.expected.status != Status::Exhausted) in.push_back(std::move(d));
  }
  return in;
}

/// First difference of an interpreter run of `fn` in `m` over `inputs`.
std::string interpDifference(const mir::Module &m, const std::string &fn, const std::vector<mir::DiffInput> &inputs,
                             bool &error, unsigned &runs) {
  error = false;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const mir::DiffInput &in = inputs[k];
    mir::ExecEnv env;
    env.memory = in.memory;
    env.globals = in.globals;
    env.fuel = 4 * in.expected.steps + 50'000;
    mir::ExecResult r = mir::execute(m, fn, in.args, env);
    ++runs;
    mir::Observed o{r.status, r.results, r.trap, r.error, env.memory, env.globals};
    if (std::string d = mir::compareOutcome(in, o); !d.empty()) {
      error = r.status == Status::Error;
      return "interpreter input #" + std::to_string(k) + " " + mir::argsText(in.args) + ": " + d;
    }
  }
  return "";
}

/// Runs `symbol` (a function of the image with `fn`'s signature) on every input.
std::string unicornDifference(exec::Machine &machine, const std::string &symbol, const mir::Signature &sig,
                              const std::vector<mir::DiffInput> &inputs, unsigned &runs, const mir::Module &vreg) {
  for (size_t k = 0; k < inputs.size(); ++k) {
    const mir::DiffInput &in = inputs[k];
    mir::ExecEnv env;
    exec::RunOptions ro;
    ro.countInsns = false;
    ro.memoryMaxBytes = vreg.memoryMax ? uint64_t(*vreg.memoryMax) * 65536 : 0;  // --memory-max
    exec::RunResult rr = exec::runDiffInput(machine, symbol, sig, in, env, ro, 16, 200'000);
    ++runs;
    mir::Observed o{exec::asExecStatus(rr.status), rr.results, rr.trap, rr.error, env.memory, env.globals};
    if (std::string d = mir::compareOutcome(in, o); !d.empty())
      return "unicorn input #" + std::to_string(k) + " " + mir::argsText(in.args) + ": " + d;
  }
  return "";
}

/// Whether a module computes floats (selected for cortex-m4: float opcodes
/// or float runtime calls), so that it is worth a second run on the VFP file.
bool computesFloats(const select::WasmBinary &bin) {
  Diagnostics diags;
  auto sel = select::selectModule(bin, diags);
  return sel && mir::computesFloats(sel->module);
}

/// Emit and build `m`; null (with `why`) if that fails.
std::unique_ptr<exec::Machine> build(const mir::Module &m, arm::Cpu cpu, std::vector<std::string> &emitted,
                                     std::string &why, double &secs) {
  const auto t0 = Clock::now();
  struct Timer {
    Clock::time_point t0;
    double &secs;
    ~Timer() { secs += since(t0); }
  } timer{t0, secs};
  emit::EmitOptions eo;
  eo.cpu = cpu;
  emit::EmitResult er = emit::emitModule(m, eo);
  emitted = er.emitted;
  if (er.emitted.empty()) {
    why = "nothing emitted";
    return nullptr;
  }
  exec::BuildOptions bo;
  bo.imports = m.imports;
  bo.cpu = cpu;
  if (const std::string &lib = exec::libgccFor(cpu); !lib.empty()) bo.libraries.push_back(lib);  // float runtime
  exec::BuildResult b = exec::buildImage(er.asmText, bo);
  if (!b.ok) {
    why = b.error.substr(0, 300);
    return nullptr;
  }
  return std::make_unique<exec::Machine>(std::move(b.image));
}

class Campaign {
public:
  explicit Campaign(const CampaignOptions &opt) : opt_(opt) {}

  CampaignReport run();

private:
  void load();
  void addModule(const std::string &name, const select::WasmBinary &bin, arm::Cpu cpu);
  void addBase(const std::string &label, arm::Cpu cpu, std::shared_ptr<const mir::Module> vreg, mir::Module allocated,
               const std::vector<bool> &ok, const select::WasmBinary &bin);
  void fuzzBase(const Base &b, unsigned count, uint64_t seed);
  void judge(const Base &b, std::vector<Pending> &pending);
  void record(Outcome o, const std::vector<EditKind> &kinds);
  void finding(Outcome o, const Base &b, const Pending &p, const std::string &diff);
  void dump(const Base &b, const std::string &fn, const FuzzMutant &m, const char *verdict);

  const CampaignOptions &opt_;
  CampaignReport rep_;
  std::vector<Base> bases_;
  unsigned findingNo_ = 0;
  std::map<const Base *, std::string> dumpedBase_;  ///< --dump: the vreg file written per subject
  unsigned dumpNo_ = 0;
};

/// --dump: the mutant (alone in its module) and the checker's verdict, for the Coq validator.
void Campaign::dump(const Base &b, const std::string &fn, const FuzzMutant &m, const char *verdict) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(opt_.dumpDir, ec);
  std::string &vfile = dumpedBase_[&b];
  if (vfile.empty()) {
    vfile = "base" + std::to_string(dumpedBase_.size()) + ".vreg.mir";
    std::ofstream(fs::path(opt_.dumpDir) / vfile) << mir::printModule(*b.vreg);
  }
  mir::Module one = b.allocated;
  one.functions.clear();
  one.functions.push_back(m.function);
  one.functions.back().name = fn;
  const std::string afile = "m" + std::to_string(++dumpNo_) + ".alloc.mir";
  std::ofstream(fs::path(opt_.dumpDir) / afile) << mir::printModule(one);
  std::ofstream(fs::path(opt_.dumpDir) / "verdicts.tsv", std::ios::app)
      << afile << "\t" << vfile << "\t" << fn << "\t" << verdict << "\t" << m.describe() << "\n";
}

void Campaign::addBase(const std::string &label, arm::Cpu cpu, std::shared_ptr<const mir::Module> vreg,
                       mir::Module allocated, const std::vector<bool> &ok, const select::WasmBinary &bin) {
  Base b;
  b.label = label;
  b.cpu = cpu;
  b.vreg = std::move(vreg);
  b.allocated = std::move(allocated);
  std::optional<select::Oracle> oracle;
  Diagnostics od;
  oracle = select::Oracle::create(bin, od, b.vreg->memoryMax);
  std::vector<std::string> emitted;
  std::string why;
  std::unique_ptr<exec::Machine> machine;
  if (opt_.unicorn) {
    machine = build(b.allocated, b.cpu, emitted, why, rep_.buildSeconds);
    if (!machine) rep_.notes.push_back(label + ": the unmutated module does not build: " + why);
  }
  verifier::CheckOptions co;
  for (size_t i = 0; i < b.vreg->functions.size(); ++i) {
    const mir::Function &f = b.vreg->functions[i];
    const std::string where = label + " @" + f.name;
    auto skip = [&](const std::string &why) {
      ++rep_.functionsSkipped;
      rep_.notes.push_back(where + ": " + why);
    };
    if (i < ok.size() && !ok[i]) continue;  // this allocator gave no code (not a subject)
    const mir::Function *a = b.allocated.findFunction(f.name);
    if (!a || !a->allocated) continue;
    if (!verifier::checkFunction(f, *a, *b.vreg, co).ok()) { skip("unmutated allocation not proved"); continue; }
    std::vector<mir::DiffInput> inputs = makeInputs(*b.vreg, f, opt_.inputs, opt_.seed ^ std::hash<std::string>{}(where));
    if (inputs.size() < opt_.inputs) { skip("only " + std::to_string(inputs.size()) + " usable inputs"); continue; }
    bool err = false;
    unsigned runs = 0;
    if (std::string d = interpDifference(b.allocated, f.name, inputs, err, runs); !d.empty()) { skip("unmutated allocation differs: " + d); continue; }
    if (oracle && f.wasmIndex >= 0) {
      std::string bad;
      for (size_t k = 0; k < inputs.size() && bad.empty(); ++k) {
        select::OracleRun o = oracle->run(static_cast<uint32_t>(f.wasmIndex), inputs[k].args, inputs[k].memory, inputs[k].globals);
        Status s = o.status == select::OracleRun::Status::Returned ? Status::Returned
                   : o.status == select::OracleRun::Status::Trapped ? Status::Trapped
                   : o.status == select::OracleRun::Status::Exhausted ? Status::Exhausted : Status::Error;
        bad = mir::compareOutcome(inputs[k], {s, o.results, o.reason, o.error, o.memory, o.globals});
      }
      if (!bad.empty()) { skip("wabt and the vreg interpreter disagree: " + bad); continue; }
    }
    if (machine && std::find(emitted.begin(), emitted.end(), f.name) != emitted.end()) {
      if (std::string d = unicornDifference(*machine, f.name, f.sig, inputs, runs, *b.vreg); !d.empty()) { skip("unmutated allocation differs in Unicorn: " + d); continue; }
    } else if (opt_.unicorn) { skip("unmutated allocation not emitted or not built"); continue; }
    b.fns.push_back(f.name);
    b.inputs[f.name] = std::move(inputs);
  }
  rep_.subjects += static_cast<unsigned>(b.fns.size());
  if (!b.fns.empty()) bases_.push_back(std::move(b));
}

void Campaign::addModule(const std::string &name, const select::WasmBinary &bin, arm::Cpu cpu) {
  Diagnostics diags;
  select::SelectOptions so;
  so.cpu = cpu;
  so.memoryMax = opt_.memoryMax;
  auto sel = select::selectModule(bin, diags, so);
  if (!sel) { rep_.notes.push_back(name + ": selection failed"); return; }
  auto vreg = std::make_shared<const mir::Module>(std::move(sel->module));
  auto gc = alloc::makeGraphColouring();
  alloc::ModuleAllocation ma = alloc::allocateModule(*gc, *vreg, alloc::AllocOptions{});
  for (const auto &r : ma.results)
    if (!r.ok) { rep_.notes.push_back(name + ": vcr-ra failed on a function, module skipped"); return; }
  addBase(name + " [vcr-ra]", cpu, vreg, ma.module, {}, bin);
  if (!opt_.legacy) return;
  mir::Module legacy = ma.module;  // functions the ladder cannot allocate keep vcr-ra's code
  std::vector<bool> ok;
  for (size_t i = 0; i < vreg->functions.size(); ++i) {
    ladder::LadderResult lr = ladder::runLadder(vreg->functions[i], *vreg);
    ok.push_back(lr.result.ok);
    if (lr.result.ok) legacy.functions[i] = std::move(lr.result.function);
  }
  addBase(name + " [legacy]", cpu, vreg, std::move(legacy), ok, bin);
}

void Campaign::load() {
  Diagnostics diags;
  std::vector<std::string> roots = opt_.corpus;
  if (roots.empty())
    roots = {std::string(VCR_SOURCE_DIR) + "/corpus/fixtures", std::string(VCR_SOURCE_DIR) + "/corpus/kernels",
             std::string(VCR_SOURCE_DIR) + "/tools/fuzz/shapes.wat"};
  for (const std::string &file : collectInputs(roots, diags)) {
    if (std::filesystem::path(file).extension() == ".mir") continue;
    if (auto bin = select::loadWasmFile(file, diags)) {
      const std::string name = std::filesystem::path(file).filename().string();
      addModule(name, *bin, arm::Cpu::CortexM4);
      if (computesFloats(*bin)) addModule(name + " cortex-m4f", *bin, arm::Cpu::CortexM4F);  // the VFP file
    }
  }
  for (unsigned k = 0; k < opt_.generated; ++k) {
    gen::GenOptions g;
    g.seed = opt_.seed * 1000 + k + 1;
    g.size = 20 + (k * 37) % 60;
    g.pressure = 4 + k % 10;
    g.helpers = k % 3;
    g.memShare = 0.25;
    if (k % 3 == 2) g.floatShare = 0.3;  // floats, run on the VFP file as well
    const std::string name = "gen" + std::to_string(g.seed) + ".wat";
    if (auto bin = select::watToWasm(gen::generateWat(g), name, diags)) {
      addModule(name, *bin, arm::Cpu::CortexM4);
      if (g.floatShare > 0) addModule(name + " cortex-m4f", *bin, arm::Cpu::CortexM4F);
    }
  }
  for (const auto &d : diags) rep_.notes.push_back(d.str());
}

void Campaign::record(Outcome o, const std::vector<EditKind> &kinds) {
  ++rep_.outcomes[static_cast<unsigned>(o)];
  std::array<bool, kNumEditKinds> seen{};
  for (EditKind k : kinds)
    if (!seen[static_cast<unsigned>(k)]) {
      seen[static_cast<unsigned>(k)] = true;
      ++rep_.byKind[static_cast<unsigned>(k)][static_cast<unsigned>(o)];
    }
}

void Campaign::finding(Outcome o, const Base &b, const Pending &p, const std::string &diff) {
  Finding f;
  f.outcome = o;
  f.subject = b.label;
  f.function = p.fn;
  f.edits = p.edits;
  f.difference = diff;
  if (!opt_.outDir.empty()) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(opt_.outDir, ec);
    std::string stem = b.label.substr(0, b.label.find(' ')) + "-" + p.fn + "-" + std::to_string(++findingNo_);
    for (char &c : stem) if (!isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    const std::string base = (fs::path(opt_.outDir) / stem).string();
    mir::Function g = p.function;
    g.name = p.fn;
    std::ofstream(base + ".vreg.mir") << mir::printModule(*b.vreg);
    std::ofstream(base + ".alloc.mir") << mir::printModule(withFunction(b.allocated, g));
    std::ofstream(base + ".txt") << outcomeName(o) << "\n" << b.label << " @" << p.fn << "\nedits: " << p.edits
                                 << "\n" << diff << "\nreproduce: verify-alloc " << base << ".vreg.mir --allocated "
                                 << base << ".alloc.mir --run\n";
    f.files = base + ".vreg.mir + " + base + ".alloc.mir";
  }
  rep_.findings.push_back(std::move(f));
}

void Campaign::fuzzBase(const Base &b, unsigned count, uint64_t seed) {
  verifier::CheckOptions co;
  co.timeoutMs = opt_.timeoutMs;
  std::vector<Pending> pending;
  unsigned made = 0;
  for (unsigned k = 0; made < count && k < 4 * count + 8; ++k) {  // a function without a site for the edits is passed over
    const std::string &fn = b.fns[k % b.fns.size()];
    const mir::Function &orig = *b.vreg->findFunction(fn);
    const mir::Function &alloc = *b.allocated.findFunction(fn);
    std::optional<FuzzMutant> m = opt_.only.empty() ? makeMutant(alloc, seed * 1'000'003 + k)
                                                    : makeMutantOf(alloc, opt_.only, seed * 1'000'003 + k);
    if (!m) continue;
    ++made;
    ++rep_.tried;
    std::vector<EditKind> kinds;
    for (const Edit &e : m->edits) kinds.push_back(e.kind);
    const auto t0 = Clock::now();
    verifier::CheckResult cr;
    bool threw = false;
    try {
      cr = verifier::checkFunction(orig, m->function, *b.vreg, co);
    } catch (const std::exception &e) {
      threw = true;
      rep_.notes.push_back(b.label + " @" + fn + ": checkFunction threw " + e.what() + " on " + m->describe());
    }
    rep_.checkSeconds += since(t0);
    if (threw) { ++rep_.checkerExceptions; record(Outcome::Unknown, kinds); continue; }
    if (!opt_.dumpDir.empty()) dump(b, fn, *m, cr.refuted ? "refuted" : cr.unknown ? "unknown" : "proved");
    if (cr.refuted) {
      bool syntactic = false;
      for (const auto &o : cr.obligations) syntactic |= o.status == verifier::Status::Refuted && o.method == "syntactic";
      record(syntactic ? Outcome::StructRejected : Outcome::Refuted, kinds);
      if (opt_.explain)
        for (const auto &o : cr.obligations)
          if (o.status == verifier::Status::Refuted) {
            std::cerr << "explain: " << (syntactic ? "struct " : "refuted ") << m->describe() << "\n    " << o.id << ": " << o.detail.substr(0, 300) << "\n";
            break;
          }
      continue;
    }
    if (cr.unknown) { record(Outcome::Unknown, kinds); continue; }
    pending.push_back({fn, fn + "__fz" + std::to_string(k), m->describe(), kinds, std::move(m->function), "", false});
  }
  judge(b, pending);
}

void Campaign::judge(const Base &b, std::vector<Pending> &pending) {
  const auto t0 = Clock::now();
  std::map<std::string, std::string> unicorn;  // symbol -> difference, for mutants Unicorn ran
  if (opt_.unicorn && !pending.empty()) {
    mir::Module batch = b.allocated;
    for (const Pending &p : pending) {
      mir::Function g = p.function;
      g.name = p.symbol;
      batch.functions.push_back(std::move(g));
    }
    std::vector<std::string> emitted;
    std::string why;
    std::unique_ptr<exec::Machine> machine = build(batch, b.cpu, emitted, why, rep_.buildSeconds);
    for (const Pending &p : pending) {
      if (std::find(emitted.begin(), emitted.end(), p.symbol) == emitted.end()) continue;
      std::unique_ptr<exec::Machine> own;
      exec::Machine *m = machine.get();
      if (!m) {  // the batch does not build: build this mutant alone
        mir::Module one = b.allocated;
        mir::Function g = p.function;
        g.name = p.symbol;
        one.functions.push_back(std::move(g));
        std::vector<std::string> e1;
        own = build(one, b.cpu, e1, why, rep_.buildSeconds);
        m = own.get();
        if (!m) {
          unicorn[p.symbol] = "the emitted code does not assemble: " + why;
          continue;
        }
      }
      const auto t1 = Clock::now();
      unicorn[p.symbol] = unicornDifference(*m, p.symbol, b.vreg->findFunction(p.fn)->sig, b.inputs.at(p.fn), rep_.unicornRuns, *b.vreg);
      if (since(t1) > 1.0)
        rep_.notes.push_back(b.label + " @" + p.fn + ": slow mutant (" + std::to_string(since(t1)) + " s in Unicorn): " + p.edits);
    }
  }
  for (Pending &p : pending) {
    auto it = unicorn.find(p.symbol);
    const bool ran = it != unicorn.end();
    rep_.provedRunInUnicorn += ran;
    rep_.provedNotEmitted += !ran;
    const std::string udiff = ran ? it->second : "";
    // The interpreter runs unless Unicorn has already shown a difference.
    if (udiff.empty()) {
      const auto t1 = Clock::now();
      p.interpDiff = interpDifference(withFunction(b.allocated, p.function), p.fn, b.inputs.at(p.fn), p.interpError, rep_.interpRuns);
      if (since(t1) > 1.0)
        rep_.notes.push_back(b.label + " @" + p.fn + ": slow mutant (" + std::to_string(since(t1)) + " s in the interpreter): " + p.edits);
    }
    Outcome o = Outcome::ProvedEquivalent;
    std::string diff;
    if (!udiff.empty()) o = Outcome::ProvedDifferent, diff = udiff;
    else if (!p.interpDiff.empty()) o = p.interpError ? Outcome::ProvedInterpError : Outcome::ProvedDifferent, diff = p.interpDiff;
    record(o, p.kinds);
    if (o != Outcome::ProvedEquivalent) finding(o, b, p, diff);
  }
  rep_.runSeconds += since(t0);
}

CampaignReport Campaign::run() {
  const auto start = Clock::now();
  load();
  if (opt_.verbose) std::cerr << "soundness-fuzz: " << rep_.subjects << " subject functions in " << bases_.size() << " allocated modules (" << since(start) << " s)\n";
  unsigned total = 0;
  for (const Base &b : bases_) total += static_cast<unsigned>(b.fns.size());
  unsigned cum = 0;
  for (size_t i = 0; i < bases_.size(); ++i) {
    // Mutants in proportion to the base's subject functions.
    const unsigned from = static_cast<unsigned>(uint64_t(opt_.mutants) * cum / total);
    cum += static_cast<unsigned>(bases_[i].fns.size());
    const unsigned share = static_cast<unsigned>(uint64_t(opt_.mutants) * cum / total) - from;
    fuzzBase(bases_[i], share, opt_.seed * 7919 + i);
    if (opt_.verbose)
      std::cerr << "  " << bases_[i].label << ": " << share << " mutants, " << rep_.tried << " tried so far (" << since(start) << " s)\n";
  }
  rep_.seconds = since(start);
  return std::move(rep_);
}

}  // namespace

std::string_view outcomeName(Outcome o) {
  static constexpr std::string_view kNames[kNumOutcomes] = {"structurally-rejected", "refuted", "unknown",
                                                            "proved-equivalent", "proved-different", "proved-interp-error"};
  const auto i = static_cast<unsigned>(o);
  return i < kNumOutcomes ? kNames[i] : "?";
}

CampaignReport runCampaign(const CampaignOptions &opt) { return Campaign(opt).run(); }

}  // namespace vcr::tools::fuzz
