// The HTML report's site: escaping, page names, the index page, and writing it all.
#include "tools/html_detail.h"
#include "tools/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace vcr::tools {

namespace {

/// The style sheet of every page (inline: the site needs no other file).
constexpr const char *kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.2em 2em;color:#222;background:#fff}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:2px solid #ccd}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccd;padding:2px 8px;text-align:left;vertical-align:top}
th{background:#e8ecf6}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer}table.sortable th[aria-sort=ascending]::after{content:" \25B2"}
table.sortable th[aria-sort=descending]::after{content:" \25BC"}
.st-ok,.st-proved{background:#dff3df}.st-refuted,.st-error,.st-mismatch{background:#f9d6d6}
.st-unknown{background:#fff1c4}.st-declined{background:#e6e6e6}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
pre,code{font:12px/1.35 ui-monospace,Menlo,Consolas,monospace}
.side{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.mir{border:1px solid #ccd;background:#fafbfd;overflow-x:auto}.mir h3{margin:0;padding:3px 8px;font-size:1em;background:#e8ecf6}
.mir .code{padding:4px 0;font:12px/1.35 ui-monospace,Menlo,Consolas,monospace}.mir .l{padding:0 8px;white-space:pre}
.mir .l .ln{display:inline-block;width:3.5em;color:#889;user-select:none}
.mir .l.blk{background:#eef3ff}.mir .l.hit{background:#ffe08a}.mir .l.bad{background:#ff9c9c;outline:1px solid #c33}
.mir .l .tv{color:#1a5fb4;padding-left:1.5em}.mir .l .tn{color:#a11;font-weight:700;padding-right:.5em}
.cex{border-left:4px solid #c33;padding:2px 12px;margin:1em 0;background:#fff8f8}
.diverge{font-size:1.05em}.diverge .orig{color:#126b12;font-weight:700}.diverge .alloc{color:#b11;font-weight:700}
ol.trail li.bad{background:#ff9c9c}.note{color:#666;font-style:italic}
img.graph{max-width:100%;border:1px solid #ccd;background:#fff}
#functions td{white-space:nowrap}summary{cursor:pointer;color:#1a5fb4}
)";

/// Sorts a table.sortable by the clicked header (numbers as numbers; a cell's
/// data-v overrides its text). Without JS the table is in report order.
constexpr const char *kSortScript = R"(
document.querySelectorAll('table.sortable').forEach(function(t){
  var hs=t.tHead.rows[0].cells;
  Array.prototype.forEach.call(hs,function(h,i){h.addEventListener('click',function(){
    var asc=h.getAttribute('aria-sort')!=='ascending';
    Array.prototype.forEach.call(hs,function(o){o.removeAttribute('aria-sort');});
    h.setAttribute('aria-sort',asc?'ascending':'descending');
    var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);
    function key(r){var c=r.cells[i];var v=c.hasAttribute('data-v')?c.getAttribute('data-v'):c.textContent;
      var n=parseFloat(v);return isNaN(n)||String(n)!==v.trim()?v:n;}
    rows.sort(function(a,c){var x=key(a),y=key(c);
      var r=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y));
      return asc?r:-r;});
    rows.forEach(function(r){b.appendChild(r);});
  });});
});
)";

/// One row of the per-function table.
std::string indexRow(const FunctionReport &f, size_t i, const std::string &page, bool legacy) {
  auto n = [](uint64_t v) { return fmt::format("<td class=\"n\">{}</td>", v); };
  auto us = [](uint64_t v) {
    return fmt::format("<td class=\"n\" data-v=\"{}\">{}</td>", v, html::formatUs(v));
  };
  std::string s = fmt::format("<tr id=\"row{}\">", i);
  s += n(i + 1);
  s += "<td>" + htmlEscape(f.file) + "</td>";
  s += "<td><a href=\"" + htmlEscape(page) + "\">" + htmlEscape(f.function) + "</a></td>";
  s += "<td class=\"" + html::statusClass(f.status) + "\">" + htmlEscape(f.status) + "</td>";
  s += n(f.mirInstructions) + n(f.vregs) + n(f.peakPressure);
  if (f.check)
    s += n(f.check->obligations) + n(f.check->proved) + n(f.check->refuted) + n(f.check->unknown);
  else
    s += "<td>-</td><td>-</td><td>-</td><td>-</td>";
  if (f.alloc)
    s += n(f.alloc->spilledVRegs) + n(f.alloc->moves) + n(f.alloc->frameTraffic) + us(f.alloc->timeUs);
  else
    s += "<td>-</td><td>-</td><td>-</td><td>-</td>";
  s += f.check ? us(f.check->timeUs) : "<td>-</td>";
  s += "<td>" + (f.firing ? htmlEscape(f.firing->rung) : std::string("-")) + "</td>";
  if (legacy) s += "<td>" + (f.legacy ? htmlEscape(f.legacy->rung) : std::string("-")) + "</td>";
  return s + "</tr>\n";
}

/// The index page: run facts, summary figures, diagnostics, the table.
std::string indexPage(const Report &rep, const std::vector<std::string> &pages, const HtmlOptions &opt) {
  const nlohmann::json sum = toJson(rep)["summary"];
  bool legacy = false;
  for (const auto &f : rep.functions) legacy = legacy || f.legacy.has_value();
  std::string s = html::pageHead("verify-alloc report", true);
  s += "<h1>verify-alloc report</h1>\n<h2>Summary</h2>\n<dl class=\"facts\" id=\"summary\">\n";
  auto fact = [&](std::string_view k, const std::string &v) {
    s += "<dt>" + htmlEscape(k) + "</dt><dd>" + htmlEscape(v) + "</dd>\n";
  };
  auto get = [&](const char *k) { return sum.value(k, nlohmann::json(0)).dump(); };
  for (const auto &[k, v] : opt.runInfo) fact(k, v);
  fact("files", get("files") + " read, " + get("files_failed") + " failed");
  fact("functions", get("functions") + ": " + get("ok") + " ok, " + get("declined") + " declined, " +
                        get("error") + " error, " + get("refuted_functions") + " refuted, " +
                        get("unknown_functions") + " unknown");
  fact("obligations", get("obligations") + ": " + get("proved") + " proved, " + get("refuted") +
                          " refuted, " + get("unknown") + " unknown");
  fact("allocation", get("allocated") + " allocated, " + get("spilled_vregs") + " spilled vregs, " +
                         get("spill_stores") + " spill stores, " + get("reloads") + " reloads, " +
                         get("moves") + " moves");
  fact("ladder firings", get("ladder_fired") + (rep.permissive ? " (permissive run)" : ""));
  fact("allocation time (CPU)", html::formatUs(sum.value("alloc_time_us", uint64_t(0))));
  fact("check time (CPU)", html::formatUs(sum.value("check_time_us", uint64_t(0))));
  if (sum.contains("rungs")) fact("legacy rungs", sum["rungs"].dump());
  fact("exit code", get("exit_code"));
  s += "</dl>\n";
  if (!rep.diags.empty()) {
    s += "<h2>Diagnostics</h2>\n<ul id=\"diagnostics\">\n";
    for (const auto &d : rep.diags) s += "<li><code>" + htmlEscape(d.str()) + "</code></li>\n";
    s += "</ul>\n";
  }
  s += "<h2>Functions</h2>\n<p class=\"note\">Click a header to sort.</p>\n"
       "<table class=\"sortable\" id=\"functions\"><thead><tr><th>#</th><th>file</th><th>function</th>"
       "<th>status</th><th>MIR instrs</th><th>vregs</th><th>peak</th><th>obligations</th>"
       "<th>proved</th><th>refuted</th><th>unknown</th><th>spilled</th><th>moves</th>"
       "<th>frame traffic</th><th>alloc time</th><th>check time</th><th>ladder</th>";
  if (legacy) s += "<th>legacy rung</th>";
  s += "</tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < rep.functions.size(); ++i) s += indexRow(rep.functions[i], i, pages[i], legacy);
  s += "</tbody></table>\n";
  return s + html::pageTail();
}

bool writeFile(const std::filesystem::path &p, const std::string &text, std::string &error) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  out.close();
  if (!out) error = "cannot write " + p.string();
  return static_cast<bool>(out);
}

}  // namespace

std::string htmlEscape(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&': s += "&amp;"; break;
    case '<': s += "&lt;"; break;
    case '>': s += "&gt;"; break;
    case '"': s += "&quot;"; break;
    case '\'': s += "&#39;"; break;
    default: s += c;
    }
  }
  return s;
}

std::vector<std::string> htmlPageNames(const Report &rep) {
  std::vector<std::string> names;
  for (size_t i = 0; i < rep.functions.size(); ++i) {
    std::string stem;
    for (char c : rep.functions[i].function) {
      if (stem.size() >= 40) break;
      const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '_' || c == '-';
      stem += safe ? c : '_';
    }
    names.push_back(fmt::format("f{:04}-{}.html", i + 1, stem));
  }
  return names;
}

bool writeHtmlReport(const Report &rep, const std::string &dir, const HtmlOptions &opt,
                     std::string &error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    error = "cannot create directory " + dir + (ec ? ": " + ec.message() : "");
    return false;
  }
  const std::vector<std::string> pages = htmlPageNames(rep);
  for (size_t i = 0; i < rep.functions.size(); ++i) {
    const FunctionReport &f = rep.functions[i];
    html::Graph graph;
    const std::string stem = pages[i].substr(0, pages[i].size() - 5);
    if (!f.artifacts || f.artifacts->dot.empty())
      graph.note = f.artifacts ? "no interference graph: the function was not allocated here"
                               : "no interference graph: the run kept no artifacts";
    else if (!html::drawGraph(f.artifacts->dot, dir, stem, opt, graph, error))
      return false;
    if (!writeFile(fs::path(dir) / pages[i], html::functionPage(f, graph), error)) return false;
  }
  return writeFile(fs::path(dir) / "index.html", indexPage(rep, pages, opt), error);
}

namespace html {

std::string pageHead(std::string_view title, bool script) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
                  htmlEscape(title) + "</title>\n<style>" + kStyle + "</style>\n";
  if (script) s += std::string("<script>window.addEventListener('DOMContentLoaded',function(){") +
                   kSortScript + "});</script>\n";
  return s + "</head><body>\n";
}

std::string pageTail() { return "</body></html>\n"; }

std::string statusClass(std::string_view status) {
  std::string s = "st-";
  for (char c : status) s += (c >= 'a' && c <= 'z') ? c : '-';
  return s;
}

std::string formatUs(uint64_t us) {
  if (us < 1000) return fmt::format("{} us", us);
  if (us < 1000000) return fmt::format("{:.1f} ms", double(us) / 1e3);
  return fmt::format("{:.2f} s", double(us) / 1e6);
}

}  // namespace html

}  // namespace vcr::tools
