// Test helpers: hand-built MIR, the vreg-vs-allocated differential, register-role checks.
#include "core/alloc/tests/test_util.h"

#include "core/ir/diff.h"
#include "core/ir/text.h"


namespace vcr::alloc::test {

using mir::Opcode;
using mir::PReg;

mir::Instr ins(Opcode op, mir::OperandList defs, mir::OperandList uses, mir::TargetList targets) {
  mir::Instr i;
  i.op = op;
  i.defs = std::move(defs);
  i.uses = std::move(uses);
  i.targets = std::move(targets);
  return i;
}

DiffOutcome differential(const mir::Module &vregForm, const mir::Module &allocated, const std::string &fn,
                         unsigned inputs, uint64_t seed) {
  if (!vregForm.findFunction(fn)) return {false, "no function " + fn, 0};
  const std::vector<mir::DiffInput> in = mir::makeDiffInputs(vregForm, fn, inputs, seed, 5'000'000);
  const std::string why = mir::behaviourDifference(allocated, fn, in);
  return {why.empty(), why, static_cast<unsigned>(in.size())};
}

std::string checkRegisterRoles(const mir::Function &f, const arm::Pool &pool) {
  const arm::RegSet abi = arm::argRegs();
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) {
      bool pushPop = i.op == Opcode::Push || i.op == Opcode::Pop;
      bool abiPlace = i.op == Opcode::Param || i.op == Opcode::Call || i.op == Opcode::Ret || i.inserted();
      auto ok = [&](const mir::Operand &o) {
        if (o.isVReg()) return false;
        if (!o.isPReg()) return true;
        PReg r = o.preg();
        if (pushPop) return arm::calleeSaved().contains(r) || r == PReg::LR;
        if (pool.regs.contains(r)) return true;
        if (abi.contains(r) && abiPlace) return true;
        return r == PReg::R12 && i.origin == mir::Origin::OutArg;
      };
      for (const auto &o : i.defs)
        if (!ok(o)) return b.label + ": " + mir::printInstr(i, f);
      for (const auto &o : i.uses)
        if (!ok(o)) return b.label + ": " + mir::printInstr(i, f);
    }
  return "";
}

}  // namespace vcr::alloc::test
