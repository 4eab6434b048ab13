// Tests of the smt layer's own term DAG: hash-consing, constant folding and
// normalisation held against Z3 (built unnormalised in a raw Context), the
// select/store rules, and random testing's counterexamples.
#include "verifier/semantics.h"
#include "verifier/smt/smt.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using namespace vcr::verifier;
using namespace vcr::verifier::smt;
using B = Context::BinOp;
using P = Context::Pred;

namespace {

const B kBinOps[] = {B::Add, B::Sub, B::Mul, B::And, B::Or, B::Xor, B::Shl,
                     B::LShr, B::AShr, B::UDiv, B::SDiv, B::URem, B::SRem};
const P kPreds[] = {P::Eq, P::Ne, P::ULt, P::ULe, P::UGt, P::UGe, P::SLt, P::SLe, P::SGt, P::SGe};
const unsigned kWidths[] = {1, 3, 8, 16, 31, 32, 33, 63, 64};

uint64_t mask(unsigned w) { return w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1; }

/// Random values biased towards the edge cases of each width.
uint64_t edgy(std::mt19937_64 &rng, unsigned w) {
  switch (rng() % 8) {
  case 0: return 0;
  case 1: return 1;
  case 2: return mask(w);
  case 3: return uint64_t(1) << (w - 1);
  case 4: return mask(w) >> 1;
  case 5: return rng() % 70;
  default: return rng() & mask(w);
  }
}

/// Builds the same random expression in any Context: the sequence of
/// construction calls depends only on the seed, never on the terms built.
struct TermGen {
  std::mt19937_64 rng;
  bool arrays;

  Term leaf(Context &c, unsigned w) {
    const bool named = std::find(std::begin(kWidths), std::end(kWidths), w) != std::end(kWidths);
    if (rng() % 3 == 0 || !named) return c.bv(edgy(rng, w), w);  // Values names these widths
    return c.var("x" + std::to_string(w) + "_" + std::to_string(rng() % 3), w);
  }
  Term boolean(Context &c, unsigned depth) {
    switch (depth == 0 ? 0 : rng() % 5) {
    case 0: {
      const unsigned w = kWidths[rng() % std::size(kWidths)];
      return c.cmp(kPreds[rng() % std::size(kPreds)], bv(c, w, depth ? depth - 1 : 0),
                   bv(c, w, depth ? depth - 1 : 0));
    }
    case 1: return c.land(boolean(c, depth - 1), boolean(c, depth - 1));
    case 2: return c.lor(boolean(c, depth - 1), boolean(c, depth - 1));
    case 3: return c.lnot(boolean(c, depth - 1));
    default: return c.eq(boolean(c, depth - 1), boolean(c, depth - 1));
    }
  }
  Term memory(Context &c, unsigned depth) {
    if (depth == 0 || rng() % 3 == 0) return c.memoryVar("mem");
    Term base = memory(c, depth - 1);
    Term idx = rng() % 2 ? c.bin(B::Add, c.var("p", 32), c.bv(rng() % 6, 32)) : bv(c, 32, depth - 1);
    return c.store(base, idx, bv(c, 8, depth - 1));
  }
  Term bv(Context &c, unsigned w, unsigned depth) {
    if (depth == 0 || rng() % 5 == 0) return leaf(c, w);
    switch (rng() % 9) {
    case 0: case 1: case 2:
      return c.bin(kBinOps[rng() % std::size(kBinOps)], bv(c, w, depth - 1), bv(c, w, depth - 1));
    case 3: return c.bnot(bv(c, w, depth - 1));
    case 4: {
      const unsigned wide = w + unsigned(rng() % (65 - w)), lo = unsigned(rng() % (wide - w + 1));
      return c.extract(bv(c, wide, depth - 1), lo + w - 1, lo);
    }
    case 5:
      if (w < 2) return leaf(c, w);
      else {
        const unsigned hi = 1 + unsigned(rng() % (w - 1));
        return c.concat(bv(c, hi, depth - 1), bv(c, w - hi, depth - 1));
      }
    case 6:
      if (w < 2) return leaf(c, w);
      else {
        const unsigned inner = 1 + unsigned(rng() % (w - 1));
        return rng() % 2 ? c.zext(bv(c, inner, depth - 1), w - inner)
                         : c.sext(bv(c, inner, depth - 1), w - inner);
      }
    case 7: return c.ite(boolean(c, depth - 1), bv(c, w, depth - 1), bv(c, w, depth - 1));
    default:
      if (!arrays || w != 8) return leaf(c, w);
      {
        Term m = memory(c, depth - 1);
        Term idx = rng() % 2 ? c.bin(B::Add, c.var("p", 32), c.bv(rng() % 6, 32)) : bv(c, 32, depth - 1);
        return c.select(m, idx);
      }
    }
  }
};

/// The same values for the variables of every context (by name).
struct Values {
  std::mt19937_64 rng;
  std::vector<std::pair<Term, uint64_t>> of(Context &c) {
    std::vector<std::pair<Term, uint64_t>> out;
    std::mt19937_64 r = rng;
    for (unsigned w : kWidths)
      for (unsigned k = 0; k < 3; ++k) out.push_back({c.var("x" + std::to_string(w) + "_" + std::to_string(k), w), edgy(r, w)});
    out.push_back({c.var("p", 32), edgy(r, 32)});
    return out;
  }
};

}  // namespace

