// JSON and text-table rendering of a verify-alloc report.
#include "tools/report.h"
#include "tools/optimal_row.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

namespace vcr::tools {

namespace {

nlohmann::json allocJson(const AllocReport &a) {
  return {{"rounds", a.rounds},           {"spilled_vregs", a.spilledVRegs},
          {"spill_stores", a.spillStores}, {"reloads", a.reloads},
          {"remats", a.remats},           {"moves_before", a.movesBefore},
          {"moves", a.moves},             {"frame_bytes", a.frameBytes},
          {"frame_traffic", a.frameTraffic},
          {"callee_saved", a.calleeSaved}, {"time_us", a.timeUs}};
}

nlohmann::json execJson(const ExecReport &e) {
  nlohmann::json j = {{"status", e.status}, {"runs", e.runs}, {"agree", e.agree},
                      {"insns_executed", e.insns}, {"loads", e.loads}, {"stores", e.stores},
                      {"workload", e.workload}, {"code_bytes", e.codeBytes}};
  if (!e.reason.empty()) j["reason"] = e.reason;
  if (e.noVerdict) j["no_verdict"] = e.noVerdict;
  if (e.nanBitsOnly) j["agree_up_to_nan_bits"] = e.nanBitsOnly;
  if (!e.firstDifference.empty()) j["first_difference"] = e.firstDifference;
  if (e.nativeInsns) j["native_insns"] = *e.nativeInsns;
  if (e.nativeAgree) j["native_agree"] = *e.nativeAgree;
  if (!e.nativeNote.empty()) j["native_note"] = e.nativeNote;
  if (!e.originInsns.empty()) j["insns_by_origin"] = e.originInsns;
  return j;
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
  if (f.inputError) j["input_error"] = true;
  if (f.memoryMaxPages) j["memory_max_pages"] = *f.memoryMaxPages;
  if (f.alloc) j["alloc"] = allocJson(*f.alloc);
  if (f.check) {
    j["check"] = f.check->json;
    if (!f.check->failureText.empty()) j["check"]["failure_text"] = f.check->failureText;
  }
  if (f.firing) j["ladder_fired"] = {{"rung", f.firing->rung}, {"reason", f.firing->reason}};
  if (f.legacy)
    j["legacy"] = {{"rung", f.legacy->rung},       {"spill_stores", f.legacy->spillStores},
                   {"reloads", f.legacy->reloads}, {"moves", f.legacy->moves},
                   {"frame_traffic", f.legacy->frameTraffic},
                   {"check", f.legacy->check},     {"spurious", f.legacy->spurious}};
  if (f.optimal) j["optimal"] = optimalJson(*f.optimal);
  if (f.exec) j["exec"] = execJson(*f.exec);
  if (f.legacy && f.legacy->exec) j["legacy"]["exec"] = execJson(*f.legacy->exec);
  if (f.legacy && !f.legacy->trace.empty()) j["legacy"]["trace"] = f.legacy->trace;
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
  nlohmann::json rungs = nlohmann::json::object();
  bool anyLegacy = false;
  unsigned obligations = 0, proved = 0, refuted = 0, unknown = 0;
  unsigned execRuns = 0, execAgree = 0, execDeclined = 0, execNoVerdict = 0;
  bool anyExec = false;
  for (const auto &f : r.functions) {
    if (f.exec) {
      anyExec = true;
      execRuns += f.exec->runs;
      execAgree += f.exec->agree;
      execDeclined += f.exec->status == "declined";
      execNoVerdict += f.exec->noVerdict;
    }
    if (f.check) {
      obligations += f.check->obligations;
      proved += f.check->proved;
      refuted += f.check->refuted;
      unknown += f.check->unknown;
      checkUs += f.check->timeUs;
    }
    fns.push_back(functionJson(f));
    if (f.legacy) {
      anyLegacy = true;
      rungs[f.legacy->rung] = rungs.value(f.legacy->rung, 0) + 1;
    }
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
  nlohmann::json diags = nlohmann::json::array(), records = nlohmann::json::array();
  for (size_t i = 0; i < r.diags.size(); ++i) {
    const Diagnostic &d = r.diags[i];
    diags.push_back(d.str());
    records.push_back({{"level", static_cast<int>(d.level)}, {"file", d.file},
                       {"function", d.function}, {"line", d.line}, {"column", d.column},
                       {"message", d.message},
                       {"input", i < r.diagInput.size() ? r.diagInput[i] : -1}});
  }
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
                            {"ladder_fired", r.ladderFired()},
                            {"exit_code", r.exitCode()}};
  if (anyLegacy) summary["rungs"] = rungs;
  if (anyExec) {
    summary["exec_runs"] = execRuns;
    summary["exec_agree"] = execAgree;
    summary["exec_declined"] = execDeclined;
    summary["exec_no_verdict"] = execNoVerdict;
    summary["mismatch_functions"] = byStatus["mismatch"];
  }
  nlohmann::json run = {{"inputs", r.inputs},
                        {"shard", {{"index", r.shardIndex}, {"count", r.shardCount}}},
                        {"paths_failed", r.pathsFailed},
                        {"permissive", r.permissive},
                        {"cpu", r.cpu}};
  if (r.memoryMax) run["memory_max"] = *r.memoryMax;
  if (!r.passesOff.empty()) run["passes_off"] = r.passesOff;
  return {{"tool", "verify-alloc"},       {"version", VCR_VERSION},
          {"functions", fns},             {"diagnostics", diags},
          {"diagnostic_records", records}, {"run", run},
          {"summary", summary}};
}

std::string toTable(const Report &r) {
  std::string out = "cpu " + r.cpu + (r.memoryMax ? " memory-max " + std::to_string(*r.memoryMax) : "") +
                    (r.passesOff.empty() ? "" : " without " + r.passesOff) + "\n";
  out += fmt::format("{:<22} {:<24} {:<8} {:>6} {:>5} {:>4} {:>5} {:>5} | {:>3} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:<14} {:>7} | {}\n",
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
    if (f.legacy)
      out += fmt::format(" | legacy {:<13} st {:>3} rl {:>3} mv {:>3} ft {:>3} vs {:>3} {}{}",
                         f.legacy->rung, f.legacy->spillStores, f.legacy->reloads, f.legacy->moves,
                         f.legacy->frameTraffic, f.alloc ? f.alloc->frameTraffic : 0, f.legacy->check,
                         f.legacy->spurious ? " SPURIOUS" : "");
    if (f.optimal) out += optimalCell(*f.optimal);
    if (f.exec) {
      const auto &e = *f.exec;
      if (e.status == "ok")
        out += fmt::format(" | run {}/{}{} insns {}{} code {}B", e.agree, e.runs,
                           e.noVerdict ? fmt::format(" (+{} no verdict)", e.noVerdict) : "", e.insns,
                           e.workload ? "w" : "", e.codeBytes);
      else
        out += fmt::format(" | run {}", e.status);
      if (e.nativeInsns) out += fmt::format(" native {}", *e.nativeInsns);
      else if (!e.nativeNote.empty()) out += " native -";  // why: once per file, below the table
      if (f.legacy && f.legacy->exec && f.legacy->exec->status == "ok")
        out += fmt::format(" legacy {}{}", f.legacy->exec->insns,
                           f.legacy->exec->agree == f.legacy->exec->runs
                               ? std::string()
                               : fmt::format(" LEGACY RUN {}/{}", f.legacy->exec->agree, f.legacy->exec->runs));
    }
    if (f.firing) out += fmt::format(" | LADDER FIRED: rung {}", f.firing->rung);
    if (!f.reason.empty()) out += "  (" + f.reason + ")";
    out += "\n";
  }
  for (const auto &f : r.functions)
    if (f.check && !f.check->failureText.empty())
      out += fmt::format("\n{} in {}: {}\n{}{}", f.status, f.function, f.file, f.check->failureText,
                         f.check->failureText.ends_with('\n') ? "" : "\n");
  for (const auto &d : r.diags) out += d.str() + "\n";
  // Why --native gave no figure (the C compile failed, a symbol is
  // missing): said once per file and reason, not only in the JSON.
  std::set<std::pair<std::string, std::string>> nativeNotes;
  for (const auto &f : r.functions)
    if (f.exec && !f.exec->nativeInsns && !f.exec->nativeNote.empty() &&
        nativeNotes.emplace(f.file, f.exec->nativeNote).second)
      out += fmt::format("{}: --native: {}\n", f.file, f.exec->nativeNote);
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
  unsigned mismatch = 0, runs = 0, agree = 0, emitted = 0, execDeclined = 0, noVerdict = 0, noRun = 0, nanBits = 0;
  for (const auto &f : r.functions)
    if (f.exec) {
      mismatch += f.status == "mismatch";
      runs += f.exec->runs;
      agree += f.exec->agree;
      noVerdict += f.exec->noVerdict;
      nanBits += f.exec->nanBitsOnly;
      noRun += f.exec->status == "ok" && f.exec->runs == 0;
      emitted += f.exec->status == "ok";
      execDeclined += f.exec->status == "declined";
    }
  out += fmt::format("{} files ({} failed), {} functions: {} ok, {} declined, {} error, {} refuted/unknown{}\n",
                     r.filesRead, r.filesFailed, r.functions.size(), ok, declined, errors, failed,
                     runs ? fmt::format(", {} mismatch", mismatch) : "");
  if (emitted + execDeclined)
    out += fmt::format("run: {} functions emitted and run in Unicorn ({} declined by the emitter), "
                       "{} of {} runs agree with the oracles{}{}\n",
                       emitted, execDeclined, agree, runs,
                       nanBits ? fmt::format(" ({} of them up to NaN bits: the hardware propagates NaN payloads, "
                                             "the interpreters give the canonical NaN, as wasm allows)",
                                             nanBits)
                               : "",
                       noVerdict ? fmt::format("; {} inputs without a verdict (the reference interpreter did "
                                               "not finish them), {} function{} with no run at all",
                                               noVerdict, noRun, noRun == 1 ? "" : "s")
                                 : "");
  if (obligations)
    out += fmt::format("checker: {} of {} obligations proved, {} ms\n", proved, obligations,
                       checkUs / 1000);
  // The legacy model's own code (--legacy): a refuted allocation or a run
  // that disagrees is a model bug, and fails the run (Report::exitCode).
  unsigned legacyCode = 0, legacyProved = 0, legacyBad = 0, legacyRuns = 0, legacyAgree = 0;
  bool anyLegacy = false;
  for (const auto &f : r.functions) {
    if (!f.legacy) continue;
    anyLegacy = true;
    legacyProved += f.legacy->check == "proved";
    legacyBad += f.legacy->check == "refuted" || f.legacy->check == "unknown";
    if (f.legacy->exec && f.legacy->exec->status == "ok") {
      ++legacyCode;
      legacyRuns += f.legacy->exec->runs;
      legacyAgree += f.legacy->exec->agree;
    }
  }
  if (anyLegacy)
    out += fmt::format("legacy model: {} allocations proved, {} refuted/unknown{}\n", legacyProved, legacyBad,
                       legacyCode ? fmt::format(", {} of {} runs of its code agree with the oracles", legacyAgree,
                                                legacyRuns)
                                  : "");
  out += fmt::format("ladder fired: {}{}\n", r.ladderFired(),
                     r.ladderFired() && r.permissive ? " (permissive: ladder code kept)" : "");
  for (const auto &f : r.functions)
    if (f.firing)
      out += fmt::format("  ladder fired on {} ({}): rung {}, because {}\n", f.function, f.file,
                         f.firing->rung, f.firing->reason);
  return out;
}

std::string toCsv(const Report &r) {
  auto q = [](const std::string &s) {
    std::string o = "\"";
    for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
  };
  std::string out = "file,function,status,mir_instructions,peak_pressure,calls,loops,"
                    "rounds,spilled_vregs,spill_stores,reloads,remats,moves,frame_bytes,"
                    "obligations,proved,ladder_fired,legacy_rung,legacy_spill_stores,"
                    "legacy_reloads,legacy_moves,legacy_check,legacy_spurious,frame_traffic,legacy_frame_traffic,"
                    "exec_runs,exec_agree,insns_executed,code_bytes,legacy_insns_executed,native_insns" +
                    std::string(kOptimalCsvHeader) + "\n";
  for (const auto &f : r.functions) {
    out += fmt::format("{},{},{},{},{},{},{}", q(f.file), q(f.function), f.status,
                       f.mirInstructions, f.peakPressure, f.calls, f.loops);
    if (f.alloc)
      out += fmt::format(",{},{},{},{},{},{},{}", f.alloc->rounds, f.alloc->spilledVRegs,
                         f.alloc->spillStores, f.alloc->reloads, f.alloc->remats, f.alloc->moves,
                         f.alloc->frameBytes);
    else
      out += ",,,,,,,";
    if (f.check) out += fmt::format(",{},{}", f.check->obligations, f.check->proved);
    else out += ",,";
    out += f.firing ? ",1" : ",0";
    if (f.legacy)
      out += fmt::format(",{},{},{},{},{},{}", f.legacy->rung, f.legacy->spillStores,
                         f.legacy->reloads, f.legacy->moves, f.legacy->check,
                         f.legacy->spurious ? 1 : 0);
    else
      out += ",,,,,,";
    out += fmt::format(",{},{}", f.alloc ? std::to_string(f.alloc->frameTraffic) : "",
                       f.legacy ? std::to_string(f.legacy->frameTraffic) : "");
    const bool ran = f.exec && f.exec->status == "ok";
    if (ran)
      out += fmt::format(",{},{},{},{}", f.exec->runs, f.exec->agree, f.exec->insns, f.exec->codeBytes);
    else
      out += ",,,,";
    out += fmt::format(",{},{}", f.legacy && f.legacy->exec && f.legacy->exec->status == "ok"
                                     ? std::to_string(f.legacy->exec->insns) : "",
                       f.exec && f.exec->nativeInsns ? std::to_string(*f.exec->nativeInsns) : "");
    out += optimalCsv(f.optimal);
    out += "\n";
  }
  return out;
}

}  // namespace vcr::tools
