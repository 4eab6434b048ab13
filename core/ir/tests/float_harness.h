#pragma once
/// Test helper shared by core/ir and arm/select tests: a vreg-form function
/// that runs one float opcode on argument words (f32 as an i32 word, f64 as
/// an i64, moved in and out by fmovfromint/fmovtoint), so the opcode can be
/// compared with a runtime call or with wasm run by wabt.

#include "core/ir/mir.h"

#include <vector>

namespace vcr::mir::test {

inline Operand v(uint32_t n) { return Operand::vreg(n); }

inline Instr mk(Opcode op, OperandList defs, OperandList uses, Cond cc = Cond::None) {
  Instr i;
  i.op = op;
  i.defs = std::move(defs);
  i.uses = std::move(uses);
  i.cc = cc;
  return i;
}

/// A vreg-form function that runs `op` once: an f32 argument arrives as an
/// i32 word and an f64 as an i64 pair (moved in by fmovfromint), a core
/// argument as an i32 (two core uses: one i64); the result leaves the same way.
inline Function opFunction(Opcode op, Cond cc) {
  Function f;
  f.name = "t";
  Instr probe;
  probe.op = op;
  const OpcodeInfo &oi = info(op);
  std::vector<Instr> pre, post;
  Instr param = mk(Opcode::Param, {}, {});
  OperandList uses, defs;
  uint32_t next = 0;
  const bool pairUses = oi.nuses == 2 && operandClass(probe, false, 0) == RegClass::Core &&
                        operandClass(probe, false, 1) == RegClass::Core;
  if (pairUses) {
    f.sig.params = {ValType::I64};
    param.defs = {v(0), v(1)};
    uses = {v(0), v(1)};
    next = 2;
  } else {
    for (int k = 0; k < oi.nuses; ++k) {
      const RegClass c = *operandClass(probe, false, size_t(k));
      if (c == RegClass::F64) {
        f.sig.params.push_back(ValType::I64);
        param.defs.push_back(v(next));
        param.defs.push_back(v(next + 1));
        pre.push_back(mk(Opcode::FMovFromInt64, {v(next + 2)}, {v(next), v(next + 1)}));
        uses.push_back(v(next + 2));
        next += 3;
      } else {
        f.sig.params.push_back(ValType::I32);
        param.defs.push_back(v(next));
        if (c == RegClass::F32) {
          pre.push_back(mk(Opcode::FMovFromInt32, {v(next + 1)}, {v(next)}));
          uses.push_back(v(next + 1));
          next += 2;
        } else {
          uses.push_back(v(next++));
        }
      }
    }
  }
  Instr ret = mk(Opcode::Ret, {}, {});
  const RegClass rc = *operandClass(probe, true, 0);
  if (oi.ndefs == 2) {
    f.sig.results = {ValType::I64};
    defs = {v(next), v(next + 1)};
    ret.uses = defs;
  } else if (rc == RegClass::Core) {
    f.sig.results = {ValType::I32};
    defs = {v(next)};
    ret.uses = defs;
  } else if (rc == RegClass::F32) {
    f.sig.results = {ValType::I32};
    defs = {v(next)};
    post.push_back(mk(Opcode::FMovToInt32, {v(next + 1)}, {v(next)}));
    ret.uses = {v(next + 1)};
  } else {
    f.sig.results = {ValType::I64};
    defs = {v(next)};
    post.push_back(mk(Opcode::FMovToInt64, {v(next + 1), v(next + 2)}, {v(next)}));
    ret.uses = {v(next + 1), v(next + 2)};
  }
  Block b{"bb0", {}};
  b.instrs.push_back(param);
  for (Instr &i : pre) b.instrs.push_back(i);
  b.instrs.push_back(mk(op, defs, uses, cc));
  for (Instr &i : post) b.instrs.push_back(i);
  b.instrs.push_back(ret);
  f.blocks.push_back(std::move(b));
  return f;
}

}  // namespace vcr::mir::test
