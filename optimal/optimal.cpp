// The optimal allocator's driver: ABI lowering, the program, CBC, code, then vcr-ra's rewrite and frame layout.
#include "optimal/optimal.h"

#include "core/alloc/work.h"
#include "optimal/emit.h"
#include "optimal/formulation.h"
#include "optimal/start.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vcr::optimal {

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
  if (w.inArgsWritten)  // the formulation's Home::InArg reloads a stack parameter from its incoming slot
    return fail("declined", "a result returned on the stack overwrites the incoming area (not formulated)");
  r.stats.movesBefore = 0;
  for (const auto &b : w.fn.blocks)
    for (const auto &i : b.instrs) r.stats.movesBefore += i.op == mir::Opcode::Mov;
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  // vcr-ra's webs (a pure renaming: it only frees the program), so that
  // vcr-ra's colouring, numbered after them, is a start in the same vregs.
  alloc::splitWebs(w, cfg);
  Formulation form;
  std::string why;
  if (!formulate(w.fn, cfg, opt.pool, opt_.maxVariables, form, why, w.multiDefWeb, w.vclass))
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
  MipResult sol = form.mip.solve(opt_.timeLimitSeconds, opt_.log, start0 ? &*start0 : nullptr);
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

  EmitCounts counts;
  if (!emitSolution(w.fn, form, sol.x, counts, why)) return fail("error", why);
  info_.cycleBreaks = counts.cycleBreaks;
  r.stats.rounds = 1;
  r.stats.spilledVRegs = static_cast<unsigned>(counts.touched.size());
  alloc::FrameScan scan;
  if (!alloc::rewriteColours(w, alloc::Colouring{}, r.function, scan, r.stats, r.error))
    return fail("error", r.error);
  alloc::layoutFrame(r.function, w, scan, r.stats);
  r.stats.timeUs = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  r.ok = true;
  return r;
}

}  // namespace vcr::optimal
