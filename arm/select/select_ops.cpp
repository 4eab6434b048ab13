// Selection of i32 operators, locals, globals, memory access, select and calls.
#include "arm/select/select_internal.h"
#include "arm/target/cpu.h"

#include <wabt/cast.h>

namespace vcr::select::detail {

using mir::Cond;
using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::VReg;
using O = wabt::Opcode;
using Fault = SelectOptions::Fault;

void FuncSelector::divGuards32(wabt::Opcode op, VReg a, VReg b) {
  VReg z = newScratch();
  emitSetImm(Cond::Eq, z, b, 0);
  emitTrapIf(z, mir::TrapReason::DivZero);
  if (op != O::I32DivS) return;
  // INT_MIN / -1 overflows (INT_MIN % -1 is 0: srem gives that already).
  VReg isMin = newScratch(), isNeg1 = newScratch(), both = newScratch();
  emitSetImm(Cond::Eq, isMin, a, 0x80000000u);
  emitSetImm(Cond::Eq, isNeg1, b, 0xffffffffu);
  emitOp(Opcode::And, {both}, {isMin, isNeg1});
  emitTrapIf(both, mir::TrapReason::Overflow);
}

bool FuncSelector::lowerI32(const wabt::Expr &, wabt::Opcode op) {
  const Fault fault = ctx_.opt.fault;
  auto binary = [&](Opcode mop, bool swap = false) {
    Val b = pop(), a = pop();
    Val d = newTemp(false);
    if (swap) emitOp(mop, {d.lo}, {b.lo, a.lo});
    else emitOp(mop, {d.lo}, {a.lo, b.lo});
    push(d);
  };
  auto divide = [&](Opcode mop) {
    Val b = pop(), a = pop();
    divGuards32(op, a.lo, b.lo);
    Val d = newTemp(false);
    emitOp(mop, {d.lo}, {a.lo, b.lo});
    push(d);
  };
  auto unary = [&](Opcode mop) {
    Val a = pop();
    Val d = newTemp(false);
    emitOp(mop, {d.lo}, {a.lo});
    push(d);
  };
  auto compare = [&](Cond cc) {
    Val b = pop(), a = pop();
    Val d = newTemp(false);
    emitSet(cc, d.lo, a.lo, b.lo);
    push(d);
  };
  switch (op) {
  case O::I32Add: binary(Opcode::Add); return true;
  case O::I32Sub: binary(Opcode::Sub, fault == Fault::SubSwapped); return true;
  case O::I32Mul: binary(Opcode::Mul); return true;
  case O::I32And: binary(Opcode::And); return true;
  case O::I32Or: binary(Opcode::Orr); return true;
  case O::I32Xor: binary(Opcode::Eor); return true;
  case O::I32Shl: binary(Opcode::Shl); return true;
  case O::I32ShrS: binary(Opcode::ShrS); return true;
  case O::I32ShrU: binary(fault == Fault::ShrSigned ? Opcode::ShrS : Opcode::ShrU); return true;
  case O::I32Rotl: binary(Opcode::Rotl); return true;
  case O::I32Rotr: binary(Opcode::Rotr); return true;
  case O::I32DivS: divide(Opcode::SDiv); return true;
  case O::I32DivU: divide(Opcode::UDiv); return true;
  case O::I32RemS: divide(Opcode::SRem); return true;
  case O::I32RemU: divide(Opcode::URem); return true;
  case O::I32Clz: unary(Opcode::Clz); return true;
  case O::I32Ctz: unary(Opcode::Ctz); return true;
  case O::I32Popcnt: unary(Opcode::Popcnt); return true;
  case O::I32Extend8S: unary(Opcode::Sext8); return true;
  case O::I32Extend16S: unary(Opcode::Sext16); return true;
  case O::I32Eqz: {
    Val a = pop();
    Val d = newTemp(false);
    emitSetImm(Cond::Eq, d.lo, a.lo, 0);
    push(d);
    return true;
  }
  case O::I32Eq: compare(Cond::Eq); return true;
  case O::I32Ne: compare(Cond::Ne); return true;
  case O::I32LtS: compare(fault == Fault::LtUnsigned ? Cond::ULt : Cond::SLt); return true;
  case O::I32LtU: compare(Cond::ULt); return true;
  case O::I32GtS: compare(Cond::SGt); return true;
  case O::I32GtU: compare(Cond::UGt); return true;
  case O::I32LeS: compare(Cond::SLe); return true;
  case O::I32LeU: compare(Cond::ULe); return true;
  case O::I32GeS: compare(Cond::SGe); return true;
  case O::I32GeU: compare(Cond::UGe); return true;
  default: return false;
  }
}

void FuncSelector::lowerLoad(const wabt::LoadExpr &e) {
  if (e.offset > 0xffffffffu) decline(e, "load offset out of range");
  Val addr = pop();
  auto off = static_cast<uint32_t>(e.offset);
  auto load = [&](VReg d, mir::Width w) {
    Instr i;
    i.op = Opcode::Load;
    i.width = w;
    i.imm = off;
    i.defs = {Operand::vreg(d)};
    i.uses = {Operand::vreg(addr.lo)};
    emit(std::move(i));
  };
  // i64 loads narrower than 64 bits: load the low word, then extend.
  auto load64 = [&](mir::Width w, bool sign) {
    Val d = newTemp(true);
    load(d.lo, w);
    if (sign) emitOpImm(Opcode::ShrS, d.hi, d.lo, 31);
    else emitMovI(d.hi, 0);
    push(d);
  };
  auto load32 = [&](mir::Width w) {
    Val d = newTemp(false);
    load(d.lo, w);
    push(d);
  };
  // An FPU CPU loads f32 (and on cortex-m7 f64) straight into a VFP register (VLDR).
  const bool fpu = !arm::softFloat(ctx_.opt.cpu), dp = arm::hasF64(ctx_.opt.cpu);
  if ((e.opcode == O::F32Load && fpu) || (e.opcode == O::F64Load && dp)) {
    Val d = newTempOf(e.opcode == O::F32Load ? mir::ValType::F32 : mir::ValType::F64);
    Instr i;
    i.op = e.opcode == O::F32Load ? Opcode::FLoad32 : Opcode::FLoad64;
    i.imm = off;
    i.defs = {Operand::vreg(d.lo)};
    i.uses = {Operand::vreg(addr.lo)};
    emit(std::move(i));
    push(d);
    return;
  }
  switch (e.opcode) {
  case O::I32Load:
  case O::F32Load: load32(mir::Width::W32); return;
  case O::I32Load8S: load32(mir::Width::S8); return;
  case O::I32Load8U: load32(mir::Width::U8); return;
  case O::I32Load16S: load32(mir::Width::S16); return;
  case O::I32Load16U: load32(mir::Width::U16); return;
  case O::I64Load8S: load64(mir::Width::S8, true); return;
  case O::I64Load8U: load64(mir::Width::U8, false); return;
  case O::I64Load16S: load64(mir::Width::S16, true); return;
  case O::I64Load16U: load64(mir::Width::U16, false); return;
  case O::I64Load32S: load64(mir::Width::W32, true); return;
  case O::I64Load32U: load64(mir::Width::W32, false); return;
  case O::I64Load:
  case O::F64Load: {
    Val d = newTemp(true);
    Instr i;
    i.op = Opcode::Load64;
    i.imm = off;
    i.defs = {Operand::vreg(d.lo), Operand::vreg(d.hi)};
    i.uses = {Operand::vreg(addr.lo)};
    emit(std::move(i));
    push(d);
    return;
  }
  default: decline(e, "unsupported operator '" + std::string(e.opcode.GetName()) + "'");
  }
}

void FuncSelector::lowerStore(const wabt::StoreExpr &e) {
  if (e.offset > 0xffffffffu) decline(e, "store offset out of range");
  Val v = pop(), addr = pop();
  Instr i;
  i.op = Opcode::Store;
  i.imm = static_cast<uint32_t>(e.offset);
  i.uses = {Operand::vreg(v.lo), Operand::vreg(addr.lo)};
  if (v.vfp) {  // VSTR of an f32 (FPU) or an f64 (cortex-m7)
    i.op = v.vfp == 32 ? Opcode::FStore32 : Opcode::FStore64;
    emit(std::move(i));
    return;
  }
  switch (e.opcode) {
  case O::I32Store:
  case O::F32Store:
  case O::I64Store32: i.width = mir::Width::W32; break;
  case O::I32Store8:
  case O::I64Store8: i.width = mir::Width::U8; break;
  case O::I32Store16:
  case O::I64Store16: i.width = mir::Width::U16; break;
  case O::I64Store:
  case O::F64Store:
    i.op = Opcode::Store64;
    i.uses = {Operand::vreg(v.lo), Operand::vreg(v.hi), Operand::vreg(addr.lo)};
    break;
  default: decline(e, "unsupported operator '" + std::string(e.opcode.GetName()) + "'");
  }
  emit(std::move(i));
}

void FuncSelector::lowerSelect(const wabt::Expr &) {
  Val c = pop(), b = pop(), a = pop();
  Val d = newTempLike(a);
  if (a.vfp) {  // one VFP vreg each
    emitOp(a.vfp == 32 ? Opcode::FSel32 : Opcode::FSel64, {d.lo}, {c.lo, a.lo, b.lo});
    push(d);
    return;
  }
  emitOp(Opcode::Sel, {d.lo}, {c.lo, a.lo, b.lo});
  if (a.wide) emitOp(Opcode::Sel, {d.hi}, {c.lo, a.hi, b.hi});
  push(d);
}

void FuncSelector::lowerLocal(const wabt::Expr &e) {
  const wabt::Var *var = nullptr;
  switch (e.type()) {
  case wabt::ExprType::LocalGet: var = &wabt::cast<wabt::LocalGetExpr>(&e)->var; break;
  case wabt::ExprType::LocalSet: var = &wabt::cast<wabt::LocalSetExpr>(&e)->var; break;
  default: var = &wabt::cast<wabt::LocalTeeExpr>(&e)->var; break;
  }
  if (!var->is_index() || var->index() >= locals_.size()) decline(e, "bad local index");
  const auto index = static_cast<int>(var->index());
  if (e.type() == wabt::ExprType::LocalGet) {
    Val v = locals_[index];
    v.alias = index;  // an alias of the local's vregs, no copy
    push(v);
    return;
  }
  Val v = pop();
  copyAliases(index);
  const Val &l = locals_[index];
  if (v.lo != l.lo) emitMov(l.lo, v.lo);
  if (l.wide && v.hi != l.hi) emitMov(l.hi, v.hi);
  if (e.type() == wabt::ExprType::LocalTee) {
    Val a = l;
    a.alias = index;
    push(a);
  }
}

void FuncSelector::lowerGlobal(const wabt::Expr &e) {
  bool get = e.type() == wabt::ExprType::GlobalGet;
  const wabt::Var &var = get ? wabt::cast<wabt::GlobalGetExpr>(&e)->var
                             : wabt::cast<wabt::GlobalSetExpr>(&e)->var;
  wabt::Index gi = ctx_.wm->GetGlobalIndex(var);
  if (gi >= ctx_.globalWord.size() || ctx_.globalWord[gi] < 0)  // a reference (or v128) global: no words
    decline(e, std::string("unsupported operator '") + (get ? "global.get" : "global.set") + "' of a global of type '" +
                   (gi < ctx_.globalType.size() ? ctx_.globalType[gi].GetName() : std::string("?")) + "'");
  auto word = static_cast<uint32_t>(ctx_.globalWord[gi]);
  const wabt::Type gt = ctx_.globalType[gi];
  bool wide = toValType(gt) == mir::ValType::I64;  // the table holds words on every CPU
  // An f32 (FPU) or f64 (cortex-m7) value is moved between its words and a VFP register.
  const mir::ValType vt = valueTypeOf(gt);
  const bool vfp = vt == mir::ValType::F32 || vt == mir::ValType::F64;
  auto access = [&](Opcode op, VReg v, uint32_t w) {
    Instr i;
    i.op = op;
    i.imm = w;
    if (op == Opcode::GGet) i.defs = {Operand::vreg(v)};
    else i.uses = {Operand::vreg(v)};
    emit(std::move(i));
  };
  if (get) {
    Val w = vfp ? Val{newScratch(), wide ? newScratch() : 0, wide} : newTemp(wide);
    access(Opcode::GGet, w.lo, word);
    if (wide) access(Opcode::GGet, w.hi, word + 1);
    if (!vfp) {
      push(w);
      return;
    }
    Val d = newTempOf(vt);
    if (wide) emitOp(Opcode::FMovFromInt64, {d.lo}, {w.lo, w.hi});
    else emitOp(Opcode::FMovFromInt32, {d.lo}, {w.lo});
    push(d);
  } else {
    Val v = pop();
    if (vfp) {
      Val w{newScratch(), wide ? newScratch() : 0, wide};
      if (wide) emitOp(Opcode::FMovToInt64, {w.lo, w.hi}, {v.lo});
      else emitOp(Opcode::FMovToInt32, {w.lo}, {v.lo});
      v = w;
    }
    access(Opcode::GSet, v.lo, word);
    if (wide) access(Opcode::GSet, v.hi, word + 1);
  }
}

void FuncSelector::lowerCall(const wabt::CallExpr &e) {
  wabt::Index fi = ctx_.wm->GetFuncIndex(e.var);
  if (fi >= ctx_.funcs.size()) decline(e, "call to an unknown function");
  const CalleeInfo &callee = ctx_.funcs[fi];
  if (!callee.representable)
    decline(e, "call to '" + callee.name + "' whose signature is unsupported");
  callees_.insert(callee.name);
  size_t n = callee.sig.params.size();
  if (stack_.size() < n) throw DeclineError{"internal error: operand stack underflow"};
  Instr call;
  call.op = Opcode::Call;
  call.callee = callee.name;
  call.uses = sigOperands(callee.sig.params);
  for (size_t i = 0; i < n; ++i) (void)pop();
  auto results = resultDefs(callee.sig.results, call);
  emit(std::move(call));
  finishResults(results);
}

mir::OperandList FuncSelector::sigOperands(const std::vector<mir::ValType> &types) {
  const size_t n = types.size();
  if (stack_.size() < n) throw DeclineError{"internal error: operand stack underflow"};
  mir::OperandList ops;
  for (size_t i = 0; i < n; ++i) {
    const Val &v = stack_[stack_.size() - n + i];
    if (types[i] == mir::ValType::F64 && v.wide) {  // cortex-m4f: the pair goes to a D register
      VReg d = newScratch();
      emitOp(Opcode::FMovFromInt64, {d}, {v.lo, v.hi});
      ops.push_back(Operand::vreg(d));
      continue;
    }
    ops.push_back(Operand::vreg(v.lo));
    if (v.wide) ops.push_back(Operand::vreg(v.hi));
  }
  return ops;
}

FuncSelector::ResultDefs FuncSelector::resultDefs(const std::vector<mir::ValType> &types, Instr &call) {
  ResultDefs rs;
  for (mir::ValType t : types) {
    if (t == mir::ValType::F64 && !arm::hasF64(ctx_.opt.cpu)) {  // cortex-m4f: from D0 to a pair
      VReg d = newScratch();
      call.defs.push_back(Operand::vreg(d));
      rs.emplace_back(newTemp(true), d);
      continue;
    }
    Val r = newTempOf(t);
    call.defs.push_back(Operand::vreg(r.lo));
    if (r.wide) call.defs.push_back(Operand::vreg(r.hi));
    rs.emplace_back(r, std::nullopt);
  }
  return rs;
}

void FuncSelector::finishResults(const ResultDefs &rs) {
  for (const auto &[r, d] : rs) {
    if (d) emitOp(Opcode::FMovToInt64, {r.lo, r.hi}, {*d});
    push(r);
  }
}

}  // namespace vcr::select::detail
