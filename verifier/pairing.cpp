// Structural obligations: block correspondence, instruction pairing, operand kinds, registers.
#include "verifier/pairing.h"

#include "core/ir/classes.h"
#include "core/ir/text.h"
#include "verifier/abi.h"
#include "verifier/dataflow.h"
#include "verifier/semantics.h"
#include "verifier/vfp_rules.h"

#include <algorithm>
#include <string>

namespace vcr::verifier {

using namespace mir;

Obligation makeObligation(const std::string &function, const std::string &suffix,
                          const std::string &kind, int32_t block) {
  Obligation o;
  o.id.reserve(function.size() + 1 + suffix.size());  // one allocation, not three
  o.id.append(function).append(1, '.').append(suffix);
  o.kind = kind;
  o.function = function;
  o.block = block;
  o.status = Status::Proved;
  o.method = "syntactic";
  return o;
}

void refute(Obligation &o, const std::string &why) {
  o.status = Status::Refuted;
  o.method = "syntactic";
  if (!o.detail.empty()) o.detail += "; ";
  o.detail += why;
}

namespace {

std::string at(uint32_t b, size_t i) {
  return "bb" + std::to_string(b) + " instr " + std::to_string(i);
}

/// Whether an inserted instruction of origin `o` may have opcode `op`.
bool allowedInserted(Origin o, Opcode op) {
  switch (o) {
  case Origin::Move: return op == Opcode::Mov || op == Opcode::MovI;
  case Origin::Remat: return op == Opcode::MovI || op == Opcode::FConst32 || op == Opcode::FConst64;
  case Origin::Spill: return op == Opcode::Sts;
  case Origin::Reload: return op == Opcode::Lds;
  case Origin::Frame: return op == Opcode::Lds || op == Opcode::Sts;
  case Origin::OutArg:
    return op == Opcode::Sts || op == Opcode::Lds || op == Opcode::Mov || op == Opcode::MovI;
  case Origin::InArg:  // incoming parameters, and stack results (docs/mir.md)
    return op == Opcode::Lds || op == Opcode::Mov || op == Opcode::Sts || op == Opcode::MovI;
  case Origin::Prologue: return op == Opcode::Push || op == Opcode::AdjSp || op == Opcode::Sts;
  case Origin::Epilogue: return op == Opcode::Pop || op == Opcode::AdjSp || op == Opcode::Lds;
  case Origin::Original: return false;
  }
  return false;
}

/// Checker of one allocated function, accumulating into obligations.
struct Structure {
  const Function &orig, &alloc;
  const Module &mod;
  uint16_t pool;
  Pairing p;
  bool fatal = false;
  /// Classes of the original's vregs (empty, i.e. all core, when no VFP is involved).
  std::vector<RegClass> classes =
      vfpInvolved(orig, alloc, mod) ? vregClasses(orig, &mod) : std::vector<RegClass>{};

  bool regIn(const Operand &o, uint16_t mask) const {
    return o.isPReg() && o.value < kNumPRegs && (mask >> o.value) & 1u;
  }

