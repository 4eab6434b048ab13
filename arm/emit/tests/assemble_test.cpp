// Whole-pipeline assembly test: select + allocate + emit every corpus module and generated modules, then run arm-none-eabi-as.
#include "arm/emit/tests/emit_util.h"

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "arm/target/target.h"
#include "core/alloc/allocator.h"
#include "corpus/gen/wasmgen.h"
#include "tests/size_env.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

using namespace vcr;

namespace {

std::string diagText(const Diagnostics &ds) {
  std::string s;
  for (const auto &d : ds) s += d.str() + "\n";
  return s;
}

/// Select a loaded binary; nullopt only if it cannot be read.
mir::Module selectBinary(const select::WasmBinary &bin) {
  Diagnostics diags;
  auto sel = select::selectModule(bin, diags);
  REQUIRE_MESSAGE(sel.has_value(), diagText(diags));
  return sel->module;
}

/// Allocate every function with the graph-colouring allocator and `pool`;
/// every allocation must succeed.
mir::Module allocate(const mir::Module &m, const std::string &what, const arm::Pool &pool) {
  auto ra = alloc::makeGraphColouring();
  alloc::AllocOptions opt;
  opt.pool = pool;
  alloc::ModuleAllocation a = alloc::allocateModule(*ra, m, opt);
  for (const auto &r : a.results) REQUIRE_MESSAGE(r.ok, what << ": " << r.error);
  return a.module;
}


/// Decline reasons that are accepted for corpus functions under the legacy
/// pool (documented in the emitter's report). Empty: nothing may be declined.
const std::vector<std::string> kAcceptedCorpusDeclines = {};

}  // namespace

TEST_CASE("every corpus module emits and assembles with no function declined") {
  if (!vcr::testing::toolAvailable("arm-none-eabi-as", emit::test::haveAssembler())) return;
  unsigned files = 0, functions = 0;
  std::vector<emit::Declined> declined;
  for (const auto &p : emit::test::corpusFiles()) {
    Diagnostics diags;
    auto bin = select::loadWasmFile(p.string(), diags);
    REQUIRE_MESSAGE(bin.has_value(), diagText(diags));
    mir::Module alloced = allocate(selectBinary(*bin), p.filename().string(), arm::Pool::legacy());
    emit::EmitResult r = emit::emitModule(alloced);
    if (const char *dir = std::getenv("VCR_EMIT_DUMP")) {  // keep the text for inspection
      std::ofstream(std::filesystem::path(dir) / (p.stem().string() + ".s")) << r.asmText;
    }
    emit::test::AsResult as = emit::test::assemble(r.asmText);
    REQUIRE_MESSAGE(as.ok, p.filename().string() << ":\n" << as.output);
    ++files;
    functions += static_cast<unsigned>(r.emitted.size());
    for (auto d : r.declined) {
      d.function = p.filename().string() + ":" + d.function;
      declined.push_back(d);
    }
  }
  MESSAGE(files << " corpus files, " << functions << " functions emitted, " << declined.size()
                << " declined");
  for (const auto &d : declined) {
    MESSAGE("declined " << d.function << ": " << d.reason);
    const bool accepted = std::any_of(kAcceptedCorpusDeclines.begin(), kAcceptedCorpusDeclines.end(),
                                      [&](const std::string &s) { return d.reason.find(s) != std::string::npos; });
    CHECK_MESSAGE(accepted, d.function << ": " << d.reason);
  }
  CHECK(files >= 20);
  CHECK(functions >= 80);
}

