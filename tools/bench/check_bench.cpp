// check_bench: checker time against allocation time per function (median
// ratio), on the corpus and on generated functions. Not a test: it prints
// figures, and how many obligations each method decided (syntactic, testing,
// z3). Usage: check_bench [generated-count]. Profiling aids:
// VCR_BENCH_VERBOSE=1 prints every function's times; VCR_BENCH_REPEAT=name
// checks that function 10000 times and prints the mean.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "corpus/gen/wasmgen.h"
#include "tools/pipeline.h"
#include "verifier/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace vcr;

namespace {

struct Sample {
  double allocUs, checkUs;
  size_t instrs;
};

/// Obligations per deciding method ("syntactic", "testing", "z3").
std::map<std::string, unsigned> methods;

/// Allocate and check every function of one selected module.
void measure(const mir::Module &m, alloc::Allocator &a, std::vector<Sample> &out, unsigned &failed) {
  for (const auto &f : m.functions) {
    auto res = a.allocate(f, m, {});
    if (!res.ok) {
      ++failed;
      continue;
    }
    auto cr = verifier::checkFunction(f, res.function, m, {});
    if (!cr.ok()) ++failed;
    if (const char *only = std::getenv("VCR_BENCH_REPEAT"); only && f.name == only) {
      uint64_t us = 0;  // profiling aid: check one function 10000 times
      for (int k = 0; k < 10000; ++k) us += verifier::checkFunction(f, res.function, m, {}).timeUs;
      fmt::print("  @{}: mean check {:.1f} us over 10000 runs\n", f.name, double(us) / 10000);
    }
    for (const auto &o : cr.obligations) ++methods[o.method];
    if (std::getenv("VCR_BENCH_VERBOSE"))
      fmt::print("  {:<24} blocks {:>3} instrs {:>4} obligations {:>3} check {:>6} us alloc {:>6} us\n", f.name,
                 f.blocks.size(), f.numInstrs(), cr.obligations.size(), cr.timeUs, res.stats.timeUs);
    out.push_back({static_cast<double>(std::max<uint64_t>(res.stats.timeUs, 1)),
                   static_cast<double>(cr.timeUs), f.numInstrs()});
  }
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void report(const std::string &what, const std::vector<Sample> &s, unsigned failed) {
  std::vector<double> ratio, alloc, check;
  double instrs = 0;
  for (const auto &x : s) {
    ratio.push_back(x.checkUs / x.allocUs);
    alloc.push_back(x.allocUs);
    check.push_back(x.checkUs);
    instrs += static_cast<double>(x.instrs);
  }
  fmt::print("{:<12} functions {:>5}  not proved {:>3}  mean instrs {:>6.1f}  median alloc {:>7.1f} us  "
             "median check {:>8.1f} us  median check/alloc {:>6.2f}x\n",
             what, s.size(), failed, s.empty() ? 0.0 : instrs / static_cast<double>(s.size()),
             median(alloc), median(check), median(ratio));
  std::string m;
  for (const auto &[k, n] : methods) m += fmt::format(" {} {}", k, n);
  fmt::print("{:<12} obligations by method:{}\n", "", m);
  methods.clear();
}

}  // namespace

int main(int argc, char **argv) {
  unsigned count = argc > 1 ? static_cast<unsigned>(std::strtoul(argv[1], nullptr, 10)) : 300;
  auto a = alloc::makeGraphColouring();
  Diagnostics diags;

  // Warm up Z3 once so its one-time start-up is not charged to a function.
  std::vector<Sample> warm;
  unsigned ignored = 0;
  std::vector<Sample> corpus;
  unsigned corpusFailed = 0;
  auto files = tools::collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags);
  for (int pass = 0; pass < 2; ++pass) {
    methods.clear();  // count the measured pass only
    for (const auto &file : files) {
      if (file.ends_with(".mir")) continue;
      auto bin = select::loadWasmFile(file, diags);
      auto sel = bin ? select::selectModule(*bin, diags) : std::nullopt;
      if (sel) measure(sel->module, *a, pass ? corpus : warm, pass ? corpusFailed : ignored);
    }
  }
  report("corpus", corpus, corpusFailed);

  std::vector<Sample> gen;
  unsigned genFailed = 0;
  for (unsigned seed = 1; seed <= count; ++seed) {
    gen::GenOptions g;
    g.seed = seed;
    g.size = 20 + seed % 100;
    g.pressure = seed % 15;
    auto bin = select::watToWasm(gen::generateWat(g), "gen.wat", diags);
    auto sel = bin ? select::selectModule(*bin, diags) : std::nullopt;
    if (sel) measure(sel->module, *a, gen, genFailed);
  }
  report("generated", gen, genFailed);
  return 0;
}
