// Expansions of the 64-bit pair operations: add64/sub64/mul64, umull/smull, and runtime-routine calls for div/rem/shifts.
#include "arm/emit/emitter.h"

namespace vcr::emit::detail {

using mir::Instr;
using mir::Opcode;

namespace {

/// The runtime routine that implements `op`, if it is one of those.
bool routineFor(Opcode op, Routine &r) {
  switch (op) {
  case Opcode::UDiv64: r = Routine::UDiv64; return true;
  case Opcode::SDiv64: r = Routine::SDiv64; return true;
  case Opcode::URem64: r = Routine::URem64; return true;
  case Opcode::SRem64: r = Routine::SRem64; return true;
  case Opcode::Shl64: r = Routine::Shl64; return true;
  case Opcode::ShrU64: r = Routine::ShrU64; return true;
  case Opcode::ShrS64: r = Routine::ShrS64; return true;
  case Opcode::Rotl64: r = Routine::Rotl64; return true;
  case Opcode::Rotr64: r = Routine::Rotr64; return true;
  default: return false;
  }
}

}  // namespace

void FnEmitter::emitI64(const Instr &in) {
  const std::string dlo = reg(in.defs[0], "low destination");
  const std::string dhi = reg(in.defs[1], "high destination");
  if (dlo == dhi) decline("both halves of the result are in " + dlo);

  if (in.op == Opcode::UMull || in.op == Opcode::SMull) {
    // UMULL/SMULL read both sources before writing; only dlo != dhi is required.
    return line("{} {}, {}, {}, {}", in.op == Opcode::UMull ? "umull" : "smull", dlo, dhi,
                reg(in.uses[0], "first operand"), reg(in.uses[1], "second operand"));
  }

  Routine rt{};
  if (routineFor(in.op, rt)) {
    // Private convention (emit.h): operands in a 24-byte area below SP, LR
    // saved at [sp+16] across the BL, results read back from [sp], [sp+4].
    std::vector<std::string> src;
    for (size_t k = 0; k < in.uses.size(); ++k)
      src.push_back(reg(in.uses[k], k == 2 && in.uses.size() == 3 ? "shift amount" : "operand"));
    useRoutine(rt);
    line("sub sp, sp, #24");
    for (size_t k = 0; k < src.size(); ++k) {
      if (k == 0) line("str {}, [sp]", src[k]);
      else line("str {}, [sp, #{}]", src[k], 4 * k);
    }
    line("str lr, [sp, #16]");
    line("bl {}", routineSymbol(rt));
    line("ldr lr, [sp, #16]");  // before the results: a result half may be LR
    line("ldr {}, [sp]", dlo);
    line("ldr {}, [sp, #4]", dhi);
    return line("add sp, sp, #24");
  }

  const std::string alo = reg(in.uses[0], "a lo"), ahi = reg(in.uses[1], "a hi");
  const std::string blo = reg(in.uses[2], "b lo"), bhi = reg(in.uses[3], "b hi");
  switch (in.op) {
  case Opcode::Add64: case Opcode::Sub64: {
    const bool add = in.op == Opcode::Add64;
    // The low half is written first; if it would overwrite a high source,
    // compute it in a scratch register and move it in last.
    const bool clash = dlo == ahi || dlo == bhi;
    const std::string lo = clash ? scratch() : dlo;
    line("{} {}, {}, {}", add ? "adds" : "subs", lo, alo, blo);
    line("{} {}, {}, {}", add ? "adc" : "sbc", dhi, ahi, bhi);
    if (clash) line("mov {}, {}", dlo, lo);
    return;
  }
  case Opcode::Mul64: {
    // (alo + ahi*2^32) * (blo + bhi*2^32) mod 2^64: the cross terms only
    // reach the high word. Only the scratch is written before every source is read.
    if (dhi != alo && dhi != ahi && dhi != blo && dlo != alo && dlo != blo) {
      // cross terms straight into dhi, then dhi:dlo += alo * blo
      line("mul {}, {}, {}", dhi, alo, bhi);
      line("mla {0}, {1}, {2}, {0}", dhi, ahi, blo);
      line("mov {}, #0", dlo);
      return line("umlal {}, {}, {}, {}", dlo, dhi, alo, blo);
    }
    const std::string s = scratch();
    line("mul {}, {}, {}", s, alo, bhi);
    line("mla {0}, {1}, {2}, {0}", s, ahi, blo);
    line("umull {}, {}, {}, {}", dlo, dhi, alo, blo);
    return line("add {}, {}, {}", dhi, dhi, s);
  }
  default: decline("not a 64-bit pair instruction");
  }
}

}  // namespace vcr::emit::detail
