#pragma once
/// Rendering of a pipeline Report: the JSON document (schema in
/// docs/report-schema.md) and the per-function text table.

#include "tools/pipeline.h"

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace vcr::tools {

[[nodiscard]] nlohmann::json toJson(const Report &r);
[[nodiscard]] std::string toTable(const Report &r);
/// The per-function table flat, one CSV row per function (--csv).
[[nodiscard]] std::string toCsv(const Report &r);

}  // namespace vcr::tools
