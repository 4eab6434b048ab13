// Test helper: a wasm module run by vcr::select::Oracle with persistent state.

#include "corpus/gen/tests/oracle_module.h"

#include "arm/select/select.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/ir.h>

namespace vcr::gen::testing {

namespace {

std::string diagText(const Diagnostics &diags) {
  std::string out;
  for (const Diagnostic &d : diags)
    out += (out.empty() ? "" : "; ") + d.str();
  return out.empty() ? std::string("unknown error") : out;
}

}  // namespace

std::unique_ptr<OracleModule> OracleModule::loadFile(const std::string &path, std::string *error) {
  Diagnostics diags;
  std::optional<select::WasmBinary> bin = select::loadWasmFile(path, diags);
  if (!bin) {
    *error = diagText(diags);
    return nullptr;
  }
  return fromBinary(*bin, error);
}

std::unique_ptr<OracleModule> OracleModule::loadWat(const std::string &wat, const std::string &file,
                                                    std::string *error) {
  Diagnostics diags;
  std::optional<select::WasmBinary> bin = select::watToWasm(wat, file, diags);
  if (!bin) {
    *error = diagText(diags);
    return nullptr;
  }
  return fromBinary(*bin, error);
}

std::unique_ptr<OracleModule> OracleModule::fromBinary(const select::WasmBinary &bin, std::string *error) {
  Diagnostics diags;
  std::optional<select::Selection> sel = select::selectModule(bin, diags);
  std::optional<select::Oracle> oracle = sel ? select::Oracle::create(bin, diags) : std::nullopt;
  if (!oracle) {
    *error = diagText(diags);
    return nullptr;
  }
  std::unique_ptr<OracleModule> m(new OracleModule(std::move(*oracle)));
  // Initial state: zeroed memory of the declared size (the corpus has no
  // data segments) and the globals' initial words as selection reads them.
  m->memory_.assign(static_cast<size_t>(sel->module.memoryPages) * 65536, 0);
  for (const mir::Global &g : sel->module.globals)
    m->globals_.push_back(g.init);
  // Exports, from wabt's IR of the binary.
  wabt::Module wm;
  wabt::Errors errs;
  wabt::Features features;
  wabt::ReadBinaryOptions opts(features, nullptr, /*read_debug_names=*/false,
                               /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr(bin.file.c_str(), bin.bytes.data(), bin.bytes.size(), opts, &errs, &wm))) {
    *error = bin.file + ": cannot read the exports";
    return nullptr;
  }
  for (const wabt::Export *ex : wm.exports) {
    if (ex->kind != wabt::ExternalKind::Func || !ex->var.is_index())
      continue;
    wabt::Index fi = ex->var.index();
    if (fi >= wm.funcs.size())
      continue;
    Export e;
    e.index = static_cast<uint32_t>(fi);
    e.params = static_cast<int>(wm.funcs[fi]->GetNumParams());
    if (m->exports_.emplace(ex->name, e).second)
      m->exportOrder_.push_back(ex->name);
  }
  return m;
}

select::OracleRun OracleModule::call(const std::string &name, const std::vector<uint64_t> &args) {
  auto it = exports_.find(name);
  if (it == exports_.end()) {
    select::OracleRun r;
    r.error = "no exported function '" + name + "'";
    return r;
  }
  select::OracleRun r = oracle_.run(it->second.index, args, memory_, globals_);
  if (r.status != select::OracleRun::Status::Error) {
    memory_ = r.memory;
    globals_ = r.globals;
  }
  return r;
}

int OracleModule::paramCount(const std::string &name) const {
  auto it = exports_.find(name);
  return it == exports_.end() ? -1 : it->second.params;
}

}  // namespace vcr::gen::testing
