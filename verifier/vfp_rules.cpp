// The structure rules of VFP registers in inserted instructions (VMOV, VLDR/VSTR, VPUSH/VPOP).
#include "verifier/vfp_rules.h"

#include <algorithm>

namespace vcr::verifier {

using namespace mir;

namespace {
/// An S register (any of S0-S31) or a D register (D0-D15).
bool vfpReg(const Operand &o) {
  return (o.isSReg() && o.value < kNumSRegs) || (o.isDReg() && o.value < kNumDRegs);
}
/// Whether VFP operand o lies in S16-S31 (D8-D15), the callee-saved VFP registers.
bool vfpCalleeSaved(const Operand &o) {
  return vfpReg(o) && (o.isSReg() ? o.value >= 16 : o.value >= 8);
}
}  // namespace

/// The VFP forms of inserted mov, lds, sts, push and pop: VMOV of one
/// class, VLDR/VSTR of a spill slot, VPUSH/VPOP of S16-S31 (ascending S
/// numbers, each once). True when `in` is one; `why` says what is wrong.
bool vfpInsertedRule(const Instr &in, std::string &why) {
  const bool any = std::any_of(in.defs.begin(), in.defs.end(), [](const Operand &o) { return o.isVfp(); }) ||
                   std::any_of(in.uses.begin(), in.uses.end(), [](const Operand &o) { return o.isVfp(); });
  if (!any) return false;
  switch (in.op) {
  case Opcode::Mov:
    if (in.defs.size() != 1 || in.uses.size() != 1 || !vfpReg(in.defs[0]) || !vfpReg(in.uses[0]) ||
        in.defs[0].kind != in.uses[0].kind)
      why = "a VFP mov moves an S register to an S register or a D register to a D register";
    return true;
  case Opcode::Lds: case Opcode::Sts: {
    const bool lds = in.op == Opcode::Lds;
    if (in.defs.size() != 1 || in.uses.size() != 1 || !vfpReg(lds ? in.defs[0] : in.uses[0]) ||
        !(lds ? in.uses[0] : in.defs[0]).isStack())
      why = "a VFP lds/sts is `lds sN|dN, [sp+N]` / `sts [sp+N], sN|dN`";
    return true;
  }
  case Opcode::Push: case Opcode::Pop: {
    const auto &ops = in.op == Opcode::Push ? in.uses : in.defs;
    const auto &other = in.op == Opcode::Push ? in.defs : in.uses;
    int last = -1;
    for (const Operand &o : ops) {
      if (!vfpCalleeSaved(o) || !other.empty())
        return why = "a VFP push/pop lists only s16-s31 / d8-d15, no core register", true;
      for (uint32_t r : sregsOf(o)) {
        if (int(r) <= last) return why = "a VFP push/pop list must be ascending without overlap", true;
        last = int(r);
      }
    }
    return true;
  }
  case Opcode::FConst32: case Opcode::FConst64: {  // a rematerialised float constant
    const bool f64 = in.op == Opcode::FConst64;
    const bool imms = std::all_of(in.uses.begin(), in.uses.end(), [](const Operand &o) { return o.isImm(); });
    if (in.defs.size() != 1 || in.uses.size() != (f64 ? 2u : 1u) || !imms ||
        !(f64 ? in.defs[0].isDReg() && in.defs[0].value < kNumDRegs : in.defs[0].isSReg() && in.defs[0].value < kNumSRegs))
      why = "an inserted fconst.f32/.f64 defines one S/D register from immediates";
    return true;
  }
  default: why = "not an instruction an allocator may insert with VFP registers"; return true;
  }
}

}  // namespace vcr::verifier
