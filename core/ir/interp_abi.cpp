// Reference interpreter: AAPCS / AAPCS-VFP placement of parameters and the allocated-form call boundary (entry, arguments, results).
#include "core/ir/interp_machine.h"
#include "core/ir/interp_ops.h"

#include <algorithm>

namespace vcr::mir::interp_detail {

using namespace interp_ops;

namespace {
constexpr unsigned kLr = static_cast<unsigned>(PReg::LR);
constexpr unsigned kR12 = static_cast<unsigned>(PReg::R12);
constexpr uint32_t kCanaryBase = 0xC0DE0000u;  ///< R4-R8 at the outermost entry
constexpr uint32_t kTokenBase = 0xF0000001u;   ///< return addresses (Thumb bit set)
}  // namespace

Placement placeParams(const Signature &sig) {
  Placement p;
  unsigned nextReg = 0;     // next core register; 4 once a core word went to the stack
  uint32_t sFree = 0xffff;  // free S0-S15
  bool vfpFull = false;     // a VFP value went to the stack: every later one does
  uint32_t off = 0;
  auto onStack = [&](uint8_t bytes) {
    if (bytes == 8) off = (off + 7) & ~7u;
    p.words.push_back({true, 0, off, WordLoc::Vfp::None, bytes});
    off += bytes;
  };
  for (ValType t : sig.params) {
    switch (t) {
    case ValType::I32:
      if (nextReg < 4) p.words.push_back({false, uint8_t(nextReg++), 0});
      else onStack(4);
      break;
    case ValType::I64:
      nextReg += nextReg & 1;  // even pair
      if (nextReg + 2 <= 4) {
        p.words.push_back({false, uint8_t(nextReg), 0});
        p.words.push_back({false, uint8_t(nextReg + 1), 0});
        nextReg += 2;
      } else {
        nextReg = 4;
        off = (off + 7) & ~7u;
        p.words.push_back({true, 0, off});
        p.words.push_back({true, 0, off + 4});
        off += 8;
      }
      break;
    case ValType::F32:
    case ValType::F64: {
      const bool dbl = t == ValType::F64;
      const uint32_t want = dbl ? 3u : 1u;  // the S registers it takes, at S0
      unsigned n = 0;
      while (!vfpFull && n < 16 && (sFree >> n & want) != want) n += dbl ? 2 : 1;
      if (vfpFull || n >= 16) {
        vfpFull = true;
        onStack(dbl ? 8 : 4);
        break;
      }
      sFree &= ~(want << n);
      p.sRegs |= want << n;
      p.words.push_back({false, uint8_t(dbl ? n / 2 : n), 0, dbl ? WordLoc::Vfp::D : WordLoc::Vfp::S,
                         uint8_t(dbl ? 8 : 4)});
      break;
    }
    }
  }
  p.stackBytes = off;
  return p;
}

Placement placeResults(const Signature &sig) {
  Signature asParams;
  asParams.params = sig.results;
  return placeParams(asParams);
}

void Machine::finishCall(const Signature &sig, std::span<const uint64_t> results) {
  for (unsigned r = 0; r < 4; ++r) clobber(r, NoValue::Kind::Call);
  for (unsigned n = 0; n < 16; ++n) {  // AAPCS-VFP: S0-S15 are caller-saved
    sdefined_ &= ~(1u << n);
    swhy_[n] = NoValue{NoValue::Kind::Call, fn_, block_, ip_};
  }
  clobber(kR12, NoValue::Kind::Call);
  clobber(kLr, NoValue::Kind::Call);
  const Placement pl = placeResults(sig);
  // The callee owns its area (stack arguments and results): nothing but the
  // results may be read there afterwards.
  const uint32_t area = std::max(placeParams(sig).stackBytes, pl.stackBytes);
  for (uint32_t off = 0; off < area; off += 4) stack_.store(stackAddr(uint64_t(sp_) + off, "outgoing area"), 0, StackMem::Poison);
  size_t w = 0;
  for (size_t i = 0; i < sig.results.size(); ++i) {
    const uint64_t v = i < results.size() ? results[i] : 0;
    const unsigned n = operandsOf(sig.results[i]);
    for (unsigned h = 0; h < n; ++h, ++w) {
      const WordLoc &l = pl.words[w];
      if (l.onStack) {  // in the caller's outgoing area, [sp+N] after the call
        const uint32_t a = stackAddr(uint64_t(sp_) + l.offset, "stack result");
        stack_.store(a, h ? hi32(v) : lo32(v), StackMem::Value);  // a word, an i64's half, an f64's low word
        if (l.bytes == 8) stack_.store(stackAddr(uint64_t(a) + 4, "stack result"), hi32(v), StackMem::Value);
        continue;
      }
      if (l.vfp == WordLoc::Vfp::S) write(Operand::sreg(l.reg), lo32(v));
      else if (l.vfp == WordLoc::Vfp::D) write64(Operand::dreg(l.reg), v);
      else setReg(l.reg, h ? hi32(v) : lo32(v));
    }
  }
  ++ip_;
}

uint32_t Machine::argWord(const WordLoc &loc, unsigned half, size_t arg, const std::string &callee) {
  const std::string what = "argument " + std::to_string(arg) + " of the call to @" + callee;
  if (loc.onStack) {
    const uint32_t off = loc.offset + 4 * half;
    const uint32_t a = stackAddr(uint64_t(sp_) + off, "outgoing argument");
    uint32_t v;
    if (stack_.load(a, v) != StackMem::Value) {
      if (env_.garbageSeed) return garbage(uint64_t(a) << 8);
      fail(what + " is passed in [sp+" + std::to_string(off) + "], which holds no value");
    }
    return v;
  }
  if (loc.vfp != WordLoc::Vfp::None) {
    const bool dbl = loc.vfp == WordLoc::Vfp::D;
    const unsigned n = dbl ? 2u * loc.reg + half : loc.reg;
    if (!(sdefined_ & (1u << n))) {
      if (env_.garbageSeed) return garbage(0x100 + n);
      fail(what + " is passed in " + (dbl ? "d" + std::to_string(loc.reg) + ", whose " : "") + "s" +
           std::to_string(n) + (dbl ? " holds no value " : ", which holds no value ") + sNoValueText(n));
    }
    return sregs_[n];
  }
  if (!(defined_ & (1u << loc.reg))) {
    if (env_.garbageSeed) return garbage(loc.reg);
    fail(what + " is passed in " + regName(loc.reg) + ", which holds no value " +
         noValueText(loc.reg));
  }
  return regs_[loc.reg];
}

void Machine::readArgsAllocated(const Placement &pl, const Signature &sig, const std::string &callee) {
  hostArgs_.clear();
  size_t w = 0;
  for (size_t i = 0; i < sig.params.size(); ++i) {
    const WordLoc &loc = pl.words[w++];
    const uint32_t lo = argWord(loc, 0, i, callee);
    switch (sig.params[i]) {
    case ValType::I32:
    case ValType::F32: hostArgs_.push_back(lo); break;
    case ValType::I64: hostArgs_.push_back(join(lo, argWord(pl.words[w++], 0, i, callee))); break;
    case ValType::F64: hostArgs_.push_back(join(lo, argWord(loc, 1, i, callee))); break;
    }
  }
}

void Machine::startAllocated(uint32_t fi, std::span<const uint64_t> args) {
  const Function &f = m_.functions[fi];
  const Placement &pl = placementOf(static_cast<int32_t>(fi));
  defined_ = 0;
  why_.fill(NoValue{NoValue::Kind::Entry, &f, 0, 0});
  for (unsigned r = 4; r <= 8; ++r) setReg(r, kCanaryBase | (r << 8) | r);
  sdefined_ = 0;
  swhy_.fill(NoValue{NoValue::Kind::Entry, &f, 0, 0});
  for (unsigned n = 16; n < kNumSRegs; ++n) {  // callee-saved S16-S31 hold canaries
    sregs_[n] = kCanaryBase | 0x8000u | (n << 8) | n;
    sdefined_ |= 1u << n;
  }
  // the runtime registers of arm/target/runtime.h
  setReg(static_cast<unsigned>(PReg::R9), kGlobalsBase);
  setReg(static_cast<unsigned>(PReg::R10), static_cast<uint32_t>(memBytes_));  // the size, not the reserved image
  setReg(static_cast<unsigned>(PReg::R11), kMemBase);
  if (env_.memory.size() > (uint64_t(1) << 32) - kMemBase) {
    res_.status = ExecResult::Status::Error;
    res_.error = "@" + f.name + ": linear memory of " + std::to_string(env_.memory.size()) +
                 " bytes does not fit the address space above " + hex(kMemBase);
    throw Halt{};
  }
  const uint32_t area = (pl.areaBytes() + 7) & ~7u;
  if (area > StackMem::kSize / 2) {
    res_.status = ExecResult::Status::Error;
    res_.error = "@" + f.name + ": stack arguments do not fit the stack region";
    throw Halt{};
  }
  sp_ = StackMem::kTop - area;
  size_t w = 0;
  auto place = [&](uint64_t v) {  // one operand: a word, or an f64's 64 bits
    const WordLoc &loc = pl.words[w++];
    if (loc.onStack) {
      stack_.store(sp_ + loc.offset, lo32(v), StackMem::Value);
      if (loc.bytes == 8) stack_.store(sp_ + loc.offset + 4, hi32(v), StackMem::Value);
    } else if (loc.vfp == WordLoc::Vfp::S) {
      write(Operand::sreg(loc.reg), lo32(v));
    } else if (loc.vfp == WordLoc::Vfp::D) {
      write64(Operand::dreg(loc.reg), v);
    } else {
      setReg(loc.reg, lo32(v));
    }
  };
  for (size_t i = 0; i < f.sig.params.size(); ++i) {
    const ValType t = f.sig.params[i];
    place(t == ValType::F64 ? args[i] : lo32(args[i]));
    if (t == ValType::I64) place(hi32(args[i]));
  }
  enterAllocated(fi);
  frames_.back().frameLimit = StackMem::kTop;
}

void Machine::enterAllocated(uint32_t fi) {
  const Placement &pl = placementOf(static_cast<int32_t>(fi));
  enter(fi);
  Frame &fr = frames_.back();
  fr.entrySp = sp_;
  fr.frameLimit = std::min<uint32_t>(StackMem::kTop, sp_ + pl.areaBytes());
  fr.lrToken = kTokenBase + 2 * nextToken_++;
  fr.savedMask = 0;
  for (unsigned r = 4; r <= 11; ++r) {
    fr.saved[r - 4] = regs_[r];
    if (defined_ & (1u << r)) fr.savedMask |= 1u << r;
  }
  fr.savedSMask = 0;
  for (unsigned n = 16; n < kNumSRegs; ++n) {
    fr.savedS[n - 16] = sregs_[n];
    if (sdefined_ & (1u << n)) fr.savedSMask |= 1u << n;
  }
  for (unsigned n = 0; n < 16; ++n)  // S0-S15 carry only the VFP parameters into a callee
    if (!(pl.sRegs & (1u << n))) {
      sdefined_ &= ~(1u << n);
      swhy_[n] = NoValue{NoValue::Kind::Entry, &m_.functions[fi], 0, 0};
    }
  const Function &f = m_.functions[fi];
  uint32_t paramRegs = 0;
  for (const WordLoc &loc : pl.words)
    if (!loc.onStack && loc.vfp == WordLoc::Vfp::None) paramRegs |= 1u << loc.reg;
  for (unsigned r : {0u, 1u, 2u, 3u, kR12})
    if (!(paramRegs & (1u << r))) {
      defined_ &= ~(1u << r);
      why_[r] = NoValue{NoValue::Kind::Entry, &f, 0, 0};
    }
  setReg(kLr, fr.lrToken);
  resume();
}

}  // namespace vcr::mir::interp_detail
