// Reference interpreter machinery: stack region, preparation, diagnostics, operands.
#include "core/ir/interp_machine.h"
#include "core/ir/runtime_calls.h"

#include <algorithm>
#include <cstdio>

namespace vcr::mir::interp_detail {

namespace {
constexpr uint64_t kUndef = uint64_t(1) << 32;  ///< vreg pool: "holds no value"
constexpr uint32_t kMaxVRegs = 1u << 24;
constexpr unsigned kSp = static_cast<unsigned>(PReg::SP);
constexpr unsigned kPc = static_cast<unsigned>(PReg::PC);

std::string blockName(const Function &f, uint32_t b) {
  if (b < f.blocks.size() && !f.blocks[b].label.empty()) return f.blocks[b].label;
  return "block#" + std::to_string(b);
}

uint32_t opsOf(const std::vector<ValType> &ts) { return operandCount(ts); }

bool hasF64(const Signature &s) {
  for (const auto *ts : {&s.params, &s.results})
    for (ValType t : *ts)
      if (t == ValType::F64) return true;
  return false;
}
}  // namespace

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string regName(unsigned r) { return std::string(pregName(static_cast<PReg>(r))); }

// ---------------------------------------------------------------- stack

void StackMem::reserve(uint32_t addr) {
  const uint32_t low = kTop - static_cast<uint32_t>(bytes_.size());
  if (addr >= low) return;
  size_t want = std::max<size_t>({bytes_.size() * 2, size_t(kTop - addr) + 64, 4096});
  want = std::min<size_t>((want + 4095) & ~size_t(4095), kSize);
  std::vector<uint8_t> nb(want, 0), ns(want, Unwritten);
  std::copy(bytes_.begin(), bytes_.end(), nb.end() - bytes_.size());
  std::copy(state_.begin(), state_.end(), ns.end() - state_.size());
  bytes_.swap(nb);
  state_.swap(ns);
}

StackMem::State StackMem::load(uint32_t addr, uint32_t &out) {
  const uint32_t low = kTop - static_cast<uint32_t>(bytes_.size());
  out = 0;
  if (addr < low) return Unwritten;
  const size_t i = addr - low;
  State s = Value;
  for (unsigned k = 0; k < 4; ++k) {
    out |= uint32_t(bytes_[i + k]) << (8 * k);
    if (state_[i + k] == Unwritten) s = Unwritten;
    else if (state_[i + k] == Poison && s == Value) s = Poison;
  }
  return s;
}

void StackMem::store(uint32_t addr, uint32_t v, State s) {
  reserve(addr);
  const size_t i = addr - (kTop - static_cast<uint32_t>(bytes_.size()));
  for (unsigned k = 0; k < 4; ++k) {
    bytes_[i + k] = static_cast<uint8_t>(v >> (8 * k));
    state_[i + k] = s;
  }
}

void StackMem::invalidate(uint32_t from, uint32_t to) {
  const uint32_t low = kTop - static_cast<uint32_t>(bytes_.size());
  from = std::max(from, low);
  for (uint32_t a = from; a < to && a < kTop; ++a) state_[a - low] = Unwritten;
}

// ---------------------------------------------------------------- preparation

Machine::Machine(const Module &m, ExecEnv &env, ExecResult &res)
    : m_(m), env_(env), res_(res) {
  prep_.resize(m.functions.size());
  fnPlace_.resize(m.functions.size());
  fnPlaced_.assign(m.functions.size(), 0);
  impPlace_.resize(m.imports.size() + runtimeFns().size());
  impPlaced_.assign(m.imports.size() + runtimeFns().size(), 0);
}

const Signature &Machine::sigOf(int32_t c) const {
  if (c >= 0) return m_.functions[size_t(c)].sig;
  const size_t k = size_t(-c - 1);
  return k < m_.imports.size() ? m_.imports[k].sig : runtimeFns()[k - m_.imports.size()].sig;
}

const Placement &Machine::placementOf(int32_t c) {
  auto place = [&](const Signature &s) {
    Placement p = placeParams(s);
    p.resultBytes = placeResults(s).stackBytes;
    return p;
  };
  if (c >= 0) {
    if (!fnPlaced_[size_t(c)]) fnPlace_[size_t(c)] = place(sigOf(c)), fnPlaced_[size_t(c)] = 1;
    return fnPlace_[size_t(c)];
  }
  const size_t k = size_t(-c - 1);
  if (!impPlaced_[k]) impPlace_[k] = place(sigOf(c)), impPlaced_[k] = 1;
  return impPlace_[k];
}

void Machine::failAt(const Function &f, uint32_t b, uint32_t i, const std::string &msg) {
  std::string at = "in @" + f.name + " at " + blockName(f, b) + ":" + std::to_string(i);
  if (b < f.blocks.size() && i < f.blocks[b].instrs.size()) {
    const Opcode op = f.blocks[b].instrs[i].op;
    if (static_cast<unsigned>(op) < kNumOpcodes) at += " (" + std::string(info(op).mnemonic) + ")";
  }
  res_.status = ExecResult::Status::Error;
  res_.error = at + ": " + msg;
  throw Halt{};
}

const PreparedFn &Machine::prepare(uint32_t fi) {
  PreparedFn &p = prep_[fi];
  if (p.ready) return p;
  const Function &f = m_.functions[fi];
  if (f.blocks.empty()) {
    res_.status = ExecResult::Status::Error;
    res_.error = "in @" + f.name + ": function has no blocks";
    throw Halt{};
  }
  p.paramOps = opsOf(f.sig.params);
  p.resultOps = opsOf(f.sig.results);
  if (!alloc_) {
    p.numVRegs = f.numVRegs();
    if (p.numVRegs > kMaxVRegs) failAt(f, 0, 0, "vreg numbers above " + std::to_string(kMaxVRegs));
    p.wide = usesVfp(f) || hasF64(f.sig);  // callees' f64 signatures: checkInstr
  }
  uint32_t total = 0;
  p.blockBase.resize(f.blocks.size());
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    p.blockBase[b] = total;
    total += static_cast<uint32_t>(f.blocks[b].instrs.size());
  }
  p.callee.assign(total, -1);
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &is = f.blocks[b].instrs;
    if (is.empty()) failAt(f, b, 0, "empty block");
    for (uint32_t i = 0; i < is.size(); ++i) checkInstr(f, p, b, i);
    if (!is.back().isTerminator())
      failAt(f, b, uint32_t(is.size() - 1), "block does not end with a terminator");
  }
  p.ready = true;
  return p;
}