  /// Operand shapes of an inserted instruction; false + why when wrong.
  /// R12 (IP) is the scratch register: an inserted move, constant or load
  /// may write it, and an inserted instruction of the same run (no original
  /// instruction in between) may read it; `scratchLive` tracks the run.
  /// When the pool includes R12 (`--pool r0-r8,r12`) it is an ordinary
  /// allocatable register and the rule does not apply (the dataflow tracks
  /// its content like any other register's either way).
  bool checkInserted(const Instr &in, std::string &why, bool &scratchLive) const {
    const bool r12Scratch = !((pool >> unsigned(PReg::R12)) & 1u);
    for (const Operand &o : in.uses)
      if (r12Scratch && o.isPReg() && o.preg() == PReg::R12 && !scratchLive)
        return why = "r12 (scratch) read outside the run of inserted instructions that wrote it",
               false;
    for (const Operand &o : in.defs)
      if (o.isPReg() && o.preg() == PReg::R12) scratchLive = true;
    if (vfpInsertedRule(in, why)) return why.empty();
    const uint16_t moveRegs = pool | abi::kArgRegs | abi::bit(PReg::R12);
    const uint16_t saveRegs = pool | abi::kCalleeSaved | abi::bit(PReg::LR);
    auto regs = [&](const mir::OperandList &ops, uint16_t mask) {
      for (const Operand &o : ops)
        if (!regIn(o, mask)) return false;
      return true;
    };
    switch (in.op) {
    case Opcode::Mov:
      if (in.defs.size() != 1 || in.uses.size() != 1 || !regs(in.defs, moveRegs) ||
          !regs(in.uses, moveRegs))
        return why = "mov operands must be registers of the pool, r0-r3 or r12", false;
      return true;
    case Opcode::MovI:
      if (in.defs.size() != 1 || !in.uses.empty() || !regs(in.defs, moveRegs))
        return why = "movi must define one register of the pool, r0-r3 or r12", false;
      return true;
    case Opcode::Lds:
      if (in.defs.size() != 1 || in.uses.size() != 1 ||
          !regs(in.defs, moveRegs | (in.origin == Origin::Epilogue ? saveRegs : 0)) ||
          !in.uses[0].isStack())
        return why = "lds must be `lds rX, [sp+N]` with rX in the pool, r0-r3 or r12", false;
      return true;
    case Opcode::Sts:
      if (in.defs.size() != 1 || in.uses.size() != 1 || !in.defs[0].isStack() ||
          !regs(in.uses, moveRegs | (in.origin == Origin::Prologue ? saveRegs : 0)))
        return why = "sts must be `sts [sp+N], rX` with rX in the pool, r0-r3 or r12", false;
      return true;
    case Opcode::Push:
    case Opcode::Pop: {
      const auto &ops = in.op == Opcode::Push ? in.uses : in.defs;
      const auto &other = in.op == Opcode::Push ? in.defs : in.uses;
      if (ops.empty() || !other.empty() || !regs(ops, saveRegs))
        return why = "push/pop lists registers of the pool, r4-r11 or lr", false;
      for (size_t i = 1; i < ops.size(); ++i)
        if (ops[i].value <= ops[i - 1].value)
          return why = "push/pop register list must be ascending without repeats", false;
      return true;
    }
    case Opcode::AdjSp:
      if (!in.defs.empty() || !in.uses.empty()) return why = "adjsp takes only #imm", false;
      return true;
    default: return why = "not an instruction an allocator may insert", false;
    }
  }

  /// Same opcode, fields, operand counts and immediates: the pairing key.
  static bool sameShape(const Instr &v, const Instr &a) {
    if (v.op != a.op || v.cc != a.cc || v.width != a.width || v.reason != a.reason ||
        v.imm != a.imm || v.callee != a.callee || v.defs.size() != a.defs.size() ||
        v.uses.size() != a.uses.size() || v.targets.size() != a.targets.size())
      return false;
    for (size_t k = 0; k < v.uses.size(); ++k)
      if (v.uses[k].isImm() != a.uses[k].isImm() || (v.uses[k].isImm() && v.uses[k] != a.uses[k]))
        return false;
    return true;
  }

  /// A register-to-register instruction of vreg operands (no effects, no traps).
  static bool isPure(const Instr &v) {
    if (!isPureOp(v.op)) return false;
    for (const Operand &o : v.defs)
      if (!o.isVReg()) return false;
    for (const Operand &o : v.uses)
      if (!o.isVReg() && !o.isImm()) return false;
    return true;
  }

  /// How an allocated instruction fails to implement its original one.
  enum class Mismatch : uint8_t {
    None,
    Shape,         ///< opcode, fields, operand kinds or targets: no pairing (fatal)
    OutsidePool,   ///< a register outside the pool: reported, semantics still checked
    AbiOperand,    ///< an ABI operand outside r0-r3: reported, semantics still checked
    SameResult,    ///< two results in one register: reported, semantics still checked
  };

  /// Compare an original instruction with its allocated counterpart.
  Mismatch matchOriginal(const Instr &v, const Instr &a, std::string &why) const {
    Mismatch m = pairShape(v, a, why);
    if (m == Mismatch::None) m = pairRegisters(v.defs, a.defs, v.op, why);
    if (m == Mismatch::None) m = pairRegisters(v.uses, a.uses, v.op, why, v.op == Opcode::CallInd);
    if (m == Mismatch::None) m = distinctResults(a, why);
    return m;
  }

