// The legacy model's facts read from the wasm operators: local accesses and their nesting depth.
#include "ladder/wasm_facts.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/ir.h>

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
    out.functions[static_cast<int32_t>(i)] = std::move(f);
  }
  return out;
}

}  // namespace vcr::ladder
