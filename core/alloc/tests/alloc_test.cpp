// Hand-written MIR cases for the allocator: calls, ABI placement, spilling, remat, coalescing, dot.
#include "core/alloc/allocator.h"
#include "core/alloc/bench/mir_gen.h"
#include "core/alloc/tests/test_util.h"
#include "core/alloc/work.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <sstream>

using namespace vcr;
using namespace vcr::alloc;
using mir::Opcode;
using mir::PReg;

namespace {

mir::Module parse(const std::string &text) {
  mir::ParseResult p = mir::parseModule(text, "test.mir");
  std::string errs;
  for (const auto &d : p.diags) errs += d.str() + "\n";
  REQUIRE_MESSAGE(p.module.has_value(), errs);
  return *p.module;
}

/// Allocate the whole module, check validity, roles and the differential.
ModuleAllocation allocateChecked(const mir::Module &m, const AllocOptions &opt = {}) {
  auto ra = makeGraphColouring();
  ModuleAllocation out = allocateModule(*ra, m, opt);
  for (const AllocResult &r : out.results) {
    REQUIRE_MESSAGE(r.ok, r.error);
    std::string bad = test::checkRegisterRoles(r.function, opt.pool);
    CHECK_MESSAGE(bad.empty(), bad);
  }
  Diagnostics diags;
  bool valid = mir::validateModule(out.module, diags);
  std::string errs;
  for (const auto &d : diags) errs += d.str() + "\n";
  CHECK_MESSAGE(valid, errs << mir::printModule(out.module));
  for (const auto &f : m.functions) {
    test::DiffOutcome d = test::differential(m, out.module, f.name, 24, 7);
    CHECK_MESSAGE(d.same, d.why << "\n" << mir::printModule(out.module));
  }
  return out;
}

const mir::Function &fn(const ModuleAllocation &a, const std::string &name) {
  const mir::Function *f = a.module.findFunction(name);
  REQUIRE(f != nullptr);
  return *f;
}
const AllocResult &result(const ModuleAllocation &a, const mir::Module &m, const std::string &name) {
  for (size_t i = 0; i < m.functions.size(); ++i)
    if (m.functions[i].name == name) return a.results[i];
  FAIL("no function " << name);
  return a.results[0];
}

unsigned count(const mir::Function &f, Opcode op) {
  unsigned n = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) n += i.op == op;
  return n;
}

}  // namespace

TEST_CASE("coalescing: add(a, b) allocates with no moves") {
  mir::Module m = parse(R"(
func @add(i32, i32) -> (i32) {
bb0:
  param v0, v1
  add v2, v0, v1
  ret v2
}
)");
  ModuleAllocation a = allocateChecked(m);
  const mir::Function &f = fn(a, "add");
  CHECK(f.allocated);
  CHECK(count(f, Opcode::Mov) == 0);
  CHECK(result(a, m, "add").stats.movesAfter == 0);
  CHECK(result(a, m, "add").stats.movesBefore == 3);
  CHECK(result(a, m, "add").stats.rounds == 1);
  CHECK(mir::printFunction(f).find("add r0, r0, r1") != std::string::npos);
  CHECK(f.numInstrs() == 3);  // param, add, ret: no frame either
}

TEST_CASE("a value live across a call lives in R4-R8 (or is spilled)") {
  mir::Module m = parse(R"(
func @g(i32) -> (i32) {
bb0:
  param v0
  mul v1, v0, v0
  ret v1
}
func @f(i32) -> (i32) {
bb0:
  param v0
  add v3, v0, #5
  call @g (v0) -> (v1)
  add v2, v3, v1
  ret v2
}
)");
  ModuleAllocation a = allocateChecked(m);
  const mir::Function &f = fn(a, "f");
  const AllocResult &r = result(a, m, "f");
  // The value read after the call (v3) sits in a callee-saved register that
  // the prologue saves, or comes back from the stack.
  bool ok = false;
  for (const auto &b : f.blocks) {
    bool afterCall = false;
    for (const auto &i : b.instrs) {
      if (i.op == Opcode::Call) afterCall = true;
      if (afterCall && i.op == Opcode::Lds && i.origin == mir::Origin::Reload) ok = true;
      if (afterCall && i.op == Opcode::Add)
        for (const auto &u : i.uses)
          if (u.isPReg() && arm::calleeSaved().contains(u.preg()) && r.stats.calleeSaved.contains(u.preg()))
            ok = true;
    }
  }
  CHECK_MESSAGE(ok, mir::printFunction(f));
  CHECK(r.stats.calleeSaved.contains(PReg::LR));  // BL clobbers LR
  CHECK(r.stats.frameBytes % 8 == 0);             // AAPCS: SP 8-aligned at calls
  CHECK(count(f, Opcode::Push) == 1);
  CHECK(count(f, Opcode::Pop) == 1);
}

