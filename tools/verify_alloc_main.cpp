// verify-alloc: select, allocate and report every function of the inputs.
#include "tools/pipeline.h"
#include "tools/report.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

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
               "with --run: compile the C source next to each kernel (clang-14 -O2, Cortex-M4) "
               "and run it on the same workloads (native_insns)");
  app.add_flag("-q,--quiet", quiet, "do not print the table");
  CLI11_PARSE(app, argc, argv);

  if (paths.empty()) paths.push_back(std::string(VCR_SOURCE_DIR) + "/corpus");
  try {
    opt.pool = vcr::arm::Pool::parse(pool);
  } catch (const std::exception &e) {
    std::cerr << "verify-alloc: --pool: " << e.what() << "\n";
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
  opt.allocate = !noAlloc;
  opt.check = !noCheck;
  vcr::tools::Report rep = vcr::tools::runPipeline(paths, opt);
  if (!quiet) std::cout << vcr::tools::toTable(rep);
  else
    for (const auto &d : rep.diags) std::cerr << d.str() << "\n";
  if (rep.ladderFired() && !opt.permissive)
    for (const auto &f : rep.functions)
      if (f.firing)
        std::cerr << "verify-alloc: error: the recovery ladder fired on '" << f.function << "' ("
                  << f.file << "), rung " << f.firing->rung << ": " << f.firing->reason << "\n";
  if (!csvFile.empty()) {
    if (!writeReport(csvFile, vcr::tools::toCsv(rep))) {
      std::cerr << "verify-alloc: cannot write " << csvFile << "\n";
      return 2;
    }
  }
  if (!jsonFile.empty()) {
    if (!writeReport(jsonFile, vcr::tools::toJson(rep).dump(2) + "\n")) {
      std::cerr << "verify-alloc: cannot write " << jsonFile << "\n";
      return 2;
    }
  }
  return rep.exitCode();
}
