// --smt exports (terms as stated, not normalised) run through the z3 and cvc5 command-line tools.
#include "check_util.h"
#include "smtlib_run.h"

#include "verifier/smt/smt.h"
#include "verifier/smt_export.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace vcr;
using namespace vcr::verifier;
using namespace vcr::verifier::test;
namespace fs = std::filesystem;

namespace {


/// Both solvers' answers must be `want[k]` for files[k]; true if they are.
bool requireAnswers(const std::vector<std::string> &files, const std::vector<std::string> &want,
                    const fs::path &dir) {
  bool ok = true;
  for (const char *solver : {"z3", "cvc5"}) {
    double secs = 0;
    std::vector<std::string> got = solveAll(solver, files, dir, 30000, secs);
    MESSAGE(std::string(solver) << ": " << files.size() << " queries in " << secs << " s");
    for (size_t k = 0; k < files.size(); ++k) {
      CHECK_MESSAGE(got[k] == want[k], std::string(solver) << " answers " << got[k] << ", expected " << want[k]
                                              << ", on " << files[k]);
      ok = ok && got[k] == want[k];
    }
  }
  if (!ok) MESSAGE("the exported files are kept in " << dir);
  return ok;
}

}  // namespace

TEST_CASE("smt export of hand-made allocations: unsat where proved and sat where refuted, under z3 and cvc5") {
  if (!solversPresent()) return;
  const fs::path dir = scratch("smt_basic");
  mir::Module orig = loadData("basic.vreg.mir"), alloc = loadData("basic.alloc.mir");
  // a wrong allocation: wide's result moves read r3 for r2, so the SMT layer refutes ret
  for (auto &i : fnOf(alloc, "wide").blocks[0].instrs)
    if (i.op == mir::Opcode::Mov && i.uses[0].value == 2) i.uses[0] = mir::Operand::preg(mir::PReg::R3);
  // two correct ones only the normaliser proves: commutative operands swapped
  // (`add r2, r3, r2` in loop's body, `add r0, r1, r0` and `mul r1, r1, r2` in spill)
  unsigned swapped = 0;
  for (const char *fn : {"loop", "spill"})
    for (auto &blk : fnOf(alloc, fn).blocks)
      for (auto &i : blk.instrs)
        if ((i.op == mir::Opcode::Add && i.uses[1].isPReg()) || i.op == mir::Opcode::Mul) {
          std::swap(i.uses[0], i.uses[1]);
          ++swapped;
        }
  REQUIRE(swapped == 3);
  std::map<std::string, Obligation> verdict;
  for (const char *fn : {"loop", "calls", "spill", "wide", "twoslots"}) {
    CheckOptions opt;
    opt.smtDir = (dir / fn).string();
    CheckResult r = checkFunction(fnOf(orig, fn), fnOf(alloc, fn), orig, opt);
    for (const auto &o : r.obligations) verdict[o.id] = o;
  }
  const std::vector<Exported> ex = readManifests(dir);
  std::vector<std::string> files, want;
  unsigned refuted = 0, differing = 0, onDisk = 0;
  for (const auto &e : ex) {
    CAPTURE(e.path);
    REQUIRE(verdict.count(e.id));
    CHECK(e.verdict == statusName(verdict[e.id].status));  // the manifest says what the checker said
    CHECK(e.method == verdict[e.id].method);
    const std::string text = slurp(e.path);
    CHECK(text.find("(assert (not true))") == std::string::npos);
    CHECK(text.find("(set-logic QF_ABV)") != std::string::npos);
    if (e.verdict == "unknown") continue;
    files.push_back(e.path);
    want.push_back(e.verdict == "proved" ? "unsat" : "sat");
    refuted += e.verdict == "refuted";
    differing += e.differing > 0;
  }
  for (const auto &d : fs::recursive_directory_iterator(dir)) onDisk += d.path().extension() == ".smt2";
  CHECK(onDisk == ex.size());  // one manifest line per file
  CHECK(files.size() >= 15);
  CHECK(refuted >= 1);
  CHECK(differing >= 3);  // obligations with a goal whose two sides are different terms
  CHECK(verdict["wide.bb0.ret"].status == Status::Refuted);
  CHECK(verdict["wide.bb0.ret"].method != "syntactic");
  CHECK(verdict["loop.bb2.exit"].status == Status::Proved);
  if (requireAnswers(files, want, dir)) fs::remove_all(dir);
}

