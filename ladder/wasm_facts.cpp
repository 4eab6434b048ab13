// The legacy model's facts read from the wasm operators: local accesses and their nesting depth.
#include "ladder/wasm_facts.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/ir.h>

#include <algorithm>

namespace vcr::ladder {

namespace {

void walk(const wabt::ExprList &list, unsigned depth, WasmFunctionFacts &f) {
  for (const wabt::Expr &e : list) {
    const wabt::Var *var = nullptr;
    bool write = false, tee = false;
    switch (e.type()) {
    case wabt::ExprType::LocalGet: var = &wabt::cast<wabt::LocalGetExpr>(&e)->var; break;
    case wabt::ExprType::LocalSet: var = &wabt::cast<wabt::LocalSetExpr>(&e)->var; write = true; break;
    case wabt::ExprType::LocalTee: var = &wabt::cast<wabt::LocalTeeExpr>(&e)->var; write = tee = true; break;
    case wabt::ExprType::Block: walk(wabt::cast<wabt::BlockExpr>(&e)->block.exprs, depth + 1, f); break;
    case wabt::ExprType::Loop: walk(wabt::cast<wabt::LoopExpr>(&e)->block.exprs, depth + 1, f); break;
    case wabt::ExprType::If: {
      const auto *ie = wabt::cast<wabt::IfExpr>(&e);
      walk(ie->true_.exprs, depth + 1, f);
      walk(ie->false_, depth + 1, f);
      break;
    }
    default: break;
    }
    if (!var || !var->is_index() || var->index() >= f.locals.size()) continue;
    WasmLocalFacts &l = f.locals[var->index()];
    if (l.accesses == 0) l.firstWrite = write;
    l.accesses += 1;
    l.depth0 = l.depth0 && depth == 0;
    l.tee = l.tee || tee;
  }
}

/// Walk `list` from stack height `h`; returns the height at its end and
/// raises `maxH`. Code after an unconditional branch is not counted.
int stackWalk(const wabt::ExprList &list, int h, const wabt::Module &wm, int &maxH) {
  auto sigOf = [&](const wabt::Var &callee, int &params, int &results) {
    const wabt::Func *f = wm.GetFunc(callee);
    params = f ? static_cast<int>(f->GetNumParams()) : 0;
    results = f ? static_cast<int>(f->GetNumResults()) : 0;
  };
  for (const wabt::Expr &e : list) {
    int params = 0, results = 0;
    switch (e.type()) {
    case wabt::ExprType::Binary:
    case wabt::ExprType::Compare:
    case wabt::ExprType::LocalSet:
    case wabt::ExprType::GlobalSet:
    case wabt::ExprType::Drop:
    case wabt::ExprType::BrIf: h -= 1; break;
    case wabt::ExprType::Const:
    case wabt::ExprType::LocalGet:
    case wabt::ExprType::GlobalGet:
    case wabt::ExprType::MemorySize: h += 1; break;
    case wabt::ExprType::Store:
    case wabt::ExprType::Select: h -= 2; break;
    case wabt::ExprType::MemoryFill:
    case wabt::ExprType::MemoryCopy: h -= 3; break;
    case wabt::ExprType::Call:
      sigOf(wabt::cast<wabt::CallExpr>(&e)->var, params, results);
      h += results - params;
      break;
    case wabt::ExprType::CallIndirect: {
      const auto &d = wabt::cast<wabt::CallIndirectExpr>(&e)->decl;
      h += static_cast<int>(d.GetNumResults()) - static_cast<int>(d.GetNumParams()) - 1;
      break;
    }
    case wabt::ExprType::Block:
    case wabt::ExprType::Loop: {
      const wabt::Block &b = e.type() == wabt::ExprType::Block ? wabt::cast<wabt::BlockExpr>(&e)->block
                                                                : wabt::cast<wabt::LoopExpr>(&e)->block;
      stackWalk(b.exprs, h, wm, maxH);
      h += static_cast<int>(b.decl.GetNumResults()) - static_cast<int>(b.decl.GetNumParams());
      break;
    }
    case wabt::ExprType::If: {
      const auto *ie = wabt::cast<wabt::IfExpr>(&e);
      h -= 1;
      stackWalk(ie->true_.exprs, h, wm, maxH);
      stackWalk(ie->false_, h, wm, maxH);
      h += static_cast<int>(ie->true_.decl.GetNumResults()) - static_cast<int>(ie->true_.decl.GetNumParams());
      break;
    }
    case wabt::ExprType::Br:
    case wabt::ExprType::BrTable:
    case wabt::ExprType::Return:
    case wabt::ExprType::Unreachable: return h;
    default: break;  // unary, convert, load, tee, memory.grow: one in, one out
    }
    maxH = std::max(maxH, h);
  }
  return h;
}

using TypeTest = bool (*)(wabt::Type);
bool isFloat(wabt::Type t) { return t == wabt::Type::F32 || t == wabt::Type::F64; }
bool isF64(wabt::Type t) { return t == wabt::Type::F64; }

bool floatSignature(const wabt::FuncSignature &sig, TypeTest typed) {
  for (wabt::Type t : sig.param_types)
    if (typed(t)) return true;
  for (wabt::Type t : sig.result_types)
    if (typed(t)) return true;
  return false;
}

/// Whether any operator of `list` (nested blocks included) takes or makes a
/// value of a type `typed` accepts (f32/f64, or f64 only): a typed opcode
/// or constant, a block result, a call of a function with such a signature,
/// a global of that type.
bool usesFloat(const wabt::ExprList &list, const wabt::Module &wm, TypeTest typed) {
  auto op = [typed](wabt::Opcode o) {
    return typed(o.GetResultType()) || typed(o.GetParamType1()) || typed(o.GetParamType2());
  };
  for (const wabt::Expr &e : list) {
    switch (e.type()) {
    case wabt::ExprType::Binary: if (op(wabt::cast<wabt::BinaryExpr>(&e)->opcode)) return true; break;
    case wabt::ExprType::Compare: if (op(wabt::cast<wabt::CompareExpr>(&e)->opcode)) return true; break;
    case wabt::ExprType::Convert: if (op(wabt::cast<wabt::ConvertExpr>(&e)->opcode)) return true; break;
    case wabt::ExprType::Unary: if (op(wabt::cast<wabt::UnaryExpr>(&e)->opcode)) return true; break;
    case wabt::ExprType::Load: if (op(wabt::cast<wabt::LoadExpr>(&e)->opcode)) return true; break;
    case wabt::ExprType::Store: if (op(wabt::cast<wabt::StoreExpr>(&e)->opcode)) return true; break;
    case wabt::ExprType::Const:
      if (typed(wabt::cast<wabt::ConstExpr>(&e)->const_.type())) return true;
      break;
    case wabt::ExprType::Select:
      for (wabt::Type t : wabt::cast<wabt::SelectExpr>(&e)->result_type)
        if (typed(t)) return true;
      break;
    case wabt::ExprType::Call: {
      const wabt::Func *f = wm.GetFunc(wabt::cast<wabt::CallExpr>(&e)->var);
      if (f && floatSignature(f->decl.sig, typed)) return true;
      break;
    }
    case wabt::ExprType::CallIndirect:
      if (floatSignature(wabt::cast<wabt::CallIndirectExpr>(&e)->decl.sig, typed)) return true;
      break;
    case wabt::ExprType::GlobalGet: case wabt::ExprType::GlobalSet: {
      const wabt::Var &v = e.type() == wabt::ExprType::GlobalGet ? wabt::cast<wabt::GlobalGetExpr>(&e)->var
                                                                  : wabt::cast<wabt::GlobalSetExpr>(&e)->var;
      const wabt::Global *g = wm.GetGlobal(v);
      if (g && typed(g->type)) return true;
      break;
    }
    case wabt::ExprType::Block: case wabt::ExprType::Loop: {
      const wabt::Block &b = e.type() == wabt::ExprType::Block ? wabt::cast<wabt::BlockExpr>(&e)->block
                                                                : wabt::cast<wabt::LoopExpr>(&e)->block;
      if (floatSignature(b.decl.sig, typed) || usesFloat(b.exprs, wm, typed)) return true;
      break;
    }
    case wabt::ExprType::If: {
      const auto *ie = wabt::cast<wabt::IfExpr>(&e);
      if (floatSignature(ie->true_.decl.sig, typed) || usesFloat(ie->true_.exprs, wm, typed) ||
          usesFloat(ie->false_, wm, typed))
        return true;
      break;
    }
    default: break;
    }
  }
  return false;
}

/// Whether some call_indirect of `list` (nested blocks included) has a
/// type with an f32/f64 result.
bool calliFloatResult(const wabt::ExprList &list) {
  for (const wabt::Expr &e : list) {
    switch (e.type()) {
    case wabt::ExprType::CallIndirect:
      for (wabt::Type t : wabt::cast<wabt::CallIndirectExpr>(&e)->decl.sig.result_types)
        if (isFloat(t)) return true;
      break;
    case wabt::ExprType::Block:
      if (calliFloatResult(wabt::cast<wabt::BlockExpr>(&e)->block.exprs)) return true;
      break;
    case wabt::ExprType::Loop:
      if (calliFloatResult(wabt::cast<wabt::LoopExpr>(&e)->block.exprs)) return true;
      break;
    case wabt::ExprType::If: {
      const auto *ie = wabt::cast<wabt::IfExpr>(&e);
      if (calliFloatResult(ie->true_.exprs) || calliFloatResult(ie->false_)) return true;
      break;
    }
    default: break;
    }
  }
  return false;
}

}  // namespace

std::optional<WasmFacts> wasmFacts(const select::WasmBinary &bin) {
  wabt::Features features;
  wabt::Errors errs;
  wabt::Module wm;
  wabt::ReadBinaryOptions ropts(features, nullptr, /*read_debug_names=*/false, /*stop_on_first_error=*/true,
                                /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr(bin.file.c_str(), bin.bytes.data(), bin.bytes.size(), ropts, &errs, &wm)))
    return std::nullopt;
  WasmFacts out;
  for (size_t i = wm.num_func_imports; i < wm.funcs.size(); ++i) {
    const wabt::Func &fn = *wm.funcs[i];
    WasmFunctionFacts f;
    f.locals.resize(fn.GetNumParamsAndLocals());
    walk(fn.exprs, 0, f);
    int maxH = 0;
    stackWalk(fn.exprs, 0, wm, maxH);
    f.depthBound = static_cast<unsigned>(std::max(maxH, 0));
    f.floats = floatSignature(fn.decl.sig, isFloat) || usesFloat(fn.exprs, wm, isFloat);
    f.f64 = floatSignature(fn.decl.sig, isF64) || usesFloat(fn.exprs, wm, isF64);
    f.calliFloatResult = calliFloatResult(fn.exprs);
    for (wabt::Type t : fn.local_types) {
      f.floats = f.floats || isFloat(t);
      f.f64 = f.f64 || isF64(t);
    }
    out.functions[static_cast<int32_t>(i)] = std::move(f);
  }
  return out;
}

}  // namespace vcr::ladder
