// memgrow in the reference interpreter (docs/mir.md "Growing memory"), both
// forms; the module header's `max`, its printer, parser and validator.
#include "core/ir/interp.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <string>

using namespace vcr::mir;
using Status = ExecResult::Status;

namespace {

Module parse(const std::string &text) {
  ParseResult r = parseModule(text, "grow.mir");
  std::string d;
  for (const auto &x : r.diags) d += x.str() + "\n";
  REQUIRE_MESSAGE(r.module.has_value(), d);
  return std::move(*r.module);
}

// @g(delta): d = memgrow delta; store delta at the last word of the memory
// (size*65536 - 4, an access that traps when the size is 0); return d * 1000 + memsize.
const char *kGrow = R"(module {
  memory 1 max 3
}
func @g(i32) -> (i32) {
bb0:
  param v0
  memgrow v1, v0
  memsize v2
  shl v3, v2, #16
  sub v4, v3, #4
  store.32 v0, [v4+0]
  mul v5, v1, #1000
  add v6, v5, v2
  ret v6
}
)";

const char *kGrowAlloc = R"(module {
  memory 1 max 3
}
func @g(i32) -> (i32) allocated {
bb0:
  param r0
  memgrow r1, r0
  memsize r2
  shl r3, r2, #16
  sub r3, r3, #4
  store.32 r0, [r3+0]
  mul r1, r1, #1000
  add r0, r1, r2
  ret r0
}
)";

struct Outcome {
  ExecResult r;
  std::vector<uint8_t> memory;
};

Outcome run(const Module &m, uint32_t delta, size_t pages = 1) {
  ExecEnv env;
  env.memory.assign(pages * 65536, 0xab);
  Outcome o{execute(m, "g", std::vector<uint64_t>{delta}, env), {}};
  o.memory = std::move(env.memory);
  return o;
}

}  // namespace

TEST_CASE("memgrow: vreg and allocated forms grow, zero-fill, fail past the maximum") {
  const Module v = parse(kGrow), a = parse(kGrowAlloc);
  for (const Module *m : {&v, &a}) {
    CAPTURE(m->functions[0].allocated);
    Outcome g0 = run(*m, 0);  // grow 0: the size
    REQUIRE(g0.r.status == Status::Returned);
    CHECK(g0.r.results[0] == 1 * 1000 + 1);
    CHECK(g0.memory.size() == 65536);
    Outcome g2 = run(*m, 2);  // 1 + 2 = the maximum
    REQUIRE(g2.r.status == Status::Returned);
    CHECK(g2.r.results[0] == 1 * 1000 + 3);
    REQUIRE(g2.memory.size() == 3 * 65536);
    CHECK(g2.memory[65535] == 0xab);  // the old page keeps its bytes
    CHECK(g2.memory[65536] == 0);     // the new pages are zero
    CHECK(g2.memory[3 * 65536 - 4] == 2);  // the store in the last new page
    for (uint32_t delta : {3u, 65536u, 0x7fffffffu, 0xffffffffu}) {  // past the maximum: -1, no change
      CAPTURE(delta);
      Outcome f = run(*m, delta);
      REQUIRE(f.r.status == Status::Returned);
      CHECK(f.r.results[0] == uint32_t(0xffffffffu * 1000u + 1));
      CHECK(f.memory.size() == 65536);
    }
    Outcome big = run(*m, 1, 3);  // a memory already at the maximum cannot grow
    REQUIRE(big.r.status == Status::Returned);
    CHECK(big.r.results[0] == uint32_t(0xffffffffu * 1000u + 3));
  }
}

TEST_CASE("memgrow: an access past the current size traps though the page is reserved") {
  // allocated form: the image is reserved at the maximum, the bound is R10
  const Module a = parse(R"(module {
  memory 1 max 2
}
func @g(i32) -> (i32) allocated {
bb0:
  param r0
  movi r1, #65536
  load.32 r0, [r1+0]
  ret r0
}
)");
  Outcome o = run(a, 0);
  CHECK(o.r.status == Status::Trapped);
  CHECK(o.r.trap == TrapReason::OutOfBounds);
  CHECK(o.memory.size() == 65536);  // cut back to the size the run ended with
}

TEST_CASE("memgrow: R10 must hold the current size at a return, not its entry value") {
  const Module stale = parse(R"(module {
  memory 1 max 2
}
func @g(i32) -> (i32) allocated {
bb0:
  param r0
  push r4, r10 !prologue
  memgrow r0, r0
  pop r4, r10 !epilogue
  ret r0
}
)");
  Outcome same = run(stale, 0);  // no growth: R10 is still the size
  CHECK(same.r.status == Status::Returned);
  Outcome grown = run(stale, 1);
  CHECK(grown.r.status == Status::Error);
  CHECK(grown.r.error.find("r10 at the return of @g") != std::string::npos);
}

TEST_CASE("memory maximum: text round trip, parse errors, validator") {
  const Module v = parse(kGrow);
  REQUIRE(v.memoryMax);
  CHECK(*v.memoryMax == 3);
  CHECK(printModule(v).find("memory 1 max 3\n") != std::string::npos);
  CHECK(printModule(parse(printModule(v))).find("memory 1 max 3") != std::string::npos);
  // a fixed-size memory prints as before
  CHECK(printModule(parse("module {\n  memory 2\n}\n")).find("memory 2\n") != std::string::npos);
  auto fails = [](const std::string &t, const std::string &msg) {
    ParseResult r = parseModule(t, "x.mir");
    CAPTURE(t);
    REQUIRE(!r.diags.empty());
    CHECK(r.diags[0].str().find(msg) != std::string::npos);
  };
  fails("module {\n  memory 2 max 1\n}\n", "below the initial size");
  fails("module {\n  memory 1 max 65536\n}\n", "more than 65535");
  // memgrow without a maximum is invalid
  ParseResult r = parseModule("module {\n  memory 1\n}\nfunc @g(i32) -> (i32) {\nbb0:\n  param v0\n  memgrow v1, v0\n  ret v1\n}\n",
                              "x.mir");
  bool reported = !r.module;
  for (const auto &d : r.diags) reported = reported || d.str().find("cannot grow") != std::string::npos;
  if (r.module) {
    vcr::Diagnostics ds;
    CHECK(!validateModule(*r.module, ds));
    for (const auto &d : ds) reported = reported || d.str().find("cannot grow") != std::string::npos;
  }
  CHECK(reported);
}

TEST_CASE("memgrow: a maximum the allocated form cannot reserve is an Error, not a crash") {
  const Module a = parse(R"(module {
  memory 1 max 65535
}
func @g(i32) -> (i32) allocated {
bb0:
  param r0
  memgrow r0, r0
  ret r0
}
)");
  Outcome o = run(a, 1);
  CHECK(o.r.status == Status::Error);
  CHECK(o.r.error.find("does not fit the address space") != std::string::npos);
  CHECK(o.memory.size() == 65536);  // untouched
}
