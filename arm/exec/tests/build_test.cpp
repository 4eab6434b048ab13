// Tests of image building: assembling, linking, symbols, stubs, errors and clang objects.
#include "arm/exec/elf_load.h"
#include "arm/exec/exec.h"
#include "arm/exec/tests/exec_test_util.h"
#include "arm/exec/process.h"
#include "arm/target/runtime.h"
#include "tests/tool_guard.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

using namespace vcr;
using namespace vcr::exec;
using namespace vcr::exec::test;

TEST_CASE("build: symbols, sizes and bytes of two functions") {
  const std::string text = asmHeader() +
                           thumbFunction(arm::rt::functionSymbol("add"), "  adds r0, r0, r1\n  bx lr") +
                           thumbFunction("second", "  movw r0, #0x1234\n  bx lr");
  Image img = mustBuild(text);
  CHECK(img.base == 0x10000000u);
  REQUIRE(img.symbols.count("vcr_fn_add"));
  CHECK(img.symbols.at("vcr_fn_add") == 0x10000000u);  // Thumb bit clear
  CHECK(img.sizes.at("vcr_fn_add") == 4);
  CHECK(img.sizes.at("second") == 6);  // movw is 32-bit
  CHECK(img.symbols.at("second") == 0x10000004u);
  CHECK(img.find("add") == 0x10000000u);   // MIR name
  CHECK(img.find("second") == 0x10000004u);
  CHECK(img.find("nope") == 0);
  {  // a module function named like a runtime routine is the module's
    const Image clash = mustBuild(asmHeader() + thumbFunction("__divsf3", "  movs r0, #1\n  bx lr") +
                                  thumbFunction(arm::rt::functionSymbol("__divsf3"), "  movs r0, #2\n  bx lr"));
    CHECK(clash.find("__divsf3") == clash.symbols.at(arm::rt::functionSymbol("__divsf3")));
    CHECK(clash.find("__divsf3") != clash.symbols.at("__divsf3"));
  }
  REQUIRE(img.bytes.size() >= 10);
  CHECK(img.bytes[0] == 0x40);  // adds r0, r0, r1 = 0x1840
  CHECK(img.bytes[1] == 0x18);
  CHECK(img.stubs.empty());
  CHECK(img.stubBegin == img.stubEnd);
}

TEST_CASE("build: textBase moves the image") {
  BuildOptions o;
  o.textBase = 0x08004000;
  Image img = mustBuild(asmHeader() + thumbFunction("f", "  bx lr"), o);
  CHECK(img.base == 0x08004000u);
  CHECK(img.symbols.at("f") == 0x08004000u);
}

TEST_CASE("build: bad assembly gives the assembler's message") {
  BuildResult r = buildImage(asmHeader() + thumbFunction("f", "  addz r0, r0, r1\n  bx lr"));
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("input.s:") != std::string::npos);  // temp dir stripped, line given
  CHECK(r.error.find("addz") != std::string::npos);
  CHECK(r.error.find("/tmp/") == std::string::npos);
}

TEST_CASE("build: an unresolved call gives the linker's message") {
  BuildResult r = buildImage(asmHeader() + thumbFunction("f", "  push {r4, lr}\n  bl vcr_imp_env_2elog\n  pop {r4, pc}"));
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("vcr_imp_env_2elog") != std::string::npos);
  CHECK(r.error.find("undefined reference") != std::string::npos);
}

TEST_CASE("build: imports become stubs in BL range, no veneers") {
  BuildOptions o;
  o.imports = {{"env.log", {{mir::ValType::I32}, {}}}, {"env.get", {{}, {mir::ValType::I32}}}};
  const std::string sym = arm::rt::importSymbol("env.log");
  CHECK(sym == "vcr_imp_env_2elog");
  Image img = mustBuild(asmHeader() + thumbFunction("f", fmt::format("  push {{r4, lr}}\n  bl {}\n  pop {{r4, pc}}", sym)), o);
  REQUIRE(img.stubs.size() == 2);
  CHECK(img.stubBegin >= img.symbols.at("f") + img.sizes.at("f"));
  CHECK(img.stubEnd == img.stubBegin + 8);
  CHECK(img.stubs.begin()->first == img.stubBegin);
  CHECK(img.stubs.at(img.stubBegin) == 0);
  CHECK(img.stubs.at(img.stubBegin + 4) == 1);
  CHECK(img.symbols.count(sym) == 0);  // stubs are not functions of the program
  CHECK(img.sizes.at("f") == 8);       // push, bl (4 bytes), pop: the BL reaches the stub directly
}