  /// An instruction's results are in distinct registers. In MIR the later
  /// def would simply win, but no Thumb-2 form writes one register twice:
  /// UMULL/SMULL, LDRD and VMOV to a core pair are UNPREDICTABLE with both
  /// destinations equal (ARM ARM), so such an allocation has no code.
  static Mismatch distinctResults(const Instr &a, std::string &why) {
    for (size_t k = 1; k < a.defs.size(); ++k)
      for (size_t j = 0; j < k; ++j)
        if (a.defs[j] == a.defs[k] && (a.defs[k].isPReg() || a.defs[k].isVfp())) {
          why = "results " + std::to_string(j) + " and " + std::to_string(k) + " are both in " +
                printOperand(a.defs[k]) + " (no Thumb-2 instruction writes one register twice)";
          return Mismatch::SameResult;
        }
    return Mismatch::None;
  }

  /// Opcode, fields, operand counts, immediates and targets.
  Mismatch pairShape(const Instr &v, const Instr &a, std::string &why) const {
    auto fail = [&](std::string w) {
      why = std::move(w);
      return Mismatch::Shape;
    };
    if (v.op != a.op) return fail("opcode differs from the original");
    if (v.cc != a.cc || v.width != a.width || v.reason != a.reason || v.imm != a.imm ||
        v.callee != a.callee)
      return fail("instruction fields (cc/width/reason/imm/callee) differ from the original");
    if (v.defs.size() != a.defs.size() || v.uses.size() != a.uses.size())
      return fail("operand count differs from the original");
    if (v.targets.size() != a.targets.size())
      return fail("branch target count differs from the original");
    for (size_t k = 0; k < v.targets.size(); ++k) {
      BlockId t = a.targets[k];
      if (t >= p.resolved.size() || p.resolved[t] != v.targets[k])
        return fail("branch target " + std::to_string(k) + " does not lead to bb" +
                    std::to_string(v.targets[k]));
    }
    return Mismatch::None;
  }

  /// Each vreg operand became a register of the right set (a stack word
  /// only at an ABI site), each immediate stayed.
  Mismatch pairRegisters(const mir::OperandList &vs, const mir::OperandList &as, Opcode op,
                         std::string &why, bool indexLast = false) const {
    const bool abiOps = op == Opcode::Param || mir::isCall(op) || op == Opcode::Ret;
    auto fail = [&](Mismatch m, std::string w) {
      why = std::move(w);
      return m;
    };
    for (size_t k = 0; k < vs.size(); ++k) {
      const Operand &x = vs[k], &y = as[k];
      // calli's last use, the table index, is an ordinary register operand
      const bool abiSite = abiOps && !(indexLast && k + 1 == vs.size());
      const RegClass cls = x.isVReg() && x.value < classes.size() ? classes[x.value] : RegClass::Core;
      if (x.isVReg() && cls != RegClass::Core) {
        if (y.isStack() && abiSite) continue;
        const bool f64 = cls == RegClass::F64;
        if (f64 ? !(y.isDReg() && y.value < kNumDRegs) : !(y.isSReg() && y.value < kNumSRegs))
          return fail(Mismatch::Shape, std::string("an ") + (f64 ? "f64" : "f32") + " vreg must become " +
                                           (f64 ? "a D register" : "an S register"));
        if (abiSite && y.value >= (f64 ? 8u : 16u))
          return fail(Mismatch::AbiOperand, "ABI operand " + printOperand(y) + " is not one of " +
                                                (f64 ? "d0-d7" : "s0-s15"));
        continue;
      }
      if (x.isImm()) {
        if (!(y.isImm() && y.value == x.value))
          return fail(Mismatch::Shape, "immediate operand differs from the original");
      } else if (x.isVReg()) {
        if (y.isStack() && abiSite) continue;
        if (!y.isPReg() || y.value >= kNumPRegs)
          return fail(Mismatch::Shape, "a vreg operand must become a physical register");
        if (abiSite) {
          if (!abi::has(abi::kArgRegs, y.preg()))
            return fail(Mismatch::AbiOperand,
                        "ABI operand " + std::string(pregName(y.preg())) + " is not one of r0-r3");
        } else if (!regIn(y, pool)) {
          return fail(Mismatch::OutsidePool, "register " + std::string(pregName(y.preg())) +
                                                 " is not in the allocatable pool");
        }
      } else {
        return fail(Mismatch::Shape, "original operand is neither a vreg nor an immediate");
      }
    }
    return Mismatch::None;
  }

