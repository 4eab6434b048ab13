// --memory-max in selection and in the wabt oracle: memory.grow becomes
// memgrow only when memory can grow, the effective maximum, and an oracle
// that grows to that maximum (and only then).
#include "arm/select/oracle.h"
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"

#include <doctest/doctest.h>

using namespace vcr;
using namespace vcr::select;
using mir::Opcode;

namespace {

const char *kGrow = R"((module
  (memory 1 6)
  (func (export "grow") (param i32) (result i32)
    (i32.add (i32.mul (memory.grow (local.get 0)) (i32.const 100)) (memory.size)))
)
)";

WasmBinary load(const char *text) {
  Diagnostics diags;
  auto bin = watToWasm(text, "grow.wat", diags);
  REQUIRE(bin);
  return *bin;
}

unsigned count(const mir::Function &f, Opcode op) {
  unsigned n = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) n += i.op == op;
  return n;
}

}  // namespace

TEST_CASE("--memory-max: effective maximum") {
  CHECK(effectiveMemoryMax(4, 1, std::nullopt) == 4u);
  CHECK(effectiveMemoryMax(4, 1, 8) == 4u);      // min(PAGES, declared)
  CHECK(effectiveMemoryMax(16, 1, 6) == 6u);
  CHECK(effectiveMemoryMax(0, 2, std::nullopt) == 2u);  // never below the initial size
  CHECK(effectiveMemoryMax(65535, 1, std::nullopt) == 65535u);
  CHECK(effectiveMemoryMax(10, 65536, std::nullopt) == std::nullopt);  // 4 GiB: R10 cannot hold it
}

TEST_CASE("--memory-max: memory.grow is memgrow, the module states the maximum") {
  const WasmBinary bin = load(kGrow);
  Diagnostics diags;
  auto fixed = selectModule(bin, diags);
  REQUIRE(fixed);
  CHECK(!fixed->module.memoryMax);
  CHECK(count(fixed->module.functions.at(0), Opcode::MemGrow) == 0);
  CHECK(count(fixed->module.functions.at(0), Opcode::Sel) == 1);  // today's lowering stays
  SelectOptions so;
  so.memoryMax = 16;
  auto grows = selectModule(bin, diags, so);
  REQUIRE(grows);
  REQUIRE(grows->module.memoryMax);
  CHECK(*grows->module.memoryMax == 6);  // the module declares 6
  CHECK(count(grows->module.functions.at(0), Opcode::MemGrow) == 1);
  CHECK(count(grows->module.functions.at(0), Opcode::Sel) == 0);
}

TEST_CASE("--memory-max: the oracle grows to the maximum it is given, and only then") {
  const WasmBinary bin = load(kGrow);
  Diagnostics diags;
  const std::vector<uint8_t> image(65536, 0);
  auto fixed = Oracle::create(bin, diags);
  REQUIRE(fixed);
  const uint64_t two = 2;
  OracleRun f = fixed->run(0, std::span<const uint64_t>(&two, 1), image, {});
  REQUIRE(f.status == OracleRun::Status::Returned);
  CHECK(uint32_t(f.results.at(0)) == uint32_t(-100 + 1));
  CHECK(f.memory.size() == 65536);
  auto grows = Oracle::create(bin, diags, 3);
  REQUIRE(grows);
  for (int k = 0; k < 2; ++k) {  // a second run starts again from the image's size
    OracleRun g = grows->run(0, std::span<const uint64_t>(&two, 1), image, {});
    REQUIRE(g.status == OracleRun::Status::Returned);
    CHECK(g.results.at(0) == 1 * 100 + 3);
    CHECK(g.memory.size() == 3 * 65536);
  }
  const uint64_t three = 3;  // 1 + 3 > 3
  OracleRun past = grows->run(0, std::span<const uint64_t>(&three, 1), image, {});
  REQUIRE(past.status == OracleRun::Status::Returned);
  CHECK(uint32_t(past.results.at(0)) == uint32_t(-100 + 1));
}
