// MIR text round-trips on every corpus function, in vreg and allocated form.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/ir/text.h"
#include "tools/pipeline.h"

#include <doctest/doctest.h>

namespace {
/// print -> parse -> print must reproduce the text exactly.
void checkRoundTrip(const vcr::mir::Module &m, const std::string &what) {
  std::string once = vcr::mir::printModule(m);
  auto parsed = vcr::mir::parseModule(once, what);
  for (const auto &d : parsed.diags) FAIL_CHECK(d.str());
  REQUIRE_MESSAGE(parsed.module.has_value(), what);
  CHECK_MESSAGE(vcr::mir::printModule(*parsed.module) == once, what);
}
}  // namespace

TEST_CASE("every corpus module round-trips through the MIR text format in both forms") {
  vcr::Diagnostics diags;
  auto files = vcr::tools::collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags);
  REQUIRE(diags.empty());
  unsigned modules = 0, functions = 0;
  auto allocator = vcr::alloc::makeGraphColouring();
  for (const auto &file : files) {
    if (file.ends_with(".mir")) continue;
    auto bin = vcr::select::loadWasmFile(file, diags);
    REQUIRE_MESSAGE(bin.has_value(), file);
    auto sel = vcr::select::selectModule(*bin, diags);
    REQUIRE_MESSAGE(sel.has_value(), file);
    checkRoundTrip(sel->module, file + " (vreg form)");
    auto allocated = vcr::alloc::allocateModule(*allocator, sel->module, {});
    for (const auto &r : allocated.results) CHECK_MESSAGE(r.ok, file, ": ", r.error);
    checkRoundTrip(allocated.module, file + " (allocated form)");
    ++modules;
    functions += static_cast<unsigned>(sel->module.functions.size());
  }
  MESSAGE(modules, " modules, ", functions, " functions round-tripped");
  CHECK(modules >= 20);
  CHECK(functions >= 80);
}
