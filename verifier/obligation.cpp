// JSON form of obligations and of a function's check result.
#include "verifier/checker.h"
#include "verifier/obligation.h"

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
