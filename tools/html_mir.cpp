// The HTML report's MIR panes: two texts side by side, a counterexample's trail highlighted.
#include "tools/html_detail.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <regex>

namespace vcr::tools::html {

namespace {

/// Texts up to this many lines are shown whole beside a counterexample;
/// longer ones show the obligation's block and kContext lines around it.
constexpr size_t kWholeLines = 300, kContext = 3;

/// What one source line shows besides its text.
struct Mark {
  bool block = false;  ///< inside the obligation's block
  std::vector<int> steps;  ///< trail step numbers (1-based) on this line
  std::string values;      ///< the values the trail shows for it
  bool bad = false;        ///< where the two sides diverge
};

std::vector<std::string> splitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return lines;
}

std::string trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string_view::npos ? "" : std::string(s.substr(a, b - a + 1));
}

/// [first, last) lines of block `b` ("bbN:" up to the next label or "}"),
/// or the whole text if there is no such block.
std::pair<size_t, size_t> blockRange(const std::vector<std::string> &lines, int b) {
  const std::string label = "bb" + std::to_string(b) + ":";
  for (size_t i = 0; b >= 0 && i < lines.size(); ++i) {
    if (lines[i].rfind(label, 0) != 0) continue;
    size_t j = i + 1;
    while (j < lines.size() && lines[j].rfind("bb", 0) != 0 && lines[j].rfind("}", 0) != 0) ++j;
    return {i, j};
  }
  return {0, lines.size()};
}

/// Mark the first line in [from, to) whose text is `instr`; its index or `to`.
size_t markLine(const std::vector<std::string> &lines, std::vector<Mark> &marks, size_t from, size_t to,
                const std::string &instr, int step, const std::string &values) {
  for (size_t i = from; i < to; ++i)
    if (trim(lines[i]) == instr) {
      marks[i].steps.push_back(step);
      if (!values.empty()) marks[i].values += (marks[i].values.empty() ? "" : "; ") + values;
      return i;
    }
  return to;
}

/// The vregs a vreg-form line defines (docs/mir.md): results after "->",
/// every operand of `param`, none for stores, gset, traps and branches, two
/// for the pair-producing forms (umull, load64, add64, ...), else one.
std::vector<std::string> definedVRegs(const std::string &line) {
  static const std::regex vreg(R"(\bv\d+\b)");
  const std::string t = trim(line);
  const size_t sp = t.find(' ');
  if (sp == std::string::npos) return {};
  const std::string op = t.substr(0, sp);
  std::string defs = t.substr(sp + 1);
  size_t count = 1;
  if (size_t arrow = defs.find("->"); arrow != std::string::npos) {
    defs = defs.substr(arrow + 2);
    count = SIZE_MAX;
  } else if (op == "param") {
    count = SIZE_MAX;
  } else if (op.rfind("store", 0) == 0 || op == "gset" || op.rfind("trap", 0) == 0 ||
             op.rfind("br", 0) == 0 || op == "ret" || op == "call") {
    return {};
  } else if (op == "umull" || (op.find("64") != std::string::npos && op.rfind("set64", 0) != 0)) {
    count = 2;
  }
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(defs.begin(), defs.end(), vreg);
       it != std::sregex_iterator() && out.size() < count; ++it)
    out.push_back(it->str());
  return out;
}

