// Ladder test helpers: corpus selection and the vreg-vs-allocated interpreter differential.
#include "ladder/tests/diff.h"

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/ir/diff.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace vcr::ladder::test {

Diff differential(const mir::Module &vregForm, const mir::Module &allocated, const std::string &fn,
                  unsigned inputs, uint64_t seed) {
  if (!vregForm.findFunction(fn)) return {false, "no function " + fn, 0};
  std::vector<mir::DiffInput> in = mir::makeDiffInputs(vregForm, fn, inputs, seed);
  std::string why = mir::behaviourDifference(allocated, fn, in);
  return {why.empty(), why, static_cast<unsigned>(in.size())};
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

mir::Module selectFile(const std::string &path, arm::Cpu cpu) {
  static std::map<std::string, mir::Module> cache;  // selection is the slow part of these tests
  const std::string key = path + "|" + std::string(arm::cpuName(cpu));
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  Diagnostics diags;
  auto bin = select::loadWasmFile(path, diags);
  std::optional<select::Selection> sel;
  select::SelectOptions so;
  so.cpu = cpu;
  if (bin) sel = select::selectModule(*bin, diags, so);
  std::string errs;
  for (const auto &dg : diags) errs += dg.str() + "\n";
  REQUIRE_MESSAGE(sel.has_value(), errs);
  cache[key] = sel->module;
  return sel->module;
}

}  // namespace vcr::ladder::test
