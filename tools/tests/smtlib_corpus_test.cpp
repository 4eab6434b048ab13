// The --smt export of the whole corpus and of refuted mutants, re-checked by the z3 and cvc5 command-line tools.
#include "tools/mutation.h"
#include "tools/pipeline.h"

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"
#include "core/alloc/allocator.h"
#include "verifier/checker.h"
#include "verifier/tests/smtlib_run.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace vcr;
using namespace vcr::tools;
using vcr::verifier::test::Exported;
using vcr::verifier::test::scratch;
using vcr::verifier::test::slurp;
using vcr::verifier::test::solversPresent;
namespace fs = std::filesystem;

namespace {

/// A corpus input in vreg form and as vcr-ra allocates it (fails the test if
/// loading, selection or any allocation fails).
struct Allocated {
  mir::Module vreg;
  std::vector<mir::Function> functions;  ///< allocated, in the order of vreg.functions
};

Allocated selectAndAllocate(const std::string &file) {
  Diagnostics diags;
  auto bin = select::loadWasmFile(file, diags);
  REQUIRE_MESSAGE(bin, file);
  auto sel = select::selectModule(*bin, diags);
  REQUIRE_MESSAGE(sel, file);
  Allocated a{std::move(sel->module), {}};
  auto allocator = alloc::makeGraphColouring();
  alloc::ModuleAllocation ma = alloc::allocateModule(*allocator, a.vreg, alloc::AllocOptions{});
  for (auto &r : ma.results) {
    REQUIRE_MESSAGE(r.ok, file);
    a.functions.push_back(std::move(r.function));
  }
  return a;
}


/// Both solvers answer unsat on every proved and sat on every refuted
/// obligation of `ex` (unknown ones are not asked); true if they do.
bool solversAgree(const std::vector<Exported> &ex, const fs::path &dir) {
  std::vector<std::string> files, want;
  for (const Exported &e : ex)
    if (e.verdict != "unknown") {
      files.push_back(e.path);
      want.push_back(e.verdict == "proved" ? "unsat" : "sat");
    }
  bool ok = true;
  for (const char *solver : {"z3", "cvc5"}) {
    double secs = 0;
    const std::vector<std::string> got = verifier::test::solveAll(solver, files, dir, 30000, secs);
    unsigned agree = 0;
    for (size_t k = 0; k < files.size(); ++k) {
      CHECK_MESSAGE(got[k] == want[k], std::string(solver) << " answers " << got[k] << ", expected " << want[k]
                                              << " (in-process verdict), on " << files[k]);
      agree += got[k] == want[k];
    }
    ok = ok && agree == files.size();
    MESSAGE(std::string(solver) << ": " << agree << " of " << files.size() << " queries agree, " << secs << " s");
  }
  if (!ok) MESSAGE("the exported files are kept in " << dir);
  return ok;
}

/// Whether an exported query mentions real terms: memory, arithmetic, or bit surgery.
bool hasRealTerms(const std::string &text) {
  for (const char *op : {"(select ", "(store ", "(bvadd ", "(bvsub ", "(bvmul ", "(bvand ", "(bvor ",
                         "(bvxor ", "(bvshl ", "(bvlshr ", "(bvashr ", "(concat ", "((_ extract ",
                         "(bvudiv ", "(bvsdiv ", "(bvurem ", "(bvsrem ", "(ite ", "(bvult "})
    if (text.find(op) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("smt export of the whole corpus as stated: z3 and cvc5 answer unsat on every proved obligation") {
  if (!solversPresent()) return;
  const fs::path dir = scratch("smt_corpus");
  Diagnostics diags;
  const std::vector<std::string> inputs = collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags);
  REQUIRE(inputs.size() >= 20);
  unsigned functions = 0;
  for (const std::string &file : inputs) {
    // The soft-float fixtures are mostly single calls of opaque runtime routines: their
    // obligations compare registers, and would dilute the share of non-trivial terms below.
    if (fs::path(file).filename().string().starts_with("float_")) continue;
    PipelineOptions opt;
    opt.smtDir = (dir / fs::path(file).filename()).string();  // one folder per input: names may repeat
    const Report rep = runPipeline({file}, opt);
    for (const FunctionReport &f : rep.functions) functions += f.check.has_value();
  }
  const std::vector<Exported> ex = verifier::test::readManifests(dir);
  REQUIRE_MESSAGE(!ex.empty(), "no obligation was exported");
  unsigned proved = 0, refuted = 0, unknown = 0, differing = 0, real = 0, onDisk = 0;
  for (const Exported &e : ex) {
    proved += e.verdict == "proved";
    refuted += e.verdict == "refuted";
    unknown += e.verdict == "unknown";
    differing += e.differing > 0;
    const std::string text = slurp(e.path);
    CHECK_MESSAGE(text.find("(assert (not true))") == std::string::npos, e.path);
    real += hasRealTerms(text);
  }
  for (const auto &d : fs::recursive_directory_iterator(dir)) onDisk += d.path().extension() == ".smt2";
  MESSAGE(inputs.size() << " inputs, " << functions << " functions checked, " << ex.size()
                        << " obligations exported (" << proved << " proved, " << refuted << " refuted, "
                        << unknown << " unknown); " << real << " mention memory or arithmetic, "
                        << differing << " have a goal whose two sides are different terms");
  CHECK(onDisk == ex.size());  // one manifest line per file
  CHECK(functions >= 50);
  CHECK(ex.size() >= 500);
  CHECK(unknown == 0);
  // Non-trivial terms: a quarter of the queries are about memory or
  // arithmetic (the others compare registers: preserve, reserved, branch).
  CHECK(real * 4 >= ex.size());
  // Non-trivial questions: outside the entry block each obligation states
  // its block's entry relation as hypotheses over separate variables per
  // location and per vreg, so the two sides of its goals are different
  // terms the solvers must connect (in the entry block both sides start
  // from the same argument and entry-register variables). The mutant and
  // commuted tests below have the goals the normaliser decides.
  CHECK(differing * 3 >= ex.size());
  if (solversAgree(ex, dir)) fs::remove_all(dir);
}

TEST_CASE("smt export of refuted corpus mutants: z3 and cvc5 answer sat on every obligation refuted by the SMT layer") {
  if (!solversPresent()) return;
  const fs::path dir = scratch("smt_mutants");
  std::set<std::string> classes;
  unsigned mutants = 0, smtRefuted = 0;
  for (const char *name : {"memory.wat", "calls.wat", "loops.wat", "br_table.wat", "traps.wat"}) {
    const Allocated a = selectAndAllocate(std::string(VCR_SOURCE_DIR) + "/corpus/fixtures/" + name);
    const mir::Module &m = a.vreg;
    for (size_t i = 0; i < m.functions.size(); ++i) {
      for (MutationClass c : allMutationClasses())
        for (const Mutant &mu : mutate(a.functions[i], c, 7 + i, 1)) {
          verifier::CheckOptions opt;
          opt.timeoutMs = 2000;
          opt.smtDir = (dir / (std::string(name) + "." + m.functions[i].name + "." +
                               std::string(mutationClassName(c)))).string();
          const verifier::CheckResult r = verifier::checkFunction(m.functions[i], mu.function, m, opt);
          ++mutants;
          for (const auto &o : r.obligations)
            if (o.status == verifier::Status::Refuted && o.method != "syntactic") {
              ++smtRefuted;
              classes.insert(std::string(mutationClassName(c)));
            }
        }
    }
  }
  // the refuted obligations and those proved with two different sides (the rest are x = x)
  std::vector<Exported> ex;
  for (Exported &e : verifier::test::readManifests(dir))
    if (e.verdict == "refuted" || e.differing > 0) ex.push_back(std::move(e));
  unsigned exportedRefuted = 0, normalised = 0;
  for (const Exported &e : ex) {
    exportedRefuted += e.verdict == "refuted";
    CHECK_MESSAGE((e.verdict != "refuted" || e.differing > 0), e.path);
    normalised += e.verdict == "proved" && e.differing > 0;  // proved by a normalisation rule
  }
  std::string names;
  for (const auto &c : classes) names += " " + c;
  MESSAGE(mutants << " mutants, " << smtRefuted << " obligations refuted by the SMT layer (classes:" << names
                  << "), " << normalised << " proved with two different sides");
  CHECK(exportedRefuted == smtRefuted);  // every SMT refutation is exported
  CHECK(smtRefuted >= 10);
  CHECK(classes.size() >= 4);
  CHECK(normalised >= 1);  // the solvers cross-check some verdict of the normaliser
  if (solversAgree(ex, dir)) fs::remove_all(dir);
}

TEST_CASE("smt export of commuted corpus allocations: z3 and cvc5 confirm the normaliser where it decides") {
  // Corpus allocations with the register operands of one add, mul, and, orr
  // or eor swapped (the first such instruction of a function, and the last):
  // still correct, but the two sides of some goals now differ as stated, and
  // only the normaliser's operand order proves them in process.
  if (!solversPresent()) return;
  const fs::path dir = scratch("smt_commuted");
  Diagnostics diags;
  unsigned variants = 0;
  for (const std::string &file : collectInputs({std::string(VCR_SOURCE_DIR) + "/corpus"}, diags)) {
    const Allocated a = selectAndAllocate(file);
    const mir::Module &m = a.vreg;
    for (size_t i = 0; i < m.functions.size(); ++i) {
      const mir::Function &f = a.functions[i];
      std::vector<std::pair<size_t, size_t>> sites;  // (block, instruction)
      for (size_t b = 0; b < f.blocks.size(); ++b)
        for (size_t k = 0; k < f.blocks[b].instrs.size(); ++k) {
          const mir::Instr &ins = f.blocks[b].instrs[k];
          using mir::Opcode;
          const bool comm = ins.op == Opcode::Add || ins.op == Opcode::Mul || ins.op == Opcode::And ||
                            ins.op == Opcode::Orr || ins.op == Opcode::Eor;
          if (comm && ins.uses.size() == 2 && ins.uses[0].isPReg() && ins.uses[1].isPReg() &&
              ins.uses[0] != ins.uses[1])
            sites.push_back({b, k});
        }
      if (sites.size() > 2) sites = {sites.front(), sites.back()};
      for (const auto &[b, k] : sites) {
        mir::Function g = f;
        auto &uses = g.blocks[b].instrs[k].uses;
        std::swap(uses[0], uses[1]);
        ++variants;
        verifier::CheckOptions opt;
        opt.smtDir = (dir / (fs::path(file).filename().string() + "." + f.name + ".bb" + std::to_string(b) +
                             "." + std::to_string(k))).string();
        const verifier::CheckResult r = verifier::checkFunction(m.functions[i], g, m, opt);
        CHECK_MESSAGE(r.ok(), file << ":@" << f.name << " with commuted operands\n" << r.summary());
      }
    }
  }
  // Only the goals that need the normaliser are asked (the rest are x = x),
  // and not those with multiplication or division: bit-blasting a*b = b*a
  // inside a larger term takes z3 4.8 and cvc5 1.0 more than 30 s.
  std::vector<Exported> ex;
  unsigned hard = 0;
  for (Exported &e : verifier::test::readManifests(dir)) {
    if (e.differing == 0) continue;
    const std::string text = slurp(e.path);
    bool arith = false;
    for (const char *op : {"(bvmul ", "(bvudiv ", "(bvsdiv ", "(bvurem ", "(bvsrem "})
      arith = arith || text.find(op) != std::string::npos;
    // Nor those with long chains of memory stores: cvc5 1.0 answers unknown
    // after 30 s on bufops.c's 32-byte struct copy (byte stores at addresses
    // that may overlap), which z3 proves in 0.06 s.
    size_t stores = 0;
    for (size_t p = text.find("(store "); p != std::string::npos; p = text.find("(store ", p + 1)) ++stores;
    arith = arith || stores > 32;
    if (arith) ++hard;
    else ex.push_back(std::move(e));
  }
  unsigned proved = 0;
  for (const Exported &e : ex) proved += e.verdict == "proved";
  MESSAGE(variants << " commuted allocations, " << ex.size() + hard << " obligations with two different sides ("
                   << hard << " with multiplication, division or long store chains not asked), " << proved
                   << " of those asked proved in process");
  CHECK(variants >= 40);
  CHECK(proved >= 40);
  if (solversAgree(ex, dir)) fs::remove_all(dir);
}
