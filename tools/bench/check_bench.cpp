// check_bench: checker time against allocation time per function (median and
// maximum ratio), and per-instruction time growth from ~1k to ~10k
// instructions, on the corpus and on two generators (wasm via selection, and
// MIR), each making random functions and state machines (a loop around a
// dispatch over many small load/compare/branch blocks). Times are thread CPU
// time, the median of repetitions, alloc and check measured back to back.
// Prints whether the checker's goals are met: max check/alloc <= 5x and
// growth <= 3x on both generators. Not a test.
// Usage: check_bench [reps [wasm|mir|corpus|all]]. VCR_BENCH_VERBOSE=1 prints
// every function's times. Profiling aid: check_bench profile mir|wasm
// mixed|fsm INSTRS [N] checks one generated function N times.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/alloc/bench/mir_gen.h"
#include "corpus/gen/wasmgen.h"
#include "tools/pipeline.h"
#include "verifier/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <vector>

using namespace vcr;

namespace {

constexpr double kMaxRatioGoal = 5.0, kGrowthGoal = 3.0;

/// CPU time of this thread in microseconds (robust to a loaded machine).
double cpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// Median times of one function.
struct Timing {
  std::string name;
  size_t instrs = 0, blocks = 0;
  double allocUs = 0, checkUs = 0;
  bool ok = true;
  [[nodiscard]] double ratio() const { return checkUs / std::max(allocUs, 0.5); }
};

/// Obligations per deciding method ("syntactic", "testing", "z3").
std::map<std::string, unsigned> methods;
unsigned reps = 3;
const auto allocator = alloc::makeGraphColouring();

/// Allocate and check function `fi` of `m` `reps` times; medians of each.
Timing timeFunction(const mir::Module &m, size_t fi, const std::string &name) {
  const mir::Function &f = m.functions[fi];
  Timing t{name, f.numInstrs(), f.blocks.size()};
  std::vector<double> a, c;
  for (unsigned r = 0; r < reps; ++r) {
    const double t0 = cpuUs();
    auto res = allocator->allocate(f, m, {});
    const double t1 = cpuUs();
    if (!res.ok) {
      t.ok = false;
      return t;
    }
    auto cr = verifier::checkFunction(f, res.function, m, {});
    const double t2 = cpuUs();
    a.push_back(t1 - t0);
    c.push_back(t2 - t1);
    t.ok = t.ok && cr.ok();
    if (r == 0)
      for (const auto &o : cr.obligations) ++methods[o.method];
  }
  t.allocUs = median(a);
  t.checkUs = median(c);
  if (std::getenv("VCR_BENCH_VERBOSE"))
    fmt::print("  {:<28} blocks {:>5} instrs {:>6} check {:>9.1f} us alloc {:>9.1f} us ratio {:>6.2f}x\n", name,
               t.blocks, t.instrs, t.checkUs, t.allocUs, t.ratio());
  return t;
}

/// Every function of a module.
void timeModule(const mir::Module &m, const std::string &tag, std::vector<Timing> &out) {
  for (size_t i = 0; i < m.functions.size(); ++i) out.push_back(timeFunction(m, i, tag + ":" + m.functions[i].name));
}

/// Median and maximum ratio of a set; returns the maximum.
double ratios(const std::string &what, const std::vector<Timing> &s) {
  std::vector<double> r, a, c;
  unsigned failed = 0;
  const Timing *worst = nullptr;
  for (const Timing &t : s) {
    if (!t.ok) {
      ++failed;
      continue;
    }
    r.push_back(t.ratio());
    a.push_back(t.allocUs);
    c.push_back(t.checkUs);
    if (!worst || t.ratio() > worst->ratio()) worst = &t;
  }
  fmt::print("{:<12} functions {:>4}  not proved {:>2}  median alloc {:>8.1f} us  median check {:>8.1f} us  "
             "check/alloc median {:>5.2f}x  max {:>5.2f}x\n",
             what, s.size(), failed, median(a), median(c), median(r), worst ? worst->ratio() : 0.0);
  if (worst)
    fmt::print("{:<12} max at {} ({} blocks, {} instrs: check {:.0f} us, alloc {:.0f} us)\n", "", worst->name,
               worst->blocks, worst->instrs, worst->checkUs, worst->allocUs);
  std::string ms;
  for (const auto &[k, n] : methods) ms += fmt::format(" {} {}", k, n);
  fmt::print("{:<12} obligations by method:{}\n", "", ms);
  methods.clear();
  return failed ? 1e9 : worst ? worst->ratio() : 0.0;
}

/// A module and the function of it that a size target is about.
struct Sample {
  mir::Module module;
  size_t function = 0;
};

/// Makes a sample from a seed and a size knob (statements, or states).
using Generator = std::function<Sample(uint64_t seed, unsigned knob)>;

/// One generator in its two shapes.
struct Source {
  std::string title;
  Generator mixed, fsm;
  double mixedPerKnob, fsmPerKnob;  ///< first guess of instructions per knob unit
};

size_t biggest(const mir::Module &m) {
  size_t best = 0;
  for (size_t i = 0; i < m.functions.size(); ++i)
    if (m.functions[i].numInstrs() > m.functions[best].numInstrs()) best = i;
  return best;
}

Sample wasmSample(uint64_t seed, unsigned knob, bool fsm) {
  gen::GenOptions g;
  g.seed = seed;
  g.size = fsm ? 30 : std::max(4u, knob);
  g.states = fsm ? std::max(2u, knob) : 0;
  g.pressure = seed % 15;
  Diagnostics diags;
  auto bin = select::watToWasm(gen::generateWat(g), "bench.wat", diags);
  auto sel = bin ? select::selectModule(*bin, diags) : std::nullopt;
  if (!sel) {
    fmt::print(stderr, "wasmgen seed {} knob {}: selection failed\n", seed, knob);
    std::exit(1);
  }
  Sample s{std::move(sel->module), 0};
  s.function = biggest(s.module);
  return s;
}

Sample mirSample(uint64_t seed, unsigned knob, bool fsm) {
  alloc::gen::MirGenOptions g;
  g.seed = seed;
  g.size = std::max(4u, knob);
  g.states = fsm ? std::max(2u, knob) : 0;
  g.pressure = seed % 12;
  Sample s{alloc::gen::generateModule(g), 0};
  s.function = s.module.functions.size() - 1;
  return s;
}

/// A sample of about `target` instructions (within 10%): scale the knob.
Sample calibrated(const Generator &gen, uint64_t seed, unsigned target, double perKnob) {
  Sample s;
  for (int attempt = 0; attempt < 8; ++attempt) {
    s = gen(seed, std::max(2u, unsigned(std::lround(target / perKnob))));
    const double n = double(s.module.functions[s.function].numInstrs());
    if (std::abs(n - target) <= 0.1 * target || n <= 0) break;
    perKnob *= n / target;
  }
  return s;
}

/// Per-instruction check and alloc time at ~1k and ~10k instructions (3
/// seeds, medians); appends the timings to `all`. Returns the larger growth.
double growth(const std::string &shape, const Generator &gen, double perKnob, std::vector<Timing> &all) {
  double perInstr[2][2] = {};  // [size][alloc, check]
  const unsigned sizes[2] = {1000, 10000};
  for (int k = 0; k < 2; ++k) {
    std::vector<double> a, c;
    size_t blocks = 0, instrs = 0;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      Sample s = calibrated(gen, 7000 + seed * 13 + sizes[k], sizes[k], perKnob);
      Timing t = timeFunction(s.module, s.function, fmt::format("{}-{}k#{}", shape, sizes[k] / 1000, seed));
      all.push_back(t);
      a.push_back(t.allocUs / double(t.instrs));
      c.push_back(t.checkUs / double(t.instrs));
      blocks += t.blocks;
      instrs += t.instrs;
    }
    perInstr[k][0] = median(a);
    perInstr[k][1] = median(c);
    fmt::print("  {:<6} ~{:>5} instrs ({:>5} blocks avg): alloc {:>7.3f} us/instr  check {:>7.3f} us/instr\n",
               shape, instrs / 3, blocks / 3, perInstr[k][0], perInstr[k][1]);
  }
  const double ga = perInstr[1][0] / perInstr[0][0], gc = perInstr[1][1] / perInstr[0][1];
  fmt::print("  {:<6} growth 1k -> 10k per instruction: check {:.2f}x  alloc {:.2f}x\n", shape, gc, ga);
  return gc;
}

