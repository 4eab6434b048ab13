// The checker's independent AAPCS (and AAPCS-VFP) parameter and result placement.
#include "verifier/abi.h"

#include <algorithm>

namespace vcr::verifier::abi {

namespace {
/// The placement walk shared by paramHomes and stackParamBytes.
struct Walk {
  std::vector<WordHome> homes;
  unsigned nextReg = 0;    // next free of R0..R3 (4 = none)
  uint32_t stackOff = 0;   // next free stack byte, shared by core and VFP values
  bool onStack = false;    // once set, no core register is used again
  uint32_t freeS = 0xFFFF; // free S0-S15 (bit i = S i)
  bool vfpOnStack = false; // once set, no VFP register is used again

  void stack(unsigned bytes) {
    if (bytes == 8) stackOff = (stackOff + 7) & ~7u;
    WordHome h;
    h.onStack = true;
    h.offset = stackOff;
    h.bytes = static_cast<uint8_t>(bytes);
    homes.push_back(h);
    stackOff += bytes;
  }

  /// An f32 (one S register) or an f64 (an even S pair, a D register).
  void placeVfp(bool f64) {
    for (unsigned s = 0; !vfpOnStack && s < 16; s += f64 ? 2 : 1) {
      const uint32_t need = (f64 ? 3u : 1u) << s;
      if ((freeS & need) != need) continue;
      freeS &= ~need;
      WordHome h;
      h.vfp = f64 ? WordHome::Vfp::D : WordHome::Vfp::S;
      h.vfpReg = static_cast<uint8_t>(f64 ? s / 2 : s);
      h.bytes = f64 ? 8 : 4;
      homes.push_back(h);
      return;
    }
    vfpOnStack = true;  // no back-filling once a VFP value went to the stack
    freeS = 0;
    stack(f64 ? 8 : 4);
  }

  void place(mir::ValType t) {
    if (t == mir::ValType::F32 || t == mir::ValType::F64) return placeVfp(t == mir::ValType::F64);
    if (t == mir::ValType::I32) {
      if (!onStack && nextReg < 4) {
        homes.push_back({false, static_cast<mir::PReg>(nextReg++), 0});
        return;
      }
      onStack = true;
      stack(4);
      return;
    }
    unsigned even = (nextReg + 1) & ~1u;
    if (!onStack && even + 1 < 4) {
      homes.push_back({false, static_cast<mir::PReg>(even), 0});
      homes.push_back({false, static_cast<mir::PReg>(even + 1), 0});
      nextReg = even + 2;
      return;
    }
    onStack = true;
    nextReg = 4;
    stackOff = (stackOff + 7) & ~7u;
    stack(4);
    stack(4);
  }
};

Walk walk(const mir::Signature &sig) {
  Walk w;
  for (mir::ValType t : sig.params) w.place(t);
  return w;
}
}  // namespace

std::vector<WordHome> paramHomes(const mir::Signature &sig) { return walk(sig).homes; }

uint32_t stackParamBytes(const mir::Signature &sig) { return walk(sig).stackOff; }

namespace {
Walk resultWalk(const mir::Signature &sig) {
  // The convention (docs/mir.md "Several results"): results take their
  // homes as parameters of the same types would.
  Walk w;
  for (mir::ValType t : sig.results) w.place(t);
  return w;
}
}  // namespace

std::vector<WordHome> resultHomes(const mir::Signature &sig) { return resultWalk(sig).homes; }

uint32_t stackResultBytes(const mir::Signature &sig) { return resultWalk(sig).stackOff; }

uint32_t areaBytes(const mir::Signature &sig) { return std::max(stackParamBytes(sig), stackResultBytes(sig)); }

mir::Operand homeOperand(const WordHome &h) {
  if (h.onStack) return mir::Operand::stack(h.offset);
  if (h.vfp == WordHome::Vfp::S) return mir::Operand::sreg(h.vfpReg);
  if (h.vfp == WordHome::Vfp::D) return mir::Operand::dreg(h.vfpReg);
  return mir::Operand::preg(h.reg);
}

std::string_view reservedRole(mir::PReg r) {
  switch (r) {
  case mir::PReg::R9: return "globals base";
  case mir::PReg::R10: return "memory size";
  case mir::PReg::R11: return "memory base";
  case mir::PReg::SP: return "stack pointer";
  case mir::PReg::PC: return "program counter";
  default: return "";
  }
}

}  // namespace vcr::verifier::abi
