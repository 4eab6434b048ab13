// The ladder's code on wasmgen-generated modules: every function the ladder allocates runs like its vreg MIR.
#include "ladder/ladder.h"
#include "ladder/tests/diff.h"

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/ir/text.h"
#include "corpus/gen/wasmgen.h"

#include <doctest/doctest.h>

#include <map>

using namespace vcr;
using namespace vcr::ladder;

TEST_CASE("generated modules: ladder code passes the differential") {
  std::map<std::string, unsigned> rungs;
  unsigned checked = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    gen::GenOptions opt;
    opt.seed = seed;
    opt.pressure = 4 + static_cast<unsigned>(seed % 10);
    opt.i64Share = seed % 3 == 0 ? 0.5 : 0.2;
    std::string wat = gen::generateWat(opt);
    Diagnostics diags;
    auto bin = select::watToWasm(wat, "gen" + std::to_string(seed) + ".wat", diags);
    REQUIRE(bin.has_value());
    auto sel = select::selectModule(*bin, diags);
    REQUIRE(sel.has_value());
    const mir::Module &m = sel->module;
    mir::Module a = m;
    bool all = true;
    for (auto &f : a.functions) {
      LadderResult r = runLadder(f, m);
      ++rungs[r.rung];
      if (!r.result.ok) {
        all = false;
        continue;
      }
      f = r.result.function;
    }
    if (!all) continue;  // a module with an exhausted function cannot run in allocated form
    for (const auto &f : m.functions) {
      test::Diff d = test::differential(m, a, f.name, 8, seed);
      CHECK_MESSAGE(d.same, "seed " << seed << " @" << f.name << ": " << d.why << "\n--- vreg\n"
                                    << mir::printFunction(f) << "--- legacy\n"
                                    << mir::printFunction(*a.findFunction(f.name)));
      checked += d.same;
    }
  }
  std::string table;
  for (auto &[r, n] : rungs) table += r + "=" + std::to_string(n) + " ";
  MESSAGE("rungs: " << table << "; checked " << checked);
  CHECK(checked >= 150);
}
