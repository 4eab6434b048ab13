// Tests of the SMT layer: term building, simplify-first proving, models, SMT-LIB export.
#include "verifier/smt/smt.h"

#include <doctest/doctest.h>

using namespace vcr::verifier::smt;
using B = Context::BinOp;
using P = Context::Pred;

TEST_CASE("smt: identity is proved by simplification alone") {
  Context c;
  Solver s(c);
  Term x = c.var("x", 32);
  Term g = c.eq(c.bin(B::Add, x, c.bv(0, 32)), x);
  CheckResult r = s.check("id", g, 1000);
  CHECK(r.verdict == Verdict::Proved);
  CHECK(r.syntactic);
}

TEST_CASE("smt: a non-trivial identity needs the solver and is proved") {
  Context c;
  Solver s(c);
  Term x = c.var("x", 32), y = c.var("y", 32);
  // (x ^ y) + 2*(x & y) == x + y
  Term lhs = c.bin(B::Add, c.bin(B::Xor, x, y), c.bin(B::Mul, c.bv(2, 32), c.bin(B::And, x, y)));
  CheckResult r = s.check("xorand", c.eq(lhs, c.bin(B::Add, x, y)), 5000);
  CHECK(r.verdict == Verdict::Proved);
}

TEST_CASE("smt: a false goal is refuted with a model that violates it") {
  Context c;
  Solver s(c);
  Term x = c.var("x", 32);
  Term g = c.cmp(P::ULt, x, c.bin(B::Add, x, c.bv(1, 32)));  // fails at 0xffffffff
  CheckResult r = s.check("wrap", g, 1000);
  REQUIRE(r.verdict == Verdict::Refuted);
  REQUIRE(r.model.valid());
  CHECK(r.model.eval(x) == 0xffffffffu);
  CHECK(r.model.eval(g) == 0u);
}

TEST_CASE("smt: memory arrays: store then select reads back") {
  Context c;
  Solver s(c);
  Term m = c.memoryVar("mem");
  Term a = c.var("a", 32), v = c.var("v", 8);
  Term g = c.eq(c.select(c.store(m, a, v), a), v);
  CHECK(s.check("rw", g, 1000).verdict == Verdict::Proved);
  Term b = c.var("b", 32);
  Term g2 = c.eq(c.select(c.store(m, a, v), b), v);
  CHECK(s.check("rw2", g2, 1000).verdict == Verdict::Refuted);
}

TEST_CASE("smt: literals and widths") {
  Context c;
  Term t = c.simplify(c.bin(B::Add, c.bv(40, 32), c.bv(2, 32)));
  CHECK(c.bvLiteral(t) == 42u);
  CHECK(c.width(t) == 32);
  CHECK(c.width(c.zext(t, 32)) == 64);
  CHECK(c.boolLiteral(c.simplify(c.cmp(P::SLt, c.bv(0xffffffff, 32), c.bv(0, 32)))) == true);
  CHECK(c.boolLiteral(c.simplify(c.cmp(P::ULt, c.bv(0xffffffff, 32), c.bv(0, 32)))) == false);
}

TEST_CASE("smt: SMT-LIB export is self-contained") {
  Context c;
  Solver s(c);
  Term x = c.var("x", 32);
  std::string text = s.toSmtLib("q", c.eq(c.bin(B::Mul, x, c.bv(2, 32)), c.bin(B::Shl, x, c.bv(1, 32))));
  CHECK(text.find("(set-logic QF_ABV)") != std::string::npos);
  CHECK(text.find("declare-fun x") != std::string::npos);
  CHECK(text.find("(check-sat)") != std::string::npos);
  CHECK(text.find("assert") != std::string::npos);
}
