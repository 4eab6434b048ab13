// Ladder test helpers: corpus selection and the vreg-vs-allocated interpreter differential.
#include "ladder/tests/diff.h"

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/ir/interp.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

namespace vcr::ladder::test {

namespace {

mir::ExecEnv makeEnv(const mir::Module &m, uint64_t seed) {
  mir::ExecEnv env;
  env.memory.resize(static_cast<size_t>(m.memoryPages) * 65536);
  std::mt19937_64 rng(seed);
  for (auto &b : env.memory) b = static_cast<uint8_t>(rng());
  for (const auto &g : m.globals) env.globals.push_back(g.init);
  env.fuel = 2'000'000;
  return env;
}

std::string statusName(mir::ExecResult::Status s) {
  switch (s) {
  case mir::ExecResult::Status::Returned: return "returned";
  case mir::ExecResult::Status::Trapped: return "trapped";
  case mir::ExecResult::Status::Exhausted: return "exhausted";
  case mir::ExecResult::Status::Error: return "error";
  }
  return "?";
}

}  // namespace

Diff differential(const mir::Module &vregForm, const mir::Module &allocated, const std::string &fn,
                  unsigned inputs, uint64_t seed) {
  Diff d;
  const mir::Function *f = vregForm.findFunction(fn);
  if (!f) return {false, "no function " + fn, 0};
  std::mt19937_64 rng(seed);
  for (unsigned n = 0; n < inputs && d.same; ++n) {
    std::vector<uint64_t> args;
    for (auto t : f->sig.params) {
      uint64_t v = rng();
      if (n % 4 == 0) v %= 16;  // small values reach loop bodies and branches
      args.push_back(t == mir::ValType::I32 ? (v & 0xffffffffu) : v);
    }
    mir::ExecEnv e1 = makeEnv(vregForm, seed + n), e2 = makeEnv(vregForm, seed + n);
    mir::ExecResult r1 = mir::execute(vregForm, fn, args, e1);
    mir::ExecResult r2 = mir::execute(allocated, fn, args, e2);
    std::string in = " (input " + std::to_string(n) + ")";
    if (r1.status == mir::ExecResult::Status::Exhausted || r2.status == mir::ExecResult::Status::Exhausted) continue;
    ++d.runs;
    if (r1.status == mir::ExecResult::Status::Error || r2.status == mir::ExecResult::Status::Error)
      return {false, "interpreter error" + in + ": vreg '" + r1.error + "', allocated '" + r2.error + "'", d.runs};
    if (r1.status != r2.status) return {false, "status " + statusName(r1.status) + " vs " + statusName(r2.status) + in, d.runs};
    if (r1.status == mir::ExecResult::Status::Trapped && r1.trap != r2.trap) return {false, "trap reason differs" + in, d.runs};
    if (r1.results != r2.results) return {false, "results differ" + in, d.runs};
    if (e1.memory != e2.memory) return {false, "memory differs" + in, d.runs};
    if (e1.globals != e2.globals) return {false, "globals differ" + in, d.runs};
  }
  return d;
}

std::vector<std::string> corpusFiles() {
  std::vector<std::string> out;
  for (const auto &e : std::filesystem::recursive_directory_iterator(std::string(VCR_SOURCE_DIR) + "/corpus")) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".wat" || ext == ".wasm")) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

mir::Module selectFile(const std::string &path) {
  static std::map<std::string, mir::Module> cache;  // selection is the slow part of these tests
  if (auto it = cache.find(path); it != cache.end()) return it->second;
  Diagnostics diags;
  auto bin = select::loadWasmFile(path, diags);
  std::optional<select::Selection> sel;
  if (bin) sel = select::selectModule(*bin, diags);
  std::string errs;
  for (const auto &dg : diags) errs += dg.str() + "\n";
  REQUIRE_MESSAGE(sel.has_value(), errs);
  cache[path] = sel->module;
  return sel->module;
}

}  // namespace vcr::ladder::test