TEST_CASE("dag: hash-consing gives one handle per expression") {
  Context c;
  Term x = c.var("x", 32), y = c.var("y", 32);
  CHECK(c.var("x", 32) == x);
  CHECK(x != y);
  Term a = c.bin(B::Mul, c.bin(B::Add, x, y), c.bv(7, 32));
  const size_t n = c.size();
  Term b = c.bin(B::Mul, c.bv(7, 32), c.bin(B::Add, y, x));  // commuted operands
  CHECK(a == b);
  CHECK(c.same(a, b));
  CHECK(c.size() == n);  // nothing new was built
  CHECK(c.bin(B::Sub, x, y) != c.bin(B::Sub, y, x));
  CHECK(c.boolLiteral(c.eq(a, b)) == true);
  CHECK(c.eq(x, y) == c.eq(y, x));
  CHECK(c.simplify(a) == a);
  // neutral elements and self-cancellation
  CHECK(c.bin(B::Add, x, c.bv(0, 32)) == x);
  CHECK(c.bin(B::Mul, x, c.bv(1, 32)) == x);
  CHECK(c.bin(B::And, x, x) == x);
  CHECK(c.bvLiteral(c.bin(B::Xor, x, x)) == 0u);
  CHECK(c.bin(B::Add, c.bin(B::Add, x, c.bv(3, 32)), c.bv(5, 32)) == c.bin(B::Add, x, c.bv(8, 32)));
  CHECK(c.ite(c.boolean(true), x, y) == x);
  CHECK(c.ite(c.cmp(P::ULt, x, y), y, y) == y);
  // extract/concat
  Term w = c.var("w", 64);
  CHECK(c.concat(c.extract(w, 63, 32), c.extract(w, 31, 0)) == w);
  CHECK(c.extract(c.concat(x, y), 31, 0) == y);
  CHECK(c.extract(c.concat(x, y), 63, 32) == x);
  CHECK(c.extract(c.zext(x, 32), 31, 0) == x);
  CHECK(c.bvLiteral(c.extract(c.zext(x, 32), 63, 32)) == 0u);
  CHECK(c.variablesOf(c.bin(B::Add, x, c.bin(B::Mul, x, y))).size() == 2);
  CHECK_THROWS_AS((void)c.bin(B::Add, x, w), std::logic_error);
}

