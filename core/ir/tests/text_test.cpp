// Tests of the .mir printer and parser: canonical round trips over every
// opcode, precise diagnostics, and robustness against broken input.
#include "core/ir/text.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace vcr::mir;

namespace {

std::string readData(const std::string &name) {
  std::ifstream in(std::string(VCR_SOURCE_DIR) + "/core/ir/tests/data/" + name);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The text without its full-line comments (the printer drops comments).
std::string stripComments(const std::string &text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (line.empty() || line[0] != ';') out += line + "\n";
  return out;
}

Module parseOk(std::string_view text) {
  ParseResult r = parseModule(text, "t.mir");
  std::string all;
  for (const auto &d : r.diags) all += d.str() + "\n";
  INFO("diagnostics:\n", all);
  REQUIRE(r.diags.empty());
  REQUIRE(r.module.has_value());
  return *r.module;
}

/// The single diagnostic of a failed parse.
vcr::Diagnostic parseErr(std::string_view text) {
  ParseResult r = parseModule(text, "t.mir");
  CHECK(!r.module);
  REQUIRE(!r.diags.empty());
  return r.diags.front();
}

std::set<Opcode> opcodesOf(const Module &m) {
  std::set<Opcode> ops;
  for (const Function &f : m.functions)
    for (const Block &b : f.blocks)
      for (const Instr &i : b.instrs) ops.insert(i.op);
  return ops;
}

const Instr &instr(const Module &m, std::string_view fn, size_t b, size_t i) {
  const Function *f = m.findFunction(fn);
  REQUIRE(f != nullptr);
  REQUIRE(b < f->blocks.size());
  REQUIRE(i < f->blocks[b].instrs.size());
  return f->blocks[b].instrs[i];
}

}  // namespace

TEST_CASE("data files are canonical: print(parse(text)) == text, and a second trip agrees") {
  for (const char *name : {"all_vreg.mir", "all_alloc.mir"}) {
    INFO(name);
    std::string text = readData(name);
    Module m = parseOk(text);
    std::string printed = printModule(m);
    CHECK(printed == stripComments(text));
    CHECK(printModule(parseOk(printed)) == printed);
  }
}

TEST_CASE("the data files cover every opcode in both forms") {
  std::set<Opcode> vops = opcodesOf(parseOk(readData("all_vreg.mir")));
  std::set<Opcode> aops = opcodesOf(parseOk(readData("all_alloc.mir")));
  for (unsigned k = 0; k < kNumOpcodes; ++k) {
    auto op = static_cast<Opcode>(k);
    INFO(info(op).mnemonic);
    CHECK(aops.count(op) == 1);
    if (!info(op).allocatedOnly) CHECK(vops.count(op) == 1);
  }
  std::set<Origin> origins;
  Module a = parseOk(readData("all_alloc.mir"));
  for (const Function &f : a.functions)
    for (const Block &b : f.blocks)
      for (const Instr &i : b.instrs) origins.insert(i.origin);
  CHECK(origins.size() == 10);
}

TEST_CASE("parsed fields: widths, offsets, immediates, calls, targets, vreg info") {
  Module m = parseOk(readData("all_vreg.mir"));
  CHECK(m.memoryPages == 1);
  REQUIRE(m.globals.size() == 2);
  CHECK(m.globals[0].mut);
  CHECK(m.globals[0].init == 66560);
  CHECK(!m.globals[1].mut);
  REQUIRE(m.imports.size() == 1);
  CHECK(m.imports[0].name == "env.log");
  CHECK(m.imports[0].sig == Signature{{ValType::I32, ValType::I64}, {ValType::I32}});

  const Function *f = m.findFunction("all");
  REQUIRE(f);
  CHECK(f->wasmIndex == 1);
  CHECK(!f->allocated);
  CHECK(f->vinfo(2).kind == VRegInfo::Kind::Param);
  CHECK(f->vinfo(2).index == 1);
  CHECK(f->vinfo(2).hiOf == 1);
  CHECK(f->vinfo(4).kind == VRegInfo::Kind::Stack);
  CHECK(f->vinfo(4).index == -1);
  CHECK(f->vinfo(7).kind == VRegInfo::Kind::Temp);
  CHECK(f->vinfo(7).index == 3);
  CHECK(f->blocks[0].label == "entry");

  const Instr &movi = instr(m, "all", 0, 3);
  CHECK(movi.op == Opcode::MovI);
  CHECK(movi.imm == 0xFFFFFFFFu);
  CHECK(movi.uses.empty());
  const Instr &sub = instr(m, "all", 0, 5);
  CHECK(sub.uses[1] == Operand::imm(1));
  const Instr &ld = instr(m, "all", 0, 54);
  CHECK(ld.op == Opcode::Load);
  CHECK(ld.width == Width::S8);
  CHECK(ld.imm == 65535);
  CHECK(ld.uses == OperandList{Operand::vreg(16)});
  const Instr &st = instr(m, "all", 0, 58);
  CHECK(st.op == Opcode::Store);
  CHECK(st.width == Width::W32);
  CHECK(st.uses == OperandList{Operand::vreg(16), Operand::vreg(0)});
  const Instr &call = instr(m, "all", 0, 66);
  CHECK(call.op == Opcode::Call);
  CHECK(call.callee == "env.log");
  CHECK(call.uses.size() == 3);
  CHECK(call.defs == OperandList{Operand::vreg(23)});
  const Instr &bt = instr(m, "all", 1, 1);
  CHECK(bt.op == Opcode::BrTable);
  CHECK(bt.targets == TargetList{1, 3, 2});

  Module a = parseOk(readData("all_alloc.mir"));
  const Instr &param = instr(a, "all", 0, 0);
  CHECK(param.defs.back() == Operand::stack(12));
  CHECK(param.defs[0] == Operand::preg(PReg::R0));
  const Instr &adj = instr(a, "all", 0, 2);
  CHECK(adj.op == Opcode::AdjSp);
  CHECK(adj.imm == static_cast<uint32_t>(-16));
  CHECK(adj.origin == Origin::Prologue);
  const Instr &push = instr(a, "all", 0, 1);
  CHECK(push.uses.back() == Operand::preg(PReg::LR));
  CHECK(a.functions[1].allocated);
}

TEST_CASE("printer: labels, module header, origins and immediates") {
  Module m;
  Function f;
  f.name = "f";
  f.sig = {{ValType::I32}, {ValType::I32}};
  Instr p;
  p.op = Opcode::Param;
  p.defs = {Operand::vreg(0)};
  Instr br;
  br.op = Opcode::Br;
  br.targets = {1};
  Instr adj;  // not valid in vreg form, but the printer must still show it
  adj.op = Opcode::AdjSp;
  adj.imm = static_cast<uint32_t>(-8);
  adj.origin = Origin::Spill;
  Instr ret;
  ret.op = Opcode::Ret;
  ret.uses = {Operand::vreg(0)};
  // Empty label -> bb0; "bb0" taken by block 2 -> block 0 is "bb0.1";
  // invalid label "9x" -> bb1; duplicate "bb0" -> bb3.
  f.blocks = {{"", {p, br}}, {"9x", {ret}}, {"bb0", {ret}}, {"bb0", {ret}}};
  m.functions.push_back(f);
  std::string text = printModule(m);
  CHECK(text ==
        "func @f(i32) -> (i32) {\n"
        "bb0.1:\n  param v0\n  br bb1\n"
        "bb1:\n  ret v0\n"
        "bb0:\n  ret v0\n"
        "bb3:\n  ret v0\n"
        "}\n");
  CHECK(printInstr(adj, f) == "adjsp #-8 !spill");
  CHECK(printOperand(Operand::imm(0xFFFFFFFBu)) == "#4294967291");
  CHECK(printOperand(Operand::stack(8)) == "[sp+8]");
  CHECK(printOperand(Operand::preg(PReg::LR)) == "lr");
  Module parsed = parseOk(text);
  CHECK(printModule(parsed) == text);
  CHECK(parsed.functions[0].blocks[0].label == "bb0.1");

  Module g;
  g.globals.push_back({5, false});
  CHECK(printModule(g) == "module {\n  global 0 const 5\n}\n");
  CHECK(printModule(Module{}).empty());
}

TEST_CASE("parser: comments, immediates forms, forward labels, lenient widths") {
  Module m = parseOk(
      "; leading comment\n"
      "\n"
      "func @f(i32) -> (i32) {   ; trailing comment\n"
      "b.0:\n"
      "  param v0\n"
      "  add v1, v0, #-5\n"
      "  and v1, v1, #0x1f   \n"
      "  movi v2, #-2147483648\n"
      "  load v3, [v0]\n"
      "  br later\n"
      "later:\n"
      "  ret v1\n"
      "}\n");
  const Function &f = m.functions[0];
  CHECK(f.blocks[0].instrs[1].uses[1] == Operand::imm(0xFFFFFFFBu));
  CHECK(f.blocks[0].instrs[2].uses[1] == Operand::imm(31));
  CHECK(f.blocks[0].instrs[3].imm == 0x80000000u);
  CHECK(f.blocks[0].instrs[4].width == Width::W32);
  CHECK(f.blocks[0].instrs[4].imm == 0);
  CHECK(f.blocks[0].instrs[5].targets == TargetList{1});
  CHECK(printInstr(f.blocks[0].instrs[4], f) == "load.32 v3, [v0+0]");
}

TEST_CASE("diagnostics: exact positions and messages") {
  const char *head = "func @f(i32) -> (i32) {\nbb0:\n  param v0\n";
  auto err = [&](const std::string &body) { return parseErr(std::string(head) + body + "}\n"); };

  auto d = err("  add v1, v0 v0\n  ret v1\n");
  CHECK(d.message == "expected ',' after operand");
  CHECK(d.line == 4);
  CHECK(d.column == 14);
  CHECK(d.function == "f");
  CHECK(d.file == "t.mir");
  CHECK(d.str() == "t.mir:4:14: error: in function 'f': expected ',' after operand");

  // Before the first label: an opcode is an instruction out of place, any
  // other word a label or header line gone wrong (here a cut-off 'wasm').
  d = parseErr("func @f() -> () {\n  was 3\nbb0:\n  ret\n}\n");
  CHECK(d.message == "expected a block label (like 'bb0:'), a 'wasm' line or a 'vreg' line, got 'was'");
  CHECK(d.line == 2);
  CHECK(d.column == 3);
  d = parseErr("func @f() -> () {\n  fadd.f32 s0, s0, s1\nbb0:\n  ret\n}\n");
  CHECK(d.message == "instruction before the first block label");

  d = err("  ad v1, v0, v0\n  ret v1\n");
  CHECK(d.message == "unknown opcode 'ad'");
  CHECK(d.line == 4);
  CHECK(d.column == 3);

  d = err("  br bb1\nbb1:\n  brif v0, bb1, bb9\n");
  CHECK(d.message == "unknown label 'bb9'");
  CHECK(d.line == 6);
  CHECK(d.column == 17);

  d = err("  add v1, v0\n  ret v1\n");
  CHECK(d.message == "operand count: 'add' takes 1 def and 2 uses, got 2 operands");
  CHECK(d.line == 4);
  CHECK(d.column == 3);

  d = err("  movi v1, #4294967296\n  ret v1\n");
  CHECK(d.message == "immediate #4294967296 out of 32-bit range");
  CHECK(d.column == 12);
  d = err("  movi v1, #-2147483649\n  ret v1\n");
  CHECK(d.message == "immediate #-2147483649 out of 32-bit range");

  d = err("  set v1, v0, v0\n  ret v1\n");
  CHECK(d.message == "'set' needs a condition code, e.g. 'set.slt'");
  d = err("  load.u8 v1, v0\n  ret v1\n");
  CHECK(d.message == "expected a memory operand '[reg+offset]' as the address of 'load'");
  CHECK(d.column == 15);
  d = err("  add v1, v0, [v0+4]\n  ret v1\n");
  CHECK(d.line == 4);
  CHECK(d.column == 15);
  d = err("  mov v1, q7\n  ret v1\n");
  CHECK(d.message == "unknown register 'q7'");
  d = err("bb0:\n  ret v0\n");
  CHECK(d.message == "duplicate label 'bb0' (first defined at line 2)");
  CHECK(d.line == 4);
  d = err("  ret v0 !bogus\n");
  CHECK(d.message == "unknown origin 'bogus'");
  d = err("  trap nothing\n");
  CHECK(d.message == "expected a trap reason (unreachable, divzero, overflow, oob)");
  d = err("  mov v1, v0 $\n");
  CHECK(d.message == "unexpected character '$'");
  CHECK(d.column == 14);

  d = parseErr("func @f() -> () {\nbb0:\n  ret\n");
  CHECK(d.message == "unexpected end of input: missing '}' closing the function");
  d = parseErr("func @f(i16) -> () {\n}\n");
  CHECK(d.message == "unknown type 'i16' (expected i32, i64, f32 or f64)");
  CHECK(d.column == 9);
  d = parseErr("module {\n  global 1 mut 0\n}\n");
  CHECK(d.message == "global index 1 out of order, expected 0");
  CHECK(d.function.empty());
}

TEST_CASE("diagnostics: several line errors are all reported") {
  ParseResult r = parseModule("func @f() -> () {\nbb0:\n  foo\n  bar v1\n  ret\n}\n", "x.mir");
  CHECK(!r.module);
  REQUIRE(r.diags.size() == 2);
  CHECK(r.diags[0].line == 3);
  CHECK(r.diags[1].line == 4);
  CHECK(r.diags[1].message == "unknown opcode 'bar'");
}

TEST_CASE("validator errors come back from the parser at their instruction, else at the function header") {
  ParseResult r = parseModule(
      "func @ok() -> () {\nbb0:\n  ret\n}\n\nfunc @g(i32) -> (i32) {\nbb0:\n  param v0\n"
      "  ret v5\n}\n",
      "v.mir");
  CHECK(!r.module);
  REQUIRE(r.diags.size() == 1);
  CHECK(r.diags[0].function == "g");
  CHECK(r.diags[0].line == 9);  // the ret reading v5, which nothing defines
  CHECK(r.diags[0].column == 3);
  CHECK(r.diags[0].file == "v.mir");
  CHECK(r.diags[0].message.find("v5") != std::string::npos);

  // An instruction of a later block, a class conflict (the class check's
  // place), and a problem of the function as a whole (its header).
  r = parseModule("func @h(i32) -> (i32) {\nbb0:\n  param v0\n  br bb1\nbb1:\n  movi v1, #1\n"
                  "      calli #99, v1 (v0) -> (v2)\n  ret v2\n}\n\n"
                  "func @k(i32) -> (i32) {\nbb0:\n  param v0\n  fconst.f32 v1, #0\n  add v2, v0, v1\n  ret v2\n}\n\n"
                  "func @m() -> () {\nbb0:\n  br bb1\nbb1:\n}\n",
                  "w.mir");
  CHECK(!r.module);
  std::map<std::string, std::vector<vcr::Diagnostic>> by;
  for (const vcr::Diagnostic &d : r.diags) by[d.function].push_back(d);
  REQUIRE(by["h"].size() >= 1);
  CHECK(by["h"][0].message.find("#99") != std::string::npos);
  CHECK(by["h"][0].line == 7);
  CHECK(by["h"][0].column == 7);
  REQUIRE(by["k"].size() >= 1);
  CHECK(by["k"][0].message.find("two register classes") != std::string::npos);
  CHECK(by["k"][0].line == 15);
  REQUIRE(by["m"].size() >= 1);
  CHECK(by["m"][0].message.find("empty") != std::string::npos);

  // One vreg for both results of an instruction: the input's fault, said
  // at the instruction (the checker would otherwise blame any allocation).
  r = parseModule("func @u(i32, i32) -> (i32) {\nbb0:\n  param v0, v1\n  umull v2, v2, v0, v1\n  ret v2\n}\n",
                  "u.mir");
  CHECK(!r.module);
  REQUIRE(r.diags.size() == 1);
  CHECK(r.diags[0].message.find("defines v2 twice (defs 0 and 1)") != std::string::npos);
  CHECK(r.diags[0].line == 4);
  CHECK(by["m"][0].line == 19);  // (an empty block: no instruction to point at)
  CHECK(by["m"][0].column == 1);

  // Two functions of one name: the duplicate is reported at the second
  // header, and the second's instruction error at the second's instruction.
  r = parseModule("func @d(i32) -> (i32) {\nbb0:\n  param v0\n  ret v0\n}\n\n"
                  "func @d(i32) -> (i32) {\nbb0:\n  param v0\n  ret v7\n}\n",
                  "d.mir");
  CHECK(!r.module);
  REQUIRE(r.diags.size() == 2);
  std::map<std::string, const vcr::Diagnostic *> dup;
  for (const vcr::Diagnostic &d : r.diags)
    dup[d.message.find("duplicate") != std::string::npos ? "name" : "use"] = &d;
  REQUIRE(dup.count("name"));
  REQUIRE(dup.count("use"));
  CHECK(dup["name"]->line == 7);
  CHECK(dup["use"]->message.find("v7") != std::string::npos);
  CHECK(dup["use"]->line == 10);
  CHECK(dup["use"]->column == 3);
}

TEST_CASE("robustness: every truncation and random mutations parse or diagnose") {
  size_t modules = 0, failures = 0;
  auto check = [&](const std::string &t) {
    ParseResult r = parseModule(t, "fuzz.mir");
    if (r.module) {
      ++modules;
      CHECK(r.diags.empty());
      std::string p = printModule(*r.module);
      ParseResult again = parseModule(p, "again.mir");
      REQUIRE(again.module);
      CHECK(printModule(*again.module) == p);
    } else {
      ++failures;
      CHECK(vcr::hasErrors(r.diags));
      for (const auto &d : r.diags) CHECK(d.line >= 1);
    }
  };
  std::mt19937 rng(12345);
  const std::string alphabet = "v#[]+,:@(){}!-0123456789abcrsplx. \n;\t\xff";
  for (const char *name : {"all_vreg.mir", "all_alloc.mir"}) {
    const std::string text = readData(name);
    for (size_t n = 0; n <= text.size(); n += 1) check(text.substr(0, n));
    for (int k = 0; k < 1500; ++k) {
      std::string t = text;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        size_t at = rng() % t.size();
        switch (rng() % 4) {
        case 0: t[at] = static_cast<char>(rng() % 256); break;
        case 1: t[at] = alphabet[rng() % alphabet.size()]; break;
        case 2: t.erase(at, 1 + rng() % 8); break;
        default: t.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        }
        if (t.empty()) t = "x";
      }
      check(t);
    }
  }
  CHECK(modules > 0);
  CHECK(failures > 0);
}

TEST_CASE("limits: a memory over wasm's 65536 pages is an error naming the place") {
  auto ok = parseModule("module {\n  memory 65536\n}\n", "max.mir");
  CHECK(ok.module);
  auto r = parseModule("module {\n  memory 4294967295\n}\n", "huge.mir");
  CHECK_FALSE(r.module);
  REQUIRE_FALSE(r.diags.empty());
  CHECK(r.diags[0].str().find("huge.mir:2:10") != std::string::npos);
  CHECK(r.diags[0].message.find("more than wasm's 65536") != std::string::npos);
}
