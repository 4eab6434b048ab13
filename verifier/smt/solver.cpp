// Deciding goals: literal goals at once, then random testing with the DAG
// evaluator, then Z3; models over the evaluator; SMT-LIB2 export.
#include "verifier/smt/dag.h"

#include <algorithm>
#include <chrono>
#include <random>

namespace vcr::verifier::smt {

namespace {

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// Array variables as pseudo-random functions of the index and of the
/// variable's name index (so two contexts that create their variables in the
/// same order agree on the contents).
struct RandomArrays {
  const Context::Impl *c;
  uint64_t seed;

  static uint64_t read(const void *env, uint32_t var, uint64_t idx) {
    const auto &e = *static_cast<const RandomArrays *>(env);
    return splitmix(e.seed ^ splitmix(e.c->nodes[var].val << 32 ^ idx));
  }
  /// Distinct variables differ at some index outside `keys` (search for one).
  static bool agree(const void *env, uint32_t a, uint32_t b, const std::vector<uint64_t> &keys) {
    const auto &e = *static_cast<const RandomArrays *>(env);
    const uint64_t elem = e.c->nodes[a].sort == Sort::Mem ? 0xff : 0xffffffffu;
    for (uint64_t i = 0; i < 256; ++i) {
      const uint64_t idx = 0x40000000u + i * 7919u;
      if (std::find(keys.begin(), keys.end(), idx) != keys.end()) continue;
      if ((read(env, a, idx) & elem) != (read(env, b, idx) & elem)) return false;
    }
    return true;
  }
};

/// Random values biased towards the edge cases of arithmetic and compares.
struct ValueGen {
  std::mt19937_64 rng;
  std::vector<uint64_t> recent;

  uint64_t next(unsigned w) {
    const uint64_t m = maskOf(w);
    uint64_t v;
    switch (rng() % 16) {
    case 0: v = 0; break;
    case 1: v = 1; break;
    case 2: v = m; break;                          // -1
    case 3: v = uint64_t(1) << (w - 1); break;     // INT_MIN
    case 4: v = m >> 1; break;                     // INT_MAX
    case 5: case 6: v = rng() % 17; break;         // small
    case 7: v = 0 - (rng() % 16 + 1); break;       // small negative
    case 8: v = uint64_t(1) << (rng() % w); break;  // a power of two
    case 9:                                         // equal to another value
      v = recent.empty() ? rng() : recent[rng() % recent.size()];
      break;
    default: v = rng(); break;
    }
    v &= m;
    recent.push_back(v);
    return v;
  }
};

constexpr unsigned kTrials = 256;

}  // namespace

std::unique_ptr<Model::Impl> randomArrayModel(const Context::Impl &c,
                                              std::vector<std::pair<uint32_t, uint64_t>> vars,
                                              uint64_t seed) {
  auto impl = std::make_unique<Model::Impl>();
  impl->ctx = &c;
  impl->vars = std::move(vars);
  impl->read = &RandomArrays::read;
  impl->agree = &RandomArrays::agree;
  impl->env = std::make_shared<RandomArrays>(RandomArrays{&c, seed});
  return impl;
}

Model::Model() = default;
Model::~Model() = default;
Model::Model(Model &&) noexcept = default;
Model &Model::operator=(Model &&) noexcept = default;
Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Model Model::of(const Context &ctx, const std::vector<std::pair<Term, uint64_t>> &values,
                uint64_t seed) {
  std::vector<std::pair<uint32_t, uint64_t>> vars;
  for (const auto &[t, v] : values) vars.push_back({t.id, v});
  return Model(randomArrayModel(ctx.impl(), std::move(vars), seed));
}

bool Model::valid() const { return impl_ != nullptr; }

std::optional<uint64_t> Model::eval(Term t) const {
  if (!impl_) return std::nullopt;
  try {
    const Node &n = impl_->ctx->node(t.id);
    if (n.sort == Sort::Mem || n.sort == Sort::Glob) return std::nullopt;
    if (!impl_->ev) {
      impl_->ev = std::make_unique<Evaluator>(*impl_->ctx, impl_->read, impl_->agree, impl_->env.get());
      for (const auto &[id, v] : impl_->vars) impl_->ev->setVar(id, v);
    }
    return impl_->ev->value(t.id);
  } catch (const std::logic_error &) {
    return std::nullopt;
  }
}

Solver::Solver(Context &ctx) : ctx_(ctx) {}

CheckResult Solver::check(const std::string &name, Term goal, unsigned timeoutMs) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  CheckResult r;
  Context::Impl &c = ctx_.impl();
  auto finish = [&]() {
    r.timeUs = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
    return std::move(r);
  };
  if (goal.id == 0 || goal.id >= c.nodes.size() || c.nodes[goal.id].sort != Sort::Bool) {
    r.reason = "goal " + name + " is not a Boolean term";
    return finish();
  }
  const Node g = c.nodes[goal.id];
  if (g.op == Op::Const) {  // decided by normalisation
    r.verdict = g.val ? Verdict::Proved : Verdict::Refuted;
    r.syntactic = true;
    r.method = "syntactic";
    if (!g.val) r.model = Model(randomArrayModel(c, {}, 0));
    return finish();
  }
  // Concrete random testing: a falsifying assignment is an exact counterexample.
  const std::vector<uint32_t> order = topoOrder(c, {goal.id});
  std::vector<uint32_t> vars;
  for (uint32_t id : order)
    if (c.nodes[id].op == Op::Var) vars.push_back(id);
  RandomArrays arrays{&c, 0};
  Evaluator ev(c, &RandomArrays::read, &RandomArrays::agree, &arrays);
  ValueGen gen{std::mt19937_64(splitmix(goal.id ^ uint64_t(order.size()) << 32)), {}};
  std::vector<std::pair<uint32_t, uint64_t>> assignment(vars.size());
  for (unsigned trial = 0; trial < kTrials; ++trial) {
    ev.reset();
    arrays.seed = splitmix(trial + 1);
    gen.recent.clear();
    for (size_t k = 0; k < vars.size(); ++k) {
      assignment[k] = {vars[k], trial == 0 ? 0 : gen.next(c.nodes[vars[k]].width)};
      ev.setVar(vars[k], assignment[k].second);
    }
    ev.run(order);
    if (ev.known(goal.id) == 0) {
      r.verdict = Verdict::Refuted;
      r.method = "testing";
      r.model = Model(randomArrayModel(c, assignment, arrays.seed));
      return finish();
    }
  }
  r.method = "z3";
  solveWithZ3(c, name, goal.id, timeoutMs, r);
  return finish();
}

std::string Solver::toSmtLib(const std::string &name, Term goal) const {
  return smtLibQuery(ctx_.impl(), name, goal.id);
}

}  // namespace vcr::verifier::smt
