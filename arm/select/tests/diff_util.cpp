// The selection differential: oracle (wabt interpreter) vs MIR interpreter.
#include "arm/select/tests/diff_util.h"

#include "arm/select/oracle.h"
#include "core/ir/diff.h"
#include "core/ir/interp.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <fmt/format.h>

#include <bit>
#include <cstdlib>
#include <filesystem>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace vcr::select::test {
namespace {

#ifdef __GLIBC__
// Every run allocates and frees several 64 KiB buffers (memory images, the
// wabt interpreter's stacks); by default glibc hands them back to the kernel
// each time, and the page faults cost ten times the interpretation itself.
[[maybe_unused]] const int kMallocTuned =
    (mallopt(M_TRIM_THRESHOLD, 256 << 20), mallopt(M_MMAP_THRESHOLD, 32 << 20), 0);
#endif

/// splitmix64: small, fast, deterministic.
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }
};

/// An f32 / f64 argument's bits: an edge value, a small or half-way value, or random bits.
uint64_t pickFloatArg(Rng &rng, bool wide) {
  static const uint32_t e32[] = {0, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x7f800000u, 0xff800000u,
                                 0x7fc00000u, 0xffc00001u, 0x7f7fffffu, 1, 0x4f000000u, 0xcf000000u,
                                 0x3f000000u, 0x3fc00000u, 0x40200000u, 0x4b800001u};
  static const uint64_t e64[] = {0, uint64_t{1} << 63, 0x3ff0000000000000ull, 0xbff0000000000000ull,
                                 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
                                 0xfff8000000000001ull, 0x7fefffffffffffffull, 1, 0x41e0000000000000ull,
                                 0xc1e0000000000000ull, 0x3fe0000000000000ull, 0x41dfffffffffffffull};
  switch (rng.below(3)) {
  case 0: return wide ? e64[rng.below(std::size(e64))] : e32[rng.below(std::size(e32))];
  case 1: {
    const double x = static_cast<double>(static_cast<int64_t>(rng.below(801)) - 400) / 4.0;
    return wide ? std::bit_cast<uint64_t>(x) : std::bit_cast<uint32_t>(static_cast<float>(x));
  }
  default: return wide ? rng.next() : rng.next() & 0xffffffffu;
  }
}

/// An argument value: small, near the memory size, a boundary or random.
uint64_t pickArg(Rng &rng, mir::ValType t, uint64_t memBytes) {
  if (mir::isVfpType(t)) return pickFloatArg(rng, t == mir::ValType::F64);
  bool wide = t == mir::ValType::I64;
  uint64_t mask = wide ? ~0ull : 0xffffffffull;
  switch (rng.below(6)) {
  case 0: return rng.below(17);
  case 1: return (0 - rng.below(4)) & mask;  // small negative
  case 2: return (memBytes + rng.below(24) - 12) & mask;
  case 3: {
    static const uint64_t b32[] = {0, 1, 0xffffffffull, 0x80000000ull, 0x7fffffffull};
    static const uint64_t b64[] = {0, 1, ~0ull, 1ull << 63, (1ull << 63) - 1, 0xffffffffull,
                                   0x80000000ull, 0xffffffff80000000ull};
    return wide ? b64[rng.below(std::size(b64))] : b32[rng.below(std::size(b32))];
  }
  default: return rng.next() & mask;
  }
}

std::string hexList(const std::vector<uint64_t> &v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + fmt::format("{:#x}", v[i]);
  return s + ")";
}

std::string describe(const OracleRun &r) {
  switch (r.status) {
  case OracleRun::Status::Returned: return "returned " + hexList(r.results);
  case OracleRun::Status::Trapped:
    return fmt::format("trapped {} (\"{}\")", mir::trapName(r.reason), r.trap);
  case OracleRun::Status::Exhausted: return "exhausted (" + r.trap + ")";
  case OracleRun::Status::Error: return "error: " + r.error;
  }
  return "?";
}

std::string describe(const mir::ExecResult &r) {
  switch (r.status) {
  case mir::ExecResult::Status::Returned: return "returned " + hexList(r.results);
  case mir::ExecResult::Status::Trapped: return fmt::format("trapped {}", mir::trapName(r.trap));
  case mir::ExecResult::Status::Exhausted: return "exhausted";
  case mir::ExecResult::Status::Error: return "error: " + r.error;
  }
  return "?";
}

/// Compare one run; empty if both sides agree, else what differs.
std::string compare(const mir::Function &f, const OracleRun &o, const mir::ExecResult &m,
                    const mir::ExecEnv &env, bool nanTolerant) {
  using OS = OracleRun::Status;
  using MS = mir::ExecResult::Status;
  if (m.status == MS::Error) return "the MIR interpreter reports an error";
  if (o.status == OS::Error) return "the oracle reports an error";
  bool same = (o.status == OS::Returned && m.status == MS::Returned) ||
              (o.status == OS::Trapped && m.status == MS::Trapped);
  if (!same) return "different outcome";
  if (o.status == OS::Trapped && o.reason != m.trap) return "different trap reason";
  if (o.status == OS::Returned) {
    if (o.results.size() != m.results.size()) return "different number of results";
    for (size_t i = 0; i < o.results.size(); ++i) {
      uint64_t mask = mir::words(f.sig.results[i]) == 2 ? ~0ull : 0xffffffffull;
      // an f32/f64 NaN result matches any NaN: wasm lets the engines' NaN bits differ
      const uint8_t fb = i < f.floatResults.size() ? f.floatResults[i] : 0;
      auto isNaN = [fb](uint64_t v) {
        return fb == 32 ? (v & 0x7fffffffu) > 0x7f800000u
                        : (v & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
      };
      if (fb && isNaN(o.results[i]) && isNaN(m.results[i])) continue;
      if ((o.results[i] & mask) != (m.results[i] & mask)) return fmt::format("result {} differs", i);
    }
  }
  if (o.memory.size() != env.memory.size()) return "different memory sizes";
  // a NaN stored to memory or a global matches any NaN (mir::nanTolerantMismatch)
  if (size_t i = mir::nanTolerantMismatch(o.memory, env.memory, nanTolerant); i != SIZE_MAX)
    return fmt::format("memory differs at byte {}: oracle {:#x}, mir {:#x}", i, o.memory[i],
                       env.memory[i]);
  auto bytesOf = [](const std::vector<uint32_t> &g) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(g.data()), g.size() * 4);
  };
  if (o.globals.size() != env.globals.size() ||
      mir::nanTolerantMismatch(bytesOf(o.globals), bytesOf(env.globals), nanTolerant) != SIZE_MAX)
    return "globals differ";
  return {};
}

}  // namespace