TEST_CASE("ABI: i64 params in R0:R1 / R2:R3, later params from the caller's stack") {
  mir::Module m = parse(R"(
func @p(i64, i64, i32, i32, i64) -> (i64) {
bb0:
  param v0, v1, v2, v3, v4, v5, v6, v7
  add64 v8, v9, v0, v1, v2, v3
  add v10, v4, v5
  add64 v11, v12, v8, v9, v6, v7
  add v13, v11, v10
  ret v13, v12
}
func @q(i32, i64) -> (i64) {
bb0:
  param v0, v1, v2
  call @p (v1, v2, v1, v2, v0, v0, v1, v2) -> (v3, v4)
  add v5, v3, v0
  ret v5, v4
}
)");
  ModuleAllocation a = allocateChecked(m);
  const mir::Function &p = fn(a, "p");
  const mir::Instr &param = p.blocks[0].instrs[0];
  REQUIRE(param.op == Opcode::Param);
  REQUIRE(param.defs.size() == 8);
  CHECK(param.defs[0] == mir::Operand::preg(PReg::R0));
  CHECK(param.defs[1] == mir::Operand::preg(PReg::R1));
  CHECK(param.defs[2] == mir::Operand::preg(PReg::R2));
  CHECK(param.defs[3] == mir::Operand::preg(PReg::R3));
  for (uint32_t i = 0; i < 4; ++i) CHECK(param.defs[4 + i] == mir::Operand::stack(4 * i));
  // Every stack param is read with its entry offset shifted by the frame.
  const uint32_t frame = result(a, m, "p").stats.frameBytes;
  unsigned inargs = 0;
  for (const auto &b : p.blocks)
    for (const auto &i : b.instrs)
      if (i.op == Opcode::Lds && i.origin == mir::Origin::InArg) {
        ++inargs;
        CHECK(i.uses[0].value >= frame);
        CHECK(i.uses[0].value < frame + 16);
      }
  CHECK(inargs == 4);
  // q passes (i64, i64) in registers and the rest in its outgoing area.
  const mir::Function &q = fn(a, "q");
  const mir::Instr *call = nullptr;
  for (const auto &b : q.blocks)
    for (const auto &i : b.instrs)
      if (i.op == Opcode::Call) call = &i;
  REQUIRE(call != nullptr);
  REQUIRE(call->uses.size() == 8);
  CHECK(call->uses[3] == mir::Operand::preg(PReg::R3));
  CHECK(call->uses[4] == mir::Operand::stack(0));
  CHECK(call->uses[7] == mir::Operand::stack(12));
  REQUIRE(call->defs.size() == 2);
  CHECK(call->defs[1] == mir::Operand::preg(PReg::R1));
  CHECK(result(a, m, "q").stats.frameBytes >= 16 + 4);  // outgoing area + LR
}

TEST_CASE("spilling under pressure > 9: constants are rematerialised") {
  // Twelve constants live at once (peak pressure 12 > 9).
  std::string text = "func @k() -> (i32) {\nbb0:\n";
  for (int i = 0; i < 12; ++i) text += "  movi v" + std::to_string(i) + ", #" + std::to_string(1000 + i * 7) + "\n";
  text += "  add v20, v11, v10\n";
  for (int i = 9; i >= 0; --i)
    text += "  add v" + std::to_string(30 - i) + ", v" + std::to_string(i == 9 ? 20 : 30 - i - 1) + ", v" +
            std::to_string(i) + "\n";
  text += "  ret v30\n}\n";
  mir::Module m = parse(text);
  ModuleAllocation a = allocateChecked(m);
  const AllocStats &s = a.results[0].stats;
  CHECK(s.spilledVRegs > 0);
  CHECK(s.remats > 0);
  CHECK(s.spillStores == 0);  // nothing but constants needed spilling
  CHECK(s.reloads == 0);
}

TEST_CASE("spilling under pressure > 9: computed values go to shared stack slots") {
  std::string text = "func @s(i32, i32) -> (i32) {\nbb0:\n  param v0, v1\n";
  for (int i = 0; i < 12; ++i)
    text += "  mul v" + std::to_string(2 + i) + ", v0, #" + std::to_string(3 + i) + "\n  add v" +
            std::to_string(2 + i) + ", v" + std::to_string(2 + i) + ", v1\n";
  text += "  mov v40, v13\n";
  for (int i = 0; i < 11; ++i) text += "  eor v40, v40, v" + std::to_string(2 + i) + "\n";
  text += "  ret v40\n}\n";
  mir::Module m = parse(text);
  ModuleAllocation a = allocateChecked(m);
  const AllocStats &s = a.results[0].stats;
  MESSAGE("spilled " << s.spilledVRegs << ", stores " << s.spillStores << ", reloads " << s.reloads
                     << ", frame " << s.frameBytes << " bytes, rounds " << s.rounds);
  CHECK(s.spilledVRegs > 0);
  CHECK(s.spillStores > 0);
  CHECK(s.reloads > 0);
  CHECK(s.rounds >= 2);
}

