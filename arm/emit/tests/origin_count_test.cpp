// Executed instructions by origin: the emitter's origin marks (EmitOptions::markOrigins) and the
// runner's per-origin counter (RunOptions::countOrigins) on a hand-made loop with spill code.
#include "arm/emit/tests/emit_util.h"

#include "arm/exec/exec.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>

using namespace vcr;

namespace {

/// sum of i for i < n (n masked to 255), with r1 spilled around each iteration
/// (a spill store and reloads at an offset that needs two instructions each,
/// two moves), and a self-move that emits nothing.
constexpr const char *kLoop = R"(module {
  memory 1
}
func @loop(i32) -> (i32) allocated {
bb0:
  param r0
  push r4, lr !prologue
  adjsp #-8192 !prologue
  movi r3, #255
  and r0, r0, r3
  movi r1, #0
  movi r2, #0
  br bb1
bb1:
  set.uge r3, r2, r0
  brif r3, bb3, bb2
bb2:
  sts [sp+8188], r1 !spill
  movi r1, #1
  add r2, r2, r1
  lds r1, [sp+8188] !reload
  add r1, r1, r2
  mov r4, r1 !move
  mov r1, r4 !move
  mov r2, r2 !move
  br bb1
bb3:
  lds r0, [sp+8188] !reload
  mov r0, r1 !move
  adjsp #8192 !epilogue
  pop r4, lr !epilogue
  ret r0
}
)";

exec::RunResult runLoop(bool mark, bool count, uint64_t n, exec::Image *imageOut = nullptr) {
  emit::EmitOptions eo;
  eo.markOrigins = mark;
  emit::EmitResult er = emit::test::emitText(kLoop, eo);
  REQUIRE(er.declined.empty());
  exec::BuildResult b = exec::buildImage(er.asmText);
  REQUIRE_MESSAGE(b.ok, b.error);
  if (imageOut) *imageOut = b.image;
  mir::ExecEnv env;
  env.memory.assign(65536, 0);
  exec::RunOptions ro;
  ro.countOrigins = count;
  mir::Signature sig{{mir::ValType::I32}, {mir::ValType::I32}};
  const uint64_t args[] = {n};
  return exec::run(b.image, "loop", sig, args, env, ro);
}

uint64_t of(const exec::RunResult &r, mir::Origin o) { return r.originInsns[static_cast<size_t>(o)]; }

}  // namespace

TEST_CASE("origin counts: executed spill, reload and move instructions of a loop") {
  if (!testing::toolAvailable("arm-none-eabi-as")) return;
  for (uint64_t n : {0u, 1u, 7u, 300u}) {
    CAPTURE(n);
    const uint64_t iters = n & 255;
    exec::RunResult r = runLoop(true, true, n);
    REQUIRE(r.status == exec::RunResult::Status::Returned);
    REQUIRE(r.results.size() == 1);
    CHECK(r.results[0] == iters * (iters + 1) / 2);
    // [sp+8188] is past the 12-bit offset: each access is two instructions (address in r12, then ldr/str).
    CHECK(of(r, mir::Origin::Spill) == 2 * iters);         // one store per iteration
    CHECK(of(r, mir::Origin::Reload) == 2 * (iters + 1));  // one per iteration, one at the exit
    CHECK(of(r, mir::Origin::Move) == 2 * iters + 1);  // the self-move emits nothing
    CHECK(of(r, mir::Origin::Prologue) >= 2);
    CHECK(of(r, mir::Origin::Epilogue) >= 2);
    CHECK(of(r, mir::Origin::Original) == 0);
    uint64_t marked = 0;
    for (uint64_t v : r.originInsns) marked += v;
    CHECK(marked < r.insns);  // the loop's own instructions are unmarked
  }
}

TEST_CASE("origin counts: marks change no code, and nothing is counted unless asked") {
  if (!testing::toolAvailable("arm-none-eabi-as")) return;
  exec::Image marked, plain;
  exec::RunResult a = runLoop(true, false, 9, &marked);
  exec::RunResult b = runLoop(false, true, 9, &plain);
  CHECK(marked.bytes == plain.bytes);
  CHECK_FALSE(marked.originRanges.empty());
  CHECK(plain.originRanges.empty());
  CHECK(a.insns == b.insns);
  for (uint64_t v : a.originInsns) CHECK(v == 0);
  for (uint64_t v : b.originInsns) CHECK(v == 0);
  const std::string text = emit::test::emitText(kLoop, {}).asmText;
  CHECK(text.find("__vcr_ob_") == std::string::npos);
}
