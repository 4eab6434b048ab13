// Random mutants of correct allocations: the checker never crashes, and every mutant it proves is equivalent under the interpreter.
#include "check_util.h"

#include "core/ir/interp.h"

#include <random>

using namespace vcr;
using namespace vcr::verifier;
using namespace vcr::verifier::test;
using mir::Opcode;
using mir::Operand;

namespace {

/// Apply one random edit to `f`; false if nothing applicable was found.
bool mutate(mir::Function &f, std::mt19937 &rng) {
  auto &blk = f.blocks[rng() % f.blocks.size()];
  if (blk.instrs.empty()) return false;
  const size_t i = rng() % blk.instrs.size();
  mir::Instr &in = blk.instrs[i];
  switch (rng() % 5) {
  case 0: {  // another register at one operand
    std::vector<Operand *> regs;
    for (auto &o : in.defs) if (o.isPReg()) regs.push_back(&o);
    for (auto &o : in.uses) if (o.isPReg()) regs.push_back(&o);
    if (regs.empty()) return false;
    Operand *o = regs[rng() % regs.size()];
    const uint32_t r = rng() % 9;
    if (o->value == r) return false;
    o->value = r;
    return true;
  }
  case 1:  // drop an inserted instruction
    if (!in.inserted()) return false;
    blk.instrs.erase(blk.instrs.begin() + static_cast<long>(i));
    return true;
  case 2: {  // another stack slot
    for (auto *ops : {&in.defs, &in.uses})
      for (auto &o : *ops)
        if (o.isStack()) {
          o.value = rng() % 2 ? o.value + 4 : o.value - 4;
          return true;
        }
    return false;
  }
  case 3:  // another constant
    if (in.op != Opcode::MovI) return false;
    in.imm += 1 + rng() % 3;
    return true;
  default:  // swap with the next instruction (not the terminator)
    if (i + 2 > blk.instrs.size() || blk.instrs[i + 1].isTerminator() || in.op == Opcode::Param)
      return false;
    std::swap(blk.instrs[i], blk.instrs[i + 1]);
    return true;
  }
}

bool sameRun(const mir::ExecResult &a, const mir::ExecResult &b) {
  using S = mir::ExecResult::Status;
  if (a.status != b.status) return false;
  if (a.status == S::Returned) return a.results == b.results;
  if (a.status == S::Trapped) return a.trap == b.trap;
  return true;
}

}  // namespace

TEST_CASE("soundness: a mutant the checker proves behaves like the original in the interpreter") {
  const mir::Module orig = loadData("basic.vreg.mir");
  const mir::Module alloc = loadData("basic.alloc.mir");
  std::mt19937 rng(1234);
  unsigned mutants = 0, proved = 0, refuted = 0, interpChecked = 0;
  for (const auto &fo : orig.functions) {
    for (unsigned k = 0; k < 120; ++k) {
      mir::Module m = alloc;
      mir::Function *f = nullptr;
      for (auto &g : m.functions)
        if (g.name == fo.name) f = &g;
      REQUIRE(f);
      if (!mutate(*f, rng)) continue;
      ++mutants;
      CheckResult r = checkFunction(fo, *f, orig, {});
      CHECK(r.obligations.size() > 0);
      CHECK(r.unknown == 0);
      if (!r.ok()) {
        ++refuted;
        continue;
      }
      ++proved;
      // a proved mutant must be equivalent: compare on random inputs
      for (unsigned t = 0; t < 12; ++t) {
        std::vector<uint64_t> args;
        for (auto ty : fo.sig.params)
          args.push_back(ty == mir::ValType::I64 ? rng() | (uint64_t(rng()) << 32) : rng() % 64);
        mir::ExecEnv e1, e2;
        e1.memory.assign(65536, 7);
        e2.memory = e1.memory;
        mir::ExecResult a = mir::execute(orig, fo.name, args, e1);
        mir::ExecResult b = mir::execute(m, fo.name, args, e2);
        CAPTURE(fo.name);
        CAPTURE(mir::printFunction(*f));
        CAPTURE(b.error);
        CHECK(sameRun(a, b));
        CHECK(e1.memory == e2.memory);
        CHECK(e1.globals == e2.globals);
        ++interpChecked;
      }
    }
  }
  MESSAGE(mutants << " mutants: " << refuted << " refuted, " << proved
                  << " proved (each confirmed on the interpreter)");
  CHECK(mutants > 300);
  CHECK(refuted > mutants / 2);
}