TEST_CASE("spill choice follows the cost: the value read once spills, the loop's values stay") {
  // Through the loop live the counter v1, the sum v20, v2..v8 (read in
  // the body) and v11 (read once, after the loop): 10 values, 9 registers.
  // The cheapest spill (uses + defs weighted by loop depth, over degree)
  // is v11: one store before the loop, one reload after it, nothing in the
  // loop. (Choosing a dearer candidate, say a spill heap popping out of
  // order, puts spill code in the loop.)
  std::string text = "func @c(i32, i32) -> (i32) {\nbb0:\n  param v0, v1\n";
  for (int i : {2, 3, 4, 5, 6, 7, 8, 11})
    text += "  mul v" + std::to_string(i) + ", v0, #" + std::to_string(i * 3 + 1) + "\n";
  text += "  movi v20, #0\n  br loop\nloop:\n";
  for (int i = 2; i <= 8; ++i) text += "  add v20, v20, v" + std::to_string(i) + "\n";
  text += "  sub v1, v1, #1\n  brif v1, loop, exit\nexit:\n  add v20, v20, v11\n  ret v20\n}\n";
  mir::Module m = parse(text);
  ModuleAllocation a = allocateChecked(m);
  const AllocStats &s = a.results[0].stats;
  CHECK(s.spilledVRegs == 1);
  CHECK(s.spillStores == 1);
  CHECK(s.reloads == 1);
  for (const auto &i : fn(a, "c").blocks[1].instrs) CHECK(!i.inserted());
}

TEST_CASE("a loop just after the entry keeps the blocks as they are, and a branch to the entry is an allocator error, not a crash") {
  mir::Module m = parse(R"(
func @g(i32) -> (i32) {
bb0:
  param v0
  ret v0
}
func @loop(i32) -> (i32) {
bb0:
  param v0
  and v0, v0, #7
  movi v1, #0
  br bb1
bb1:
  call @g (v0) -> (v2)
  add v1, v1, v2
  sub v0, v0, #1
  brif v0, bb1, bb2
bb2:
  ret v1
}
)");
  ModuleAllocation a = allocateChecked(m);
  CHECK(fn(a, "loop").blocks.size() == 3);
  // Invalid MIR (mir::validateFunction rejects it): the allocator declines
  // with the reason instead of inventing an entry block.
  mir::Function bad = m.functions[1];
  bad.blocks[2].instrs.back() = bad.blocks[1].instrs.back();
  bad.blocks[2].instrs.back().targets = {0, 1};
  auto allocator = makeGraphColouring();
  AllocResult r = allocator->allocate(bad, m, AllocOptions{});
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("entry block") != std::string::npos);
}

TEST_CASE("a wider pool (r12, lr) is used and LR is saved when allocated") {
  std::string text = "func @w(i32) -> (i32) {\nbb0:\n  param v0\n";
  for (int i = 1; i <= 10; ++i) text += "  add v" + std::to_string(i) + ", v0, #" + std::to_string(i) + "\n";
  text += "  mov v20, v1\n";
  for (int i = 2; i <= 10; ++i) text += "  mul v20, v20, v" + std::to_string(i) + "\n";
  text += "  ret v20\n}\n";
  mir::Module m = parse(text);
  AllocOptions wide;
  wide.pool = arm::Pool::parse("r0-r8,r12,lr");
  ModuleAllocation a = allocateChecked(m, wide);
  const AllocStats &s = a.results[0].stats;
  CHECK(s.spilledVRegs == 0);  // 11 live values fit in 11 registers
  AllocOptions legacy;
  ModuleAllocation b = allocateChecked(m, legacy);
  CHECK(b.results[0].stats.spilledVRegs > 0);
}

TEST_CASE("dot output names vregs, colours and spills") {
  std::string text = "func @d(i32, i32) -> (i32) {\nbb0:\n  param v0, v1\n";
  for (int i = 2; i < 14; ++i) text += "  mul v" + std::to_string(i) + ", v0, v1\n  add v1, v1, #1\n";
  text += "  mov v40, v2\n";
  for (int i = 3; i < 14; ++i) text += "  add v40, v40, v" + std::to_string(i) + "\n";
  text += "  ret v40\n}\n";
  mir::Module m = parse(text);
  auto ra = makeGraphColouring();
  AllocOptions opt;
  opt.wantDot = true;
  AllocResult r = ra->allocate(m.functions[0], m, opt);
  REQUIRE(r.ok);
  CHECK(r.dot.rfind("graph \"d\" {", 0) == 0);
  CHECK(r.dot.find("v2") != std::string::npos);
  CHECK(r.dot.find("spilled") != std::string::npos);
  CHECK(r.dot.find("style=dotted") != std::string::npos);
  CHECK(r.dot.find(" -- ") != std::string::npos);
}

