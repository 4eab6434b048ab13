// The function table (wasm table 0 with its active elem segments) and the
// lowering of call_indirect to `calli`.
#include "arm/select/select_internal.h"

#include <wabt/cast.h>

#include <algorithm>
#include <climits>

namespace vcr::select::detail {

std::string typeKey(const wabt::FuncSignature &s) {
  std::string k;
  for (wabt::Type t : s.param_types) k += std::to_string(int(t)) + ",";
  k += "->";
  for (wabt::Type t : s.result_types) k += std::to_string(int(t)) + ",";
  return k;
}

std::optional<uint32_t> ModuleCtx::typeIdOf(const wabt::FuncSignature &s) const {
  auto it = typeIds.find(typeKey(s));
  if (it == typeIds.end()) return std::nullopt;
  return it->second;
}

namespace {

/// The slots of table 0 after the active elem segments, as wasm function
/// indices (-1: null); an empty string on success, else why not supported.
std::string fillSlots(const wabt::Module &wm, std::vector<int64_t> &slots) {
  if (wm.tables.empty()) return "";
  if (wm.num_table_imports > 0) return "call_indirect through an imported table";
  const wabt::Table &t = *wm.tables[0];
  if (t.elem_type != wabt::Type::FuncRef) return "call_indirect through a table that is not funcref";
  if (t.elem_limits.initial > (1u << 16)) return "call_indirect through a table of more than 65536 slots";
  slots.assign(size_t(t.elem_limits.initial), -1);
  for (const wabt::ElemSegment *seg : wm.elem_segments) {
    if (seg->kind != wabt::SegmentKind::Active) continue;
    if (wm.GetTableIndex(seg->table_var) != 0) continue;
    const wabt::ConstExpr *off = seg->offset.size() == 1 ? wabt::dyn_cast<wabt::ConstExpr>(&seg->offset.front()) : nullptr;
    if (!off || off->const_.type() != wabt::Type::I32) return "an elem segment whose offset is not a constant";
    const uint64_t base = off->const_.u32();
    if (base + seg->elem_exprs.size() > slots.size()) return "an elem segment out of the table's bounds";
    for (size_t k = 0; k < seg->elem_exprs.size(); ++k) {
      const wabt::ExprList &el = seg->elem_exprs[k];
      if (el.size() != 1) return "an elem segment entry that is not ref.func or ref.null";
      if (const auto *rf = wabt::dyn_cast<wabt::RefFuncExpr>(&el.front()))
        slots[base + k] = wm.GetFuncIndex(rf->var);
      else if (el.front().type() == wabt::ExprType::RefNull)
        slots[base + k] = -1;
      else
        return "an elem segment entry that is not ref.func or ref.null";
    }
  }
  return "";
}

}  // namespace

void layOutTable(const wabt::Module &wm, ModuleCtx &ctx, mir::Module &out) {
  // Signature ids: one per structurally distinct representable function type.
  for (const wabt::TypeEntry *te : wm.types) {
    const auto *ft = wabt::dyn_cast<wabt::FuncType>(te);
    if (!ft) continue;
    mir::Signature sig;
    if (!mirSignature(ft->sig, sig, ctx.opt.cpu)) continue;
    if (ctx.typeIds.emplace(typeKey(ft->sig), uint32_t(out.types.size())).second) out.types.push_back(sig);
  }
  ctx.types = out.types;
  ctx.slotFuncs.assign(out.types.size(), {});
  std::vector<int64_t> slots;
  ctx.tableProblem = fillSlots(wm, slots);
  if (!ctx.tableProblem.empty()) return;
  if (wm.tables.empty()) ctx.tableProblem = "call_indirect without a table";
  out.table.assign(slots.size(), mir::TableSlot{});
  for (size_t k = 0; k < slots.size(); ++k) {
    if (slots[k] < 0) continue;
    mir::TableSlot &sl = out.table[k];
    const size_t fi = size_t(slots[k]);
    std::optional<uint32_t> id;
    if (fi < ctx.funcs.size() && ctx.funcs[fi].representable && fi < wm.funcs.size())
      id = ctx.typeIdOf(wm.funcs[fi]->decl.sig);
    if (!id) {
      sl.kind = mir::TableSlot::Kind::Opaque;  // no calli can have its signature
      continue;
    }
    sl.kind = mir::TableSlot::Kind::Func;
    sl.func = ctx.funcs[fi].name;
    sl.type = *id;
    auto &names = ctx.slotFuncs[*id];
    if (std::find(names.begin(), names.end(), sl.func) == names.end()) names.push_back(sl.func);
  }
}

void settleTable(mir::Module &m) {
  for (mir::TableSlot &sl : m.table)
    if (sl.kind == mir::TableSlot::Kind::Func && !m.findFunction(sl.func) && !m.findImport(sl.func)) {
      // declined: every function with a calli of this signature was declined with it
      sl.kind = mir::TableSlot::Kind::Opaque;
      sl.func.clear();
      sl.type = 0;
    }
  // Keep only the signature ids a slot or a calli uses, renumbered in order.
  std::vector<uint32_t> newId(m.types.size(), UINT32_MAX);
  auto use = [&](uint32_t id) {
    if (id < newId.size()) newId[id] = 0;
  };
  for (const mir::TableSlot &sl : m.table)
    if (sl.kind == mir::TableSlot::Kind::Func) use(sl.type);
  for (const mir::Function &f : m.functions)
    for (const mir::Block &b : f.blocks)
      for (const mir::Instr &i : b.instrs)
        if (i.op == mir::Opcode::CallInd) use(i.imm);
  std::vector<mir::Signature> kept;
  for (size_t id = 0; id < newId.size(); ++id)
    if (newId[id] == 0) {
      newId[id] = uint32_t(kept.size());
      kept.push_back(m.types[id]);
    }
  m.types = std::move(kept);
  for (mir::TableSlot &sl : m.table)
    if (sl.kind == mir::TableSlot::Kind::Func) sl.type = newId[sl.type];
  for (mir::Function &f : m.functions)
    for (mir::Block &b : f.blocks)
      for (mir::Instr &i : b.instrs)
        if (i.op == mir::Opcode::CallInd) i.imm = newId[i.imm];
}

void FuncSelector::lowerCallIndirect(const wabt::CallIndirectExpr &e) {
  if (!ctx_.tableProblem.empty()) decline(e, ctx_.tableProblem);
  if (ctx_.wm->GetTableIndex(e.table) != 0) decline(e, "call_indirect through a table other than table 0");
  const std::optional<uint32_t> id = ctx_.typeIdOf(e.decl.sig);
  if (!id) decline(e, "call_indirect with an unsupported signature");
  const mir::Signature &sig = ctx_.types[*id];
  for (const std::string &f : ctx_.slotFuncs[*id]) callees_.insert(f);
  const size_t n = sig.params.size();
  if (stack_.size() < n + 1) throw DeclineError{"internal error: operand stack underflow"};
  const Val index = pop();
  mir::Instr call;
  call.op = mir::Opcode::CallInd;
  call.imm = *id;
  call.uses = sigOperands(sig.params);
  call.uses.push_back(mir::Operand::vreg(index.lo));
  for (size_t i = 0; i < n; ++i) (void)pop();
  auto results = resultDefs(sig.results, call);
  emit(std::move(call));
  finishResults(results);
}

}  // namespace vcr::select::detail
