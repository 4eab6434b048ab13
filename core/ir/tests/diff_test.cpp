// Tests of the shared differential harness: deterministic inputs, and that a
// changed function, a changed store and a changed global are all reported.
#include "core/ir/diff.h"
#include "core/ir/text.h"

#include <doctest/doctest.h>

using namespace vcr::mir;

namespace {

Module parse(const std::string &text) {
  ParseResult p = parseModule(text, "diff_test.mir");
  REQUIRE_MESSAGE(p.module, "parse failed");
  return std::move(*p.module);
}

const char *kVreg = R"(module {
  memory 1
  global 0 mut 5
}
func @f(i32, i32) -> (i32) {
bb0:
  param v0, v1
  add v2, v0, v1
  store.32 v2, [v1+0]
  gset v2, #0
  ret v2
}
)";

}  // namespace

TEST_CASE("inputs are deterministic in the seed and carry the vreg outcome") {
  Module m = parse(kVreg);
  auto a = makeDiffInputs(m, "f", 20, 42);
  auto b = makeDiffInputs(m, "f", 20, 42);
  auto c = makeDiffInputs(m, "f", 20, 43);
  REQUIRE(a.size() == 20);
  CHECK(a[7].args == b[7].args);
  CHECK(a[7].memory == b[7].memory);
  bool differs = false;
  for (size_t i = 0; i < a.size(); ++i) differs |= a[i].args != c[i].args;
  CHECK(differs);
  unsigned returned = 0, trapped = 0;
  for (const auto &in : a) {
    CHECK(in.memory.size() == 65536);
    CHECK(in.globals == std::vector<uint32_t>{5});
    returned += in.expected.status == ExecResult::Status::Returned;
    trapped += in.expected.status == ExecResult::Status::Trapped;
  }
  CHECK(returned > 0);  // pointer-like args stay in bounds
  CHECK(trapped > 0);   // random words go out of bounds
  CHECK(behaviourDifference(m, "f", a).empty());
}

TEST_CASE("a changed result or memory byte or global is a behaviour difference and so is any interpreter error") {
  Module m = parse(kVreg);
  auto inputs = makeDiffInputs(m, "f", 20, 7);
  std::string sub = kVreg;
  sub.replace(sub.find("add v2"), 3, "sub");
  CHECK(behaviourDifference(parse(sub), "f", inputs).find("expected returned") != std::string::npos);

  const DiffInput *ok = nullptr;
  for (const auto &in : inputs)
    if (in.expected.status == ExecResult::Status::Returned) ok = &in;
  REQUIRE(ok);
  std::vector<uint8_t> mem = ok->expectedMemory;
  std::vector<uint32_t> globals = ok->expectedGlobals;
  Observed o{ExecResult::Status::Returned, ok->expected.results, TrapReason::Unreachable, "", mem, globals};
  CHECK(compareOutcome(*ok, o).empty());
  mem[100] ^= 1;
  o.memory = mem;
  CHECK(compareOutcome(*ok, o).rfind("final linear memory differs (first at byte 100; bytes from 96: expected ", 0) == 0);
  mem[100] ^= 1;
  globals[0] += 1;
  o.globals = globals;
  CHECK(compareOutcome(*ok, o) == "final globals differ");
  o.status = ExecResult::Status::Error;
  o.error = "bad";
  CHECK(compareOutcome(*ok, o).find("error: bad") != std::string::npos);
}

TEST_CASE("a dead read of a register holding no value is not an observable difference but a live one is") {
  const char *vreg = R"(func @g(i32) -> (i32) {
bb0:
  param v0
  add v1, v0, #1
  ret v1
}
)";
  Module m = parse(vreg);
  auto inputs = makeDiffInputs(m, "g", 10, 3);
  // r1 holds no value at entry: copied into a register that dies at once.
  Module dead = parse(R"(func @g(i32) -> (i32) allocated {
bb0:
  param r0
  mov r2, r1 !move
  add r0, r0, #1
  ret r0
}
)");
  CHECK(behaviourDifference(dead, "g", inputs).find("holds no value") != std::string::npos);
  CHECK(observableDifference(dead, "g", inputs).empty());
  // The same garbage returned: observable under every seed.
  Module live = parse(R"(func @g(i32) -> (i32) allocated {
bb0:
  param r0
  add r0, r1, #1
  ret r0
}
)");
  CHECK(observableDifference(live, "g", inputs).find("arbitrary contents") != std::string::npos);
  // A real difference is reported as it is, without rerunning.
  Module wrong = parse(R"(func @g(i32) -> (i32) allocated {
bb0:
  param r0
  add r0, r0, #2
  ret r0
}
)");
  CHECK(observableDifference(wrong, "g", inputs).find("expected returned") != std::string::npos);
}

TEST_CASE("NaN-tolerant memory comparison: NaNs of any bits at any offset match, everything else is exact") {
  std::vector<uint8_t> a(32, 0), b(32, 0);
  auto put32 = [](std::vector<uint8_t> &m, size_t at, uint32_t v) {
    for (unsigned k = 0; k < 4; ++k) m[at + k] = static_cast<uint8_t>(v >> (8 * k));
  };
  auto put64 = [](std::vector<uint8_t> &m, size_t at, uint64_t v) {
    for (unsigned k = 0; k < 8; ++k) m[at + k] = static_cast<uint8_t>(v >> (8 * k));
  };
  CHECK(nanTolerantMismatch(a, b, true) == SIZE_MAX);
  put32(a, 5, 0x7fc00000u);  // unaligned f32 NaNs: the default NaN against x86's negative one
  put32(b, 5, 0xffc00000u);
  CHECK(nanTolerantMismatch(a, b, false) == 8);
  CHECK(nanTolerantMismatch(a, b, true) == SIZE_MAX);
  put64(a, 16, 0x7ff8000000000001ull);  // f64 NaNs differing in payload and sign
  put64(b, 16, 0xfff8000000000000ull);
  CHECK(nanTolerantMismatch(a, b, true) == SIZE_MAX);
  b[12] = 1;  // a real difference next to them
  CHECK(nanTolerantMismatch(a, b, true) == 12);
  b[12] = 0;
  put32(a, 24, 0x7f800000u);  // infinity against a NaN: not both NaN, a real difference
  put32(b, 24, 0x7fc00000u);
  CHECK(nanTolerantMismatch(a, b, true) == 26);
  put32(a, 24, 0x3f800000u);  // 1.0 against 1.0000001: exact
  put32(b, 24, 0x3f800001u);
  CHECK(nanTolerantMismatch(a, b, true) == 24);
  CHECK(nanTolerantMismatch(std::vector<uint8_t>(4, 0), std::vector<uint8_t>(5, 0), true) == 4);
}

TEST_CASE("a module computes floats when it holds a float opcode or calls a float runtime routine") {
  CHECK_FALSE(computesFloats(parse(kVreg)));
  CHECK(computesFloats(parse("func @f(i32) -> (i32) {\nbb0:\n  param v0\n  fmovfromint.f32 v1, v0\n"
                             "  fmovtoint.f32 v2, v1\n  ret v2\n}\n")));
  CHECK(computesFloats(parse("func @f(i32) -> (i32) {\nbb0:\n  param v0\n  call @__aeabi_fadd (v0, v0) -> (v1)\n"
                             "  ret v1\n}\n")));
  CHECK_FALSE(computesFloats(parse("module {\n  memory 1\n}\nfunc @f(i32) -> () {\nbb0:\n  param v0\n"
                                   "  call @__vcr_memory_fill (v0, v0, v0) -> ()\n  ret\n}\n")));
}
