// memgrow end to end: the emitted Thumb-2 (arm/emit/emit_mem.cpp) against the
// MIR interpreter on deltas at every edge (0, exactly to the maximum, one
// past it, 65536, values with bit 31 set, 0xffffffff), two grows in a row so
// the second starts from wherever the first left R10; the checker proves it.
#include "core/ir/text.h"
#include "tools/execute.h"
#include "verifier/checker.h"

#include <doctest/doctest.h>

using namespace vcr;

namespace {

mir::Module parse(const char *text) {
  mir::ParseResult r = mir::parseModule(text, "grow.mir");
  std::string d;
  for (const auto &x : r.diags) d += x.str() + "\n";
  REQUIRE_MESSAGE(r.module.has_value(), d);
  return std::move(*r.module);
}

const char *kVreg = R"(module {
  memory 1 max 5
}
func @g(i32, i32) -> (i32) {
bb0:
  param v0, v1
  memgrow v2, v0
  memgrow v3, v1
  memsize v4
  movi v9, #31
  mul v5, v2, v9
  add v6, v5, v3
  mul v7, v6, v9
  add v8, v7, v4
  ret v8
}
)";

const char *kAlloc = R"(module {
  memory 1 max 5
}
func @g(i32, i32) -> (i32) allocated {
bb0:
  param r0, r1
  memgrow r2, r0
  memgrow r3, r1
  memsize r0
  movi r1, #31
  mul r2, r2, r1
  add r2, r2, r3
  mul r2, r2, r1
  add r0, r2, r0
  ret r0
}
)";

}  // namespace

TEST_CASE("memgrow: emitted code agrees with the interpreter on every edge delta, and is proved") {
  const mir::Module vreg = parse(kVreg), alloc = parse(kAlloc);
  const verifier::CheckResult c = verifier::checkFunction(vreg.functions[0], alloc.functions[0], vreg, {});
  CHECK(c.ok());
  tools::Workloads w;
  for (uint64_t a : {0ull, 1ull, 3ull, 4ull, 5ull, 65535ull, 65536ull, 65537ull, 0x7fffffffull, 0x80000000ull,
                     0xfffffffeull, 0xffffffffull})
    for (uint64_t b : {0ull, 1ull, 2ull, 0xffffffffull}) w["g"].push_back({{a, b}, 1});
  tools::ExecOptions opt;
  const auto reports = tools::executeModule(vreg, alloc, nullptr, w, opt);
  REQUIRE(reports.count("g") == 1);
  const tools::ExecReport &r = reports.at("g");
  CAPTURE(r.status);
  CAPTURE(r.reason);
  CAPTURE(r.firstDifference);
  CHECK(r.status == "ok");
  CHECK(r.runs >= 48);
  CHECK(r.agree == r.runs);
}

TEST_CASE("memgrow: a wrong expansion is caught by the same run") {
  // the test has teeth: an emitted grow that forgets to write R10 disagrees
  const mir::Module vreg = parse(kVreg), alloc = parse(kAlloc);
  tools::Workloads w;
  w["g"].push_back({{1, 0}, 1});
  tools::ExecOptions opt;
  opt.patchAsm = [](std::string &s) {
    for (size_t p = s.find("\tlsl r10, r10, #16"); p != std::string::npos; p = s.find("\tlsl r10, r10, #16", p + 1))
      s.replace(p, 18, "\tlsl r12, r10, #16");
  };
  const auto reports = tools::executeModule(vreg, alloc, nullptr, w, opt);
  REQUIRE(reports.count("g") == 1);
  CHECK(reports.at("g").agree < reports.at("g").runs);
}

TEST_CASE("a linear memory that does not fit below the code is refused by name before any run") {
  // Mapped at 0 and at its maximum, or at its size when it cannot grow:
  // 4096 pages fit below the code at 0x10000000. A fixed memory of 4097
  // pages was reported as a mismatch of every run (and one of 65536 pages
  // exhausted the host's memory); a maximum over the limit always was an
  // error. Both now are, naming the pages and the limit.
  const char *fixedVreg = "module {\n  memory 4097\n}\nfunc @g(i32, i32) -> (i32) {\nbb0:\n  param v0, v1\n"
                          "  add v2, v0, v1\n  ret v2\n}\n";
  const char *fixedAlloc = "module {\n  memory 4097\n}\nfunc @g(i32, i32) -> (i32) allocated {\nbb0:\n"
                           "  param r0, r1\n  add r0, r0, r1\n  ret r0\n}\n";
  for (const bool grows : {false, true}) {
    CAPTURE(grows);
    mir::Module vreg = parse(grows ? kVreg : fixedVreg), alloc = parse(grows ? kAlloc : fixedAlloc);
    if (grows)
      for (mir::Module *m : {&vreg, &alloc}) m->memoryMax = 4097;
    tools::Workloads w;
    w["g"].push_back({{1, 2}, 1});
    const auto reports = tools::executeModule(vreg, alloc, nullptr, w, tools::ExecOptions{});
    REQUIRE(reports.count("g") == 1);
    const tools::ExecReport &r = reports.at("g");
    CHECK(r.status == "error");
    CHECK(r.runs == 0);
    CHECK(r.reason.find(grows ? "memory maximum of 4097 pages" : "memory of 4097 pages") == 0);
    CHECK(r.reason.find("at most 4096 pages") != std::string::npos);
  }
  // At the limit it runs.
  mir::Module vreg = parse(kVreg), alloc = parse(kAlloc);
  for (mir::Module *m : {&vreg, &alloc}) m->memoryMax = 4096;
  tools::Workloads w;
  w["g"].push_back({{1, 2}, 1});
  const auto reports = tools::executeModule(vreg, alloc, nullptr, w, tools::ExecOptions{});
  CHECK(reports.at("g").status == "ok");
}
