#pragma once
/// Reading verify-alloc JSON reports back, and merging the reports of a
/// sharded run (`verify-alloc merge`): the merged Report renders to the same
/// table, JSON and exit code as one run over all the inputs.

#include "tools/pipeline.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace vcr::tools {

/// A Report from its JSON document (toJson). Throws std::runtime_error
/// naming the key when the document is not a verify-alloc report.
[[nodiscard]] Report reportFromJson(const nlohmann::json &j);

/// Merge the reports of the shards 1/N .. N/N of one run. They must share
/// the input list and N, and each shard must appear exactly once; otherwise
/// `error` says why and the result is empty.
[[nodiscard]] Report mergeReports(const std::vector<Report> &shards, std::string &error);

}  // namespace vcr::tools
