// Tests of the VFP classes in MIR text and validation: every float opcode and s/d operands round-trip, class errors are reported.
#include "core/ir/classes.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <string>

using namespace vcr::mir;

namespace {

std::string diagText(const ParseResult &r) {
  std::string all;
  for (const auto &d : r.diags) all += d.str() + "\n";
  return all;
}

/// Every float opcode, in table order.
std::vector<Opcode> floatOps() {
  std::vector<Opcode> ops;
  for (unsigned k = 0; k < kNumOpcodes; ++k)
    if (isFloatOp(static_cast<Opcode>(k))) ops.push_back(static_cast<Opcode>(k));
  return ops;
}

/// One line of text for `op`: vregs by class, immediates, a memory operand
/// last for fload/fstore, fset with a condition.
std::string lineFor(Opcode op, uint32_t &next) {
  Instr in;
  in.op = op;
  const OpcodeInfo &oi = info(op);
  std::string s(oi.mnemonic);
  if (op == Opcode::FSet32 || op == Opcode::FSet64) s = "fset.le" + s.substr(4);
  std::vector<std::string> parts;
  for (int k = 0; k < oi.ndefs; ++k) parts.push_back("v" + std::to_string(next++));
  for (int k = 0; k < oi.nuses; ++k) {
    const bool address = isLinearMemoryOp(op) && k + 1 == oi.nuses;
    if (address) parts.push_back("[v" + std::to_string(next++) + "+8]");
    else if (!operandClass(in, false, static_cast<size_t>(k))) parts.push_back("#" + std::to_string(1000 + k));
    else parts.push_back("v" + std::to_string(next++));
  }
  for (size_t p = 0; p < parts.size(); ++p) s += (p ? ", " : " ") + parts[p];
  return s;
}

}  // namespace

TEST_CASE("every float opcode has a class signature matching its operand counts") {
  const auto ops = floatOps();
  CHECK(ops.size() == 68);
  for (Opcode op : ops) {
    const OpcodeInfo &oi = info(op);
    CAPTURE(oi.mnemonic);
    Instr in;
    in.op = op;
    for (int k = 0; k < oi.ndefs; ++k) CHECK(operandClass(in, true, size_t(k)).has_value());
    CHECK_FALSE(operandClass(in, true, size_t(oi.ndefs)).has_value());
    CHECK(opcodeFromMnemonic(oi.mnemonic) == op);
  }
  Instr add;
  add.op = Opcode::FAdd64;
  CHECK(operandClass(add, true, 0) == RegClass::F64);
  CHECK(operandClass(add, false, 1) == RegClass::F64);
  add.op = Opcode::FTruncS64F32;
  CHECK(operandClass(add, true, 1) == RegClass::Core);
  CHECK(operandClass(add, false, 0) == RegClass::F32);
  add.op = Opcode::Mov;
  CHECK_FALSE(operandClass(add, true, 0).has_value());
  add.op = Opcode::Add;
  CHECK(operandClass(add, false, 0) == RegClass::Core);
}

TEST_CASE("D registers alias S register pairs") {
  CHECK(sregsOf(Operand::dreg(0)).size() == 2);
  CHECK(sregsOf(Operand::dreg(5))[0] == 10);
  CHECK(sregsOf(Operand::dreg(5))[1] == 11);
  CHECK(sregsOf(Operand::dreg(15))[1] == 31);
  CHECK(sregsOf(Operand::sreg(7)).size() == 1);
  CHECK(sregsOf(Operand::sreg(7))[0] == 7);
  CHECK(sregsOf(Operand::preg(PReg::R3)).empty());
  CHECK(physClass(Operand::sreg(1)) == RegClass::F32);
  CHECK(physClass(Operand::dreg(1)) == RegClass::F64);
  CHECK(physClass(Operand::preg(PReg::R1)) == RegClass::Core);
  CHECK_FALSE(physClass(Operand::vreg(1)).has_value());
}

TEST_CASE("every float opcode parses, prints and parses back in vreg form") {
  for (Opcode op : floatOps()) {
    uint32_t next = 0;
    const std::string line = lineFor(op, next);
    CAPTURE(line);
    // define every vreg first: core ones by movi, float ones by fconst
    Instr probe;
    probe.op = op;
    std::string text = "module {\n  memory 1\n}\nfunc @f() -> () {\nbb0:\n";
    std::vector<std::string> defs;
    const OpcodeInfo &oi = info(op);
    uint32_t v = static_cast<uint32_t>(oi.ndefs);
    for (int k = 0; k < oi.nuses; ++k) {
      const auto c = operandClass(probe, false, size_t(k));
      if (!c) continue;
      const std::string name = "v" + std::to_string(v++);
      if (*c == RegClass::Core) text += "  movi " + name + ", #1\n";
      if (*c == RegClass::F32) text += "  fconst.f32 " + name + ", #0x3f800000\n";
      if (*c == RegClass::F64) text += "  fconst.f64 " + name + ", #0, #0x3ff00000\n";
    }
    text += "  " + line + "\n  ret\n}\n";
    ParseResult r = parseModule(text, "t.mir");
    INFO(diagText(r));
    REQUIRE(r.module);
    const Instr &in = r.module->functions[0].blocks[0].instrs[r.module->functions[0].blocks[0].instrs.size() - 2];
    CHECK(in.op == op);
    const std::string printed = printModule(*r.module);
    CHECK(printed.find("  " + line + "\n") != std::string::npos);
    ParseResult again = parseModule(printed, "t2.mir");
    REQUIRE(again.module);
    CHECK(printModule(*again.module) == printed);
  }
}

