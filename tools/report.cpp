// JSON and text-table rendering of a verify-alloc report.
#include "tools/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>

namespace vcr::tools {

namespace {

nlohmann::json allocJson(const AllocReport &a) {
  return {{"rounds", a.rounds},           {"spilled_vregs", a.spilledVRegs},
          {"spill_stores", a.spillStores}, {"reloads", a.reloads},
          {"remats", a.remats},           {"moves_before", a.movesBefore},
          {"moves", a.moves},             {"frame_bytes", a.frameBytes},
          {"callee_saved", a.calleeSaved}, {"time_us", a.timeUs}};
}

nlohmann::json functionJson(const FunctionReport &f) {
  nlohmann::json j = {{"file", f.file},
                      {"function", f.function},
                      {"status", f.status},
                      {"mir_instructions", f.mirInstructions},
                      {"vregs", f.vregs},
                      {"peak_pressure", f.peakPressure},
                      {"calls", f.calls},
                      {"loops", f.loops}};
  if (!f.reason.empty()) j["reason"] = f.reason;
  if (f.alloc) j["alloc"] = allocJson(*f.alloc);
  if (f.check) j["check"] = f.check->json;
  return j;
}

std::string joinRegs(const std::vector<std::string> &rs) {
  std::string s;
  for (const auto &r : rs) s += (s.empty() ? "" : ",") + r;
  return s.empty() ? "-" : s;
}

}  // namespace

nlohmann::json toJson(const Report &r) {
  nlohmann::json fns = nlohmann::json::array();
  std::map<std::string, unsigned> byStatus;
  unsigned spilled = 0, stores = 0, reloads = 0, remats = 0, moves = 0, allocated = 0;
  uint64_t allocUs = 0, checkUs = 0;
  unsigned obligations = 0, proved = 0, refuted = 0, unknown = 0;
  for (const auto &f : r.functions) {
    if (f.check) {
      obligations += f.check->obligations;
      proved += f.check->proved;
      refuted += f.check->refuted;
      unknown += f.check->unknown;
      checkUs += f.check->timeUs;
    }
    fns.push_back(functionJson(f));
    ++byStatus[f.status];
    if (f.alloc) {
      ++allocated;
      spilled += f.alloc->spilledVRegs;
      stores += f.alloc->spillStores;
      reloads += f.alloc->reloads;
      remats += f.alloc->remats;
      moves += f.alloc->moves;
      allocUs += f.alloc->timeUs;
    }
  }
  nlohmann::json diags = nlohmann::json::array();
  for (const auto &d : r.diags) diags.push_back(d.str());
  nlohmann::json summary = {{"files", r.filesRead},
                            {"files_failed", r.filesFailed},
                            {"functions", r.functions.size()},
                            {"ok", byStatus["ok"]},
                            {"declined", byStatus["declined"]},
                            {"error", byStatus["error"]},
                            {"allocated", allocated},
                            {"spilled_vregs", spilled},
                            {"spill_stores", stores},
                            {"reloads", reloads},
                            {"remats", remats},
                            {"moves", moves},
                            {"alloc_time_us", allocUs},
                            {"refuted_functions", byStatus["refuted"]},
                            {"unknown_functions", byStatus["unknown"]},
                            {"obligations", obligations},
                            {"proved", proved},
                            {"refuted", refuted},
                            {"unknown", unknown},
                            {"check_time_us", checkUs},
                            {"exit_code", r.exitCode()}};
  return {{"tool", "verify-alloc"},
          {"version", VCR_VERSION},
          {"functions", fns},
          {"diagnostics", diags},
          {"summary", summary}};
}

std::string toTable(const Report &r) {
  std::string out = fmt::format("{:<22} {:<24} {:<8} {:>6} {:>5} {:>4} {:>5} {:>5} | {:>3} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:<14} {:>7} | {}\n",
                                "file", "function", "status", "instrs", "vregs", "peak", "calls",
                                "loops", "rnd", "spill", "store", "reld", "remat", "moves",
                                "frame", "callee-saved", "us", "proved");
  for (const auto &f : r.functions) {
    std::string file = std::filesystem::path(f.file).filename().string();
    out += fmt::format("{:<22} {:<24} {:<8} {:>6} {:>5} {:>4} {:>5} {:>5}", file.substr(0, 22),
                       f.function.substr(0, 24), f.status, f.mirInstructions, f.vregs,
                       f.peakPressure, f.calls, f.loops);
    if (f.alloc) {
      const auto &a = *f.alloc;
      out += fmt::format(" | {:>3} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:<14} {:>7}", a.rounds,
                         a.spilledVRegs, a.spillStores, a.reloads, a.remats, a.moves,
                         a.frameBytes, joinRegs(a.calleeSaved), a.timeUs);
    }
    if (f.check) out += fmt::format(" | {}/{}", f.check->proved, f.check->obligations);
    if (!f.reason.empty()) out += "  (" + f.reason + ")";
    out += "\n";
  }
  for (const auto &f : r.functions)
    if (f.check && !f.check->failureText.empty())
      out += fmt::format("\n{} in {}: {}\n{}", f.status, f.function, f.file, f.check->failureText);
  for (const auto &d : r.diags) out += d.str() + "\n";
  unsigned ok = 0, declined = 0, errors = 0, failed = 0;
  unsigned proved = 0, obligations = 0;
  uint64_t checkUs = 0;
  for (const auto &f : r.functions)
    if (f.check) {
      proved += f.check->proved;
      obligations += f.check->obligations;
      checkUs += f.check->timeUs;
    }
  for (const auto &f : r.functions) {
    ok += f.status == "ok";
    declined += f.status == "declined";
    errors += f.status == "error";
    failed += f.status == "refuted" || f.status == "unknown";
  }
  out += fmt::format("{} files ({} failed), {} functions: {} ok, {} declined, {} error, {} refuted/unknown\n",
                     r.filesRead, r.filesFailed, r.functions.size(), ok, declined, errors, failed);
  if (obligations)
    out += fmt::format("checker: {} of {} obligations proved, {} ms\n", proved, obligations,
                       checkUs / 1000);
  return out;
}

}  // namespace vcr::tools