/// Ratios and growth of one generator; true if the goals are met.
bool evaluate(const Source &src, unsigned count) {
  fmt::print("{} (median of {} reps, thread CPU time)\n", src.title, reps);
  std::vector<Timing> all;
  const double gm = growth("mixed", src.mixed, src.mixedPerKnob, all);
  const double gf = growth("fsm", src.fsm, src.fsmPerKnob, all);
  for (unsigned seed = 1; seed <= count; ++seed) {  // random functions of many sizes
    Sample s = src.mixed(seed, 20 + seed % 100);
    timeModule(s.module, fmt::format("mixed#{}", seed), all);
  }
  for (unsigned states : {4u, 16u, 60u, 150u, 250u, 400u}) {  // state machines
    Sample s = src.fsm(states, states);
    timeModule(s.module, fmt::format("fsm{}", states), all);
  }
  const double maxRatio = ratios("  all", all);
  const double g = std::max(gm, gf);
  const bool ok = maxRatio <= kMaxRatioGoal && g <= kGrowthGoal;
  fmt::print("  goals (max check/alloc {:.2f}x <= {:.0f}x, check growth {:.2f}x <= {:.0f}x): {}\n\n", maxRatio,
             kMaxRatioGoal, g, kGrowthGoal, ok ? "met" : "NOT met");
  return ok;
}

