// The Z3 side of the smt layer: lowering DAG terms to Z3 (lazily, memoised
// per node), solving a goal, and turning a Z3 model into an evaluator model.
// The only translation unit of verifier/ that includes z3++.h.
#include "verifier/smt/dag.h"

#include <z3++.h>

#include <optional>
#include <unordered_map>

namespace vcr::verifier::smt {

namespace {

/// The Z3 context shared by every smt::Context of a thread, created on the
/// first need. Z3 4.8.12 makes creating and deleting contexts slow once a
/// solver has run in the process, so one context lives as long as the thread.
z3::context &threadZ3() {
  thread_local z3::context z;
  return z;
}

}  // namespace

/// Z3 expressions of the DAG's nodes, built on demand.
struct Z3Side {
  z3::context &z = threadZ3();
  std::vector<std::optional<z3::expr>> memo;  ///< by node id

  /// The Z3 expression of node `root` (and of everything below it).
  z3::expr lower(const Context::Impl &c, uint32_t root) {
    if (memo.size() < c.nodes.size()) memo.resize(c.nodes.size());
    if (memo[root]) return *memo[root];
    for (uint32_t id : topoOrder(c, {root}))
      if (!memo[id]) memo[id] = make(c, c.nodes[id], id);
    return *memo[root];
  }

private:
  z3::sort sortOf(const Node &n) {
    switch (n.sort) {
    case Sort::BV: return z.bv_sort(n.width);
    case Sort::Bool: return z.bool_sort();
    case Sort::Mem: return z.array_sort(z.bv_sort(32), z.bv_sort(8));
    case Sort::Glob: return z.array_sort(z.bv_sort(32), z.bv_sort(32));
    }
    return z.bool_sort();
  }

  z3::expr make(const Context::Impl &c, const Node &n, uint32_t id) {
    auto k = [&](unsigned i) { return *memo[n.kid[i]]; };
    switch (n.op) {
    case Op::Const:
      return n.sort == Sort::Bool ? z.bool_val(n.val != 0) : z.bv_val(n.val, n.width);
    case Op::Var: case Op::ArrayVar: return z.constant(c.uniqueName(id).c_str(), sortOf(n));
    case Op::Add: return k(0) + k(1);
    case Op::Sub: return k(0) - k(1);
    case Op::Mul: return k(0) * k(1);
    case Op::And: return k(0) & k(1);
    case Op::Or: return k(0) | k(1);
    case Op::Xor: return k(0) ^ k(1);
    case Op::Shl: return z3::shl(k(0), k(1));
    case Op::LShr: return z3::lshr(k(0), k(1));
    case Op::AShr: return z3::ashr(k(0), k(1));
    case Op::UDiv: return z3::udiv(k(0), k(1));
    case Op::SDiv: return k(0) / k(1);  // bvsdiv
    case Op::URem: return z3::urem(k(0), k(1));
    case Op::SRem: return z3::srem(k(0), k(1));
    case Op::Not: return ~k(0);
    case Op::Eq: return k(0) == k(1);
    case Op::ULt: return z3::ult(k(0), k(1));
    case Op::ULe: return z3::ule(k(0), k(1));
    case Op::SLt: return z3::slt(k(0), k(1));
    case Op::SLe: return z3::sle(k(0), k(1));
    case Op::Extract: return k(0).extract(unsigned(n.val >> 8), unsigned(n.val & 0xff));
    case Op::Concat: return z3::concat(k(0), k(1));
    case Op::SExt: return z3::sext(k(0), unsigned(n.val));
    case Op::Ite: return z3::ite(k(0), k(1), k(2));
    case Op::LAnd: return k(0) && k(1);
    case Op::LOr: return k(0) || k(1);
    case Op::LNot: return !k(0);
    case Op::Select: return z3::select(k(0), k(1));
    case Op::Store: return z3::store(k(0), k(1), k(2));
    }
    throw std::logic_error("smt: unknown node");
  }
};

void Z3SideDeleter::operator()(Z3Side *p) const { delete p; }

namespace {

/// A number of a Z3 literal (Booleans as 0/1).
std::optional<uint64_t> numberOf(const z3::expr &v) {
  if (v.is_true()) return 1;
  if (v.is_false()) return 0;
  uint64_t out = 0;
  if (v.is_numeral() && v.is_numeral_u64(out)) return out;
  return std::nullopt;
}

/// A Z3 model as the array contents of an evaluator model.
struct Z3ModelEnv {
  Context::Impl *c;
  z3::model m;
  mutable std::unordered_map<uint64_t, uint64_t> reads;  ///< (var, idx) -> value

