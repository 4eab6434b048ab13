// The VFP register classes in the allocator: f32 values in S registers, f64 in D registers (S pairs),
// calls clobbering S0-S15, callee-saved S16-S31 saved with push/pop, spills of S and D values, fconst remat.
#include "core/alloc/allocator.h"
#include "core/alloc/bench/mir_gen.h"
#include "core/alloc/tests/test_util.h"
#include "core/ir/classes.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace vcr;
using namespace vcr::alloc;
using mir::Opcode;

namespace {

mir::Module parse(const std::string &text) {
  mir::ParseResult p = mir::parseModule(text, "vfp.mir");
  std::string errs;
  for (const auto &d : p.diags) errs += d.str() + "\n";
  REQUIRE_MESSAGE(p.module.has_value(), errs);
  return *p.module;
}

/// Allocate, validate, and run both forms side by side on seeded inputs.
ModuleAllocation allocateChecked(const mir::Module &m) {
  auto ra = makeGraphColouring();
  AllocOptions opt;
  ModuleAllocation out = allocateModule(*ra, m, opt);
  for (const AllocResult &r : out.results) REQUIRE_MESSAGE(r.ok, r.error);
  Diagnostics diags;
  const bool valid = mir::validateModule(out.module, diags);
  std::string errs;
  for (const auto &d : diags) errs += d.str() + "\n";
  CHECK_MESSAGE(valid, errs << mir::printModule(out.module));
  for (const auto &f : m.functions) {
    test::DiffOutcome d = test::differential(m, out.module, f.name, 24, 11);
    CHECK_MESSAGE(d.same, d.why << "\n" << mir::printModule(out.module));
    CHECK(d.runs > 0);
  }
  return out;
}

/// `n` f32 values made from the two parameters, all live until a sum at
/// the end; optionally a call in the middle and f64 values beside them.
std::string pressureModule(unsigned n, bool call, bool f64) {
  std::string s = "func @twice(i32) -> (i32) {\nbb0:\n  param v0\n  add v1, v0, v0\n  ret v1\n}\n\n";
  s += "func @f(i32, i32) -> (i32) {\nbb0:\n  param v0, v1\n  fmovfromint.f32 v2, v0\n  fmovfromint.f32 v3, v1\n";
  const unsigned base = 10;
  auto val = [&](unsigned k) { return "v" + std::to_string(base + k); };
  s += "  fadd.f32 " + val(0) + ", v2, v3\n  fmul.f32 " + val(1) + ", v2, v3\n";
  for (unsigned k = 2; k < n; ++k)
    s += std::string(k % 3 ? "  fadd.f32 " : "  fsub.f32 ") + val(k) + ", " + val(k - 1) + ", " + val(k - 2) + "\n";
  const unsigned d0 = base + n + 10;
  if (f64) {  // f64 values from the f32 ones, live to the end as well
    for (unsigned k = 0; k < 6; ++k)
      s += "  fcvt.f64.f32 v" + std::to_string(d0 + k) + ", " + val(k * 3 % n) + "\n";
  }
  if (call) s += "  call @twice (v0) -> (v8)\n";
  else s += "  movi v8, #5\n";
  std::string acc = val(0);
  unsigned t = d0 + 20;
  for (unsigned k = 1; k < n; ++k) {
    s += "  fadd.f32 v" + std::to_string(t) + ", " + acc + ", " + val(k) + "\n";
    acc = "v" + std::to_string(t++);
  }
  if (f64) {
    std::string dacc = "v" + std::to_string(d0);
    for (unsigned k = 1; k < 6; ++k) {
      s += "  fadd.f64 v" + std::to_string(t) + ", " + dacc + ", v" + std::to_string(d0 + k) + "\n";
      dacc = "v" + std::to_string(t++);
    }
    s += "  fcvt.f32.f64 v" + std::to_string(t) + ", " + dacc + "\n";
    s += "  fadd.f32 v" + std::to_string(t + 1) + ", " + acc + ", v" + std::to_string(t) + "\n";
    acc = "v" + std::to_string(t + 1);
    t += 2;
  }
  s += "  fmovtoint.f32 v4, " + acc + "\n  add v5, v4, v8\n  ret v5\n}\n";
  return s;
}

unsigned count(const mir::Function &f, Opcode op, mir::Origin o) {
  unsigned c = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) c += i.op == op && i.origin == o;
  return c;
}

/// The S registers an allocated function mentions, and whether any vreg is left.
std::set<uint32_t> sregsUsed(const mir::Function &f, bool &vregLeft) {
  std::set<uint32_t> out;
  vregLeft = false;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs)
      for (const auto *ops : {&i.defs, &i.uses})
        for (const mir::Operand &o : *ops) {
          vregLeft |= o.isVReg();
          for (uint32_t s : mir::sregsOf(o)) out.insert(s);
        }
  return out;
}

}  // namespace

