// Reference execution of wasm modules with the wabt interpreter, and WAT to
// binary assembly with wabt.

#include "corpus/gen/wasmrun.h"

#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/cast.h>
#include <wabt/error-formatter.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

namespace vcr::gen {

namespace wi = wabt::interp;

struct WasmRunner::Impl {
  wabt::Features features;
  wi::Store store{features};  // declared first: destroyed after every Ptr below
  wi::Module::Ptr module;
  wi::Instance::Ptr instance;
  std::vector<wi::HostFunc::Ptr> hosts;

  const wi::Func *findFunc(const std::string &name, wi::Func::Ptr *out) {
    const auto &exports = module->export_types();
    for (size_t i = 0; i < exports.size(); ++i)
      if (exports[i].name == name && exports[i].type->kind == wi::ExternKind::Func) {
        *out = store.UnsafeGet<wi::Func>(instance->exports()[i]);
        return out->get();
      }
    return nullptr;
  }
};

uint32_t WasmRunner::extHost(uint32_t a, uint64_t b) {
  uint32_t x = a ^ static_cast<uint32_t>(b) ^ static_cast<uint32_t>(b >> 32) * 3u;
  return (x ^ (x >> 15)) * 0x2C1B3C6Du;
}

WasmRunner::WasmRunner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WasmRunner::~WasmRunner() = default;

std::unique_ptr<WasmRunner> WasmRunner::load(const std::vector<uint8_t> &wasm, const std::string &filename,
                                             std::string *error) {
  auto impl = std::make_unique<Impl>();
  wabt::Errors errors;
  wi::ModuleDesc desc;
  wabt::ReadBinaryOptions options(impl->features, nullptr, true, true, false);
  if (wabt::Failed(wi::ReadBinaryInterp(filename, wasm.data(), wasm.size(), options, &errors, &desc))) {
    *error = filename + ": " + wabt::FormatErrorsToString(errors, wabt::Location::Type::Binary);
    return nullptr;
  }
  impl->module = wi::Module::New(impl->store, std::move(desc));
  wi::RefVec imports;
  for (const wi::ImportType &imp : impl->module->import_types()) {
    if (imp.module != "env" || imp.name != "ext" || imp.type->kind != wi::ExternKind::Func) {
      *error = filename + ": unsupported import " + imp.module + "." + imp.name;
      return nullptr;
    }
    const auto &ft = *wabt::cast<wi::FuncType>(imp.type.get());
    if (ft.params.size() != 2 || ft.params[0] != wabt::Type::I32 || ft.params[1] != wabt::Type::I64 ||
        ft.results.size() != 1 || ft.results[0] != wabt::Type::I32) {
      *error = filename + ": env.ext must have type (param i32 i64) (result i32)";
      return nullptr;
    }
    auto host = wi::HostFunc::New(impl->store, ft,
                                  [](wi::Thread &, const wi::Values &params, wi::Values &results,
                                     wi::Trap::Ptr *) {
                                    results[0] = wi::Value::Make(
                                        extHost(params[0].Get<uint32_t>(), params[1].Get<uint64_t>()));
                                    return wabt::Result::Ok;
                                  });
    imports.push_back(host.ref());
    impl->hosts.push_back(std::move(host));
  }
  wi::Trap::Ptr trap;
  impl->instance = wi::Instance::Instantiate(impl->store, impl->module.ref(), imports, &trap);
  if (!impl->instance) {
    *error = filename + ": instantiation failed" + (trap ? ": " + trap->message() : std::string());
    return nullptr;
  }
  return std::unique_ptr<WasmRunner>(new WasmRunner(std::move(impl)));
}

std::unique_ptr<WasmRunner> WasmRunner::loadWat(const std::string &wat, const std::string &filename,
                                                std::string *error) {
  std::vector<uint8_t> bin = watToWasm(wat, filename, error);
  if (bin.empty())
    return nullptr;
  return load(bin, filename, error);
}

WasmCallResult WasmRunner::call(const std::string &name, const std::vector<uint64_t> &args) {
  WasmCallResult r;
  wi::Func::Ptr func;
  if (!impl_->findFunc(name, &func)) {
    r.error = "no exported function " + name;
    return r;
  }
  const wi::FuncType &ft = func->type();
  if (ft.params.size() != args.size()) {
    r.error = name + ": expects " + std::to_string(ft.params.size()) + " arguments, got " +
              std::to_string(args.size());
    return r;
  }
  wi::Values params, results;
  for (size_t i = 0; i < args.size(); ++i)
    params.push_back(ft.params[i] == wabt::Type::I64 ? wi::Value::Make(args[i])
                                                     : wi::Value::Make(static_cast<uint32_t>(args[i])));
  wi::Trap::Ptr trap;
  r.ran = true;
  if (wabt::Failed(func->Call(impl_->store, params, results, &trap))) {
    r.trapped = true;
    r.trap = trap ? trap->message() : "trap";
    return r;
  }
  for (size_t i = 0; i < results.size(); ++i)
    r.results.push_back(ft.results[i] == wabt::Type::I64 ? results[i].Get<uint64_t>()
                                                         : results[i].Get<uint32_t>());
  return r;
}

uint8_t *WasmRunner::memory() {
  if (impl_->instance->memories().empty())
    return nullptr;
  return impl_->store.UnsafeGet<wi::Memory>(impl_->instance->memories()[0])->UnsafeData();
}

uint64_t WasmRunner::memorySize() {
  if (impl_->instance->memories().empty())
    return 0;
  return impl_->store.UnsafeGet<wi::Memory>(impl_->instance->memories()[0])->ByteSize();
}

std::vector<std::string> WasmRunner::exportedFunctions() const {
  std::vector<std::string> out;
  for (const wi::ExportType &e : impl_->module->export_types())
    if (e.type->kind == wi::ExternKind::Func)
      out.push_back(e.name);
  return out;
}

int WasmRunner::paramCount(const std::string &name) const {
  for (const wi::ExportType &e : impl_->module->export_types())
    if (e.name == name && e.type->kind == wi::ExternKind::Func)
      return static_cast<int>(wabt::cast<wi::FuncType>(e.type.get())->params.size());
  return -1;
}

bool WasmRunner::paramIsI64(const std::string &name, unsigned i) const {
  for (const wi::ExportType &e : impl_->module->export_types())
    if (e.name == name && e.type->kind == wi::ExternKind::Func) {
      const auto &p = wabt::cast<wi::FuncType>(e.type.get())->params;
      return i < p.size() && p[i] == wabt::Type::I64;
    }
  return false;
}

std::vector<uint8_t> watToWasm(const std::string &wat, const std::string &filename, std::string *error) {
  wabt::Errors errors;
  wabt::Features features;
  auto lexer = wabt::WastLexer::CreateBufferLexer(filename, wat.data(), wat.size(), &errors);
  wabt::WastParseOptions parseOptions(features);
  std::unique_ptr<wabt::Module> module;
  wabt::Result r = wabt::ParseWatModule(lexer.get(), &module, &errors, &parseOptions);
  if (wabt::Succeeded(r))
    r = wabt::ValidateModule(module.get(), &errors, wabt::ValidateOptions(features));
  if (wabt::Failed(r)) {
    *error = filename + ": " + wabt::FormatErrorsToString(errors, wabt::Location::Type::Text);
    return {};
  }
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions writeOptions(features, /*canonicalize_lebs=*/true, /*relocatable=*/false,
                                        /*write_debug_names=*/true);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), writeOptions))) {
    *error = filename + ": cannot write the binary module";
    return {};
  }
  return stream.output_buffer().data;
}

}  // namespace vcr::gen
