// Tests of running image functions on Unicorn: AAPCS args/results, memory, globals, traps, faults.
#include "arm/exec/exec.h"
#include "arm/exec/tests/exec_test_util.h"
#include "arm/target/runtime.h"
#include "tests/size_env.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <set>

using namespace vcr;
using namespace vcr::exec;
using namespace vcr::exec::test;
using Status = RunResult::Status;

namespace {

/// Build one function `f` from `body` and run it.
RunResult runBody(std::string_view body, std::string_view sig, std::vector<uint64_t> args,
                  mir::ExecEnv &env, const RunOptions &opts = {}) {
  Image img = mustBuild(asmHeader() + thumbFunction("f", body));
  return run(img, "f", sigOf(sig), args, env, opts);
}

}  // namespace

TEST_CASE("run: add two i32 args") {
  mir::ExecEnv env;
  RunResult r = runBody("  adds r0, r0, r1\n  bx lr", "ii:i", {40, 2}, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  REQUIRE(r.results.size() == 1);
  CHECK(r.results[0] == 42);
  CHECK(r.insns == 2);
  r = runBody("  adds r0, r0, r1\n  bx lr", "ii:i", {0xffffffffu, 3}, env);
  CHECK(r.results.at(0) == 2);  // i32 results are 32 bits, zero-extended
}

TEST_CASE("run: i64 add returns in r0:r1") {
  mir::ExecEnv env;
  RunResult r = runBody("  adds r0, r0, r2\n  adc r1, r1, r3\n  bx lr", "ll:l",
                        {0x00000001ffffffffULL, 0x0000000200000001ULL}, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.results.at(0) == 0x0000000400000000ULL);
}

TEST_CASE("run: six i32 args, two on the stack") {
  mir::ExecEnv env;
  // r0 + 2*r1 + 3*r2 + 4*r3 + 5*[sp] + 6*[sp+4]: each weight distinguishes its slot.
  const char *body = R"(  push {r4, r5}
  ldr r4, [sp, #8]
  ldr r5, [sp, #12]
  add r0, r0, r1, lsl #1
  add r1, r2, r2, lsl #1
  add r0, r0, r1
  add r0, r0, r3, lsl #2
  add r4, r4, r4, lsl #2
  add r0, r0, r4
  movs r1, #6
  mla r0, r5, r1, r0
  pop {r4, r5}
  bx lr)";
  RunResult r = runBody(body, "iiiiii:i", {1, 10, 100, 1000, 10000, 100000}, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.results.at(0) == 1 + 20 + 300 + 4000 + 50000 + 600000);
  CHECK(r.stores == 2);  // push {r4, r5}: one per word
  CHECK(r.loads == 4);   // two ldr + pop {r4, r5}
  r = runBody("  ldrd r0, r1, [sp]\n  bx lr", "iiiill:l", {0, 0, 0, 0, 0x1111222233334444ULL, 0}, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.results.at(0) == 0x1111222233334444ULL);
  CHECK(r.loads == 2);   // ldrd: two word reads
}

TEST_CASE("run: mixed i32/i64 params follow AAPCS (pair alignment, stack)") {
  mir::ExecEnv env;
  // (i32 a, i64 b, i32 c, i64 d): a in r0, b in r2:r3, c at [sp], d at [sp+8] (8-aligned).
  // Returns the i64 a + b.hi + c + d.lo (low) : d.hi (high).
  const char *body = R"(  ldr r1, [sp]
  add r0, r0, r3
  add r0, r0, r1
  ldr r1, [sp, #8]
  add r0, r0, r1
  ldr r1, [sp, #12]
  bx lr)";
  RunResult r = runBody(body, "ilil:l", {1, 0x0000002000000000ULL, 300, 0x5000000000004000ULL}, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.results.at(0) == ((0x50000000ULL << 32) | (1 + 0x20 + 300 + 0x4000)));
}

TEST_CASE("run: instruction count of a known loop is exact") {
  mir::ExecEnv env;
  const char *body = R"(  movs r1, #0
1: adds r1, #1
  cmp r1, r0
  bne 1b
  mov r0, r1
  bx lr)";
  for (uint64_t n : {1u, 10u, 1000u}) {
    RunResult r = runBody(body, "i:i", {n}, env);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == n);
    CHECK(r.insns == 3 * n + 3);
    CHECK(r.loads == 0);
    CHECK(r.stores == 0);
  }
}

TEST_CASE("run: load/store on linear memory is written back") {
  const char *body = R"(  ldr r2, [r11, r0]
  adds r2, r2, r1
  str r2, [r11, r0]
  strb r1, [r11, #3]
  mov r0, r10
  bx lr)";
  for (uint32_t memBase : {0u, 0x00400000u}) {
    CAPTURE(memBase);
    mir::ExecEnv env;
    env.memory.assign(100, 0);  // not a page multiple: R10 is the exact size
    env.memory[16] = 5;
    RunOptions o;
    o.memBase = memBase;
    RunResult r = runBody(body, "ii:i", {16, 0x77}, env, o);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == 100);
    CHECK(env.memory[16] == 5 + 0x77);
    CHECK(env.memory[3] == 0x77);
    CHECK(r.loads == 1);
    CHECK(r.stores == 2);
  }
}

