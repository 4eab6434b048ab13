// Deciding goals with Z3 (simplify first, then the solver) and SMT-LIB2 export.
#include "verifier/smt/impl.h"

#include <chrono>

namespace vcr::verifier::smt {

Model::Model() = default;
Model::~Model() = default;
Model::Model(Model &&) noexcept = default;
Model &Model::operator=(Model &&) noexcept = default;
Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

bool Model::valid() const { return impl_ != nullptr; }

std::optional<uint64_t> Model::eval(Term t) const {
  if (!impl_) return std::nullopt;
  try {
    z3::expr v = impl_->model.eval(impl_->ctx->get(t), true);
    if (v.is_true()) return 1;
    if (v.is_false()) return 0;
    uint64_t out = 0;
    if (v.is_numeral() && v.is_numeral_u64(out)) return out;
  } catch (const z3::exception &) {
  }
  return std::nullopt;
}

Solver::Solver(Context &ctx) : ctx_(ctx) {}

CheckResult Solver::check(const std::string &name, Term goal, unsigned timeoutMs) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  CheckResult r;
  auto finish = [&]() {
    r.timeUs = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
  };
  Context::Impl &im = ctx_.impl();
  try {
    z3::expr g = im.get(goal).simplify();
    if (g.is_true()) {
      r.verdict = Verdict::Proved;
      r.syntactic = true;
      finish();
      return r;
    }
    z3::solver s(im.z, "QF_ABV");  // much cheaper to create than the default
    z3::params p(im.z);
    p.set("timeout", timeoutMs);
    s.set(p);
    s.add(!g);
    switch (s.check()) {
    case z3::unsat: r.verdict = Verdict::Proved; break;
    case z3::sat:
      r.verdict = Verdict::Refuted;
      r.model = Model(std::make_unique<Model::Impl>(Model::Impl{&im, s.get_model()}));
      break;
    case z3::unknown:
      r.verdict = Verdict::Unknown;
      r.reason = s.reason_unknown();
      break;
    }
  } catch (const z3::exception &e) {
    r.verdict = Verdict::Unknown;
    r.reason = "z3 error in " + name + ": " + e.msg();
  }
  finish();
  return r;
}

std::string Solver::toSmtLib(const std::string &name, Term goal) const {
  Context::Impl &im = ctx_.impl();
  z3::expr neg = !im.get(goal);
  std::string body = Z3_benchmark_to_smtlib_string(im.z, name.c_str(), "", "unknown", "", 0,
                                                   nullptr, neg);
  // Z3 writes no set-logic; the solvers we feed want one. Calls are fresh
  // constants, so arrays and bit-vectors without functions suffice.
  std::string out = "; obligation " + name + ": unsat means proved\n(set-logic QF_ABV)\n";
  out += body;
  if (body.find("(check-sat)") == std::string::npos) out += "(check-sat)\n";
  return out;
}

}  // namespace vcr::verifier::smt
