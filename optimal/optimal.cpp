// The optimal allocator's driver: ABI lowering, the program, CBC, code, then vcr-ra's rewrite and frame layout.
#include "optimal/optimal.h"

#include "core/alloc/work.h"
#include "optimal/cost.h"
#include "optimal/emit.h"
#include "optimal/formulation.h"
#include "optimal/start.h"

#include <chrono>
#include <set>
#include <tuple>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vcr::optimal {

namespace {

/// Re-solves after cycle cuts, at most.
constexpr unsigned kCycleRounds = 3;

/// Charge every gap where all members of cycle `c` move between the same
/// registers again (the solver would otherwise move the cycle to another
/// gap) and none has a valid slot, the weight of its block:
/// z >= sum(x[A,v,src] + x[B,v,dst]) - (2n - 1) - sum(m[A,v] + m[B,v]).
/// Valid for every solution: the code then needs one more instruction.
void addCycleCuts(Formulation &form, const mir::Cfg &cfg, const Cycle &c) {
  for (size_t blk = 0; blk < form.blocks.size(); ++blk) {
    const BlockStates &bs = form.blocks[blk];
    const double w = static_cast<double>(depthWeight(blk < cfg.loopDepth.size() ? cfg.loopDepth[blk] : 0));
    for (size_t n = 0; n < bs.instrs.size(); ++n) {
      const State &a = bs.gapA(n), &b = bs.instrs[n].before;
      std::vector<std::pair<int, double>> t;
      for (const Cycle::Member &m : c.members) {
        const int ba = a.find(m.v), bb = b.find(m.v), k = form.k(m.v);
        if (ba < 0 || bb < 0 || ba == bb) {
          t.clear();
          break;
        }
        t.push_back({ba + m.src, -1});
        t.push_back({bb + m.dst, -1});
        t.push_back({ba + k, 1});
        t.push_back({bb + k, 1});
      }
      if (t.empty()) continue;
      t.push_back({form.mip.addVar(0, 1, w, false), 1});
      form.mip.addRow(t, 1.0 - 2.0 * static_cast<double>(c.members.size()), kInf);
    }
  }
}

}  // namespace