TEST_CASE("run: gget/gset through r9, globals written back") {
  mir::ExecEnv env;
  env.globals = {11, 22, 33};
  RunResult r = runBody("  ldr r1, [r9, #4]\n  str r0, [r9, #8]\n  mov r0, r1\n  bx lr", "i:i", {99}, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.results.at(0) == 22);
  CHECK(env.globals == std::vector<uint32_t>{11, 22, 99});
}

TEST_CASE("run: udf #trapCode(reason) traps with that reason") {
  for (mir::TrapReason reason : {mir::TrapReason::Unreachable, mir::TrapReason::DivZero,
                                 mir::TrapReason::Overflow, mir::TrapReason::OutOfBounds}) {
    mir::ExecEnv env;
    RunResult r = runBody(fmt::format("  movs r1, #1\n  udf #{}\n  bx lr", arm::rt::trapCode(reason)), ":", {}, env);
    CHECK_MESSAGE(r.status == Status::Trapped, r.error);
    CHECK(r.trap == reason);
    CHECK(r.insns == 2);  // the udf counts as reached
  }
  mir::ExecEnv env;
  CHECK(arm::rt::trapCode(mir::TrapReason::OutOfBounds) == 0x13);
  RunResult r = runBody("  udf #0x13", ":", {}, env);
  CHECK(r.status == Status::Trapped);
  CHECK(r.trap == mir::TrapReason::OutOfBounds);
  r = runBody("  udf #0x80", ":", {}, env);
  CHECK(r.status == Status::Fault);
  CHECK(r.error.find("udf #128") != std::string::npos);
}

TEST_CASE("run: callee-saved registers and SP are checked at return") {
  mir::ExecEnv env;
  RunResult r = runBody("  movs r4, #1\n  bx lr", ":", {}, env);
  CHECK(r.status == Status::Fault);
  CHECK(r.error.find("callee-saved r4 not restored") != std::string::npos);
  r = runBody("  mov r11, r0\n  mov r8, r0\n  bx lr", "i:", {1}, env);
  CHECK(r.error.find("r8") != std::string::npos);
  CHECK(r.error.find("r11") != std::string::npos);
  r = runBody("  sub sp, #8\n  bx lr", ":", {}, env);
  CHECK(r.status == Status::Fault);
  CHECK(r.error.find("sp not restored") != std::string::npos);
  r = runBody("  push {r4-r8, lr}\n  movs r4, #0\n  movs r5, #0\n  mov r8, r4\n  pop {r4-r8, pc}", ":", {}, env);
  CHECK_MESSAGE(r.status == Status::Returned, r.error);
}

