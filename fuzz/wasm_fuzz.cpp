// libFuzzer target: .wasm bytes -> wabt read + validate -> instruction selection.
// Property: never crash; whatever selection produces is valid vreg-form MIR.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"
#include "fuzz/fuzz_util.h"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > vcr::fuzz::kMaxInputBytes) return -1;
  vcr::Diagnostics diags;
  auto bin = vcr::select::checkWasmBytes(std::vector<uint8_t>(data, data + size), "fuzz.wasm", diags);
  if (!bin) {
    if (!vcr::hasErrors(diags)) vcr::fuzz::fail("rejected binary without an error diagnostic");
    return 0;
  }
  auto sel = vcr::select::selectModule(*bin, diags);
  if (!sel) {
    if (!vcr::hasErrors(diags)) vcr::fuzz::fail("selection failed without an error diagnostic");
    return 0;
  }
  vcr::Diagnostics problems;
  if (!vcr::mir::validateModule(sel->module, problems)) {
    std::string text;
    for (const auto &d : problems) text += d.str() + "\n";
    vcr::fuzz::fail("selection produced invalid MIR", text + vcr::mir::printModule(sel->module));
  }
  for (const auto &d : sel->declined)
    if (d.reason.empty()) vcr::fuzz::fail("a function was declined without a reason", d.function);
  return 0;
}
