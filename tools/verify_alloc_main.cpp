// verify-alloc: select, allocate and report every function of the inputs.
#include "tools/pipeline.h"
#include "tools/report.h"
#include "tools/report_merge.h"
#include "tools/html_report.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace {

/// Why writing a report to `out` would destroy an input ("" if it is safe):
/// `--json corpus/x.wat` would otherwise swallow the input as the report file.
std::string clobbersInput(const std::string &out, const std::vector<std::string> &inputs) {
  namespace fs = std::filesystem;
  const std::string ext = fs::path(out).extension().string();
  if (ext == ".wat" || ext == ".wasm" || ext == ".mir")
    return "'" + out + "' looks like an input (" + ext + "); reports go to .json/.csv files";
  std::error_code ec;
  for (const auto &in : inputs) {
    if (fs::exists(out, ec) && fs::equivalent(out, in, ec))
      return "'" + out + "' is one of the inputs";
  }
  return "";
}

/// Write `text` to `file` ("-" is stdout); false on failure.
bool writeReport(const std::string &file, const std::string &text) {
  if (file == "-") {
    std::cout << text;
    return static_cast<bool>(std::cout);
  }
  std::ofstream out(file);
  out << text;
  return static_cast<bool>(out);
}

/// Parse "K/N" (1 <= K <= N) for --shard.
bool parseShard(const std::string &text, unsigned &k, unsigned &n) {
  unsigned a = 0, b = 0;
  char slash = 0, rest = 0;
  if (std::sscanf(text.c_str(), "%u%c%u%c", &a, &slash, &b, &rest) != 3 || slash != '/') return false;
  if (b < 1 || a < 1 || a > b) return false;
  k = a;
  n = b;
  return true;
}

/// The progress line on a terminal: rewritten in place at most ten times a
/// second, cleared at the end.
class ProgressLine {
 public:
  void operator()(const vcr::tools::Progress &p) {
    auto now = std::chrono::steady_clock::now();
    bool last = p.functions && p.functionsDone == p.functions && p.filesDone == p.files;
    if (!last && now - shown_ < std::chrono::milliseconds(100)) return;
    shown_ = now;
    std::fprintf(stderr, "\r\033[Kverify-alloc: %zu/%zu files, %zu/%zu functions, %.1f s", p.filesDone,
                 p.files, p.functionsDone, p.functions, p.elapsedSeconds);
    std::fflush(stderr);
    drawn_ = true;
  }
  ~ProgressLine() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  std::chrono::steady_clock::time_point shown_{};
  bool drawn_ = false;
};

/// Write the table, CSV and JSON of `rep` as asked; returns the exit code.
int finish(const vcr::tools::Report &rep, bool quiet, const std::string &csvFile,
           const std::string &jsonFile) {
  if (!quiet) std::cout << vcr::tools::toTable(rep);
  else
    for (const auto &d : rep.diags) std::cerr << d.str() << "\n";
  if (rep.ladderFired() && !rep.permissive)
    for (const auto &f : rep.functions)
      if (f.firing)
        std::cerr << "verify-alloc: error: the recovery ladder fired on '" << f.function << "' ("
                  << f.file << "), rung " << f.firing->rung << ": " << f.firing->reason << "\n";
  if (!csvFile.empty() && !writeReport(csvFile, vcr::tools::toCsv(rep))) {
    std::cerr << "verify-alloc: cannot write " << csvFile << "\n";
    return 2;
  }
  if (!jsonFile.empty() && !writeReport(jsonFile, vcr::tools::toJson(rep).dump(2) + "\n")) {
    std::cerr << "verify-alloc: cannot write " << jsonFile << "\n";
    return 2;
  }
  return rep.exitCode();
}

/// `verify-alloc merge A.json B.json ...`: one report from a sharded run's.
int runMerge(const std::vector<std::string> &files, bool quiet, const std::string &csvFile,
             const std::string &jsonFile) {
  std::vector<vcr::tools::Report> shards;
  for (const auto &file : files) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "verify-alloc merge: cannot open " << file << "\n";
      return 2;
    }
    try {
      shards.push_back(vcr::tools::reportFromJson(nlohmann::json::parse(in)));
    } catch (const std::exception &e) {
      std::cerr << "verify-alloc merge: " << file << ": " << e.what() << "\n";
      return 2;
    }
  }
  std::string error;
  vcr::tools::Report rep = vcr::tools::mergeReports(shards, error);
  if (!error.empty()) {
    std::cerr << "verify-alloc merge: " << error << "\n";
    return 2;
  }
  return finish(rep, quiet || jsonFile == "-", csvFile, jsonFile);
}

}  // namespace

