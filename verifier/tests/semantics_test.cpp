// The checker's SMT encoding of every MIR opcode held against the reference interpreter.
#include "core/ir/interp.h"
#include "verifier/semantics.h"

#include <doctest/doctest.h>

#include <random>

using namespace vcr;
using namespace vcr::mir;
using namespace vcr::verifier;
using smt::Term;

namespace {

/// Random words biased towards the edge cases of shifts, division and signs.
struct Gen {
  std::mt19937_64 rng{0x5eed};
  uint32_t word() {
    static const uint32_t edge[] = {0, 1, 2, 31, 32, 33, 63, 64, 0x7fffffff, 0x80000000,
                                    0xffffffff, 0xfffffffe, 0xff, 0x80, 0xffff, 0x8000};
    switch (rng() % 4) {
    case 0: return edge[rng() % std::size(edge)];
    case 1: return static_cast<uint32_t>(rng() % 70);
    default: return static_cast<uint32_t>(rng());
    }
  }
};

/// A one-instruction vreg-form function @t taking `nUses` i32 params
/// v0.. and returning the defs v10 (i32) or v10:v11 (i64).
Module oneInstr(Instr in, unsigned nUses, bool immSecond) {
  Function f;
  f.name = "t";
  Block b;
  b.label = "bb0";
  Instr param;
  param.op = Opcode::Param;
  for (unsigned k = 0; k < nUses; ++k) {
    f.sig.params.push_back(ValType::I32);
    param.defs.push_back(Operand::vreg(k));
  }
  b.instrs.push_back(param);
  for (unsigned k = 0; k < nUses; ++k)
    in.uses.push_back(immSecond && k == 1 ? Operand::imm(in.imm) : Operand::vreg(k));
  const int nd = info(in.op).ndefs;
  for (int k = 0; k < nd; ++k) in.defs.push_back(Operand::vreg(10 + static_cast<uint32_t>(k)));
  Instr ret;
  ret.op = Opcode::Ret;
  ret.uses = in.defs;
  f.sig.results.push_back(nd == 2 ? ValType::I64 : ValType::I32);
  if (in.op != Opcode::MovI && immSecond) in.imm = 0;
  b.instrs.push_back(in);
  b.instrs.push_back(ret);
  f.blocks.push_back(b);
  Module m;
  m.memoryPages = 1;
  m.functions.push_back(f);
  return m;
}

/// Evaluate a closed term to a number.
uint64_t value(smt::Context &c, Term t) {
  auto v = c.bvLiteral(c.simplify(t));
  REQUIRE(v.has_value());
  return *v;
}

}  // namespace

TEST_CASE("semantics: every pure opcode agrees with the interpreter on random values") {
  Gen g;
  unsigned covered = 0;
  for (unsigned opi = 0; opi < kNumOpcodes; ++opi) {
    const Opcode op = static_cast<Opcode>(opi);
    Instr probe;
    probe.op = op;
    probe.cc = Cond::Eq;
    smt::Context c0;
    const int nu = info(op).nuses;
    if (nu < 0 || !evalPure(c0, probe, std::vector<Term>(size_t(nu), c0.bv(0, 32)))) continue;
    // fconst (pure: its immediates' bits) takes immediates only, which this
    // harness does not place; vfp_test runs it in the interpreter end to end.
    if (isFloatOp(op)) continue;
    ++covered;
    const bool hasCc = op == Opcode::Set || op == Opcode::Set64;
    for (unsigned trial = 0; trial < 60; ++trial) {
      Instr in;
      in.op = op;
      in.cc = hasCc ? static_cast<Cond>(1 + trial % 10) : Cond::None;
      in.imm = g.word();
      const bool immSecond = info(op).immOperand && trial % 3 == 0;
      std::vector<uint64_t> args;
      for (int k = 0; k < nu; ++k) args.push_back(g.word());
      Module m = oneInstr(in, static_cast<unsigned>(nu), immSecond);
      const Instr &placed = m.functions[0].blocks[0].instrs[1];
      ExecEnv env;
      env.memory.assign(65536, 0);
      ExecResult r = execute(m, "t", args, env);
      CAPTURE(info(op).mnemonic);
      CAPTURE(trial);
      REQUIRE_MESSAGE(r.status == ExecResult::Status::Returned, r.error);
      smt::Context c;
      std::vector<Term> uses;
      for (const Operand &o : placed.uses)
        uses.push_back(c.bv(o.isImm() ? o.value : static_cast<uint32_t>(args[o.value]), 32));
      auto defs = evalPure(c, placed, uses);
      REQUIRE(defs.has_value());
      uint64_t mine = value(c, (*defs)[0]);
      if (defs->size() == 2) mine |= value(c, (*defs)[1]) << 32;
      CAPTURE(args);
      CHECK(mine == r.results.at(0));
    }
  }
  CHECK(covered == 39);  // mov .. set64: every register-to-register opcode
}