void Machine::checkInstr(const Function &f, PreparedFn &p, uint32_t b, uint32_t i) {
  const Instr &in = f.blocks[b].instrs[i];
  auto bad = [&](const std::string &msg) { failAt(f, b, i, msg); };
  if (static_cast<unsigned>(in.op) >= kNumOpcodes) bad("invalid opcode");
  const OpcodeInfo &oi = info(in.op);
  if (oi.ndefs >= 0 && in.defs.size() != size_t(oi.ndefs))
    bad("expected " + std::to_string(oi.ndefs) + " defs, found " + std::to_string(in.defs.size()));
  if (oi.nuses >= 0 && in.uses.size() != size_t(oi.nuses))
    bad("expected " + std::to_string(oi.nuses) + " uses, found " + std::to_string(in.uses.size()));
  if (oi.allocatedOnly && !alloc_) bad("instruction allowed in allocated form only");
  size_t wantTargets = 0;
  if (in.op == Opcode::Br) wantTargets = 1;
  if (in.op == Opcode::BrIf) wantTargets = 2;
  if (in.op == Opcode::BrTable) {
    if (in.targets.empty()) bad("brtable without a default target");
  } else if (in.targets.size() != wantTargets) {
    bad("expected " + std::to_string(wantTargets) + " branch targets, found " +
        std::to_string(in.targets.size()));
  }
  for (BlockId t : in.targets)
    if (t >= f.blocks.size()) bad("branch target " + std::to_string(t) + " out of range");
  if ((in.op == Opcode::Set || in.op == Opcode::Set64) && in.cc == Cond::None)
    bad("comparison without a condition code");

  const uint32_t flat = p.blockBase[b] + i;
  if (in.op == Opcode::Call) {
    int32_t c = 0;  // set below, or bad() throws
    if (const Function *g = m_.findFunction(in.callee)) {
      c = static_cast<int32_t>(g - m_.functions.data());
    } else if (const Import *imp = m_.findImport(in.callee)) {
      c = -static_cast<int32_t>(imp - m_.imports.data()) - 1;
    } else if (auto r = findRuntimeFn(in.callee)) {
      c = -static_cast<int32_t>(m_.imports.size() + *r) - 1;  // after the imports
    } else {
      bad("call of unknown function @" + in.callee);
    }
    p.callee[flat] = c;
    const Signature &s = sigOf(c);
    if (!alloc_ && in.uses.size() != opsOf(s.params))
      bad("@" + in.callee + " takes " + std::to_string(opsOf(s.params)) + " argument operands, " +
          std::to_string(in.uses.size()) + " given");
    if (!alloc_ && in.defs.size() != opsOf(s.results))
      bad("@" + in.callee + " returns " + std::to_string(opsOf(s.results)) + " operands, " +
          std::to_string(in.defs.size()) + " defs given");
    if (hasF64(s)) p.wide = true;
  }
  if (in.op == Opcode::CallInd) {
    if (in.imm >= m_.types.size()) bad("signature id #" + std::to_string(in.imm) + " out of range");
    const Signature &s = m_.types[in.imm];
    if (in.uses.empty() || (!alloc_ && in.uses.size() != opsOf(s.params) + 1))
      bad("calli with signature id #" + std::to_string(in.imm) + " takes " +
          std::to_string(opsOf(s.params)) + " argument operands and the index, " +
          std::to_string(in.uses.size()) + " uses given");
    if (!alloc_ && in.defs.size() != opsOf(s.results))
      bad("calli returns " + std::to_string(opsOf(s.results)) + " operands, " +
          std::to_string(in.defs.size()) + " defs given");
    if (hasF64(s)) p.wide = true;
    if (alloc_ && (!in.uses.back().isPReg() || in.uses.back().value >= kNumPRegs))
      bad("the table index of calli must be a register");
  }
  if (!alloc_ && in.op == Opcode::Param && in.defs.size() != p.paramOps)
    bad("param has " + std::to_string(in.defs.size()) + " defs but @" + f.name + " has " +
        std::to_string(p.paramOps) + " parameter operands");
  if (!alloc_ && in.op == Opcode::Ret && in.uses.size() != p.resultOps)
    bad("ret has " + std::to_string(in.uses.size()) + " uses but @" + f.name + " returns " +
        std::to_string(p.resultOps) + " operands");
  if (in.op == Opcode::Push || in.op == Opcode::Pop) {
    const auto &list = in.op == Opcode::Push ? in.uses : in.defs;
    if (list.empty()) bad("empty register list");
    uint32_t seen = 0;
    if (list[0].isVfp()) {  // vpush/vpop: S and D registers, no core register
      uint32_t sseen = 0;
      for (const Operand &o : list) {
        if (!o.isVfp() || (o.isSReg() && o.value >= kNumSRegs) || (o.isDReg() && o.value >= kNumDRegs))
          bad("a VFP register list holds an operand that is not an S or D register");
        for (uint32_t r : sregsOf(o)) {
          if (sseen & (1u << r)) bad("register s" + std::to_string(r) + " listed twice");
          sseen |= 1u << r;
        }
      }
      return;
    }
    for (const Operand &o : list) {
      if (!o.isPReg() || o.value >= kNumPRegs) bad("register list holds a non-register operand");
      if (o.value == kSp || o.value == kPc) bad("sp and pc cannot be pushed or popped");
      if (seen & (1u << o.value)) bad("register " + regName(o.value) + " listed twice");
      seen |= 1u << o.value;
    }
    return;
  }
  // Operand kinds. Allocated-form call/param/ret operands are annotations.
  if (alloc_ && (isCall(in.op) || in.op == Opcode::Param || in.op == Opcode::Ret)) return;
  for (size_t k = 0; k < in.defs.size(); ++k) {
    const Operand &o = in.defs[k];
    if (!alloc_ && !o.isVReg()) bad("vreg-form def must be a vreg");
    if (alloc_ && !o.isPReg() && !o.isVfp() && !o.isStack())
      bad("allocated-form def must be a register or [sp+N]");
    checkClass(f, b, i, o, true, k);
  }
  for (size_t k = 0; k < in.uses.size(); ++k) {
    const Operand &o = in.uses[k];
    if (!alloc_ && !o.isVReg() && !o.isImm()) bad("vreg-form use must be a vreg or an immediate");
    if (alloc_ && o.isVReg()) bad("vreg v" + std::to_string(o.value) + " in an allocated-form function");
    checkClass(f, b, i, o, false, k);
  }
  if (in.op == Opcode::Mov || in.op == Opcode::Lds || in.op == Opcode::Sts) {
    const auto a = physClass(in.defs[0]), c = physClass(in.uses[0]);
    if (a && c && *a != *c) bad("mov between register classes");
  }
}

