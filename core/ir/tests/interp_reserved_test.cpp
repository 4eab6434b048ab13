// Tests of the reference interpreter's reserved registers in allocated form:
// R9 (globals base), R10 (memory size in bytes) and R11 (memory base) have
// their runtime roles, so writing one changes behaviour as on the hardware.
#include "core/ir/interp.h"
#include "core/ir/text.h"

#include <doctest/doctest.h>

#include <string>

using namespace vcr::mir;
using Status = ExecResult::Status;

namespace {

Module parse(std::string_view text) {
  ParseResult p = parseModule(text, "interp_reserved_test.mir");
  for (const auto &d : p.diags) MESSAGE(d.str());
  REQUIRE(p.module.has_value());
  return *p.module;
}

/// 64 KiB of memory with word k at byte 4k holding 0x100 + k; globals 10, 20, 30.
ExecEnv env() {
  ExecEnv e;
  e.memory.assign(65536, 0);
  for (uint32_t k = 0; k < 8; ++k) e.memory[4 * k] = uint8_t(k), e.memory[4 * k + 1] = 1;
  e.globals = {10, 20, 30};
  return e;
}

/// The module header matching env().
constexpr std::string_view kHeader =
    "module {\n  memory 1\n  global 0 mut 10\n  global 1 mut 20\n  global 2 mut 30\n}\n";

/// @f(addr) in allocated form: `pre` runs between the prologue and `body`;
/// the epilogue restores R9-R11, so only the body sees the change.
Module fn(std::string_view pre, std::string_view body) {
  return parse(std::string(kHeader) + "func @f(i32) -> (i32) allocated {\nbb0:\n  param r0\n  push r9, r10, r11\n" +
               std::string(pre) + "\n" + std::string(body) + "\n  pop r9, r10, r11\n  ret r0\n}\n");
}

ExecResult run(const Module &m, uint64_t arg, ExecEnv &e) {
  return execute(m, "f", std::vector<uint64_t>{arg}, e);
}
ExecResult run(const Module &m, uint64_t arg) {
  ExecEnv e = env();
  return run(m, arg, e);
}

uint64_t returned(const ExecResult &r) {
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  REQUIRE(r.results.size() == 1);
  return r.results[0];
}

void isError(const ExecResult &r, std::string_view text) {
  CHECK(r.status == Status::Error);
  CHECK_MESSAGE(r.error.find(text) != std::string::npos, r.error);
}

void isOobTrap(const ExecResult &r) {
  CHECK_MESSAGE(r.status == Status::Trapped, r.error);
  CHECK(r.trap == TrapReason::OutOfBounds);
}

constexpr std::string_view kLoad = "  load.32 r0, [r0+0]";

}  // namespace

TEST_CASE("allocated form: R9 R10 R11 hold globals base, memory size and memory base at entry") {
  const Module m = parse(R"(
func @r9(i32) -> (i32) allocated {
bb0:
  param r0
  mov r0, r9
  ret r0
}
func @r10(i32) -> (i32) allocated {
bb0:
  param r0
  mov r0, r10
  ret r0
}
func @r11(i32) -> (i32) allocated {
bb0:
  param r0
  mov r0, r11
  ret r0
}
)");
  ExecEnv e = env();
  e.memory.assign(3 * 65536, 0);
  CHECK(returned(execute(m, "r10", std::vector<uint64_t>{0}, e)) == 3 * 65536);
  const uint64_t globalsBase = returned(execute(m, "r9", std::vector<uint64_t>{0}, e));
  const uint64_t memBase = returned(execute(m, "r11", std::vector<uint64_t>{0}, e));
  CHECK(memBase != 0);  // an allocation that zeroes R11 must not pass by luck
  CHECK(globalsBase != memBase);
}

TEST_CASE("allocated form: R10 written before a load changes its bounds check") {
  CHECK(returned(run(fn("", kLoad), 8)) == 0x102);
  isOobTrap(run(fn("  movi r10, #0", kLoad), 8));
  // the issue's exploit: the pushed argument word popped into R10
  isOobTrap(run(fn("  push r0\n  pop r10", kLoad), 8));
  // a larger R10 passes the check, then the access leaves linear memory
  CHECK(run(fn("", kLoad), 70000).status == Status::Trapped);
  isError(run(fn("  movi r10, #0x100000", kLoad), 70000), "access outside mapped memory");
  // R10 popped from a word that holds no value
  isError(run(fn("  push r1\n  pop r10", kLoad), 8), "read of r10 which holds no value");
}