TEST_CASE("smt export prints every operator with the semantics the normaliser folds by") {
  if (!solversPresent()) return;
  const fs::path dir = scratch("smt_ops");
  using B = smt::Context::BinOp;
  using P = smt::Context::Pred;
  smt::Context raw(false), norm;
  std::vector<std::string> files, want;
  // goal: the raw term equals the normalising context's folded constant
  auto write = [&](const std::string &name, smt::Term goal, bool holds) {
    const std::string path = (dir / (name + ".smt2")).string();
    std::ofstream(path) << smt::Solver(raw).toSmtLib(name, goal);
    files.push_back(path);
    want.push_back(holds ? "unsat" : "sat");
  };
  const uint64_t vals[] = {0, 1, 2, 7, 31, 32, 33, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xfffffffe,
                           0xffffffff, 0x123456789abcdef0ull};
  for (B op : {B::Add, B::Sub, B::Mul, B::And, B::Or, B::Xor, B::Shl, B::LShr, B::AShr, B::UDiv,
               B::SDiv, B::URem, B::SRem}) {
    for (unsigned w : {8u, 32u, 64u}) {
      smt::Term all = raw.boolean(true);
      for (uint64_t a : vals)
        for (uint64_t b : vals) {
          auto k = norm.bvLiteral(norm.bin(op, norm.bv(a, w), norm.bv(b, w)));
          REQUIRE(k);
          all = raw.land(all, raw.eq(raw.bin(op, raw.bv(a, w), raw.bv(b, w)), raw.bv(*k, w)));
        }
      write("bin" + std::to_string(int(op)) + "_w" + std::to_string(w), all, true);
    }
  }
  smt::Term preds = raw.boolean(true);
  for (P p : {P::Eq, P::Ne, P::ULt, P::ULe, P::UGt, P::UGe, P::SLt, P::SLe, P::SGt, P::SGe})
    for (uint64_t a : vals)
      for (uint64_t b : vals) {
        auto k = norm.boolLiteral(norm.cmp(p, norm.bv(a, 32), norm.bv(b, 32)));
        REQUIRE(k);
        preds = raw.land(preds, raw.eq(raw.cmp(p, raw.bv(a, 32), raw.bv(b, 32)), raw.boolean(*k)));
      }
  write("predicates", preds, true);
  // extract, concat, extensions, not, ite and the Boolean connectives over variables
  smt::Term x = raw.var("x", 32), y = raw.var("y!odd name", 32);
  smt::Term shapes = raw.eq(raw.concat(raw.extract(x, 31, 16), raw.extract(x, 15, 0)), x);
  shapes = raw.land(shapes, raw.eq(raw.extract(raw.zext(x, 32), 63, 32), raw.bv(0, 32)));
  shapes = raw.land(shapes, raw.eq(raw.extract(raw.sext(raw.extract(x, 7, 0), 24), 7, 0), raw.extract(x, 7, 0)));
  shapes = raw.land(shapes, raw.eq(raw.bnot(raw.bnot(y)), y));
  shapes = raw.land(shapes, raw.eq(raw.ite(raw.cmp(P::ULt, x, y), x, y),
                                   raw.ite(raw.lnot(raw.cmp(P::ULt, x, y)), y, x)));
  shapes = raw.land(shapes, raw.lor(raw.cmp(P::Eq, x, y), raw.lnot(raw.cmp(P::Eq, x, y))));
  write("shapes", shapes, true);
  // arrays: memory Array(BV32, BV8) and globals Array(BV32, BV32)
  smt::Term m = raw.memoryVar("memory@bb0"), g = raw.globalsVar("globals@bb0");
  smt::Term m2 = raw.store(raw.store(m, x, raw.extract(y, 7, 0)), raw.bin(B::Add, x, raw.bv(1, 32)), raw.extract(y, 15, 8));
  smt::Term arrays = raw.eq(raw.select(m2, x), raw.extract(y, 7, 0));
  arrays = raw.land(arrays, raw.eq(raw.select(raw.store(g, raw.bv(3, 32), y), raw.bv(3, 32)), y));
  arrays = raw.land(arrays, raw.eq(raw.store(g, raw.bv(1, 32), raw.select(g, raw.bv(1, 32))), g));
  write("arrays", arrays, true);
  // controls: wrong claims must come back sat, or the test could not fail
  write("control_add", raw.eq(raw.bin(B::Add, raw.bv(1, 32), raw.bv(1, 32)), raw.bv(3, 32)), false);
  write("control_sdiv", raw.eq(raw.bin(B::SDiv, x, raw.bv(0, 32)), raw.bv(0, 32)), false);
  write("control_array", raw.eq(raw.select(m2, raw.bin(B::Add, x, raw.bv(1, 32))), raw.extract(y, 7, 0)), false);
  if (requireAnswers(files, want, dir)) fs::remove_all(dir);
}