TEST_CASE("run: infinite loop is Exhausted, with and without counting") {
  mir::ExecEnv env;
  RunOptions o;
  o.insnLimit = 1000;
  RunResult r = runBody("1: b 1b", ":", {}, env, o);
  CHECK(r.status == Status::Exhausted);
  CHECK(r.insns == 1000);
  o.countInsns = false;
  r = runBody("1: b 1b", ":", {}, env, o);
  CHECK(r.status == Status::Exhausted);
  CHECK(r.insns == 0);
  o.insnLimit = 0;
  CHECK(runBody("  bx lr", ":", {}, env, o).status == Status::Exhausted);
  o.countInsns = true;
  CHECK(runBody("  bx lr", ":", {}, env, o).status == Status::Exhausted);
  o.insnLimit = 1;
  CHECK(runBody("  bx lr", ":", {}, env, o).status == Status::Returned);
}

TEST_CASE("run: faults name the address and cause") {
  mir::ExecEnv env;
  RunResult r = runBody("  ldr r0, [r0]\n  bx lr", "i:i", {0x30000000}, env);
  CHECK(r.status == Status::Fault);
  CHECK(r.error.find("unmapped read") != std::string::npos);
  CHECK(r.error.find("0x30000000") != std::string::npos);
  r = runBody("  str r0, [r0]\n  bx lr", "i:", {0x30000010}, env);
  CHECK(r.error.find("unmapped write") != std::string::npos);
  r = runBody("  bx r0", "i:", {0x201C0001}, env);  // jump onto the (non-executable) stack
  CHECK(r.status == Status::Fault);
  r = runBody("  bx r0", "i:", {0x10000000}, env);  // even address: ARM state
  CHECK(r.status == Status::Fault);
  CHECK_FALSE(r.error.empty());
  r = runBody("  .hword 0xffff\n  .hword 0xffff", ":", {}, env);
  CHECK(r.status == Status::Fault);
}

TEST_CASE("run: bad requests are faults with a message") {
  mir::ExecEnv env;
  Image img = mustBuild(asmHeader() + thumbFunction("f", "  bx lr"));
  RunResult r = run(img, "g", sigOf(":"), {}, env);
  CHECK(r.status == Status::Fault);
  CHECK(r.error.find("no such function") != std::string::npos);
  const uint64_t one[] = {1};
  r = run(img, "f", sigOf(":"), one, env);
  CHECK(r.error.find("arguments") != std::string::npos);
  env.memory.assign(0x20000000, 0);  // 512 MiB at 0 would cover the image
  r = run(img, "f", sigOf(":"), {}, env);
  CHECK(r.status == Status::Fault);
  CHECK(r.error.find("overlaps") != std::string::npos);
  env.memory.assign(16, 0);
  RunOptions o;
  o.memBase = 0x1234;
  r = run(img, "f", sigOf(":"), {}, env, o);
  CHECK(r.error.find("aligned") != std::string::npos);
}

TEST_CASE("run: a Machine is reusable after traps, faults and exhaustion") {
  const std::string text = asmHeader() + thumbFunction("add", "  adds r0, r0, r1\n  bx lr") +
                           thumbFunction("trap", "  udf #0x11") +
                           thumbFunction("spin", "1: b 1b") +
                           thumbFunction("bad", "  ldr r0, [r0]\n  bx lr") +
                           thumbFunction("mem", "  ldr r0, [r11]\n  adds r0, #1\n  str r0, [r11]\n  bx lr");
  Machine m(mustBuild(text));
  mir::ExecEnv env;
  RunOptions o;
  o.insnLimit = 500;
  const uint64_t ab[] = {2, 3}, bad[] = {0x30000000};
  for (int round = 0; round < 3; ++round) {
    RunResult r = m.run("add", sigOf("ii:i"), ab, env, o);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == 5);
    r = m.run("trap", sigOf(":"), {}, env, o);
    CHECK(r.status == Status::Trapped);
    CHECK(r.trap == mir::TrapReason::DivZero);
    r = m.run("spin", sigOf(":"), {}, env, o);
    CHECK(r.status == Status::Exhausted);
    r = m.run("bad", sigOf("i:i"), bad, env, o);
    CHECK(r.status == Status::Fault);
    env.memory.assign(round % 2 ? 8 : 70000, 0);  // memory size changes between runs
    env.memory[0] = static_cast<uint8_t>(round);
    o.countInsns = round != 1;
    r = m.run("mem", sigOf(":i"), {}, env, o);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == static_cast<uint64_t>(round + 1));
    CHECK(env.memory[0] == round + 1);
  }
}

