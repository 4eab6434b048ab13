// Concrete SMT-LIB semantics of the DAG's operators and the evaluator over it.
#include "verifier/smt/dag.h"

#include <unordered_map>

namespace vcr::verifier::smt {

int64_t signedOf(uint64_t v, unsigned w) {
  v &= maskOf(w);
  if (w < 64 && (v >> (w - 1)) & 1) v |= ~maskOf(w);
  return static_cast<int64_t>(v);
}

namespace {

uint64_t udiv(uint64_t a, uint64_t b, uint64_t m) { return b == 0 ? m : a / b; }
uint64_t urem(uint64_t a, uint64_t b) { return b == 0 ? a : a % b; }

}  // namespace

uint64_t applyBin(Op op, unsigned w, uint64_t a, uint64_t b) {
  const uint64_t m = maskOf(w);
  a &= m;
  b &= m;
  const bool sa = (a >> (w - 1)) & 1, sb = (b >> (w - 1)) & 1;
  auto neg = [&](uint64_t x) { return (0 - x) & m; };
  switch (op) {
  case Op::Add: return (a + b) & m;
  case Op::Sub: return (a - b) & m;
  case Op::Mul: return (a * b) & m;
  case Op::And: return a & b;
  case Op::Or: return a | b;
  case Op::Xor: return a ^ b;
  case Op::Shl: return b >= w ? 0 : (a << b) & m;
  case Op::LShr: return b >= w ? 0 : a >> b;
  case Op::AShr:
    if (b >= w) return sa ? m : 0;
    return static_cast<uint64_t>(signedOf(a, w) >> b) & m;
  case Op::UDiv: return udiv(a, b, m);
  case Op::URem: return urem(a, b);
  case Op::SDiv:  // SMT-LIB bvsdiv, by the signs of the operands
    if (!sa && !sb) return udiv(a, b, m);
    if (sa && !sb) return neg(udiv(neg(a), b, m));
    if (!sa && sb) return neg(udiv(a, neg(b), m));
    return udiv(neg(a), neg(b), m);
  case Op::SRem:  // SMT-LIB bvsrem: the sign follows the dividend
    if (!sa && !sb) return urem(a, b);
    if (sa && !sb) return neg(urem(neg(a), b));
    if (!sa && sb) return urem(a, neg(b));
    return neg(urem(neg(a), neg(b)));
  default: return 0;
  }
}

bool applyCmp(Op op, unsigned w, uint64_t a, uint64_t b) {
  a &= maskOf(w);
  b &= maskOf(w);
  switch (op) {
  case Op::Eq: return a == b;
  case Op::ULt: return a < b;
  case Op::ULe: return a <= b;
  case Op::SLt: return signedOf(a, w) < signedOf(b, w);
  case Op::SLe: return signedOf(a, w) <= signedOf(b, w);
  default: return false;
  }
}

Evaluator::Evaluator(const Context::Impl &c, ArrayRead read, ArrayAgree agree, const void *env)
    : c_(c), read_(read), agree_(agree), env_(env) {}

void Evaluator::reset() {
  if (++epoch_ == 0) {  // wrapped: clear the stamps
    std::fill(stamp_.begin(), stamp_.end(), 0);
    epoch_ = 1;
  }
}

void Evaluator::setVar(uint32_t id, uint64_t v) {
  if (vals_.size() < c_.nodes.size()) {
    vals_.resize(c_.nodes.size());
    stamp_.resize(c_.nodes.size(), 0);
  }
  vals_[id] = v & (c_.nodes[id].sort == Sort::BV ? maskOf(c_.nodes[id].width) : 1);
  stamp_[id] = epoch_;
}

void Evaluator::run(const std::vector<uint32_t> &order) {
  if (vals_.size() < c_.nodes.size()) {
    vals_.resize(c_.nodes.size());
    stamp_.resize(c_.nodes.size(), 0);
  }
  for (uint32_t id : order) {
    if (stamp_[id] == epoch_) continue;
    vals_[id] = compute(c_.nodes[id], id);
    stamp_[id] = epoch_;
  }
}

uint64_t Evaluator::value(uint32_t id) {
  run(topoOrder(c_, {id}));
  return vals_[id];
}

uint64_t Evaluator::compute(const Node &n, uint32_t id) {
  auto v = [&](unsigned k) { return vals_[n.kid[k]]; };
  const unsigned w = n.width;
  switch (n.op) {
  case Op::Const: return n.val;
  case Op::Var: case Op::ArrayVar: case Op::Store: return 0;  // unset variable: 0; arrays are lazy
  case Op::Add: case Op::Sub: case Op::Mul: case Op::And: case Op::Or: case Op::Xor:
  case Op::Shl: case Op::LShr: case Op::AShr: case Op::UDiv: case Op::SDiv: case Op::URem:
  case Op::SRem:
    return applyBin(n.op, w, v(0), v(1));
  case Op::Not: return ~v(0) & maskOf(w);
  case Op::Eq: {
    const Sort s = c_.nodes[n.kid[0]].sort;
    if (s == Sort::Mem || s == Sort::Glob) return arraysEqual(n.kid[0], n.kid[1]);
    return v(0) == v(1);
  }
  case Op::ULt: case Op::ULe: case Op::SLt: case Op::SLe:
    return applyCmp(n.op, c_.nodes[n.kid[0]].width, v(0), v(1));
  case Op::Extract: return (v(0) >> (n.val & 0xff)) & maskOf(w);
  case Op::Concat: return v(0) << c_.nodes[n.kid[1]].width | v(1);
  case Op::SExt: return static_cast<uint64_t>(signedOf(v(0), c_.nodes[n.kid[0]].width)) & maskOf(w);
  case Op::Ite:
    if (n.sort == Sort::Mem || n.sort == Sort::Glob) return 0;
    return v(0) ? v(1) : v(2);
  case Op::LAnd: return v(0) && v(1);
  case Op::LOr: return v(0) || v(1);
  case Op::LNot: return !v(0);
  case Op::Select: return readArray(n.kid[0], v(1));
  }
  (void)id;
  return 0;
}

uint64_t Evaluator::readArray(uint32_t arr, uint64_t idx) {
  for (;;) {
    const Node &n = c_.nodes[arr];
    if (n.op == Op::Store) {
      if (vals_[n.kid[1]] == idx) return vals_[n.kid[2]];
      arr = n.kid[0];
    } else if (n.op == Op::Ite) {
      arr = vals_[n.kid[0]] ? n.kid[1] : n.kid[2];
    } else {
      return read_(env_, arr, idx) & (n.sort == Sort::Mem ? 0xff : 0xffffffffu);
    }
  }
}

bool Evaluator::arraysEqual(uint32_t a, uint32_t b) {
  // Each side: the latest write per index, then the array variable below.
  auto walk = [&](uint32_t arr, std::unordered_map<uint64_t, uint64_t> &writes) {
    for (;;) {
      const Node &n = c_.nodes[arr];
      if (n.op == Op::Store) {
        writes.try_emplace(vals_[n.kid[1]], vals_[n.kid[2]]);
        arr = n.kid[0];
      } else if (n.op == Op::Ite) {
        arr = vals_[n.kid[0]] ? n.kid[1] : n.kid[2];
      } else {
        return arr;
      }
    }
  };
  std::unordered_map<uint64_t, uint64_t> wa, wb;
  const uint32_t ba = walk(a, wa), bb = walk(b, wb);
  const uint64_t elem = c_.nodes[ba].sort == Sort::Mem ? 0xff : 0xffffffffu;
  std::vector<uint64_t> keys;
  auto at = [&](uint32_t base, const std::unordered_map<uint64_t, uint64_t> &w, uint64_t k) {
    auto it = w.find(k);
    return it != w.end() ? it->second : read_(env_, base, k) & elem;
  };
  for (const auto *w : {&wa, &wb})
    for (const auto &[k, val] : *w) {
      (void)val;
      if (at(ba, wa, k) != at(bb, wb, k)) return false;
      keys.push_back(k);
    }
  return ba == bb || agree_(env_, ba, bb, keys);
}

}  // namespace vcr::verifier::smt
