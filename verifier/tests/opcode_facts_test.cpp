// The checker's own opcode classification and block order, held against core/ir's.
#include "core/ir/cfg.h"
#include "verifier/dataflow.h"
#include "verifier/float_sem.h"
#include "verifier/semantics.h"
#include "verifier/smt/smt.h"

#include <doctest/doctest.h>

#include <random>
#include <set>

using namespace vcr;
using mir::Opcode;

namespace {

/// Every opcode of opcodes.def, in order.
std::vector<Opcode> allOpcodes() {
  std::vector<Opcode> ops;
#define X(name, mn, nd, nu, flags) ops.push_back(Opcode::name);
#include "core/ir/opcodes.def"
#undef X
  return ops;
}

}  // namespace

TEST_CASE("the checker's pure and terminator opcode sets agree with the opcode table and with evalPure") {
  const std::vector<Opcode> ops = allOpcodes();
  REQUIRE(ops.size() >= 55);
  verifier::smt::Context c;
  unsigned pure = 0, term = 0;
  for (Opcode op : ops) {
    const mir::OpcodeInfo &in = mir::info(op);
    CAPTURE(in.mnemonic);
    // The checker's own float list (verifier/float_sem.h) is exactly the table's.
    CHECK(verifier::isFloatOpcode(op) == mir::isFloatOp(op));
    if (mir::isFloatOp(op)) {  // float opcodes are stated in float_sem; only fconst is pure (elided, rematerialised)
      const bool fconst = op == Opcode::FConst32 || op == Opcode::FConst64;
      CHECK(verifier::isPureOp(op) == fconst);
      mir::Instr i;
      i.op = op;
      std::vector<verifier::smt::Term> uses(4, c.var("x", 32));
      CHECK(verifier::evalPure(c, i, uses).has_value() == fconst);
      CHECK_FALSE(verifier::isTerminatorOp(op));
      continue;
    }
    // The table's view of a pure instruction: no effect, no control, not
    // allocated-form only, and no ABI role.
    const bool tablePure = !in.sideEffect && !in.terminator && !in.allocatedOnly &&
                           op != Opcode::Param && op != Opcode::Call;
    CHECK(verifier::isPureOp(op) == tablePure);
    CHECK(verifier::isTerminatorOp(op) == in.terminator);
    // evalPure computes exactly the pure opcodes.
    mir::Instr i;
    i.op = op;
    std::vector<verifier::smt::Term> uses(4, c.var("x", 32));
    const bool computes = verifier::evalPure(c, i, uses).has_value();
    CHECK(computes == verifier::isPureOp(op));
    pure += verifier::isPureOp(op);
    term += verifier::isTerminatorOp(op);
  }
  CHECK(pure >= 35);
  CHECK(term == 5);
}

TEST_CASE("the checker's reverse post-order visits exactly the blocks core/ir's CFG finds reachable") {
  std::mt19937 rng(12345);
  unsigned checked = 0;
  for (unsigned round = 0; round < 500; ++round) {
    const uint32_t n = 1 + rng() % 12;
    mir::Function f;
    f.name = "g";
    std::vector<std::vector<mir::BlockId>> succs(n);
    for (uint32_t b = 0; b < n; ++b) {
      mir::Block blk;
      blk.label = "b" + std::to_string(b);
      mir::Instr t;
      const unsigned k = rng() % 4;  // 0: ret, 1: br, 2: brif, 3: brtable of 3
      t.op = k == 0 ? Opcode::Ret : k == 1 ? Opcode::Br : k == 2 ? Opcode::BrIf : Opcode::BrTable;
      const unsigned targets = k == 0 ? 0 : k == 1 ? 1 : k == 2 ? 2 : 3;
      for (unsigned j = 0; j < targets; ++j) t.targets.push_back(1 + rng() % std::max<uint32_t>(n - 1, 1));
      if (n == 1) t.targets.clear(), t.op = Opcode::Ret;
      if (t.op == Opcode::BrIf || t.op == Opcode::BrTable) t.uses.push_back(mir::Operand::vreg(0));
      blk.instrs.push_back(t);
      f.blocks.push_back(blk);
      std::set<mir::BlockId> seen;
      for (mir::BlockId s : t.targets)
        if (seen.insert(s).second) succs[b].push_back(s);
    }
    const mir::Cfg cfg = mir::Cfg::build(f);
    const std::vector<mir::BlockId> rpo = verifier::reversePostOrder(succs);
    std::set<mir::BlockId> mine(rpo.begin(), rpo.end());
    CHECK(mine.size() == rpo.size());  // each block once
    for (uint32_t b = 0; b < n; ++b) CHECK(mine.count(b) == (cfg.reachable[b] ? 1u : 0u));
    // a reverse post-order: every forward edge goes to a later block, so
    // each block but the entry follows at least one of its predecessors
    std::vector<int> pos(n, -1);
    for (size_t i = 0; i < rpo.size(); ++i) pos[rpo[i]] = int(i);
    REQUIRE(!rpo.empty());
    CHECK(rpo[0] == 0);
    for (mir::BlockId b : rpo) {
      if (b == 0) continue;
      bool earlierPred = false;
      for (mir::BlockId p : rpo)
        for (mir::BlockId s : succs[p]) earlierPred = earlierPred || (s == b && pos[p] < pos[b]);
      CHECK(earlierPred);
    }
    ++checked;
  }
  CHECK(checked == 500);
}