void Machine::checkClass(const Function &f, uint32_t b, uint32_t i, const Operand &o, bool def,
                         size_t k) {
  const Instr &in = f.blocks[b].instrs[i];
  if ((o.isPReg() && o.value >= kNumPRegs) || (o.isSReg() && o.value >= kNumSRegs) ||
      (o.isDReg() && o.value >= kNumDRegs))
    failAt(f, b, i, "invalid register number");
  const auto have = physClass(o);
  const auto want = operandClass(in, def, k);
  if (have && want && *have != *want)
    failAt(f, b, i, std::string(def ? "def " : "use ") + std::to_string(k) + " is a " +
                        std::string(regClassName(*have)) + " register, expected " +
                        std::string(regClassName(*want)));
  if (!want && isFloatOp(in.op) && !o.isImm()) failAt(f, b, i, "expected an immediate");
}

// ---------------------------------------------------------------- diagnostics

std::string Machine::where() const {
  if (!fn_) return "at entry";
  std::string s = "in @" + fn_->name + " at " + blockName(*fn_, block_) + ":" + std::to_string(ip_);
  if (ip_ < ncode_) s += " (" + std::string(info(code_[ip_].op).mnemonic) + ")";
  return s;
}

void Machine::fail(const std::string &msg) {
  res_.status = ExecResult::Status::Error;
  res_.error = where() + ": " + msg;
  throw Halt{};
}

