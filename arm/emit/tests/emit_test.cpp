// Unit tests of the emitter on hand-written allocated MIR: key sequences, aliasing, immediates, traps, declines.
#include "arm/emit/tests/emit_util.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>

#include <functional>

using namespace vcr;
using emit::test::bodyOf;
using emit::test::emitText;

namespace {

/// Emit a one-function module `@f` whose body is `body` (allocated form),
/// require that it is emitted and assembles, and return its normalised body.
std::string emitFn(const std::string &sig, const std::string &body,
                   const emit::EmitOptions &opts = {},
                   const std::function<void(mir::Module &)> &patch = {}) {
  const std::string text = "module {\n  memory 1\n  global 0 mut 0\n}\nfunc @f" + sig +
                           " allocated {\nbb0:\n" + body + "}\n";
  mir::Module m = emit::test::parse(text);
  if (patch) patch(m);
  emit::EmitResult r = emit::emitModule(m, opts);
  REQUIRE_MESSAGE(r.declined.empty(), (r.declined.empty() ? "" : r.declined[0].reason));
  REQUIRE(r.emitted.size() == 1);
  if (vcr::testing::toolForExtraStep("arm-none-eabi-as", emit::test::haveAssembler())) {
    emit::test::AsResult as = emit::test::assemble(r.asmText);
    REQUIRE_MESSAGE(as.ok, as.output << "\n" << r.asmText);
  }
  return bodyOf(r.asmText, "f");
}

/// The decline reason of `@f`, or "" if it was emitted.
std::string declineOf(const std::string &text, const std::string &fn = "f") {
  emit::EmitResult r = emitText(text);
  for (const auto &d : r.declined)
    if (d.function == fn) return d.reason;
  return "";
}

bool has(const std::string &body, const std::string &needle) {
  return body.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a module starts with the Thumb-2 header and each function gets its symbol directives") {
  emit::EmitResult r = emitText("func @add(i32, i32) -> (i32) allocated {\nbb0:\n  param r0, r1\n"
                                "  add r0, r0, r1\n  ret r0\n}\n");
  REQUIRE(r.emitted == std::vector<std::string>{"add"});
  for (const char *s : {".syntax unified", ".cpu cortex-m4", ".thumb", ".text",
                        ".global vcr_fn_add", ".type vcr_fn_add, %function", ".thumb_func",
                        "vcr_fn_add:", ".size vcr_fn_add, .-vcr_fn_add"})
    CHECK_MESSAGE(has(r.asmText, s), s);
  CHECK(bodyOf(r.asmText, "add") == ".Lvcr_fn_add_0:\nadd r0, r0, r1\nbx lr\n");
}

TEST_CASE("self moves are elided unless asked and param emits nothing") {
  const std::string body = "  param r0\n  mov r0, r0\n  mov r1, r0\n  ret r0\n";
  CHECK(emitFn("(i32) -> (i32)", body) == ".Lvcr_fn_f_0:\nmov r1, r0\nbx lr\n");
  emit::EmitOptions keep;
  keep.elideSelfMoves = false;
  CHECK(emitFn("(i32) -> (i32)", body, keep) == ".Lvcr_fn_f_0:\nmov r0, r0\nmov r1, r0\nbx lr\n");
}

TEST_CASE("movi picks mov, mvn, movw or movw+movt") {
  const std::string b = emitFn("() -> (i32)",
                               "  movi r0, #42\n  movi r1, #4294967040\n  movi r2, #65520\n"
                               "  movi r3, #305419896\n  movi lr, #0x3fc00\n  ret r0\n");
  CHECK(has(b, "mov r0, #42\n"));
  CHECK(has(b, "mvn r1, #255\n"));
  CHECK(has(b, "movw r2, #65520\n"));
  CHECK_FALSE(has(b, "movt r2"));
  CHECK(has(b, "movw r3, #22136\nmovt r3, #4660\n"));
  CHECK(has(b, "mov lr, #261120\n"));
}

TEST_CASE("binary immediates: modified, imm12, negated, inverted, or via the def or a scratch") {
  const std::string b = emitFn("(i32) -> (i32)",
                               "  param r0\n  add r1, r0, #5\n  add r1, r0, #257\n"
                               "  add r1, r0, #4294967291\n  sub r1, r0, #4294967040\n"
                               "  add r1, r0, #305419896\n  and r1, r0, #4294967040\n"
                               "  orr r1, r0, #4294901760\n  orr r1, r0, #4294967280\n  eor r1, r0, #257\n  mul r1, r0, #3\n"
                               "  sub r1, r2, r0\n  ret r0\n",
                               {}, [](mir::Module &m) {
                                 // the validator forbids an immediate first operand; the
                                 // emitter still handles it
                                 m.functions[0].blocks[0].instrs[11].uses[0] = mir::Operand::imm(7);
                               });
  CHECK(has(b, "add r1, r0, #5\n"));
  CHECK(has(b, "addw r1, r0, #257\n"));
  CHECK(has(b, "sub r1, r0, #5\n"));     // + (-5)
  CHECK(has(b, "add r1, r0, #256\n"));   // - (-256)
  CHECK(has(b, "movw r1, #22136\nmovt r1, #4660\nadd r1, r0, r1\n"));  // the def as the temporary
  CHECK(has(b, "bic r1, r0, #255\n"));
  CHECK(has(b, "movw r1, #0\nmovt r1, #65535\norr r1, r0, r1\n"));  // 0xffff0000: neither form
  CHECK(has(b, "orn r1, r0, #15\n"));                                  // 0xfffffff0 = ~15
  CHECK(has(b, "movw r1, #257\neor r1, r0, r1\n"));
  CHECK(has(b, "mov r1, #3\nmul r1, r0, r1\n"));
  CHECK(has(b, "rsb r1, r0, #7\n"));
}

TEST_CASE("shifts: amounts mod 32, no lsr/asr #0, register amounts masked") {
  const std::string b = emitFn("(i32, i32) -> (i32)",
                               "  param r0, r1\n  shru r2, r0, #0\n  shrs r3, r0, #32\n"
                               "  shl r2, r0, #33\n  rotl r2, r0, #8\n  rotr r2, r0, #40\n"
                               "  rotl r2, r0, #32\n  shru r0, r0, #64\n"
                               "  shl r2, r0, r1\n  shrs r2, r0, r1\n  rotr r2, r0, r1\n"
                               "  rotl r2, r0, r1\n  shl r0, r0, r1\n  shl r0, r0, r1\n  ret r0\n");
  CHECK(has(b, "mov r2, r0\nmov r3, r0\nlsl r2, r0, #1\nror r2, r0, #24\nror r2, r0, #8\n"
               "mov r2, r0\nand r2, r1, #31\nlsl r2, r0, r2\n"));  // the destination is the temporary
  CHECK(has(b, "and r2, r1, #31\nasr r2, r0, r2\n"));
  CHECK(has(b, "ror r2, r0, r1\n"));
  CHECK(has(b, "rsb r2, r1, #0\nror r2, r0, r2\n"));
  CHECK(has(b, "and r12, r1, #31\nlsl r0, r0, r12\n"));  // d == a, the amount read again later: r12
  CHECK(has(b, "and r1, r1, #31\nlsl r0, r0, r1\n"));    // d == a, the amount dies here: its own register
  CHECK_FALSE(has(b, "lsr r0, r0"));  // shru r0, r0, #64 is a no-op
  for (const char *bad : {"lsr r2, r0, #0", "asr r3, r0, #0", "lsl r2, r0, #0", "ror r2, r0, #0"})
    CHECK_FALSE(has(b, bad));
}

TEST_CASE("division emits sdiv/udiv and remainder emits div+mls through r12 only when the result aliases an operand") {
  const std::string b = emitFn("(i32, i32) -> (i32)",
                               "  param r0, r1\n  sdiv r2, r0, r1\n  udiv r2, r0, r1\n"
                               "  srem r0, r0, r1\n  urem r1, r0, r1\n  srem r2, r0, r1\n  ret r0\n");
  CHECK(has(b, "sdiv r2, r0, r1\nudiv r2, r0, r1\n"));
  CHECK(has(b, "sdiv r12, r0, r1\nmls r0, r12, r1, r0\n"));
  CHECK(has(b, "udiv r12, r0, r1\nmls r1, r12, r1, r0\n"));
  CHECK(has(b, "sdiv r2, r0, r1\nmls r2, r2, r1, r0\n"));  // d distinct from a, b: no r12
}

TEST_CASE("unary operations: clz, ctz via rbit, popcnt by shifts and masks, sign extension via sxtb/sxth") {
  const std::string b = emitFn("(i32) -> (i32)",
                               "  param r0\n  clz r1, r0\n  ctz r0, r0\n  popcnt r2, r0\n"
                               "  sext8 r3, r0\n  sext16 r3, r0\n  ret r0\n");
  CHECK(has(b, "clz r1, r0\nrbit r0, r0\nclz r0, r0\n"));
  CHECK(has(b, "lsr r12, r0, #1\n"));
  CHECK(has(b, "lsr r2, r2, #24\n"));
  CHECK(has(b, "sxtb r3, r0\nsxth r3, r0\n"));
}

TEST_CASE("set emits cmp and an ite pair of movs and sel emits cmp and a conditional mov") {
  const std::string b = emitFn("(i32, i32) -> (i32)",
                               "  param r0, r1\n  set.ult r2, r0, r1\n  set.sgt r0, r3, r1\n"
                               "  set.eq r2, r0, #4294967291\n  sel r3, r2, r0, r1\n"
                               "  sel r0, r2, r0, r1\n  sel r1, r2, r0, r1\n  ret r0\n",
                               {}, [](mir::Module &m) {
                                 m.functions[0].blocks[0].instrs[2].uses[0] = mir::Operand::imm(5);
                               });
  CHECK(has(b, "cmp r0, r1\nite lo\nmovlo r2, #1\nmovhs r2, #0\n"));
  CHECK(has(b, "cmp r1, #5\nite lt\nmovlt r0, #1\nmovge r0, #0\n"));  // 5 > r1  <=>  r1 < 5
  CHECK(has(b, "cmn r0, #5\nite eq\nmoveq r2, #1\nmovne r2, #0\n"));
  CHECK(has(b, "cmp r2, #0\nite ne\nmovne r3, r0\nmoveq r3, r1\n"));
  CHECK(has(b, "cmp r2, #0\nit eq\nmoveq r0, r1\n"));
  CHECK(has(b, "cmp r2, #0\nit ne\nmovne r1, r0\n"));
}

TEST_CASE("set64: eq via two compares, orders via cmp/sbcs with swapped operands") {
  const std::string b = emitFn("(i64, i64) -> (i32)",
                               "  param r0, r1, r2, r3\n  set64.ne r4, r0, r1, r2, r3\n"
                               "  set64.slt r4, r0, r1, r2, r3\n  set64.ugt r4, r0, r1, r2, r3\n"
                               "  set64.sle r0, r0, r1, r2, r3\n  ret r0\n");
  CHECK(has(b, "cmp r0, r2\nit eq\ncmpeq r1, r3\nite ne\nmovne r4, #1\nmoveq r4, #0\n"));
  CHECK(has(b, "cmp r0, r2\nsbcs r4, r1, r3\nite lt\nmovlt r4, #1\nmovge r4, #0\n"));
  CHECK(has(b, "cmp r2, r0\nsbcs r4, r3, r1\nite lo\nmovlo r4, #1\nmovhs r4, #0\n"));
  CHECK(has(b, "cmp r2, r0\nsbcs r0, r3, r1\nite ge\nmovge r0, #1\nmovlt r0, #0\n"));
}

TEST_CASE("i64 arithmetic handles defs aliasing uses") {
  const std::string b = emitFn("(i64, i64) -> (i64)",
                               "  param r0, r1, r2, r3\n  add64 r4, r5, r0, r1, r2, r3\n"
                               "  add64 r1, r2, r0, r1, r2, r3\n  sub64 r3, r0, r0, r1, r2, r3\n"
                               "  mul64 r0, r1, r0, r1, r2, r3\n  umull r0, r1, r1, r0\n"
                               "  smull r2, r3, r2, r2\n  mul64 r4, r5, r0, r1, r2, r3\n  ret r0, r1\n");
  CHECK(has(b, "adds r4, r0, r2\nadc r5, r1, r3\n"));
  CHECK(has(b, "adds r12, r0, r2\nadc r2, r1, r3\nmov r1, r12\n"));  // dlo = ahi
  CHECK(has(b, "subs r12, r0, r2\nsbc r0, r1, r3\nmov r3, r12\n"));  // dlo = bhi
  CHECK(has(b, "mul r12, r0, r3\nmla r12, r1, r2, r12\numull r0, r1, r0, r2\nadd r1, r1, r12\n"));
  CHECK(has(b, "umull r0, r1, r1, r0\nsmull r2, r3, r2, r2\n"));
  CHECK(has(b, "mul r5, r0, r3\nmla r5, r1, r2, r5\nmov r4, #0\numlal r4, r5, r0, r2\n"));
}

TEST_CASE("64-bit division and shifts call private runtime routines, emitted once") {
  emit::EmitResult r = emitText(
      "func @f(i64, i64) -> (i64) allocated {\nbb0:\n  param r0, r1, r2, r3\n"
      "  udiv64 r4, r5, r0, r1, r2, r3\n  udiv64 r0, lr, r4, r5, r2, r3\n"
      "  shl64 r0, r1, r0, r1, r2\n  srem64 r2, r3, r0, r1, r2, r3\n  ret r0, r1\n}\n");
  REQUIRE(r.declined.empty());
  const std::string b = bodyOf(r.asmText, "f");
  CHECK(has(b, "sub sp, sp, #24\nstr r0, [sp]\nstr r1, [sp, #4]\nstr r2, [sp, #8]\n"
               "str r3, [sp, #12]\nstr lr, [sp, #16]\nbl __vcr_rt_udiv64\nldr lr, [sp, #16]\n"
               "ldr r4, [sp]\nldr r5, [sp, #4]\nadd sp, sp, #24\n"));
  CHECK(has(b, "ldr lr, [sp, #16]\nldr r0, [sp]\nldr lr, [sp, #4]\n"));  // LR restored before it is loaded
  CHECK(has(b, "str r2, [sp, #8]\nstr lr, [sp, #16]\nbl __vcr_rt_shl64\n"));
  CHECK_FALSE(has(b, "r12"));  // runtime calls need no scratch
  size_t n = 0;
  for (size_t p = 0; (p = r.asmText.find("__vcr_rt_udivmod64_core:", p)) != std::string::npos; ++p) ++n;
  CHECK(n == 1);
  CHECK(has(r.asmText, "__vcr_rt_srem64:"));
  CHECK(has(r.asmText, "__vcr_rt_sdivmod64_core:"));
  CHECK_FALSE(has(r.asmText, "__vcr_rt_rotl64:"));  // unused routines are not emitted
  if (vcr::testing::toolForExtraStep("arm-none-eabi-as", emit::test::haveAssembler())) {
    auto as = emit::test::assemble(r.asmText);
    CHECK_MESSAGE(as.ok, as.output);
  }
}

TEST_CASE("memory: bounds-checked sequence with negative offsets, large offsets, globals") {
  const std::string b = emitFn("(i32, i32) -> (i32)",
                               "  param r0, r1\n  load.u8 r2, [r0+4]\n  load.s16 r2, [r0+0]\n"
                               "  load64 r2, r3, [r0+8]\n  load.32 r0, [r0+65536]\n"
                               "  store.32 r1, [r0+100000]\n"
                               "  store64 r2, r3, [r1+0]\n  load.32 r2, [r0+4294967295]\n"
                               "  gget r2, #0\n  gset r2, #0\n  memsize r0\n  ret r0\n",
                               {}, [](mir::Module &m) {
                                 m.functions[0].blocks[0].instrs[8].imm = 3;
                                 m.functions[0].blocks[0].instrs[9].imm = 2001;
                               });
  const std::string trap = ".Lvcr_fn_f_trap_oob";
  CHECK(has(b, "adds r2, r0, #5\nbcs " + trap + "\ncmp r2, r10\nbhi " + trap +
                   "\nadd r2, r2, r11\nldrb r2, [r2, #-1]\n"));  // a load uses its destination
  CHECK(has(b, "adds r2, r0, #2\n"));
  CHECK(has(b, "ldrsh r2, [r2, #-2]\n"));
  CHECK(has(b, "adds r2, r0, #16\n"));
  CHECK(has(b, "ldrd r2, r3, [r2, #-8]\n"));
  CHECK(has(b, "movw r12, #4\nmovt r12, #1\nadds r12, r12, r0\nbcs " + trap + "\ncmp r12, r10\n"));  // d == a
  CHECK(has(b, "ldr r0, [r12, #-4]\n"));
  CHECK(has(b, "movw r12, #34468\nmovt r12, #1\nadds r12, r12, r0\n"));  // 100004
  CHECK(has(b, "str r1, [r12, #-4]\n"));
  CHECK(has(b, "adds r1, r1, #8\n"));  // the address dies here: it holds the host address
  CHECK(has(b, "strd r2, r3, [r1, #-8]\n"));
  CHECK(has(b, "b " + trap + "\n"));  // offset + 4 > 2^32 - 1: always out of bounds
  CHECK(has(b, "ldr r2, [r9, #12]\n"));
  CHECK(has(b, "movw r12, #8004\nstr r2, [r9, r12]\n"));
  CHECK(has(b, "lsr r0, r10, #16\n"));
  CHECK(has(b, trap + ":\nudf #19\n"));
}

TEST_CASE("stack words, push/pop/adjsp, pop+ret folding") {
  const std::string b = emitFn("(i32) -> (i32)",
                               "  param r0\n  push r8, r4, lr\n  adjsp #-16\n  sts [sp+4], r0\n"
                               "  lds r4, [sp+4]\n  lds r4, [sp+8004]\n  adjsp #16\n"
                               "  adjsp #-5000\n  adjsp #5000\n  pop r4, r8, lr\n  ret r0\n");
  CHECK(has(b, "push {r4, r8, lr}\nsub sp, sp, #16\nstr r0, [sp, #4]\nldr r4, [sp, #4]\n"));
  CHECK(has(b, "movw r12, #8004\nldr r4, [sp, r12]\nadd sp, sp, #16\n"));
  CHECK(has(b, "movw r12, #5000\nsub sp, sp, r12\n"));
  CHECK(has(b, "pop {r4, r8, pc}\n"));
  CHECK_FALSE(has(b, "bx lr"));
}

TEST_CASE("branches: fall-through omitted, brif inverted, traps") {
  const std::string b = emitFn("(i32) -> (i32)",
                               "  param r0\n  brif r0, bb1, bb2\nbb1:\n  trapif r0, divzero\n"
                               "  brif r0, bb3, bb2\nbb2:\n  br bb3\nbb3:\n  trap unreachable\n");
  CHECK(b == ".Lvcr_fn_f_0:\ncmp r0, #0\nbeq .Lvcr_fn_f_2\n.Lvcr_fn_f_1:\ncmp r0, #0\n"
             "bne .Lvcr_fn_f_trap_divzero\ncmp r0, #0\nbne .Lvcr_fn_f_3\n.Lvcr_fn_f_2:\n"
             ".Lvcr_fn_f_3:\nudf #16\n.Lvcr_fn_f_trap_divzero:\nudf #17\n");
}

TEST_CASE("brtable: bounds check then tbh through trampolines") {
  const std::string b = emitFn("(i32) -> (i32)",
                               "  param r0\n  br bb1\nbb1:\n  brtable r0, bb2, bb1, bb2, bb3\n"
                               "bb2:\n  ret r0\nbb3:\n  movi r0, #1\n  ret r0\n");
  CHECK(has(b, "cmp r0, #3\nbhs .Lvcr_fn_f_3\ntbh [pc, r0, lsl #1]\n.Lvcr_fn_f_tbh0:\n"
               ".short (.Lvcr_fn_f_tbh0_0 - .Lvcr_fn_f_tbh0) / 2\n"
               ".short (.Lvcr_fn_f_tbh0_1 - .Lvcr_fn_f_tbh0) / 2\n"
               ".short (.Lvcr_fn_f_tbh0_0 - .Lvcr_fn_f_tbh0) / 2\n"
               ".Lvcr_fn_f_tbh0_0:\nb .Lvcr_fn_f_2\n.Lvcr_fn_f_tbh0_1:\nb .Lvcr_fn_f_1\n"));
}

TEST_CASE("calls branch to the runtime.h symbols of functions and imports") {
  emit::EmitResult r = emitText(
      "module {\n  import @env.log (i32) -> ()\n}\n"
      "func @g_x(i32) -> (i32) allocated {\nbb0:\n  param r0\n  ret r0\n}\n"
      "func @f(i32) -> (i32) allocated {\nbb0:\n  param r0\n  push r4, lr\n"
      "  call @g_x (r0) -> (r0)\n  call @env.log (r0) -> ()\n  pop r4, lr\n  ret r0\n}\n");
  REQUIRE(r.declined.empty());
  const std::string b = bodyOf(r.asmText, "f");
  CHECK(has(b, "bl vcr_fn_g__x\nbl vcr_imp_env_2elog\npop {r4, pc}\n"));
}

TEST_CASE("with r12 holding a value the expansion takes another free register, or borrows one") {
  // r12 live across an instruction that needs scratch: r3 serves (free, caller-saved)
  std::string b = emitFn("(i32, i32) -> (i32)", "  param r0, r1\n  mov r12, r0\n  add r1, r1, #305419896\n"
                                                "  add r0, r12, r1\n  ret r0\n");
  CHECK(has(b, "movw r3, #22136\nmovt r3, #4660\nadd r1, r1, r3\n"));
  // r12 an operand: another register again
  b = emitFn("(i32, i32) -> (i32)", "  param r0, r1\n  popcnt r12, r0\n  mov r0, r12\n  ret r0\n");
  CHECK(has(b, "lsr r3, r0, #1\n"));
  // every caller-saved register busy, r4 saved by the prologue: r4 serves
  b = emitFn("(i32, i32) -> (i32)",
             "  param r0, r1\n  push r4, lr\n  movi r2, #2\n  movi r3, #3\n  movi r12, #12\n"
             "  add r1, r1, #305419896\n  add r0, r0, r1\n  add r0, r0, r2\n  add r0, r0, r3\n"
             "  add r0, r0, r12\n  pop r4, lr\n  ret r0\n");
  CHECK(has(b, "movw r4, #22136\nmovt r4, #4660\nadd r1, r1, r4\n"));
  // r4 pushed but its copy dropped by the epilogue (adjsp, not pop): never
  // written, r4 still holds the caller's value at the return, so it is no
  // scratch (a push alone used to count as a save)
  b = emitFn("(i32, i32) -> (i32)",
             "  param r0, r1\n  push r4\n  movi r2, #2\n  movi r3, #3\n  movi r12, #12\n"
             "  add r1, r1, #305419896\n  add r0, r0, r1\n  add r0, r0, r2\n  add r0, r0, r3\n"
             "  add r0, r0, r12\n  adjsp #4\n  ret r0\n");
  CHECK_FALSE(has(b, "movw r4"));
  CHECK(has(b, "push {r12}\nmovw r12, #22136\nmovt r12, #4660\nadd r1, r1, r12\npop {r12}\n"));
  // nothing free and nothing saved: a register that is not an operand is borrowed around the expansion
  b = emitFn("(i32, i32) -> (i32)",
             "  param r0, r1\n  movi r2, #2\n  movi r3, #3\n  movi r12, #12\n"
             "  add r1, r1, #305419896\n  add r0, r0, r1\n  add r0, r0, r2\n  add r0, r0, r3\n"
             "  add r0, r0, r12\n  ret r0\n");
  CHECK(has(b, "push {r12}\nmovw r12, #22136\nmovt r12, #4660\nadd r1, r1, r12\npop {r12}\n"));
}

TEST_CASE("r12 may be allocated where no scratch is needed") {
  const std::string b = emitFn("(i32, i32) -> (i32)",
                               "  param r0, r1\n  mov r12, r0\n  add r12, r12, #1\n"
                               "  add r0, r12, r1\n  add r1, r1, #305419896\n  ret r0\n");
  CHECK(has(b, "mov r12, r0\nadd r12, r12, #1\nadd r0, r12, r1\nmovw r12"));
}

TEST_CASE("declines: scratch conflicts, sp as data, stack operands, vreg form, transitive callers") {
  const std::string head = "func @f(i32, i32) -> (i32) allocated {\nbb0:\n  param r0, r1\n";
  // no scratch at all: every candidate holds a value or is an operand, and
  // the instruction is a terminator (257 cases: cmp needs the count in a register)
  std::string table = "  brtable r0";
  for (int k = 0; k < 258; ++k) table += ", bb1";
  std::string why = declineOf("func @f(i32, i32) -> (i32) allocated {\nbb0:\n  param r0, r1\n  movi r2, #2\n"
                              "  movi r3, #3\n  movi r12, #12\n" + table + "\nbb1:\n  add r0, r0, r1\n"
                              "  add r0, r0, r2\n  add r0, r0, r3\n  add r0, r0, r12\n  ret r0\n}\n");
  CHECK(has(why, "needs a scratch register"));
  why = declineOf(head + "  add r0, sp, r1\n  ret r0\n}\n");
  CHECK(has(why, "cannot be a data register"));
  {
    mir::Module m = emit::test::parse(head + "  adjsp #-8\n  add r0, r0, r1\n  adjsp #8\n  ret r0\n}\n");
    m.functions[0].blocks[0].instrs[2].uses[0] = mir::Operand::stack(0);  // validator forbids it
    emit::EmitResult r = emit::emitModule(m);
    REQUIRE(r.declined.size() == 1);
    CHECK(has(r.declined[0].reason, "[sp+0], not a register"));
  }
  // a caller of a declined function is declined, naming it; its caller too
  emit::EmitResult r = emitText(
      "func @bad(i32) -> (i32) allocated {\nbb0:\n  param r0\n  add r0, r0, sp\n  ret r0\n}\n"
      "func @mid(i32) -> (i32) allocated {\nbb0:\n  param r0\n  push r4, lr\n"
      "  call @bad (r0) -> (r0)\n  pop r4, lr\n  ret r0\n}\n"
      "func @top(i32) -> (i32) allocated {\nbb0:\n  param r0\n  push r4, lr\n"
      "  call @mid (r0) -> (r0)\n  pop r4, lr\n  ret r0\n}\n"
      "func @ok(i32) -> (i32) allocated {\nbb0:\n  param r0\n  ret r0\n}\n");
  CHECK(r.emitted == std::vector<std::string>{"ok"});
  REQUIRE(r.declined.size() == 3);
  CHECK(r.declined[1].function == "mid");
  CHECK(has(r.declined[1].reason, "@bad"));
  CHECK(r.declined[2].function == "top");
  CHECK(has(r.declined[2].reason, "@mid"));
  CHECK_FALSE(has(r.asmText, "vcr_fn_mid"));
  // vreg form
  r = emitText("func @v(i32) -> (i32) {\nbb0:\n  param v0\n  ret v0\n}\n");
  REQUIRE(r.declined.size() == 1);
  CHECK(has(r.declined[0].reason, "allocated form"));
}
