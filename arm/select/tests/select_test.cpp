// Unit tests of selection: names, layout, declines, the operand-stack model
// and the shape of the produced MIR.
#include "arm/select/select.h"
#include "core/ir/interp.h"
#include "core/ir/text.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

using namespace vcr;
using namespace vcr::select;
using mir::Opcode;

namespace {

Selection selectWat(const std::string &wat, const SelectOptions &opt = {}) {
  Diagnostics diags;
  auto bin = watToWasm(wat, "test.wat", diags);
  std::string msg = diags.empty() ? std::string() : diags[0].str();
  REQUIRE_MESSAGE(bin, msg);
  auto sel = selectModule(*bin, diags, opt);
  REQUIRE(sel);
  return std::move(*sel);
}

/// Each declined function's reason, by function name.
std::map<std::string, std::string> reasons(const Selection &sel) {
  std::map<std::string, std::string> why;
  for (const auto &d : sel.declined) why[d.function] = d.reason;
  return why;
}

/// Every selected function passes the MIR validator.
void requireValid(const Selection &sel) {
  for (const auto &f : sel.module.functions) {
    Diagnostics d;
    bool ok = mir::validateFunction(f, sel.module, d);
    std::string why;
    for (const auto &x : d) why += x.str() + "\n";
    std::string msg = why + mir::printFunction(f);
    CHECK_MESSAGE(ok, msg);
  }
}

size_t countOp(const mir::Function &f, Opcode op) {
  size_t n = 0;
  for (const auto &b : f.blocks)
    n += static_cast<size_t>(std::count_if(b.instrs.begin(), b.instrs.end(),
                                           [&](const mir::Instr &i) { return i.op == op; }));
  return n;
}

const mir::Function &fn(const Selection &s, const std::string &name) {
  const auto *f = s.module.findFunction(name);
  std::string msg = "no function " + name;
  REQUIRE_MESSAGE(f, msg);
  return *f;
}

}  // namespace

TEST_CASE("selection keeps names, wasm indices, imports, memory pages and global initial values") {
  SelectOptions m4f;
  m4f.cpu = arm::Cpu::CortexM4F;  // float imports take F32/F64 there
  auto s = selectWat(R"((module
    (import "env" "ext" (func (param i32 i64) (result i32)))
    (import "env" "g" (global $ig (mut i32)))
    (import "env" "fext" (func (param f32)))
    (memory 2)
    (global $a (mut i32) (i32.const 66560))
    (global $b i64 (i64.const 0x1122334455667788))
    (global $f (mut f32) (f32.const 1.5))
    (global $c (mut i32) (i32.const -1))
    (func $named (result i32) (i32.const 1))
    (func (export "exp name!") (result i32) (i32.const 2))
    (func (result i32) (i32.const 3))
    (func $env.ext (result i32) (i32.const 4)))
  )", m4f);
  const auto &m = s.module;
  CHECK(m.memoryPages == 2);
  REQUIRE(m.imports.size() == 2);
  CHECK(m.imports[0].name == "env.ext");
  CHECK(m.imports[0].sig.params == std::vector<mir::ValType>{mir::ValType::I32, mir::ValType::I64});
  CHECK(m.imports[1].sig.params == std::vector<mir::ValType>{mir::ValType::F32});
  REQUIRE(m.functions.size() == 4);
  CHECK(m.functions[0].name == "named");
  CHECK(m.functions[0].wasmIndex == 2);
  CHECK(m.functions[1].name == "exp_name_");
  CHECK(m.functions[2].name == "f4");
  CHECK(m.functions[3].name == "env.ext.1");  // unique against the import
  CHECK(m.functions[3].wasmIndex == 5);
  // globals: imported i32 (0), $a, $b lo/hi, $f (its bits, whatever the CPU), $c
  REQUIRE(m.globals.size() == 6);
  CHECK(m.globals[0].init == 0);
  CHECK(m.globals[1].init == 66560);
  CHECK(m.globals[2].init == 0x55667788u);
  CHECK(m.globals[3].init == 0x11223344u);
  CHECK_FALSE(m.globals[2].mut);
  CHECK(m.globals[4].init == 0x3fc00000u);
  CHECK(m.globals[5].init == 0xffffffffu);
  CHECK(s.globalWord == std::vector<int32_t>{0, 1, 2, 4, 5});
  requireValid(s);
}

