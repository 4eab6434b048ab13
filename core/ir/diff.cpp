// The shared differential harness: seeded inputs, vreg-form expectations, outcome comparison.
#include "core/ir/diff.h"

#include <algorithm>

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
  return in;
}

std::vector<DiffInput> makeDiffInputs(const Module &m, std::string_view fn, unsigned count, uint64_t seed,
                                      uint64_t fuel) {
  std::vector<DiffInput> out;
  const Function *f = m.findFunction(fn);
  if (!f || f->allocated) return out;
  uint64_t state = seed;
  const size_t memBytes = size_t(m.memoryPages) * 65536;
  for (unsigned tries = 0; tries < 4 * count && out.size() < count; ++tries) {
    std::vector<uint64_t> args = randomArgs(f->sig, memBytes, state);
    DiffInput in = expectOn(m, fn, std::move(args), randomMemory(memBytes, next(state)), fuel);
    if (in.expected.status == ExecResult::Status::Exhausted) continue;
    out.push_back(std::move(in));
  }
  return out;
}

std::string compareOutcome(const DiffInput &in, const Observed &o) {
  const ExecResult &e = in.expected;
  const bool resultsEqual = std::equal(e.results.begin(), e.results.end(), o.results.begin(), o.results.end());
  if (o.status != e.status || o.status == ExecResult::Status::Error ||
      (o.status == ExecResult::Status::Returned && !resultsEqual) ||
      (o.status == ExecResult::Status::Trapped && o.trap != e.trap))
    return "expected " + describeResult(e) + ", got " + describe(o.status, o.results, o.trap, o.error);
  if (!std::equal(o.memory.begin(), o.memory.end(), in.expectedMemory.begin(), in.expectedMemory.end())) {
    size_t at = 0;
    while (at < o.memory.size() && at < in.expectedMemory.size() && o.memory[at] == in.expectedMemory[at]) ++at;
    return "final linear memory differs (first at byte " + std::to_string(at) + ")";
  }
  if (!std::equal(o.globals.begin(), o.globals.end(), in.expectedGlobals.begin(), in.expectedGlobals.end()))
    return "final globals differ";
  return "";
}

std::string behaviourDifference(const Module &other, std::string_view fn, const std::vector<DiffInput> &inputs) {
  for (size_t k = 0; k < inputs.size(); ++k) {
    const DiffInput &in = inputs[k];
    ExecEnv env;
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

}  // namespace vcr::mir