  /// Prologue code only at the entry: in block 0, before any original
  /// instruction but `param`. Epilogue code only in the run of inserted
  /// instructions that ends at a `ret`. (The reserved-register and preserve
  /// goals check their effect wherever they are; this keeps the roles honest.)
  void confineFrameCode(uint32_t b, Obligation &ob) const {
    const auto &is = alloc.blocks[b].instrs;
    bool entryRun = b == 0;  // still before any original instruction but `param`
    for (size_t i = 0; i < is.size(); ++i) {
      const Instr &a = is[i];
      if (a.origin == Origin::Original && a.op != Opcode::Param) entryRun = false;
      if (a.origin == Origin::Prologue && !entryRun)
        refute(ob, at(b, i) + ": !prologue code outside the function entry");
      if (a.origin != Origin::Epilogue) continue;
      size_t j = i + 1;
      while (j < is.size() && is[j].inserted()) ++j;
      if (j >= is.size() || is[j].op != Opcode::Ret)
        refute(ob, at(b, i) + ": !epilogue code outside the run of inserted instructions before a `ret`");
    }
  }

  void run(std::vector<Obligation> &out) {
    const std::string &fn = alloc.name;
    Obligation top = makeObligation(fn, "structure", "structure", -1);
    if (orig.allocated) refute(top, "the original function is marked allocated");
    if (!alloc.allocated) refute(top, "the allocated function is not marked allocated");
    if (orig.name != alloc.name) refute(top, "function names differ: " + orig.name);
    for (unsigned r = 0; r < kNumPRegs; ++r)
      if (abi::has(pool & abi::kNeverAllocatable, PReg(r)))
        refute(top, "the pool contains " + std::string(pregName(PReg(r))) + " (" +
                        std::string(abi::reservedRole(PReg(r))) + "), which is never allocatable");
    if (!(orig.sig == alloc.sig)) refute(top, "signatures differ");
    const uint32_t n = static_cast<uint32_t>(orig.blocks.size());
    p.numOrigBlocks = n;
    if (n == 0) refute(top, "the original function has no blocks");
    if (alloc.blocks.size() < n)
      refute(top, "the allocated function has fewer blocks than the original");
    for (const Block &b : orig.blocks)
      if (!b.instrs.empty())
        for (BlockId t : b.instrs.back().targets)
          if (t == 0) refute(top, "a branch targets the entry block (invalid MIR: the entry block has no predecessors)");
    if (top.status != Status::Proved) {
      fatal = true;
      out.push_back(top);
      return;
    }
    // Edge blocks resolve to their branch target.
    const uint32_t na = static_cast<uint32_t>(alloc.blocks.size());
    p.resolved.assign(na, 0);
    for (uint32_t b = 0; b < na; ++b) {
      p.resolved[b] = b;
      if (b < n) continue;
      const auto &is = alloc.blocks[b].instrs;
      if (is.empty() || is.back().op != Opcode::Br || is.back().targets.size() != 1 ||
          is.back().targets[0] >= n) {
        refute(top, "extra block bb" + std::to_string(b) +
                        " is not an edge block ending in `br` to an original block");
        fatal = true;
      } else {
        p.resolved[b] = is.back().targets[0];
      }
    }
    out.push_back(top);
    if (fatal) return;

    p.orig.assign(na, {});
    p.elided.assign(na, {});
    for (uint32_t b = 0; b < na; ++b) {
      Obligation ob = makeObligation(fn, "bb" + std::to_string(b) + ".structure", "structure",
                                     static_cast<int32_t>(b));
      const auto &is = alloc.blocks[b].instrs;
      p.orig[b].assign(is.size(), -1);
      size_t next = 0;
      bool scratchLive = false;  // R12 written by the current run of inserted instructions
      const std::vector<Instr> none;
      const auto &vs = b < n ? orig.blocks[b].instrs : none;
      for (size_t i = 0; i < is.size(); ++i) {
        const Instr &a = is[i];
        std::string why;
        const bool edgeBr = b >= n && i + 1 == is.size();
        if (edgeBr) continue;  // the edge block's `br`, checked above
        if (isTerminatorOp(a.op) && i + 1 != is.size()) {
          refute(ob, at(b, i) + ": terminator before the end of the block");
          fatal = true;
        }
        if (a.origin == Origin::Original) {
          scratchLive = false;
          // The allocator may drop pure original instructions (a coalesced
          // `mov`, a `movi` it rematerialises at every use, dead code): the
          // vreg side then runs them alone. Greedy: an instruction of the
          // same shape is always paired.
          while (next < vs.size() && !sameShape(vs[next], a) && isPure(vs[next]))
            p.elided[b].push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(next++)});
          if (next >= vs.size()) {
            refute(ob, at(b, i) + ": original instruction with no counterpart in the original");
            fatal = true;
            break;
          }
          if (const Mismatch m = matchOriginal(vs[next], a, why); m != Mismatch::None) {
            refute(ob, at(b, i) + ": " + why);
            // Wrong registers are reported but do not stop the semantic checks.
            fatal = fatal || m == Mismatch::Shape;
          }
          p.orig[b][i] = static_cast<int32_t>(next++);
        } else if (!allowedInserted(a.origin, a.op)) {
          refute(ob, at(b, i) + ": `" + std::string(info(a.op).mnemonic) +
                         "` may not be inserted as !" + std::string(originName(a.origin)));
          fatal = true;
        } else if (!checkInserted(a, why, scratchLive)) {
          refute(ob, at(b, i) + ": " + why);
          fatal = true;
        }
      }
      confineFrameCode(b, ob);
      if (b < n && next != vs.size()) {
        refute(ob, "bb" + std::to_string(b) + ": original instruction " + std::to_string(next) +
                       " (`" + std::string(info(vs[next].op).mnemonic) + "`) is missing");
        fatal = true;
      }
      if (is.empty() || !isTerminatorOp(is.back().op)) {
        refute(ob, "bb" + std::to_string(b) + " does not end in a terminator");
        fatal = true;
      }
      out.push_back(ob);
    }
  }
};