TEST_CASE("on cortex-m4f and cortex-m7 float functions are selected, not declined") {
  SelectOptions m4f;
  m4f.cpu = arm::Cpu::CortexM4F;
  auto s = selectWat(R"((module
    (func $fadd (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
    (func $iadd (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func $fconst (result i32) (drop (f32.const 1)) (i32.const 0))
    (func $caller (result i32) (call $iadd (i32.const 1) (call $fconst)))
    (func $grow (result i32) (memory.grow (i32.const 1)))
    (memory 1))
  )", m4f);
  CHECK(s.declined.empty());
  REQUIRE(s.module.functions.size() == 5);
  CHECK(countOp(fn(s, "fadd"), Opcode::FAdd32) == 1);
  CHECK(countOp(fn(s, "fconst"), Opcode::FConst32) == 1);
  requireValid(s);
  SelectOptions m7;
  m7.cpu = arm::Cpu::CortexM7;
  auto u = selectWat(R"((module (func $f (param f64) (result f64) (local.get 0))))", m7);
  CHECK(u.declined.empty());
  REQUIRE(u.module.functions.size() == 1);
  CHECK(u.module.functions[0].sig.params == std::vector<mir::ValType>{mir::ValType::F64});
}

TEST_CASE("on cortex-m4 floats are words: bit operations inline, arithmetic as runtime calls") {
  auto s = selectWat(R"((module
    (global $g (mut f64) (f64.const 2))
    (func $fadd (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
    (func $dne (param f64 f64) (result i32) (f64.ne (local.get 0) (local.get 1)))
    (func $neg (param f64) (result f64) (f64.neg (local.get 0)))
    (func $bits (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
    (func $conv (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
    (func $glob (result f64) (global.get $g))
    (func $k (result f32) (f32.const 1.5)))
  )");
  CHECK(s.declined.empty());
  requireValid(s);
  auto fn = [&](const std::string &name) -> const mir::Function & {
    for (const auto &f : s.module.functions)
      if (f.name == name) return f;
    FAIL("no function " << name);
    return s.module.functions.front();
  };
  auto callees = [&](const mir::Function &f) {
    std::vector<std::string> out;
    for (const auto &b : f.blocks)
      for (const auto &in : b.instrs)
        if (in.op == Opcode::Call) out.push_back(in.callee);
    return out;
  };
  CHECK(callees(fn("fadd")) == std::vector<std::string>{"__aeabi_fadd"});
  CHECK(fn("fadd").sig.params == std::vector<mir::ValType>{mir::ValType::I32, mir::ValType::I32});
  CHECK(fn("fadd").floatResults == std::vector<uint8_t>{32});
  CHECK(callees(fn("dne")) == std::vector<std::string>{"__aeabi_dcmpeq"});
  CHECK(countOp(fn("dne"), Opcode::Eor) == 1);  // ne = !eq: 1 on NaN
  CHECK(fn("dne").floatParams == std::vector<uint8_t>{64, 64});
  CHECK(callees(fn("neg")).empty());
  CHECK(countOp(fn("neg"), Opcode::Eor) == 1);  // the sign bit of the high word
  CHECK(countOp(fn("bits"), Opcode::Mov) == 0);  // reinterpretation: the same word
  CHECK(callees(fn("conv")) == std::vector<std::string>{"__vcr_fp_d2l_u"});
  CHECK(countOp(fn("glob"), Opcode::GGet) == 2);
  CHECK(s.module.globals.size() == 2);
  CHECK(s.module.globals[1].init == 0x40000000u);  // 2.0: high word
  CHECK(countOp(fn("k"), Opcode::MovI) == 1);

  // a function named like a runtime routine is renamed: a call names one callee
  auto c = selectWat(R"((module
    (func $__aeabi_fadd (param i32) (result i32) (local.get 0))
    (func $f (param f32) (result f32) (f32.add (local.get 0) (local.get 0)))))");
  REQUIRE(c.module.functions.size() == 2);
  CHECK(c.module.functions[0].name == "__aeabi_fadd.1");
  for (const auto &b : c.module.functions[1].blocks)
    for (const auto &in : b.instrs)
      if (in.op == Opcode::Call) CHECK(in.callee == "__aeabi_fadd");
}

TEST_CASE("local.get pushes an alias and local.set first copies the stack entries that alias the local") {
  auto s = selectWat(R"((module
    (func $twice (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
    (func $swapish (param i32 i32) (result i32)
      local.get 0          ;; alias of local 0 stays on the stack...
      local.get 1
      local.set 0          ;; ...so it is copied before local 0 is written
      local.get 0
      i32.sub))
  )");
  const auto &twice = fn(s, "twice");
  CHECK(countOp(twice, Opcode::Mov) == 0);
  // bb0: param v0 ; add v1, v0, v0 ; ret v1
  const auto &b0 = twice.blocks.at(0).instrs;
  REQUIRE(b0.size() == 3);
  CHECK(b0[0].op == Opcode::Param);
  CHECK(b0[1].op == Opcode::Add);
  CHECK(b0[1].uses[0] == mir::Operand::vreg(0));
  CHECK(b0[1].uses[1] == mir::Operand::vreg(0));
  CHECK(twice.vinfo(0).kind == mir::VRegInfo::Kind::Param);
  CHECK(twice.vinfo(1).kind == mir::VRegInfo::Kind::Stack);

  const auto &sw = fn(s, "swapish");
  const auto &i = sw.blocks.at(0).instrs;
  // param v0, v1 ; mov v2, v0 (the copy) ; mov v0, v1 (the set) ; sub v3, v2, v0 ; ret
  REQUIRE(i.size() == 5);
  CHECK(i[1].op == Opcode::Mov);
  CHECK(i[1].uses[0] == mir::Operand::vreg(0));
  CHECK(i[2].op == Opcode::Mov);
  CHECK(i[2].defs[0] == mir::Operand::vreg(0));
  CHECK(i[3].op == Opcode::Sub);
  CHECK(i[3].uses[0] == i[1].defs[0]);
  CHECK(i[3].uses[1] == mir::Operand::vreg(0));
  requireValid(s);
}

TEST_CASE("i64 values are vreg pairs linked by hiOf and locals are zeroed at entry") {
  auto s = selectWat(R"((module
    (func $f (param i64 i32) (result i64) (local i64 i32)
      (local.set 2 (i64.add (local.get 0) (i64.extend_i32_u (local.get 1))))
      (local.get 2)))
  )");
  const auto &f = fn(s, "f");
  const auto &b0 = f.blocks.at(0).instrs;
  REQUIRE(b0[0].op == Opcode::Param);
  REQUIRE(b0[0].defs.size() == 3);  // lo, hi, i32
  CHECK(f.vinfo(1).kind == mir::VRegInfo::Kind::Param);
  CHECK(f.vinfo(1).hiOf == 0);
  CHECK(f.vinfo(1).index == 0);
  CHECK(f.vinfo(2).index == 1);
  // local 2 (i64) and local 3 (i32): Kind::Local with wasm local indices
  CHECK(f.vinfo(3).kind == mir::VRegInfo::Kind::Local);
  CHECK(f.vinfo(3).index == 2);
  CHECK(f.vinfo(4).hiOf == 3);
  CHECK(f.vinfo(5).index == 3);
  CHECK(countOp(f, Opcode::MovI) >= 3 + 1);  // 3 zeroing words + extend's hi
  CHECK(countOp(f, Opcode::Add64) == 1);
  CHECK(f.sig.results == std::vector<mir::ValType>{mir::ValType::I64});
  requireValid(s);
}

TEST_CASE("division gets its trap guards, unreachable becomes a trap and dead code is dropped") {
  auto s = selectWat(R"((module
    (func $d (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func $r (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func $u (param i32) (result i32)
      (block (result i32)
        (br_if 0 (i32.const 5) (local.get 0))
        unreachable
        (i32.const 99)              ;; dead
        drop)
      (i32.const 1)
      i32.add))
  )");
  const auto &d = fn(s, "d");
  CHECK(countOp(d, Opcode::TrapIf) == 2);  // divzero + overflow
  CHECK(countOp(d, Opcode::SDiv) == 1);
  CHECK(countOp(fn(s, "r"), Opcode::TrapIf) == 1);  // divzero only
  const auto &u = fn(s, "u");
  CHECK(countOp(u, Opcode::Trap) == 1);
  CHECK(countOp(u, Opcode::MovI) == 2);  // 5 and 1; 99 is dead
  requireValid(s);
}

TEST_CASE("control flow: blocks in program order, results via result vregs, br_table edges") {
  auto s = selectWat(R"((module
    (func $sw (param i32) (result i32)
      (block $b2 (result i32)
        (block $b1 (result i32)
          (block $b0 (result i32)
            (i32.const 10) (local.get 0) (br_table $b0 $b1 $b2 $b1))
          (i32.const 1) i32.add (br $b2))
        (i32.const 2) i32.mul))
    (func $ifelse (param i32) (result i32)
      (if (result i32) (local.get 0) (then (i32.const 3)) (else (i32.const 4))))
    (func $loop (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 1))
    (func $ret (param i32) (result i32)
      (br_if 0 (i32.const 7) (local.get 0))
      (drop)
      (drop (block (result i32) (br_table 0 1 (i32.const 9) (local.get 0))))
      (i32.const 8)))
  )");
  requireValid(s);
  const auto &sw = fn(s, "sw");
  for (size_t b = 0; b < sw.blocks.size(); ++b) CHECK(sw.blocks[b].label == "bb" + std::to_string(b));
  // the br_table has 4 targets; all three labels carry a value: 3 edge blocks
  const mir::Instr *bt = nullptr;
  for (const auto &b : sw.blocks)
    for (const auto &i : b.instrs)
      if (i.op == Opcode::BrTable) bt = &i;
  REQUIRE(bt);
  CHECK(bt->targets.size() == 4);
  CHECK(bt->targets[1] == bt->targets[3]);  // the same edge block for $b1
  for (auto t : bt->targets) {
    const auto &edge = sw.blocks.at(t).instrs;
    REQUIRE(edge.size() == 2);
    CHECK(edge[0].op == Opcode::Mov);
    CHECK(edge[1].op == Opcode::Br);
  }
  const auto &ie = fn(s, "ifelse");
  CHECK(countOp(ie, Opcode::BrIf) == 1);
  CHECK(countOp(ie, Opcode::Mov) == 2);
  const auto &ret = fn(s, "ret");
  CHECK(countOp(ret, Opcode::Ret) >= 3);  // br_if to the function label, br_table's, the end
}

TEST_CASE("aliases that live across a construct writing the local are copied before it") {
  auto s = selectWat(R"((module
    (func $f (param i32 i32) (result i32)
      (local.get 0)
      (block
        (br_if 0 (local.get 1))
        (local.set 0 (i32.const 5)))
      (local.get 0)
      i32.add))
  )");
  const auto &f = fn(s, "f");
  const auto &b0 = f.blocks.at(0).instrs;
  REQUIRE(b0.size() >= 2);
  CHECK(b0[1].op == Opcode::Mov);  // the copy of local 0 precedes the block
  CHECK(b0[1].uses[0] == mir::Operand::vreg(0));
  requireValid(s);
}

TEST_CASE("faults change exactly the lowering they name") {
  const char *wat = R"((module (func $f (param i32 i32) (result i32 )
      (i32.add (i32.sub (local.get 0) (local.get 1))
               (i32.add (i32.shr_u (local.get 0) (local.get 1)) (i32.lt_s (local.get 0) (local.get 1))))))
  )";
  auto ok = selectWat(wat);
  SelectOptions o;
  o.fault = SelectOptions::Fault::SubSwapped;
  auto sub = selectWat(wat, o);
  o.fault = SelectOptions::Fault::ShrSigned;
  auto shr = selectWat(wat, o);
  o.fault = SelectOptions::Fault::LtUnsigned;
  auto lt = selectWat(wat, o);
  auto text = [](const Selection &s) { return mir::printFunction(s.module.functions.at(0)); };
  CHECK(text(ok) != text(sub));
  CHECK(text(ok) != text(shr));
  CHECK(text(ok) != text(lt));
  CHECK(countOp(shr.module.functions[0], Opcode::ShrU) == 0);
  CHECK(countOp(ok.module.functions[0], Opcode::ShrU) == 1);
}

TEST_CASE("memory.grow is memsize, -1 and a select: no call, no new opcode, never declined") {
  auto s = selectWat(R"((module (memory 1 4)
    (func $g (param i32) (result i32) (memory.grow (local.get 0)))))");
  REQUIRE(s.declined.empty());
  const auto &f = fn(s, "g");
  CHECK(countOp(f, Opcode::MemSize) == 1);
  CHECK(countOp(f, Opcode::Sel) == 1);
  CHECK(countOp(f, Opcode::Call) == 0);
  requireValid(s);
  // the MIR interpreter: grow 0 is the size in pages, anything else fails
  for (uint64_t delta : {0ull, 1ull, 3ull, 0xffffffffull}) {
    mir::ExecEnv env;
    env.memory.assign(65536, 0);
    const uint64_t args[] = {delta};
    mir::ExecResult r = mir::execute(s.module, "g", args, env);
    REQUIRE(r.status == mir::ExecResult::Status::Returned);
    CHECK(r.results == std::vector<uint64_t>{delta == 0 ? 1u : 0xffffffffu});
  }
}

TEST_CASE("a declined operator is named by its wasm mnemonic, not by wabt's expression kind") {
  const std::string wat = "(module\n"
                          "  (table $t 1 funcref)\n"
                          "  (elem $e func $ok)\n"
                          "  (func $ok (export \"ok\") (result i32) (i32.const 1))\n"
                          "  (func (export \"rf\") (result i32) (ref.is_null (ref.func $ok)))\n"
                          "  (func (export \"tget\") (result i32) (ref.is_null (table.get $t (i32.const 0))))\n"
                          "  (func (export \"ed\") (result i32) (elem.drop $e) (i32.const 0))\n"
                          "  (func (export \"tinit\") (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1)))\n"
                          "  (global $r (mut funcref) (ref.null func))\n"
                          "  (global $d (mut f64) (f64.const 1.5))\n"
                          "  (func (export \"gref\") (result i32) (ref.is_null (global.get $r)))\n"
                          "  (func (export \"gf64\") (result f64) (global.get $d)))\n";
  Diagnostics diags;
  auto bin = watToWasm(wat, "names.wat", diags);
  REQUIRE(bin);
  auto sel = selectModule(*bin, diags);
  REQUIRE(sel);
  std::map<std::string, std::string> why = reasons(*sel);
  CHECK(why.size() == 5);  // gf64 is selected: a float global is words like an integer one
  INFO(why["gref"]);
  CHECK(why["gref"].rfind("unsupported operator 'global.get' of a global of type 'funcref' at names.wat:11:", 0) == 0);
  CHECK(why["rf"].rfind("unsupported operator 'ref.func' at names.wat:5:", 0) == 0);
  CHECK(why["tget"].rfind("unsupported operator 'table.get' at names.wat:6:", 0) == 0);
  CHECK(why["ed"].rfind("unsupported operator 'elem.drop' at names.wat:7:", 0) == 0);
  CHECK(why["tinit"].rfind("unsupported operator 'table.init' at names.wat:8:", 0) == 0);
}

TEST_CASE("a declined operator of a .wat input is named with its file, line and column, of a .wasm with its byte offset") {
  // The operator sits inside an if's else arm inside a loop inside a block,
  // after folded and flat code: the places pair the text's instructions
  // with the binary's in pre-order through every nesting.
  const std::string wat = "(module\n"
                          "  (table $t 1 funcref)\n"
                          "  (func (export \"ok\") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))\n"
                          "  (func (export \"size\") (param i32) (result i32)\n"
                          "    (block (result i32)\n"
                          "      (loop (result i32)\n"
                          "        local.get 0 drop\n"
                          "        (if (result i32) (i32.eqz (local.get 0))\n"
                          "          (then (i32.const 7))\n"
                          "          (else\n"
                          "              table.size $t)))))\n"
                          "  (func (export \"top\") (result i32) (table.size $t)))\n";
  Diagnostics diags;
  auto bin = watToWasm(wat, "places.wat", diags);
  REQUIRE(bin);
  CHECK_FALSE(bin->watPlaces.empty());
  auto sel = selectModule(*bin, diags);
  REQUIRE(sel);
  REQUIRE(sel->declined.size() == 2);
  std::map<std::string, std::string> why = reasons(*sel);
  CHECK(why["size"] == "unsupported operator 'table.size' at places.wat:11:15");
  CHECK(why["top"] == "unsupported operator 'table.size' at places.wat:12:38");
  // The same module as a binary: the offset, as before.
  WasmBinary raw = *bin;
  raw.watPlaces.clear();
  auto fromBinary = selectModule(raw, diags);
  REQUIRE(fromBinary);
  for (const auto &d : fromBinary->declined) CHECK(d.reason.find("table.size' at byte offset ") != std::string::npos);
}

TEST_CASE("a declined parameter, result or local type is placed at its function's header") {
  // No unsupported operator in the bodies: the reason is the type, and its
  // place is the function's own (an imported function before them has no
  // body and must not shift the places).
  const std::string wat = "(module\n"
                          "  (import \"env\" \"h\" (func $h (param i32)))\n"
                          "  (func (export \"ok\") (param i32) (result i32) (local.get 0))\n"
                          "  (func (export \"p\") (param i32 externref) (result i32)\n"
                          "    (local.get 0))\n"
                          "  (func (export \"l\") (result i32) (local i32 funcref) (i32.const 2)))\n";
  Diagnostics diags;
  auto bin = watToWasm(wat, "types.wat", diags);
  REQUIRE(bin);
  auto sel = selectModule(*bin, diags);
  REQUIRE(sel);
  std::map<std::string, std::string> why = reasons(*sel);
  REQUIRE(why.size() == 2);
  CHECK(why["p"].rfind("unsupported parameter type 'externref' at types.wat:4:", 0) == 0);
  CHECK(why["l"].rfind("unsupported type 'funcref' of local 1 at types.wat:6:", 0) == 0);
  // As a binary: the function body's byte offset.
  WasmBinary raw = *bin;
  raw.watPlaces.clear();
  auto fromBinary = selectModule(raw, diags);
  REQUIRE(fromBinary);
  REQUIRE(fromBinary->declined.size() == 2);
  for (const auto &d : fromBinary->declined) CHECK(d.reason.find(" at byte offset ") != std::string::npos);
}
