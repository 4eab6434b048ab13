// Selection of i64 operators as (lo, hi) pairs of 32-bit vregs, and the
// conversions between i32 and i64.
#include "arm/select/select_internal.h"

namespace vcr::select::detail {

using mir::Cond;
using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::VReg;
using O = wabt::Opcode;

void FuncSelector::divGuards64(wabt::Opcode op, const Val &a, const Val &b) {
  VReg any = newScratch(), z = newScratch();
  emitOp(Opcode::Orr, {any}, {b.lo, b.hi});
  emitSetImm(Cond::Eq, z, any, 0);
  emitTrapIf(z, mir::TrapReason::DivZero);
  if (op != O::I64DivS) return;
  // INT64_MIN / -1: a = (0, 0x80000000) and b = (-1, -1).
  VReg bAnd = newScratch(), bNeg1 = newScratch(), aLo0 = newScratch(), aHiMin = newScratch();
  VReg t = newScratch(), all = newScratch();
  emitOp(Opcode::And, {bAnd}, {b.lo, b.hi});
  emitSetImm(Cond::Eq, bNeg1, bAnd, 0xffffffffu);
  emitSetImm(Cond::Eq, aLo0, a.lo, 0);
  emitSetImm(Cond::Eq, aHiMin, a.hi, 0x80000000u);
  emitOp(Opcode::And, {t}, {bNeg1, aLo0});
  emitOp(Opcode::And, {all}, {t, aHiMin});
  emitTrapIf(all, mir::TrapReason::Overflow);
}

bool FuncSelector::lowerI64(const wabt::Expr &, wabt::Opcode op) {
  auto pair = [&](Opcode mop) {  // add64 dlo, dhi, alo, ahi, blo, bhi
    Val b = pop(), a = pop();
    Val d = newTemp(true);
    emitOp(mop, {d.lo, d.hi}, {a.lo, a.hi, b.lo, b.hi});
    push(d);
  };
  auto divide = [&](Opcode mop) {
    Val b = pop(), a = pop();
    divGuards64(op, a, b);
    Val d = newTemp(true);
    emitOp(mop, {d.lo, d.hi}, {a.lo, a.hi, b.lo, b.hi});
    push(d);
  };
  auto halves = [&](Opcode mop) {  // bitwise: two independent 32-bit ops
    Val b = pop(), a = pop();
    Val d = newTemp(true);
    emitOp(mop, {d.lo}, {a.lo, b.lo});
    emitOp(mop, {d.hi}, {a.hi, b.hi});
    push(d);
  };
  auto shift = [&](Opcode mop) {  // amount: the low word of b
    Val b = pop(), a = pop();
    Val d = newTemp(true);
    emitOp(mop, {d.lo, d.hi}, {a.lo, a.hi, b.lo});
    push(d);
  };
  auto compare = [&](Cond cc) {
    Val b = pop(), a = pop();
    Val d = newTemp(false);
    Instr i;
    i.op = Opcode::Set64;
    i.cc = cc;
    i.defs = {Operand::vreg(d.lo)};
    i.uses = {Operand::vreg(a.lo), Operand::vreg(a.hi), Operand::vreg(b.lo), Operand::vreg(b.hi)};
    emit(std::move(i));
    push(d);
  };
  // clz64 = hi == 0 ? 32 + clz(lo) : clz(hi); ctz64 mirrors it.
  auto count = [&](Opcode mop, bool fromHigh) {
    Val a = pop();
    Val d = newTemp(true);
    VReg first = fromHigh ? a.hi : a.lo, second = fromHigh ? a.lo : a.hi;
    VReg isZero = newScratch(), cs = newScratch(), cs32 = newScratch(), cf = newScratch();
    emitSetImm(Cond::Eq, isZero, first, 0);
    emitOp(mop, {cs}, {second});
    emitOpImm(Opcode::Add, cs32, cs, 32);
    emitOp(mop, {cf}, {first});
    emitOp(Opcode::Sel, {d.lo}, {isZero, cs32, cf});
    emitMovI(d.hi, 0);
    push(d);
  };
  // sign-extend from a narrower width: lo = sext(lo), hi = lo >> 31
  auto extendS = [&](std::optional<Opcode> narrow) {
    Val a = pop();
    Val d;
    d.wide = true;
    if (narrow) {
      d.lo = newVReg(mir::VRegInfo::Kind::Stack);
      emitOp(*narrow, {d.lo}, {a.lo});
    } else {
      d.lo = a.lo;  // the low word is unchanged: reuse it
      d.alias = a.alias;
    }
    d.hi = newVReg(mir::VRegInfo::Kind::Stack, -1, static_cast<int32_t>(d.lo));
    emitOpImm(Opcode::ShrS, d.hi, d.lo, 31);
    push(d);
  };
  switch (op) {
  case O::I64Add: pair(Opcode::Add64); return true;
  case O::I64Sub: pair(Opcode::Sub64); return true;
  case O::I64Mul: pair(Opcode::Mul64); return true;
  case O::I64DivS: divide(Opcode::SDiv64); return true;
  case O::I64DivU: divide(Opcode::UDiv64); return true;
  case O::I64RemS: divide(Opcode::SRem64); return true;
  case O::I64RemU: divide(Opcode::URem64); return true;
  case O::I64And: halves(Opcode::And); return true;
  case O::I64Or: halves(Opcode::Orr); return true;
  case O::I64Xor: halves(Opcode::Eor); return true;
  case O::I64Shl: shift(Opcode::Shl64); return true;
  case O::I64ShrS: shift(Opcode::ShrS64); return true;
  case O::I64ShrU: shift(Opcode::ShrU64); return true;
  case O::I64Rotl: shift(Opcode::Rotl64); return true;
  case O::I64Rotr: shift(Opcode::Rotr64); return true;
  case O::I64Clz: count(Opcode::Clz, true); return true;
  case O::I64Ctz: count(Opcode::Ctz, false); return true;
  case O::I64Popcnt: {
    Val a = pop();
    Val d = newTemp(true);
    VReg pl = newScratch(), ph = newScratch();
    emitOp(Opcode::Popcnt, {pl}, {a.lo});
    emitOp(Opcode::Popcnt, {ph}, {a.hi});
    emitOp(Opcode::Add, {d.lo}, {pl, ph});
    emitMovI(d.hi, 0);
    push(d);
    return true;
  }
  case O::I64Eqz: {
    Val a = pop();
    Val d = newTemp(false);
    VReg any = newScratch();
    emitOp(Opcode::Orr, {any}, {a.lo, a.hi});
    emitSetImm(Cond::Eq, d.lo, any, 0);
    push(d);
    return true;
  }
  case O::I64Eq: compare(Cond::Eq); return true;
  case O::I64Ne: compare(Cond::Ne); return true;
  case O::I64LtS: compare(Cond::SLt); return true;
  case O::I64LtU: compare(Cond::ULt); return true;
  case O::I64GtS: compare(Cond::SGt); return true;
  case O::I64GtU: compare(Cond::UGt); return true;
  case O::I64LeS: compare(Cond::SLe); return true;
  case O::I64LeU: compare(Cond::ULe); return true;
  case O::I64GeS: compare(Cond::SGe); return true;
  case O::I64GeU: compare(Cond::UGe); return true;
  case O::I32WrapI64: {
    Val a = pop();
    Val d;
    d.lo = a.lo;  // wrap is the low word
    d.alias = a.alias;
    push(d);
    return true;
  }
  case O::I64ExtendI32U: {
    Val a = pop();
    Val d;
    d.lo = a.lo;
    d.alias = a.alias;
    d.wide = true;
    d.hi = newVReg(mir::VRegInfo::Kind::Stack, -1, static_cast<int32_t>(a.lo));
    emitMovI(d.hi, 0);
    push(d);
    return true;
  }
  case O::I64ExtendI32S:
  case O::I64Extend32S: extendS(std::nullopt); return true;
  case O::I64Extend8S: extendS(Opcode::Sext8); return true;
  case O::I64Extend16S: extendS(Opcode::Sext16); return true;
  default: return false;
  }
}

}  // namespace vcr::select::detail