void Machine::trap(TrapReason r) {
  res_.status = ExecResult::Status::Trapped;
  res_.trap = r;
  res_.error = where() + ": trap " + std::string(trapName(r));
  throw Halt{};
}

void Machine::exhaust(const std::string &msg) {
  res_.status = ExecResult::Status::Exhausted;
  res_.error = where() + ": " + msg;
  throw Halt{};
}

std::string Machine::noValueText(unsigned r) const {
  const NoValue &w = why_[r];
  const std::string fnText = w.fn && w.fn != fn_ ? "@" + w.fn->name + " " : "";
  switch (w.kind) {
  case NoValue::Kind::Entry:
    return "(no value at the entry of @" + (w.fn ? w.fn->name : fn_->name) + ")";
  case NoValue::Kind::Call:
    return "(clobbered by call at " + fnText + (w.fn ? blockName(*w.fn, w.block) : "?") + ":" +
           std::to_string(w.instr) + ")";
  case NoValue::Kind::Popped:
    return "(popped at " + fnText + (w.fn ? blockName(*w.fn, w.block) : "?") + ":" +
           std::to_string(w.instr) + " from a word pushed while holding no value)";
  }
  return "";
}

// ---------------------------------------------------------------- operands

uint32_t Machine::garbage(uint64_t loc) const {
  uint64_t h = *env_.garbageSeed ^ (loc * 0x9E3779B97F4A7C15ull) ^ (res_.steps << 17);
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  return static_cast<uint32_t>(h ^ (h >> 29));
}

