// --optimal rows: the optimal allocation, its solver facts, and vcr-ra's and the legacy model's cost beside it.
#include "tools/optimal_row.h"

#include "ladder/ladder.h"
#include "optimal/cost.h"
#include "optimal/optimal.h"

#include <fmt/format.h>

namespace vcr::tools {

std::optional<mir::Function> optimalAllocate(const mir::Function &f, const mir::Module &m,
                                             const PipelineOptions &opt, FunctionReport &r) {
  optimal::OptimalOptions oo;
  oo.timeLimitSeconds = opt.optimalSeconds;
  oo.cpuTime = opt.optimalCpuTime;
  oo.maxVariables = opt.optimalMaxVariables;
  optimal::OptimalAllocator ilp(oo);
  alloc::AllocOptions ao;
  ao.pool = opt.pool;
  alloc::AllocResult res = ilp.allocate(f, m, ao);
  const optimal::OptimalInfo &info = ilp.last();
  OptimalReport o;
  o.status = info.status;
  o.objective = info.objective;
  o.bound = info.bound;
  o.gap = info.gap;
  o.solverSeconds = info.seconds;
  o.variables = info.variables;
  o.rows = info.rows;
  o.cycleBreaks = info.cycleBreaks;
  o.cycleRounds = info.cycleRounds;
  o.stopped = info.stopped;
  o.startFrom = info.startFrom;
  o.startCost = info.startCost;
  // vcr-ra and the legacy model (its own pool, R0-R8) under the same model.
  const alloc::AllocResult *made = ilp.vcrResult();
  const alloc::AllocResult mine = made ? *made : alloc::makeGraphColouring()->allocate(f, m, ao);
  if (mine.ok) o.vcrCost = static_cast<int64_t>(optimal::scoreAllocation(mine.function).weighted);
  ladder::LadderResult lr = ladder::runLadder(f, m);
  if (lr.result.ok) o.legacyCost = static_cast<int64_t>(optimal::scoreAllocation(lr.result.function).weighted);
  std::optional<mir::Function> code;
  if (res.ok) {
    o.cost = static_cast<int64_t>(optimal::scoreAllocation(res.function).weighted);
    AllocReport a;
    a.rounds = res.stats.rounds;
    a.spilledVRegs = res.stats.spilledVRegs;
    a.spillStores = res.stats.spillStores;
    a.reloads = res.stats.reloads;
    a.remats = res.stats.remats;
    a.movesBefore = res.stats.movesBefore;
    a.moves = res.stats.movesAfter;
    a.frameBytes = res.stats.frameBytes;
    for (mir::PReg reg : res.stats.calleeSaved.list()) a.calleeSaved.emplace_back(mir::pregName(reg));
    a.timeUs = res.stats.timeUs;
    a.frameTraffic = frameTraffic(res.function);
    r.alloc = a;
    code = std::move(res.function);
  } else if (info.status == "no-solution" || info.status == "too-large" || info.status == "declined") {
    r.status = "declined";
    r.reason = res.error;
  } else {
    r.status = "error";
    r.reason = res.error;
  }
  r.optimal = o;
  return code;
}

nlohmann::json optimalJson(const OptimalReport &o) {
  return {{"status", o.status},           {"objective", o.objective},   {"bound", o.bound},
          {"gap", o.gap},                 {"solver_seconds", o.solverSeconds},
          {"variables", o.variables},     {"rows", o.rows},             {"cycle_breaks", o.cycleBreaks},
          {"cycle_rounds", o.cycleRounds},
          {"stopped", o.stopped},         {"start_from", o.startFrom},  {"start_cost", o.startCost},
          {"cost", o.cost},               {"vcr_cost", o.vcrCost},      {"legacy_cost", o.legacyCost}};
}

OptimalReport optimalFromJson(const nlohmann::json &j) {
  OptimalReport o;
  o.status = j.value("status", "");
  o.objective = j.value("objective", -1.0);
  o.bound = j.value("bound", -1.0);
  o.gap = j.value("gap", -1.0);
  o.solverSeconds = j.value("solver_seconds", 0.0);
  o.variables = j.value("variables", size_t{0});
  o.rows = j.value("rows", size_t{0});
  o.cycleBreaks = j.value("cycle_breaks", 0u);
  o.cycleRounds = j.value("cycle_rounds", 0u);
  o.stopped = j.value("stopped", "");
  o.startFrom = j.value("start_from", "");
  o.startCost = j.value("start_cost", -1.0);
  o.cost = j.value("cost", int64_t{-1});
  o.vcrCost = j.value("vcr_cost", int64_t{-1});
  o.legacyCost = j.value("legacy_cost", int64_t{-1});
  return o;
}

std::string optimalCell(const OptimalReport &o) {
  auto num = [](int64_t v) { return v < 0 ? std::string("-") : std::to_string(v); };
  return fmt::format(" | opt {:<11} cost {:>6} bound {:>6} gap {:>5.1f}% {:>6.2f}s vcr {:>6} legacy {:>6}", o.status,
                     num(o.cost), o.bound < 0 ? std::string("-") : fmt::format("{:.0f}", o.bound),
                     o.gap < 0 ? 0.0 : 100 * o.gap, o.solverSeconds, num(o.vcrCost), num(o.legacyCost));
}

std::string optimalCsv(const std::optional<OptimalReport> &o) {
  if (!o) return ",,,,,,,";
  auto num = [](int64_t v) { return v < 0 ? std::string() : std::to_string(v); };
  return fmt::format(",{},{},{},{},{:.3f},{},{}", o->status, num(o->cost),
                     o->bound < 0 ? std::string() : fmt::format("{:.0f}", o->bound),
                     o->gap < 0 ? std::string() : fmt::format("{:.4f}", o->gap), o->solverSeconds,
                     num(o->vcrCost), num(o->legacyCost));
}

}  // namespace vcr::tools