TEST_CASE("fset keeps its condition and s/d operands round-trip in allocated form") {
  const char *text = R"(func @g() -> () allocated {
bb0:
  fconst.f32 s31, #0
  fconst.f64 d15, #1, #2
  fset.ne.f64 r0, d15, d15
  fset.eq.f32 r1, s31, s31
  mov s3, s31
  mov d1, d15
  sts [sp+8], d1
  lds s0, [sp+8]
  push s16, s17, d9
  pop s16, s17, d9
  fmovtoint.f64 r2, r3, d1
  fmovfromint.f64 d2, r2, r3
  ret
}
)";
  ParseResult r = parseModule(text, "t.mir");
  INFO(diagText(r));
  REQUIRE(r.module);
  const Function &f = r.module->functions[0];
  CHECK(f.blocks[0].instrs[2].cc == Cond::Ne);
  CHECK(f.blocks[0].instrs[3].cc == Cond::Eq);
  CHECK(f.blocks[0].instrs[1].defs[0] == Operand::dreg(15));
  CHECK(printModule(*r.module) == text);
}

TEST_CASE("parse errors: unknown VFP registers and fset conditions") {
  auto err = [](std::string_view body) {
    ParseResult r = parseModule("func @g() -> () allocated {\nbb0:\n  " + std::string(body) + "\n  ret\n}\n", "t.mir");
    return diagText(r);
  };
  CHECK(err("mov s32, s1").find("no VFP register 's32'") != std::string::npos);
  CHECK(err("mov d16, d1").find("no VFP register 'd16'") != std::string::npos);
  CHECK(err("fset.slt.f32 r0, s1, s2").find("unknown fset condition 'slt'") != std::string::npos);
  CHECK(err("fset.f32 r0, s1, s2").find("needs a condition code") != std::string::npos);
  CHECK(err("fadd.f16 s0, s1, s2").find("unknown opcode 'fadd.f16'") != std::string::npos);
}

TEST_CASE("class inference: mov joins classes, unconstrained vregs are core") {
  ParseResult r = parseModule(R"(func @f(i32) -> (i32) {
bb0:
  param v0
  fmovfromint.f32 v1, v0
  mov v2, v1
  mov v3, v2
  fconst.f64 v4, #0, #0
  mov v5, v4
  fadd.f32 v6, v3, v3
  fcvt.f64.f32 v7, v6
  fadd.f64 v8, v7, v5
  fset.lt.f64 v9, v8, v5
  mov v10, v9
  ret v10
}
)", "t.mir");
  INFO(diagText(r));
  REQUIRE(r.module);
  std::vector<RegClass> cls;
  vcr::Diagnostics ds;
  CHECK(inferClasses(r.module->functions[0], cls, ds));
  CHECK(ds.empty());
  REQUIRE(cls.size() == 11);
  const RegClass want[] = {RegClass::Core, RegClass::F32, RegClass::F32, RegClass::F32, RegClass::F64, RegClass::F64,
                           RegClass::F32, RegClass::F64, RegClass::F64, RegClass::Core, RegClass::Core};
  for (size_t v = 0; v < 11; ++v) {
    CAPTURE(v);
    CHECK(cls[v] == want[v]);
  }
}

namespace {
/// The validation messages of a module given as text (parsing itself validates).
std::string problemsOf(std::string_view text) { return diagText(parseModule(text, "t.mir")); }
}  // namespace

TEST_CASE("validation rejects a vreg used in two classes, naming function, block and both instructions") {
  const std::string p = problemsOf(R"(func @f(i32) -> (i32) {
bb0:
  param v0
  fmovfromint.f32 v1, v0
  add v2, v1, v0
  ret v2
}
)");
  CHECK(p.find("in function 'f'") != std::string::npos);
  CHECK(p.find("block 'bb0', instruction 2 ('add')") != std::string::npos);
  CHECK(p.find("v1 is used in two register classes: core here (use 0) but f32 at block 'bb0', instruction 1 "
               "('fmovfromint.f32') (def 0)") != std::string::npos);
}