TEST_CASE("allocated form: R11 written before a load or store moves or breaks the access") {
  CHECK(returned(run(fn("", kLoad), 8)) == 0x102);
  // R11 + 4 reads the next word, as the hardware does
  CHECK(returned(run(fn("  add r11, r11, #4", kLoad), 8)) == 0x103);
  isError(run(fn("  movi r11, #0", kLoad), 8), "access outside mapped memory");
  // the issue's exploit: a stack word reloaded into R11
  isError(run(fn("  lds r11, [sp+4]", kLoad), 8), "r11 = 0x10000)");

  const std::string_view store = "  movi r1, #0x55\n  store.8 r1, [r0+0]";
  ExecEnv plain = env();
  CHECK(run(fn("", store), 40, plain).status == Status::Returned);
  CHECK(plain.memory[40] == 0x55);
  ExecEnv moved = env();
  CHECK(run(fn("  add r11, r11, #2", store), 40, moved).status == Status::Returned);
  CHECK(moved.memory[40] == 0);
  CHECK(moved.memory[42] == 0x55);
  ExecEnv broken = env();
  isError(run(fn("  mov r11, r0", store), 40, broken), "outside linear memory");
  CHECK(broken.memory == env().memory);
}

TEST_CASE("allocated form: R9 written before gget or gset moves or breaks the access") {
  const std::string_view get = "  gget r0, #1";
  CHECK(returned(run(fn("", get), 0)) == 20);
  CHECK(returned(run(fn("  add r9, r9, #4", get), 0)) == 30);
  isError(run(fn("  movi r9, #0", get), 0), "outside the globals table");
  isError(run(fn("  push r0\n  pop r9", get), 0), "r9 = 0x0");

  const std::string_view set = "  gset r0, #0";
  ExecEnv plain = env();
  CHECK(run(fn("", set), 7, plain).status == Status::Returned);
  CHECK(plain.globals == std::vector<uint32_t>{7, 20, 30});
  ExecEnv moved = env();
  CHECK(run(fn("  add r9, r9, #8", set), 7, moved).status == Status::Returned);
  CHECK(moved.globals == std::vector<uint32_t>{10, 20, 7});
  ExecEnv broken = env();
  isError(run(fn("  sub r9, r9, #4", set), 7, broken), "access outside mapped memory: gset #0");
  CHECK(broken.globals == env().globals);
}

TEST_CASE("allocated form: memsize reads R10") {
  const std::string_view size = "  memsize r0";
  CHECK(returned(run(fn("", size), 0)) == 1);
  CHECK(returned(run(fn("  movi r10, #0x30000", size), 0)) == 3);
  CHECK(returned(run(fn("  movi r10, #0", size), 0)) == 0);
  isError(run(fn("  push r1\n  pop r10", size), 0), "read of r10 which holds no value");
}

TEST_CASE("allocated form: R9 R10 R11 saved and restored around other uses run unchanged") {
  // R9-R11 serve as temporaries, then come back from the stack before use
  const std::string_view temps =
      "  movi r9, #1\n  movi r10, #2\n  movi r11, #3\n  add r9, r9, r10\n  add r0, r0, r11\n"
      "  sub r0, r0, r9\n  pop r9, r10, r11\n  push r9, r10, r11";
  const std::string_view body = "  load.32 r1, [r0+0]\n  gget r2, #2\n  memsize r3\n"
                                "  add r0, r1, r2\n  add r0, r0, r3\n  mov r1, r10\n  add r0, r0, r1";
  const uint64_t want = 0x102 + 30 + 1 + 65536;
  CHECK(returned(run(fn("", body), 8)) == want);
  CHECK(returned(run(fn(temps, body), 8)) == want);
  // not restored: the callee-saved check at the return still catches it
  isError(run(parse("func @f(i32) -> (i32) allocated {\nbb0:\n  param r0\n  movi r10, #0\n"
                    "  ret r0\n}\n"),
              0),
          "callee-saved r10 not preserved");
}
