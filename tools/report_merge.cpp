// Reading verify-alloc JSON reports back and merging the shards of one run.
#include "tools/report_merge.h"
#include "tools/optimal_row.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace vcr::tools {

namespace {

using nlohmann::json;

/// j[key], or a clear error naming the key.
const json &at(const json &j, const char *key) {
  if (!j.is_object() || !j.contains(key))
    throw std::runtime_error(std::string("not a verify-alloc report: no '") + key + "'");
  return j.at(key);
}

template <class T> T opt(const json &j, const char *key, T fallback) {
  return j.contains(key) ? j.at(key).get<T>() : fallback;
}

ExecReport execFromJson(const json &j) {
  ExecReport e;
  e.status = at(j, "status").get<std::string>();
  e.reason = opt<std::string>(j, "reason", "");
  e.runs = opt<unsigned>(j, "runs", 0);
  e.agree = opt<unsigned>(j, "agree", 0);
  e.noVerdict = opt<unsigned>(j, "no_verdict", 0);
  e.nanBitsOnly = opt<unsigned>(j, "agree_up_to_nan_bits", 0);
  e.firstDifference = opt<std::string>(j, "first_difference", "");
  e.insns = opt<uint64_t>(j, "insns_executed", 0);
  e.loads = opt<uint64_t>(j, "loads", 0);
  e.stores = opt<uint64_t>(j, "stores", 0);
  e.workload = opt<bool>(j, "workload", false);
  e.codeBytes = opt<uint32_t>(j, "code_bytes", 0);
  if (j.contains("native_insns")) e.nativeInsns = j.at("native_insns").get<uint64_t>();
  if (j.contains("native_agree")) e.nativeAgree = j.at("native_agree").get<bool>();
  e.nativeNote = opt<std::string>(j, "native_note", "");
  if (j.contains("insns_by_origin")) e.originInsns = j.at("insns_by_origin").get<std::map<std::string, uint64_t>>();
  return e;
}

AllocReport allocFromJson(const json &j) {
  AllocReport a;
  a.rounds = opt<unsigned>(j, "rounds", 0);
  a.spilledVRegs = opt<unsigned>(j, "spilled_vregs", 0);
  a.spillStores = opt<unsigned>(j, "spill_stores", 0);
  a.reloads = opt<unsigned>(j, "reloads", 0);
  a.remats = opt<unsigned>(j, "remats", 0);
  a.movesBefore = opt<unsigned>(j, "moves_before", 0);
  a.moves = opt<unsigned>(j, "moves", 0);
  a.frameBytes = opt<uint32_t>(j, "frame_bytes", 0);
  a.frameTraffic = opt<unsigned>(j, "frame_traffic", 0);
  a.calleeSaved = opt<std::vector<std::string>>(j, "callee_saved", {});
  a.timeUs = opt<uint64_t>(j, "time_us", 0);
  return a;
}

CheckReport checkFromJson(const json &j) {
  CheckReport c;
  c.obligations = at(j, "obligations").get<unsigned>();
  c.proved = at(j, "proved").get<unsigned>();
  c.refuted = at(j, "refuted").get<unsigned>();
  c.unknown = at(j, "unknown").get<unsigned>();
  c.timeUs = opt<uint64_t>(j, "time_us", 0);
  c.failureText = opt<std::string>(j, "failure_text", "");
  c.json = j;
  c.json.erase("failure_text");  // toJson adds it back from failureText
  return c;
}

LegacyReport legacyFromJson(const json &j) {
  LegacyReport l;
  l.rung = at(j, "rung").get<std::string>();
  l.spillStores = opt<unsigned>(j, "spill_stores", 0);
  l.reloads = opt<unsigned>(j, "reloads", 0);
  l.moves = opt<unsigned>(j, "moves", 0);
  l.frameTraffic = opt<unsigned>(j, "frame_traffic", 0);
  l.check = opt<std::string>(j, "check", "-");
  l.spurious = opt<bool>(j, "spurious", false);
  if (j.contains("exec")) l.exec = execFromJson(j.at("exec"));
  if (j.contains("trace")) l.trace = j.at("trace").get<std::vector<std::string>>();
  return l;
}

FunctionReport functionFromJson(const json &j) {
  FunctionReport f;
  f.file = at(j, "file").get<std::string>();
  f.function = at(j, "function").get<std::string>();
  f.status = at(j, "status").get<std::string>();
  f.reason = opt<std::string>(j, "reason", "");
  f.inputError = opt<bool>(j, "input_error", false);
  f.mirInstructions = opt<size_t>(j, "mir_instructions", 0);
  f.vregs = opt<uint32_t>(j, "vregs", 0);
  f.peakPressure = opt<unsigned>(j, "peak_pressure", 0);
  if (j.contains("memory_max_pages")) f.memoryMaxPages = j.at("memory_max_pages").get<uint32_t>();
  f.calls = opt<unsigned>(j, "calls", 0);
  f.loops = opt<unsigned>(j, "loops", 0);
  if (j.contains("alloc")) f.alloc = allocFromJson(j.at("alloc"));
  if (j.contains("check")) f.check = checkFromJson(j.at("check"));
  if (j.contains("ladder_fired")) {
    const json &l = j.at("ladder_fired");
    f.firing = LadderFiring{f.function, at(l, "rung").get<std::string>(),
                            at(l, "reason").get<std::string>()};
  }
  if (j.contains("legacy")) f.legacy = legacyFromJson(j.at("legacy"));
  if (j.contains("optimal")) f.optimal = optimalFromJson(j.at("optimal"));
  if (j.contains("exec")) f.exec = execFromJson(j.at("exec"));
  return f;
}

}  // namespace

