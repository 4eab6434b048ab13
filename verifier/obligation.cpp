// JSON form of obligations and of a function's check result.
#include "verifier/checker.h"
#include "verifier/obligation.h"

#include <nlohmann/json.hpp>

namespace vcr::verifier {

const char *statusName(Status s) {
  switch (s) {
  case Status::Proved: return "proved";
  case Status::Refuted: return "refuted";
  case Status::Unknown: return "unknown";
  }
  return "?";
}

nlohmann::json Obligation::toJson() const {
  nlohmann::json j = {{"id", id},         {"kind", kind},     {"function", function},
                      {"block", block},   {"status", statusName(status)},
                      {"method", method}, {"solver_time_us", solverTimeUs}};
  if (!detail.empty()) j["detail"] = detail;
  if (hasCounterexample) {
    nlohmann::json in = nlohmann::json::object();
    for (const auto &[name, v] : cex.inputs) in[name] = v;
    j["counterexample"] = {{"inputs", in},
                           {"location", cex.location},
                           {"original", cex.expected},
                           {"allocated", cex.actual},
                           {"trail", cex.trail}};
  }
  return j;
}

std::string Obligation::str() const {
  std::string s = id + ": " + statusName(status) + " (" + kind + ", " + method + ", " +
                  std::to_string(solverTimeUs) + " us)";
  if (!detail.empty()) s += "\n  " + detail;
  if (hasCounterexample) {
    s += "\n  inputs:";
    for (const auto &[name, v] : cex.inputs) s += " " + name + "=" + std::to_string(v);
    s += "\n  diverges at: " + cex.location + ": original " + cex.expected + ", allocated " +
         cex.actual + "\n  trail:";
    for (const std::string &t : cex.trail) s += "\n    " + t;
  }
  return s;
}

std::string CheckResult::summary() const {
  std::string s = std::to_string(obligations.size()) + " obligations: " + std::to_string(proved) +
                  " proved, " + std::to_string(refuted) + " refuted, " + std::to_string(unknown) +
                  " unknown, " + std::to_string(timeUs) + " us";
  for (const Obligation &o : obligations)
    if (o.status != Status::Proved) s += "\n" + o.str();
  return s;
}

nlohmann::json CheckResult::toJson() const {
  nlohmann::json failures = nlohmann::json::array();
  for (const Obligation &o : obligations)
    if (o.status != Status::Proved) failures.push_back(o.toJson());
  return {{"obligations", obligations.size()},
          {"proved", proved},
          {"refuted", refuted},
          {"unknown", unknown},
          {"time_us", timeUs},
          {"failures", failures}};
}

}  // namespace vcr::verifier
