// The checker's independent AAPCS parameter and result placement.
#include "verifier/abi.h"

namespace vcr::verifier::abi {

namespace {
/// The placement walk shared by paramHomes and stackParamBytes.
struct Walk {
  std::vector<WordHome> homes;
  unsigned nextReg = 0;    // next free of R0..R3 (4 = none)
  uint32_t stackOff = 0;   // next free stack byte
  bool onStack = false;    // once set, no register is used again

  void place(mir::ValType t) {
    if (t == mir::ValType::I32) {
      if (!onStack && nextReg < 4) {
        homes.push_back({false, static_cast<mir::PReg>(nextReg++), 0});
        return;
      }
      onStack = true;
      homes.push_back({true, mir::PReg::R0, stackOff});
      stackOff += 4;
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
    homes.push_back({true, mir::PReg::R0, stackOff});
    homes.push_back({true, mir::PReg::R0, stackOff + 4});
    stackOff += 8;
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

std::vector<WordHome> resultHomes(const mir::Signature &sig) {
  std::vector<WordHome> out;
  unsigned r = 0;
  for (mir::ValType t : sig.results)
    for (unsigned w = 0; w < mir::words(t); ++w, ++r)
      out.push_back(r < 4 ? WordHome{false, static_cast<mir::PReg>(r), 0}
                          : WordHome{true, mir::PReg::R0, 4 * (r - 4)});
  return out;
}

mir::Operand homeOperand(const WordHome &h) {
  return h.onStack ? mir::Operand::stack(h.offset) : mir::Operand::preg(h.reg);
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
