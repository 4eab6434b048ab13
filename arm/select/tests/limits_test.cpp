// Tests of the input limits (arm/select/wasm_limits.h): deep nesting and
// absurd local counts are rejected with an error naming the place, never a
// stack overflow or an out-of-memory kill.
#include "arm/select/select.h"
#include "arm/select/wasm_limits.h"
#include "arm/select/wasm_load.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace vcr;
using namespace vcr::select;

namespace {

void leb(std::vector<uint8_t> &out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? b | 0x80 : b);
  } while (v);
}

void section(std::vector<uint8_t> &out, uint8_t id, const std::vector<uint8_t> &body) {
  out.push_back(id);
  leb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

/// A module with one function () -> (): `locals` (count, valtype) pairs, then `code` and `end`.
std::vector<uint8_t> oneFunction(const std::vector<std::pair<uint64_t, uint8_t>> &locals,
                                 const std::vector<uint8_t> &code) {
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  section(m, 1, {0x01, 0x60, 0x00, 0x00});
  section(m, 3, {0x01, 0x00});
  std::vector<uint8_t> body;
  leb(body, locals.size());
  for (auto [n, t] : locals) {
    leb(body, n);
    body.push_back(t);
  }
  body.insert(body.end(), code.begin(), code.end());
  body.push_back(0x0b);
  std::vector<uint8_t> code_section = {0x01};
  leb(code_section, body.size());
  code_section.insert(code_section.end(), body.begin(), body.end());
  section(m, 10, code_section);
  return m;
}

/// `depth` nested empty blocks (or loops): block ... block end ... end.
std::vector<uint8_t> nestedBlocks(uint32_t depth, uint8_t opener = 0x02) {
  std::vector<uint8_t> code;
  for (uint32_t i = 0; i < depth; ++i) code.insert(code.end(), {opener, 0x40});
  code.insert(code.end(), depth, 0x0b);
  return code;
}

std::string allText(const Diagnostics &ds) {
  std::string s;
  for (const auto &d : ds) s += d.str() + "\n";
  return s;
}

}  // namespace

TEST_CASE("limits: a binary nested as deep as the limit loads and selects") {
  Diagnostics diags;
  auto bin = checkWasmBytes(oneFunction({}, nestedBlocks(kMaxNesting)), "deep.wasm", diags);
  REQUIRE_MESSAGE(bin, allText(diags));
  auto sel = selectModule(*bin, diags);
  REQUIRE(sel);
  CHECK(sel->declined.empty());
  CHECK(sel->module.functions.size() == 1);
}

TEST_CASE("limits: a binary nested deeper than the limit is an error naming function and offset") {
  for (uint8_t opener : {uint8_t{0x02}, uint8_t{0x03}}) {
    Diagnostics diags;
    auto bin = checkWasmBytes(oneFunction({}, nestedBlocks(kMaxNesting + 1, opener)), "deep.wasm", diags);
    CHECK_FALSE(bin);
    std::string text = allText(diags);
    CHECK(text.find("deep.wasm") != std::string::npos);
    CHECK(text.find("function 0: block/loop/if nesting deeper than 1000") != std::string::npos);
    CHECK(text.find("byte offset 0x") != std::string::npos);
  }
}

TEST_CASE("limits: a million nested blocks are rejected, not a stack overflow") {
  Diagnostics diags;
  CHECK_FALSE(checkWasmBytes(oneFunction({}, nestedBlocks(1000000)), "million.wasm", diags));
  CHECK(allText(diags).find("nesting deeper than") != std::string::npos);
}

TEST_CASE("limits: millions of locals in a few bytes are an error, not an out-of-memory kill") {
  // wabt itself refuses 2^28 or more; below that, vcr-ra's limit applies.
  Diagnostics diags;
  auto bytes = oneFunction({{0x0FFFFFFFu, 0x7f}}, {});
  CHECK(bytes.size() < 40);
  CHECK_FALSE(checkWasmBytes(bytes, "locals.wasm", diags));
  std::string text = allText(diags);
  CHECK(text.find("locals.wasm: error: function 0: declares") != std::string::npos);
  CHECK(text.find("locals, more than the limit of 50000 (at byte offset 0x") != std::string::npos);
  diags.clear();
  CHECK_FALSE(checkWasmBytes(oneFunction({{0xFFFFFFFFu, 0x7f}}, {}), "four-billion.wasm", diags));
  CHECK(allText(diags).find("local count") != std::string::npos);
}

TEST_CASE("limits: locals up to the limit, split over declarations, load") {
  Diagnostics diags;
  CHECK(checkWasmBytes(oneFunction({{kMaxLocals / 2, 0x7f}, {kMaxLocals / 2, 0x7e}}, {}), "ok.wasm", diags));
  CHECK_FALSE(checkWasmBytes(oneFunction({{kMaxLocals / 2, 0x7f}, {kMaxLocals / 2 + 1, 0x7e}}, {}),
                             "over.wasm", diags));
}