Report reportFromJson(const json &j) {
  if (at(j, "tool") != "verify-alloc") throw std::runtime_error("not a verify-alloc report");
  Report r;
  for (const json &f : at(j, "functions")) r.functions.push_back(functionFromJson(f));
  for (const json &d : at(j, "diagnostic_records")) {
    Diagnostic x;
    x.level = static_cast<Diagnostic::Level>(at(d, "level").get<int>());
    x.file = at(d, "file").get<std::string>();
    x.function = at(d, "function").get<std::string>();
    x.line = at(d, "line").get<uint32_t>();
    x.column = at(d, "column").get<uint32_t>();
    x.message = at(d, "message").get<std::string>();
    r.diags.push_back(std::move(x));
    r.diagInput.push_back(at(d, "input").get<int>());
  }
  const json &run = at(j, "run");
  r.inputs = at(run, "inputs").get<std::vector<std::string>>();
  r.shardIndex = at(at(run, "shard"), "index").get<unsigned>();
  r.shardCount = at(at(run, "shard"), "count").get<unsigned>();
  r.pathsFailed = at(run, "paths_failed").get<unsigned>();
  r.permissive = at(run, "permissive").get<bool>();
  r.cpu = run.value("cpu", std::string("cortex-m4"));
  if (run.contains("memory_max")) r.memoryMax = run.at("memory_max").get<uint32_t>();
  r.passesOff = run.value("passes_off", std::string());
  const json &s = at(j, "summary");
  r.filesRead = at(s, "files").get<unsigned>();
  r.filesFailed = at(s, "files_failed").get<unsigned>();
  return r;
}

Report mergeReports(const std::vector<Report> &shards, std::string &error) {
  error.clear();
  if (shards.empty()) {
    error = "no reports to merge";
    return {};
  }
  const Report &first = shards.front();
  const unsigned n = first.shardCount;
  std::vector<const Report *> byIndex(n + 1, nullptr);
  for (const Report &s : shards) {
    if (s.shardCount != n || s.inputs != first.inputs || s.permissive != first.permissive ||
        s.cpu != first.cpu || s.memoryMax != first.memoryMax || s.passesOff != first.passesOff) {
      error = "the reports are not shards of one run (different inputs, shard count, --permissive, --cpu, "
              "--memory-max or --without)";
      return {};
    }
    if (s.shardIndex < 1 || s.shardIndex > n || byIndex[s.shardIndex]) {
      error = "shard " + std::to_string(s.shardIndex) + "/" + std::to_string(n) +
              (s.shardIndex < 1 || s.shardIndex > n ? " is out of range" : " is given twice");
      return {};
    }
    byIndex[s.shardIndex] = &s;
  }
  for (unsigned k = 1; k <= n; ++k)
    if (!byIndex[k]) {
      error = "shard " + std::to_string(k) + "/" + std::to_string(n) + " is missing";
      return {};
    }

  Report m;
  m.inputs = first.inputs;
  m.permissive = first.permissive;
  m.cpu = first.cpu;
  m.memoryMax = first.memoryMax;
  m.passesOff = first.passesOff;
  m.pathsFailed = first.pathsFailed;
  m.filesFailed = first.pathsFailed;
  // Run-wide diagnostics (missing paths, the --allocated file) are in every
  // shard alike: take them once, from the first.
  for (size_t i = 0; i < first.diags.size(); ++i)
    if (first.diagInput[i] < 0) {
      m.diags.push_back(first.diags[i]);
      m.diagInput.push_back(-1);
    }
  // Input i was processed by shard i % n + 1; its rows and diagnostics go
  // back in input order, as one run writes them.
  std::map<std::string, size_t> inputOf;
  for (size_t i = 0; i < m.inputs.size(); ++i) inputOf.emplace(m.inputs[i], i);
  std::vector<std::vector<const FunctionReport *>> rows(m.inputs.size());
  for (const Report &s : shards) {
    m.filesRead += s.filesRead;
    m.filesFailed += s.filesFailed - s.pathsFailed;
    for (const FunctionReport &f : s.functions) {
      auto it = inputOf.find(f.file);
      if (it == inputOf.end()) {
        error = "row of '" + f.file + "' is not one of the run's inputs";
        return {};
      }
      rows[it->second].push_back(&f);
    }
  }
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    const Report &s = *byIndex[i % n + 1];
    for (size_t d = 0; d < s.diags.size(); ++d)
      if (s.diagInput[d] == static_cast<int>(i)) {
        m.diags.push_back(s.diags[d]);
        m.diagInput.push_back(static_cast<int>(i));
      }
    for (const FunctionReport *f : rows[i]) m.functions.push_back(*f);
  }
  return m;
}

}  // namespace vcr::tools
