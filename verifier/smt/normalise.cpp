// Operator constructors of smt::Context with normalisation at construction:
// constant folding, neutral elements, operand ordering, extract/concat and
// select/store rules. Every rule is an SMT-LIB identity (tests hold the
// folding against Z3).
#include "verifier/smt/dag.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace vcr::verifier::smt {

namespace {

/// Rule helpers over the node table of one Context.
struct Norm {
  Context::Impl &c;

  const Node &n(uint32_t id) const { return c.node(id); }
  bool isConst(uint32_t id) const { return n(id).op == Op::Const; }
  bool isBool(uint32_t id) const { return n(id).sort == Sort::Bool; }
  bool isBv(uint32_t id) const { return n(id).sort == Sort::BV; }

  uint32_t constant(uint64_t v, unsigned w) {
    Node x;
    x.op = Op::Const;
    x.sort = Sort::BV;
    x.width = static_cast<uint8_t>(w);
    x.val = v & maskOf(w);
    return c.intern(x);
  }
  uint32_t boolean(bool b) const { return b ? c.trueId : c.falseId; }
  uint32_t make(Op op, Sort s, unsigned w, std::initializer_list<uint32_t> kids, uint64_t val = 0) {
    Node x;
    x.op = op;
    x.sort = s;
    x.width = static_cast<uint8_t>(w);
    for (uint32_t k : kids) x.kid[x.nkids++] = k;
    x.val = val;
    return c.intern(x);
  }
  [[noreturn]] void sortError(const char *what) const {
    throw std::logic_error(std::string("smt: ill-sorted operands of ") + what);
  }
  void needBv(uint32_t a, uint32_t b, const char *what) const {
    if (!isBv(a) || !isBv(b) || n(a).width != n(b).width) sortError(what);
  }

  /// Split a bit-vector term into base + constant offset (base 0: a constant).
  std::pair<uint32_t, uint64_t> baseOffset(uint32_t t) const {
    const Node &x = n(t);
    if (x.op == Op::Const) return {0, x.val};
    if (x.op == Op::Add && isConst(x.kid[1])) return {x.kid[0], n(x.kid[1]).val};
    return {t, 0};
  }
  /// Whether two index terms are provably different values.
  bool distinct(uint32_t i, uint32_t j) const {
    if (i == j) return false;
    auto [bi, oi] = baseOffset(i);
    auto [bj, oj] = baseOffset(j);
    return bi == bj && ((oi ^ oj) & maskOf(n(i).width)) != 0;
  }