TEST_CASE("the safety net has teeth: corrupted allocations are caught") {
  mir::Module m = parse(R"(
func @g(i32) -> (i32) {
bb0:
  param v0
  add v1, v0, #1
  ret v1
}
func @f(i32, i32) -> (i32) {
bb0:
  param v0, v1
  call @g (v0) -> (v2)
  add v3, v2, v1
  ret v3
}
)");
  auto ra = makeGraphColouring();
  ModuleAllocation good = allocateModule(*ra, m, {});
  REQUIRE(test::differential(m, good.module, "f", 8, 3).same);
  SUBCASE("a wrong register") {
    mir::Module bad = good.module;
    for (auto &b : bad.functions[1].blocks)
      for (auto &i : b.instrs)
        if (i.op == Opcode::Add) i.uses[0] = mir::Operand::preg(i.uses[0].preg() == PReg::R2 ? PReg::R3 : PReg::R2);
    CHECK_FALSE(test::differential(m, bad, "f", 8, 3).same);
  }
  SUBCASE("a missing pop (callee-saved and LR not restored)") {
    mir::Module bad = good.module;
    for (auto &b : bad.functions[1].blocks)
      std::erase_if(b.instrs, [](const mir::Instr &i) { return i.op == Opcode::Pop; });
    CHECK_FALSE(test::differential(m, bad, "f", 8, 3).same);
  }
}

TEST_CASE("a dead definition of a local interferes only where it is made") {
  // v1 and v2 are locals: their zeros are overwritten before any read.
  // Merged with their later definitions, the zeros would make v1 and v2
  // interfere with v0, and v0..v3 would need four registers. As webs of
  // their own they fit r0-r2 with no spill.
  const std::string text = R"(func @webs(i32) -> (i32) {
bb0:
  param v0
  movi v1, #0
  movi v2, #0
  add v3, v0, v0
  add v1, v0, v3
  add v2, v1, v3
  add v5, v1, v2
  add v6, v5, v3
  ret v6
}
)";
  mir::Module m = parse(text);
  WorkFunction w;
  std::string error;
  REQUIRE(lowerAbi(m.functions.at(0), m, w, error));
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  CHECK(splitWebs(w, cfg) == 2);
  CHECK(splitWebs(w, cfg) == 0);  // nothing left to split
  AllocOptions opt;
  opt.pool = arm::Pool::parse("r0-r2");
  ModuleAllocation a = allocateChecked(m, opt);
  const AllocStats &s = a.results[0].stats;
  CHECK(s.spillStores == 0);
  CHECK(s.reloads == 0);
}

TEST_CASE("webs: definitions that reach a common use stay one vreg, unrelated values of one local part") {
  // v1: a dead zero, then a definition on each arm of a diamond that both
  // reach the join: two webs. v0: the parameter, then an unrelated 7: two
  // webs. v2: defined before a loop and in it, read at its head through
  // the back edge: one web.
  const std::string text = R"(func @w(i32) -> (i32) {
bb0:
  param v0
  movi v1, #0
  brif v0, bb1, bb2
bb1:
  movi v1, #5
  br bb3
bb2:
  add v1, v0, v0
  br bb3
bb3:
  add v2, v1, v0
  movi v0, #7
  br bb4
bb4:
  add v2, v2, v0
  brif v2, bb4, bb5
bb5:
  ret v2
}
)";
  mir::Module m = parse(text);
  WorkFunction w;
  std::string error;
  REQUIRE(lowerAbi(m.functions.at(0), m, w, error));
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  CHECK(splitWebs(w, cfg) == 2);
  auto find = [&](size_t b, auto pred) -> const mir::Instr & {
    for (const mir::Instr &i : w.fn.blocks.at(b).instrs)
      if (pred(i)) return i;
    FAIL("no such instruction in bb" << b);
    return w.fn.blocks[0].instrs[0];
  };
  const mir::Instr &five = find(1, [](const mir::Instr &i) { return i.op == Opcode::MovI; });
  const mir::Instr &arm2 = find(2, [](const mir::Instr &i) { return i.op == Opcode::Add; });
  const mir::Instr &join = find(3, [](const mir::Instr &i) { return i.op == Opcode::Add; });
  const mir::Instr &seven = find(3, [](const mir::Instr &i) { return i.op == Opcode::MovI; });
  const mir::Instr &zero = find(0, [](const mir::Instr &i) { return i.op == Opcode::MovI; });
  const mir::Instr &loop = find(4, [](const mir::Instr &i) { return i.op == Opcode::Add; });
  CHECK(five.defs[0].value == arm2.defs[0].value);   // both arms: one web
  CHECK(join.uses[0].value == five.defs[0].value);   // which the join reads
  CHECK(zero.defs[0].value != five.defs[0].value);   // the dead zero is apart
  CHECK(join.uses[1].value == arm2.uses[0].value);   // the parameter's web
  CHECK(seven.defs[0].value != join.uses[1].value);  // the 7 is another value
  CHECK(loop.uses[1].value == seven.defs[0].value);
  CHECK(loop.uses[0].value == join.defs[0].value);   // loop-carried: one web
  CHECK(loop.defs[0].value == join.defs[0].value);
  CHECK(splitWebs(w, cfg) == 0);
  ModuleAllocation a = allocateChecked(m);
  CHECK(a.results[0].stats.spillStores == 0);
}