uint32_t Machine::readReg(unsigned r) {
  if (r == kSp) return sp_;
  if (r == kPc) fail("read of pc");
  if (!(defined_ & (1u << r))) {
    if (env_.garbageSeed) return garbage(r);
    fail("read of " + regName(r) + " which holds no value " + noValueText(r));
  }
  return regs_[r];
}

void Machine::setReg(unsigned r, uint32_t v) {
  regs_[r] = v;
  defined_ |= 1u << r;
}

void Machine::clobber(unsigned r, NoValue::Kind k) {
  defined_ &= ~(1u << r);
  why_[r] = NoValue{k, fn_, block_, ip_};
}

uint32_t Machine::stackAddr(uint64_t addr, const char *what) {
  if (addr + 4 > frames_.back().frameLimit) {
    if (addr + 4 > StackMem::kTop)
      fail(std::string(what) + " at " + hex(addr) + " is outside the stack region");
    fail(std::string(what) + " at " + hex(addr) + " is above the incoming arguments of @" +
         fn_->name + " (in the caller's frame)");
  }
  return static_cast<uint32_t>(addr);
}

void Machine::setSp(uint64_t v) {
  if (v < StackMem::kBottom || v > StackMem::kTop)
    fail("sp would become " + hex(v) + ", outside the stack region [" + hex(StackMem::kBottom) +
         ", " + hex(StackMem::kTop) + "]");
  if (v > sp_) stack_.invalidate(sp_, static_cast<uint32_t>(v));
  sp_ = static_cast<uint32_t>(v);
}

uint32_t Machine::read(const Operand &o) {
  switch (o.kind) {
  case Operand::Kind::Imm: return o.value;
  case Operand::Kind::VReg: {
    const uint64_t v = pool_[base_ + o.value];
    if (v >= kUndef) fail("read of v" + std::to_string(o.value) + " which holds no value");
    return static_cast<uint32_t>(v);
  }
  case Operand::Kind::PReg: return readReg(o.value);
  case Operand::Kind::SReg: return readS(o.value);
  case Operand::Kind::DReg: break;
  case Operand::Kind::Stack: {
    const uint32_t a = stackAddr(uint64_t(sp_) + o.value, "stack read");
    uint32_t v;
    const StackMem::State got = stack_.load(a, v);
    if (got != StackMem::Value && env_.garbageSeed) return garbage(uint64_t(a) << 8);
    switch (got) {
    case StackMem::Value: return v;
    case StackMem::Unwritten:
      fail("read of [sp+" + std::to_string(o.value) + "] (" + hex(a) + ") which was never written");
    case StackMem::Poison:
      fail("read of [sp+" + std::to_string(o.value) + "] (" + hex(a) +
           ") which holds no value (pushed from a register holding none)");
    }
  }
  }
  fail("invalid operand");
}

void Machine::write(const Operand &o, uint32_t v) {
  switch (o.kind) {
  case Operand::Kind::VReg: pool_[base_ + o.value] = v; return;
  case Operand::Kind::PReg:
    if (o.value == kSp) return setSp(v);
    if (o.value == kPc) fail("write to pc");
    return setReg(o.value, v);
  case Operand::Kind::Stack:
    stack_.store(stackAddr(uint64_t(sp_) + o.value, "stack write"), v, StackMem::Value);
    return;
  case Operand::Kind::SReg:
    sregs_[o.value] = v;
    sdefined_ |= 1u << o.value;
    return;
  case Operand::Kind::DReg: fail("a 32-bit write to d" + std::to_string(o.value));
  case Operand::Kind::Imm: break;
  }
  fail("write to an immediate");
}