  uint32_t bin(Op op, uint32_t a, uint32_t b);
  uint32_t lnot(uint32_t a);
  uint32_t cmp(Op op, uint32_t a, uint32_t b);
  uint32_t eq(uint32_t a, uint32_t b);
  uint32_t extract(uint32_t a, unsigned hi, unsigned lo, unsigned depth);
  uint32_t concat(uint32_t h, uint32_t l);
  uint32_t ite(uint32_t cnd, uint32_t a, uint32_t b);
  uint32_t land(uint32_t a, uint32_t b);
  uint32_t lor(uint32_t a, uint32_t b);
  uint32_t bnot(uint32_t a);
};

bool commutative(Op op) {
  return op == Op::Add || op == Op::Mul || op == Op::And || op == Op::Or || op == Op::Xor;
}

uint32_t Norm::bin(Op op, uint32_t a, uint32_t b) {
  needBv(a, b, "a bit-vector operator");
  const unsigned w = n(a).width;
  if (!c.normalise) return make(op, Sort::BV, w, {a, b});
  const uint64_t ones = maskOf(w);
  if (isConst(a) && isConst(b)) return constant(applyBin(op, w, n(a).val, n(b).val), w);
  if (commutative(op) && (isConst(a) || (!isConst(b) && a > b))) std::swap(a, b);
  const bool kb = isConst(b);
  const uint64_t vb = kb ? n(b).val : 0;
  switch (op) {
  case Op::Add:
    if (kb && vb == 0) return a;
    if (kb && n(a).op == Op::Add && isConst(n(a).kid[1]))  // (x + c1) + c2
      return bin(Op::Add, n(a).kid[0], constant(n(n(a).kid[1]).val + vb, w));
    break;
  case Op::Sub:
    if (a == b) return constant(0, w);
    if (kb) return bin(Op::Add, a, constant(0 - vb, w));
    break;
  case Op::Mul:
    if (kb && vb == 0) return b;
    if (kb && vb == 1) return a;
    break;
  case Op::And:
    if (a == b) return a;
    if (kb && vb == 0) return b;
    if (kb && vb == ones) return a;
    break;
  case Op::Or:
    if (a == b) return a;
    if (kb && vb == 0) return a;
    if (kb && vb == ones) return b;
    break;
  case Op::Xor:
    if (a == b) return constant(0, w);
    if (kb && vb == 0) return a;
    break;
  case Op::Shl: case Op::LShr:
    if (kb && vb == 0) return a;
    if (kb && vb >= w) return constant(0, w);
    if (isConst(a) && n(a).val == 0) return a;
    break;
  case Op::AShr:
    if (kb && vb == 0) return a;
    if (isConst(a) && n(a).val == 0) return a;
    break;
  case Op::UDiv: case Op::SDiv:
    if (kb && vb == 1) return a;
    break;
  case Op::URem: case Op::SRem:
    if (kb && vb == 1) return constant(0, w);
    break;
  default: throw std::logic_error("smt: not a binary bit-vector operator");
  }
  return make(op, Sort::BV, w, {a, b});
}

uint32_t Norm::bnot(uint32_t a) {
  if (!isBv(a)) sortError("bvnot");
  const Node x = n(a);
  if (!c.normalise) return make(Op::Not, Sort::BV, x.width, {a});
  if (x.op == Op::Const) return constant(~x.val, x.width);
  if (x.op == Op::Not) return x.kid[0];
  return make(Op::Not, Sort::BV, x.width, {a});
}

uint32_t Norm::cmp(Op op, uint32_t a, uint32_t b) {
  needBv(a, b, "a comparison");
  const unsigned w = n(a).width;
  if (!c.normalise) return make(op, Sort::Bool, 0, {a, b});
  if (isConst(a) && isConst(b)) return boolean(applyCmp(op, w, n(a).val, n(b).val));
  if (a == b) return boolean(op == Op::ULe || op == Op::SLe);
  if (op == Op::ULt && isConst(b) && n(b).val == 0) return boolean(false);
  if (op == Op::ULe && isConst(a) && n(a).val == 0) return boolean(true);
  if (op == Op::ULe && isConst(b) && n(b).val == maskOf(w)) return boolean(true);
  return make(op, Sort::Bool, 0, {a, b});
}

uint32_t Norm::eq(uint32_t a, uint32_t b) {
  const Node x = n(a), y = n(b);
  if (x.sort != y.sort || x.width != y.width) sortError("=");
  if (!c.normalise) return make(Op::Eq, Sort::Bool, 0, {a, b});
  if (a == b) return boolean(true);
  if (x.op == Op::Const && y.op == Op::Const) return boolean(x.val == y.val);
  if (x.sort == Sort::Bool) {
    if (x.op == Op::Const) return x.val ? b : lnot(b);
    if (y.op == Op::Const) return y.val ? a : lnot(a);
  }
  if (isConst(a) || (!isConst(b) && a > b)) std::swap(a, b);
  // (c ? k1 : k2) = k3 with constants: decided per arm
  const Node p = n(a);
  if (isConst(b) && p.op == Op::Ite && isConst(p.kid[1]) && isConst(p.kid[2]))
    return ite(p.kid[0], boolean(n(p.kid[1]).val == n(b).val), boolean(n(p.kid[2]).val == n(b).val));
  return make(Op::Eq, Sort::Bool, 0, {a, b});
}

uint32_t Norm::extract(uint32_t a, unsigned hi, unsigned lo, unsigned depth) {
  if (!isBv(a) || hi < lo || hi >= n(a).width) sortError("extract");
  const Node x = n(a);
  const unsigned w = hi - lo + 1;
  if (!c.normalise) return make(Op::Extract, Sort::BV, w, {a}, uint64_t(hi) << 8 | lo);
  if (lo == 0 && hi + 1 == x.width) return a;
  if (x.op == Op::Const) return constant(x.val >> lo, w);
  const uint64_t key = uint64_t(a) << 16 | hi << 8 | lo;
  if (auto it = c.extractMemo.find(key); it != c.extractMemo.end()) return it->second;
  uint32_t r = 0;
  switch (x.op) {
  case Op::Extract: r = extract(x.kid[0], lo + unsigned(x.val & 0xff) + (hi - lo), lo + unsigned(x.val & 0xff), depth); break;
  case Op::Concat: {
    const unsigned wl = n(x.kid[1]).width;
    if (hi < wl) r = extract(x.kid[1], hi, lo, depth);
    else if (lo >= wl) r = extract(x.kid[0], hi - wl, lo - wl, depth);
    else r = concat(extract(x.kid[0], hi - wl, 0, depth), extract(x.kid[1], wl - 1, lo, depth));
    break;
  }
  case Op::SExt:
    if (hi < n(x.kid[0]).width) r = extract(x.kid[0], hi, lo, depth);
    break;
  case Op::Add: case Op::Sub: case Op::Mul:  // low bits depend on low bits only
    if (lo == 0 && depth > 0)
      r = bin(x.op, extract(x.kid[0], hi, 0, depth - 1), extract(x.kid[1], hi, 0, depth - 1));
    break;
  case Op::And: case Op::Or: case Op::Xor:
    if (depth > 0)
      r = bin(x.op, extract(x.kid[0], hi, lo, depth - 1), extract(x.kid[1], hi, lo, depth - 1));
    break;
  case Op::Not:
    if (depth > 0) r = bnot(extract(x.kid[0], hi, lo, depth - 1));
    break;
  default: break;
  }
  if (r == 0) r = make(Op::Extract, Sort::BV, w, {a}, uint64_t(hi) << 8 | lo);
  c.extractMemo.emplace(key, r);
  return r;
}

uint32_t Norm::concat(uint32_t h, uint32_t l) {
  if (!isBv(h) || !isBv(l)) sortError("concat");
  const Node x = n(h), y = n(l);
  const unsigned w = x.width + y.width;
  if (w > 64) throw std::logic_error("smt: bit-vectors wider than 64 bits are not supported");
  if (!c.normalise) return make(Op::Concat, Sort::BV, w, {h, l});
  if (x.op == Op::Const && y.op == Op::Const) return constant(x.val << y.width | y.val, w);
  if (x.op == Op::Extract && y.op == Op::Extract && x.kid[0] == y.kid[0] &&
      (x.val & 0xff) == (y.val >> 8) + 1)  // extract(z,h,m) ++ extract(z,m-1,l)
    return extract(x.kid[0], unsigned(x.val >> 8), unsigned(y.val & 0xff), 64);
  return make(Op::Concat, Sort::BV, w, {h, l});
}

uint32_t Norm::ite(uint32_t cnd, uint32_t a, uint32_t b) {
  if (!isBool(cnd) || n(a).sort != n(b).sort || n(a).width != n(b).width) sortError("ite");
  if (!c.normalise) return make(Op::Ite, n(a).sort, n(a).width, {cnd, a, b});
  if (isConst(cnd)) return n(cnd).val ? a : b;
  if (a == b) return a;
  if (n(cnd).op == Op::LNot) return ite(n(cnd).kid[0], b, a);
  if (isBool(a) && isConst(a) && isConst(b)) return n(a).val ? cnd : lnot(cnd);
  return make(Op::Ite, n(a).sort, n(a).width, {cnd, a, b});
}

uint32_t Norm::lnot(uint32_t a) {
  if (!isBool(a)) sortError("not");
  if (!c.normalise) return make(Op::LNot, Sort::Bool, 0, {a});
  if (isConst(a)) return boolean(n(a).val == 0);
  if (n(a).op == Op::LNot) return n(a).kid[0];
  return make(Op::LNot, Sort::Bool, 0, {a});
}

uint32_t Norm::land(uint32_t a, uint32_t b) {
  if (!isBool(a) || !isBool(b)) sortError("and");
  if (!c.normalise) return make(Op::LAnd, Sort::Bool, 0, {a, b});
  if (isConst(a)) return n(a).val ? b : a;
  if (isConst(b)) return n(b).val ? a : b;
  if (a == b) return a;
  if ((n(a).op == Op::LNot && n(a).kid[0] == b) || (n(b).op == Op::LNot && n(b).kid[0] == a))
    return boolean(false);
  if (a > b) std::swap(a, b);
  return make(Op::LAnd, Sort::Bool, 0, {a, b});
}

uint32_t Norm::lor(uint32_t a, uint32_t b) {
  if (!isBool(a) || !isBool(b)) sortError("or");
  if (!c.normalise) return make(Op::LOr, Sort::Bool, 0, {a, b});
  if (isConst(a)) return n(a).val ? a : b;
  if (isConst(b)) return n(b).val ? b : a;
  if (a == b) return a;
  if ((n(a).op == Op::LNot && n(a).kid[0] == b) || (n(b).op == Op::LNot && n(b).kid[0] == a))
    return boolean(true);
  if (a > b) std::swap(a, b);
  return make(Op::LOr, Sort::Bool, 0, {a, b});
}

Op binOp(Context::BinOp op) {
  using B = Context::BinOp;
  switch (op) {
  case B::Add: return Op::Add;
  case B::Sub: return Op::Sub;
  case B::Mul: return Op::Mul;
  case B::And: return Op::And;
  case B::Or: return Op::Or;
  case B::Xor: return Op::Xor;
  case B::Shl: return Op::Shl;
  case B::LShr: return Op::LShr;
  case B::AShr: return Op::AShr;
  case B::UDiv: return Op::UDiv;
  case B::SDiv: return Op::SDiv;
  case B::URem: return Op::URem;
  case B::SRem: return Op::SRem;
  }
  throw std::logic_error("smt: unknown binary operator");
}

}  // namespace