TEST_CASE("webs: a web whose one definition is a constant goes to a slot, a constant vreg is rematerialised") {
  // v1 is a local: 3, then (after its uses) v0 + v0. Its first web's one
  // definition is `movi #3`, but the checker rematerialises only a vreg
  // whose one definition in the whole function is that `movi` (v2 here).
  const std::string text = R"(func @c(i32) -> (i32) {
bb0:
  param v0
  movi v1, #3
  movi v2, #4
  add v3, v1, v2
  add v1, v0, v0
  add v4, v1, v3
  add v5, v4, v2
  ret v5
}
)";
  mir::Module m = parse(text);
  WorkFunction w;
  std::string error;
  REQUIRE(lowerAbi(m.functions.at(0), m, w, error));
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  REQUIRE(splitWebs(w, cfg) == 1);
  mir::VReg three = 0, four = 0;
  for (const mir::Instr &i : w.fn.blocks[0].instrs)
    if (i.op == Opcode::MovI) (i.imm == 3 ? three : four) = i.defs[0].value;
  Interference g;
  NodeMap map = NodeMap::workingForm(w.numVRegs, arm::Pool::parse("r0-r8").regs);
  FlatCode code;
  code.build(w.fn, map);
  const GlobalLiveness lv = GlobalLiveness::compute(w.fn, cfg, map);
  buildInterference(g, code, cfg, lv, map.numNodes);
  const double before3 = g.weight[kVRegBase + three], before4 = g.weight[kVRegBase + four];
  discountCheapSpills(g, w, cfg, code);
  CHECK(g.weight[kVRegBase + three] == before3);      // a store: no discount
  CHECK(g.weight[kVRegBase + four] == before4 - 1.0);  // remat: its uses only
  AllocStats stats;
  spillNodes(w, {kVRegBase + three, kVRegBase + four}, stats);
  unsigned remats = 0, stores = 0;
  for (const mir::Instr &i : w.fn.blocks[0].instrs) {
    remats += i.op == Opcode::MovI && i.origin == mir::Origin::Remat;
    stores += i.op == Opcode::Sts && i.origin == mir::Origin::Spill;
  }
  CHECK(stores == 1);  // the web of #3
  CHECK(remats == 2);  // #4 at both its uses
}

TEST_CASE("split at calls: a parameter passed on in its own register and read after the call costs one copy") {
  // v0 arrives in r0, is the call's first argument and is read after it.
  // One register per value puts it in R4 for its whole life: a move in and
  // a move back into r0. Split at the call, it stays in r0 up to the call
  // and one copy keeps it across.
  mir::Module m = parse(R"(
func @g(i32) -> (i32) {
bb0:
  param v0
  mul v1, v0, v0
  ret v1
}
func @f(i32) -> (i32) {
bb0:
  param v0
  call @g (v0) -> (v1)
  add v2, v0, v1
  ret v2
}
)");
  WorkFunction w;
  std::string error;
  REQUIRE(lowerAbi(m.functions.at(1), m, w, error));
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  CHECK(splitAtCalls(w, cfg) == 1);
  CHECK(splitWebs(w, cfg) == 1);  // the part after the call is a vreg of its own
  ModuleAllocation a = allocateChecked(m);
  CHECK(result(a, m, "f").stats.movesAfter == 1);  // the copy across the call (without the split: in and back)
  const std::string text = mir::printFunction(fn(a, "f"));
  INFO(text);
  CHECK(text.find("mov r0, r") == std::string::npos);  // no move back into r0 for the argument
}

TEST_CASE("split at calls: a value whose definition is elsewhere is not split") {
  mir::Module m = parse(R"(
func @g(i32) -> (i32) {
bb0:
  param v0
  ret v0
}
func @f(i32) -> (i32) {
bb0:
  param v0
  add v3, v0, #1
  call @g (v3) -> (v1)
  add v2, v3, v1
  ret v2
}
)");
  WorkFunction w;
  std::string error;
  REQUIRE(lowerAbi(m.functions.at(1), m, w, error));
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  CHECK(splitAtCalls(w, cfg) == 0);
}

namespace {
/// A loop (bb2) that copies the invariant v1 into v2 on every iteration;
/// after the loop v2 is read, and with `bypass` a path around the loop
/// brings v2's first value to the same read (a join).
std::string loopCopy(bool bypass) {
  return std::string(R"(
func @f(i32) -> (i32) {
bb0:
  param v0
  movi v1, #5
  add v2, v0, #3
  add v5, v2, v0
  )") + (bypass ? "brif v0, bb1, bb4" : "br bb1") + R"(
bb1:
  movi v3, #4
  br bb2
bb2:
  mov v2, v1
  sub v3, v3, #1
  brif v3, bb2, bb3
bb3:
  br bb4
bb4:
  add v4, v2, v1
  add v6, v4, v5
  ret v6
}
)";
}
/// Register-to-register moves between two different registers in printed
/// allocated MIR (a coalesced copy prints as `mov rN, rN` and costs nothing).
unsigned realMoves(const std::string &text) {
  unsigned n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    char a[8] = {}, b[8] = {};
    if (std::sscanf(line.c_str(), " mov %7[^,], %7s", a, b) == 2 && a[0] == 'r' && b[0] == 'r' &&
        std::string(a) != std::string(b))
      ++n;
  }
  return n;
}
/// The instructions of block `label` in a printed function.
std::string blockText(const std::string &text, const std::string &label) {
  const size_t at = text.find("\n" + label + ":");
  if (at == std::string::npos) return "";
  const size_t end = text.find("\nbb", at + 1);
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}
}  // namespace