void corpus() {
  Diagnostics diags;
  std::vector<Timing> out;
  for (const auto &file : tools::collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags)) {
    if (file.ends_with(".mir")) continue;
    auto bin = select::loadWasmFile(file, diags);
    auto sel = bin ? select::selectModule(*bin, diags) : std::nullopt;
    if (sel) timeModule(sel->module, file.substr(file.find_last_of('/') + 1), out);
  }
  ratios("corpus", out);
  fmt::print("\n");
}

}  // namespace

/// Profiling aid: allocate once, check `n` times, print the mean check time.
int profile(const std::string &gen, const std::string &shape, unsigned target, unsigned n) {
  const bool fsm = shape == "fsm";
  Generator g = gen == "mir" ? Generator([fsm](uint64_t s, unsigned k) { return mirSample(s, k, fsm); })
                             : Generator([fsm](uint64_t s, unsigned k) { return wasmSample(s, k, fsm); });
  Sample s = calibrated(g, 7000 + 13 + target, target, gen == "mir" ? (fsm ? 45.0 : 2.5) : (fsm ? 30.0 : 2.0));
  const mir::Function &f = s.module.functions[s.function];
  auto res = allocator->allocate(f, s.module, {});
  if (!res.ok) return 1;
  std::map<uint32_t, unsigned> slots;  // frame words the allocated code addresses
  size_t inserted = 0;
  for (const auto &b : res.function.blocks)
    for (const auto &i : b.instrs) {
      inserted += i.inserted();
      for (const auto &o : i.defs) slots[o.value] += o.isStack();
      for (const auto &o : i.uses) slots[o.value] += o.isStack();
    }
  std::erase_if(slots, [](const auto &e) { return e.second == 0; });
  fmt::print("allocated: {} instrs ({} inserted), {} distinct [sp+N] operands\n", res.function.numInstrs(),
             inserted, slots.size());
  const double t0 = cpuUs();
  for (unsigned k = 0; k < n; ++k) (void)verifier::checkFunction(f, res.function, s.module, {});
  fmt::print("{} {} {} instrs {} blocks: check {:.1f} us (mean of {}), alloc {} us\n", gen, shape, f.numInstrs(),
             f.blocks.size(), (cpuUs() - t0) / n, n, res.stats.timeUs);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 4 && std::string(argv[1]) == "profile")
    return profile(argv[2], argv[3], unsigned(std::atoi(argv[4])), argc > 5 ? unsigned(std::atoi(argv[5])) : 20);
  reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const std::string which = argc > 2 ? argv[2] : "all";
  {  // warm up Z3 and the caches once so no function pays the start-up
    auto s = wasmSample(1, 40, false);
    (void)timeFunction(s.module, s.function, "warm-up");
    methods.clear();
  }
  if (which == "all" || which == "corpus") corpus();
  bool ok = true;
  using namespace std::placeholders;
  if (which == "all" || which == "wasm")
    ok = evaluate({"wasm generator (corpus/gen/wasmgen via arm/select)", std::bind(wasmSample, _1, _2, false),
                   std::bind(wasmSample, _1, _2, true), 2.0, 30.0},
                  120) && ok;
  if (which == "all" || which == "mir")
    ok = evaluate({"MIR generator (core/alloc/bench/mir_gen)", std::bind(mirSample, _1, _2, false),
                   std::bind(mirSample, _1, _2, true), 2.5, 45.0},
                  120) && ok;
  fmt::print("checker goals on both generators: {}\n", ok ? "met" : "NOT met");
  return 0;
}