Term Context::bin(BinOp op, Term a, Term b) { return Term{Norm{*impl_}.bin(binOp(op), a.id, b.id)}; }
Term Context::bnot(Term a) { return Term{Norm{*impl_}.bnot(a.id)}; }

Term Context::cmp(Pred p, Term a, Term b) {
  Norm m{*impl_};
  switch (p) {
  case Pred::Eq: m.needBv(a.id, b.id, "="); return Term{m.eq(a.id, b.id)};
  case Pred::Ne: m.needBv(a.id, b.id, "distinct"); return Term{m.lnot(m.eq(a.id, b.id))};
  case Pred::ULt: return Term{m.cmp(Op::ULt, a.id, b.id)};
  case Pred::ULe: return Term{m.cmp(Op::ULe, a.id, b.id)};
  case Pred::UGt: return Term{m.cmp(Op::ULt, b.id, a.id)};
  case Pred::UGe: return Term{m.cmp(Op::ULe, b.id, a.id)};
  case Pred::SLt: return Term{m.cmp(Op::SLt, a.id, b.id)};
  case Pred::SLe: return Term{m.cmp(Op::SLe, a.id, b.id)};
  case Pred::SGt: return Term{m.cmp(Op::SLt, b.id, a.id)};
  case Pred::SGe: return Term{m.cmp(Op::SLe, b.id, a.id)};
  }
  throw std::logic_error("smt: unknown predicate");
}

