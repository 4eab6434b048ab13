// The wabt interpreter behind the oracle (built as C++17, see oracle_engine.h).
#include "arm/select/oracle_engine.h"

#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include <algorithm>
#include <cstring>

namespace vcr::select::detail {

namespace wi = wabt::interp;

struct Engine::State {
  wi::Store store;  // declared first: the RefPtrs below are destroyed before it
  wi::ModuleDesc desc;
  std::vector<EngineImport> imports;
  wi::Module::Ptr module;
  wi::Instance::Ptr instance;
  EngineHost host;
  unsigned runs = 0;
  std::vector<wi::DataSegment> datas;  ///< after instantiation: restored before every run (data.drop)
  bool growable = false;  ///< --memory-max: the memory may grow (cut back to the image before each run)
  uint64_t initialPages = 0;  ///< the memory's declared initial size (growable)
};

namespace {

constexpr uint64_t kMaxPages = 1024;  // 64 MiB

// wabt 1.0.32 runs a call to completion (Func::Call -> Thread::Run) and keeps
// the pieces of a call that could be stepped (PushValues, PushCall, PopValues)
// private. An explicit instantiation may name private members
// ([temp.explicit]: access is not checked there), which is the one standard
// way to reach them: each Tag's friend memberOf() returns the member pointer.
template <typename Tag, typename Tag::type M>
struct Expose {
  friend typename Tag::type memberOf(Tag) { return M; }
};
struct PushValuesTag {
  using type = void (wi::Thread::*)(const wi::ValueTypes &, const wi::Values &);
  friend type memberOf(PushValuesTag);
};
struct PushCallTag {
  using type = wi::RunResult (wi::Thread::*)(const wi::DefinedFunc &, wi::Trap::Ptr *);
  friend type memberOf(PushCallTag);
};
struct PopValuesTag {
  using type = void (wi::Thread::*)(const wi::ValueTypes &, wi::Values *);
  friend type memberOf(PopValuesTag);
};
template struct Expose<PushValuesTag, &wi::Thread::PushValues>;
template struct Expose<PushCallTag, &wi::Thread::PushCall>;
template struct Expose<PopValuesTag, &wi::Thread::PopValues>;
// wi::Memory cannot shrink: a growable memory is cut back to the image's
// size before each run (every run starts from the memory it is given).
struct MemDataTag {
  using type = wi::Buffer wi::Memory::*;
  friend type memberOf(MemDataTag);
};
struct MemPagesTag {
  using type = wi::u64 wi::Memory::*;
  friend type memberOf(MemPagesTag);
};
template struct Expose<MemDataTag, &wi::Memory::data_>;
template struct Expose<MemPagesTag, &wi::Memory::pages_>;
struct MemTypeTag {  // Memory::Grow also raises its type's initial size
  using type = wi::MemoryType wi::Memory::*;
  friend type memberOf(MemTypeTag);
};
template struct Expose<MemTypeTag, &wi::Memory::type_>;

/// `l` with its maximum set to `max` pages (default: its initial size).
wabt::Limits fixedSize(wabt::Limits l, std::optional<uint32_t> max = std::nullopt) {
  l.max = max ? std::max<uint64_t>(*max, l.initial) : l.initial;
  l.has_max = true;
  return l;
}

enum class Outcome { Returned, Trapped, Exhausted };

/// What DefinedFunc::DoCall does, with Thread::Run(n) in slices so that at
/// most `budget` wasm instructions execute. A host function is called the
/// usual way (Func::Call, run to completion).
Outcome callWithBudget(wi::Store &store, const wi::Func::Ptr &fn, const wi::Values &params,
                       wi::Values &results, uint64_t budget, wi::Trap::Ptr *trap) {
  if (!wabt::isa<wi::DefinedFunc>(fn.get()))
    return wabt::Succeeded(fn->Call(store, params, results, trap)) ? Outcome::Returned : Outcome::Trapped;
  const auto &df = *wabt::cast<wi::DefinedFunc>(fn.get());
  wi::Thread thread(store);
  (thread.*memberOf(PushValuesTag{}))(df.type().params, params);
  if ((thread.*memberOf(PushCallTag{}))(df, trap) == wi::RunResult::Trap) return Outcome::Trapped;
  constexpr uint64_t kSlice = 1u << 16;
  for (uint64_t left = budget;;) {
    if (left == 0) return Outcome::Exhausted;
    const uint64_t n = std::min(left, kSlice);
    left -= n;
    switch (thread.Run(static_cast<int>(n), trap)) {
    case wi::RunResult::Ok: continue;  // the slice ran out
    case wi::RunResult::Return:
      (thread.*memberOf(PopValuesTag{}))(df.type().results, &results);
      return Outcome::Returned;
    case wi::RunResult::Trap: return Outcome::Trapped;
    case wi::RunResult::Exception:  // no exception handling in the modules we take
      *trap = wi::Trap::New(store, "uncaught exception");
      return Outcome::Trapped;
    }
  }
}

char typeCode(wabt::Type t) {
  if (t == wabt::Type::I32) return 'i';
  if (t == wabt::Type::I64) return 'I';
  if (t == wabt::Type::F32) return 'f';  // a word on a soft-float CPU
  if (t == wabt::Type::F64) return 'F';
  return '?';
}

uint64_t fromValue(wabt::Type t, const wi::Value &v) {
  if (t == wabt::Type::I32) return v.Get<uint32_t>();
  if (t == wabt::Type::I64) return v.Get<uint64_t>();
  if (t == wabt::Type::F32) {  // float values travel as their bit patterns
    float f = v.Get<float>();
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return b;
  }
  if (t == wabt::Type::F64) {
    double d = v.Get<double>();
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return b;
  }
  return 0;
}

wi::Value toValue(wabt::Type t, uint64_t x) {
  if (t == wabt::Type::I64) return wi::Value::Make(static_cast<uint64_t>(x));
  if (t == wabt::Type::I32) return wi::Value::Make(static_cast<uint32_t>(x));
  if (t == wabt::Type::F32) {
    const auto b = static_cast<uint32_t>(x);
    float f;
    std::memcpy(&f, &b, 4);
    return wi::Value::Make(f);
  }
  if (t == wabt::Type::F64) {
    double d;
    std::memcpy(&d, &x, 8);
    return wi::Value::Make(d);
  }
  return wi::Value();  // other types: zero bits
}

}  // namespace

std::vector<std::string> validateStreaming(const std::string &file, const std::vector<uint8_t> &bytes) {
  wabt::Features features;
  wabt::Errors errs;
  wabt::ReadBinaryOptions opts(features, nullptr, /*read_debug_names=*/false,
                               /*stop_on_first_error=*/true,
                               /*fail_on_custom_section_error=*/false);
  wi::ModuleDesc desc;
  std::vector<std::string> out;
  if (wabt::Succeeded(wi::ReadBinaryInterp(file, bytes.data(), bytes.size(), opts, &errs, &desc))) return out;
  for (const auto &e : errs) {
    if (e.error_level != wabt::ErrorLevel::Error) continue;
    std::string m = e.message;
    if (e.loc.offset != static_cast<size_t>(-1)) m += " (at byte offset " + std::to_string(e.loc.offset) + ")";
    out.push_back(std::move(m));
  }
  if (out.empty()) out.push_back("invalid wasm binary");
  return out;
}

Engine::Engine(std::unique_ptr<State> st) : st_(std::move(st)) {}
Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::load(const std::string &file, const std::vector<uint8_t> &bytes,
                                     std::string *error, std::optional<uint32_t> memoryMax) {
  auto st = std::make_unique<State>();
  st->growable = memoryMax.has_value();
  wabt::Features features;
  wabt::Errors errs;
  wabt::ReadBinaryOptions opts(features, nullptr, /*read_debug_names=*/false,
                               /*stop_on_first_error=*/true,
                               /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wi::ReadBinaryInterp(file, bytes.data(), bytes.size(), opts, &errs, &st->desc))) {
    *error = "oracle cannot load the module";
    if (!errs.empty()) *error += ": " + errs.front().message;
    return nullptr;
  }
  // The interpreter allocates (and zeroes) the whole memory up front.
  auto tooLarge = [&](const wabt::Limits &l) {
    if (l.initial <= kMaxPages) return false;
    *error = "oracle refuses a memory of " + std::to_string(l.initial) + " pages (limit " +
             std::to_string(kMaxPages) + ")";
    return true;
  };
  for (const auto &m : st->desc.memories)
    if (tooLarge(m.type.limits)) return nullptr;
  for (const auto &imp : st->desc.imports)
    if (imp.type.type->kind == wabt::ExternalKind::Memory &&
        tooLarge(wabt::cast<wi::MemoryType>(imp.type.type.get())->limits))
      return nullptr;
  // MIR's memory has a fixed size (memory.grow by a non-zero delta fails):
  // the oracle's memory may not grow either, whatever maximum is declared;
  // under --memory-max it grows up to the same maximum as MIR's.
  if (!st->desc.memories.empty()) st->initialPages = st->desc.memories[0].type.limits.initial;
  for (auto &m : st->desc.memories) m.type.limits = fixedSize(m.type.limits, memoryMax);
  for (auto &imp : st->desc.imports)
    if (imp.type.type->kind == wabt::ExternalKind::Memory) {
      auto *mt = wabt::cast<wi::MemoryType>(imp.type.type.get());
      mt->limits = fixedSize(mt->limits);
    }
  for (const auto &imp : st->desc.imports) {
    if (imp.type.type->kind != wabt::ExternalKind::Func) continue;
    const auto &ft = *wabt::cast<wi::FuncType>(imp.type.type.get());
    EngineImport ei;
    ei.module = imp.type.module;
    ei.field = imp.type.name;
    for (auto t : ft.params) ei.params += typeCode(t);
    for (auto t : ft.results) ei.results += typeCode(t);
    st->imports.push_back(std::move(ei));
  }
  return std::unique_ptr<Engine>(new Engine(std::move(st)));
}