TEST_CASE("dag: constant folding of every operator agrees with Z3") {
  std::mt19937_64 rng(11);
  Context c, raw(false);
  unsigned checked = 0;
  for (unsigned trial = 0; trial < 40; ++trial)
    for (unsigned w : kWidths) {
      const uint64_t a = edgy(rng, w), b = edgy(rng, w);
      Term xa = raw.var("a" + std::to_string(w), w), xb = raw.var("b" + std::to_string(w), w);
      const std::vector<std::pair<Term, uint64_t>> at = {{xa, a}, {xb, b}};
      Term ka = c.bv(a, w), kb = c.bv(b, w);
      CAPTURE(w);
      CAPTURE(a);
      CAPTURE(b);
      for (B op : kBinOps) {
        CAPTURE(int(op));
        const auto mine = c.bvLiteral(c.bin(op, ka, kb));
        REQUIRE(mine.has_value());
        CHECK(*mine == raw.z3Value(raw.bin(op, xa, xb), at));
        ++checked;
      }
      for (P p : kPreds) {
        CAPTURE(int(p));
        const auto mine = c.boolLiteral(c.cmp(p, ka, kb));
        REQUIRE(mine.has_value());
        CHECK(uint64_t(*mine) == raw.z3Value(raw.cmp(p, xa, xb), at));
        ++checked;
      }
      CHECK(c.bvLiteral(c.bnot(ka)) == raw.z3Value(raw.bnot(xa), at));
      const unsigned lo = unsigned(rng() % w), hi = lo + unsigned(rng() % (w - lo));
      CHECK(c.bvLiteral(c.extract(ka, hi, lo)) == raw.z3Value(raw.extract(xa, hi, lo), at));
      if (w < 64) {
        const unsigned extra = 1 + unsigned(rng() % (64 - w));
        CHECK(c.bvLiteral(c.zext(ka, extra)) == raw.z3Value(raw.zext(xa, extra), at));
        CHECK(c.bvLiteral(c.sext(ka, extra)) == raw.z3Value(raw.sext(xa, extra), at));
      }
      if (2 * w <= 64) CHECK(c.bvLiteral(c.concat(ka, kb)) == raw.z3Value(raw.concat(xa, xb), at));
      Term cond = raw.cmp(P::ULt, xa, xb);
      CHECK(c.bvLiteral(c.ite(c.cmp(P::ULt, ka, kb), ka, kb)) == raw.z3Value(raw.ite(cond, xa, xb), at));
      Term c2 = raw.cmp(P::SLe, xb, xa);
      const bool l1 = *c.boolLiteral(c.cmp(P::ULt, ka, kb)), l2 = *c.boolLiteral(c.cmp(P::SLe, kb, ka));
      CHECK(c.boolLiteral(c.land(c.boolean(l1), c.boolean(l2))) == bool(*raw.z3Value(raw.land(cond, c2), at)));
      CHECK(c.boolLiteral(c.lor(c.boolean(l1), c.boolean(l2))) == bool(*raw.z3Value(raw.lor(cond, c2), at)));
      CHECK(c.boolLiteral(c.lnot(c.boolean(l1))) == bool(*raw.z3Value(raw.lnot(cond), at)));
      CHECK(c.boolLiteral(c.eq(c.boolean(l1), c.boolean(l2))) == bool(*raw.z3Value(raw.eq(cond, c2), at)));
    }
  CHECK(checked == 40 * std::size(kWidths) * (std::size(kBinOps) + std::size(kPreds)));
}

TEST_CASE("dag: normalised random terms evaluate as Z3 evaluates them unnormalised") {
  unsigned compared = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    Context c, raw(false);
    const unsigned w = kWidths[seed % std::size(kWidths)];
    TermGen g1{std::mt19937_64(seed), false}, g2{std::mt19937_64(seed), false};
    Term t = g1.bv(c, w, 4), r = g2.bv(raw, w, 4);
    for (uint64_t k = 0; k < 4; ++k) {
      Values vals{std::mt19937_64(seed * 100 + k)};
      const auto want = raw.z3Value(r, vals.of(raw));
      REQUIRE(want.has_value());
      CAPTURE(seed);
      CAPTURE(raw.str(r));
      CAPTURE(c.str(t));
      CHECK(Model::of(c, vals.of(c)).eval(t) == want);
      CHECK(Model::of(raw, vals.of(raw)).eval(r) == want);  // the evaluator without normalisation
      ++compared;
    }
  }
  CHECK(compared == 1200);
}

TEST_CASE("dag: select/store normalisation preserves the value of memory reads") {
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    Context c, raw(false);
    TermGen g1{std::mt19937_64(seed), true}, g2{std::mt19937_64(seed), true};
    Term t = g1.bv(c, 8, 5), r = g2.bv(raw, 8, 5);
    for (uint64_t k = 0; k < 3; ++k) {
      Values vals{std::mt19937_64(seed * 100 + k)};
      CAPTURE(seed);
      CAPTURE(raw.str(r));
      const auto mine = Model::of(c, vals.of(c), k).eval(t);
      CHECK(mine == Model::of(raw, vals.of(raw), k).eval(r));
      if (auto z = raw.z3Value(r, vals.of(raw))) CHECK(mine == z);  // when Z3 reduces it
    }
  }
}

