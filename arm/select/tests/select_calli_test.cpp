// Selection of call_indirect: the table and signature ids, `calli`, and the
// declines (imported table, non-constant segment offset, declined callee).
#include "arm/select/select.h"
#include "core/ir/validate.h"

#include <doctest/doctest.h>

using namespace vcr;
using namespace vcr::select;

namespace {

Selection selectWat(const std::string &wat) {
  Diagnostics diags;
  auto bin = watToWasm(wat, "calli.wat", diags);
  REQUIRE_MESSAGE(bin, (diags.empty() ? std::string() : diags[0].str()));
  auto sel = selectModule(*bin, diags);
  REQUIRE(sel);
  return std::move(*sel);
}

std::string declineOf(const Selection &s, const std::string &fn) {
  for (const auto &d : s.declined)
    if (d.function == fn) return d.reason;
  return "";
}

const mir::Instr *calliOf(const mir::Function &f) {
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs)
      if (i.op == mir::Opcode::CallInd) return &i;
  return nullptr;
}

}  // namespace

TEST_CASE("call_indirect: table slots, structural signature ids and calli operands") {
  const Selection s = selectWat(R"((module
    (type $a (func (param i32) (result i32)))
    (type $b (func (param i32) (result i32)))
    (type $f (func (param f32) (result f32)))
    (table 6 funcref)
    (elem (i32.const 1) $one $fl)
    (elem (i32.const 4) $one)
    (func $one (type $a) (local.get 0))
    (func $fl (type $f) (local.get 0))
    (func (export "go") (param i32 i32) (result i32)
      (call_indirect (type $b) (local.get 1) (local.get 0)))))");
  Diagnostics d;
  CHECK(mir::validateModule(s.module, d));
  REQUIRE(s.module.table.size() == 6);
  using K = mir::TableSlot::Kind;
  CHECK(s.module.table[0].kind == K::Null);
  CHECK(s.module.table[1].kind == K::Func);
  CHECK(s.module.table[1].func == "one");
  CHECK(s.module.table[2].kind == K::Func);
  CHECK(s.module.table[4].func == "one");
  CHECK(s.module.table[5].kind == K::Null);
  // $a and $b are one signature id; f32 -> f32 is another, though one word each way
  CHECK(s.module.table[2].type != s.module.table[1].type);
  CHECK(s.module.types[s.module.table[1].type] == s.module.types[s.module.table[2].type]);
  const mir::Function *go = s.module.findFunction("go");
  REQUIRE(go);
  const mir::Instr *c = calliOf(*go);
  REQUIRE(c);
  CHECK(c->imm == s.module.table[1].type);
  REQUIRE(c->uses.size() == 2);  // the argument (local 1), then the index (local 0)
  const mir::Instr &param = go->blocks[0].instrs[0];
  CHECK(c->uses[0] == param.defs[1]);
  CHECK(c->uses[1] == param.defs[0]);
}

TEST_CASE("call_indirect: declined with a reason where the table cannot be supported") {
  const Selection imported = selectWat(R"((module
    (import "env" "t" (table 2 funcref))
    (type $a (func (param i32) (result i32)))
    (func (export "go") (param i32) (result i32)
      (call_indirect (type $a) (local.get 0) (local.get 0)))))");
  CHECK(declineOf(imported, "go").find("imported table") != std::string::npos);
  const Selection global = selectWat(R"((module
    (import "env" "base" (global i32))
    (type $a (func (param i32) (result i32)))
    (table 4 funcref)
    (elem (global.get 0) $one)
    (func $one (type $a) (local.get 0))
    (func (export "go") (param i32) (result i32)
      (call_indirect (type $a) (local.get 0) (local.get 0)))))");
  CHECK(declineOf(global, "go").find("offset is not a constant") != std::string::npos);
  CHECK(declineOf(global, "one").empty());
}

TEST_CASE("call_indirect: a declined table function declines the callers of its signature only") {
  const Selection s = selectWat(R"((module
    (type $a (func (param i32) (result i32)))
    (type $b (func (param i32 i32) (result i32)))
    (table 2 funcref)
    (elem (i32.const 0) $bad $ok)
    (func $bad (type $a) (drop (v128.const i64x2 0 0)) (local.get 0))
    (func $ok (type $b) (i32.add (local.get 0) (local.get 1)))
    (memory 1)
    (func (export "calls_a") (param i32) (result i32)
      (call_indirect (type $a) (local.get 0) (local.get 0)))
    (func (export "calls_b") (param i32) (result i32)
      (call_indirect (type $b) (local.get 0) (local.get 0) (local.get 0)))))");
  CHECK_FALSE(declineOf(s, "bad").empty());
  CHECK(declineOf(s, "calls_a").find("bad") != std::string::npos);
  CHECK(declineOf(s, "calls_b").empty());
  CHECK(s.module.table[0].kind == mir::TableSlot::Kind::Opaque);
  Diagnostics d;
  CHECK(mir::validateModule(s.module, d));
}
