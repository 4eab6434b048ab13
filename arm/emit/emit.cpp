// Emitter driver: per-function emission (directives, blocks, trap stubs), decline propagation and module assembly.
#include "arm/emit/emit.h"

#include "arm/emit/emitter.h"
#include "arm/target/runtime.h"
#include "core/ir/text.h"

#include <algorithm>
#include <exception>
#include <map>

namespace vcr::emit {

namespace detail {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::PReg;

FnEmitter::FnEmitter(const mir::Module &m, const mir::Function &f, const EmitOptions &opts)
    : module_(m), fn_(f), opts_(opts), sym_(arm::rt::functionSymbol(f.name)) {}

void FnEmitter::line(std::string_view text) {
  out_ += '\t';
  out_ += text;
  out_ += '\n';
}

void FnEmitter::label(std::string_view name) {
  out_ += name;
  out_ += ":\n";
}

void FnEmitter::decline(const std::string &why) const {
  std::string where;
  if (curBlock_ < fn_.blocks.size() && curIndex_ < fn_.blocks[curBlock_].instrs.size()) {
    const mir::Block &b = fn_.blocks[curBlock_];
    where = fmt::format("{}:{} `{}`: ", b.label.empty() ? "bb#" + std::to_string(curBlock_) : b.label,
                        curIndex_, mir::printInstr(b.instrs[curIndex_], fn_));
  }
  throw DeclineError{where + why};
}

std::string FnEmitter::reg(const Operand &o, std::string_view role) const {
  if (!o.isPReg() || o.value >= mir::kNumPRegs)
    decline(fmt::format("{} is {}, not a register", role, mir::printOperand(o)));
  const PReg r = o.preg();
  if (r == PReg::SP || r == PReg::PC)
    decline(fmt::format("{} is {}, which cannot be a data register", role, mir::pregName(r)));
  return std::string(mir::pregName(r));
}

std::string FnEmitter::scratch(uint32_t avoid) {
  const Instr &in = fn_.blocks[curBlock_].instrs[curIndex_];
  uint32_t busy = curLiveOut_ | avoid;
  for (const auto *list : {&in.defs, &in.uses})
    for (const Operand &o : *list)
      if (o.isPReg() && o.value < mir::kNumPRegs) busy |= 1u << o.value;
  // Caller-saved registers are free to clobber; a callee-saved register or
  // LR only once the prologue has saved it. R9-R11 hold the runtime's bases.
  const uint32_t callerSaved =
      regBit(PReg::R0) | regBit(PReg::R1) | regBit(PReg::R2) | regBit(PReg::R3) | regBit(PReg::R12);
  static constexpr PReg kOrder[] = {PReg::R12, PReg::R3, PReg::R2, PReg::R1, PReg::R0, PReg::R4,
                                    PReg::R5,  PReg::R6, PReg::R7, PReg::R8, PReg::LR};
  for (PReg r : kOrder)
    if (!(busy & regBit(r)) && ((callerSaved | saved_) & regBit(r))) return std::string(mir::pregName(r));
  // Every candidate holds a value: borrow one that is not an operand, saved
  // by a push before the expansion and restored by a pop after it (emitted
  // by the caller of emitInstr). Not where the expansion moves SP or
  // addresses the stack, nor in a terminator (its branch would skip the pop).
  const bool stackOrControl = in.isTerminator() || in.op == mir::Opcode::AdjSp || in.op == mir::Opcode::Lds ||
                              in.op == mir::Opcode::Sts || in.op == mir::Opcode::Push ||
                              in.op == mir::Opcode::Pop || mir::isCall(in.op);
  if (pendingPop_ < 0 && !stackOrControl) {
    for (PReg r : kOrder)
      if (!isOperandReg(in, r) && !(avoid & regBit(r))) {
        pendingPop_ = static_cast<int>(r);
        ++borrowed_;
        line("push {{{}}}", mir::pregName(r));
        return std::string(mir::pregName(r));
      }
  }
  decline("the expansion needs a scratch register, but r12, r0-r3 and the saved registers are all operands or "
          "live across it");
}

bool FnEmitter::isOperandReg(const Instr &in, PReg r) {
  for (const auto *list : {&in.defs, &in.uses})
    for (const Operand &o : *list)
      if (isReg(o, r)) return true;
  return false;
}

std::string FnEmitter::tempFor(const std::string &d, std::initializer_list<std::string> live,
                               std::initializer_list<std::string> reusable) {
  if (std::find(live.begin(), live.end(), d) == live.end()) return d;
  for (const std::string &u : reusable) {
    const auto r = mir::pregFromName(u);
    if (r && *r != PReg::R9 && *r != PReg::R10 && *r != PReg::R11 && !(curLiveOut_ & regBit(*r)) &&
        std::find(live.begin(), live.end(), u) == live.end())
      return u;
  }
  return scratch();
}

std::string FnEmitter::blockLabel(mir::BlockId b) const { return fmt::format(".L{}_{}", sym_, b); }

std::string FnEmitter::trapLabel(mir::TrapReason r) {
  traps_.insert(r);
  return fmt::format(".L{}_trap_{}", sym_, mir::trapName(r));
}

std::string FnEmitter::freshLabel(std::string_view what) {
  return fmt::format(".L{}_{}{}", sym_, what, labels_++);
}

void FnEmitter::emitInstr(const Instr &in) {
  if (static_cast<unsigned>(in.op) >= mir::kNumOpcodes) decline("invalid opcode");
  const mir::OpcodeInfo &oi = mir::info(in.op);
  if (oi.ndefs >= 0 && in.defs.size() != size_t(oi.ndefs))
    decline(fmt::format("expected {} defs, found {}", oi.ndefs, in.defs.size()));
  if (oi.nuses >= 0 && in.uses.size() != size_t(oi.nuses))
    decline(fmt::format("expected {} uses, found {}", oi.nuses, in.uses.size()));
  const size_t wantTargets = in.op == Opcode::Br ? 1 : in.op == Opcode::BrIf ? 2 : 0;
  if (in.op == Opcode::BrTable ? in.targets.empty() : in.targets.size() != wantTargets)
    decline("wrong number of branch targets");
  for (mir::BlockId t : in.targets)
    if (t >= fn_.blocks.size()) decline("branch target out of range");

  // mov, lds, sts, push and pop of S/D registers: VMOV, VLDR/VSTR, VPUSH/VPOP
  const auto vfpOperand = [](const Operand &o) { return o.isVfp(); };
  if ((in.op == Opcode::Mov || in.op == Opcode::Lds || in.op == Opcode::Sts || in.op == Opcode::Push ||
       in.op == Opcode::Pop) &&
      (std::any_of(in.defs.begin(), in.defs.end(), vfpOperand) ||
       std::any_of(in.uses.begin(), in.uses.end(), vfpOperand)))
    return in.op == Opcode::Mov ? emitVfp(in) : emitVfpMemory(in);
  switch (in.op) {
  case Opcode::Mov: case Opcode::MovI: case Opcode::Add: case Opcode::Sub: case Opcode::Mul:
  case Opcode::And: case Opcode::Orr: case Opcode::Eor: case Opcode::Shl: case Opcode::ShrU:
  case Opcode::ShrS: case Opcode::Rotl: case Opcode::Rotr: case Opcode::SDiv: case Opcode::UDiv:
  case Opcode::SRem: case Opcode::URem: case Opcode::Clz: case Opcode::Ctz: case Opcode::Popcnt:
  case Opcode::Sext8: case Opcode::Sext16:
    return emitAlu(in);
  case Opcode::Set: case Opcode::Sel: case Opcode::Set64: return emitCompare(in);
  case Opcode::UMull: case Opcode::SMull: case Opcode::Add64: case Opcode::Sub64:
  case Opcode::Mul64: case Opcode::SDiv64: case Opcode::UDiv64: case Opcode::SRem64:
  case Opcode::URem64: case Opcode::Shl64: case Opcode::ShrU64: case Opcode::ShrS64:
  case Opcode::Rotl64: case Opcode::Rotr64:
    return emitI64(in);
  case Opcode::Load: case Opcode::Load64: case Opcode::Store: case Opcode::Store64:
  case Opcode::GGet: case Opcode::GSet: case Opcode::MemSize: case Opcode::MemGrow: case Opcode::Lds: case Opcode::Sts:
    return emitMemory(in);
  case Opcode::Push: case Opcode::Pop: case Opcode::AdjSp: return emitFrame(in);
  case Opcode::Param: case Opcode::Call: case Opcode::TrapIf: case Opcode::Br:
  case Opcode::BrIf: case Opcode::BrTable: case Opcode::Ret: case Opcode::Trap:
    return emitControl(in);
  case Opcode::CallInd: return emitCallInd(in);
#define X(e, m, nd, nu, fl)
#define XF(e, m, nd, nu, fl, sig) case Opcode::e:
#include "core/ir/opcodes.def"
#undef XF
#undef X
    return emitVfp(in);  // every float opcode (emit_vfp.cpp routes conversions and memory)
  }
  decline("unhandled opcode");
}

std::string FnEmitter::run() {
  if (!fn_.allocated) throw DeclineError{"not in allocated form (its allocation failed)"};
  if (fn_.blocks.empty()) throw DeclineError{"function has no blocks"};
  if (mir::usesVfp(fn_)) {
    if (arm::softFloat(opts_.cpu))
      throw DeclineError{fmt::format("float opcode or S/D register on {}, which has no FPU (selection makes "
                                     "soft-float calls there; VFP code needs cortex-m4f or cortex-m7)",
                                     arm::cpuName(opts_.cpu))};
    vfpLive_ = vfpLiveOutMasks(fn_);
  }
  const auto live = liveOutMasks(fn_);
  for (const mir::Block &b : fn_.blocks)
    for (const Instr &i : b.instrs)
      if (i.op == mir::Opcode::Push)
        for (const Operand &o : i.uses) {
          if (o.isPReg() && o.value < mir::kNumPRegs) saved_ |= 1u << o.value;
          for (uint32_t sr : mir::sregsOf(o)) vfpSaved_ |= 1u << sr;
        }
  out_ += fmt::format("\n@ ---- @{}\n", fn_.name);
  line(".p2align 2");
  line(fmt::format(".global {}", sym_));
  line(fmt::format(".type {}, %function", sym_));
  line(".thumb_func");
  label(sym_);
  for (curBlock_ = 0; curBlock_ < fn_.blocks.size(); ++curBlock_) {
    const auto &is = fn_.blocks[curBlock_].instrs;
    label(blockLabel(curBlock_));
    if (is.empty()) {
      curIndex_ = 0;
      decline("empty block " + fn_.blocks[curBlock_].label);
    }
    for (curIndex_ = 0; curIndex_ < is.size(); ++curIndex_) {
      if (skipNext_) {
        skipNext_ = false;
        continue;
      }
      curLiveOut_ = live[curBlock_][curIndex_];
      curVfpLiveOut_ = vfpLive_.empty() ? 0 : vfpLive_[curBlock_][curIndex_];
      next_ = curIndex_ + 1 < is.size() ? &is[curIndex_ + 1] : nullptr;
      const bool mark = opts_.markOrigins && is[curIndex_].inserted();
      const unsigned k = marks_++;
      if (mark) label(arm::rt::originBeginSymbol(is[curIndex_].origin, k, sym_));
      emitInstr(is[curIndex_]);
      if (pendingPop_ >= 0) {  // a borrowed scratch register (scratch()) gets its value back
        line("pop {{{}}}", mir::pregName(static_cast<PReg>(pendingPop_)));
        pendingPop_ = -1;
      }
      if (!pendingVPop_.empty()) {  // likewise a borrowed VFP scratch (vfpScratch())
        line("vpop {{{}}}", pendingVPop_);
        pendingVPop_.clear();
      }
      if (mark) label(arm::rt::originEndSymbol(k, sym_));
    }
    curIndex_ = static_cast<uint32_t>(is.size() - 1);
    if (!is.back().isTerminator()) decline("block does not end with a terminator");
  }
  for (mir::TrapReason r : traps_) {
    label(fmt::format(".L{}_trap_{}", sym_, mir::trapName(r)));
    line(fmt::format("udf #{}", arm::rt::trapCode(r)));
  }
  line(fmt::format(".size {0}, .-{0}", sym_));
  return std::move(out_);
}

}  // namespace detail

namespace {

/// One function's outcome before decline propagation.
struct Piece {
  bool ok = false;
  std::string text, reason;
  uint32_t routines = 0;
  std::set<std::string> callees;
};

}  // namespace

EmitResult emitModule(const mir::Module &m, const EmitOptions &opts) {
  std::vector<Piece> pieces(m.functions.size());
  std::map<std::string, size_t> byName;
  for (size_t i = 0; i < m.functions.size(); ++i) {
    const mir::Function &f = m.functions[i];
    Piece &p = pieces[i];
    if (!byName.emplace(f.name, i).second) {
      p.reason = "duplicate function name @" + f.name;
      continue;
    }
    try {
      detail::FnEmitter e(m, f, opts);
      p.text = e.run();
      p.routines = e.routines();
      p.callees = e.callees();
      p.ok = true;
    } catch (const detail::DeclineError &d) {
      p.reason = d.reason;
    } catch (const std::exception &ex) {
      p.reason = std::string("internal error: ") + ex.what();
    }
  }
  // A function that calls a declined function is declined too (transitively).
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < pieces.size(); ++i) {
      Piece &p = pieces[i];
      if (!p.ok) continue;
      for (const std::string &c : p.callees) {
        auto it = byName.find(c);
        if (it != byName.end() && pieces[it->second].ok) continue;
        p.ok = false;
        p.reason = "calls @" + c + ", which was declined";
        changed = true;
        break;
      }
    }
  }
  EmitResult r;
  r.asmText = "@ Thumb-2 assembly generated by vcr-ra (arm/emit)\n"
              "\t.syntax unified\n\t.cpu cortex-m4\n\t.thumb\n\t.text\n";
  // Hard float (docs/vfp.md "Linking hard float"): the FPU, and AAPCS-VFP argument passing.
  if (opts.cpu == arm::Cpu::CortexM4F) r.asmText += "\t.fpu fpv4-sp-d16\n\t.eabi_attribute Tag_ABI_VFP_args, 1\n";
  if (opts.cpu == arm::Cpu::CortexM7) r.asmText += "\t.fpu fpv5-d16\n\t.eabi_attribute Tag_ABI_VFP_args, 1\n";
  uint32_t routines = 0;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece &p = pieces[i];
    if (!p.ok) {
      r.declined.push_back({m.functions[i].name, p.reason});
      continue;
    }
    r.asmText += p.text;
    r.emitted.push_back(m.functions[i].name);
    routines |= p.routines;
  }
  r.asmText += detail::runtimeText(routines);
  if (routines & (1u << static_cast<unsigned>(detail::Routine::MemoryRuntime)))
    r.asmText += detail::dataSegmentsText(m);
  r.asmText += detail::tableText(m, r.emitted);
  return r;
}

}  // namespace vcr::emit
