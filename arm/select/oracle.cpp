// The oracle: the wabt interpreter (oracle_engine.cpp) with mixHost imports,
// its traps mapped to MIR trap reasons.
#include "arm/select/oracle.h"

#include "arm/select/oracle_engine.h"
#include "arm/select/select.h"
#include "core/ir/interp.h"

namespace vcr::select {

struct Oracle::State {
  std::unique_ptr<detail::Engine> engine;
  std::vector<mir::Import> imports;  ///< per function import, as MIR names it
  std::vector<bool> representable;   ///< i32/i64 words only (f32/f64 as bit patterns)
};

std::optional<mir::TrapReason> trapReasonFromWabt(const std::string &m) {
  auto has = [&](const char *s) { return m.find(s) != std::string::npos; };
  if (has("divide by zero")) return mir::TrapReason::DivZero;
  if (has("integer overflow")) return mir::TrapReason::Overflow;
  if (has("out of bounds memory access")) return mir::TrapReason::OutOfBounds;
  if (has("invalid conversion to integer")) return mir::TrapReason::BadConversion;
  if (has("unreachable")) return mir::TrapReason::Unreachable;
  if (has("undefined table index")) return mir::TrapReason::TableOob;
  if (has("uninitialized table element")) return mir::TrapReason::NullFunc;
  if (has("indirect call signature mismatch")) return mir::TrapReason::BadSig;
  return std::nullopt;
}

Oracle::Oracle(std::unique_ptr<State> st) : st_(std::move(st)) {}
Oracle::Oracle(Oracle &&) noexcept = default;
Oracle &Oracle::operator=(Oracle &&) noexcept = default;
Oracle::~Oracle() = default;

std::optional<Oracle> Oracle::create(const WasmBinary &bin, Diagnostics &diags,
                                     std::optional<uint32_t> memoryMax) {
  std::string error;
  auto st = std::make_unique<State>();
  st->engine = detail::Engine::load(bin.file, bin.bytes, &error, memoryMax);
  if (st->engine) {
    for (const auto &ei : st->engine->funcImports()) {
      mir::Import imp;
      imp.name = importName(ei.module, ei.field);
      bool ok = true;
      for (char c : ei.params) {
        ok = ok && c != '?';
        imp.sig.params.push_back(c == 'I' || c == 'F' ? mir::ValType::I64 : mir::ValType::I32);
      }
      for (char c : ei.results) {
        ok = ok && c != '?';
        imp.sig.results.push_back(c == 'I' || c == 'F' ? mir::ValType::I64 : mir::ValType::I32);
      }
      st->imports.push_back(std::move(imp));
      st->representable.push_back(ok);
    }
    State *sp = st.get();
    auto host = [sp](size_t index, const std::vector<uint64_t> &args) -> std::vector<uint64_t> {
      if (index >= sp->imports.size() || !sp->representable[index]) return {};
      return mir::mixHost(sp->imports[index], args);
    };
    if (st->engine->instantiate(host, &error)) return Oracle(std::move(st));
  }
  Diagnostic d;
  d.file = bin.file;
  d.message = error;
  diags.push_back(std::move(d));
  return std::nullopt;
}

uint32_t Oracle::numFunctions() const { return st_->engine->numFunctions(); }

OracleRun Oracle::run(uint32_t wasmFuncIndex, std::span<const uint64_t> args,
                      const std::vector<uint8_t> &memoryImage,
                      const std::vector<uint32_t> &globalWords, uint64_t budget) {
  detail::EngineRun er =
      st_->engine->run(wasmFuncIndex, args.data(), args.size(), memoryImage, globalWords, budget);
  OracleRun out;
  out.results = std::move(er.results);
  out.trap = std::move(er.trap);
  out.memory = std::move(er.memory);
  out.globals = std::move(er.globals);
  out.error = std::move(er.error);
  switch (er.status) {
  case detail::EngineRun::Status::Returned: out.status = OracleRun::Status::Returned; break;
  case detail::EngineRun::Status::Exhausted: out.status = OracleRun::Status::Exhausted; break;
  case detail::EngineRun::Status::Error: out.status = OracleRun::Status::Error; break;
  case detail::EngineRun::Status::Trapped:
    if (auto reason = trapReasonFromWabt(out.trap)) {
      out.status = OracleRun::Status::Trapped;
      out.reason = *reason;
    } else {
      out.status = OracleRun::Status::Error;
      out.error = "unrecognised trap: " + out.trap;
    }
    break;
  }
  return out;
}

}  // namespace vcr::select