void DiffStats::add(const DiffStats &o) {
  modules += o.modules;
  functions += o.functions;
  declined += o.declined;
  runs += o.runs;
  skipped += o.skipped;
  disagreements += o.disagreements;
  invalid += o.invalid;
  if (firstFailure.empty()) firstFailure = o.firstFailure;
}

std::string DiffStats::summary() const {
  return fmt::format("{} modules, {} functions ({} declined), {} runs compared, {} without "
                     "verdict, {} disagreements, {} invalid",
                     modules, functions, declined, runs, skipped, disagreements, invalid);
}

DiffStats diffModule(const WasmBinary &bin, const DiffOptions &opt) {
  DiffStats st;
  st.modules = 1;
  Diagnostics diags;
  auto sel = selectModule(bin, diags, opt.select);
  auto oracle = Oracle::create(bin, diags);
  if (!sel || !oracle) {
    st.disagreements = 1;
    st.firstFailure = bin.file + ": cannot select or instantiate:";
    for (const auto &d : diags) st.firstFailure += "\n  " + d.str();
    return st;
  }
  st.declined = sel->declined.size();
  const mir::Module &m = sel->module;
  const bool nanTolerant = mir::computesFloats(m);
  const uint64_t memBytes = uint64_t{m.memoryPages} * 65536;
  // Seeded by the file's name, not its path: the same inputs in every checkout
  // (a CI clone elsewhere once drew inputs that ran a loop for minutes).
  Rng rng{opt.seed ^ (std::hash<std::string>{}(std::filesystem::path(bin.file).filename().string()) * 31)};
  for (const mir::Function &f : m.functions) {
    ++st.functions;
    if (opt.validate) {
      Diagnostics vd;
      if (!mir::validateFunction(f, m, vd)) {
        ++st.invalid;
        if (st.firstFailure.empty()) {
          st.firstFailure = fmt::format("{}: function '{}' fails MIR validation:", bin.file, f.name);
          for (const auto &d : vd) st.firstFailure += "\n  " + d.str();
          st.firstFailure += "\n" + mir::printFunction(f);
        }
        continue;
      }
    }
    for (unsigned k = 0; k < opt.inputsPerFunction; ++k) {
      std::vector<uint64_t> args;
      for (auto t : f.sig.params) args.push_back(pickArg(rng, t, memBytes));
      std::vector<uint8_t> memory(memBytes);
      for (size_t i = 0; i + 8 <= memory.size(); i += 8) {
        uint64_t r = rng.next();
        for (int b = 0; b < 8; ++b) memory[i + b] = static_cast<uint8_t>(r >> (8 * b));
      }
      std::vector<uint32_t> globals;
      bool randomGlobals = rng.below(2) == 0;
      for (const auto &g : m.globals)
        globals.push_back(randomGlobals ? static_cast<uint32_t>(rng.next()) : g.init);
      mir::ExecEnv env;
      env.memory = memory;
      env.globals = globals;
      env.fuel = opt.fuel;
      mir::ExecResult mr = mir::execute(m, f.name, args, env);
      if (mr.status == mir::ExecResult::Status::Exhausted) {
        if (std::getenv("VCR_DIFF_VERBOSE"))
          fmt::print("[select diff] no verdict: {} '{}' {}: {}\n", bin.file, f.name, hexList(args),
                     mr.error);
        ++st.skipped;  // no verdict; the oracle has no fuel, so do not run it
        continue;
      }
      OracleRun orr = oracle->run(static_cast<uint32_t>(f.wasmIndex), args, memory, globals);
      if (orr.status == OracleRun::Status::Exhausted) {
        if (std::getenv("VCR_DIFF_VERBOSE"))
          fmt::print("[select diff] no verdict (oracle): {} '{}' {}: {}\n", bin.file, f.name,
                     hexList(args), orr.trap);
        ++st.skipped;
        continue;
      }
      ++st.runs;
      std::string why = compare(f, orr, mr, env, nanTolerant);
      if (why.empty()) continue;
      ++st.disagreements;
      if (st.firstFailure.empty())
        st.firstFailure = fmt::format(
            "disagreement in {} function '{}' (wasm index {}): {}\n  args:   {}\n  oracle: {}\n"
            "  mir:    {}\n{}",
            bin.file, f.name, f.wasmIndex, why, hexList(args), describe(orr), describe(mr),
            mir::printFunction(f));
      if (opt.stopAtFirst) return st;
    }
  }
  return st;
}

}  // namespace vcr::select::test