/// Apply a counterexample trail to both sides' marks.
void markTrail(const nlohmann::json &cex, int block, const std::vector<std::string> &left,
               std::vector<Mark> &lm, const std::vector<std::string> &right, std::vector<Mark> &rm) {
  static const std::regex vregValue(R"(\b(v\d+) = (\S+?)(,|$))");
  const auto [l0, l1] = blockRange(left, block);
  const auto [r0, r1] = blockRange(right, block);
  if (block >= 0) {
    for (size_t i = l0; i < l1; ++i) lm[i].block = true;
    for (size_t i = r0; i < r1; ++i) rm[i].block = true;
  }
  std::map<std::string, std::string> vregs;  // vreg -> value the trail gives it
  size_t lc = l0, rc = r0;
  const std::string removed = "(removed by the allocator) ";
  int step = 0;
  for (const auto &e : cex.value("trail", nlohmann::json::array())) {
    ++step;
    if (!e.is_string()) continue;
    const std::string entry = e.get<std::string>();
    const size_t semi = entry.find("    ; ");
    std::string instr = trim(entry.substr(0, semi));
    const std::string values = semi == std::string::npos ? "" : trim(entry.substr(semi + 6));
    for (auto it = std::sregex_iterator(values.begin(), values.end(), vregValue);
         it != std::sregex_iterator(); ++it)
      vregs[(*it)[1].str()] = (*it)[2].str();
    if (instr.rfind(removed, 0) == 0) {
      size_t at = markLine(left, lm, lc, l1, trim(instr.substr(removed.size())), step, values);
      if (at < l1) lc = at + 1;
    } else if (size_t at = markLine(right, rm, rc, r1, instr, step, values); at < r1) {
      rc = at + 1;
    }
  }
  // the divergence: an instruction the location quotes (`...`), else the
  // last allocated instruction of the trail
  const std::string loc = cex.value("location", "");
  const size_t q0 = loc.find('`'), q1 = q0 == std::string::npos ? q0 : loc.find('`', q0 + 1);
  bool quoted = false;
  if (q1 != std::string::npos) {
    const std::string instr = trim(loc.substr(q0 + 1, q1 - q0 - 1));
    for (size_t i = l0; i < l1; ++i) quoted |= lm[i].bad = trim(left[i]) == instr;
    for (size_t i = r0; i < r1; ++i) quoted |= rm[i].bad = trim(right[i]) == instr;
  }
  if (!quoted && rc > r0 && rc <= r1) {
    rm[rc - 1].bad = true;
    // the vreg block's last instruction too if it is the same operation (ret, br)
    auto opOf = [](const std::string &line) { const std::string t = trim(line); return t.substr(0, t.find(' ')); };
    if (l1 > l0 && opOf(left[l1 - 1]) == opOf(right[rc - 1])) lm[l1 - 1].bad = true;
  }
  // the vreg side: the definitions of the vregs the trail gives values
  for (size_t i = l0; i < l1; ++i) {
    if (!lm[i].steps.empty()) continue;
    std::string shown;
    for (const std::string &v : definedVRegs(left[i]))
      if (auto it = vregs.find(v); it != vregs.end()) shown += (shown.empty() ? "" : ", ") + v + " = " + it->second;
    if (!shown.empty()) {
      lm[i].steps.push_back(0);
      lm[i].values = shown;
    }
  }
}

/// One MIR pane: lines [first, last) of the text (a note for the rest).
std::string pane(std::string_view title, const std::vector<std::string> &lines, const std::vector<Mark> &marks,
                 size_t first, size_t last) {
  std::string s = "<div class=\"mir\"><h3>" + htmlEscape(title) + "</h3><div class=\"code\">";
  if (lines.empty()) s += "<div class=\"l note\">(none)</div>";
  auto skipped = [&](size_t a, size_t b) {
    if (a < b) s += fmt::format("<div class=\"l note\">(lines {}-{} not shown)</div>", a + 1, b);
  };
  skipped(0, first);
  for (size_t i = first; i < last; ++i) {
    const Mark &m = marks[i];
    std::string cls = "l";
    if (m.block) cls += " blk";
    if (!m.steps.empty()) cls += " hit";
    if (m.bad) cls += " bad";
    s += "<div class=\"" + cls + "\"><span class=\"ln\">" + std::to_string(i + 1) + "</span>";
    std::string nums;
    for (int k : m.steps)
      if (k > 0) nums += (nums.empty() ? "#" : ",#") + std::to_string(k);
    if (!nums.empty()) s += "<span class=\"tn\">" + nums + "</span>";
    s += htmlEscape(lines[i]);
    if (!m.values.empty()) s += "<span class=\"tv\">; " + htmlEscape(m.values) + "</span>";
    s += "</div>";
  }
  skipped(last, lines.size());
  return s + "</div></div>";
}

}  // namespace

std::string mirSideBySide(std::string_view leftTitle, std::string_view left, std::string_view rightTitle,
                          std::string_view right, const nlohmann::json *cex, int block) {
  const std::vector<std::string> l = splitLines(left), r = splitLines(right);
  std::vector<Mark> lm(l.size()), rm(r.size());
  if (cex && cex->is_object()) markTrail(*cex, block, l, lm, r, rm);
  // a large function with a counterexample: its block with a little context
  auto window = [&](const std::vector<std::string> &lines) -> std::pair<size_t, size_t> {
    if (!cex || block < 0 || lines.size() <= kWholeLines) return {0, lines.size()};
    const auto [a, b] = blockRange(lines, block);
    return {a > kContext ? a - kContext : 0, std::min(lines.size(), b + kContext)};
  };
  const auto [l0, l1] = window(l);
  const auto [r0, r1] = window(r);
  return "<div class=\"side\">" + pane(leftTitle, l, lm, l0, l1) + pane(rightTitle, r, rm, r0, r1) + "</div>\n";
}

}  // namespace vcr::tools::html