  static uint64_t read(const void *env, uint32_t var, uint64_t idx) {
    const auto &e = *static_cast<const Z3ModelEnv *>(env);
    const uint64_t key = uint64_t(var) << 32 | (idx & 0xffffffffu);
    if (auto it = e.reads.find(key); it != e.reads.end()) return it->second;
    uint64_t v = 0;
    try {
      z3::expr arr = e.c->z3->lower(*e.c, var);
      v = numberOf(e.m.eval(z3::select(arr, e.m.ctx().bv_val(idx, 32)), true)).value_or(0);
    } catch (const z3::exception &) {
    }
    e.reads.emplace(key, v);
    return v;
  }

  /// Whether arrays a and b agree outside `keys`: Z3 decides whether they
  /// are equal once both are overwritten with 0 at every key.
  static bool agree(const void *env, uint32_t a, uint32_t b, const std::vector<uint64_t> &keys) {
    const auto &e = *static_cast<const Z3ModelEnv *>(env);
    try {
      z3::context &z = e.m.ctx();
      z3::expr x = e.c->z3->lower(*e.c, a), y = e.c->z3->lower(*e.c, b);
      const unsigned ew = e.c->nodes[a].sort == Sort::Mem ? 8 : 32;
      for (uint64_t k : keys) {
        x = z3::store(x, z.bv_val(k, 32), z.bv_val(0, ew));
        y = z3::store(y, z.bv_val(k, 32), z.bv_val(0, ew));
      }
      return e.m.eval(x == y, true).is_true();
    } catch (const z3::exception &) {
      return false;
    }
  }
};

}  // namespace

void solveWithZ3(Context::Impl &c, const std::string &name, uint32_t goal, unsigned timeoutMs,
                 CheckResult &r) {
  try {
    if (!c.z3) c.z3.reset(new Z3Side());
    z3::context &z = c.z3->z;
    z3::expr g = c.z3->lower(c, goal);
    z3::solver s(z, "QF_ABV");  // much cheaper to create than the default
    z3::params p(z);
    p.set("timeout", timeoutMs);
    s.set(p);
    s.add(!g);
    switch (s.check()) {
    case z3::unsat: r.verdict = Verdict::Proved; break;
    case z3::unknown:
      r.verdict = Verdict::Unknown;
      r.reason = s.reason_unknown();
      break;
    case z3::sat: {
      r.verdict = Verdict::Refuted;
      auto env = std::make_shared<Z3ModelEnv>(Z3ModelEnv{&c, s.get_model(), {}});
      auto impl = std::make_unique<Model::Impl>();
      impl->ctx = &c;
      for (uint32_t id : topoOrder(c, {goal}))
        if (c.nodes[id].op == Op::Var)
          impl->vars.push_back({id, numberOf(env->m.eval(c.z3->lower(c, id), true)).value_or(0)});
      impl->read = &Z3ModelEnv::read;
      impl->agree = &Z3ModelEnv::agree;
      impl->env = env;
      r.model = Model(std::move(impl));
      if (r.model.eval(Term{goal}) != 0u)
        r.reason = "internal: the evaluator does not falsify the goal under Z3's model";
      break;
    }
    }
  } catch (const z3::exception &e) {
    r.verdict = Verdict::Unknown;
    r.reason = "z3 error in " + name + ": " + e.msg();
  }
}

std::optional<uint64_t> Context::z3Value(Term t, const std::vector<std::pair<Term, uint64_t>> &assignment) {
  try {
    Impl &c = *impl_;
    if (!c.z3) c.z3.reset(new Z3Side());
    z3::context &z = c.z3->z;
    z3::expr_vector from(z), to(z);
    for (const auto &[v, val] : assignment) {
      const Node &n = c.node(v.id);
      if (n.op != Op::Var) continue;
      from.push_back(c.z3->lower(c, v.id));
      to.push_back(z.bv_val(val & maskOf(n.width), n.width));
    }
    z3::expr e = c.z3->lower(c, t.id);
    return numberOf(e.substitute(from, to).simplify());
  } catch (const z3::exception &) {
    return std::nullopt;
  }
}

}  // namespace vcr::verifier::smt