TEST_CASE("build: bad options are reported, not crashed on") {
  BuildOptions dup;
  dup.imports = {{"env.a", {}}, {"env.a", {}}};
  BuildResult r = buildImage(asmHeader(), dup);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("twice") != std::string::npos);

  BuildOptions two;  // several results (multi-value) are fine: R0-R3, then the stack
  two.imports = {{"env.b", {{}, {mir::ValType::I32, mir::ValType::I32}}}};
  r = buildImage(asmHeader(), two);
  CHECK(r.ok);

  BuildOptions tool;
  tool.toolPrefix = "no-such-toolchain-";
  r = buildImage(asmHeader() + thumbFunction("f", "  bx lr"), tool);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("not found") != std::string::npos);

  r = buildImage(asmHeader());  // nothing to load
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("loadable") != std::string::npos);

  r = buildImageFromObject("/nonexistent/x.o");
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("/nonexistent/x.o") != std::string::npos);
}

TEST_CASE("build: temp dirs are removed unless kept") {
  BuildOptions o;
  o.keepTemps = true;
  BuildResult r = buildImage(asmHeader() + thumbFunction("f", "  bx lr"), o);
  REQUIRE(r.ok);
  REQUIRE_FALSE(r.tempDir.empty());
  CHECK(std::filesystem::exists(r.tempDir + "/image.elf"));
  std::filesystem::remove_all(r.tempDir);
}

TEST_CASE("elf loader: malformed files give errors") {
  using detail::loadElf;
  detail::ElfImage out;
  std::string err;
  CHECK_FALSE(loadElf({}, out, err));
  CHECK(err == "not an ELF file");
  std::vector<uint8_t> junk(200, 0x41);
  CHECK_FALSE(loadElf(junk, out, err));
  // A real image, then truncated at every 97th length and corrupted header fields.
  BuildOptions o;
  o.keepTemps = true;
  BuildResult r = buildImage(asmHeader() + thumbFunction("f", "  bx lr") + ".data\n.word 7\n", o);
  REQUIRE(r.ok);
  std::vector<uint8_t> file;
  REQUIRE(readFile(r.tempDir + "/image.elf", file));
  std::filesystem::remove_all(r.tempDir);
  REQUIRE(loadElf(file, out, err));
  CHECK(out.symbols.at("f").function);
  for (size_t n = 0; n < file.size(); n += 97) {
    std::vector<uint8_t> cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
    detail::ElfImage o2;
    std::string e2;
    (void)loadElf(cut, o2, e2);  // must not crash (ASan run)
  }
  for (size_t at = 16; at < 52; ++at) {
    std::vector<uint8_t> bad = file;
    bad[at] ^= 0xff;
    detail::ElfImage o2;
    std::string e2;
    (void)loadElf(bad, o2, e2);
  }
}

TEST_CASE("build: an object compiled by clang-14 links and runs") {
  if (!vcr::testing::toolAvailable("clang-14")) return;
  TempDir dir;
  REQUIRE(dir.ok());
  const std::string c = dir.path() + "/k.c", o = dir.path() + "/k.o";
  REQUIRE(writeFile(c, "int mul_add(int a, int b, int c) { return a * b + c; }\n"
                               "int sum(const int *p, int n) { int s = 0; for (int i = 0; i < n; ++i) s += p[i]; return s; }\n"
                               "static int counter = 5;\n"
                               "int bump(void) { return ++counter; }\n"));
  ToolResult cc = runTool({"clang-14", "--target=thumbv7em-none-eabi", "-mcpu=cortex-m4", "-O2",
                                           "-fno-addrsig", "-c", "-o", o, c},
                                          dir.path());
  REQUIRE_MESSAGE(cc.ok, cc.output);
  BuildResult r = buildImageFromObject(o);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.image.symbols.count("mul_add"));
  CHECK(r.image.sizes.at("sum") > 0);

  mir::ExecEnv env;
  const uint64_t a3[] = {6, 7, 100};
  RunResult rr = run(r.image, "mul_add", sigOf("iii:i"), a3, env);
  REQUIRE_MESSAGE(rr.status == RunResult::Status::Returned, rr.error);
  CHECK(rr.results.at(0) == 142);

  // Pointers are linear-memory offsets when memory is mapped at 0.
  env.memory.assign(4096, 0);
  for (int i = 0; i < 10; ++i) env.memory[64 + 4 * i] = static_cast<uint8_t>(i + 1);
  const uint64_t a2[] = {64, 10};
  rr = run(r.image, "sum", sigOf("ii:i"), a2, env);
  REQUIRE_MESSAGE(rr.status == RunResult::Status::Returned, rr.error);
  CHECK(rr.results.at(0) == 55);
  CHECK(rr.loads >= 10);

  // .data is reloaded per run: a static counter starts from its initial value each time.
  Machine m(r.image);
  for (int i = 0; i < 2; ++i) {
    rr = m.run("bump", sigOf(":i"), {}, env);
    REQUIRE_MESSAGE(rr.status == RunResult::Status::Returned, rr.error);
    CHECK(rr.results.at(0) == 6);
  }
}