TEST_CASE("corpus with the widened pool (r12, lr allocatable): every function emits and assembles") {
  // R12 and LR may hold values: expansions take another free register as
  // scratch, or borrow one around themselves, so nothing is declined.
  if (!vcr::testing::toolAvailable("arm-none-eabi-as", emit::test::haveAssembler())) return;
  const arm::Pool wide = arm::Pool::parse("r0-r8,r12,lr");
  unsigned emitted = 0;
  for (const auto &p : emit::test::corpusFiles()) {
    Diagnostics diags;
    auto bin = select::loadWasmFile(p.string(), diags);
    REQUIRE(bin.has_value());
    emit::EmitResult r = emit::emitModule(allocate(selectBinary(*bin), p.filename().string(), wide));
    emit::test::AsResult as = emit::test::assemble(r.asmText);
    REQUIRE_MESSAGE(as.ok, p.filename().string() << ":\n" << as.output);
    emitted += static_cast<unsigned>(r.emitted.size());
    for (const auto &d : r.declined) CHECK_MESSAGE(false, p.filename().string() << ":" << d.function << ": " << d.reason);
  }
  MESSAGE("widened pool: " << emitted << " functions emitted");
  CHECK(emitted >= 80);
}

TEST_CASE("generated modules emit and assemble") {
  if (!vcr::testing::toolAvailable("arm-none-eabi-as", emit::test::haveAssembler())) return;
  // Floor 20: fewer modules leave most generator shapes untried.
  const unsigned n = vcr::testing::envCount("VCR_EMIT_GEN", 300, 20);
  unsigned functions = 0, declinedCount = 0;
  for (unsigned k = 0; k < n; ++k) {
    gen::GenOptions o;
    o.seed = 1000 + k;
    o.size = 20 + (k * 7) % 70;
    o.pressure = 2 + (k * 5) % 16;
    o.callShare = (k % 4) * 0.08;
    o.i64Share = (k % 5) * 0.15;
    o.memShare = ((k + 2) % 4) * 0.1;
    o.loopShare = (k % 3) * 0.1;
    o.helpers = k % 4;
    o.imports = k % 2 == 0;
    const std::string what = "generated module seed " + std::to_string(o.seed);
    Diagnostics diags;
    auto bin = select::watToWasm(gen::generateWat(o), what, diags);
    REQUIRE_MESSAGE(bin.has_value(), what << "\n" << diagText(diags));
    mir::Module alloced = allocate(selectBinary(*bin), what, arm::Pool::legacy());
    emit::EmitResult r = emit::emitModule(alloced);
    for (const auto &d : r.declined) {
      ++declinedCount;
      CHECK_MESSAGE(false, what << ": declined " << d.function << ": " << d.reason);
    }
    functions += static_cast<unsigned>(r.emitted.size());
    emit::test::AsResult as = emit::test::assemble(r.asmText);
    REQUIRE_MESSAGE(as.ok, what << ":\n" << as.output);
  }
  MESSAGE(n << " generated modules, " << functions << " functions emitted, " << declinedCount
            << " declined");
  CHECK(functions >= n);
}

TEST_CASE("disassembly: no shift by #32 (a mis-encoded #0), trap codes as intended") {
  if (!vcr::testing::toolAvailable("arm-none-eabi-as", emit::test::haveAssembler())) return;
  if (!vcr::testing::toolAvailable("arm-none-eabi-objdump")) return;
  Diagnostics diags;
  auto bin = select::loadWasmFile(std::string(VCR_SOURCE_DIR) + "/corpus/kernels/bits.wasm", diags);
  REQUIRE(bin.has_value());
  emit::EmitResult r =
      emit::emitModule(allocate(selectBinary(*bin), "bits.wasm", arm::Pool::legacy()));
  emit::test::AsResult dis = emit::test::assemble(r.asmText, /*objdump=*/true);
  REQUIRE_MESSAGE(dis.ok, dis.output);
  CHECK_FALSE(std::regex_search(dis.output, std::regex(R"((lsr|asr|lsl|ror)s?(\.w)?\s+\S+, \S+, #32)")));
  CHECK_FALSE(std::regex_search(dis.output, std::regex(R"(\budf(\.w)?\s+#(?!1[6-9]\b))")));
  CHECK(dis.output.find("vcr_fn_") != std::string::npos);
}