TEST_CASE("run: a long counted loop returns its count in exactly 3n+3 instructions (throughput printed)") {
  // Floor 1000: the loop must be long enough for a throughput figure.
  const uint64_t n = vcr::testing::envCount("VCR_EXEC_BENCH_ITERS", 2'000'000, 1000);
  mir::ExecEnv e;
  const char *body = R"(  movs r1, #0
1: adds r1, #1
  cmp r1, r0
  bne 1b
  mov r0, r1
  bx lr)";
  Image img = mustBuild(asmHeader() + thumbFunction("f", body));
  for (bool count : {true, false}) {
    RunOptions o;
    o.countInsns = count;
    o.insnLimit = 4 * n + 100;
    const uint64_t a[] = {n};
    const auto t0 = std::chrono::steady_clock::now();
    RunResult r = run(img, "f", sigOf("i:i"), a, e, o);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) == n);
    if (count) CHECK(r.insns == 3 * n + 3);
    MESSAGE(fmt::format("{} loop: {} instructions in {:.3f} s = {:.1f} M insn/s (engine setup included)",
                        count ? "counted" : "uncounted", 3 * n + 3, s, static_cast<double>(3 * n + 3) / s / 1e6));
  }
  // Per-call overhead of short runs: a fresh engine per run() vs a reused Machine.
  const uint64_t a[] = {10};
  const int calls = 50;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i) CHECK(run(img, "f", sigOf("i:i"), a, e).results.at(0) == 10);
  const auto t1 = std::chrono::steady_clock::now();
  Machine m(img);
  for (int i = 0; i < calls; ++i) CHECK(m.run("f", sigOf("i:i"), a, e).results.at(0) == 10);
  const auto t2 = std::chrono::steady_clock::now();
  MESSAGE(fmt::format("short calls: run() {:.3f} ms/call, Machine::run {:.3f} ms/call",
                      std::chrono::duration<double, std::milli>(t1 - t0).count() / calls,
                      std::chrono::duration<double, std::milli>(t2 - t1).count() / calls));
}

TEST_CASE("run: entry state follows runtime.h (r9, r10, r11, 8-aligned sp, lr odd)") {
  mir::ExecEnv env;
  env.memory.assign(300, 0);
  env.globals = {1};
  RunOptions o;
  o.memBase = 0x00200000;
  for (const char *sig : {":i", "iiiii:i", "iiiiii:i"}) {  // 0, 4 and 8 bytes of stack args
    CAPTURE(sig);
    std::vector<uint64_t> args(std::string_view(sig).find(':'), 0);
    CHECK(runBody("  mov r0, r9\n  bx lr", sig, args, env, o).results.at(0) == kGlobalsAddr);
    CHECK(runBody("  mov r0, r10\n  bx lr", sig, args, env, o).results.at(0) == 300);
    CHECK(runBody("  mov r0, r11\n  bx lr", sig, args, env, o).results.at(0) == 0x00200000);
    CHECK(runBody("  mov r0, sp\n  bx lr", sig, args, env, o).results.at(0) % 8 == 0);
    CHECK(runBody("  mov r0, lr\n  bx lr", sig, args, env, o).results.at(0) == (kSentinelAddr | 1));
  }
  // R4-R8 hold distinct garbage at entry.
  std::set<uint64_t> vals;
  for (const char *r : {"r4", "r5", "r6", "r7", "r8"})
    vals.insert(runBody(fmt::format("  mov r0, {}\n  bx lr", r), ":i", {}, env).results.at(0));
  CHECK(vals.size() == 5);
}