TEST_CASE("semantics: loads, bounds checks and stores agree with the interpreter") {
  Gen g;
  const Width widths[] = {Width::W32, Width::U8, Width::S8, Width::U16, Width::S16};
  for (unsigned trial = 0; trial < 300; ++trial) {
    const bool wide = trial % 6 == 5, store = trial % 2 == 1;
    const Width w = widths[trial % 5];
    Instr in;
    in.op = store ? (wide ? Opcode::Store64 : Opcode::Store) : (wide ? Opcode::Load64 : Opcode::Load);
    in.width = store && (w == Width::S8 || w == Width::S16) ? Width::W32 : w;
    in.imm = static_cast<uint32_t>(g.rng() % 3 == 0 ? g.word() : g.rng() % 16);
    const uint32_t addr = static_cast<uint32_t>(
        g.rng() % 2 ? 65536 - 12 + g.rng() % 16 : g.rng() % 2 ? g.rng() % 65536 : g.word());
    // function: param (value lo, value hi, addr); op; ret something
    Function f;
    f.name = "t";
    f.sig.params = {ValType::I32, ValType::I32, ValType::I32};
    Block b;
    Instr param;
    param.op = Opcode::Param;
    param.defs = {Operand::vreg(0), Operand::vreg(1), Operand::vreg(2)};
    b.instrs.push_back(param);
    if (in.op == Opcode::Load) in.uses = {Operand::vreg(2)}, in.defs = {Operand::vreg(3)};
    if (in.op == Opcode::Load64) in.uses = {Operand::vreg(2)}, in.defs = {Operand::vreg(3), Operand::vreg(4)};
    if (in.op == Opcode::Store) in.uses = {Operand::vreg(0), Operand::vreg(2)};
    if (in.op == Opcode::Store64) in.uses = {Operand::vreg(0), Operand::vreg(1), Operand::vreg(2)};
    b.instrs.push_back(in);
    Instr ret;
    ret.op = Opcode::Ret;
    ret.uses = in.defs;
    f.sig.results.assign(in.defs.size() == 2 ? 1 : in.defs.size(),
                         in.defs.size() == 2 ? ValType::I64 : ValType::I32);
    b.instrs.push_back(ret);
    f.blocks.push_back(b);
    Module m;
    m.memoryPages = 1;
    m.functions.push_back(f);
    ExecEnv env;
    env.memory.resize(65536);
    for (auto &byte : env.memory) byte = static_cast<uint8_t>(g.rng());
    const std::vector<uint8_t> before = env.memory;
    const std::vector<uint64_t> args = {g.word(), g.word(), addr};
    ExecResult r = execute(m, "t", args, env);
    REQUIRE_MESSAGE((r.status == ExecResult::Status::Returned ||
                     r.status == ExecResult::Status::Trapped), r.error);

    smt::Context c;
    const unsigned bytes = wide ? 8 : widthBytes(in.width);
    Term ea = effectiveAddress(c, c.bv(addr, 32), in.imm);
    const bool oob = c.boolLiteral(c.simplify(outOfBounds(c, ea, bytes, 65536))).value();
    CAPTURE(trial);
    CAPTURE(addr);
    CAPTURE(in.imm);
    CHECK(oob == (r.status == ExecResult::Status::Trapped));
    if (oob) {
      CHECK(r.trap == TrapReason::OutOfBounds);
      continue;
    }
    const uint64_t e = uint64_t(addr) + in.imm;
    // the memory array: the initial bytes around the access over an unknown base
    Term mem = c.memoryVar("base");
    for (uint64_t k = e; k < e + 8 && k < 65536; ++k)
      mem = c.store(mem, c.bv(k, 32), c.bv(before[k], 8));
    if (!store) {
      uint64_t mine = value(c, loadValue(c, mem, ea, wide ? Width::W32 : in.width));
      if (wide) mine |= value(c, loadValue(c, mem, c.bin(smt::Context::BinOp::Add, ea, c.bv(4, 64)), Width::W32)) << 32;
      CHECK(mine == r.results.at(0));
    } else {
      Term after = storeBytes(c, mem, c.bv(e, 32), c.bv(args[0], 32), wide ? 4 : bytes);
      if (wide) after = storeBytes(c, after, c.bv(e + 4, 32), c.bv(args[1], 32), 4);
      for (uint64_t k = e; k < e + bytes; ++k)
        CHECK(value(c, c.select(after, c.bv(k, 32))) == env.memory[k]);
      if (e + bytes < 65536) CHECK(env.memory[e + bytes] == before[e + bytes]);
    }
  }
}