Term Context::extract(Term a, unsigned hi, unsigned lo) {
  return Term{Norm{*impl_}.extract(a.id, hi, lo, 64)};
}
Term Context::concat(Term hi, Term lo) { return Term{Norm{*impl_}.concat(hi.id, lo.id)}; }

Term Context::zext(Term a, unsigned extra) {
  Norm m{*impl_};
  if (!m.isBv(a.id)) m.sortError("zero_extend");
  if (extra == 0) return a;
  if (extra >= 64) throw std::logic_error("smt: bit-vectors wider than 64 bits are not supported");
  return Term{m.concat(m.constant(0, extra), a.id)};
}

Term Context::sext(Term a, unsigned extra) {
  Norm m{*impl_};
  if (!m.isBv(a.id)) m.sortError("sign_extend");
  if (extra == 0) return a;
  const Node x = m.n(a.id);
  const unsigned w = x.width + extra;
  if (w > 64) throw std::logic_error("smt: bit-vectors wider than 64 bits are not supported");
  if (!impl_->normalise) return Term{m.make(Op::SExt, Sort::BV, w, {a.id}, extra)};
  if (x.op == Op::Const) return Term{m.constant(uint64_t(signedOf(x.val, x.width)), w)};
  if (x.op == Op::SExt) return Term{m.make(Op::SExt, Sort::BV, w, {x.kid[0]}, x.val + extra)};
  return Term{m.make(Op::SExt, Sort::BV, w, {a.id}, extra)};
}

