// Tests of the wabt oracle's instruction budget: a run that does not end is Exhausted, not a hang.
#include "arm/select/oracle.h"
#include "arm/select/wasm_load.h"

#include <doctest/doctest.h>

#include <chrono>

using namespace vcr;
using namespace vcr::select;

namespace {

const char *kLoops = R"((module
  (import "env" "tick" (func $tick (param i32) (result i32)))
  (memory 1)
  (func (export "forever") (param i32) (result i32)
    (loop (br 0))
    (local.get 0))
  (func (export "count") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
  (func $rec (export "rec") (param i32) (result i32)
    (call $rec (i32.add (local.get 0) (i32.const 1))))
  (func (export "hostloop") (param i32) (result i32)
    (loop (local.set 0 (call $tick (local.get 0))) (br 0))
    (local.get 0))
  (func (export "store") (param i32)
    (i32.store (i32.const 0) (local.get 0)))
)
)";

struct Loaded {
  WasmBinary bin;
  std::optional<Oracle> oracle;
};

Loaded load() {
  Diagnostics diags;
  auto bin = watToWasm(kLoops, "loops.wat", diags);
  REQUIRE(bin);
  Loaded l{*bin, Oracle::create(*bin, diags)};
  REQUIRE(l.oracle);
  return l;
}

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("oracle budget: a loop that never ends is Exhausted, quickly") {
  Loaded l = load();
  std::vector<uint8_t> mem(65536);
  const uint64_t arg = 5;
  for (uint32_t fn : {1u, 4u}) {  // forever, hostloop (wasm indices: the import is 0)
    auto t0 = std::chrono::steady_clock::now();
    OracleRun r = l.oracle->run(fn, {&arg, 1}, mem, {}, 1'000'000);
    CHECK(r.status == OracleRun::Status::Exhausted);
    CHECK(r.trap.find("budget") != std::string::npos);
    CHECK(seconds(t0) < 10.0);
  }
}

TEST_CASE("oracle budget: a finite loop returns within the budget and is Exhausted below it") {
  Loaded l = load();
  std::vector<uint8_t> mem(65536);
  const uint64_t n = 1000;
  OracleRun ok = l.oracle->run(2, {&n, 1}, mem, {}, 100'000);
  REQUIRE(ok.status == OracleRun::Status::Returned);
  CHECK(ok.results == std::vector<uint64_t>{500500});
  OracleRun cut = l.oracle->run(2, {&n, 1}, mem, {}, 1'000);
  CHECK(cut.status == OracleRun::Status::Exhausted);
  // The oracle is usable after an abandoned run, with the default budget too.
  OracleRun again = l.oracle->run(2, {&n, 1}, mem, {});
  REQUIRE(again.status == OracleRun::Status::Returned);
  CHECK(again.results == std::vector<uint64_t>{500500});
}

TEST_CASE("oracle budget: unbounded recursion is Exhausted and memory is read back after a run") {
  Loaded l = load();
  std::vector<uint8_t> mem(65536);
  const uint64_t arg = 0;
  OracleRun r = l.oracle->run(3, {&arg, 1}, mem, {}, 100'000'000);
  CHECK(r.status == OracleRun::Status::Exhausted);
  const uint64_t v = 0x11223344;
  OracleRun s = l.oracle->run(5, {&v, 1}, mem, {}, 100);
  REQUIRE(s.status == OracleRun::Status::Returned);
  REQUIRE(s.memory.size() == 65536);
  CHECK(s.memory[0] == 0x44);
  CHECK(s.memory[3] == 0x11);
}

TEST_CASE("oracle memory is held to its initial size: grow 0 gives the size, any other grow -1") {
  Diagnostics diags;
  auto bin = watToWasm(R"((module (memory 1 8)
    (func (export "g") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "s") (result i32) (memory.size))))", "grow.wat", diags);
  REQUIRE(bin);
  auto oracle = Oracle::create(*bin, diags);
  REQUIRE(oracle);
  std::vector<uint8_t> mem(65536);
  for (uint64_t delta : {0ull, 1ull, 7ull, 0xffffffffull}) {
    OracleRun r = oracle->run(0, {&delta, 1}, mem, {});
    REQUIRE(r.status == OracleRun::Status::Returned);
    CHECK(r.results == std::vector<uint64_t>{delta == 0 ? 1u : 0xffffffffu});
    CHECK(r.memory.size() == 65536);
  }
  OracleRun size = oracle->run(1, {}, mem, {});
  REQUIRE(size.status == OracleRun::Status::Returned);
  CHECK(size.results == std::vector<uint64_t>{1});
}

TEST_CASE("oracle data segments: a data.drop in one run does not reach the next run") {
  Diagnostics diags;
  auto bin = watToWasm(R"((module (memory 1)
    (data $d "abcd")
    (func (export "drop") (data.drop $d))
    (func (export "init") (param i32) (result i32)
      (memory.init $d (i32.const 0) (i32.const 0) (local.get 0))
      (i32.load (i32.const 0)))))", "data.wat", diags);
  REQUIRE(bin);
  auto oracle = Oracle::create(*bin, diags);
  REQUIRE(oracle);
  std::vector<uint8_t> mem(65536);
  const uint64_t four = 4, five = 5;
  for (int k = 0; k < 2; ++k) {
    OracleRun init = oracle->run(1, {&four, 1}, mem, {});
    REQUIRE(init.status == OracleRun::Status::Returned);
    CHECK(init.results == std::vector<uint64_t>{0x64636261});
    CHECK(oracle->run(1, {&five, 1}, mem, {}).reason == mir::TrapReason::OutOfBounds);
    CHECK(oracle->run(0, {}, mem, {}).status == OracleRun::Status::Returned);
  }
}
