// Tests of `calli` (wasm call_indirect): the three table traps, dispatch in
// vreg and allocated form, imports in the table, the text form and validation.
#include "core/ir/interp.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <string>

using namespace vcr::mir;
using Status = ExecResult::Status;

namespace {

constexpr const char *kHeader = R"(
module {
  import @env.log (i32) -> (i32)
  type 0 (i32) -> (i32)
  type 1 (i64) -> (i64)
  type 2 (i32) -> (i32)
  table 7
  elem 0 @inc 0
  elem 1 @dbl 0
  elem 3 @wide 1
  elem 4 opaque
  elem 5 @env.log 0
  elem 6 @other 2
}
func @inc(i32) -> (i32) {
bb0:
  param v0
  add v1, v0, #1
  ret v1
}
func @dbl(i32) -> (i32) {
bb0:
  param v0
  add v1, v0, v0
  ret v1
}
func @wide(i64) -> (i64) {
bb0:
  param v0, v1
  ret v1, v0
}
func @other(i32) -> (i32) {
bb0:
  param v0
  ret v0
}
)";

/// dispatch(k, x) = 100 + table[k](x) through signature id 0; wide(k, x) through id 1.
constexpr const char *kVreg = R"(
func @dispatch(i32, i32) -> (i32) {
bb0:
  param v0, v1
  movi v2, #100
  calli #0, v0 (v1) -> (v3)
  add v4, v3, v2
  ret v4
}
func @callwide(i32, i64) -> (i64) {
bb0:
  param v0, v1, v2
  calli #1, v0 (v1, v2) -> (v3, v4)
  ret v3, v4
}
)";

/// The same dispatch, allocated: the index in r4 (callee-saved, pushed).
constexpr const char *kAlloc = R"(
func @dispatch(i32, i32) -> (i32) allocated {
bb0:
  param r0, r1
  push r4, r5, r6, lr !prologue
  mov r4, r0 !move
  mov r0, r1 !move
  movi r5, #100
  calli #0, r4 (r0) -> (r0)
  add r0, r0, r5
  pop r4, r5, r6, lr !epilogue
  ret r0
}
)";

Module parseOk(const std::string &text) {
  ParseResult p = parseModule(text, "interp_calli_test.mir");
  for (const auto &d : p.diags) MESSAGE(d.str());
  REQUIRE(p.module.has_value());
  return *p.module;
}

/// The allocated callees of kHeader (only @inc, @dbl and @other are called here).
std::string allocatedHeader() {
  std::string h = kHeader;
  for (const char *f : {"inc", "dbl", "other"}) {
    const std::string from = std::string("func @") + f + "(i32) -> (i32) {";
    h.replace(h.find(from), from.size(), std::string("func @") + f + "(i32) -> (i32) allocated {");
  }
  auto swap = [&](const std::string &a, const std::string &b) { h.replace(h.find(a), a.size(), b); };
  swap("  param v0\n  add v1, v0, #1\n  ret v1", "  param r0\n  add r0, r0, #1\n  ret r0");
  swap("  param v0\n  add v1, v0, v0\n  ret v1", "  param r0\n  add r0, r0, r0\n  ret r0");
  swap("func @wide(i64) -> (i64) {\nbb0:\n  param v0, v1\n  ret v1, v0\n}\n", "");
  swap("  param v0\n  ret v0", "  param r0\n  ret r0");
  return h;
}

ExecResult run(const Module &m, std::string_view fn, std::vector<uint64_t> args) {
  ExecEnv env;
  return execute(m, fn, args, env);
}

}  // namespace

TEST_CASE("calli: dispatch and the three traps in vreg and allocated form") {
  const Module vm = parseOk(std::string(kHeader) + kVreg);
  const Module am = parseOk(allocatedHeader() + kAlloc);
  for (const Module *m : {&vm, &am}) {
    CAPTURE(m == &am);
    ExecResult r = run(*m, "dispatch", {0, 41});
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == 142);
    r = run(*m, "dispatch", {1, 21});
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == 142);
    const std::pair<uint64_t, TrapReason> traps[] = {
        {2, TrapReason::NullFunc},     // null slot
        {3, TrapReason::BadSig},       // (i64) -> (i64)
        {4, TrapReason::BadSig},       // opaque
        {6, TrapReason::BadSig},       // same MIR signature, another signature id
        {7, TrapReason::TableOob},     // one past the end
        {0xFFFFFFFFu, TrapReason::TableOob}};
    for (const auto &[slot, why] : traps) {
      const uint64_t k = slot;  // clang 14: a structured binding cannot be captured (CAPTURE's lambda)
      CAPTURE(k);
      r = run(*m, "dispatch", {k, 5});
      REQUIRE_MESSAGE(r.status == Status::Trapped, r.error);
      CHECK(r.trap == why);
    }
    // an import in the table: the host's answer, as a direct call gets it
    r = run(*m, "dispatch", {5, 9});
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    const Import *log = m->findImport("env.log");
    REQUIRE(log != nullptr);
    const uint64_t nine = 9;
    CHECK(r.results.at(0) == ((mixHost(*log, std::span<const uint64_t>(&nine, 1)).at(0) + 100) & 0xFFFFFFFFu));
  }
  ExecResult w = run(vm, "callwide", {3, 0x1122334455667788ull});
  REQUIRE_MESSAGE(w.status == Status::Returned, w.error);
  CHECK(w.results.at(0) == 0x5566778811223344ull);
  CHECK(run(vm, "callwide", {0, 1}).trap == TrapReason::BadSig);
}

TEST_CASE("calli: an index register that holds no value is an Error, not a trap") {
  std::string text = allocatedHeader() + kAlloc;
  text.replace(text.find("calli #0, r4"), 12, "calli #0, r2");
  const ExecResult r = run(parseOk(text), "dispatch", {0, 1});
  CHECK(r.status == Status::Error);
  CHECK(r.error.find("r2") != std::string::npos);
}

TEST_CASE("calli: a table slot whose function is missing is an Error when called") {
  std::string text = allocatedHeader() + kAlloc;
  text.replace(text.find("elem 1 @dbl 0"), 13, "elem 1 @gone 0");
  const Module m = parseOk(text);
  CHECK(run(m, "dispatch", {0, 1}).status == Status::Returned);
  const ExecResult r = run(m, "dispatch", {1, 1});
  CHECK(r.status == Status::Error);
  CHECK(r.error.find("@gone") != std::string::npos);
}

TEST_CASE("calli: text round trip and validation") {
  const Module m = parseOk(std::string(kHeader) + kVreg);
  CHECK(m.table.size() == 7);
  CHECK(m.table[2].kind == TableSlot::Kind::Null);
  CHECK(m.table[4].kind == TableSlot::Kind::Opaque);
  CHECK(printModule(parseOk(printModule(m))) == printModule(m));
  vcr::Diagnostics ds;
  CHECK(validateModule(m, ds));
  Module bad = m;
  bad.table[0].type = 1;  // @inc is not (i64) -> (i64)
  bad.functions[4].blocks[0].instrs[2].imm = 9;  // no signature id 9
  ds.clear();
  CHECK_FALSE(validateModule(bad, ds));
  std::string all;
  for (const auto &d : ds) all += d.str() + "\n";
  CHECK(all.find("table slot 0") != std::string::npos);
  CHECK(all.find("signature id #9") != std::string::npos);
  CHECK_FALSE(parseModule("module {\n  table 2\n  elem 2 opaque\n}\n", "t").module.has_value());
}
