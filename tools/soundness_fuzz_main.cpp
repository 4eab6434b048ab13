// soundness-fuzz: the checker soundness campaign (random and hole-shaped mutants, judged by execution).
#include "tools/soundness_fuzz.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

int main(int argc, char **argv) {
  CLI::App app{"soundness-fuzz: mutate correct allocations, check each mutant, and run every proved one in the "
               "MIR interpreter and in Unicorn. Exit 1 if any proved mutant behaves differently."};
  vcr::tools::fuzz::CampaignOptions opt;
  std::string report, json;
  bool noLegacy = false, noUnicorn = false;
  app.add_option("--mutants", opt.mutants, "mutants to try")->capture_default_str();
  app.add_option("--seed", opt.seed, "seed of the campaign")->capture_default_str();
  app.add_option("--corpus", opt.corpus, "input files or directories (.wat/.wasm; default: corpus/fixtures and corpus/kernels)")
      ->option_text("PATH...");
  int64_t memoryMax = -1;
  CLI::Option *memoryMaxOpt = app.add_option("--memory-max", memoryMax,
                 "memory really grows, up to PAGES (as verify-alloc --memory-max)")->option_text("PAGES");
  app.add_option("--generated", opt.generated, "generated modules (corpus/gen) to add")->capture_default_str();
  app.add_option("--inputs", opt.inputs, "seeded inputs per function (trap-biased inputs come on top)")->capture_default_str();
  app.add_option("--timeout", opt.timeoutMs, "per-query solver timeout in ms for mutants")->capture_default_str();
  app.add_option("--out", opt.outDir, "write each proved-but-different mutant as <stem>.vreg.mir + <stem>.alloc.mir here")
      ->option_text("DIR");
  app.add_option("--dump", opt.dumpDir, "write every mutant and the checker's verdict on it to DIR (verdicts.tsv)")
      ->option_text("DIR");
  app.add_option("--report", report, "write the text report to FILE")->option_text("FILE");
  app.add_option("--json", json, "write the JSON report to FILE")->option_text("FILE");
  app.add_flag("--no-legacy", noLegacy, "only vcr-ra's allocations (not the legacy model's)");
  app.add_flag("--no-unicorn", noUnicorn, "judge with the interpreter only (no binutils needed)");
  app.add_flag("-v,--verbose", opt.verbose, "progress on stderr");
  app.add_flag("--explain", opt.explain, "print each rejected mutant with its first refuted obligation on stderr");
  std::vector<std::string> only;
  app.add_option("--only", only, "make every mutant of exactly these edit kinds, in order (e.g. GsetBeforeTrap)")
      ->option_text("KIND...");
  CLI11_PARSE(app, argc, argv);
  if (memoryMaxOpt->count()) {
    if (memoryMax < 0 || memoryMax > vcr::mir::kMaxGrowPages) {
      std::cerr << "soundness-fuzz: --memory-max: " << memoryMax << " pages is outside 0.."
                << vcr::mir::kMaxGrowPages << "\n";
      return 2;
    }
    opt.memoryMax = static_cast<uint32_t>(memoryMax);
  }
  for (const std::string &k : only) {
    auto kind = vcr::tools::fuzz::editKindFromName(k);
    if (!kind) {
      std::cerr << "soundness-fuzz: unknown edit kind '" << k << "'\n";
      return 2;
    }
    opt.only.push_back(*kind);
  }
  opt.legacy = !noLegacy;
  opt.unicorn = !noUnicorn;
  const vcr::tools::fuzz::CampaignReport rep = vcr::tools::fuzz::runCampaign(opt);
  const std::string text = rep.text();
  std::cout << text;
  if (!report.empty()) std::ofstream(report) << text;
  if (!json.empty()) std::ofstream(json) << rep.json().dump(2) << "\n";
  using vcr::tools::fuzz::Outcome;
  return rep.count(Outcome::ProvedDifferent) > 0 ? 1 : 0;
}