/// Vregs whose only definition in `f` is `movi v, #c`.
std::vector<std::optional<uint32_t>> constants(const Function &f) {
  const uint32_t nv = f.numVRegs();
  std::vector<unsigned> defs(nv, 0);
  std::vector<std::optional<uint32_t>> c(nv);
  for (const Block &b : f.blocks)
    for (const Instr &in : b.instrs)
      for (const Operand &d : in.defs)
        if (d.isVReg() && d.value < nv) {
          ++defs[d.value];
          c[d.value] = in.op == Opcode::MovI ? std::optional<uint32_t>(in.imm)
                       : in.op == Opcode::FConst32 && !in.uses.empty() ? std::optional<uint32_t>(in.uses[0].value)
                                                                       : std::nullopt;
        }
  for (uint32_t v = 0; v < nv; ++v)
    if (defs[v] != 1) c[v] = std::nullopt;
  return c;
}

/// Vregs whose only definition in `f` is `fconst.f64 v, #lo, #hi`.
std::vector<std::optional<uint64_t>> constants64(const Function &f) {
  const uint32_t nv = f.numVRegs();
  std::vector<unsigned> defs(nv, 0);
  std::vector<std::optional<uint64_t>> c(nv);
  for (const Block &b : f.blocks)
    for (const Instr &in : b.instrs)
      for (const Operand &d : in.defs)
        if (d.isVReg() && d.value < nv) {
          ++defs[d.value];
          c[d.value] = in.op == Opcode::FConst64 && in.uses.size() == 2
                           ? std::optional<uint64_t>(uint64_t(in.uses[1].value) << 32 | in.uses[0].value)
                           : std::nullopt;
        }
  for (uint32_t v = 0; v < nv; ++v)
    if (defs[v] != 1) c[v] = std::nullopt;
  return c;
}

}  // namespace

std::optional<Pairing> checkStructure(const Function &original, const Function &allocated,
                                      const Module &module, uint16_t poolMask,
                                      std::vector<Obligation> &out) {
  Structure s{original, allocated, module, poolMask, {}};
  s.run(out);
  if (s.fatal) return std::nullopt;
  s.p.constOf = constants(original);
  s.p.const64Of = constants64(original);
  return std::move(s.p);
}

}  // namespace vcr::verifier
