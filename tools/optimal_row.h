#pragma once
/// --optimal: allocate a function with the optimal allocator (optimal/),
/// and score vcr-ra's and the legacy model's allocations of it under the
/// same cost model, for one row of the verify-alloc report.

#include "core/ir/mir.h"
#include "tools/pipeline.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace vcr::tools {

/// Fill `r.optimal` (and `r.alloc` with the optimal code's counts) and
/// return the optimal code, or nullopt when the solver found no solution
/// (then `r.status` is "declined" with the reason) or failed ("error").
[[nodiscard]] std::optional<mir::Function> optimalAllocate(const mir::Function &f, const mir::Module &m,
                                                           const PipelineOptions &opt, FunctionReport &r);

/// The report's "optimal" object (docs/report-schema.md) and back.
[[nodiscard]] nlohmann::json optimalJson(const OptimalReport &o);
[[nodiscard]] OptimalReport optimalFromJson(const nlohmann::json &j);
/// The table's optimal segment: " | opt STATUS cost C bound B gap G% Ts vcr V legacy L".
[[nodiscard]] std::string optimalCell(const OptimalReport &o);
/// The CSV's optimal columns (",status,cost,bound,gap,seconds,vcr_cost,legacy_cost"), empty fields when absent.
[[nodiscard]] std::string optimalCsv(const std::optional<OptimalReport> &o);
inline constexpr const char *kOptimalCsvHeader =
    ",optimal_status,optimal_cost,optimal_bound,optimal_gap,optimal_seconds,vcr_cost,legacy_cost";

}  // namespace vcr::tools
