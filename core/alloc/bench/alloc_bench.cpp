// alloc_bench: allocation throughput (MIR instructions per ms) of vcr-ra at growing function sizes.
#include "core/alloc/allocator.h"
#include "core/alloc/bench/mir_gen.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

/// CPU time of this thread in microseconds (robust to a loaded machine).
double cpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

struct Point {
  size_t instrs = 0;
  double usPerInstr = 0;
  unsigned rounds = 0, spilled = 0;
};

/// Generate functions of about `target` instructions and time their allocation.
Point measure(unsigned target, unsigned reps) {
  using namespace vcr;
  auto alloc = alloc::makeGraphColouring();
  alloc::AllocOptions opt;
  std::vector<double> usPerInstr;
  Point p;
  for (unsigned s = 0; s < 3; ++s) {
    alloc::gen::MirGenOptions g;
    g.seed = 1000 + s * 17 + target;
    g.size = std::max(4u, target * 2 / 5);
    g.pressure = 6;  // wasm-like: a handful of locals plus temporaries
    mir::Module m = alloc::gen::generateModule(g);
    const mir::Function &f = m.functions.back();
    size_t n = f.numInstrs();
    for (unsigned r = 0; r < reps; ++r) {
      double t0 = cpuUs();
      alloc::AllocResult res = alloc->allocate(f, m, opt);
      double t1 = cpuUs();
      if (!res.ok) {
        std::fprintf(stderr, "allocation failed: %s\n", res.error.c_str());
        std::exit(1);
      }
      usPerInstr.push_back((t1 - t0) / double(n));
      p.rounds = std::max(p.rounds, res.stats.rounds);
      p.spilled = std::max(p.spilled, res.stats.spilledVRegs);
    }
    p.instrs += n;
  }
  p.instrs /= 3;
  std::sort(usPerInstr.begin(), usPerInstr.end());
  p.usPerInstr = usPerInstr[usPerInstr.size() / 2];
  return p;
}

}  // namespace

int main(int argc, char **argv) {
  unsigned reps = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 5;
  std::vector<unsigned> sizes = {100, 1000, 10000};
  std::vector<Point> pts;
  fmt::print("{:>10} {:>14} {:>12} {:>8} {:>8}\n", "instrs", "instr/ms", "us/instr", "rounds", "spilled");
  for (unsigned s : sizes) {
    Point p = measure(s, reps);
    pts.push_back(p);
    fmt::print("{:>10} {:>14.0f} {:>12.4f} {:>8} {:>8}\n", p.instrs, 1000.0 / p.usPerInstr, p.usPerInstr,
               p.rounds, p.spilled);
  }
  double growth = pts.back().usPerInstr / pts[1].usPerInstr;
  fmt::print("per-instruction time at the largest size / median size: {:.2f}x (goal <= 3x)\n", growth);
  bool ok = 1000.0 / pts.back().usPerInstr >= 1000.0 && growth <= 3.0;
  fmt::print("goals (>= 1000 instr/ms at every size, <= 3x growth): {}\n",
             ok && 1000.0 / pts[0].usPerInstr >= 1000.0 && 1000.0 / pts[1].usPerInstr >= 1000.0 ? "met" : "NOT met");
  return 0;
}
