// The LEGACY.md rules, one fixture each (corpus/ladder/*.wat): the expected per-rung log, errors, rung and code.
#include "arm/select/wasm_load.h"
#include "core/ir/text.h"
#include "ladder/ladder.h"
#include "ladder/tests/diff.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

using namespace vcr;
using namespace vcr::ladder;

namespace {

/// What a fixture's `;; @fn key: value` lines expect of function fn.
struct Expect {
  std::vector<std::string> trace;                   ///< "trace" lines, in order
  std::map<unsigned, std::string> attemptError;     ///< "error N": attempt N's message contains it
  std::string error;                                ///< "error": the reported error contains it
  std::string rung;                                 ///< "rung"
  int promoted = -1;                                ///< "promoted"
  int reported = -1;                                ///< "reported": the reported error is attempt N's
  int slots = -1;                                   ///< "slots": the last attempt's pool slots
  std::vector<std::string> code, nocode;            ///< substrings of the final code
};

std::map<std::string, Expect> readExpectations(const std::string &path) {
  std::ifstream in(path);
  std::map<std::string, Expect> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(";; @", 0) != 0) continue;
    const size_t sp = line.find(' ', 4), colon = line.find(": ");
    if (sp == std::string::npos || colon == std::string::npos || colon < sp) continue;
    Expect &e = out[line.substr(4, sp - 4)];
    const std::string key = line.substr(sp + 1, colon - sp - 1), value = line.substr(colon + 2);
    if (key == "trace") e.trace.push_back(value);
    else if (key == "error") e.error = value;
    else if (key.rfind("error ", 0) == 0) e.attemptError[static_cast<unsigned>(std::stoul(key.substr(6)))] = value;
    else if (key == "rung") e.rung = value;
    else if (key == "promoted") e.promoted = std::stoi(value);
    else if (key == "reported") e.reported = std::stoi(value);
    else if (key == "slots") e.slots = std::stoi(value);
    else if (key == "code") e.code.push_back(value);
    else if (key == "nocode") e.nocode.push_back(value);
    else FAIL("unknown expectation '" << key << "' in " << path);
  }
  return out;
}

/// The CPU a fixture is selected for: its `;; cpu: NAME` line (default cortex-m4).
arm::Cpu fixtureCpu(const std::string &path) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(";; cpu: ", 0) == 0) {
      auto c = arm::parseCpu(line.substr(8));
      REQUIRE_MESSAGE(c.has_value(), path << ": unknown cpu '" << line.substr(8) << "'");
      return *c;
    }
  return arm::Cpu::CortexM4;
}

/// Run the ladder on every function a fixture names and compare; returns the count checked.
unsigned checkFixture(const std::string &name) {
  const std::string path = std::string(VCR_SOURCE_DIR) + "/corpus/ladder/" + name;
  const auto expects = readExpectations(path);
  REQUIRE_MESSAGE(!expects.empty(), path);
  const arm::Cpu cpu = fixtureCpu(path);
  mir::Module m = test::selectFile(path, cpu);
  Diagnostics diags;
  auto bin = select::loadWasmFile(path, diags);
  REQUIRE(bin.has_value());
  auto facts = wasmFacts(*bin);
  REQUIRE(facts.has_value());
  unsigned n = 0;
  for (const auto &kv : expects) {  // no structured bindings: doctest's INFO captures in a lambda (clang-14)
    const std::string &fn = kv.first;
    const Expect &e = kv.second;
    const mir::Function *f = m.findFunction(fn);
    REQUIRE_MESSAGE(f != nullptr, name << ": no function " << fn);
    LegacyEnv env;
    env.wasm = facts->find(f->wasmIndex);
    env.fpu = !arm::softFloat(cpu);
    env.f64 = arm::hasF64(cpu);
    REQUIRE(env.wasm != nullptr);
    LadderResult r = runLadder(*f, m, env);
    std::string log;
    for (const auto &a : r.attempts) log += "  " + a.rung + (a.promotionOff ? " [promotion-off]" : "") + ": " +
                                           (a.message.empty() ? "ok" : a.message) + "\n";
    INFO(name << " @" << fn << " (rung " << r.rung << ")\n" << log);
    if (!e.trace.empty()) {
      std::string want;
      for (const auto &t : e.trace) want += t + "\n";
      CHECK(legacyTrace(r) == want);
    }
    for (const auto &km : e.attemptError) {
      const unsigned k = km.first;
      const std::string &msg = km.second;
      REQUIRE(k >= 1);
      REQUIRE(k <= r.attempts.size());
      CHECK_MESSAGE(r.attempts[k - 1].message.find(msg) != std::string::npos, "attempt " << k);
    }
    if (!e.error.empty()) CHECK(r.result.error.find(e.error) != std::string::npos);
    if (!e.rung.empty()) CHECK(r.rung == e.rung);
    if (e.promoted >= 0) CHECK(r.promotedLocals == static_cast<unsigned>(e.promoted));
    if (e.reported >= 1) {
      REQUIRE(static_cast<size_t>(e.reported) <= r.attempts.size());
      CHECK(r.result.error == r.attempts[static_cast<size_t>(e.reported) - 1].message);
      CHECK(r.result.error != r.attempts.back().message);  // the fixture makes them differ
    }
    if (e.slots >= 0) CHECK(r.attempts.back().config.poolSlots == static_cast<unsigned>(e.slots));
    const std::string code = r.result.ok ? mir::printFunction(r.result.function) : "";
    for (const auto &c : e.code) CHECK_MESSAGE(code.find(c) != std::string::npos, "code lacks '" << c << "'\n" << code);
    for (const auto &c : e.nocode) CHECK_MESSAGE(code.find(c) == std::string::npos, "code has '" << c << "'\n" << code);
    ++n;
  }
  return n;
}

}  // namespace

