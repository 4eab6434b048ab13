#pragma once
/// Internals of the HTML report shared by its translation units
/// (html_report.cpp, html_page.cpp, html_mir.cpp, html_graph.cpp).

#include "tools/html_report.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace vcr::tools::html {

/// The document start: doctype, charset, title (escaped here) and the inline
/// style sheet; `script` adds the table-sorting script.
[[nodiscard]] std::string pageHead(std::string_view title, bool script = false);
/// The document end.
[[nodiscard]] std::string pageTail();
/// CSS class of a row status ("st-ok", "st-refuted", ...; only [a-z-]).
[[nodiscard]] std::string statusClass(std::string_view status);
/// A microsecond figure for people: "850 us", "12.3 ms", "4.56 s".
[[nodiscard]] std::string formatUs(uint64_t us);

/// The interference graph of one page, as drawn (or why not).
struct Graph {
  std::string svgFile;  ///< file name next to the page; empty if not drawn
  std::string note;     ///< why there is no picture (plain text), or ""
};
/// Draw `dot` with opt.dotTool into DIR/<stem>.svg (keeping DIR/<stem>.dot).
/// A tool failure is a note, not an error; false only if a file cannot be written.
[[nodiscard]] bool drawGraph(const std::string &dot, const std::string &dir, const std::string &stem,
                             const HtmlOptions &opt, Graph &out, std::string &error);

/// Two MIR texts side by side, one numbered line per row. With a
/// counterexample (an obligation's "counterexample" JSON) its trail is
/// highlighted: trail entries on the allocated side in `block` in order,
/// "(removed by the allocator)" entries and the definitions of the vregs the
/// trail names on the vreg side.
[[nodiscard]] std::string mirSideBySide(std::string_view leftTitle, std::string_view left,
                                        std::string_view rightTitle, std::string_view right,
                                        const nlohmann::json *cex = nullptr, int block = -1);

/// The page of one row; `graph` is its drawn interference graph.
[[nodiscard]] std::string functionPage(const FunctionReport &f, const Graph &graph);

}  // namespace vcr::tools::html
