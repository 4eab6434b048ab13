// Module-level selection: names, imports, globals, memory, and the driver
// that lowers every function and declines what it cannot.
#include "arm/select/select.h"
#include "arm/select/select_internal.h"
#include "core/ir/runtime_calls.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/validator.h>

#include <algorithm>
#include <map>
#include <set>

namespace vcr::select {

std::string sanitizeName(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '$' || c == '-';
    out += ok ? c : '_';
  }
  return out;
}

std::string importName(std::string_view module, std::string_view field) {
  return sanitizeName(std::string(module) + "." + std::string(field));
}

namespace detail {

std::optional<mir::ValType> toValType(wabt::Type t, arm::Cpu cpu) {
  const bool soft = arm::softFloat(cpu);
  if (t == wabt::Type::I32) return mir::ValType::I32;
  if (t == wabt::Type::I64) return mir::ValType::I64;
  // soft float: the bit pattern in a word / a lo/hi pair; AAPCS-VFP: S / D registers
  if (t == wabt::Type::F32) return soft ? mir::ValType::I32 : mir::ValType::F32;
  if (t == wabt::Type::F64) return soft ? mir::ValType::I64 : mir::ValType::F64;
  return std::nullopt;
}

std::optional<mir::ValType> valueType(wabt::Type t, arm::Cpu cpu) {
  if (t == wabt::Type::F64 && !arm::hasF64(cpu)) return mir::ValType::I64;  // FPv4: soft f64
  return toValType(t, cpu);
}

}  // namespace detail

namespace {
bool toSignature(const wabt::FuncSignature &ws, mir::Signature &sig, arm::Cpu cpu);
}  // namespace

bool detail::mirSignature(const wabt::FuncSignature &ws, mir::Signature &sig, arm::Cpu cpu) {
  return toSignature(ws, sig, cpu);
}

namespace {

using detail::CalleeInfo;
using detail::ModuleCtx;

/// Make `name` unique among `used` by appending ".1", ".2", ...
std::string uniqueName(std::string name, std::set<std::string> &used) {
  if (name.empty()) name = "_";
  std::string n = name;
  for (unsigned k = 1; used.count(n); ++k) n = name + "." + std::to_string(k);
  used.insert(n);
  return n;
}

/// The signature of a wasm function as MIR sees it on `cpu`; false if unrepresentable.
bool toSignature(const wabt::FuncSignature &ws, mir::Signature &sig, arm::Cpu cpu) {
  for (wabt::Type t : ws.param_types) {
    auto vt = detail::toValType(t, cpu);
    if (!vt) return false;
    sig.params.push_back(*vt);
  }
  for (wabt::Type t : ws.result_types) {
    auto vt = detail::toValType(t, cpu);
    if (!vt) return false;
    sig.results.push_back(*vt);
  }
  return true;
}

/// Initial value of a global from its constant initializer (0 otherwise,
/// e.g. for global.get of an import, whose words start at 0).
uint64_t globalInit(const wabt::Global &g) {
  if (g.init_expr.empty()) return 0;
  const wabt::Expr &e = g.init_expr.front();
  if (const auto *c = wabt::dyn_cast<wabt::ConstExpr>(&e)) {
    if (c->const_.type() == wabt::Type::I32) return c->const_.u32();
    if (c->const_.type() == wabt::Type::I64) return c->const_.u64();
    if (c->const_.type() == wabt::Type::F32) return c->const_.f32_bits();
    if (c->const_.type() == wabt::Type::F64) return c->const_.f64_bits();
  }
  return 0;
}

void layOutGlobals(const wabt::Module &wm, ModuleCtx &ctx, Selection &sel) {
  for (size_t gi = 0; gi < wm.globals.size(); ++gi) {
    const wabt::Global &g = *wm.globals[gi];
    ctx.globalType.push_back(g.type);
    bool imported = gi < wm.num_global_imports;
    uint64_t init = imported ? 0 : globalInit(g);
    if (detail::toValType(g.type)) {
      ctx.globalWord.push_back(static_cast<int32_t>(sel.module.globals.size()));
      sel.module.globals.push_back(mir::Global{static_cast<uint32_t>(init), g.mutable_});
      if (detail::toValType(g.type) == mir::ValType::I64)
        sel.module.globals.push_back(mir::Global{static_cast<uint32_t>(init >> 32), g.mutable_});
    } else {
      ctx.globalWord.push_back(-1);
    }
  }
  sel.globalWord = ctx.globalWord;
}

/// Name every entry of the function space and record its signature.
void nameFunctions(const wabt::Module &wm, ModuleCtx &ctx, Selection &sel) {
  std::map<wabt::Index, std::string> exportName;
  for (const wabt::Export *ex : wm.exports)
    if (ex->kind == wabt::ExternalKind::Func && ex->var.is_index())
      exportName.emplace(ex->var.index(), ex->name);
  std::set<std::string> used;
  // Runtime routine names are callees of their own: a function so named gets a suffix.
  for (const mir::RuntimeFn &r : mir::runtimeFns()) used.insert(std::string(r.name));
  size_t importIdx = 0;
  for (const wabt::Import *imp : wm.imports) {
    if (imp->kind() != wabt::ExternalKind::Func) continue;
    CalleeInfo ci;
    ci.isImport = true;
    ci.name = uniqueName(importName(imp->module_name, imp->field_name), used);
    ci.representable = toSignature(wabt::cast<wabt::FuncImport>(imp)->func.decl.sig, ci.sig, ctx.opt.cpu);
    if (ci.representable) sel.module.imports.push_back(mir::Import{ci.name, ci.sig});
    ctx.funcs.push_back(std::move(ci));
    ++importIdx;
  }
  for (size_t fi = importIdx; fi < wm.funcs.size(); ++fi) {
    const wabt::Func &f = *wm.funcs[fi];
    std::string name = f.name;
    if (!name.empty() && name[0] == '$') name.erase(0, 1);
    if (name.empty()) {
      auto it = exportName.find(static_cast<wabt::Index>(fi));
      if (it != exportName.end()) name = it->second;
    }
    name = sanitizeName(name);
    if (name.empty()) name = "f" + std::to_string(fi);
    CalleeInfo ci;
    ci.name = uniqueName(name, used);
    ci.representable = toSignature(f.decl.sig, ci.sig, ctx.opt.cpu);
    ctx.funcs.push_back(std::move(ci));
  }
}

/// A caller of a declined function is declined too, transitively.
void declineCallers(Selection &sel, std::map<std::string, std::set<std::string>> &calls) {
  std::set<std::string> declined;
  for (const auto &d : sel.declined) declined.insert(d.function);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < sel.module.functions.size(); ++i) {
      const std::string &name = sel.module.functions[i].name;
      for (const auto &callee : calls[name]) {
        if (!declined.count(callee)) continue;
        sel.declined.push_back({name, "calls declined function '" + callee + "'"});
        declined.insert(name);
        sel.module.functions.erase(sel.module.functions.begin() + static_cast<ptrdiff_t>(i));
        changed = true;
        break;
      }
      if (changed) break;
    }
  }
}

}  // namespace

