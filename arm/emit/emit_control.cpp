// Expansions of frame and control instructions: push/pop/adjsp, branches, brtable, calls, traps, ret.
#include "arm/emit/emitter.h"
#include "core/ir/runtime_calls.h"

#include "arm/target/runtime.h"

#include <algorithm>

namespace vcr::emit::detail {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::PReg;

namespace {

/// Sorted register list of push/pop, or an error message.
std::string regList(const mir::OperandList &ops, std::vector<unsigned> &regs) {
  for (const Operand &o : ops) {
    if (!o.isPReg() || o.value >= mir::kNumPRegs) return "register list holds a non-register";
    if (o.preg() == PReg::SP || o.preg() == PReg::PC) return "sp/pc in a register list";
    regs.push_back(o.value);
  }
  std::sort(regs.begin(), regs.end());
  if (regs.empty()) return "empty register list";
  if (std::adjacent_find(regs.begin(), regs.end()) != regs.end()) return "register listed twice";
  return "";
}

std::string joinRegs(const std::vector<unsigned> &regs) {
  std::string s;
  for (unsigned r : regs) {
    if (!s.empty()) s += ", ";
    s += mir::pregName(static_cast<PReg>(r));
  }
  return s;
}

}  // namespace

void FnEmitter::emitFrame(const Instr &in) {
  if (in.op == Opcode::AdjSp) {
    const auto n = static_cast<int32_t>(in.imm);
    if (n == 0) return;
    const std::string_view mn = n < 0 ? "sub" : "add";
    const uint32_t k = n < 0 ? 0u - in.imm : in.imm;
    if (isModifiedImmediate(k)) return line("{} sp, sp, #{}", mn, k);
    if (k <= 4095) return line("{}w sp, sp, #{}", mn, k);
    const std::string s = scratch();
    materialize(s, k);
    return line("{} sp, sp, {}", mn, s);
  }
  std::vector<unsigned> regs;
  const bool push = in.op == Opcode::Push;
  if (std::string err = regList(push ? in.uses : in.defs, regs); !err.empty()) decline(err);
  if (push) return line("push {{{}}}", joinRegs(regs));
  // `pop {..., lr}` directly followed by `ret` becomes `pop {..., pc}`.
  const unsigned lr = static_cast<unsigned>(PReg::LR);
  if (next_ && next_->op == Opcode::Ret && regs.back() == lr) {
    regs.back() = static_cast<unsigned>(PReg::PC);
    skipNext_ = true;
  }
  line("pop {{{}}}", joinRegs(regs));
}

void FnEmitter::branchTo(mir::BlockId target) {
  if (target != curBlock_ + 1) line("b {}", blockLabel(target));
}

void FnEmitter::emitControl(const Instr &in) {
  switch (in.op) {
  case Opcode::Param: return;  // a declaration of the ABI homes
  case Opcode::Br: return branchTo(in.targets[0]);
  case Opcode::BrIf: {
    const std::string v = reg(in.uses[0], "condition");
    const mir::BlockId t = in.targets[0], f = in.targets[1];
    if (t == f) return branchTo(t);
    line("cmp {}, #0", v);
    if (t == curBlock_ + 1) return line("beq {}", blockLabel(f));
    line("bne {}", blockLabel(t));
    return branchTo(f);
  }
  case Opcode::BrTable: {
    const std::string v = reg(in.uses[0], "index");
    const size_t ncases = in.targets.size() - 1;
    const mir::BlockId dflt = in.targets.back();
    if (ncases == 0) return branchTo(dflt);
    if (ncases > 0xffffu) decline("brtable with more than 65535 cases");
    compareWith(v, static_cast<uint32_t>(ncases));
    line("bhs {}", blockLabel(dflt));  // unsigned: index >= ncases takes the default
    // TBH offsets are unsigned halfwords from the table: every case goes
    // through a `b` trampoline right after the table, so targets may lie
    // anywhere (backwards, or far away).
    const std::string table = freshLabel("tbh");
    line("tbh [pc, {}, lsl #1]", v);
    label(table);
    std::vector<mir::BlockId> distinct;
    for (size_t k = 0; k < ncases; ++k) {
      auto it = std::find(distinct.begin(), distinct.end(), in.targets[k]);
      const size_t slot = size_t(it - distinct.begin());
      if (it == distinct.end()) distinct.push_back(in.targets[k]);
      line(".short ({}_{} - {}) / 2", table, slot, table);
    }
    for (size_t s = 0; s < distinct.size(); ++s) {
      label(fmt::format("{}_{}", table, s));
      line("b {}", blockLabel(distinct[s]));
    }
    return;
  }
  case Opcode::Ret: return line("bx lr");
  case Opcode::Trap: return line("udf #{}", arm::rt::trapCode(in.reason));
  case Opcode::TrapIf:
    line("cmp {}, #0", reg(in.uses[0], "trap condition"));
    return line("bne {}", trapLabel(in.reason));
  case Opcode::Call: {
    if (module_.findFunction(in.callee)) {
      callees_.insert(in.callee);
      return line("bl {}", arm::rt::functionSymbol(in.callee));
    }
    if (module_.findImport(in.callee)) return line("bl {}", arm::rt::importSymbol(in.callee));
    if (auto rt = mir::findRuntimeFn(in.callee)) {  // soft float: AEABI (libgcc) or ours
      if (mir::runtimeFns()[*rt].ours) {
        if (floatRuntimeText().empty()) decline("the float runtime was not built (clang-14 missing)");
        useRoutine(Routine::FloatRuntime);
      }
      return line("bl {}", in.callee);
    }
    decline("call of unknown function @" + in.callee);
  }
  default: decline("not a control instruction");
  }
}

}  // namespace vcr::emit::detail
