// Emitter tests of `calli`: the table as data, the check sequence with the
// index in an ordinary register, in R12 or in LR, and decline propagation.
#include "arm/emit/tests/emit_util.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>

using namespace vcr;
using emit::test::bodyOf;
using emit::test::emitText;

namespace {

constexpr const char *kHeader =
    "module {\n  import @env.log (i32) -> (i32)\n  type 0 (i32) -> (i32)\n  type 1 (i32) -> (i32)\n"
    "  table 5\n  elem 0 @g 0\n  elem 1 @env.log 0\n  elem 2 opaque\n  elem 4 @h 1\n}\n"
    "func @g(i32) -> (i32) allocated {\nbb0:\n  param r0\n  ret r0\n}\n"
    "func @h(i32) -> (i32) allocated {\nbb0:\n  param r0\n  ret r0\n}\n";

/// @f calls through `index` (which must hold the index; r0 is the argument).
std::string withIndexIn(const std::string &index) {
  return std::string(kHeader) + "func @f(i32, i32) -> (i32) allocated {\nbb0:\n  param r0, r1\n  push r4, lr\n" +
         "  mov " + index + ", r1\n  calli #0, " + index + " (r0) -> (r0)\n  pop r4, lr\n  ret r0\n}\n";
}

bool has(const std::string &body, const std::string &needle) { return body.find(needle) != std::string::npos; }

void assembles(const std::string &text) {
  if (!vcr::testing::toolForExtraStep("arm-none-eabi-as", emit::test::haveAssembler())) return;
  emit::test::AsResult as = emit::test::assemble(text);
  CHECK_MESSAGE(as.ok, as.output << "\n" << text);
}

}  // namespace

TEST_CASE("calli: bounds, null and signature checks, then blx through r12") {
  emit::EmitResult r = emitText(withIndexIn("r4"));
  REQUIRE(r.declined.empty());
  const std::string b = bodyOf(r.asmText, "f");
  CHECK(has(b, "cmp r4, #5\nbhs .Lvcr_fn_f_trap_tableoob\nlsl r12, r4, #3\n"
               "movw lr, #:lower16:__vcr_table\nmovt lr, #:upper16:__vcr_table\nadd r12, r12, lr\n"
               "ldr lr, [r12, #4]\nldr r12, [r12]\ncmp r12, #0\nbeq .Lvcr_fn_f_trap_nullfunc\n"
               "cmp lr, #0\nbne .Lvcr_fn_f_trap_badsig\nblx r12\n"));
  CHECK(has(b, "udf #21"));  // tableoob
  CHECK(has(b, "udf #22"));  // nullfunc
  CHECK(has(b, "udf #23"));  // badsig
  // the table: functions and imports by symbol, null and opaque as sentinels
  CHECK(has(r.asmText, "__vcr_table:\n\t.word vcr_fn_g, 0\n\t.word vcr_imp_env_2elog, 0\n"
                       "\t.word 1, 4294967294\n\t.word 0, 4294967295\n\t.word vcr_fn_h, 1\n"));
  assembles(r.asmText);
}

TEST_CASE("calli: an index in r12 or lr is read before they are overwritten") {
  for (const char *x : {"r12", "lr", "r3"}) {
    CAPTURE(x);
    emit::EmitResult r = emitText(withIndexIn(x));
    REQUIRE(r.declined.empty());
    const std::string b = bodyOf(r.asmText, "f");
    CHECK(has(b, std::string("cmp ") + x + ", #5\nbhs .Lvcr_fn_f_trap_tableoob\nlsl r12, " + x + ", #3\n"));
    assembles(r.asmText);
  }
}

TEST_CASE("calli: a declined function of the signature declines the caller") {
  std::string text = withIndexIn("r4");
  // @g (signature 0) becomes unencodable: sp as a data register
  const std::string gBody = "  param r0\n  ret r0\n}\nfunc @h";
  text.replace(text.find(gBody), gBody.size(), "  param r0\n  add r0, sp, r0\n  ret r0\n}\nfunc @h");
  emit::EmitResult r = emitText(text);
  bool fDeclined = false, hEmitted = false;
  for (const auto &d : r.declined) fDeclined |= d.function == "f";
  for (const auto &e : r.emitted) hEmitted |= e == "h";
  CHECK(fDeclined);
  CHECK(hEmitted);
  CHECK(has(r.asmText, "__vcr_table:\n\t.word 1, 4294967294\n"));  // @g's slot: opaque
  assembles(r.asmText);
}