TEST_CASE("f32 values take S registers, and few values need no callee-saved S and no spill") {
  const mir::Module m = parse(pressureModule(8, false, false));
  ModuleAllocation a = allocateChecked(m);
  const mir::Function &f = *a.module.findFunction("f");
  bool left = true;
  const std::set<uint32_t> used = sregsUsed(f, left);
  CHECK_FALSE(left);
  CHECK_FALSE(used.empty());
  CHECK(*used.rbegin() < 16);  // caller-saved S0-S15 first: nothing to save
  CHECK(count(f, Opcode::Sts, mir::Origin::Spill) == 0);
  CHECK(count(f, Opcode::Push, mir::Origin::Prologue) == 0);
}

TEST_CASE("f32 values live across a call take callee-saved S16-S31, saved and restored") {
  const mir::Module m = parse(pressureModule(10, true, false));
  ModuleAllocation a = allocateChecked(m);
  const mir::Function &f = *a.module.findFunction("f");
  bool left = true;
  const std::set<uint32_t> used = sregsUsed(f, left);
  CHECK(*used.rbegin() >= 16);
  // one push of S registers (the VPUSH) and its pop, covering exactly the callee-saved S written
  unsigned vpush = 0;
  for (const auto &i : f.blocks[0].instrs)
    if (i.op == Opcode::Push && !i.uses.empty() && i.uses[0].isSReg()) {
      ++vpush;
      for (const mir::Operand &o : i.uses) CHECK(o.value >= 16);
    }
  CHECK(vpush == 1);
  CHECK(count(f, Opcode::Sts, mir::Origin::Spill) == 0);  // 10 values fit S16-S31
}

TEST_CASE("more f32 values than S registers spill to frame slots and reload, across a call too") {
  for (bool call : {false, true}) {
    CAPTURE(call);
    const mir::Module m = parse(pressureModule(40, call, false));
    ModuleAllocation a = allocateChecked(m);
    const mir::Function &f = *a.module.findFunction("f");
    CHECK(count(f, Opcode::Sts, mir::Origin::Spill) > 0);
    CHECK(count(f, Opcode::Lds, mir::Origin::Reload) > 0);
  }
}

TEST_CASE("f64 values take D registers beside f32 values in the S registers they leave") {
  for (unsigned n : {6u, 30u}) {
    CAPTURE(n);
    const mir::Module m = parse(pressureModule(n, true, true));
    ModuleAllocation a = allocateChecked(m);
    const mir::Function &f = *a.module.findFunction("f");
    bool dregs = false;
    for (const auto &b : f.blocks)
      for (const auto &i : b.instrs)
        for (const mir::Operand &o : i.defs) dregs |= o.isDReg();
    CHECK(dregs);
  }
}

TEST_CASE("f32 parameters and results use S registers by AAPCS-VFP, f64 ones D registers") {
  const mir::Module m = parse(R"(func @g(f32, f64, f32) -> (f64) {
bb0:
  param v0, v1, v2
  fadd.f32 v3, v0, v2
  fcvt.f64.f32 v4, v3
  fmul.f64 v5, v4, v1
  ret v5
}

func @h(i32) -> (i32) {
bb0:
  param v0
  fmovfromint.f32 v1, v0
  fcvt.f64.f32 v2, v1
  call @g (v1, v2, v1) -> (v3)
  fcvt.f32.f64 v4, v3
  fmovtoint.f32 v5, v4
  ret v5
}
)");
  ModuleAllocation a = allocateChecked(m);  // both forms run alike (the interpreter places S/D arguments)
  const mir::Function &g = *a.module.findFunction("g");
  const mir::Instr &param = g.blocks[0].instrs[0];
  REQUIRE(param.op == Opcode::Param);
  REQUIRE(param.defs.size() == 3);
  CHECK(param.defs[0] == mir::Operand::sreg(0));
  CHECK(param.defs[1] == mir::Operand::dreg(1));
  CHECK(param.defs[2] == mir::Operand::sreg(1));  // back-filled
  const mir::Function &h = *a.module.findFunction("h");
  bool sawCall = false;
  for (const auto &b : h.blocks)
    for (const auto &i : b.instrs)
      if (i.op == Opcode::Call) {
        sawCall = true;
        CHECK(i.uses[0] == mir::Operand::sreg(0));
        CHECK(i.uses[1] == mir::Operand::dreg(1));
        CHECK(i.uses[2] == mir::Operand::sreg(1));
        CHECK(i.defs[0] == mir::Operand::dreg(0));
      }
  CHECK(sawCall);
}