std::optional<Selection> selectModule(const WasmBinary &bin, Diagnostics &diags,
                                      const SelectOptions &opt) {
  wabt::Features features;
  wabt::Errors errs;
  wabt::Module wm;
  wabt::ReadBinaryOptions ropts(features, nullptr, /*read_debug_names=*/true,
                                /*stop_on_first_error=*/true,
                                /*fail_on_custom_section_error=*/false);
  wabt::Result r = wabt::ReadBinaryIr(bin.file.c_str(), bin.bytes.data(), bin.bytes.size(), ropts,
                                      &errs, &wm);
  if (wabt::Succeeded(r)) r = wabt::ValidateModule(&wm, &errs, wabt::ValidateOptions(features));
  if (wabt::Failed(r)) {
    for (const auto &e : errs) {
      Diagnostic d;
      d.file = bin.file;
      d.message = e.message + " (at byte offset " + std::to_string(e.loc.offset) + ")";
      diags.push_back(std::move(d));
    }
    if (errs.empty()) diags.push_back(Diagnostic{Diagnostic::Level::Error, bin.file, "", 0, 0,
                                                 "invalid wasm binary"});
    return std::nullopt;
  }
  ModuleCtx ctx;
  ctx.wm = &wm;
  ctx.opt = opt;
  Selection sel;
  if (!wm.memories.empty()) {
    uint64_t pages = wm.memories[0]->page_limits.initial;
    sel.module.memoryPages = static_cast<uint32_t>(std::min<uint64_t>(pages, 65536));
    const wabt::Limits &lim = wm.memories[0]->page_limits;
    if (opt.memoryMax)
      ctx.memoryMax = sel.module.memoryMax =
          effectiveMemoryMax(*opt.memoryMax, pages, lim.has_max ? std::optional<uint64_t>(lim.max) : std::nullopt);
  }
  for (const wabt::DataSegment *ds : wm.data_segments) {  // for memory.init / data.drop
    mir::DataSegment seg;
    seg.passive = ds->kind == wabt::SegmentKind::Passive;
    if (seg.passive) seg.bytes = ds->data;
    sel.module.data.push_back(std::move(seg));
  }
  layOutGlobals(wm, ctx, sel);
  nameFunctions(wm, ctx, sel);
  detail::layOutTable(wm, ctx, sel.module);
  std::map<std::string, std::set<std::string>> calls;
  for (size_t fi = wm.num_func_imports; fi < wm.funcs.size(); ++fi) {
    mir::Function f;
    f.name = ctx.funcs[fi].name;
    f.wasmIndex = static_cast<int32_t>(fi);
    try {
      detail::FuncSelector s(ctx, *wm.funcs[fi], f);
      s.run();
      calls[f.name] = s.callees();
      sel.module.functions.push_back(std::move(f));
    } catch (const detail::DeclineError &d) {
      sel.declined.push_back({f.name, d.offset ? d.reason + " at " + bin.placeOf(*d.offset) : d.reason});
    }
  }
  declineCallers(sel, calls);
  detail::settleTable(sel.module);
  return sel;
}

std::optional<uint32_t> effectiveMemoryMax(uint32_t pages, uint64_t initial,
                                           std::optional<uint64_t> declaredMax) {
  if (initial > mir::kMaxGrowPages) return std::nullopt;
  uint64_t max = pages;
  if (declaredMax) max = std::min(max, *declaredMax);
  max = std::max(max, initial);
  return static_cast<uint32_t>(std::min<uint64_t>(max, mir::kMaxGrowPages));
}

}  // namespace vcr::select