const std::vector<EngineImport> &Engine::funcImports() const { return st_->imports; }

bool Engine::instantiate(EngineHost host, std::string *error) {
  State &st = *st_;
  st.host = std::move(host);
  st.module = wi::Module::New(st.store, st.desc);
  wi::RefVec imports;
  size_t funcImport = 0;
  for (const auto &it : st.module->import_types()) {
    switch (it.type->kind) {
    case wabt::ExternalKind::Func: {
      const auto &ft = *wabt::cast<wi::FuncType>(it.type.get());
      size_t index = funcImport++;
      State *sp = &st;
      auto cb = [sp, index, ft](wi::Thread &, const wi::Values &params, wi::Values &results,
                                wi::Trap::Ptr *) -> wabt::Result {
        std::vector<uint64_t> args;
        for (size_t i = 0; i < params.size() && i < ft.params.size(); ++i)
          args.push_back(fromValue(ft.params[i], params[i]));
        std::vector<uint64_t> res = sp->host ? sp->host(index, args) : std::vector<uint64_t>{};
        results.resize(ft.results.size());
        for (size_t i = 0; i < ft.results.size(); ++i)
          results[i] = toValue(ft.results[i], i < res.size() ? res[i] : 0);
        return wabt::Result::Ok;
      };
      imports.push_back(wi::HostFunc::New(st.store, ft, cb).ref());
      break;
    }
    case wabt::ExternalKind::Memory:
      imports.push_back(wi::Memory::New(st.store, *wabt::cast<wi::MemoryType>(it.type.get())).ref());
      break;
    case wabt::ExternalKind::Global: {
      const auto &gt = *wabt::cast<wi::GlobalType>(it.type.get());
      imports.push_back(wi::Global::New(st.store, gt, toValue(gt.type, 0)).ref());
      break;
    }
    case wabt::ExternalKind::Table:
      imports.push_back(wi::Table::New(st.store, *wabt::cast<wi::TableType>(it.type.get())).ref());
      break;
    default:
      *error = "oracle cannot provide import '" + it.module + "." + it.name + "'";
      return false;
    }
  }
  wi::Trap::Ptr trap;
  st.instance = wi::Instance::Instantiate(st.store, st.module.ref(), imports, &trap);
  if (!st.instance) {
    *error = "oracle cannot instantiate the module";
    if (trap) *error += ": " + trap->message();
    return false;
  }
  st.datas = st.instance->datas();
  return true;
}

