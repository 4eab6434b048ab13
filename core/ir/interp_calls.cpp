// Reference interpreter: calls, returns, host imports, push/pop and the allocated-form return checks.
#include "core/ir/interp_machine.h"
#include "core/ir/interp_ops.h"
#include "core/ir/runtime_calls.h"

#include <algorithm>
#include <exception>

namespace vcr::mir::interp_detail {

using namespace interp_ops;

namespace {
constexpr unsigned kLr = static_cast<unsigned>(PReg::LR);

/// Register numbers of a push/pop list, ascending.
unsigned sortedRegs(const OperandList &list, std::array<unsigned, kNumPRegs> &out) {
  unsigned n = 0;
  for (const Operand &o : list) out[n++] = o.value;
  std::sort(out.begin(), out.begin() + n);
  return n;
}
}  // namespace

std::vector<uint64_t> Machine::callHost(int32_t c) {
  if (size_t(-c - 1) >= m_.imports.size()) {  // a runtime routine: wasm semantics, may trap
    const auto k = static_cast<uint32_t>(size_t(-c - 1) - m_.imports.size());
    if (runtimeFns()[k].memory) {
      execMemoryRoutine(k);
      return {};
    }
    const RuntimeOutcome o = evalRuntimeFn(k, std::span<const uint64_t>(hostArgs_));
    if (o.trapped) trap(o.trap);
    if (runtimeFns()[k].sig.results.empty()) return {};
    return {o.result};
  }
  const Import &imp = m_.imports[size_t(-c - 1)];
  if (!env_.host) fail("no host function to call import @" + imp.name);
  std::vector<uint64_t> r;
  try {
    r = env_.host(imp, std::span<const uint64_t>(hostArgs_));
  } catch (const std::exception &e) {
    fail("host function for @" + imp.name + " threw: " + e.what());
  } catch (...) {
    fail("host function for @" + imp.name + " threw");
  }
  if (r.size() != imp.sig.results.size())
    fail("host function for @" + imp.name + " returned " + std::to_string(r.size()) +
         " values, expected " + std::to_string(imp.sig.results.size()));
  return r;
}

void Machine::execCall(const Instr &in) {
  const int32_t c = calleeTab_[ip_];
  callResolved(in, c, sigOf(c), in.uses.size(), in.callee);
}

void Machine::execCallInd(const Instr &in) {
  const uint32_t idx = read(in.uses.back());  // the index is read before anything else
  if (idx >= m_.table.size()) trap(TrapReason::TableOob);
  const TableSlot &sl = m_.table[idx];
  if (sl.kind == TableSlot::Kind::Null) trap(TrapReason::NullFunc);
  if (sl.kind != TableSlot::Kind::Func || sl.type != in.imm) trap(TrapReason::BadSig);
  if (slotCallee_.empty()) slotCallee_.assign(m_.table.size(), kUnresolved);
  int32_t &c = slotCallee_[idx];
  if (c == kUnresolved) {
    if (const Function *g = m_.findFunction(sl.func)) c = static_cast<int32_t>(g - m_.functions.data());
    else if (const Import *imp = m_.findImport(sl.func)) c = -static_cast<int32_t>(imp - m_.imports.data()) - 1;
    else fail("table slot " + std::to_string(idx) + " holds @" + sl.func + ", which is not in the module");
    if (!(sigOf(c) == m_.types[in.imm]))
      fail("table slot " + std::to_string(idx) + " holds @" + sl.func +
           ", whose signature is not signature id " + std::to_string(in.imm));
  }
  callResolved(in, c, sigOf(c), in.uses.size() - 1, sl.func);
}

void Machine::callResolved(const Instr &in, int32_t c, const Signature &sig, size_t nargs,
                           const std::string &name) {
  if (!alloc_) {
    if (c < 0) {
      hostArgs_.clear();
      size_t k = 0;
      for (ValType t : sig.params) {
        const uint64_t first = readValue(in.uses[k++], t);
        hostArgs_.push_back(t == ValType::I64 ? join(lo32(first), read(in.uses[k++])) : first);
      }
      const std::vector<uint64_t> r = callHost(c);
      k = 0;
      for (size_t i = 0; i < r.size(); ++i) {
        writeValue(in.defs[k++], sig.results[i], r[i]);
        if (sig.results[i] == ValType::I64) write(in.defs[k++], hi32(r[i]));
      }
      ++ip_;
      return;
    }
    const auto argBase = static_cast<uint32_t>(argBuf_.size());
    size_t k = 0;
    for (ValType t : sig.params)
      for (unsigned w = 0; w < operandsOf(t); ++w, ++k) argBuf_.push_back(readValue(in.uses[k], t));
    if (k != nargs) fail("argument count does not match the signature of @" + name);
    frames_.back().block = block_;
    frames_.back().ip = ip_;
    enter(static_cast<uint32_t>(c));
    frames_.back().argBase = argBase;
    resume();
    return;
  }
  readArgsAllocated(placementOf(c), sig, name);
  if (c < 0) {
    const std::vector<uint64_t> r = callHost(c);
    finishCall(sig, r);
    return;
  }
  frames_.back().block = block_;
  frames_.back().ip = ip_;
  enterAllocated(static_cast<uint32_t>(c));
}

bool Machine::execRet(const Instr &in) {
  const Signature &sig = fn_->sig;
  if (!alloc_) {
    retBuf_.clear();
    size_t n = 0;
    for (ValType t : sig.results)
      for (unsigned w = 0; w < operandsOf(t); ++w, ++n) retBuf_.push_back(readValue(in.uses[n], t));
    const Frame fr = frames_.back();
    frames_.pop_back();
    if (frames_.empty()) {
      size_t k = 0;
      for (ValType t : sig.results) {
        const uint64_t first = retBuf_[k++];
        res_.results.push_back(t == ValType::I64 ? join(lo32(first), lo32(retBuf_[k++])) : first);
      }
      res_.status = ExecResult::Status::Returned;
      return true;
    }
    pool_.resize(fr.base);
    argBuf_.resize(fr.argBase);
    resume();
    const Instr &call = code_[ip_];
    size_t k = 0;
    for (ValType t : sig.results)
      for (unsigned w = 0; w < operandsOf(t); ++w, ++k) writeValue(call.defs[k], t, retBuf_[k]);
    ++ip_;
    return false;
  }
  auto resultWord = [&](unsigned r) {
    if (!(defined_ & (1u << r))) {
      if (env_.garbageSeed) return garbage(r);
      fail("the result of @" + fn_->name + " is returned in " + regName(r) +
           ", which holds no value " + noValueText(r));
    }
    return regs_[r];
  };
  auto resultS = [&](unsigned n, int d) {  // an S register, or a half of D register d (d >= 0)
    if (!(sdefined_ & (1u << n))) {
      if (env_.garbageSeed) return garbage(0x100 + n);
      fail("the result of @" + fn_->name + " is returned in " +
           (d >= 0 ? "d" + std::to_string(d) + ", whose " : std::string()) + "s" + std::to_string(n) +
           (d >= 0 ? " holds no value " : ", which holds no value ") + sNoValueText(n));
    }
    return sregs_[n];
  };
  auto resultStack = [&](uint32_t off, size_t i) {
    uint32_t v = 0;
    const uint32_t a = stackAddr(uint64_t(sp_) + off, "stack result");
    if (stack_.load(a, v) != StackMem::Value) {
      if (env_.garbageSeed) return garbage(uint64_t(a) << 8);
      fail("result " + std::to_string(i) + " of @" + fn_->name + " is returned in [sp+" + std::to_string(off) +
           "], which holds no value");
    }
    return v;
  };
  // an i64's high word: a register, or the stack when the low word went there
  auto resultAny = [&](const WordLoc &l, size_t i) { return l.onStack ? resultStack(l.offset, i) : resultWord(l.reg); };
  // One value per result (an i64 or f64 joined), read from its home.
  std::vector<uint64_t> results;
  const Placement pl = placeResults(sig);
  size_t w = 0;
  for (size_t i = 0; i < sig.results.size(); ++i) {
    const WordLoc &l = pl.words.at(w);
    if (l.onStack) {  // at [entry sp + N], in the caller's outgoing area
      const uint32_t lo = resultStack(l.offset, i);
      if (l.bytes == 8) results.push_back(join(lo, resultStack(l.offset + 4, i)));
      else if (sig.results[i] == ValType::I64) results.push_back(join(lo, resultAny(pl.words.at(w + 1), i)));
      else results.push_back(lo);
    } else if (l.vfp == WordLoc::Vfp::S) {
      results.push_back(resultS(l.reg, -1));
    } else if (l.vfp == WordLoc::Vfp::D) {
      const uint32_t lo = resultS(2u * l.reg, l.reg);
      results.push_back(join(lo, resultS(2u * l.reg + 1, l.reg)));
    } else if (sig.results[i] == ValType::I64) {
      const uint32_t lo = resultWord(l.reg);
      results.push_back(join(lo, resultAny(pl.words.at(w + 1), i)));
    } else {
      results.push_back(resultWord(l.reg));
    }
    w += operandsOf(sig.results[i]);
  }
  const Frame &fr = frames_.back();
  if (sp_ != fr.entrySp)
    fail("sp at the return of @" + fn_->name + " is " + hex(sp_) + " but was " + hex(fr.entrySp) +
         " at entry (unbalanced by " + std::to_string(int64_t(sp_) - int64_t(fr.entrySp)) +
         " bytes)");
  for (unsigned r = 4; r <= 11; ++r) {
    if (!(fr.savedMask & (1u << r))) continue;
    const bool def = defined_ & (1u << r);
    if (r == 10 && m_.memoryMax) {  // growable memory: R10 is the current size, not the entry value
      if (!def || regs_[r] != memBytes_)
        fail("r10 at the return of @" + fn_->name + " holds " + (def ? hex(regs_[r]) : "no value " + noValueText(r)) +
             " but the memory size is " + hex(static_cast<uint32_t>(memBytes_)) + " bytes");
      continue;
    }
    if (!def || regs_[r] != fr.saved[r - 4])
      fail("callee-saved " + regName(r) + " not preserved by @" + fn_->name + ": it holds " +
           (def ? hex(regs_[r]) : "no value " + noValueText(r)) + " at the return but held " +
           hex(fr.saved[r - 4]) + " at entry");
  }
  for (unsigned n = 16; n < kNumSRegs; ++n) {
    if (!(fr.savedSMask & (1u << n))) continue;
    const bool def = sdefined_ & (1u << n);
    if (!def || sregs_[n] != fr.savedS[n - 16])
      fail("callee-saved s" + std::to_string(n) + " not preserved by @" + fn_->name + ": it holds " +
           (def ? hex(sregs_[n]) : std::string("no value")) + " at the return but held " +
           hex(fr.savedS[n - 16]) + " at entry");
  }
  if (!(defined_ & (1u << kLr)))
    fail("lr holds no value at the return of @" + fn_->name + " " + noValueText(kLr) +
         "; lr must be saved across calls");
  if (regs_[kLr] != fr.lrToken)
    fail("lr at the return of @" + fn_->name + " is " + hex(regs_[kLr]) +
         ", not the return address " + hex(fr.lrToken));
  frames_.pop_back();
  if (frames_.empty()) {
    res_.results.insert(res_.results.end(), results.begin(), results.end());
    res_.status = ExecResult::Status::Returned;
    return true;
  }
  resume();
  finishCall(sig, results);
  return false;
}

namespace {
/// S register numbers of a VFP push/pop list, ascending.
unsigned sortedSRegs(const OperandList &list, std::array<unsigned, kNumSRegs> &out) {
  unsigned n = 0;
  for (const Operand &o : list)
    for (uint32_t r : sregsOf(o))
      if (n < kNumSRegs) out[n++] = r;
  std::sort(out.begin(), out.begin() + n);
  return n;
}
}  // namespace

void Machine::execPush(const Instr &in) {
  if (in.uses[0].isVfp()) {  // vpush: S registers, lowest at the lowest address
    std::array<unsigned, kNumSRegs> regs{};
    const unsigned n = sortedSRegs(in.uses, regs);
    const int64_t newSp = int64_t(sp_) - 4 * int64_t(n);
    if (newSp < int64_t(StackMem::kBottom)) fail("vpush overflows the stack region");
    for (unsigned k = 0; k < n; ++k) {
      const auto addr = static_cast<uint32_t>(newSp + 4 * k);
      if (sdefined_ & (1u << regs[k])) stack_.store(addr, sregs_[regs[k]], StackMem::Value);
      else stack_.store(addr, 0, StackMem::Poison);
    }
    sp_ = static_cast<uint32_t>(newSp);
    return;
  }
  std::array<unsigned, kNumPRegs> regs{};
  const unsigned n = sortedRegs(in.uses, regs);
  const int64_t newSp = int64_t(sp_) - 4 * int64_t(n);
  if (newSp < int64_t(StackMem::kBottom)) fail("push overflows the stack region");
  for (unsigned k = 0; k < n; ++k) {
    const unsigned r = regs[k];
    const auto addr = static_cast<uint32_t>(newSp + 4 * k);
    if (defined_ & (1u << r)) stack_.store(addr, regs_[r], StackMem::Value);
    else stack_.store(addr, 0, StackMem::Poison);
  }
  sp_ = static_cast<uint32_t>(newSp);
}

void Machine::execPop(const Instr &in) {
  if (in.defs[0].isVfp()) {  // vpop
    std::array<unsigned, kNumSRegs> regs{};
    const unsigned n = sortedSRegs(in.defs, regs);
    std::array<uint32_t, kNumSRegs> vals{};
    std::array<StackMem::State, kNumSRegs> states{};
    for (unsigned k = 0; k < n; ++k) {
      const uint32_t addr = stackAddr(uint64_t(sp_) + 4 * k, "vpop");
      states[k] = stack_.load(addr, vals[k]);
      if (states[k] == StackMem::Unwritten)
        fail("pop of s" + std::to_string(regs[k]) + " from [sp+" + std::to_string(4 * k) +
             "] which was never written");
    }
    for (unsigned k = 0; k < n; ++k) {
      if (states[k] == StackMem::Value) {
        sregs_[regs[k]] = vals[k];
        sdefined_ |= 1u << regs[k];
      } else {
        sdefined_ &= ~(1u << regs[k]);
        swhy_[regs[k]] = NoValue{NoValue::Kind::Popped, fn_, block_, ip_};
      }
    }
    setSp(uint64_t(sp_) + 4 * n);
    return;
  }
  std::array<unsigned, kNumPRegs> regs{};
  std::array<uint32_t, kNumPRegs> vals{};
  std::array<StackMem::State, kNumPRegs> states{};
  const unsigned n = sortedRegs(in.defs, regs);
  for (unsigned k = 0; k < n; ++k) {
    const uint32_t addr = stackAddr(uint64_t(sp_) + 4 * k, "pop");
    states[k] = stack_.load(addr, vals[k]);
    if (states[k] == StackMem::Unwritten)
      fail("pop of " + regName(regs[k]) + " from [sp+" + std::to_string(4 * k) + "] (" + hex(addr) +
           ") which was never written");
  }
  for (unsigned k = 0; k < n; ++k) {
    if (states[k] == StackMem::Value) setReg(regs[k], vals[k]);
    else clobber(regs[k], NoValue::Kind::Popped);
  }
  setSp(uint64_t(sp_) + 4 * n);
}

}  // namespace vcr::mir::interp_detail
