// Soundness campaign report: the outcome table, per-edit-kind counts, throughput and findings (text and JSON).
#include "tools/soundness_fuzz.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

namespace vcr::tools::fuzz {

namespace {

double rate(unsigned n, double secs) { return secs > 0 ? n / secs : 0; }

}  // namespace

std::string CampaignReport::text() const {
  std::ostringstream t;
  char line[256];
  t << "soundness campaign: " << tried << " mutants tried over " << subjects << " subject functions ("
    << functionsSkipped << " functions skipped)\n";
  for (unsigned o = 0; o < kNumOutcomes; ++o) {
    std::snprintf(line, sizeof line, "  %-24s %8u\n", std::string(outcomeName(static_cast<Outcome>(o))).c_str(), outcomes[o]);
    t << line;
  }
  t << "  proved mutants run in Unicorn: " << provedRunInUnicorn << " (" << unicornRuns
    << " runs); declined by the emitter (interpreter only): " << provedNotEmitted << "; interpreter runs: " << interpRuns
    << "; checker exceptions: " << checkerExceptions << "\n";
  std::snprintf(line, sizeof line,
                "  time %.1f s (checker %.1f s, execution %.1f s of which emit+assemble+link %.1f s): %.1f mutants/s\n",
                seconds, checkSeconds, runSeconds, buildSeconds, rate(tried, seconds));
  t << line;
  std::snprintf(line, sizeof line, "\n%-20s %8s %8s %8s %8s %8s %8s %8s\n", "edit kind (in mutant)", "mutants", "struct",
                "refuted", "unknown", "prov-eq", "prov-DIFF", "int-err");
  t << line;
  for (unsigned k = 0; k < kNumEditKinds; ++k) {
    const auto &c = byKind[k];
    unsigned n = 0;
    for (unsigned v : c) n += v;
    std::snprintf(line, sizeof line, "%-20s %8u %8u %8u %8u %8u %8u %8u\n",
                  std::string(editKindName(static_cast<EditKind>(k))).c_str(), n, c[0], c[1], c[2], c[3], c[4], c[5]);
    t << line;
  }
  if (!findings.empty()) t << "\nfindings (" << findings.size() << "):\n";
  for (const Finding &f : findings) {
    t << "* " << outcomeName(f.outcome) << " " << f.subject << " @" << f.function << "\n    edits: " << f.edits
      << "\n    " << f.difference << "\n";
    if (!f.files.empty()) t << "    files: " << f.files << "\n";
  }
  return t.str();
}

nlohmann::json CampaignReport::json() const {
  nlohmann::json j;
  j["tried"] = tried;
  j["subjects"] = subjects;
  j["functions_skipped"] = functionsSkipped;
  for (unsigned o = 0; o < kNumOutcomes; ++o) j["outcomes"][std::string(outcomeName(static_cast<Outcome>(o)))] = outcomes[o];
  for (unsigned k = 0; k < kNumEditKinds; ++k) {
    nlohmann::json &e = j["by_edit_kind"][std::string(editKindName(static_cast<EditKind>(k)))];
    for (unsigned o = 0; o < kNumOutcomes; ++o) e[std::string(outcomeName(static_cast<Outcome>(o)))] = byKind[k][o];
  }
  j["proved_run_in_unicorn"] = provedRunInUnicorn;
  j["proved_not_emitted"] = provedNotEmitted;
  j["unicorn_runs"] = unicornRuns;
  j["interp_runs"] = interpRuns;
  j["checker_exceptions"] = checkerExceptions;
  j["seconds"] = seconds;
  j["check_seconds"] = checkSeconds;
  j["run_seconds"] = runSeconds;
  j["build_seconds"] = buildSeconds;
  j["mutants_per_second"] = rate(tried, seconds);
  j["findings"] = nlohmann::json::array();
  for (const Finding &f : findings)
    j["findings"].push_back({{"outcome", std::string(outcomeName(f.outcome))}, {"subject", f.subject},
                             {"function", f.function}, {"edits", f.edits}, {"difference", f.difference},
                             {"files", f.files}});
  j["notes"] = notes;
  return j;
}

}  // namespace vcr::tools::fuzz