TEST_CASE("validation rejects a class conflict through a chain of movs") {
  const std::string p = problemsOf(R"(func @f() -> () {
bb0:
  fconst.f32 v1, #0
  mov v2, v1
  fconst.f64 v3, #0, #0
  fadd.f64 v4, v3, v2
  ret
}
)");
  CHECK(p.find("v2 is used in two register classes: f64 here (use 1) but f32 at block 'bb0', instruction 0 "
               "('fconst.f32') (def 0) (v1, joined by mov)") != std::string::npos);
}

TEST_CASE("validation rejects physical registers of the wrong class") {
  auto alloc = [](std::string_view body) {
    return problemsOf("func @g() -> () allocated {\nbb0:\n  " + std::string(body) + "\n  ret\n}\n");
  };
  CHECK(alloc("add r0, s1, r2").find("use 0 is s1 (f32), expected a register of class core") != std::string::npos);
  CHECK(alloc("fadd.f32 s0, d1, s2").find("use 0 is d1 (f64), expected a register of class f32") != std::string::npos);
  CHECK(alloc("fadd.f64 r0, d1, d2").find("def 0 is r0 (core), expected a register of class f64") != std::string::npos);
  CHECK(alloc("fload.f32 s0, [s1+0]").find("use 0 is s1 (f32), expected a register of class core") != std::string::npos);
  CHECK(alloc("mov r0, s1").find("mov between classes: r0 is core, s1 is f32") != std::string::npos);
  CHECK(alloc("push r4, s16").find("mixes core and VFP registers") != std::string::npos);
  CHECK(alloc("fconst.f32 s0, r1").find("expected an immediate") != std::string::npos);
  CHECK(alloc("mov s0, s1").empty());
  CHECK(problemsOf("func @f() -> () {\nbb0:\n  fconst.f32 s0, #0\n  ret\n}\n").find("physical register s0 in vreg form") !=
        std::string::npos);
}

TEST_CASE("usesVfp sees float opcodes and VFP operands") {
  Function f;
  f.blocks.push_back(Block{"bb0", {}});
  Instr ret;
  ret.op = Opcode::Ret;
  f.blocks[0].instrs.push_back(ret);
  CHECK_FALSE(usesVfp(f));
  Instr mov;
  mov.op = Opcode::Mov;
  mov.defs = {Operand::sreg(1)};
  mov.uses = {Operand::sreg(2)};
  f.blocks[0].instrs.insert(f.blocks[0].instrs.begin(), mov);
  CHECK(usesVfp(f));
  f.blocks[0].instrs[0].defs = {Operand::vreg(1)};
  f.blocks[0].instrs[0].uses = {Operand::vreg(2)};
  f.blocks[0].instrs[0].op = Opcode::FNeg32;
  CHECK(usesVfp(f));
}

TEST_CASE("f32 and f64 signatures: text round trip, operand counts and classes of param, call and ret") {
  const std::string text = R"(func @g(f32, i64, f64) -> (f64) {
bb0:
  param v0, v1, v2, v3
  fcvt.f64.f32 v4, v0
  fadd.f64 v5, v4, v3
  ret v5
}

func @f(f32) -> (f64) {
bb0:
  param v0
  movi v1, #1
  movi v2, #0
  fconst.f64 v10, #0, #0
  call @g (v0, v1, v2, v10) -> (v11)
  ret v11
}
)";
  ParseResult r = parseModule(text, "t.mir");
  INFO(diagText(r));
  REQUIRE(r.module);
  CHECK(r.module->functions[0].sig.params[2] == ValType::F64);
  CHECK(printModule(*r.module).find("func @g(f32, i64, f64) -> (f64)") != std::string::npos);
  CHECK(operandCount(r.module->functions[0].sig.params) == 4);
  CHECK(words(ValType::F64) == 2);
  CHECK(words(ValType::F32) == 1);
  // v11, defined only by the call and used only by ret, is f64 from the signatures
  const Function &f = r.module->functions[1];
  const std::vector<RegClass> withModule = vregClasses(f, &*r.module);
  CHECK(withModule[0] == RegClass::F32);
  CHECK(withModule[1] == RegClass::Core);
  CHECK(withModule[11] == RegClass::F64);
  // wrong class at a call: an i32 passed where the callee takes f32
  const std::string bad = problemsOf(R"(func @h(f32) -> () {
bb0:
  param v0
  ret
}

func @k() -> () {
bb0:
  movi v1, #3
  call @h (v1) -> ()
  ret
}
)");
  CHECK(bad.find("v1 is used in two register classes") != std::string::npos);
  // a parameter operand count per operand, not per word: f64 is one operand
  CHECK(problemsOf("func @p(f64) -> () {\nbb0:\n  param v0, v1\n  ret\n}\n")
            .find("expected 1 defs (one per parameter operand), got 2") != std::string::npos);
  // allocated form: a physical register of the wrong class in param
  CHECK(problemsOf("func @q(f32) -> () allocated {\nbb0:\n  param r0\n  ret\n}\n")
            .find("expected a register of class f32") != std::string::npos);
}
