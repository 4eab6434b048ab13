// Tests of import calls through host stubs: argument marshalling, results, clobbering, host errors.
#include "arm/exec/exec.h"
#include "arm/exec/tests/exec_test_util.h"
#include "arm/target/runtime.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <set>
#include <stdexcept>

using namespace vcr;
using namespace vcr::exec;
using namespace vcr::exec::test;
using Status = RunResult::Status;

namespace {

const mir::Import kLog{"env.log", {{mir::ValType::I32, mir::ValType::I64}, {mir::ValType::I32}}};
const mir::Import kSix{"env.six", {{6, mir::ValType::I32}, {mir::ValType::I64}}};
const mir::Import kTick{"env.tick", {{mir::ValType::I32}, {}}};

BuildOptions withImports() {
  BuildOptions o;
  o.imports = {kLog, kSix, kTick};
  return o;
}

/// A caller of env.log(a, b): forwards its (i32, i64) params and adds 1000 to the result.
const char *kCallLog = R"(  push {r4, lr}
  bl vcr_imp_env_2elog
  add r0, r0, #1000
  pop {r4, pc})";

}  // namespace

TEST_CASE("imports: host sees AAPCS args, result lands in r0") {
  Image img = mustBuild(asmHeader() + thumbFunction("f", kCallLog), withImports());
  mir::ExecEnv env;
  std::vector<std::vector<uint64_t>> seen;
  env.host = [&](const mir::Import &imp, std::span<const uint64_t> args) {
    CHECK(imp.name == "env.log");
    seen.emplace_back(args.begin(), args.end());
    return std::vector<uint64_t>{args[0] + (args[1] >> 32)};
  };
  const uint64_t args[] = {7, 0x0000000500000009ULL};
  RunResult r = run(img, "f", sigOf("il:i"), args, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == std::vector<uint64_t>{7, 0x0000000500000009ULL});
  CHECK(r.results.at(0) == 1012);
  CHECK(r.hostCalls == 1);
  CHECK(r.insns == 4);  // the stub's bx lr is not counted
}

TEST_CASE("imports: six args (two on the stack) and an i64 result in r0:r1") {
  const char *body = R"(  push {r4, lr}
  sub sp, #8
  movs r4, #5
  str r4, [sp]
  movs r4, #6
  str r4, [sp, #4]
  movs r0, #1
  movs r1, #2
  movs r2, #3
  movs r3, #4
  bl vcr_imp_env_2esix
  add sp, #8
  pop {r4, pc})";
  Image img = mustBuild(asmHeader() + thumbFunction("f", body), withImports());
  mir::ExecEnv env;
  env.host = [&](const mir::Import &imp, std::span<const uint64_t> args) {
    CHECK(imp.name == "env.six");
    REQUIRE(args.size() == 6);
    uint64_t v = 0;
    for (uint64_t a : args) v = v * 10 + a;
    return std::vector<uint64_t>{v | (0xabcdULL << 40)};
  };
  RunResult r = run(img, "f", sigOf(":l"), {}, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.results.at(0) == (123456 | (0xabcdULL << 40)));
}

TEST_CASE("imports: caller-saved registers are clobbered at a call") {
  // Wrongly relies on r2 and r12 surviving the call.
  const char *body = R"(  push {r4, lr}
  movs r2, #7
  mov r12, r2
  bl vcr_imp_env_2etick
  add r0, r2, r12
  pop {r4, pc})";
  Image img = mustBuild(asmHeader() + thumbFunction("f", body), withImports());
  mir::ExecEnv env;  // default host: mixHost
  const uint64_t a[] = {1};
  RunOptions o;
  o.clobberAtImports = false;
  RunResult r = run(img, "f", sigOf("i:i"), a, env, o);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.results.at(0) == 14);
  o.clobberAtImports = true;
  for (uint64_t seed = 1; seed < 4; ++seed) {
    o.seed = seed;
    r = run(img, "f", sigOf("i:i"), a, env, o);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    CHECK(r.results.at(0) != 14);
  }
  // The result register itself is not clobbered, and callee-saved ones survive.
  Image img2 = mustBuild(asmHeader() + thumbFunction("g", "  push {r4, lr}\n  mov r4, r0\n  bl vcr_imp_env_2elog\n  add r0, r0, r4\n  pop {r4, pc}"),
                         withImports());
  env.host = [](const mir::Import &, std::span<const uint64_t>) { return std::vector<uint64_t>{100}; };
  const uint64_t b[] = {5, 0};
  r = run(img2, "g", sigOf("il:i"), b, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  CHECK(r.results.at(0) == 105);
}

TEST_CASE("imports: flags are clobbered at a call") {
  // cmp sets Z; after the call the code reads the flags back with mrs.
  const char *body = R"(  push {r4, lr}
  cmp r0, r0
  bl vcr_imp_env_2etick
  mrs r0, apsr
  pop {r4, pc})";
  Image img = mustBuild(asmHeader() + thumbFunction("f", body), withImports());
  mir::ExecEnv env;
  const uint64_t a[] = {1};
  std::set<uint64_t> flags;
  RunOptions o;
  for (uint64_t seed = 0; seed < 8; ++seed) {
    o.seed = seed;
    RunResult r = run(img, "f", sigOf("i:i"), a, env, o);
    REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
    flags.insert(r.results.at(0) >> 28);
  }
  CHECK(flags.size() > 1);
  o.clobberAtImports = false;
  RunResult r = run(img, "f", sigOf("i:i"), a, env, o);
  CHECK(((r.results.at(0) >> 28) & 0x4) == 0x4);  // Z survives without clobbering
}

TEST_CASE("imports: host failures are faults naming the import") {
  Image img = mustBuild(asmHeader() + thumbFunction("f", kCallLog), withImports());
  const uint64_t args[] = {1, 2};
  mir::ExecEnv env;
  env.host = [](const mir::Import &, std::span<const uint64_t>) { return std::vector<uint64_t>{}; };
  RunResult r = run(img, "f", sigOf("il:i"), args, env);
  CHECK(r.status == Status::Fault);
  CHECK(r.error.find("env.log") != std::string::npos);
  CHECK(r.error.find("returned 0 results") != std::string::npos);
  env.host = [](const mir::Import &, std::span<const uint64_t>) -> std::vector<uint64_t> {
    throw std::runtime_error("boom");
  };
  r = run(img, "f", sigOf("il:i"), args, env);
  CHECK(r.status == Status::Fault);
  CHECK(r.error.find("boom") != std::string::npos);
  env.host = nullptr;
  r = run(img, "f", sigOf("il:i"), args, env);
  CHECK(r.status == Status::Fault);
}

TEST_CASE("imports: default host is mixHost") {
  Image img = mustBuild(asmHeader() + thumbFunction("f", kCallLog), withImports());
  mir::ExecEnv env;
  const uint64_t args[] = {3, 0x123456789ULL};
  RunResult r = run(img, "f", sigOf("il:i"), args, env);
  REQUIRE_MESSAGE(r.status == Status::Returned, r.error);
  const std::vector<uint64_t> want = mir::mixHost(kLog, args);
  CHECK(r.results.at(0) == ((want.at(0) + 1000) & 0xffffffffu));
}