TEST_CASE("split at loop exits: a loop's copy of an invariant, joined after the loop, leaves the loop") {
  // v2 <- v1 in the loop; after it v2 also comes from bb0 (the bypass), so
  // one web holds both values, and the first interferes with v1: the copy
  // cannot coalesce and costs a move per iteration. Split at the exit bb3,
  // the loop's part coalesces with v1 and one copy sits in bb3.
  mir::Module m = parse(loopCopy(true));
  WorkFunction w;
  std::string error;
  REQUIRE(lowerAbi(m.functions.at(0), m, w, error));
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  CHECK(splitAtLoopExits(w, cfg) == 1);
  CHECK(w.fn.blocks[3].instrs.front().op == Opcode::Mov);  // mov v2, v2 at the exit
  ModuleAllocation a = allocateChecked(m);
  const std::string text = mir::printFunction(fn(a, "f"));
  INFO(text);
  const std::string loop = blockText(text, "bb2");
  REQUIRE(!loop.empty());
  CHECK(realMoves(loop) == 0);     // the loop's copy coalesced with v1
  CHECK(realMoves(text) == 1);     // one copy, at the exit
  CHECK(realMoves(blockText(text, "bb3")) == 1);
}

TEST_CASE("split at loop exits: no join after the loop, no split") {
  // Without the bypass the loop's value of v2 is a web of its own already
  // (splitWebs): it coalesces with v1 without help, and a split would only
  // add a copy.
  mir::Module m = parse(loopCopy(false));
  WorkFunction w;
  std::string error;
  REQUIRE(lowerAbi(m.functions.at(0), m, w, error));
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  CHECK(splitAtLoopExits(w, cfg) == 0);
  ModuleAllocation a = allocateChecked(m);
  const std::string text = mir::printFunction(fn(a, "f"));
  INFO(text);
  CHECK(realMoves(text) == 0);
}

TEST_CASE("colour repair frees the register that is cheapest to split: a constant before a loaded value") {
  // Nine values live across `movi v10, #0`, whose result is never read: it
  // still needs a register, the tenth of a nine-register pool. Repair frees
  // one by splitting a value around it. Splitting the constant v9 (read
  // right after) costs a remat; splitting a loaded value or the parameter
  // costs a store and a reload (memory:widths64 in the corpus).
  mir::Module m = parse(R"(
func @f(i32) -> (i32) {
bb0:
  param v0
  load.32 v1, [v0+0]
  load.32 v2, [v0+4]
  load.32 v3, [v0+8]
  load.32 v4, [v0+12]
  load.32 v5, [v0+16]
  load.32 v6, [v0+20]
  load.32 v7, [v0+24]
  movi v9, #13
  movi v10, #0
  add v11, v1, v9
  add v12, v11, v2
  add v13, v12, v3
  add v14, v13, v4
  add v15, v14, v5
  add v16, v15, v6
  add v17, v16, v7
  add v19, v17, v0
  ret v19
}
)");
  ModuleAllocation a = allocateChecked(m);
  const mir::Function &f = fn(a, "f");
  INFO(mir::printFunction(f));
  unsigned stores = 0, remats = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) {
      stores += i.op == Opcode::Sts && i.origin == mir::Origin::Spill;
      remats += i.origin == mir::Origin::Remat;
    }
  CHECK(stores == 0);
  CHECK(remats == 1);
}

TEST_CASE("hint recolouring gives a move's ends one colour, moving a neighbour out of the way") {
  // After colouring, v3 <- v2 is a move whose ends got different colours;
  // v2's colour is taken by v5, a neighbour of v3 that can move.
  const std::string text = R"(func @r(i32, i32) -> (i32) {
bb0:
  param v0, v1
  add v2, v0, v1
  add v5, v0, #7
  mov v3, v2
  add v4, v3, v5
  add v6, v4, v0
  ret v6
}
)";
  mir::Module m = parse(text);
  WorkFunction w;
  std::string error;
  REQUIRE(lowerAbi(m.functions.at(0), m, w, error));
  const mir::Cfg cfg = mir::Cfg::build(w.fn);
  const arm::Pool pool = arm::Pool::parse("r0-r3");
  NodeMap map = NodeMap::workingForm(w.numVRegs, pool.regs);
  FlatCode code;
  code.build(w.fn, map);
  const GlobalLiveness lv = GlobalLiveness::compute(w.fn, cfg, map);
  Interference g;
  buildInterference(g, code, cfg, lv, map.numNodes);
  // A valid colouring with the move left in: v0 r0, v1 r1, v2 r2, v5 r3,
  // v3 r1, v4 r1, v6 r0 (v2 and v3 differ).
  std::vector<int> colour(map.numNodes, -1);
  auto node = [](mir::VReg v) { return kVRegBase + v; };
  const std::pair<mir::VReg, int> given[] = {{0, 0}, {1, 1}, {2, 2}, {5, 3}, {3, 1}, {4, 1}, {6, 0}};
  for (auto [v, c] : given) colour[node(v)] = c;
  auto valid = [&] {
    for (uint32_t n = kVRegBase; n < g.numNodes; ++n) {
      if (!g.occurs.test(n) || colour[n] < 0) continue;
      bool ok = true;
      g.forEachNeighbour(n, [&](uint32_t x) {
        const int cx = Interference::precoloured(x) ? static_cast<int>(x) : colour[x];
        ok = ok && cx != colour[n];
      });
      if (!ok) return false;
    }
    return true;
  };
  REQUIRE(valid());
  CHECK(recolourForMoves(g, ClassRegs::core(pool), colour) >= 1);
  CHECK(valid());
  CHECK(colour[node(3)] == colour[node(2)]);
}