int main(int argc, char **argv) {
  CLI::App app{"verify-alloc: verified register allocation for wasm -> Thumb-2.\n"
               "Selects every function of the inputs (.wat, .wasm, .mir; directories are "
               "walked), allocates it and prints a per-function table."};
  app.set_version_flag("--version", std::string("verify-alloc ") + VCR_VERSION);
  std::vector<std::string> paths;
  std::string jsonFile, pool = "r0-r8";
  vcr::tools::PipelineOptions opt;
  bool noAlloc = false, quiet = false;
  app.add_option("PATH", paths, "input files or directories (default: the bundled corpus)");
  app.add_option("--json", jsonFile, "write the JSON report (docs/report-schema.md) to FILE ('-': stdout)")
      ->option_text("FILE");
  app.add_option("--pool", pool, "allocatable registers, e.g. r0-r8 or r0-r8,r12,lr")
      ->capture_default_str();
  std::string cpu = "cortex-m4";
  app.add_option("--cpu", cpu,
                 "target CPU: cortex-m4 (no FPU: floats as words, soft-float calls; the default), "
                 "cortex-m4f (f32 in S registers, f64 soft float), cortex-m7 (f32 in S, f64 in D registers)")
      ->capture_default_str();
  int64_t memoryMax = -1;
  CLI::Option *memoryMaxOpt = app.add_option("--memory-max", memoryMax,
                 "memory really grows, up to min(PAGES, the module's declared maximum) pages and never "
                 "below the initial size (memory.grow is memgrow; R10 changes at a grow); without it "
                 "memory has a fixed size")
      ->option_text("PAGES");
  app.add_option("--emit-mir", opt.emitMirDir, "write the allocated MIR of each input to DIR")
      ->option_text("DIR");
  app.add_option("--emit-vreg-mir", opt.emitVregMirDir,
                 "write the vreg MIR (selected, before allocation) of each input to DIR as <stem>.vreg.mir")
      ->option_text("DIR");
  app.add_option("--emit-asm", opt.emitAsmDir,
                 "write the Thumb-2 assembly (GNU as, Cortex-M4) of each input to DIR")
      ->option_text("DIR");
  app.add_option("--dot", opt.dotDir, "write each function's interference graph (Graphviz) to DIR")
      ->option_text("DIR");
  app.add_flag("--no-alloc", noAlloc, "only select and measure; do not allocate");
  app.add_option("--allocated", opt.allocatedFile,
                 "check the allocated-form functions of this .mir file (matched by name) instead "
                 "of allocating: allocations made elsewhere, by hand or mutated")
      ->option_text("FILE");
  bool noCheck = false;
  std::string csvFile;
  app.add_flag("--legacy", opt.legacy,
               "also run the legacy single-pass allocator model and its recovery ladder "
               "(research table: rung per function, spills, checker verdict)");
  app.add_flag("--legacy-trace", opt.legacyTrace,
               "print the legacy model's per-rung log (implies --legacy): per function a line "
               "'== FILE @FUNCTION', then one 'rung=<name> [promotion-off] result=ok|exhausted' "
               "line per attempt, in the legacy compiler's format");
  app.add_flag("--permissive", opt.permissive,
               "if the ladder fires (vcr-ra failed on a function), keep the ladder's code and "
               "do not fail the run");
  app.add_option("--csv", csvFile, "write the per-function table as CSV to FILE")->option_text("FILE");
  app.add_flag("--no-check", noCheck, "allocate but do not run the independent checker");
  app.add_option("--timeout", opt.timeoutMs, "per-query solver timeout in ms (a timeout is 'unknown')")
      ->capture_default_str();
  app.add_option("--stack-limit", opt.stackLimit,
                 "bytes of stack one function's frame may use; a frame that needs more is a "
                 "refuted 'frame' obligation")
      ->capture_default_str();
  app.add_option("--smt", opt.smtDir, "write every SMT obligation as SMT-LIB2 to DIR/<function>/")
      ->option_text("DIR");
  app.add_flag("--run", opt.run,
               "emit Thumb-2, assemble and link it (binutils), run every function in Unicorn on "
               "seeded inputs and the workloads of workloads.json, and compare with the wabt and "
               "MIR interpreters (with --legacy: the legacy model's code too)");
  app.add_option("--run-inputs", opt.exec.inputs, "seeded inputs per function for --run")
      ->capture_default_str();
  bool native = false;
  app.add_flag("--native", native,
               "with --run: compile the C source next to each kernel (clang-14 -O2, for --cpu) "
               "and run it on the same workloads (native_insns)");
  app.add_flag("--count-origins", opt.exec.countOrigins,
               "with --run: count executed instructions of allocator-inserted code by origin "
               "(spill, reload, move, remat, frame, ...: exec.insns_by_origin in the JSON)");
  app.add_flag("-q,--quiet", quiet, "do not print the table (nor the progress line)");
  unsigned jobs = 0;
  app.add_option("-j,--jobs", jobs,
                 "check functions on N threads (default: one per core); the report is the same "
                 "for every N")
      ->option_text("N");
  std::string shard;
  app.add_option("--shard", shard,
                 "process only inputs i with i mod N = K-1 (1 <= K <= N); merge the shards' "
                 "--json reports with `verify-alloc merge`")
      ->option_text("K/N");
  app.add_option("--max-instructions", opt.maxInstructions,
                 "a function with more MIR instructions is an input error (exit 2), not a job")
      ->capture_default_str();

  std::string without;
  app.add_option("--without", without,
                 "an ablation: switch off these quality passes (comma-separated: call-splits, loop-exit-splits, "
                 "webs, arg-only-params, callee-split, recolour); the allocation stays checked and correct, "
                 "and the report says which were off (scripts/ablation.sh)")
      ->option_text("PASSES");
  app.add_flag("--optimal", opt.optimal,
               "allocate with the optimal allocator (integer program, CBC) instead of vcr-ra, check "
               "it, and report its cost, bound, gap and solver time beside vcr-ra's and the legacy "
               "model's cost under the same model (docs/optimal.md)");
  app.add_option("--optimal-time", opt.optimalSeconds, "CBC time limit per function for --optimal, in seconds")
      ->capture_default_str();
  app.add_flag("--optimal-cpu-time", opt.optimalCpuTime,
               "count --optimal-time in the solver's own CPU time, not wall time: the same search and the "
               "same table however loaded the machine is (a solve may take longer to wait for)");
  app.add_option("--optimal-max-vars", opt.optimalMaxVariables,
                 "--optimal does not attempt a function whose program has more variables")
      ->capture_default_str();
  app.add_option("--optimal-function", opt.optimalFunctions,
                 "with --optimal: solve only the functions of this name (repeatable); the others are allocated "
                 "by vcr-ra as without --optimal. A name no input defines is an error (exit 2)")
      ->option_text("NAME");

  std::string htmlDir;
  app.add_option("--html", htmlDir,
                 "write a static HTML report (index, one page per function with obligations, "
                 "counterexamples, interference graph, listing) to DIR")
      ->option_text("DIR");

  std::vector<std::string> mergeFiles;
  std::string mergeJson, mergeCsv;
  bool mergeQuiet = false;
  CLI::App *merge = app.add_subcommand(
      "merge", "combine the --json reports of a sharded run (--shard 1/N .. N/N) into one "
               "report: same table, JSON and exit code as one run");
  merge->add_option("REPORT", mergeFiles, "the shards' JSON reports")->required();
  merge->add_option("--json", mergeJson, "write the merged JSON report to FILE ('-': stdout)")
      ->option_text("FILE");
  merge->add_option("--csv", mergeCsv, "write the merged table as CSV to FILE")->option_text("FILE");
  merge->add_flag("-q,--quiet", mergeQuiet, "do not print the table");
  CLI11_PARSE(app, argc, argv);
  if (*merge) return runMerge(mergeFiles, mergeQuiet, mergeCsv, mergeJson);

  if (!shard.empty() && !parseShard(shard, opt.shardIndex, opt.shardCount)) {
    std::cerr << "verify-alloc: --shard: expected K/N with 1 <= K <= N, got '" << shard << "'\n";
    return 2;
  }
  opt.jobs = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());

  if (paths.empty()) paths.push_back(std::string(VCR_SOURCE_DIR) + "/corpus");
  if (memoryMaxOpt->count()) {
    if (memoryMax < 0 || memoryMax > vcr::mir::kMaxGrowPages) {
      std::cerr << "verify-alloc: --memory-max: " << memoryMax << " pages is outside 0.."
                << vcr::mir::kMaxGrowPages << " (R10 holds the memory size in bytes)\n";
      return 2;
    }
    opt.memoryMax = static_cast<uint32_t>(memoryMax);
  }
  if (auto c = vcr::arm::parseCpu(cpu)) {
    opt.cpu = *c;
  } else {
    std::cerr << "verify-alloc: --cpu: unknown CPU '" << cpu << "' (" << vcr::arm::cpuNames() << ")\n";
    return 2;
  }
  try {
    opt.pool = vcr::arm::Pool::parse(pool);
  } catch (const std::exception &e) {
    std::cerr << "verify-alloc: --pool: " << e.what() << "\n";
    return 2;
  }
  if (const unsigned n = opt.pool.regs.size(); n < vcr::arm::Pool::kMinRegisters) {
    std::cerr << "verify-alloc: --pool: '" << pool << "' has " << n << " register" << (n == 1 ? "" : "s")
              << "; vcr-ra needs at least " << vcr::arm::Pool::kMinRegisters
              << " (with fewer, the ABI's argument and result registers can take the whole pool at one "
                 "instruction)\n";
    return 2;
  }
  for (const auto *out : {&jsonFile, &csvFile}) {
    if (out->empty()) continue;
    if (std::string why = clobbersInput(*out, paths); !why.empty()) {
      std::cerr << "verify-alloc: refusing to write the report: " << why << "\n";
      return 2;
    }
  }
  if (jsonFile == "-") quiet = true;  // stdout carries the JSON alone
  opt.exec.native = native;
  if (native && !opt.run) {
    std::cerr << "verify-alloc: --native needs --run\n";
    return 2;
  }
  if (!without.empty()) {
    std::string error;
    if (!vcr::alloc::disablePasses(without, opt.passes, error)) {
      std::cerr << "verify-alloc: --without: " << error << "\n";
      return 2;
    }
    if (opt.optimal) {  // the optimal allocator starts from vcr-ra's webs (optimal/start.h)
      std::cerr << "verify-alloc: --without does not combine with --optimal\n";
      return 2;
    }
  }
  if (!opt.optimalFunctions.empty() && !opt.optimal) {
    std::cerr << "verify-alloc: --optimal-function needs --optimal\n";
    return 2;
  }
  if (opt.optimalCpuTime && !opt.optimal) {
    std::cerr << "verify-alloc: --optimal-cpu-time needs --optimal\n";
    return 2;
  }
  if (opt.exec.countOrigins && !opt.run) {
    std::cerr << "verify-alloc: --count-origins needs --run\n";
    return 2;
  }
  opt.allocate = !noAlloc;
  opt.check = !noCheck;
  opt.legacy = opt.legacy || opt.legacyTrace;
  vcr::tools::Report rep;
  double wallSeconds = 0;
  {
    ProgressLine line;
    if (!quiet && ::isatty(STDERR_FILENO)) opt.onProgress = std::ref(line);
    opt.keepArtifacts = !htmlDir.empty();
    const auto start = std::chrono::steady_clock::now();
    rep = vcr::tools::runPipeline(paths, opt);
    wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const int rc = finish(rep, quiet, csvFile, jsonFile);
  for (const std::string &name : opt.optimalFunctions)
    if (std::none_of(rep.functions.begin(), rep.functions.end(), [&](const auto &f) { return f.function == name; })) {
      std::cerr << "verify-alloc: --optimal-function: no input defines a function '" << name << "'\n";
      return 2;
    }
  if (opt.legacyTrace && jsonFile != "-")
    for (const auto &f : rep.functions)
      if (f.legacy) {
        std::cout << "== " << f.file << " @" << f.function << "\n";
        for (const auto &line : f.legacy->trace) std::cout << line << "\n";
      }
  if (!htmlDir.empty()) {
    vcr::tools::HtmlOptions html;
    html.runInfo = {{"pool", pool},
                    {"jobs", std::to_string(opt.jobs) + " threads on " +
                                 std::to_string(std::thread::hardware_concurrency()) + " cores"},
                    {"wall time", std::to_string(int(wallSeconds * 1000)) + " ms"}};
    if (std::string error; !vcr::tools::writeHtmlReport(rep, htmlDir, html, error)) {
      std::cerr << "verify-alloc: --html: " << error << "\n";
      return 2;
    }
  }
  return rc;
}