// The six cases the legacy compiler's own tests pin.
TEST_CASE("legacy rule: 10 live i32 need the spill rung") { CHECK(checkFixture("live10_i32.wat") == 2); }
TEST_CASE("legacy rule: high-pressure i64 reaches param-backing straight from base") {
  CHECK(checkFixture("i64_param_backing.wat") == 2);
}
TEST_CASE("legacy rule: a dense 5-local chain needs promotion-off") { CHECK(checkFixture("chain5.wat") == 1); }
TEST_CASE("legacy rule: 20 live i64 need pool-grow") { CHECK(checkFixture("live20_i64.wat") == 1); }
TEST_CASE("legacy rule: a promoted local freed by its last read compiles at base") {
  CHECK(checkFixture("promoted_release.wat") == 2);
}
TEST_CASE("legacy rule: four constant divisions in a control step need the spill rung") {
  CHECK(checkFixture("const_div.wat") == 2);
}
// The other rules.
TEST_CASE("legacy rule: param homes reserved to the last read, loop-extended, during the op") {
  CHECK(checkFixture("param_reserve.wat") == 5);
}
TEST_CASE("legacy rule: local.tee counts as a read") { CHECK(checkFixture("tee_read.wat") == 2); }
TEST_CASE("legacy rule: promotion counted on wasm operators") { CHECK(checkFixture("promote_wasm_counts.wat") == 5); }
TEST_CASE("legacy rule: pair allocation spills at base") { CHECK(checkFixture("i64_pair_spill_base.wat") == 1); }
TEST_CASE("legacy rule: alias snapshots take temps") { CHECK(checkFixture("alias_snapshot.wat") == 2); }
TEST_CASE("legacy rule: calls frame-back params, save 5 words, break cycles, park i64 results") {
  CHECK(checkFixture("call_rules.wat") == 4);
}
TEST_CASE("legacy rule: rung order, promotion-off without promoted locals, pool-grow from base") {
  CHECK(checkFixture("ladder_flow.wat") == 1);
}
TEST_CASE("legacy rule: values crossing blocks stay in registers, block results reserved") {
  CHECK(checkFixture("block_values.wat") == 4);
}
TEST_CASE("legacy rule: aliases of register homes are spill victims too") { CHECK(checkFixture("alias_spill.wat") == 2); }
TEST_CASE("legacy rule: the reported error is the promotion-on one, pool-grow clamped to 120, cursor start") {
  CHECK(checkFixture("exhausted.wat") == 2);
}
TEST_CASE("legacy rule: floats on a CPU without an FPU are declined") { CHECK(checkFixture("float_nofpu.wat") == 3); }
// The VFP file (cortex-m7dp, vcr-ra's cortex-m7) and the CPU declines.
TEST_CASE("legacy rule: the VFP file, its exhaustion errors and the vfp-spill rungs") {
  CHECK(checkFixture("vfp_file.wat") == 8);
}
TEST_CASE("legacy rule: AAPCS-VFP homes, the 16-word save area around calls, float arguments on the stack") {
  CHECK(checkFixture("vfp_abi.wat") == 7);
}
TEST_CASE("legacy rule: f64 and float-returning call_indirect decline on a single-precision FPU") {
  CHECK(checkFixture("vfp_cpu.wat") == 5);
}
TEST_CASE("legacy rule: float argument moves that cycle or interlock, and vfp-spill+int after param-backing") {
  CHECK(checkFixture("vfp_moves.wat") == 3);
}
TEST_CASE("legacy rule: two argument-move cycles take two spill slots") { CHECK(checkFixture("cycle_slots.wat") == 1); }
TEST_CASE("legacy rule: call_indirect takes its index in a free R4-R8 register when it has arguments") {
  CHECK(checkFixture("calli_rules.wat") == 3);
}
TEST_CASE("legacy rule: memory.copy and memory.fill are inline loops, the function stays a leaf") {
  CHECK(checkFixture("bulk_inline.wat") == 3);
}