TEST_CASE("dag: select through stores to provably different addresses") {
  Context c;
  Term m = c.memoryVar("mem"), p = c.var("p", 32), q = c.var("q", 32), v = c.var("v", 8);
  auto at = [&](Term base, uint64_t k) { return c.bin(B::Add, base, c.bv(k, 32)); };
  Term s = c.store(m, at(p, 1), v);
  CHECK(c.select(s, at(p, 1)) == v);
  CHECK(c.select(s, at(p, 2)) == c.select(m, at(p, 2)));  // p+1 != p+2
  CHECK(c.select(s, p) == c.select(m, p));
  CHECK(c.select(s, q) != c.select(m, q));  // q may equal p+1
  CHECK(c.select(c.store(m, c.bv(4, 32), v), c.bv(5, 32)) == c.select(m, c.bv(5, 32)));
  CHECK(c.store(s, at(p, 1), c.bv(9, 8)) == c.store(m, at(p, 1), c.bv(9, 8)));  // overwritten
  CHECK(c.store(m, p, c.select(m, p)) == m);
  // a 32-bit store then a load of the next word reads the old memory
  Term after = storeBytes(c, m, p, c.var("w", 32), 4);
  CHECK(loadBytes(c, after, at(p, 4), 4) == loadBytes(c, m, at(p, 4), 4));
  CHECK(loadBytes(c, after, p, 4) == c.var("w", 32));
  // the same through effective addresses (zero-extended address plus offset)
  Term ea = effectiveAddress(c, p, 8);
  Term st = storeBytes(c, m, c.extract(ea, 31, 0), c.var("w", 32), 4);
  CHECK(loadValue(c, st, effectiveAddress(c, p, 12), vcr::mir::Width::W32) ==
        loadValue(c, m, effectiveAddress(c, p, 12), vcr::mir::Width::W32));
}

TEST_CASE("dag: random testing refutes a wrong goal with an exact counterexample") {
  Context c;
  Solver s(c);
  Term x = c.var("x", 32), y = c.var("y", 32);
  // (x + y) >> 1 == (x >> 1) + (y >> 1): wrong when both are odd
  Term g = c.eq(c.bin(B::LShr, c.bin(B::Add, x, y), c.bv(1, 32)),
                c.bin(B::Add, c.bin(B::LShr, x, c.bv(1, 32)), c.bin(B::LShr, y, c.bv(1, 32))));
  CheckResult r = s.check("avg", g, 1000);
  REQUIRE(r.verdict == Verdict::Refuted);
  CHECK(r.method == "testing");
  REQUIRE(r.model.valid());
  CHECK(r.model.eval(g) == 0u);
  const auto vx = r.model.eval(x), vy = r.model.eval(y);
  REQUIRE((vx && vy));
  CHECK(c.z3Value(g, {{x, *vx}, {y, *vy}}) == 0u);  // Z3 agrees it is a counterexample
  // memory: two reads at unrelated addresses are not equal in general
  Term m = c.memoryVar("mem");
  CheckResult rm = s.check("mem", c.eq(c.select(m, x), c.select(m, y)), 1000);
  REQUIRE(rm.verdict == Verdict::Refuted);
  CHECK(rm.model.eval(c.eq(c.select(m, x), c.select(m, y))) == 0u);
  // a needle random values miss: Z3 finds it, and the model still evaluates
  Term needle = c.cmp(P::Ne, c.bin(B::Xor, x, c.bv(0x5a5a1234, 32)), c.bv(0x0f0f0f0f, 32));
  CheckResult rz = s.check("needle", needle, 5000);
  REQUIRE(rz.verdict == Verdict::Refuted);
  CHECK(rz.method == "z3");
  CHECK(rz.model.eval(needle) == 0u);
  CHECK(rz.model.eval(x) == (0x5a5a1234u ^ 0x0f0f0f0fu));
  // a literal-false goal is refuted without search
  CheckResult rf = s.check("false", c.cmp(P::ULt, x, c.bv(0, 32)), 1000);
  CHECK(rf.verdict == Verdict::Refuted);
  CHECK(rf.syntactic);
  REQUIRE(rf.model.valid());
  CHECK(rf.model.eval(x) == 0u);
}

TEST_CASE("dag: SMT-LIB export shares subterms instead of expanding them") {
  Context c;
  Solver s(c);
  Term t = c.var("x", 32);
  for (int k = 0; k < 60; ++k) t = c.bin(B::Mul, t, c.bin(B::Add, t, c.bv(1, 32)));  // 2^60 as a tree
  const std::string text = s.toSmtLib("deep", c.eq(t, c.var("y", 32)));
  CHECK(text.size() < 20000);
  CHECK(text.find("define-fun") != std::string::npos);
  CHECK(text.find("(declare-fun x () (_ BitVec 32))") != std::string::npos);
  CHECK(text.find("(declare-fun |[entry-8]@bb1|") == std::string::npos);
  Term odd = c.var("[entry-8]@bb1", 32);
  CHECK(s.toSmtLib("odd", c.eq(odd, c.bin(B::Add, odd, c.bv(1, 32)))).find("|[entry-8]@bb1|") !=
        std::string::npos);
}
