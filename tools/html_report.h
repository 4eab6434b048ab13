#pragma once
/// The HTML report (verify-alloc --html DIR): a static site that works
/// offline. index.html holds the run summary and a sortable per-function
/// table; every function gets a page with its obligations, counterexamples
/// (vreg and allocated MIR side by side, trail highlighted), interference
/// graph (SVG drawn by Graphviz `dot`), the legacy model beside vcr-ra, and
/// the Thumb-2 listing. Every string from the inputs is HTML-escaped.

#include "tools/pipeline.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vcr::tools {

struct HtmlOptions {
  /// Graphviz executable that draws the interference graphs (searched on
  /// PATH); empty: do not draw. A missing tool is said on the page.
  std::string dotTool = "dot";
  /// A DOT text longer than this is not drawn (dot would take too long).
  size_t maxDotBytes = 2u << 20;
  /// Facts about the run shown in the summary (pool, jobs, cores, wall time).
  std::vector<std::pair<std::string, std::string>> runInfo;
};

/// Write the site into `dir` (created if missing): index.html, one page per
/// row of `rep` and their SVGs. False with `error` set if a file cannot be
/// written. Rows without artifacts (PipelineOptions::keepArtifacts off) get
/// pages with what the row holds.
[[nodiscard]] bool writeHtmlReport(const Report &rep, const std::string &dir, const HtmlOptions &opt,
                                   std::string &error);

/// `text` with & < > " ' replaced by entities: safe in element content and in
/// quoted attribute values.
[[nodiscard]] std::string htmlEscape(std::string_view text);

/// The page file name of every row of `rep`, in row order: unique even when
/// two inputs have functions of one name ("f0003-name.html").
[[nodiscard]] std::vector<std::string> htmlPageNames(const Report &rep);

}  // namespace vcr::tools
