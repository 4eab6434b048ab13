// libFuzzer target: .wat text -> wabt parse, resolve, validate, encode (the
// wasm_load text path) -> instruction selection. Property: never crash; a
// rejected text has an error diagnostic; selection output is valid MIR.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/ir/validate.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > vcr::fuzz::kMaxInputBytes) return -1;
  vcr::Diagnostics diags;
  auto bin = vcr::select::watToWasm(vcr::fuzz::asText(data, size), "fuzz.wat", diags);
  if (!bin) {
    if (!vcr::hasErrors(diags)) vcr::fuzz::fail("rejected text without an error diagnostic");
    return 0;
  }
  auto sel = vcr::select::selectModule(*bin, diags);
  if (!sel) return 0;
  vcr::Diagnostics problems;
  if (!vcr::mir::validateModule(sel->module, problems))
    vcr::fuzz::fail("selection produced invalid MIR", problems.front().str());
  return 0;
}
