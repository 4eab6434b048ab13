// Physical-register liveness of allocated MIR, so the emitter knows which registers are free as scratch.
#include "arm/emit/emitter.h"
#include "arm/target/target.h"

namespace vcr::emit::detail {

using mir::Instr;
using mir::Opcode;
using mir::PReg;

namespace {

struct UseDef {
  uint32_t use = 0, def = 0;
};

UseDef regsOf(const Instr &in) {
  UseDef ud;
  for (const auto &o : in.uses)
    if (o.isPReg() && o.value < mir::kNumPRegs) ud.use |= 1u << o.value;
  for (const auto &o : in.defs)
    if (o.isPReg() && o.value < mir::kNumPRegs) ud.def |= 1u << o.value;
  if (mir::isCall(in.op))
    ud.def |= regBit(PReg::R0) | regBit(PReg::R1) | regBit(PReg::R2) | regBit(PReg::R3) |
              regBit(PReg::R12) | regBit(PReg::LR);
  // A return reads LR, and the caller reads R4-R11 after it: each must
  // hold its entry value there. A callee-saved register is therefore free
  // as scratch only between the push that saved it and a pop that
  // restores it, not wherever the body happens not to read it: a prologue
  // push whose copy the epilogue drops (`adjsp` instead of `pop`) leaves
  // the register live to the end, as the checker's preservation rule says.
  if (in.op == Opcode::Ret) ud.use |= regBit(PReg::LR) | arm::calleeSaved().mask();
  return ud;
}

UseDef vfpRegsOf(const Instr &in) {
  UseDef ud;
  for (const auto &o : in.uses)
    for (uint32_t s : mir::sregsOf(o)) ud.use |= 1u << s;
  for (const auto &o : in.defs)
    for (uint32_t s : mir::sregsOf(o)) ud.def |= 1u << s;
  if (mir::isCall(in.op)) ud.def |= 0xffffu;  // S0-S15 are caller-saved (AAPCS-VFP)
  if (in.op == Opcode::Ret) ud.use |= 0xffff0000u;  // S16-S31 are callee-saved: read at return (as R4-R11)
  return ud;
}

/// Backward dataflow over 32-bit register masks, `regsOf` giving each instruction's uses and defs.
template <typename RegsOf>
std::vector<std::vector<uint32_t>> solve(const mir::Function &f, RegsOf regsOf) {
  const size_t nb = f.blocks.size();
  std::vector<uint32_t> liveIn(nb, 0);
  auto succLive = [&](const mir::Block &b) {
    uint32_t m = 0;
    if (!b.instrs.empty())
      for (mir::BlockId t : b.instrs.back().targets)
        if (t < nb) m |= liveIn[t];
    return m;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t bi = nb; bi-- > 0;) {
      uint32_t live = succLive(f.blocks[bi]);
      const auto &is = f.blocks[bi].instrs;
      for (size_t k = is.size(); k-- > 0;) {
        const UseDef ud = regsOf(is[k]);
        live = (live & ~ud.def) | ud.use;
      }
      if (live != liveIn[bi]) liveIn[bi] = live, changed = true;
    }
  }
  std::vector<std::vector<uint32_t>> out(nb);
  for (size_t bi = 0; bi < nb; ++bi) {
    const auto &is = f.blocks[bi].instrs;
    out[bi].resize(is.size());
    uint32_t live = succLive(f.blocks[bi]);
    for (size_t k = is.size(); k-- > 0;) {
      out[bi][k] = live;
      const UseDef ud = regsOf(is[k]);
      live = (live & ~ud.def) | ud.use;
    }
  }
  return out;
}

}  // namespace

std::vector<std::vector<uint32_t>> liveOutMasks(const mir::Function &f) { return solve(f, regsOf); }

std::vector<std::vector<uint32_t>> vfpLiveOutMasks(const mir::Function &f) { return solve(f, vfpRegsOf); }

}  // namespace vcr::emit::detail
