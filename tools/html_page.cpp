// The HTML report's function page: facts, obligations, counterexamples, graph, legacy, listing.
#include "tools/html_detail.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vcr::tools::html {

namespace {

using nlohmann::json;

/// Counterexamples that get the two MIR texts beside them (a page stays
/// readable however many obligations a function fails).
constexpr size_t kMirCounterexamples = 5;

std::string e(std::string_view s) { return htmlEscape(s); }

/// A JSON scalar as text (strings without quotes).
std::string text(const json &j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

std::string facts(const FunctionReport &f) {
  std::string s = "<dl class=\"facts\" id=\"facts\">\n";
  auto fact = [&](std::string_view k, const std::string &v) {
    s += "<dt>" + e(k) + "</dt><dd>" + e(v) + "</dd>\n";
  };
  fact("file", f.file);
  fact("status", f.status);
  if (!f.reason.empty()) fact("reason", f.reason);
  fact("size", fmt::format("{} MIR instructions, {} vregs, peak pressure {}, {} calls, {} loops",
                           f.mirInstructions, f.vregs, f.peakPressure, f.calls, f.loops));
  if (const auto &a = f.alloc) {
    std::string saved;
    for (const auto &r : a->calleeSaved) saved += (saved.empty() ? "" : ",") + r;
    fact("allocation", fmt::format("{} rounds, {} spilled vregs, {} spill stores, {} reloads, {} remats, "
                                   "moves {} -> {}, frame {} bytes, frame traffic {}",
                                   a->rounds, a->spilledVRegs, a->spillStores, a->reloads, a->remats,
                                   a->movesBefore, a->moves, a->frameBytes, a->frameTraffic));
    fact("callee-saved", saved.empty() ? "-" : saved);
    fact("allocation time", formatUs(a->timeUs));
  }
  if (const auto &c = f.check)
    fact("checker", fmt::format("{} obligations: {} proved, {} refuted, {} unknown; {}", c->obligations,
                                c->proved, c->refuted, c->unknown, formatUs(c->timeUs)));
  if (f.firing) fact("ladder fired", f.firing->rung + ": " + f.firing->reason);
  if (const auto &x = f.exec)
    fact("execution", fmt::format("{}: {}/{} runs agree, {} instructions, {} code bytes{}", x->status,
                                  x->agree, x->runs, x->insns, x->codeBytes,
                                  x->firstDifference.empty() ? "" : "; " + x->firstDifference));
  return s + "</dl>\n";
}

/// The obligations to show: every one if the run kept them, else the failures.
json obligationsOf(const FunctionReport &f, bool &all) {
  all = f.artifacts && !f.artifacts->obligations.empty();
  if (all) return f.artifacts->obligations;
  if (f.check && f.check->json.contains("failures")) return f.check->json["failures"];
  return json::array();
}

std::string obligationTable(const json &obs, bool all) {
  std::string s = "<h2>Obligations</h2>\n";
  if (!all) s += "<p class=\"note\">Only the refuted and unknown obligations are known for this row.</p>\n";
  if (obs.empty()) return s + "<p class=\"note\">No obligations (the checker did not run).</p>\n";
  // a large function's list starts folded (the failures are below anyway)
  s += fmt::format("<details{}><summary>{} obligations</summary>\n", obs.size() <= 200 ? " open" : "",
                   obs.size());
  s += "<table class=\"sortable\" id=\"obligations\"><thead><tr><th>#</th><th>obligation</th><th>kind</th>"
       "<th>block</th><th>status</th><th>method</th><th>time</th><th>detail</th></tr></thead><tbody>\n";
  for (size_t i = 0; i < obs.size(); ++i) {
    const json &o = obs[i];
    const std::string status = o.value("status", "?");
    const uint64_t us = o.value("solver_time_us", uint64_t(0));
    std::string id = e(o.value("id", ""));
    if (status != "proved") id = fmt::format("<a href=\"#cex{}\">{}</a>", i, id);
    s += fmt::format("<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
                     "<td class=\"{}\">{}</td><td>{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td></tr>\n",
                     i + 1, id, e(o.value("kind", "")), o.value("block", -1), statusClass(status), e(status),
                     e(o.value("method", "")), us, formatUs(us), e(o.value("detail", "")));
  }
  return s + "</tbody></table></details>\n";
}

/// One refuted or unknown obligation: detail, inputs, divergence, trail, MIR.
std::string counterexample(const json &o, size_t i, const FunctionReport &f, bool withMir) {
  std::string s = fmt::format("<div class=\"cex\" id=\"cex{}\">\n<h3>{} <span class=\"{}\">{}</span> "
                              "({}, {})</h3>\n",
                              i, e(o.value("id", "")), statusClass(o.value("status", "")),
                              e(o.value("status", "")), e(o.value("kind", "")), e(o.value("method", "")));
  if (o.contains("detail")) s += "<p class=\"detail\">" + e(text(o["detail"])) + "</p>\n";
  if (!o.contains("counterexample")) return s + "<p class=\"note\">No counterexample (a syntactic finding).</p></div>\n";
  const json &c = o["counterexample"];
  s += "<h4>Inputs</h4>\n";
  const json inputs = c.value("inputs", json::object());
  if (inputs.empty()) s += "<p class=\"note\">none needed</p>\n";
  else {
    s += "<table class=\"inputs\"><thead><tr><th>input</th><th>value</th><th>hex</th></tr></thead><tbody>\n";
    for (const auto &[name, v] : inputs.items())
      s += "<tr><td>" + e(name) + "</td><td class=\"n\">" + e(text(v)) + "</td><td class=\"n\">" +
           (v.is_number_unsigned() ? fmt::format("{:#x}", v.get<uint64_t>()) : "") + "</td></tr>\n";
    s += "</tbody></table>\n";
  }
  s += "<p class=\"diverge\">Diverges at <code>" + e(c.value("location", "")) +
       "</code>: original <span class=\"orig\">" + e(c.value("original", "")) +
       "</span>, allocated <span class=\"alloc\">" + e(c.value("allocated", "")) + "</span></p>\n";
  s += "<h4>Trail</h4>\n<ol class=\"trail\">\n";
  for (const auto &t : c.value("trail", json::array())) s += "<li><code>" + e(text(t)) + "</code></li>\n";
  s += "</ol>\n";
  if (f.artifacts && withMir)
    s += mirSideBySide("vreg MIR (original)", f.artifacts->vregMir, "allocated MIR", f.artifacts->allocatedMir,
                       &c, o.value("block", -1));
  else if (f.artifacts)
    s += fmt::format("<p class=\"note\">The MIR is shown beside the first {} counterexamples only.</p>\n",
                     kMirCounterexamples);
  return s + "</div>\n";
}

std::string legacySection(const FunctionReport &f) {
  const LegacyReport &l = *f.legacy;
  std::string s = "<h2>Legacy model and vcr-ra</h2>\n<table id=\"legacy\"><thead><tr><th></th><th>vcr-ra</th>"
                  "<th>legacy model</th></tr></thead><tbody>\n";
  auto row = [&](std::string_view k, const std::string &v, const std::string &w) {
    s += "<tr><th>" + e(k) + "</th><td>" + e(v) + "</td><td>" + e(w) + "</td></tr>\n";
  };
  const auto &a = f.alloc;
  auto num = [&](auto get) { return a ? std::to_string(get(*a)) : std::string("-"); };
  row("rung", f.firing ? f.firing->rung : "base (graph colouring)", l.rung + (l.spurious ? " (spurious spills)" : ""));
  row("spill stores", num([](const AllocReport &x) { return x.spillStores; }), std::to_string(l.spillStores));
  row("reloads", num([](const AllocReport &x) { return x.reloads; }), std::to_string(l.reloads));
  row("moves", num([](const AllocReport &x) { return x.moves; }), std::to_string(l.moves));
  row("frame traffic", num([](const AllocReport &x) { return x.frameTraffic; }), std::to_string(l.frameTraffic));
  std::string ours = f.check ? (f.check->refuted ? "refuted" : f.check->unknown ? "unknown" : "proved") : "-";
  row("checker verdict", ours, l.check);
  if (l.exec && f.exec)
    row("instructions executed", std::to_string(f.exec->insns), std::to_string(l.exec->insns));
  s += "</tbody></table>\n";
  if (f.artifacts)
    s += mirSideBySide("vcr-ra allocated MIR", f.artifacts->allocatedMir, "legacy model MIR",
                       f.artifacts->legacyMir);
  return s;
}

}  // namespace

std::string functionPage(const FunctionReport &f, const Graph &graph) {
  std::string s = pageHead(f.function + " - verify-alloc", true);
  s += "<p><a href=\"index.html\">&larr; all functions</a></p>\n<h1>" + e(f.function) + " <span class=\"" +
       statusClass(f.status) + "\">" + e(f.status) + "</span></h1>\n" + facts(f);
  bool all = false;
  const json obs = obligationsOf(f, all);
  s += obligationTable(obs, all);
  s += "<h2>Counterexamples</h2>\n";
  size_t drawn = 0;
  for (size_t i = 0; i < obs.size(); ++i)
    if (obs[i].value("status", "") != "proved") {
      s += counterexample(obs[i], i, f, drawn < kMirCounterexamples);
      drawn += obs[i].contains("counterexample") && f.artifacts;
    }
  const bool drewMir = drawn > 0;
  if (f.check && !f.check->refuted && !f.check->unknown)
    s += "<p class=\"note\">None: every obligation is proved.</p>\n";
  else if (!f.check)
    s += "<p class=\"note\">None: the checker did not run.</p>\n";
  if (f.artifacts && !drewMir) {
    s += "<h2>MIR</h2>\n";
    s += mirSideBySide("vreg MIR (original)", f.artifacts->vregMir, "allocated MIR", f.artifacts->allocatedMir);
  }
  s += "<h2>Interference graph</h2>\n";
  if (!graph.svgFile.empty())
    s += "<p><img class=\"graph\" id=\"graph\" alt=\"interference graph of " + e(f.function) + "\" src=\"" +
         e(graph.svgFile) + "\"></p>\n";
  else
    s += "<p class=\"note\" id=\"graph-note\">" + e(graph.note) + "</p>\n";
  if (f.legacy) s += legacySection(f);
  s += "<h2>Thumb-2 listing</h2>\n";
  if (!f.artifacts) s += "<p class=\"note\">The run kept no listing.</p>\n";
  else if (!f.artifacts->asmText.empty()) s += "<pre id=\"asm\">" + e(f.artifacts->asmText) + "</pre>\n";
  else if (!f.artifacts->asmDeclined.empty())
    s += "<p class=\"note\">The emitter declined: " + e(f.artifacts->asmDeclined) + "</p>\n";
  else s += "<p class=\"note\">No listing (the function was not emitted).</p>\n";
  return s + pageTail();
}

}  // namespace vcr::tools::html
