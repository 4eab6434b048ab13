// libFuzzer target: the whole pipeline. Input: a .wasm binary (it starts with
// the wasm magic) or .mir text. Property: every function of a valid module is
// selected, allocated and checked with no refuted obligation, or declined with
// a reason. An allocator failure, a refutation, an exception or invalid
// allocated MIR aborts. An "unknown" (solver timeout) is reported but is not
// a crash: a short timeout on a slow machine is no bug of ours.
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"
#include "fuzz/fuzz_util.h"
#include "verifier/checker.h"

#include <cstring>
#include <optional>
#include <vector>

namespace {

using namespace vcr;

/// The module the input describes, or nullopt if it is not a valid one.
std::optional<mir::Module> load(const uint8_t *data, size_t size) {
  Diagnostics diags;
  if (size >= 4 && std::memcmp(data, "\0asm", 4) == 0) {
    auto bin = select::checkWasmBytes(std::vector<uint8_t>(data, data + size), "fuzz.wasm", diags);
    if (!bin) return std::nullopt;
    auto sel = select::selectModule(*bin, diags);
    if (!sel) return std::nullopt;
    for (const auto &d : sel->declined)
      if (d.reason.empty()) fuzz::fail("a function was declined without a reason", d.function);
    return std::move(sel->module);
  }
  auto parsed = mir::parseModule(fuzz::asText(data, size), "fuzz.mir");
  return std::move(parsed.module);
}

/// Allocate and check one function; abort on any failure but "unknown".
void allocateAndCheck(alloc::Allocator &allocator, const mir::Function &f, const mir::Module &m) {
  alloc::AllocOptions ao;
  alloc::AllocResult res = allocator.allocate(f, m, ao);
  if (!res.ok) fuzz::fail("allocator failure on a valid function", f.name + ": " + res.error + "\n" + mir::printFunction(f));
  Diagnostics problems;
  if (!mir::validateFunction(res.function, m, problems))
    fuzz::fail("the allocator produced invalid MIR", problems.front().str() + "\n" + mir::printFunction(res.function));
  verifier::CheckOptions co;
  co.timeoutMs = fuzz::kSolverTimeoutMs;
  verifier::CheckResult cr = verifier::checkFunction(f, res.function, m, co);
  if (cr.refuted)
    fuzz::fail("refuted obligation", cr.summary() + "\n" + mir::printFunction(f) + "\n" + mir::printFunction(res.function));
  if (cr.unknown) std::fprintf(stderr, "vcr-fuzz: note: %u unknown obligation(s) in %s\n", cr.unknown, f.name.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > fuzz::kMaxInputBytes) return -1;
  std::optional<mir::Module> m = load(data, size);
  if (!m) return 0;
  static std::unique_ptr<alloc::Allocator> allocator = alloc::makeGraphColouring();
  size_t budget = 4 * fuzz::kMaxPipelineInstrs;  // per input, over all functions
  for (const mir::Function &f : m->functions) {
    if (f.allocated || f.numInstrs() > fuzz::kMaxPipelineInstrs || f.numInstrs() > budget) continue;
    budget -= f.numInstrs();
    allocateAndCheck(*allocator, f, *m);
  }
  return 0;
}