TEST_CASE("fconst values are rematerialised when they spill") {
  // 40 constants used after a long chain that needs every S register
  std::string s = "func @f(i32) -> (i32) {\nbb0:\n  param v0\n  fmovfromint.f32 v1, v0\n";
  for (unsigned k = 0; k < 40; ++k)
    s += "  fconst.f32 v" + std::to_string(100 + k) + ", #" + std::to_string(0x3f800000u + k * 0x10000u) + "\n";
  std::string acc = "v1";
  for (unsigned k = 0; k < 40; ++k) {
    s += "  fmul.f32 v" + std::to_string(200 + k) + ", " + acc + ", v" + std::to_string(100 + k) + "\n";
    acc = "v" + std::to_string(200 + k);
  }
  for (unsigned k = 0; k < 40; ++k) {
    s += "  fadd.f32 v" + std::to_string(300 + k) + ", " + acc + ", v" + std::to_string(100 + k) + "\n";
    acc = "v" + std::to_string(300 + k);
  }
  s += "  fmovtoint.f32 v2, " + acc + "\n  ret v2\n}\n";
  ModuleAllocation a = allocateChecked(parse(s));
  const mir::Function &f = a.module.functions[0];
  unsigned remat = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) remat += i.op == Opcode::FConst32 && i.origin == mir::Origin::Remat;
  // the constants come back by fconst; a store is left only where the dead original fconst of a
  // rematerialised constant needs a register while all 32 are busy (its value is split around it)
  CHECK(remat >= 8);
  CHECK(count(f, Opcode::Sts, mir::Origin::Spill) <= 2);
}

TEST_CASE("vregClasses (the allocator's inference) gives inferClasses' classes, conflicts included") {
  // The allocator's lean inference must agree with the validator's, which
  // also checks: on generated float functions (calls with float arguments
  // and results, movs joining values) and on a function whose v1 is used in
  // two classes (both keep the first class seen).
  auto same = [](const mir::Function &f, const mir::Module &m) {
    std::vector<mir::RegClass> checked;
    Diagnostics ignored;
    mir::inferClasses(f, checked, ignored, &m);
    return mir::vregClasses(f, &m) == checked;
  };
  unsigned functions = 0, vfpVRegs = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    gen::MirGenOptions g;
    g.seed = seed;
    g.size = 20 + static_cast<unsigned>(seed * 7 % 150);
    g.floatShare = 20 + static_cast<unsigned>(seed % 3) * 10;
    g.floatPressure = static_cast<unsigned>(seed % 7);
    const mir::Module m = gen::generateModule(g);
    for (const mir::Function &f : m.functions) {
      INFO("seed " << seed << ", function " << f.name);
      CHECK(same(f, m));
      ++functions;
      for (mir::RegClass c : mir::vregClasses(f, &m)) vfpVRegs += c != mir::RegClass::Core;
    }
  }
  CHECK(functions > 60);
  CHECK(vfpVRegs > 500);  // the generator's floats reached the inference
  mir::Module bad = [] {
    mir::ParseResult p = mir::parseModule(R"(func @g(f32) -> (f64) {
bb0:
  param v0
  fconst.f64 v1, #0, #0
  ret v1
}

func @f(i32) -> (i32) {
bb0:
  param v0
  fconst.f32 v1, #0
  mov v2, v1
  call @g (v2) -> (v3)
  fmovtoint.f32 v5, v1
  add v4, v0, v0
  ret v4
}
)", "conflict.mir");
    REQUIRE(p.module);
    return *p.module;
  }();
  // (the parser validates: the conflict is made after it) add v4, v0, v2
  for (mir::Instr &i : bad.functions[1].blocks[0].instrs)
    if (i.op == Opcode::Add) i.uses[1] = mir::Operand::vreg(2);
  std::vector<mir::RegClass> checked;
  Diagnostics diags;
  CHECK_FALSE(mir::inferClasses(bad.functions[1], checked, diags, &bad));  // v2 (joined to v1) read as core
  CHECK(mir::vregClasses(bad.functions[1], &bad) == checked);
  CHECK(checked[1] == mir::RegClass::F32);
  CHECK(checked[3] == mir::RegClass::F64);

  // A joined set's class comes from its earliest classed position, which
  // need not be its smallest vreg's: v1 (the set's smallest) only moves, and
  // the set {v1, v2, v4} takes v4's f32. Then a conflict whose first class
  // is a larger member's: v1 also read as core, after v4's f32.
  mir::ParseResult p = mir::parseModule(R"(func @h(i32) -> (i32) {
bb0:
  param v5
  fconst.f32 v4, #0
  mov v1, v4
  mov v2, v1
  fmovtoint.f32 v6, v2
  add v7, v5, v5
  ret v6
}
)", "joined.mir");
  REQUIRE(p.module);
  mir::Function &h = p.module->functions[0];
  CHECK(mir::inferClasses(h, checked, diags, &*p.module));
  CHECK(checked[1] == mir::RegClass::F32);
  CHECK(mir::vregClasses(h, &*p.module) == checked);
  for (mir::Instr &i : h.blocks[0].instrs)
    if (i.op == Opcode::Add) i.uses[1] = mir::Operand::vreg(1);
  CHECK_FALSE(mir::inferClasses(h, checked, diags, &*p.module));
  CHECK(checked[1] == mir::RegClass::F32);
  CHECK(mir::vregClasses(h, &*p.module) == checked);
}