TEST_CASE("limits: wat nested deeper than the limit is an error with line and column") {
  std::string folded = "(module (func\n";
  for (uint32_t i = 0; i <= kMaxNesting; ++i) folded += "(block ";
  folded += std::string(kMaxNesting + 1, ')') + "))";
  Diagnostics diags;
  CHECK_FALSE(watToWasm(folded, "folded.wat", diags));
  // module and func open two levels: the 999th "(block " of line 2 is level 1001.
  CHECK(allText(diags).find("folded.wat:2:" + std::to_string(7 * 998 + 1) +
                            ": error: nesting deeper than 1000") != std::string::npos);

  std::string flat = "(module (func\n";
  for (uint32_t i = 0; i <= kMaxNesting; ++i) flat += "block\n";
  for (uint32_t i = 0; i <= kMaxNesting; ++i) flat += "end\n";
  flat += "))";
  diags.clear();
  CHECK_FALSE(watToWasm(flat, "flat.wat", diags));
  CHECK(allText(diags).find("flat.wat:1000:1: error: nesting deeper") != std::string::npos);
}

TEST_CASE("limits: an annotation never closed is an error with line and column, not a hang in wabt") {
  // Found by the wat fuzzer: wabt 1.0.32 skips an annotation token by token
  // and never stops at the end of the text.
  Diagnostics diags;
  CHECK_FALSE(watToWasm("(module\n  (@custom \"a\" \"b\")\n  (@custom \"p\" (after type) \"x\"\n", "open.wat",
                        diags));
  CHECK(allText(diags).find("open.wat:3:3: error: annotation '(@' is never closed") != std::string::npos);
  // closed ones, and "(@" inside strings and comments, still load
  diags.clear();
  CHECK(watToWasm("(module (@custom \"a\" \"(@\") ;; (@x\n (func (export \"(@f\")))", "ok.wat", diags));
  CHECK(diags.empty());
}

TEST_CASE("limits: wat at the limit, with parentheses in comments and strings, converts") {
  std::string text = "(module ;; ((((\n (; nested (; ((( ;) ;) (func (export \"((((\")\n";
  for (uint32_t i = 0; i + 2 < kMaxNesting; ++i) text += "block ";
  for (uint32_t i = 0; i + 2 < kMaxNesting; ++i) text += "end ";
  text += "))";
  Diagnostics diags;
  auto bin = watToWasm(text, "edge.wat", diags);
  CHECK_MESSAGE(bin, allText(diags));
}

TEST_CASE("limits: a million open parentheses in wat are rejected quickly") {
  std::string text(1000000, '(');
  Diagnostics diags;
  CHECK_FALSE(watToWasm(text, "parens.wat", diags));
  CHECK(allText(diags).find("nesting deeper than 1000") != std::string::npos);
}

TEST_CASE("limits: a loop in a global's initialiser is an error, not wabt's assertion failure") {
  // Found by fuzz_wasm: wabt 1.0.32's IR reader aborts on this module.
  const std::string path = VCR_SOURCE_DIR "/fuzz/seeds/wasm/crash-wabt-block-in-global-init.wasm";
  Diagnostics diags;
  CHECK_FALSE(loadWasmFile(path, diags));
  CHECK(allText(diags).find("block, loop, if or try in a constant expression (at byte offset 0x") !=
        std::string::npos);
}

TEST_CASE("limits: malformed binaries on which wabt's IR reader aborts are errors with their offset") {
  // Found by fuzz_pipeline (mutations of corpus/kernels/fir.wasm): a global
  // initialiser holding `unreachable`, and one holding nothing. The streaming
  // validator (wabt's interpreter reader) rejects them before the IR reader runs.
  for (const char *name : {"/fuzz/seeds/pipeline/crash-wabt-unreachable-global-init.wasm",
                           "/fuzz/seeds/wasm/crash-wabt-empty-global-init.wasm"}) {
    Diagnostics diags;
    CHECK_FALSE(loadWasmFile(std::string(VCR_SOURCE_DIR) + name, diags));
    INFO(allText(diags));
    CHECK(allText(diags).find("initializer") != std::string::npos);
    CHECK(allText(diags).find("(at byte offset ") != std::string::npos);
  }
}

TEST_CASE("limits: a function body must end with the `end` that closes it, and nothing may follow it") {
  const std::vector<uint8_t> head = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01,
                                     0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00};
  auto module = [&](std::vector<uint8_t> body) {
    std::vector<uint8_t> b = head;
    b.push_back(0x0a);
    b.push_back(static_cast<uint8_t>(body.size() + 2));
    b.push_back(0x01);
    b.push_back(static_cast<uint8_t>(body.size()));
    b.insert(b.end(), body.begin(), body.end());
    return b;
  };
  Diagnostics diags;
  // block nop end, and no `end` for the body: wabt 1.0.32 accepts this one
  CHECK_FALSE(checkWasmBytes(module({0x00, 0x02, 0x40, 0x01, 0x0b}), "open.wasm", diags));
  CHECK(allText(diags).find("open.wasm: error: function 0: the body ends inside a block") != std::string::npos);
  diags.clear();
  CHECK_FALSE(checkWasmBytes(module({0x00, 0x0b, 0x01, 0x0b}), "after.wasm", diags));
  CHECK(allText(diags).find("function 0: an instruction after the `end` that closes the function body") !=
        std::string::npos);
  diags.clear();
  CHECK(checkWasmBytes(module({0x00, 0x02, 0x40, 0x01, 0x0b, 0x0b}), "ok.wasm", diags));
  CHECK(diags.empty());
}
