// Test helpers: hand-built MIR, the vreg-vs-allocated differential, register-role checks.
#include "core/alloc/tests/test_util.h"

#include "core/ir/interp.h"
#include "core/ir/text.h"

#include <random>

namespace vcr::alloc::test {

using mir::Opcode;
using mir::PReg;

mir::Instr ins(Opcode op, std::vector<mir::Operand> defs, std::vector<mir::Operand> uses,
               std::vector<mir::BlockId> targets) {
  mir::Instr i;
  i.op = op;
  i.defs = std::move(defs);
  i.uses = std::move(uses);
  i.targets = std::move(targets);
  return i;
}

namespace {

std::string statusName(mir::ExecResult::Status s) {
  switch (s) {
  case mir::ExecResult::Status::Returned: return "returned";
  case mir::ExecResult::Status::Trapped: return "trapped";
  case mir::ExecResult::Status::Exhausted: return "exhausted";
  case mir::ExecResult::Status::Error: return "error";
  }
  return "?";
}

std::string describe(const mir::ExecResult &r) {
  std::string s = statusName(r.status);
  if (r.status == mir::ExecResult::Status::Returned) {
    s += " (";
    for (uint64_t x : r.results) s += std::to_string(x) + " ";
    s += ")";
  }
  if (r.status == mir::ExecResult::Status::Trapped) s += std::string(" ") + std::string(mir::trapName(r.trap));
  if (!r.error.empty()) s += ": " + r.error;
  return s;
}

}  // namespace

DiffOutcome differential(const mir::Module &vregForm, const mir::Module &allocated, const std::string &fn,
                         unsigned inputs, uint64_t seed) {
  DiffOutcome out;
  const mir::Function *f = vregForm.findFunction(fn);
  if (!f) return {false, "no function " + fn, 0};
  std::mt19937_64 rng(seed);
  for (unsigned k = 0; k < inputs; ++k) {
    std::vector<uint64_t> args;
    for (mir::ValType t : f->sig.params) {
      uint64_t x = rng();
      switch (rng() % 4) {  // mix small, boundary and random values
      case 0: x %= 16; break;
      case 1: x = (rng() % 2) ? ~0ull : 0x80000000ull; break;
      default: break;
      }
      args.push_back(t == mir::ValType::I32 ? (x & 0xffffffffu) : x);
    }
    mir::ExecEnv a, b;
    a.memory.assign(size_t(vregForm.memoryPages) * 65536, 0);
    for (size_t i = 0; i < a.memory.size(); i += 7) a.memory[i] = static_cast<uint8_t>(rng());
    for (const auto &g : vregForm.globals) a.globals.push_back(g.init);
    b.memory = a.memory;
    b.globals = a.globals;
    a.fuel = b.fuel = 5'000'000;
    mir::ExecResult ra = mir::execute(vregForm, fn, args, a);
    mir::ExecResult rb = mir::execute(allocated, fn, args, b);
    ++out.runs;
    std::string why;
    if (ra.status == mir::ExecResult::Status::Error) why = "vreg form: " + describe(ra);
    else if (rb.status == mir::ExecResult::Status::Error) why = "allocated form: " + describe(rb);
    else if (ra.status != rb.status || ra.results != rb.results ||
             (ra.status == mir::ExecResult::Status::Trapped && ra.trap != rb.trap))
      why = "vreg form " + describe(ra) + " vs allocated " + describe(rb);
    else if (ra.status != mir::ExecResult::Status::Exhausted && (a.memory != b.memory || a.globals != b.globals))
      why = "final memory or globals differ";
    if (!why.empty()) {
      out.same = false;
      out.why = "@" + fn + " input #" + std::to_string(k) + ": " + why;
      return out;
    }
  }
  return out;
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
