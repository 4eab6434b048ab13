// Function-level selection: vregs, blocks, the operator walk and control flow.
#include "arm/select/select_internal.h"
#include "arm/target/cpu.h"

#include <wabt/cast.h>

#include <algorithm>

namespace vcr::select::detail {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::VReg;
using Kind = mir::VRegInfo::Kind;

FuncSelector::FuncSelector(const ModuleCtx &ctx, const wabt::Func &fn, mir::Function &out)
    : ctx_(ctx), fn_(fn), out_(out) {}

// ---------------------------------------------------------------- emission

VReg FuncSelector::newVReg(Kind k, int32_t index, int32_t hiOf) {
  auto v = static_cast<VReg>(out_.vregInfo.size());
  out_.vregInfo.push_back(mir::VRegInfo{k, index, hiOf});
  return v;
}

FuncSelector::Val FuncSelector::newTemp(bool wide) {
  Val v;
  v.lo = newVReg(Kind::Stack);
  if (wide) {
    v.hi = newVReg(Kind::Stack, -1, static_cast<int32_t>(v.lo));
    v.wide = true;
  }
  return v;
}

FuncSelector::Val FuncSelector::newTempOf(mir::ValType t) {
  Val v = newTemp(t == mir::ValType::I64);
  if (t == mir::ValType::F32) v.vfp = 32;
  if (t == mir::ValType::F64) v.vfp = 64;
  return v;
}

FuncSelector::Val FuncSelector::newTempLike(const Val &v) {
  if (v.vfp) return newTempOf(v.vfp == 32 ? mir::ValType::F32 : mir::ValType::F64);
  return newTemp(v.wide);
}

mir::ValType FuncSelector::valueTypeOf(wabt::Type t) const {
  auto vt = valueType(t, ctx_.opt.cpu);
  if (!vt) throw DeclineError{"unsupported value type '" + t.GetName() + "'"};
  return *vt;
}

VReg FuncSelector::newScratch() { return newVReg(Kind::Temp); }

void FuncSelector::emit(Instr i) {
  if (!reachable_) throw DeclineError{"internal error: code emitted in unreachable position"};
  out_.blocks[cur_].instrs.push_back(std::move(i));
}

void FuncSelector::emitMov(VReg d, VReg s) {
  Instr i;
  i.op = Opcode::Mov;
  i.defs = {Operand::vreg(d)};
  i.uses = {Operand::vreg(s)};
  emit(std::move(i));
}

void FuncSelector::emitFConst(const Val &d, uint64_t bits) {
  Instr i;
  i.op = d.vfp == 32 ? Opcode::FConst32 : Opcode::FConst64;
  i.defs = {Operand::vreg(d.lo)};
  i.uses = {Operand::imm(static_cast<uint32_t>(bits))};
  if (d.vfp == 64) i.uses.push_back(Operand::imm(static_cast<uint32_t>(bits >> 32)));
  emit(std::move(i));
}

void FuncSelector::emitMovI(VReg d, uint32_t imm) {
  Instr i;
  i.op = Opcode::MovI;
  i.imm = imm;
  i.defs = {Operand::vreg(d)};
  emit(std::move(i));
}

void FuncSelector::emitOp(Opcode op, std::vector<VReg> defs, std::vector<VReg> uses) {
  Instr i;
  i.op = op;
  for (VReg d : defs) i.defs.push_back(Operand::vreg(d));
  for (VReg u : uses) i.uses.push_back(Operand::vreg(u));
  emit(std::move(i));
}

void FuncSelector::emitOpImm(Opcode op, VReg d, VReg a, uint32_t imm) {
  Instr i;
  i.op = op;
  i.defs = {Operand::vreg(d)};
  i.uses = {Operand::vreg(a), Operand::imm(imm)};
  emit(std::move(i));
}

void FuncSelector::emitSet(mir::Cond cc, VReg d, VReg a, VReg b) {
  Instr i;
  i.op = Opcode::Set;
  i.cc = cc;
  i.defs = {Operand::vreg(d)};
  i.uses = {Operand::vreg(a), Operand::vreg(b)};
  emit(std::move(i));
}

void FuncSelector::emitSetImm(mir::Cond cc, VReg d, VReg a, uint32_t imm) {
  Instr i;
  i.op = Opcode::Set;
  i.cc = cc;
  i.defs = {Operand::vreg(d)};
  i.uses = {Operand::vreg(a), Operand::imm(imm)};
  emit(std::move(i));
}

void FuncSelector::emitTrapIf(VReg c, mir::TrapReason r) {
  Instr i;
  i.op = Opcode::TrapIf;
  i.reason = r;
  i.uses = {Operand::vreg(c)};
  emit(std::move(i));
}

void FuncSelector::terminate(Instr i) {
  emit(std::move(i));
  reachable_ = false;
}

mir::BlockId FuncSelector::newBlock() {
  out_.blocks.emplace_back();
  return static_cast<mir::BlockId>(out_.blocks.size() - 1);
}

void FuncSelector::startBlock(mir::BlockId b) {
  cur_ = b;
  reachable_ = true;
  order_.push_back(b);
}

// Lay the blocks out in the order they were started (the wasm operator
// order) and name them bb0, bb1, ...
void FuncSelector::finishLayout() {
  std::vector<int64_t> newId(out_.blocks.size(), -1);
  for (size_t i = 0; i < order_.size(); ++i) newId[order_[i]] = static_cast<int64_t>(i);
  std::vector<mir::Block> blocks;
  blocks.reserve(order_.size());
  for (size_t i = 0; i < order_.size(); ++i) {
    mir::Block b = std::move(out_.blocks[order_[i]]);
    b.label = "bb" + std::to_string(i);
    if (b.instrs.empty() || !b.instrs.back().isTerminator())
      throw DeclineError{"internal error: block without terminator"};
    for (auto &t : b.instrs.back().targets) {
      if (newId[t] < 0) throw DeclineError{"internal error: branch to an unplaced block"};
      t = static_cast<mir::BlockId>(newId[t]);
    }
    blocks.push_back(std::move(b));
  }
  out_.blocks = std::move(blocks);
}

namespace {

/// The wasm mnemonic of an operator (as in the text format), for decline
/// reasons: the operators with an opcode of their own give its name, the
/// rest a fixed one; wabt's expression kind ('RefFunc') only for a kind
/// this table does not know (a newer wabt's).
std::string exprName(const wabt::Expr &e) {
  using T = wabt::ExprType;
  switch (e.type()) {
  case T::Binary: return wabt::cast<wabt::BinaryExpr>(&e)->opcode.GetName();
  case T::Compare: return wabt::cast<wabt::CompareExpr>(&e)->opcode.GetName();
  case T::Unary: return wabt::cast<wabt::UnaryExpr>(&e)->opcode.GetName();
  case T::Convert: return wabt::cast<wabt::ConvertExpr>(&e)->opcode.GetName();
  case T::Ternary: return wabt::cast<wabt::TernaryExpr>(&e)->opcode.GetName();
  case T::Load: return wabt::cast<wabt::LoadExpr>(&e)->opcode.GetName();
  case T::Store: return wabt::cast<wabt::StoreExpr>(&e)->opcode.GetName();
  case T::AtomicLoad: return wabt::cast<wabt::AtomicLoadExpr>(&e)->opcode.GetName();
  case T::AtomicStore: return wabt::cast<wabt::AtomicStoreExpr>(&e)->opcode.GetName();
  case T::AtomicRmw: return wabt::cast<wabt::AtomicRmwExpr>(&e)->opcode.GetName();
  case T::AtomicRmwCmpxchg: return wabt::cast<wabt::AtomicRmwCmpxchgExpr>(&e)->opcode.GetName();
  case T::AtomicWait: return wabt::cast<wabt::AtomicWaitExpr>(&e)->opcode.GetName();
  case T::AtomicNotify: return wabt::cast<wabt::AtomicNotifyExpr>(&e)->opcode.GetName();
  case T::LoadSplat: return wabt::cast<wabt::LoadSplatExpr>(&e)->opcode.GetName();
  case T::LoadZero: return wabt::cast<wabt::LoadZeroExpr>(&e)->opcode.GetName();
  case T::SimdLaneOp: return wabt::cast<wabt::SimdLaneOpExpr>(&e)->opcode.GetName();
  case T::SimdLoadLane: return wabt::cast<wabt::SimdLoadLaneExpr>(&e)->opcode.GetName();
  case T::SimdStoreLane: return wabt::cast<wabt::SimdStoreLaneExpr>(&e)->opcode.GetName();
  case T::SimdShuffleOp: return wabt::cast<wabt::SimdShuffleOpExpr>(&e)->opcode.GetName();
  case T::Const: return wabt::cast<wabt::ConstExpr>(&e)->const_.type().GetName() + std::string(".const");
  case T::AtomicFence: return "atomic.fence";
  case T::Block: return "block";
  case T::Br: return "br";
  case T::BrIf: return "br_if";
  case T::BrTable: return "br_table";
  case T::Call: return "call";
  case T::CallIndirect: return "call_indirect";
  case T::CallRef: return "call_ref";
  case T::CodeMetadata: return "@metadata.code";
  case T::Drop: return "drop";
  case T::GlobalGet: return "global.get";
  case T::GlobalSet: return "global.set";
  case T::If: return "if";
  case T::LocalGet: return "local.get";
  case T::LocalSet: return "local.set";
  case T::LocalTee: return "local.tee";
  case T::Loop: return "loop";
  case T::MemoryCopy: return "memory.copy";
  case T::DataDrop: return "data.drop";
  case T::MemoryFill: return "memory.fill";
  case T::MemoryGrow: return "memory.grow";
  case T::MemoryInit: return "memory.init";
  case T::MemorySize: return "memory.size";
  case T::Nop: return "nop";
  case T::RefIsNull: return "ref.is_null";
  case T::RefFunc: return "ref.func";
  case T::RefNull: return "ref.null";
  case T::Rethrow: return "rethrow";
  case T::Return: return "return";
  case T::ReturnCall: return "return_call";
  case T::ReturnCallIndirect: return "return_call_indirect";
  case T::Select: return "select";
  case T::TableCopy: return "table.copy";
  case T::ElemDrop: return "elem.drop";
  case T::TableInit: return "table.init";
  case T::TableGet: return "table.get";
  case T::TableGrow: return "table.grow";
  case T::TableSize: return "table.size";
  case T::TableSet: return "table.set";
  case T::TableFill: return "table.fill";
  case T::Throw: return "throw";
  case T::Try: return "try";
  case T::Unreachable: return "unreachable";
  }
  return wabt::GetExprTypeName(e);
}

/// Mark the locals written (local.set/tee) anywhere in `list`.
void collectWrites(const wabt::ExprList &list, std::vector<bool> &written) {
  for (const wabt::Expr &e : list) {
    switch (e.type()) {
    case wabt::ExprType::LocalSet:
    case wabt::ExprType::LocalTee: {
      const auto &var = e.type() == wabt::ExprType::LocalSet
                            ? wabt::cast<wabt::LocalSetExpr>(&e)->var
                            : wabt::cast<wabt::LocalTeeExpr>(&e)->var;
      if (var.is_index() && var.index() < written.size()) written[var.index()] = true;
      break;
    }
    case wabt::ExprType::Block:
      collectWrites(wabt::cast<wabt::BlockExpr>(&e)->block.exprs, written);
      break;
    case wabt::ExprType::Loop:
      collectWrites(wabt::cast<wabt::LoopExpr>(&e)->block.exprs, written);
      break;
    case wabt::ExprType::If: {
      const auto *ie = wabt::cast<wabt::IfExpr>(&e);
      collectWrites(ie->true_.exprs, written);
      collectWrites(ie->false_, written);
      break;
    }
    default: break;
    }
  }
}

/// Scalar types selection takes; f32/f64 only when `floats`.
bool scalarType(wabt::Type t, bool floats) {
  return t == wabt::Type::I32 || t == wabt::Type::I64 || t == wabt::Type::Void ||
         t == wabt::Type::Any || (floats && (t == wabt::Type::F32 || t == wabt::Type::F64));
}

bool scalarOpcode(wabt::Opcode op, bool floats) {
  return scalarType(op.GetResultType(), floats) && scalarType(op.GetParamType1(), floats) &&
         scalarType(op.GetParamType2(), floats) && scalarType(op.GetParamType3(), floats);
}

/// The first operator in `list` (depth first) outside the scalar subset
/// (the integer subset unless `floats`).
const wabt::Expr *firstUnsupported(const wabt::ExprList &list, bool floats = true) {
  using T = wabt::ExprType;
  for (const wabt::Expr &e : list) {
    const wabt::Expr *inner = nullptr;
    switch (e.type()) {
    case T::Nop: case T::Unreachable: case T::Drop: case T::Select: case T::LocalGet:
    case T::LocalSet: case T::LocalTee: case T::GlobalGet: case T::GlobalSet: case T::MemorySize:
    case T::Br: case T::BrIf: case T::BrTable: case T::Return: case T::Call: break;
    case T::MemoryGrow: break;
    case T::MemoryCopy: case T::MemoryFill: case T::MemoryInit: case T::DataDrop: break;
    case T::CallIndirect: break;
    case T::Const: {
      auto t = wabt::cast<wabt::ConstExpr>(&e)->const_.type();
      if (!scalarType(t, floats) || t == wabt::Type::Void) return &e;
      break;
    }
    case T::Binary: if (!scalarOpcode(wabt::cast<wabt::BinaryExpr>(&e)->opcode, floats)) return &e; break;
    case T::Compare: if (!scalarOpcode(wabt::cast<wabt::CompareExpr>(&e)->opcode, floats)) return &e; break;
    case T::Unary: if (!scalarOpcode(wabt::cast<wabt::UnaryExpr>(&e)->opcode, floats)) return &e; break;
    case T::Convert: if (!scalarOpcode(wabt::cast<wabt::ConvertExpr>(&e)->opcode, floats)) return &e; break;
    case T::Load: if (!scalarOpcode(wabt::cast<wabt::LoadExpr>(&e)->opcode, floats)) return &e; break;
    case T::Store: if (!scalarOpcode(wabt::cast<wabt::StoreExpr>(&e)->opcode, floats)) return &e; break;
    case T::Block: inner = firstUnsupported(wabt::cast<wabt::BlockExpr>(&e)->block.exprs, floats); break;
    case T::Loop: inner = firstUnsupported(wabt::cast<wabt::LoopExpr>(&e)->block.exprs, floats); break;
    case T::If: {
      const auto *ie = wabt::cast<wabt::IfExpr>(&e);
      inner = firstUnsupported(ie->true_.exprs, floats);
      if (!inner) inner = firstUnsupported(ie->false_, floats);
      break;
    }
    default: return &e;
    }
    if (inner) return inner;
  }
  return nullptr;
}

}  // namespace

// A function whose signature or locals use a type outside the subset is
// declined naming its first unsupported operator, if it has one.
void FuncSelector::declineType(const std::string &what) const {
  if (const wabt::Expr *e = firstUnsupported(fn_.exprs))
    decline(*e, "unsupported operator '" + exprName(*e) + "'");
  throw DeclineError{what, fn_.loc.offset};  // the function's own place (WasmBinary::watPlaces)
}

void FuncSelector::decline(const wabt::Expr &e, const std::string &what) const {
  throw DeclineError{what, e.loc.offset};
}

// ---------------------------------------------------------------- stack

FuncSelector::Val FuncSelector::pop() {
  if (stack_.size() <= (ctrls_.empty() ? 0 : ctrls_.back().height))
    throw DeclineError{"internal error: operand stack underflow"};
  Val v = stack_.back();
  stack_.pop_back();
  return v;
}

// Before local `local` is written, the stack entries that alias it get
// their own copies, so they keep the value they had when pushed.
void FuncSelector::copyAliases(int local) {
  for (auto &v : stack_) {
    if (v.alias != local) continue;
    Val n = newTempLike(v);
    emitMov(n.lo, v.lo);
    if (v.wide) emitMov(n.hi, v.hi);
    v = n;
  }
}

// Entries that alias a local written inside a construct are copied before
// it: inside, the copy on one path would not be seen on another.
void FuncSelector::copyAliasesWrittenIn(const wabt::ExprList &body) {
  if (std::none_of(stack_.begin(), stack_.end(), [](const Val &v) { return v.alias >= 0; })) return;
  std::vector<bool> written(locals_.size(), false);
  collectWrites(body, written);
  for (size_t l = 0; l < written.size(); ++l)
    if (written[l]) copyAliases(static_cast<int>(l));
}

void FuncSelector::copyAliasesWrittenIn(const wabt::IfExpr &ie) {
  if (std::none_of(stack_.begin(), stack_.end(), [](const Val &v) { return v.alias >= 0; })) return;
  std::vector<bool> written(locals_.size(), false);
  collectWrites(ie.true_.exprs, written);
  collectWrites(ie.false_, written);
  for (size_t l = 0; l < written.size(); ++l)
    if (written[l]) copyAliases(static_cast<int>(l));
}

// ---------------------------------------------------------------- driver

void FuncSelector::run() {
  const auto &sig = fn_.decl.sig;
  const arm::Cpu cpu = ctx_.opt.cpu;
  auto floatBits = [](wabt::Type t) -> uint8_t {
    return t == wabt::Type::F32 ? 32 : t == wabt::Type::F64 ? 64 : 0;
  };
  bool floats = false;
  for (wabt::Type t : sig.param_types) {
    auto vt = toValType(t, cpu);
    if (!vt) declineType("unsupported parameter type '" + t.GetName() + "'");
    out_.sig.params.push_back(*vt);
    out_.floatParams.push_back(floatBits(t));
    floats |= floatBits(t) != 0;
  }
  for (wabt::Type t : sig.result_types) {
    auto vt = toValType(t, cpu);
    if (!vt) declineType("unsupported result type '" + t.GetName() + "'");
    out_.sig.results.push_back(*vt);
    out_.floatResults.push_back(floatBits(t));
    floats |= floatBits(t) != 0;
  }
  if (!floats) out_.floatParams.clear(), out_.floatResults.clear();
  startBlock(newBlock());
  Instr param;
  param.op = Opcode::Param;
  std::vector<std::pair<VReg, size_t>> splitF64;  // cortex-m4f: f64 params arrive in D registers
  for (size_t i = 0; i < out_.sig.params.size(); ++i) {
    const mir::ValType t = out_.sig.params[i];
    Val v;
    v.lo = newVReg(Kind::Param, static_cast<int32_t>(i));
    param.defs.push_back(Operand::vreg(v.lo));
    if (t == mir::ValType::I64) {
      v.wide = true;
      v.hi = newVReg(Kind::Param, static_cast<int32_t>(i), static_cast<int32_t>(v.lo));
      param.defs.push_back(Operand::vreg(v.hi));
    } else if (t == mir::ValType::F64 && !arm::hasF64(cpu)) {
      splitF64.emplace_back(v.lo, i);
    } else if (mir::isVfpType(t)) {
      v.vfp = t == mir::ValType::F32 ? 32 : 64;
    }
    locals_.push_back(v);
  }
  emit(std::move(param));
  for (const auto &[d, i] : splitF64) {  // the local is a lo/hi pair of core words
    Val v;
    v.wide = true;
    v.lo = newVReg(Kind::Local, static_cast<int32_t>(i));
    v.hi = newVReg(Kind::Local, static_cast<int32_t>(i), static_cast<int32_t>(v.lo));
    emitOp(Opcode::FMovToInt64, {v.lo, v.hi}, {d});
    locals_[i] = v;
  }
  // wasm_load rejects more; a vreg per local must not run away whatever the caller passes.
  if (fn_.local_types.size() > kMaxLocals)
    throw DeclineError{"declares " + std::to_string(fn_.local_types.size()) +
                       " locals, more than the limit of " + std::to_string(kMaxLocals)};
  for (wabt::Type t : fn_.local_types) {
    auto vt = valueType(t, cpu);
    auto index = static_cast<int32_t>(locals_.size());
    if (!vt) declineType("unsupported type '" + t.GetName() + "' of local " + std::to_string(index));
    Val v;
    v.lo = newVReg(Kind::Local, index);
    if (mir::isVfpType(*vt)) {  // +0.0 in a VFP register
      v.vfp = *vt == mir::ValType::F32 ? 32 : 64;
      emitFConst(v, 0);
      locals_.push_back(v);
      continue;
    }
    emitMovI(v.lo, 0);
    if (*vt == mir::ValType::I64) {
      v.wide = true;
      v.hi = newVReg(Kind::Local, index, static_cast<int32_t>(v.lo));
      emitMovI(v.hi, 0);
    }
    locals_.push_back(v);
  }
  Ctrl top;
  top.kind = Ctrl::Kind::Func;
  top.results = out_.sig.results;
  ctrls_.push_back(top);
  walk(fn_.exprs);
  if (reachable_) lowerReturn();
  finishLayout();
}

void FuncSelector::walk(const wabt::ExprList &list) {
  for (const wabt::Expr &e : list) {
    if (!reachable_) break;  // the rest of this list is dead code
    lowerExpr(e);
  }
}

void FuncSelector::lowerExpr(const wabt::Expr &e) {
  using T = wabt::ExprType;
  switch (e.type()) {
  case T::Nop: return;
  case T::Unreachable: {
    Instr i;
    i.op = Opcode::Trap;
    i.reason = mir::TrapReason::Unreachable;
    terminate(std::move(i));
    return;
  }
  case T::Drop: (void)pop(); return;
  case T::Select: lowerSelect(e); return;
  case T::Const: {
    const auto &c = wabt::cast<wabt::ConstExpr>(&e)->const_;
    if (c.type() == wabt::Type::F32 || c.type() == wabt::Type::F64) {
      const mir::ValType vt = valueTypeOf(c.type());
      if (mir::isVfpType(vt)) {  // fconst into an S / D register
        Val d = newTempOf(vt);
        emitFConst(d, vt == mir::ValType::F32 ? c.f32_bits() : c.f64_bits());
        push(d);
        return;
      }
    }
    if (c.type() == wabt::Type::I32 || c.type() == wabt::Type::F32) {
      Val d = newTemp(false);
      emitMovI(d.lo, c.type() == wabt::Type::F32 ? c.f32_bits() : c.u32());
      push(d);
    } else if (c.type() == wabt::Type::I64 || c.type() == wabt::Type::F64) {
      Val d = newTemp(true);
      const uint64_t v = c.type() == wabt::Type::F64 ? c.f64_bits() : c.u64();
      emitMovI(d.lo, static_cast<uint32_t>(v));
      emitMovI(d.hi, static_cast<uint32_t>(v >> 32));
      push(d);
    } else {
      decline(e, "unsupported operator '" + exprName(e) + "'");
    }
    return;
  }
  case T::Binary: lowerOpcode(e, wabt::cast<wabt::BinaryExpr>(&e)->opcode); return;
  case T::Compare: lowerOpcode(e, wabt::cast<wabt::CompareExpr>(&e)->opcode); return;
  case T::Unary: lowerOpcode(e, wabt::cast<wabt::UnaryExpr>(&e)->opcode); return;
  case T::Convert: lowerOpcode(e, wabt::cast<wabt::ConvertExpr>(&e)->opcode); return;
  case T::Load: lowerLoad(*wabt::cast<wabt::LoadExpr>(&e)); return;
  case T::Store: lowerStore(*wabt::cast<wabt::StoreExpr>(&e)); return;
  case T::LocalGet:
  case T::LocalSet:
  case T::LocalTee: lowerLocal(e); return;
  case T::GlobalGet:
  case T::GlobalSet: lowerGlobal(e); return;
  case T::MemorySize: {
    Val d = newTemp(false);
    emitOp(Opcode::MemSize, {d.lo}, {});
    push(d);
    return;
  }
  case T::MemoryCopy:
  case T::MemoryFill:
  case T::MemoryInit:
  case T::DataDrop: lowerBulk(e); return;
  case T::MemoryGrow: {
    if (ctx_.memoryMax) {  // --memory-max: memory really grows
      Val delta = pop(), d = newTemp(false);
      emitOp(Opcode::MemGrow, {d.lo}, {delta.lo});
      push(d);
      return;
    }
    // Memory has a fixed size: growing by 0 gives the size in pages, any
    // other delta fails with -1 (wasm allows a grow to fail). d = delta ? -1 : size.
    Val delta = pop();
    Val size = newTemp(false), fail = newTemp(false), d = newTemp(false);
    emitOp(Opcode::MemSize, {size.lo}, {});
    emitMovI(fail.lo, 0xffffffffu);
    emitOp(Opcode::Sel, {d.lo}, {delta.lo, fail.lo, size.lo});
    push(d);
    return;
  }
  case T::Block: lowerBlock(wabt::cast<wabt::BlockExpr>(&e)->block, Ctrl::Kind::Block, e); return;
  case T::Loop: lowerBlock(wabt::cast<wabt::LoopExpr>(&e)->block, Ctrl::Kind::Loop, e); return;
  case T::If: lowerIf(*wabt::cast<wabt::IfExpr>(&e)); return;
  case T::Br: lowerBr(e, wabt::cast<wabt::BrExpr>(&e)->var.index()); return;
  case T::BrIf: lowerBrIf(e, wabt::cast<wabt::BrIfExpr>(&e)->var.index()); return;
  case T::BrTable: lowerBrTable(*wabt::cast<wabt::BrTableExpr>(&e)); return;
  case T::Return: lowerReturn(); return;
  case T::Call: lowerCall(*wabt::cast<wabt::CallExpr>(&e)); return;
  case T::CallIndirect: lowerCallIndirect(*wabt::cast<wabt::CallIndirectExpr>(&e)); return;
  default: decline(e, "unsupported operator '" + exprName(e) + "'");
  }
}

void FuncSelector::lowerOpcode(const wabt::Expr &e, wabt::Opcode op) {
  if (lowerI32(e, op) || lowerI64(e, op) || lowerFloat(e, op)) return;
  decline(e, "unsupported operator '" + std::string(op.GetName()) + "'");
}

}  // namespace vcr::select::detail