TEST_CASE("a stack parameter only passed on to a call after another call is loaded straight into its argument register") {
  // v4 arrives on the stack and is only the argument of the second call.
  // Kept in a register it would sit in R4 across the first call and cost a
  // move into r0; spilled, its load goes straight to r0.
  mir::Module m = parse(R"(
func @g(i32) -> (i32) {
bb0:
  param v0
  ret v0
}
func @f(i32, i32, i32, i32, i32) -> (i32) {
bb0:
  param v0, v1, v2, v3, v4
  call @g (v0) -> (v5)
  call @g (v4) -> (v6)
  add v7, v5, v6
  ret v7
}
)");
  ModuleAllocation a = allocateChecked(m);
  const std::string text = mir::printFunction(fn(a, "f"));
  INFO(text);
  bool direct = false;
  for (const auto &b : fn(a, "f").blocks)
    for (const auto &i : b.instrs)
      direct |= i.op == Opcode::Lds && i.origin == mir::Origin::InArg && i.defs[0] == mir::Operand::preg(PReg::R0);
  CHECK(direct);
}

namespace {
/// Six values (v2..v7) live at the end of bb0, each read after a call on
/// one side of the branch: v6 only after bb1's call, v7 only after bb2's.
/// Each call has five values across it, and at most seven values are live
/// anywhere; with one register per value the six need six callee-saved
/// registers at once, where the pool has five (R4-R8).
constexpr const char *kCalleeCrowd = R"(
func @h(i32) -> (i32) {
bb0:
  param v0
  ret v0
}
func @f(i32, i32) -> (i32) {
bb0:
  param v0, v1
  add v2, v0, #1
  add v3, v0, #2
  add v4, v0, #3
  add v5, v0, #4
  add v6, v0, #5
  add v7, v0, #6
  brif v1, bb1, bb2
bb1:
  call @h (v1) -> (v8)
  add v9, v2, v3
  add v10, v4, v5
  add v11, v9, v10
  add v12, v11, v6
  mul v13, v12, v6
  add v14, v13, v6
  add v15, v14, v8
  ret v15
bb2:
  call @h (v0) -> (v16)
  add v17, v2, v3
  add v18, v4, v5
  add v19, v17, v18
  add v20, v19, v7
  mul v21, v20, v7
  add v22, v21, v7
  add v23, v22, v16
  ret v23
}
)";

/// kCalleeCrowd's @f lowered and split into webs: the form
/// splitForCalleePressure runs on.
struct LoweredCrowd {
  mir::Module m = parse(kCalleeCrowd);
  WorkFunction w;
  mir::Cfg cfg;
  LoweredCrowd() {
    std::string error;
    REQUIRE(lowerAbi(m.functions.at(1), m, w, error));
    cfg = mir::Cfg::build(w.fn);
    splitWebs(w, cfg);
  }
};
}  // namespace

TEST_CASE("split for callee-saved pressure: six values across calls, five callee-saved registers, no spill") {
  LoweredCrowd l;
  // One of v6 / v7 gets a piece of its own across its call: two copies.
  CHECK(splitForCalleePressure(l.w, l.cfg, 5, 9) == 2);
  const mir::Module &m = l.m;
  ModuleAllocation a = allocateChecked(m);
  const AllocResult &r = result(a, m, "f");
  INFO(mir::printFunction(fn(a, "f")));
  CHECK(r.stats.spillStores == 0);
  CHECK(r.stats.reloads == 0);
  CHECK(r.stats.movesAfter <= 2);
}

TEST_CASE("split for callee-saved pressure: not where the values exceed the pool anyway") {
  LoweredCrowd l;
  // A pool of six registers: seven values live at the end of bb0, a spill
  // is due there anyway.
  CHECK(splitForCalleePressure(l.w, l.cfg, 5, 6) == 0);
  // Six callee-saved registers: nothing to mend.
  CHECK(splitForCalleePressure(l.w, l.cfg, 6, 9) == 0);
}

