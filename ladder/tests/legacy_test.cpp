// The legacy model's allocated MIR against the vreg MIR in the interpreter, over the whole corpus, plus its errors.
#include "ladder/ladder.h"
#include "ladder/legacy.h"
#include "ladder/tests/diff.h"

#include "core/ir/text.h"
#include "core/ir/validate.h"

#include "tests/size_env.h"

#include <doctest/doctest.h>

#include <functional>

using namespace vcr;
using namespace vcr::ladder;

namespace {

std::string diagText(const Diagnostics &ds) {
  std::string s;
  for (const auto &d : ds) s += d.str() + "\n";
  return s;
}

/// Allocate every function of `m` with `pick`; nullopt when one failed.
std::optional<mir::Module> allocateAll(const mir::Module &m,
                                       const std::function<std::optional<mir::Function>(const mir::Function &)> &pick) {
  mir::Module out = m;
  out.functions.clear();
  for (const auto &f : m.functions) {
    auto a = pick(f);
    if (!a) return std::nullopt;
    out.functions.push_back(std::move(*a));
  }
  return out;
}

/// Validate `a` and run the differential on every function; returns the count checked.
unsigned checkModule(const mir::Module &m, const mir::Module &a, const std::string &what) {
  Diagnostics vd;
  CHECK_MESSAGE(mir::validateModule(a, vd), what << ":\n" << diagText(vd));
  unsigned n = 0;
  for (const auto &f : m.functions) {
    test::Diff d = test::differential(m, a, f.name, 20, 5);
    CHECK_MESSAGE(d.same, what << " @" << f.name << ": " << d.why << "\n--- vreg\n"
                               << mir::printFunction(f) << "--- legacy\n"
                               << mir::printFunction(*a.findFunction(f.name)));
    n += d.same;
  }
  return n;
}

}  // namespace

TEST_CASE("legacy ladder code runs like the vreg MIR on every corpus function") {
  unsigned checked = 0, exhausted = 0;
  for (const auto &file : test::corpusFiles()) {
    mir::Module m = test::selectFile(file);
    bool allOk = true;
    auto a = allocateAll(m, [&](const mir::Function &f) -> std::optional<mir::Function> {
      LadderResult r = runLadder(f, m);
      if (r.rung == "exhausted") {
        // Only the param-backing skip (an i64 param in registers) may end the
        // ladder, and corpus/ladder/exhausted.wat's all_fail, made to fail.
        CHECK_MESSAGE((r.error == LegacyError::Skipped || f.name == "all_fail"), f.name << ": " << r.result.error);
        ++exhausted;
        MESSAGE(file << " @" << f.name << " exhausted: " << r.result.error);
        // The rest of its module is still checked: this function takes the
        // code of a configuration that allocates it, if any.
        for (LegacyConfig c : {LegacyConfig{false, true, false, 120}, LegacyConfig{false, true, true, 120}})
          if (LegacyOutcome o = LegacyAllocator(c).run(f, m); o.result.ok) return o.result.function;
        allOk = false;
        return std::nullopt;
      }
      if (r.rung == "declined") {  // a call_indirect of a float-returning type (legacyDecline)
        MESSAGE(file << " @" << f.name << " declined: " << r.result.error);
        allOk = false;
        return std::nullopt;
      }
      REQUIRE_MESSAGE(r.result.ok, r.result.error);
      return r.result.function;
    });
    if (allOk) checked += checkModule(m, *a, file);
  }
  CHECK(exhausted <= 5);  // tree64, i64_pairs, mix64_buffer, pairs_i64_param (param-backing skipped), all_fail
  CHECK(checked >= 60);
  MESSAGE("functions checked: " << checked);
}

