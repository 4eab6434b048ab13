// alloc_bench: allocation throughput (MIR instructions per ms) of vcr-ra at growing function sizes.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/alloc/bench/mir_gen.h"
#include "core/ir/text.h"
#include "corpus/gen/wasmgen.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

namespace {

using namespace vcr;

/// CPU time of this thread in microseconds (robust to a loaded machine).
double cpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

/// Timings of one size: median per-instruction time over all samples.
struct Point {
  size_t instrs = 0;
  double usPerInstr = 0;
  unsigned rounds = 0, spilled = 0;
  size_t outInstrs = 0;      ///< allocated instructions (summed over the seeds, then averaged)
  double cost = 0;           ///< alloc::allocationCost of the output (summed over the seeds, then averaged)
  alloc::PhaseTimes phases;  ///< per instruction (ns), medians over the samples
  uint64_t digest = 0xcbf29ce484222325ull;  ///< FNV-1a (from its offset basis) of the allocated functions' text
};

/// FNV-1a over `text`, continuing from `h`: a change of speed work that
/// should not change a single allocation decision shows as the same
/// digest before and after.
uint64_t fnv1a(uint64_t h, const std::string &text) {
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

/// The fields of PhaseTimes, in the order they are printed.
constexpr double alloc::PhaseTimes::*kPhases[] = {
    &alloc::PhaseTimes::lower, &alloc::PhaseTimes::flat,   &alloc::PhaseTimes::liveness,
    &alloc::PhaseTimes::graph, &alloc::PhaseTimes::irc,    &alloc::PhaseTimes::repair,
    &alloc::PhaseTimes::rewrite, &alloc::PhaseTimes::frame};

/// A module to time plus the function of it that is allocated.
struct Sample {
  mir::Module module;
  size_t function = 0;
};

/// Generates a sample of about `target` instructions from a seed and a size knob.
using Generator = std::function<Sample(unsigned target, unsigned seedIdx, unsigned knob)>;

/// MIR generator (core/alloc/bench/mir_gen.h): `knob` statements.
Sample mirSample(unsigned target, unsigned s, unsigned knob) {
  alloc::gen::MirGenOptions g;
  g.seed = 1000 + s * 17 + target;
  g.size = std::max(4u, knob);
  g.pressure = 6;  // wasm-like: a handful of locals plus temporaries
  Sample out;
  out.module = alloc::gen::generateModule(g);
  out.function = out.module.functions.size() - 1;
  return out;
}

/// The MIR generator with float code (issue 14): a third of the statements
/// are f32/f64 arithmetic, conversions, compares and float memory over VFP
/// locals, so every function takes the f64, f32 and core passes, and calls
/// a helper with AAPCS-VFP arguments.
Sample mirFloatSample(unsigned target, unsigned s, unsigned knob) {
  alloc::gen::MirGenOptions g;
  g.seed = 3000 + s * 13 + target;
  g.size = std::max(4u, knob);
  g.pressure = 6;
  g.floatShare = 35;
  g.floatPressure = 6;
  Sample out;
  out.module = alloc::gen::generateModule(g);
  out.function = out.module.functions.size() - 1;
  return out;
}

/// Wasm generator (corpus/gen/wasmgen.h) through selection: `knob` operators.
Sample wasmSample(unsigned target, unsigned s, unsigned knob) {
  gen::GenOptions g;
  g.seed = 5000 + s * 31 + target;
  g.size = std::max(4u, knob);
  g.pressure = 6;
  g.helpers = 2;
  Diagnostics diags;
  auto bin = select::watToWasm(gen::generateWat(g), "bench.wat", diags);
  auto sel = bin ? select::selectModule(*bin, diags) : std::nullopt;
  if (!sel || sel->module.functions.empty()) {
    std::fprintf(stderr, "wasmgen seed %llu: selection failed\n", static_cast<unsigned long long>(g.seed));
    std::exit(1);
  }
  Sample out;
  out.module = std::move(sel->module);
  // The biggest function (the generator's main one).
  for (size_t i = 0; i < out.module.functions.size(); ++i)
    if (out.module.functions[i].numInstrs() > out.module.functions[out.function].numInstrs()) out.function = i;
  return out;
}

/// A sample of about `target` instructions: scale the knob until it is within 10%.
Sample calibrated(const Generator &gen, unsigned target, unsigned s, double &scale) {
  Sample smp;
  for (int attempt = 0; attempt < 6; ++attempt) {
    auto knob = static_cast<unsigned>(std::lround(target * scale));
    smp = gen(target, s, knob);
    double n = double(smp.module.functions[smp.function].numInstrs());
    if (std::abs(n - target) <= 0.1 * target || n <= 0) break;
    scale *= target / n;
  }
  return smp;
}

/// The allocation options of every run (`--without` switches quality passes off).
alloc::AllocOptions g_options;

/// Allocate samples of about `target` instructions `reps` times each.
Point measure(const Generator &gen, double &scale, unsigned target, unsigned reps) {
  auto alloc = alloc::makeGraphColouring();
  const alloc::AllocOptions &opt = g_options;
  std::vector<double> usPerInstr;
  std::vector<alloc::PhaseTimes> phases;  // ns per instruction
  Point p;
  constexpr unsigned kSeeds = 3;
  for (unsigned s = 0; s < kSeeds; ++s) {
    Sample smp = calibrated(gen, target, s, scale);
    const mir::Function &f = smp.module.functions[smp.function];
    size_t n = f.numInstrs();
    for (unsigned r = 0; r < reps; ++r) {
      double t0 = cpuUs();
      alloc::AllocResult res = alloc->allocate(f, smp.module, opt);
      double t1 = cpuUs();
      if (!res.ok) {
        std::fprintf(stderr, "allocation failed: %s\n", res.error.c_str());
        std::exit(1);
      }
      usPerInstr.push_back((t1 - t0) / double(n));
      alloc::PhaseTimes ph = res.stats.phases;
      for (auto field : kPhases) ph.*field *= 1000.0 / double(n);
      phases.push_back(ph);
      if (r == 0) {
        p.outInstrs += res.function.numInstrs();
        p.cost += alloc::allocationCost(res.function);  // outside the timing, as the digest
        p.digest = fnv1a(p.digest, mir::printFunction(res.function));  // outside the timing
      }
      p.rounds = std::max(p.rounds, res.stats.rounds);
      p.spilled = std::max(p.spilled, res.stats.spilledVRegs);
    }
    p.instrs += n;
  }
  p.instrs /= kSeeds;
  p.outInstrs /= kSeeds;
  p.cost /= kSeeds;
  std::sort(usPerInstr.begin(), usPerInstr.end());
  p.usPerInstr = usPerInstr[usPerInstr.size() / 2];
  auto median = [&](double alloc::PhaseTimes::*field) {
    std::vector<double> v;
    for (const auto &ph : phases) v.push_back(ph.*field);
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  };
  for (auto field : kPhases) p.phases.*field = median(field);
  return p;
}

/// Print one generator's table; true if its goals are met.
bool report(const char *title, const Generator &gen, double scale, unsigned reps, unsigned only) {
  std::vector<unsigned> sizes = {100, 1000, 10000};
  if (only) sizes = {only};
  std::vector<Point> pts;
  fmt::print("{} (median of {} runs x 3 seeds per size)\n", title, reps);
  fmt::print("{:>10} {:>14} {:>12} {:>8} {:>8} {:>10} {:>10}  {}\n", "instrs", "instr/ms", "us/instr", "rounds",
             "spilled", "out instrs", "cost", "output digest");
  bool fast = true;
  for (unsigned s : sizes) {
    Point p = measure(gen, scale, s, reps);
    pts.push_back(p);
    fast = fast && 1000.0 / p.usPerInstr >= 1000.0;
    fmt::print("{:>10} {:>14.0f} {:>12.4f} {:>8} {:>8} {:>10} {:>10.0f}  {:016x}\n", p.instrs, 1000.0 / p.usPerInstr,
               p.usPerInstr, p.rounds, p.spilled, p.outInstrs, p.cost, p.digest);
  }
  fmt::print("phases, ns per instruction (median of each; wall time):\n{:>10} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} "
             "{:>7} {:>7}\n",
             "instrs", "lower", "flat", "live", "graph", "irc", "repair", "rewrite", "frame");
  for (const Point &p : pts) {
    fmt::print("{:>10}", p.instrs);
    for (auto field : kPhases) fmt::print(" {:>7.0f}", p.phases.*field);
    fmt::print("\n");
  }
  if (pts.size() < 3) return fast;
  double growth = pts.back().usPerInstr / pts[1].usPerInstr;
  fmt::print("per-instruction time at the largest size / median size: {:.2f}x (goal <= 3x)\n", growth);
  bool ok = fast && growth <= 3.0;
  fmt::print("goals (>= 1000 instr/ms at every size, <= 3x growth): {}\n\n", ok ? "met" : "NOT met");
  return ok;
}

}  // namespace

int main(int argc, char **argv) {
  // Usage: alloc_bench [--without PASS[,PASS...]] [reps [mir|float|wasm|all [size]]]
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a != "--without") {
      args.push_back(a);
      continue;
    }
    std::string error = "needs a list of passes";
    if (i + 1 >= argc || !alloc::disablePasses(argv[++i], g_options.passes, error)) {
      std::fprintf(stderr, "alloc_bench: --without: %s\n", error.c_str());
      return 2;
    }
    fmt::print("quality passes off: {}\n\n", argv[i]);
  }
  unsigned reps = !args.empty() ? static_cast<unsigned>(std::atoi(args[0].c_str())) : 20;
  reps = std::max(reps, 1u);
  // Profiling aids: args[1] picks one generator ("mir" / "float" / "wasm"), args[2] one size.
  std::string which = args.size() > 1 ? args[1] : "all";
  unsigned only = args.size() > 2 ? static_cast<unsigned>(std::atoi(args[2].c_str())) : 0;
  bool met = true;
  if (which == "all" || which == "mir")
    met &= report("MIR generator (core/alloc/bench/mir_gen)", mirSample, 0.7, reps, only);
  if (which == "all" || which == "float")
    met &= report("MIR generator, float-heavy (35% f32/f64 statements, 3 register classes)", mirFloatSample, 0.5,
                  reps, only);
  if (which == "all" || which == "wasm")
    met &= report("wasm generator (corpus/gen/wasmgen, via arm/select)", wasmSample, 0.5, reps, only);
  fmt::print("all goals: {}\n", met ? "met" : "NOT met");
  return 0;
}
