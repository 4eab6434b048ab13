// 32-bit ALU expansions: moves, constants, binary ops with immediates, shifts, division, unary ops, set/sel/set64.
#include "arm/emit/emitter.h"

namespace vcr::emit::detail {

using mir::Cond;
using mir::Instr;
using mir::Opcode;
using mir::Operand;

namespace {

/// The condition that holds for (b, a) when `c` holds for (a, b).
Cond swapped(Cond c) {
  switch (c) {
  case Cond::SLt: return Cond::SGt;
  case Cond::SGt: return Cond::SLt;
  case Cond::ULt: return Cond::UGt;
  case Cond::UGt: return Cond::ULt;
  case Cond::SLe: return Cond::SGe;
  case Cond::SGe: return Cond::SLe;
  case Cond::ULe: return Cond::UGe;
  case Cond::UGe: return Cond::ULe;
  default: return c;
  }
}

bool commutative(Opcode op) {
  return op == Opcode::Add || op == Opcode::Mul || op == Opcode::And || op == Opcode::Orr ||
         op == Opcode::Eor;
}

std::string_view mnemonicOf(Opcode op) {
  switch (op) {
  case Opcode::Add: return "add";
  case Opcode::Sub: return "sub";
  case Opcode::Mul: return "mul";
  case Opcode::And: return "and";
  case Opcode::Orr: return "orr";
  case Opcode::Eor: return "eor";
  case Opcode::SDiv: return "sdiv";
  case Opcode::UDiv: return "udiv";
  case Opcode::Shl: return "lsl";
  case Opcode::ShrU: return "lsr";
  case Opcode::ShrS: return "asr";
  default: return "ror";
  }
}

}  // namespace

std::string_view condSuffix(Cond c) {
  switch (c) {
  case Cond::Eq: return "eq";
  case Cond::Ne: return "ne";
  case Cond::SLt: return "lt";
  case Cond::ULt: return "lo";
  case Cond::SGt: return "gt";
  case Cond::UGt: return "hi";
  case Cond::SLe: return "le";
  case Cond::ULe: return "ls";
  case Cond::SGe: return "ge";
  case Cond::UGe: return "hs";
  case Cond::None: break;
  }
  return "al";
}

std::string_view invertedSuffix(Cond c) {
  switch (c) {
  case Cond::Eq: return "ne";
  case Cond::Ne: return "eq";
  case Cond::SLt: return "ge";
  case Cond::ULt: return "hs";
  case Cond::SGt: return "le";
  case Cond::UGt: return "ls";
  case Cond::SLe: return "gt";
  case Cond::ULe: return "hi";
  case Cond::SGe: return "lt";
  case Cond::UGe: return "lo";
  case Cond::None: break;
  }
  return "nv";
}

void FnEmitter::binaryImm(std::string_view mn, const std::string &d, const std::string &a,
                          uint32_t imm) {
  const uint32_t neg = 0u - imm;
  if (mn == "add" || mn == "sub") {
    const bool add = mn == "add";
    if (isModifiedImmediate(imm)) return line("{} {}, {}, #{}", mn, d, a, imm);
    if (imm <= 4095) return line("{}w {}, {}, #{}", mn, d, a, imm);
    if (isModifiedImmediate(neg)) return line("{} {}, {}, #{}", add ? "sub" : "add", d, a, neg);
    if (neg <= 4095) return line("{} {}, {}, #{}", add ? "subw" : "addw", d, a, neg);
  } else if (mn == "and" || mn == "orr") {
    if (isModifiedImmediate(imm)) return line("{} {}, {}, #{}", mn, d, a, imm);
    if (isModifiedImmediate(~imm))
      return line("{} {}, {}, #{}", mn == "and" ? "bic" : "orn", d, a, ~imm);
  } else if (mn == "eor") {
    if (isModifiedImmediate(imm)) return line("eor {}, {}, #{}", d, a, imm);
  }
  const std::string s = tempFor(d, {a});  // d itself unless it is the operand
  materialize(s, imm);
  line("{} {}, {}, {}", mn, d, a, s);
}

void FnEmitter::emitShift(const Instr &in, const std::string &d) {
  const std::string a = reg(in.uses[0], "shifted value");
  const Operand &b = in.uses[1];
  if (b.isImm()) {
    unsigned n = b.value & 31;
    if (in.op == Opcode::Rotl) n = (32 - n) & 31;
    // lsr/asr #0 would mean a shift by 32: an amount of 0 is a move.
    if (n == 0) {
      if (d != a) line("mov {}, {}", d, a);
      return;
    }
    return line("{} {}, {}, #{}", mnemonicOf(in.op), d, a, n);
  }
  const std::string r = reg(b, "shift amount");
  if (in.op == Opcode::Rotr)  // ROR by register is periodic in the bottom byte: mod 32
    return line("ror {}, {}, {}", d, a, r);
  // a is read after the amount is adjusted; the amount's own register serves when it dies here
  const std::string t = tempFor(d, {a}, {r});
  if (in.op == Opcode::Rotl) {
    line("rsb {}, {}, #0", t, r);  // rotl n = ror (-n mod 32)
    return line("ror {}, {}, {}", d, a, t);
  }
  // LSL/LSR/ASR by register use the bottom byte (32..255 -> 0 or sign): mask
  line("and {}, {}, #31", t, r);
  line("{} {}, {}, {}", mnemonicOf(in.op), d, a, t);
}

void FnEmitter::emitAlu(const Instr &in) {
  const std::string d = reg(in.defs[0], "destination");
  switch (in.op) {
  case Opcode::Mov: {
    const std::string a = reg(in.uses[0], "source");
    if (d == a && opts_.elideSelfMoves) return;
    return line("mov {}, {}", d, a);
  }
  case Opcode::MovI: return materialize(d, in.imm);
  case Opcode::Add: case Opcode::Sub: case Opcode::Mul: case Opcode::And:
  case Opcode::Orr: case Opcode::Eor: {
    Operand a = in.uses[0], b = in.uses[1];
    if (a.isImm() && b.isImm()) decline("both operands are immediates");
    if (a.isImm() && commutative(in.op)) std::swap(a, b);
    if (a.isImm()) {  // sub d, #imm, b: d = imm - b
      const std::string rb = reg(b, "second operand");
      if (isModifiedImmediate(a.value)) return line("rsb {}, {}, #{}", d, rb, a.value);
      const std::string s = tempFor(d, {rb});
      materialize(s, a.value);
      return line("sub {}, {}, {}", d, s, rb);
    }
    const std::string ra = reg(a, "first operand");
    if (b.isImm() && in.op != Opcode::Mul) return binaryImm(mnemonicOf(in.op), d, ra, b.value);
    if (b.isImm()) {
      const std::string s = tempFor(d, {ra});
      materialize(s, b.value);
      return line("mul {}, {}, {}", d, ra, s);
    }
    return line("{} {}, {}, {}", mnemonicOf(in.op), d, ra, reg(b, "second operand"));
  }
  case Opcode::Shl: case Opcode::ShrU: case Opcode::ShrS: case Opcode::Rotl:
  case Opcode::Rotr:
    return emitShift(in, d);
  case Opcode::SDiv: case Opcode::UDiv: {
    // SDIV/UDIV give x/0 = 0 and INT_MIN/-1 = INT_MIN, as MIR says.
    return line("{} {}, {}, {}", mnemonicOf(in.op), d, reg(in.uses[0], "dividend"),
                reg(in.uses[1], "divisor"));
  }
  case Opcode::SRem: case Opcode::URem: {
    // d = a - (a / b) * b; with the ARM quotient: x%0 = x, INT_MIN%-1 = 0.
    const std::string a = reg(in.uses[0], "dividend"), b = reg(in.uses[1], "divisor");
    const std::string t = tempFor(d, {a, b});
    line("{} {}, {}, {}", in.op == Opcode::SRem ? "sdiv" : "udiv", t, a, b);
    return line("mls {}, {}, {}, {}", d, t, b, a);
  }
  case Opcode::Clz: return line("clz {}, {}", d, reg(in.uses[0], "source"));
  case Opcode::Ctz: {
    const std::string a = reg(in.uses[0], "source");
    line("rbit {}, {}", d, a);
    return line("clz {}, {}", d, d);
  }
  case Opcode::Popcnt: {
    const std::string a = reg(in.uses[0], "source");
    const std::string s = scratch();
    line("lsr {}, {}, #1", s, a);
    line("and {0}, {0}, #0x55555555", s);
    line("sub {}, {}, {}", d, a, s);  // 2-bit counts
    line("and {}, {}, #0x33333333", s, d);
    line("lsr {}, {}, #2", d, d);
    line("and {}, {}, #0x33333333", d, d);
    line("add {}, {}, {}", d, d, s);  // 4-bit counts
    line("add {}, {}, {}, lsr #4", d, d, d);
    line("and {}, {}, #0x0f0f0f0f", d, d);  // byte counts
    line("add {}, {}, {}, lsl #8", d, d, d);
    line("add {}, {}, {}, lsl #16", d, d, d);  // top byte = sum of the bytes
    return line("lsr {}, {}, #24", d, d);
  }
  case Opcode::Sext8: return line("sxtb {}, {}", d, reg(in.uses[0], "source"));
  case Opcode::Sext16: return line("sxth {}, {}", d, reg(in.uses[0], "source"));
  default: decline("not a 32-bit ALU instruction");
  }
}

void FnEmitter::compareWith(const std::string &a, uint32_t imm) {
  if (isModifiedImmediate(imm)) return line("cmp {}, #{}", a, imm);
  // CMN a, #-imm sets N, Z, C and V exactly as CMP a, #imm for imm != 0, INT_MIN.
  if (imm != 0x80000000u && isModifiedImmediate(0u - imm)) return line("cmn {}, #{}", a, 0u - imm);
  const std::string s = scratch();
  materialize(s, imm);
  line("cmp {}, {}", a, s);
}

void FnEmitter::emitCompare(const Instr &in) {
  const std::string d = reg(in.defs[0], "destination");
  if (in.op == Opcode::Sel) {  // d = c != 0 ? a : b
    const std::string c = reg(in.uses[0], "condition");
    const std::string a = reg(in.uses[1], "true value"), b = reg(in.uses[2], "false value");
    if (a == b) {
      if (d != a) line("mov {}, {}", d, a);
      return;
    }
    line("cmp {}, #0", c);
    if (d == a) {
      line("it eq");
      return line("moveq {}, {}", d, b);
    }
    if (d == b) {
      line("it ne");
      return line("movne {}, {}", d, a);
    }
    line("ite ne");
    line("movne {}, {}", d, a);
    return line("moveq {}, {}", d, b);
  }
  Cond cc = in.cc;
  if (cc == Cond::None) decline("comparison without a condition code");
  if (in.op == Opcode::Set) {
    Operand a = in.uses[0], b = in.uses[1];
    if (a.isImm() && b.isImm()) decline("both operands are immediates");
    if (a.isImm()) {
      std::swap(a, b);
      cc = swapped(cc);
    }
    const std::string ra = reg(a, "first operand");
    if (b.isImm()) compareWith(ra, b.value);
    else line("cmp {}, {}", ra, reg(b, "second operand"));
  } else {  // set64
    const std::string alo = reg(in.uses[0], "a lo"), ahi = reg(in.uses[1], "a hi");
    const std::string blo = reg(in.uses[2], "b lo"), bhi = reg(in.uses[3], "b hi");
    if (cc == Cond::Eq || cc == Cond::Ne) {
      line("cmp {}, {}", alo, blo);
      line("it eq");
      line("cmpeq {}, {}", ahi, bhi);
    } else {
      // (a - b) over 64 bits: N, V and C are right, Z is not, so gt/le/ugt/ule
      // are computed as lt/ge/ult/uge of the swapped operands.
      const bool swap = cc == Cond::SGt || cc == Cond::SLe || cc == Cond::UGt || cc == Cond::ULe;
      if (swap) cc = swapped(cc);
      line("cmp {}, {}", swap ? blo : alo, swap ? alo : blo);
      // the difference's high word is not needed: d (written last anyway) takes it
      line("sbcs {}, {}, {}", d, swap ? bhi : ahi, swap ? ahi : bhi);
    }
  }
  line("ite {}", condSuffix(cc));
  line("mov{} {}, #1", condSuffix(cc), d);
  line("mov{} {}, #0", invertedSuffix(cc), d);
}

}  // namespace vcr::emit::detail