TEST_CASE("semantics: memgrow and a growable memory's bounds agree with the interpreter") {
  // @t(delta, addr): d = memgrow delta; v = load.u8 [addr] (traps oob past
  // the new size); ret d + v. The SMT encoding (growMemory, outOfBounds on
  // a size term) evaluated on the same words must give the same d, size and trap.
  Gen g;
  for (unsigned trial = 0; trial < 400; ++trial) {
    const uint32_t maxPages = 1 + static_cast<uint32_t>(g.rng() % 6);
    const uint32_t pages = static_cast<uint32_t>(g.rng() % (maxPages + 1));
    const uint32_t delta = g.rng() % 2 ? static_cast<uint32_t>(g.rng() % 8) : g.word();
    const uint32_t addr = static_cast<uint32_t>(g.rng() % (uint64_t(maxPages + 1) * 65536));
    Function f;
    f.name = "t";
    f.sig.params = {ValType::I32, ValType::I32};
    f.sig.results = {ValType::I32};
    Block b;
    auto ins = [&](Opcode op, OperandList d, OperandList u) {
      Instr i;
      i.op = op;
      i.defs = std::move(d);
      i.uses = std::move(u);
      if (op == Opcode::Load) i.width = Width::U8;
      b.instrs.push_back(i);
    };
    ins(Opcode::Param, {Operand::vreg(0), Operand::vreg(1)}, {});
    ins(Opcode::MemGrow, {Operand::vreg(2)}, {Operand::vreg(0)});
    ins(Opcode::Load, {Operand::vreg(3)}, {Operand::vreg(1)});
    ins(Opcode::Add, {Operand::vreg(4)}, {Operand::vreg(2), Operand::vreg(3)});
    ins(Opcode::Ret, {}, {Operand::vreg(4)});
    f.blocks.push_back(b);
    Module m;
    m.memoryPages = pages;
    m.memoryMax = maxPages;
    m.functions.push_back(f);
    ExecEnv env;
    env.memory.assign(size_t(pages) * 65536, 0);
    ExecResult r = execute(m, "t", std::vector<uint64_t>{delta, addr}, env);
    REQUIRE_MESSAGE((r.status == ExecResult::Status::Returned || r.status == ExecResult::Status::Trapped), r.error);

    smt::Context c;
    const auto [d, size] = growMemory(c, c.bv(uint64_t(pages) * 65536, 32), c.bv(delta, 32), maxPages);
    const uint64_t dv = c.bvLiteral(c.simplify(d)).value(), sv = c.bvLiteral(c.simplify(size)).value();
    const bool oob = c.boolLiteral(c.simplify(outOfBounds(c, effectiveAddress(c, c.bv(addr, 32), 0), 1, size))).value();
    CAPTURE(trial);
    CAPTURE(pages);
    CAPTURE(maxPages);
    CAPTURE(delta);
    CAPTURE(addr);
    CHECK(sv == env.memory.size());  // the size the run leaves
    CHECK(oob == (r.status == ExecResult::Status::Trapped));
    if (!oob) CHECK(r.results.at(0) == ((dv + 0) & 0xffffffffu));  // the byte read is a zero
  }
}