Term Context::ite(Term c, Term a, Term b) { return Term{Norm{*impl_}.ite(c.id, a.id, b.id)}; }
Term Context::land(Term a, Term b) { return Term{Norm{*impl_}.land(a.id, b.id)}; }
Term Context::lor(Term a, Term b) { return Term{Norm{*impl_}.lor(a.id, b.id)}; }
Term Context::lnot(Term a) { return Term{Norm{*impl_}.lnot(a.id)}; }
Term Context::eq(Term a, Term b) {
  if (a.id == b.id && impl_->normalise) {  // the common case of a correct allocation
    (void)impl_->node(a.id);
    return Term{impl_->trueId};
  }
  return Term{Norm{*impl_}.eq(a.id, b.id)};
}

Term Context::select(Term arr, Term idx) {
  Norm m{*impl_};
  const Sort s = m.n(arr.id).sort;
  if ((s != Sort::Mem && s != Sort::Glob) || !m.isBv(idx.id) || m.n(idx.id).width != 32)
    m.sortError("select");
  uint32_t a = arr.id;
  while (impl_->normalise && m.n(a).op == Op::Store) {  // read through stores to other indices
    const Node &st = m.n(a);
    if (st.kid[1] == idx.id) return Term{st.kid[2]};
    if (!m.distinct(idx.id, st.kid[1])) break;
    a = st.kid[0];
  }
  return Term{m.make(Op::Select, Sort::BV, s == Sort::Mem ? 8 : 32, {a, idx.id})};
}

Term Context::store(Term arr, Term idx, Term val) {
  Norm m{*impl_};
  const Sort s = m.n(arr.id).sort;
  if ((s != Sort::Mem && s != Sort::Glob) || !m.isBv(idx.id) || m.n(idx.id).width != 32 ||
      !m.isBv(val.id) || m.n(val.id).width != (s == Sort::Mem ? 8 : 32))
    m.sortError("store");
  uint32_t a = arr.id;
  if (!impl_->normalise) return Term{m.make(Op::Store, s, 0, {a, idx.id, val.id})};
  if (m.n(a).op == Op::Store && m.n(a).kid[1] == idx.id) a = m.n(a).kid[0];  // overwritten
  const Node &v = m.n(val.id);
  if (v.op == Op::Select && v.kid[0] == a && v.kid[1] == idx.id) return Term{a};  // a[i] := a[i]
  return Term{m.make(Op::Store, s, 0, {a, idx.id, val.id})};
}

}  // namespace vcr::verifier::smt