alloc::AllocResult OptimalAllocator::allocate(const mir::Function &f, const mir::Module &m,
                                              const alloc::AllocOptions &opt) {
  const auto start = std::chrono::steady_clock::now();
  info_ = {};
  haveVcr_ = false;
  alloc::AllocResult r;
  auto fail = [&](std::string status, std::string why) {
    info_.status = std::move(status);
    info_.why = std::move(why);
    r.error = "function '" + f.name + "': optimal: " + info_.status + (info_.why.empty() ? "" : ": " + info_.why);
    return r;
  };
  alloc::WorkFunction w;
  if (!alloc::lowerAbi(f, m, w, r.error)) return fail("error", r.error);
  r.stats.movesBefore = 0;
  for (const auto &b : w.fn.blocks)
    for (const auto &i : b.instrs) r.stats.movesBefore += i.op == mir::Opcode::Mov;
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  // vcr-ra's webs (a pure renaming: it only frees the program), so that
  // vcr-ra's colouring, numbered after them, is a start in the same vregs.
  alloc::splitWebs(w, cfg);
  Formulation form;
  std::string why;
  // A result returned on the stack may overwrite the incoming area: a stack
  // parameter is then no free reload from its slot (as in vcr-ra, spill.cpp).
  if (!formulate(w.fn, cfg, opt.pool, opt_.maxVariables, form, why, w.multiDefWeb, w.vclass, !w.inArgsWritten))
    return fail("too-large", why);
  info_.variables = form.mip.numVars();
  info_.rows = form.mip.numRows();
  // Start from the cheaper of spilling everywhere and vcr-ra's colouring.
  auto start0 = spillEverywhereStart(w.fn, form);
  if (opt_.startFromVcr) {
    vcr_ = alloc::makeGraphColouring()->allocate(f, m, opt);
    haveVcr_ = true;
    const alloc::AllocResult &mine = vcr_;
    auto fromVcr = mine.ok ? colouringStart(w.fn, form, mine.vregColour) : std::nullopt;
    if (std::getenv("VCR_OPTIMAL_DEBUG"))
      fprintf(stderr, "start: spill-everywhere %g, vcr-ra %g\n", start0 ? form.mip.objectiveOf(start0->data()) : -1.0,
              fromVcr ? form.mip.objectiveOf(fromVcr->data()) : -1.0);
    if (fromVcr)
        if (!start0 || form.mip.objectiveOf(fromVcr->data()) < form.mip.objectiveOf(start0->data())) {
          start0 = std::move(fromVcr);
          info_.startFrom = "vcr-ra";
        }
  }
  if (start0 && info_.startFrom.empty()) info_.startFrom = "spill-everywhere";
  info_.warmStart = start0.has_value();
  info_.startCost = start0 ? std::round(form.mip.objectiveOf(start0->data())) : -1;
  MipResult sol = form.mip.solve(opt_.timeLimitSeconds, opt_.log, start0 ? &*start0 : nullptr, opt_.cpuTime);
  info_.seconds = sol.seconds;
  info_.stopped = sol.stopped;
  // Integral costs: a bound of 6.2 proves 7. -1: no bound known.
  info_.bound = sol.bound < 0 ? -1 : std::ceil(sol.bound - 1e-6) + 0.0;  // + 0.0: no "-0"
  if (!sol.hasSolution()) return fail(sol.status, "");
  info_.status = sol.status;
  info_.objective = std::round(sol.objective);
  if (info_.bound >= 0) {
    info_.bound = std::min(info_.bound, info_.objective);
    info_.gap = (info_.objective - info_.bound) / std::max(info_.objective, 1.0);
  }

  // Register cycles: the program counts a cycle of n moves as n, the code
  // needs n + 1 unless a member is also in memory. Each cycle the code has
  // becomes cuts charging that cycle in every gap (valid for every
  // solution), and the program is solved again from the last solution until
  // no new cycle appears, kCycleRounds times at most. A cycle left uncharged
  // makes the code cost more than the objective: no better than "feasible".
  const mir::Function lowered = w.fn;
  EmitCounts counts;
  std::set<std::vector<std::tuple<mir::VReg, int, int>>> cut;  // cycles already charged
  for (unsigned round = 0;; ++round) {
    w.fn = lowered;
    counts = {};
    if (!emitSolution(w.fn, form, sol.x, counts, why)) return fail("error", why);
    std::vector<const Cycle *> fresh;
    for (const Cycle &c : counts.cycles) {
      std::vector<std::tuple<mir::VReg, int, int>> sig;
      for (const auto &m : c.members) sig.emplace_back(m.v, m.src, m.dst);
      if (cut.insert(std::move(sig)).second) fresh.push_back(&c);
    }
    if (fresh.empty() || round == kCycleRounds) break;
    for (const Cycle *cp : fresh) {
      const Cycle &c = *cp;
      if (std::getenv("VCR_OPTIMAL_DEBUG")) {
        fprintf(stderr, "cycle round %u, block %zu:", round, c.block);
        for (const auto &m : c.members) fprintf(stderr, " v%u %d->%d", m.v, m.src, m.dst);
        fprintf(stderr, " (objective %g)\n", sol.objective);
      }
      addCycleCuts(form, cfg, c);
    }
    std::vector<double> warm = sol.x;
    warm.resize(form.mip.numVars(), 0.0);
    if (!form.mip.completeStart(warm)) break;
    MipResult next = form.mip.solve(opt_.timeLimitSeconds, opt_.log, &warm, opt_.cpuTime);
    if (std::getenv("VCR_OPTIMAL_DEBUG"))
      fprintf(stderr, "re-solve: start %g, %s, objective %g\n", form.mip.objectiveOf(warm.data()), next.status.c_str(),
              next.objective);
    info_.seconds += next.seconds;
    if (!next.hasSolution()) break;
    sol = std::move(next);
    info_.cycleRounds = round + 1;
    info_.status = sol.status;
    info_.stopped = sol.stopped;
    info_.objective = std::round(sol.objective);
    // Both solves' bounds hold (the cuts are valid): the higher one.
    if (sol.bound >= 0) info_.bound = std::max(info_.bound, std::ceil(sol.bound - 1e-6) + 0.0);
    if (info_.bound >= 0) info_.bound = std::min(info_.bound, info_.objective);
  }
  info_.cycleBreaks = counts.cycleBreaks;
  r.stats.rounds = 1;
  r.stats.spilledVRegs = static_cast<unsigned>(counts.touched.size());
  alloc::FrameScan scan;
  if (!alloc::rewriteColours(w, alloc::Colouring{}, r.function, scan, r.stats, r.error))
    return fail("error", r.error);
  alloc::layoutFrame(r.function, w, cfg, scan, r.stats);
  // A cycle no cut charges makes the code cost more than the program said:
  // it is then not proved optimal (the bound still holds).
  info_.codeCost = static_cast<double>(scoreAllocation(r.function).weighted);
  if (info_.codeCost > info_.objective && info_.status == "optimal") info_.status = "feasible";
  if (info_.bound >= 0) info_.gap = (info_.codeCost - info_.bound) / std::max(info_.codeCost, 1.0);
  r.stats.timeUs = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  r.ok = true;
  return r;
}

}  // namespace vcr::optimal
