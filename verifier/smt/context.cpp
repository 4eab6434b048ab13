// Term construction over Z3: the Context that owns every expression.
#include "verifier/smt/impl.h"

#include <unordered_set>

namespace vcr::verifier::smt {

Context::Context() : impl_(std::make_unique<Impl>()) {}
Context::~Context() = default;

Term Context::bv(uint64_t value, unsigned bits) {
  auto &z = impl_->z;
  if (bits < 64) value &= (uint64_t(1) << bits) - 1;
  return impl_->add(z.bv_val(static_cast<uint64_t>(value), bits));
}

Term Context::var(const std::string &name, unsigned bits) {
  return impl_->add(impl_->z.bv_const(name.c_str(), bits));
}

Term Context::boolean(bool b) { return impl_->add(impl_->z.bool_val(b)); }

Term Context::memoryVar(const std::string &name) {
  auto &z = impl_->z;
  return impl_->add(z.constant(name.c_str(), z.array_sort(z.bv_sort(32), z.bv_sort(8))));
}

Term Context::globalsVar(const std::string &name) {
  auto &z = impl_->z;
  return impl_->add(z.constant(name.c_str(), z.array_sort(z.bv_sort(32), z.bv_sort(32))));
}

Term Context::bin(BinOp op, Term ta, Term tb) {
  const z3::expr &a = impl_->get(ta), &b = impl_->get(tb);
  switch (op) {
  case BinOp::Add: return impl_->add(a + b);
  case BinOp::Sub: return impl_->add(a - b);
  case BinOp::Mul: return impl_->add(a * b);
  case BinOp::And: return impl_->add(a & b);
  case BinOp::Or: return impl_->add(a | b);
  case BinOp::Xor: return impl_->add(a ^ b);
  case BinOp::Shl: return impl_->add(z3::shl(a, b));
  case BinOp::LShr: return impl_->add(z3::lshr(a, b));
  case BinOp::AShr: return impl_->add(z3::ashr(a, b));
  case BinOp::UDiv: return impl_->add(z3::udiv(a, b));
  case BinOp::SDiv: return impl_->add(a / b);
  case BinOp::URem: return impl_->add(z3::urem(a, b));
  case BinOp::SRem: return impl_->add(z3::srem(a, b));
  }
  return {};
}

Term Context::bnot(Term a) { return impl_->add(~impl_->get(a)); }

Term Context::cmp(Pred p, Term ta, Term tb) {
  const z3::expr &a = impl_->get(ta), &b = impl_->get(tb);
  switch (p) {
  case Pred::Eq: return impl_->add(a == b);
  case Pred::Ne: return impl_->add(a != b);
  case Pred::ULt: return impl_->add(z3::ult(a, b));
  case Pred::ULe: return impl_->add(z3::ule(a, b));
  case Pred::UGt: return impl_->add(z3::ugt(a, b));
  case Pred::UGe: return impl_->add(z3::uge(a, b));
  case Pred::SLt: return impl_->add(z3::slt(a, b));
  case Pred::SLe: return impl_->add(z3::sle(a, b));
  case Pred::SGt: return impl_->add(z3::sgt(a, b));
  case Pred::SGe: return impl_->add(z3::sge(a, b));
  }
  return {};
}

Term Context::extract(Term a, unsigned hi, unsigned lo) {
  return impl_->add(impl_->get(a).extract(hi, lo));
}

Term Context::concat(Term hi, Term lo) {
  return impl_->add(z3::concat(impl_->get(hi), impl_->get(lo)));
}

Term Context::zext(Term a, unsigned extra) {
  if (extra == 0) return a;
  return impl_->add(z3::zext(impl_->get(a), extra));
}

Term Context::sext(Term a, unsigned extra) {
  if (extra == 0) return a;
  return impl_->add(z3::sext(impl_->get(a), extra));
}

Term Context::ite(Term c, Term a, Term b) {
  return impl_->add(z3::ite(impl_->get(c), impl_->get(a), impl_->get(b)));
}

Term Context::land(Term a, Term b) { return impl_->add(impl_->get(a) && impl_->get(b)); }
Term Context::lor(Term a, Term b) { return impl_->add(impl_->get(a) || impl_->get(b)); }
Term Context::lnot(Term a) { return impl_->add(!impl_->get(a)); }
Term Context::eq(Term a, Term b) { return impl_->add(impl_->get(a) == impl_->get(b)); }

Term Context::select(Term arr, Term idx) {
  return impl_->add(z3::select(impl_->get(arr), impl_->get(idx)));
}

Term Context::store(Term arr, Term idx, Term val) {
  return impl_->add(z3::store(impl_->get(arr), impl_->get(idx), impl_->get(val)));
}

unsigned Context::width(Term a) const {
  const z3::expr &e = impl_->get(a);
  return e.is_bv() ? e.get_sort().bv_size() : 0;
}

Term Context::simplify(Term a) { return impl_->add(impl_->get(a).simplify()); }

std::optional<bool> Context::boolLiteral(Term a) const {
  const z3::expr &e = impl_->get(a);
  if (e.is_true()) return true;
  if (e.is_false()) return false;
  return std::nullopt;
}

std::optional<uint64_t> Context::bvLiteral(Term a) const {
  const z3::expr &e = impl_->get(a);
  uint64_t v = 0;
  if (e.is_numeral() && e.is_bv() && e.is_numeral_u64(v)) return v;
  return std::nullopt;
}

bool Context::same(Term a, Term b) const {
  return z3::eq(impl_->get(a), impl_->get(b));
}

std::string Context::str(Term a) const { return impl_->get(a).to_string(); }

std::vector<std::string> Context::variablesOf(Term a) const {
  std::vector<std::string> names;
  std::unordered_set<unsigned> seen;
  std::vector<z3::expr> work{impl_->get(a)};
  while (!work.empty()) {
    z3::expr e = work.back();
    work.pop_back();
    if (!seen.insert(e.id()).second) continue;
    if (e.is_const() && e.decl().decl_kind() == Z3_OP_UNINTERPRETED) {
      names.push_back(e.decl().name().str());
      continue;
    }
    if (e.is_app())
      for (unsigned k = 0; k < e.num_args(); ++k) work.push_back(e.arg(k));
  }
  return names;
}

size_t Context::size() const { return impl_->terms.size() - 1; }

}  // namespace vcr::verifier::smt
