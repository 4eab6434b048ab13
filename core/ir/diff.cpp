// The shared differential harness: seeded inputs, vreg-form expectations, outcome comparison.
#include "core/ir/diff.h"

#include "core/ir/runtime_calls.h"

#include <algorithm>
#include <cstring>

namespace vcr::mir {

namespace {

/// splitmix64: a small, well-mixed, portable generator (same stream everywhere).
uint64_t next(uint64_t &state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string statusName(ExecResult::Status s) {
  switch (s) {
  case ExecResult::Status::Returned: return "returned";
  case ExecResult::Status::Trapped: return "trapped";
  case ExecResult::Status::Exhausted: return "exhausted";
  case ExecResult::Status::Error: return "error";
  }
  return "?";
}

std::string describe(ExecResult::Status s, std::span<const uint64_t> results, TrapReason trap,
                     std::string_view error) {
  std::string out = statusName(s);
  if (s == ExecResult::Status::Returned) {
    out += " (";
    for (size_t i = 0; i < results.size(); ++i) out += (i ? " " : "") + std::to_string(results[i]);
    out += ")";
  }
  if (s == ExecResult::Status::Trapped) out += " " + std::string(trapName(trap));
  if (!error.empty()) out += ": " + std::string(error);
  return out;
}

}  // namespace

std::string describeResult(const ExecResult &r) {
  return describe(r.status, r.results, r.trap, r.error);
}

std::string argsText(std::span<const uint64_t> args) {
  std::string s = "(";
  for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + std::to_string(args[i]);
  return s + ")";
}

std::vector<uint8_t> randomMemory(size_t bytes, uint64_t seed) {
  std::vector<uint8_t> mem(bytes);
  uint64_t state = seed;
  for (size_t i = 0; i < bytes; i += 8) {
    const uint64_t w = next(state);
    for (size_t b = 0; b < 8 && i + b < bytes; ++b) mem[i + b] = static_cast<uint8_t>(w >> (8 * b));
  }
  return mem;
}

namespace {
/// A float argument (`bits` 32 or 64) biased toward what breaks soft-float
/// code: edge values (zeros, ones, halves, infinities, NaNs, the truncation
/// bounds), small values with fractions, or `fallback` (random bits).
uint64_t randomFloat(uint8_t bits, uint64_t fallback, uint64_t &state) {
  static constexpr double kEdge[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -2.5, 2.5, 3.5,
                                     0.49999999999999994, 1e-310, -1e-45, 1e300, -3.0e38,
                                     2147483647.0, 2147483648.0, -2147483648.0, -2147483649.0,
                                     4294967295.0, 4294967296.0, 9223372036854775807.0,
                                     -9223372036854775808.0, 18446744073709551616.0, -0.99,
                                     8388608.5, 4503599627370497.0};
  const uint64_t r = next(state);
  double d = 0;
  switch (r % 6) {
  case 0: case 1: d = kEdge[(r >> 8) % std::size(kEdge)]; break;
  case 2: d = static_cast<double>(static_cast<int64_t>((r >> 8) % 20001) - 10000) / 16.0; break;
  case 3: {  // infinities and NaNs (quiet, signalling, either sign)
    static constexpr uint64_t kSpecial64[] = {0x7ff0000000000000ull, 0xfff0000000000000ull,
                                              0x7ff8000000000000ull, 0xfff8000000000001ull,
                                              0x7ff0000000000001ull};
    static constexpr uint32_t kSpecial32[] = {0x7f800000u, 0xff800000u, 0x7fc00000u, 0xffc00001u,
                                              0x7f800001u};
    const size_t k = (r >> 8) % 5;
    return bits == 32 ? kSpecial32[k] : kSpecial64[k];
  }
  default: return bits == 32 ? (fallback & 0xffffffffu) : fallback;
  }
  if (bits == 32) {
    const float f = static_cast<float>(d);
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return b;
  }
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}
}  // namespace

std::vector<uint64_t> randomArgs(const Signature &sig, size_t memBytes, uint64_t &state) {
  const uint64_t ptrRange = std::min<uint64_t>(memBytes / 2, 32768);
  std::vector<uint64_t> args;
  for (ValType t : sig.params) {
    uint64_t x = next(state);
    static constexpr uint64_t kBoundary[] = {0, ~0ull, 0x80000000ull, 0x7fffffffull,
                                             0x8000000000000000ull, 0x7fffffffffffffffull};
    switch (next(state) % 5) {
    case 0: x %= 16; break;
    case 1: x = ptrRange ? (x % ptrRange) & ~7ull : x % 64; break;
    case 2: x %= 1024; break;
    case 3: x = kBoundary[x % std::size(kBoundary)]; break;
    default: break;
    }
    args.push_back(t == ValType::I32 ? (x & 0xffffffffu) : x);
  }
  return args;
}

DiffInput expectOn(const Module &m, std::string_view fn, std::vector<uint64_t> args,
                   std::vector<uint8_t> memory, uint64_t fuel) {
  DiffInput in;
  in.args = std::move(args);
  in.memory = std::move(memory);
  for (const auto &g : m.globals) in.globals.push_back(g.init);
  ExecEnv env;
  env.memory = in.memory;
  env.globals = in.globals;
  env.fuel = fuel;
  in.expected = execute(m, fn, in.args, env);
  in.expectedMemory = std::move(env.memory);
  in.expectedGlobals = std::move(env.globals);
  if (const Function *f = m.findFunction(fn)) in.floatResults = f->floatResults;
  in.nanTolerant = computesFloats(m);
  return in;
}

bool computesFloats(const Module &m) {
  for (const Function &f : m.functions)
    for (const Block &b : f.blocks)
      for (const Instr &i : b.instrs) {
        if (isFloatOp(i.op)) return true;
        if (i.op == Opcode::Call)
          if (auto k = findRuntimeFn(i.callee); k && !runtimeFns()[*k].memory) return true;
      }
  return false;
}

size_t nanTolerantMismatch(std::span<const uint8_t> a, std::span<const uint8_t> b, bool nanTolerant) {
  const size_t n = std::min(a.size(), b.size());
  auto word = [](std::span<const uint8_t> m, size_t at, unsigned bytes) {
    uint64_t v = 0;
    for (unsigned k = 0; k < bytes; ++k) v |= uint64_t{m[at + k]} << (8 * k);
    return v;
  };
  auto nanAt = [&](size_t at, unsigned bytes) {
    if (at + bytes > n) return false;
    const uint64_t x = word(a, at, bytes), y = word(b, at, bytes);
    return bytes == 4 ? (x & 0x7fffffffu) > 0x7f800000u && (y & 0x7fffffffu) > 0x7f800000u
                      : (x & 0x7fffffffffffffffull) > 0x7ff0000000000000ull &&
                            (y & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
  };
  size_t coveredTo = 0;  // bytes below this lie in a NaN window already found
  for (size_t i = 0; i < n; ++i) {
    if (a[i] == b[i] || i < coveredTo) continue;
    if (!nanTolerant) return i;
    bool found = false;
    for (unsigned bytes : {8u, 4u})
      for (size_t s = i >= bytes - 1 ? i - (bytes - 1) : 0; !found && s <= i; ++s)
        if (nanAt(s, bytes)) found = true, coveredTo = s + bytes;
    if (!found) return i;
  }
  return a.size() == b.size() ? SIZE_MAX : n;
}

std::vector<DiffInput> makeDiffInputs(const Module &m, std::string_view fn, unsigned count, uint64_t seed,
                                      uint64_t fuel) {
  std::vector<DiffInput> out;
  forEachDiffInput(m, fn, count, seed, [&](DiffInput &&in) { out.push_back(std::move(in)); }, fuel);
  return out;
}

unsigned forEachDiffInput(const Module &m, std::string_view fn, unsigned count, uint64_t seed,
                          const std::function<void(DiffInput &&)> &take, uint64_t fuel) {
  const Function *f = m.findFunction(fn);
  if (!f || f->allocated) return 0;
  uint64_t state = seed;
  const size_t memBytes = size_t(m.memoryPages) * 65536;
  unsigned made = 0;
  for (unsigned tries = 0; tries < 4 * count && made < count; ++tries) {
    std::vector<uint64_t> args = randomArgs(f->sig, memBytes, state);
    for (size_t i = 0; i < args.size() && i < f->floatParams.size(); ++i)
      if (f->floatParams[i]) args[i] = randomFloat(f->floatParams[i], args[i], state);
    DiffInput in = expectOn(m, fn, std::move(args), randomMemory(memBytes, next(state)), fuel);
    if (in.expected.status == ExecResult::Status::Exhausted) continue;
    ++made;
    take(std::move(in));
  }
  return made;
}

std::string compareOutcome(const DiffInput &in, const Observed &o) {
  const ExecResult &e = in.expected;
  // NaN results of f32/f64 type match any NaN (wasm lets the NaN's bits vary).
  auto isNaN = [](uint64_t v, uint8_t bits) {
    return bits == 32 ? (v & 0x7fffffffu) > 0x7f800000u
                      : (v & 0x7fffffffffffffffu) > 0x7ff0000000000000u;
  };
  bool resultsEqual = e.results.size() == o.results.size();
  for (size_t i = 0; resultsEqual && i < e.results.size(); ++i) {
    const uint8_t fb = i < in.floatResults.size() ? in.floatResults[i] : 0;
    resultsEqual = e.results[i] == o.results[i] ||
                   (fb && isNaN(e.results[i], fb) && isNaN(o.results[i], fb));
  }
  if (o.status != e.status || o.status == ExecResult::Status::Error ||
      (o.status == ExecResult::Status::Returned && !resultsEqual) ||
      (o.status == ExecResult::Status::Trapped && o.trap != e.trap))
    return "expected " + describeResult(e) + ", got " + describe(o.status, o.results, o.trap, o.error);
  if (size_t at = nanTolerantMismatch(o.memory, in.expectedMemory, in.nanTolerant); at != SIZE_MAX) {
    // the aligned 8 bytes around it, both sides (little-endian words)
    auto bytes = [&](std::span<const uint8_t> m) {
      std::string t;
      const size_t from = at & ~size_t{3};
      for (size_t k = from >= 4 ? from - 4 : 0; k < from + 8 && k < m.size(); ++k) {
        static const char *hex = "0123456789abcdef";
        t += (k == (from >= 4 ? from - 4 : 0) ? "" : k % 4 ? "" : " ");
        t += hex[m[k] >> 4];
        t += hex[m[k] & 15];
      }
      return t;
    };
    return "final linear memory differs (first at byte " + std::to_string(at) + "; bytes from " +
           std::to_string((at & ~size_t{3}) >= 4 ? (at & ~size_t{3}) - 4 : 0) + ": expected " +
           bytes(in.expectedMemory) + ", got " + bytes(o.memory) + ")";
  }
  auto bytesOf = [](std::span<const uint32_t> g) {  // a global of an f64 is two words, low first
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(g.data()), g.size() * 4);
  };
  if (o.globals.size() != in.expectedGlobals.size() ||
      nanTolerantMismatch(bytesOf(o.globals), bytesOf(in.expectedGlobals), in.nanTolerant) != SIZE_MAX)
    return "final globals differ";
  return "";
}

std::string behaviourDifference(const Module &other, std::string_view fn, const std::vector<DiffInput> &inputs,
                                std::optional<uint64_t> garbageSeed) {
  for (size_t k = 0; k < inputs.size(); ++k) {
    const DiffInput &in = inputs[k];
    ExecEnv env;
    env.garbageSeed = garbageSeed;
    env.memory = in.memory;
    env.globals = in.globals;
    env.fuel = 4 * in.expected.steps + 100'000;
    ExecResult r = execute(other, fn, in.args, env);
    Observed o{r.status, r.results, r.trap, r.error, env.memory, env.globals};
    if (std::string why = compareOutcome(in, o); !why.empty())
      return "@" + std::string(fn) + " input #" + std::to_string(k) + " " + argsText(in.args) + ": " + why;
  }
  return "";
}

std::string observableDifference(const Module &other, std::string_view fn, const std::vector<DiffInput> &inputs) {
  std::string strict = behaviourDifference(other, fn, inputs);
  if (strict.find("holds no value") == std::string::npos && strict.find("never written") == std::string::npos)
    return strict;
  for (uint64_t seed : {0x5EEDull, 0xC0FFEEull})
    if (std::string d = behaviourDifference(other, fn, inputs, seed); !d.empty())
      return d + " (with arbitrary contents for words holding no value)";
  return "";
}

}  // namespace vcr::mir
