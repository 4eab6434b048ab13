// check_bench: checker time against allocation time per function (median
// ratio), on the corpus and on generated functions. Not a test: it prints
// figures. Usage: check_bench [generated-count]
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "corpus/gen/wasmgen.h"
#include "tools/pipeline.h"
#include "verifier/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

using namespace vcr;

namespace {

struct Sample {
  double allocUs, checkUs;
  size_t instrs;
};

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
  for (int pass = 0; pass < 2; ++pass)
    for (const auto &file : files) {
      if (file.ends_with(".mir")) continue;
      auto bin = select::loadWasmFile(file, diags);
      auto sel = bin ? select::selectModule(*bin, diags) : std::nullopt;
      if (sel) measure(sel->module, *a, pass ? corpus : warm, pass ? corpusFailed : ignored);
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