TEST_CASE("every legacy configuration that allocates produces correct code") {
  const LegacyConfig configs[] = {
      {true, true, false, 8}, {true, true, true, 8}, {false, true, true, 8}, {false, false, false, 8}, {true, true, true, 120}};
  unsigned checked = 0;
  vcr::testing::CorpusFilter filter;
  for (const auto &cfg : configs)
    for (const auto &file : test::corpusFiles()) {
      if (!filter.take(file)) continue;
      mir::Module m = test::selectFile(file);
      // Functions this configuration cannot allocate take the ladder's code.
      auto a = allocateAll(m, [&](const mir::Function &f) -> std::optional<mir::Function> {
        LegacyOutcome o = LegacyAllocator(cfg).run(f, m);
        if (o.result.ok) return o.result.function;
        LadderResult r = runLadder(f, m);
        if (!r.result.ok) return std::nullopt;
        return r.result.function;
      });
      if (a)
        checked += checkModule(m, *a, file + " [promotion " + std::to_string(cfg.promotion) + " spilling " +
                                          std::to_string(cfg.spilling) + " backing " + std::to_string(cfg.paramBacking) +
                                          " slots " + std::to_string(cfg.poolSlots) + "]");
    }
  filter.done();
  CHECK(checked >= (filter.filtered() ? 100u : 300u));
}

TEST_CASE("the three exhaustion errors carry the legacy messages") {
  const std::string dir = std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/";
  mir::Module p10 = test::selectFile(dir + "pressure10.wat");
  LegacyOutcome o = LegacyAllocator({true, false, false, 8}).run(*p10.findFunction("pressure10"), p10);
  CHECK(o.error == LegacyError::NoFreeTemp);
  CHECK(!o.result.ok);
  CHECK(o.result.error.find("all allocatable registers are live on the stack") != std::string::npos);

  mir::Module pairs = test::selectFile(dir + "i64_pairs.wat");
  o = LegacyAllocator({true, true, false, 8}).run(*pairs.findFunction("i64_pairs"), pairs);
  CHECK(o.error == LegacyError::NoPair);
  CHECK(o.result.error.find("no consecutive pair of free registers for i64") != std::string::npos);

  mir::Module chain = test::selectFile(dir + "promote_chain.wat");
  o = LegacyAllocator({true, true, false, 8}).run(*chain.findFunction("promote_chain"), chain);
  CHECK(o.error == LegacyError::PoolExhausted);
  CHECK(o.promotedLocals == 5);
  CHECK(o.result.error.find("i64 spill-slot pool exhausted") != std::string::npos);
}

TEST_CASE("spilling stores the deepest entry and reloads it when popped") {
  mir::Module m = test::selectFile(std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/pressure10.wat");
  LegacyOutcome o = LegacyAllocator({true, true, false, 8}).run(*m.findFunction("pressure10_consts"), m);
  REQUIRE(o.result.ok);
  CHECK(o.result.stats.spillStores >= 1);
  CHECK(o.result.stats.reloads == o.result.stats.spillStores);
  // The first spill stores the deepest stack entry: the first constant pushed.
  const auto &is = o.result.function.blocks[0].instrs;
  for (size_t i = 0; i < is.size(); ++i)
    if (is[i].op == mir::Opcode::Sts && is[i].origin == mir::Origin::Spill) {
      bool found = false;
      for (size_t j = 0; j < i; ++j)
        if (is[j].op == mir::Opcode::MovI && is[j].defs[0] == is[i].uses[0]) found = is[j].imm == 0x1111 || found;
      CHECK(found);
      break;
    }
}

TEST_CASE("malformed input is refused, never a crash") {
  mir::ParseResult p = mir::parseModule("func @f(i32) -> (i32) {\nbb0:\n  param v0\n  ret v0\n}\n", "t.mir");
  REQUIRE(p.module.has_value());
  mir::Function f = p.module->functions[0];
  f.blocks[0].instrs[1].uses[0] = mir::Operand::vreg(7);  // undefined
  LegacyOutcome o = LegacyAllocator().run(f, *p.module);
  CHECK(o.error == LegacyError::Malformed);
  CHECK(o.result.error.find("'f'") != std::string::npos);
  mir::Function empty;
  empty.name = "e";
  o = LegacyAllocator().run(empty, *p.module);
  CHECK(o.error == LegacyError::Malformed);
}