std::string Machine::sNoValueText(unsigned n) const {
  const NoValue &w = swhy_[n];
  switch (w.kind) {
  case NoValue::Kind::Call:
    return "(clobbered by a call at " + (w.fn ? blockName(*w.fn, w.block) : "?") + ":" +
           std::to_string(w.instr) + ")";
  case NoValue::Kind::Popped: return "(popped from a word pushed while holding no value)";
  case NoValue::Kind::Entry: break;
  }
  return w.fn ? "(no value at the entry of @" + w.fn->name + ")" : "(no value at the entry)";
}

uint32_t Machine::readS(unsigned n) {
  if (!(sdefined_ & (1u << n))) {
    if (env_.garbageSeed) return garbage(0x100 + n);
    fail("read of s" + std::to_string(n) + " which holds no value " + sNoValueText(n));
  }
  return sregs_[n];
}

uint64_t Machine::read64(const Operand &o) {
  if (o.isDReg()) return uint64_t(readS(2 * o.value)) | uint64_t(readS(2 * o.value + 1)) << 32;
  if (o.isVReg() && wide_) {
    const uint64_t lo = pool_[base_ + o.value], hi = pool_[hiBase_ + o.value];
    if (lo >= kUndef || hi >= kUndef) fail("read of v" + std::to_string(o.value) + " which holds no value");
    return lo | hi << 32;
  }
  fail("a 64-bit read of a 32-bit operand");
}

void Machine::write64(const Operand &o, uint64_t v) {
  if (o.isDReg()) {
    write(Operand::sreg(2 * o.value), static_cast<uint32_t>(v));
    write(Operand::sreg(2 * o.value + 1), static_cast<uint32_t>(v >> 32));
    return;
  }
  if (o.isVReg() && wide_) {
    pool_[base_ + o.value] = static_cast<uint32_t>(v);
    pool_[hiBase_ + o.value] = v >> 32;
    return;
  }
  fail("a 64-bit write to a 32-bit operand");
}

uint64_t Machine::readValue(const Operand &o, ValType t) {
  return t == ValType::F64 ? read64(o) : read(o);
}

void Machine::writeValue(const Operand &o, ValType t, uint64_t v) {
  if (t == ValType::F64) write64(o, v);
  else write(o, static_cast<uint32_t>(v));
}

// ---------------------------------------------------------------- control

void Machine::resume() {
  const Frame &fr = frames_.back();
  fn_ = &m_.functions[fr.fn];
  base_ = fr.base;
  wide_ = prep_[fr.fn].wide;
  hiBase_ = base_ + prep_[fr.fn].numVRegs;
  jump(fr.block);
  ip_ = fr.ip;
}

void Machine::jump(BlockId b) {
  const Frame &fr = frames_.back();
  block_ = b;
  ip_ = 0;
  const auto &is = fn_->blocks[b].instrs;
  code_ = is.data();
  ncode_ = static_cast<uint32_t>(is.size());
  calleeTab_ = prep_[fr.fn].callee.data() + prep_[fr.fn].blockBase[b];
}

void Machine::enter(uint32_t fi) {
  const PreparedFn &p = prepare(fi);
  if (frames_.size() >= env_.maxDepth)
    exhaust("call depth limit " + std::to_string(env_.maxDepth) + " reached");
  Frame fr;
  fr.fn = fi;
  fr.base = static_cast<uint32_t>(pool_.size());
  if (!alloc_) pool_.resize(pool_.size() + p.numVRegs * (p.wide ? 2 : 1), kUndef);
  frames_.push_back(fr);
}

}  // namespace vcr::mir::interp_detail