uint32_t Engine::numFunctions() const {
  return st_->instance ? static_cast<uint32_t>(st_->instance->funcs().size()) : 0;
}

EngineRun Engine::run(uint32_t funcIndex, const uint64_t *args, size_t nargs,
                      const std::vector<uint8_t> &memoryImage,
                      const std::vector<uint32_t> &globalWords, uint64_t budget) {
  EngineRun out;
  if (!st_->instance) {
    out.error = "module not instantiated";
    return out;
  }
  wi::Store &store = st_->store;
  const wi::Instance &inst = *st_->instance;
  if (funcIndex >= inst.funcs().size()) {
    out.error = "no function with wasm index " + std::to_string(funcIndex);
    return out;
  }
  if (++st_->runs % 256 == 0) store.Collect();
  // A run starts from the instantiated state: no segment dropped by an earlier run.
  st_->instance->datas() = st_->datas;
  // Overwrite the state: memory (zero-padded) and globals (one word per
  // i32 global, two per i64 global, none for other types).
  wi::Memory::Ptr mem;
  if (!inst.memories().empty()) {
    mem = store.UnsafeGet<wi::Memory>(inst.memories()[0]);
    if (st_->growable) {  // the run starts at the image's size (an earlier run may have grown it)
      const uint64_t pages = std::max<uint64_t>(memoryImage.size() / 65536, st_->initialPages);
      (*mem).*memberOf(MemPagesTag{}) = pages;
      ((*mem).*memberOf(MemTypeTag{})).limits.initial = pages;
      ((*mem).*memberOf(MemDataTag{})).resize(size_t(pages) * 65536);
    }
    auto size = static_cast<size_t>(mem->ByteSize());
    size_t n = std::min(size, memoryImage.size());
    if (n) std::memcpy(mem->UnsafeData(), memoryImage.data(), n);
    if (size > n) std::memset(mem->UnsafeData() + n, 0, size - n);
  }
  size_t word = 0;
  auto wordAt = [&](size_t w) -> uint64_t { return w < globalWords.size() ? globalWords[w] : 0; };
  for (wi::Ref ref : inst.globals()) {
    auto g = store.UnsafeGet<wi::Global>(ref);
    wabt::Type t = g->type().type;
    if (t == wabt::Type::I32 || t == wabt::Type::F32) {
      g->UnsafeSet(toValue(t, wordAt(word)));
      word += 1;
    } else if (t == wabt::Type::I64 || t == wabt::Type::F64) {
      g->UnsafeSet(toValue(t, wordAt(word) | wordAt(word + 1) << 32));
      word += 2;
    }
  }
  auto fn = store.UnsafeGet<wi::Func>(inst.funcs()[funcIndex]);
  const wi::FuncType &ft = fn->type();
  if (nargs != ft.params.size()) {
    out.error = "expected " + std::to_string(ft.params.size()) + " arguments, got " +
                std::to_string(nargs);
    return out;
  }
  wi::Values params, results;
  for (size_t i = 0; i < nargs; ++i) params.push_back(toValue(ft.params[i], args[i]));
  wi::Trap::Ptr trap;
  const Outcome oc = callWithBudget(store, fn, params, results, budget, &trap);
  if (oc == Outcome::Returned) {
    out.status = EngineRun::Status::Returned;
    for (size_t i = 0; i < ft.results.size() && i < results.size(); ++i)
      out.results.push_back(fromValue(ft.results[i], results[i]));
  } else if (oc == Outcome::Exhausted) {
    out.status = EngineRun::Status::Exhausted;
    out.trap = "instruction budget exhausted (" + std::to_string(budget) + " wasm instructions)";
  } else {
    out.trap = trap ? trap->message() : std::string("unknown trap");
    out.status = out.trap.find("exhausted") != std::string::npos ? EngineRun::Status::Exhausted
                                                                  : EngineRun::Status::Trapped;
  }
  if (mem) out.memory.assign(mem->UnsafeData(), mem->UnsafeData() + mem->ByteSize());
  for (wi::Ref ref : inst.globals()) {
    auto g = store.UnsafeGet<wi::Global>(ref);
    wabt::Type t = g->type().type;
    if (typeCode(t) == '?') continue;
    uint64_t v = fromValue(t, g->Get());
    out.globals.push_back(static_cast<uint32_t>(v));
    if (t == wabt::Type::I64 || t == wabt::Type::F64) out.globals.push_back(static_cast<uint32_t>(v >> 32));
  }
  return out;
}

}  // namespace vcr::select::detail