TEST_CASE("a stack parameter nothing reads is not loaded") {
  // Six i32 parameters: v4 and v5 arrive on the stack; v5 is read, v4 is
  // not (and v0 is overwritten before any read). Only v5 is loaded.
  mir::Module m = parse(R"(
func @f(i32, i32, i32, i32, i32, i32) -> (i32) {
bb0:
  param v0, v1, v2, v3, v4, v5
  add v6, v1, v5
  add v7, v6, v2
  add v8, v7, v3
  ret v8
}
)");
  ModuleAllocation a = allocateChecked(m);
  const mir::Function &f = fn(a, "f");
  unsigned inArgLoads = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) inArgLoads += i.op == Opcode::Lds && i.origin == mir::Origin::InArg;
  INFO(mir::printFunction(f));
  CHECK(inArgLoads == 1);
}

TEST_CASE("the shared liveness of the passes before colouring changes nothing they do") {
  // Each pass with a liveness of its own against all three on one shared
  // liveness (PrePassLiveness), on generated functions with calls, loops,
  // i64 and floats, and on the loop-exit fixture: the working function must
  // come out the same, text and vreg count, and both splits must have put
  // copies in (the shared path then reads them from their record).
  unsigned functions = 0, callCopies = 0, loopCopies = 0, webs = 0;
  auto check = [&](const mir::Module &m) {
    for (const mir::Function &f : m.functions) {
      WorkFunction a, b;
      std::string error;
      REQUIRE(lowerAbi(f, m, a, error));
      REQUIRE(lowerAbi(f, m, b, error));
      const mir::Cfg cfg = mir::Cfg::build(a.fn);
      const unsigned ca = splitAtCalls(a, cfg), la = splitAtLoopExits(a, cfg), wa = splitWebs(a, cfg);
      PrePassLiveness pre;
      computePrePassLiveness(b, cfg, true, true, true, pre);
      const unsigned cb = splitAtCalls(b, cfg, &pre), lb = splitAtLoopExits(b, cfg, &pre), wb = splitWebs(b, cfg, &pre);
      CAPTURE(mir::printFunction(f));
      CHECK(ca == cb);
      CHECK(la == lb);
      CHECK(wa == wb);
      CHECK(a.numVRegs == b.numVRegs);
      CHECK(a.multiDefWeb == b.multiDefWeb);
      CHECK(mir::printFunction(a.fn) == mir::printFunction(b.fn));
      // Built for the call splits alone: the other two build their own
      // liveness, still reading the counts and copies it records.
      WorkFunction c;
      REQUIRE(lowerAbi(f, m, c, error));
      PrePassLiveness callsOnly;
      computePrePassLiveness(c, cfg, true, false, false, callsOnly);
      CHECK(splitAtCalls(c, cfg, &callsOnly) == ca);
      CHECK(splitAtLoopExits(c, cfg, &callsOnly) == la);
      CHECK(splitWebs(c, cfg, &callsOnly) == wa);
      CHECK(mir::printFunction(a.fn) == mir::printFunction(c.fn));
      ++functions, callCopies += ca, loopCopies += la, webs += wa;
    }
  };
  for (uint64_t seed = 1; seed <= 120; ++seed) {
    gen::MirGenOptions g;
    g.seed = seed;
    g.size = 20 + static_cast<unsigned>(seed * 13 % 200);
    g.pressure = static_cast<unsigned>(seed % 17);
    g.callShare = seed % 3 == 0 ? 0 : 15;
    g.loopShare = seed % 4 == 1 ? 0 : 12;
    g.i64Share = seed % 5 == 2 ? 0 : 20;
    g.floatShare = seed % 2 ? 0 : 30;
    check(gen::generateModule(g));
  }
  check(parse(loopCopy(true)));
  MESSAGE(functions << " functions: " << callCopies << " call-split copies, " << loopCopies
                    << " loop-exit copies, " << webs << " fresh webs");
  CHECK(callCopies > 0);
  CHECK(loopCopies > 0);
  CHECK(webs > 0);
}

TEST_CASE("a colouring that does not converge ends with an error, not an endless spill") {
  // Five parameters returned reversed with the pool r0-r3: at the return
  // the ABI pins every pool register, and each round's spill temps doubled
  // the vregs until memory ran out (an out-of-memory kill at 23.6 GB). Now
  // the rounds stop at a bound on the vregs, with an error naming the
  // pool's size. (verify-alloc refuses pools below Pool::kMinRegisters.)
  const mir::Module m = parse("func @rev(i32, i32, i32, i32, i32) -> (i32, i32, i32, i32, i32) {\n"
                              "bb0:\n  param v0, v1, v2, v3, v4\n  ret v4, v3, v2, v1, v0\n}\n");
  AllocOptions small;
  small.pool = arm::Pool::parse("r0-r3");
  auto ra = makeGraphColouring();
  const AllocResult r = ra->allocate(m.functions.at(0), m, small);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("without converging (a pool of 4 registers may be too small for it)") != std::string::npos);
  CHECK(r.stats.rounds < 64);
  // The smallest pool the command line takes allocates it, checked.
  AllocOptions five;
  five.pool = arm::Pool::parse("r0-r4");
  REQUIRE(five.pool.regs.size() == arm::Pool::kMinRegisters);
  ModuleAllocation a = allocateChecked(m, five);
  CHECK(a.results.at(0).ok);
}
