// Expansions of memory instructions: bounds-checked linear-memory loads/stores, globals, memsize, stack words.
#include "arm/emit/emitter.h"

#include <algorithm>

namespace vcr::emit::detail {

using mir::Instr;
using mir::Opcode;
using mir::Width;

namespace {

std::string_view loadMnemonic(Width w) {
  switch (w) {
  case Width::U8: return "ldrb";
  case Width::S8: return "ldrsb";
  case Width::U16: return "ldrh";
  case Width::S16: return "ldrsh";
  case Width::W32: break;
  }
  return "ldr";
}

std::string_view storeMnemonic(Width w) {
  switch (w) {
  case Width::U8: case Width::S8: return "strb";
  case Width::U16: case Width::S16: return "strh";
  case Width::W32: break;
  }
  return "str";
}

}  // namespace

bool FnEmitter::boundsCheck(const std::string &addr, uint32_t offset, unsigned bytes,
                            const std::string &temp) {
  const uint64_t end = uint64_t(offset) + bytes;  // ea + bytes = addr + end
  if (end > 0xffffffffu) {  // addr + end >= 2^32 > any memory size: always out of bounds
    line("b {}", trapLabel(mir::TrapReason::OutOfBounds));
    return false;
  }
  const auto e = static_cast<uint32_t>(end);
  if (isModifiedImmediate(e)) {
    line("adds {}, {}, #{}", temp, addr, e);
  } else {
    if (temp == addr) decline("internal: bounds-check temporary equals the address register");
    materialize(temp, e);
    line("adds {0}, {0}, {1}", temp, addr);
  }
  const std::string trap = trapLabel(mir::TrapReason::OutOfBounds);
  line("bcs {}", trap);  // ea + bytes wrapped past 2^32
  line("cmp {}, r10", temp);
  line("bhi {}", trap);  // ea + bytes > memory size
  line("add {0}, {0}, r11", temp);  // host address of ea + bytes; access [temp, #-bytes]
  return true;
}

std::string FnEmitter::loadTemp(const std::string &d, const std::string &addr, unsigned bytes,
                                uint32_t offset) {
  // A load's destination is dead until the load writes it, so it can hold
  // the address (saving a scratch) unless it is R10/R11 (read by the check)
  // or it is the address register and the end offset has to be
  // materialised first.
  if (d == "r10" || d == "r11") return scratch();
  const uint64_t end = uint64_t(offset) + bytes;
  if (d == addr && end <= 0xffffffffu && !isModifiedImmediate(static_cast<uint32_t>(end))) return scratch();
  return d;
}

std::string FnEmitter::storeTemp(const std::string &addr, std::initializer_list<std::string> values,
                                  uint32_t offset, unsigned bytes) {
  // The address register may hold the host address when the store is its
  // last use (not live after, not also a stored value, not R10/R11 which the
  // check reads) and the check adds the end offset as an immediate (reading
  // the address before writing it). Else a scratch.
  const auto r = mir::pregFromName(addr);
  const uint64_t end = uint64_t(offset) + bytes;
  const bool immediate = end <= 0xffffffffu && isModifiedImmediate(static_cast<uint32_t>(end));
  const bool dead = r && !(curLiveOut_ & regBit(*r)) && *r != mir::PReg::R10 && *r != mir::PReg::R11;
  if (immediate && dead && std::find(values.begin(), values.end(), addr) == values.end()) return addr;
  return scratch();
}

void FnEmitter::stackAccess(std::string_view mn, const std::string &r, uint32_t offset) {
  if (offset <= 4095) return line("{} {}, [sp, #{}]", mn, r, offset);
  const std::string s = scratch();
  materialize(s, offset);
  line("{} {}, [sp, {}]", mn, r, s);
}

void FnEmitter::emitMemory(const Instr &in) {
  switch (in.op) {
  case Opcode::Load: {
    const std::string d = reg(in.defs[0], "destination");
    const std::string a = reg(in.uses[0], "address");
    const unsigned n = mir::widthBytes(in.width);
    const std::string t = loadTemp(d, a, n, in.imm);
    if (boundsCheck(a, in.imm, n, t)) line("{} {}, [{}, #-{}]", loadMnemonic(in.width), d, t, n);
    return;
  }
  case Opcode::Load64: {
    const std::string lo = reg(in.defs[0], "low destination");
    const std::string hi = reg(in.defs[1], "high destination");
    if (lo == hi) decline("both halves of the loaded value are in " + lo);
    const std::string a = reg(in.uses[0], "address");
    // LDRD without writeback may load over its base register
    const std::string t = loadTemp(lo, a, 8, in.imm);
    if (boundsCheck(a, in.imm, 8, t)) line("ldrd {}, {}, [{}, #-8]", lo, hi, t);
    return;
  }
  case Opcode::Store: {
    const std::string v = reg(in.uses[0], "stored value");
    const std::string a = reg(in.uses[1], "address");
    const unsigned n = mir::widthBytes(in.width);
    const std::string s = storeTemp(a, {v}, in.imm, n);
    if (boundsCheck(a, in.imm, n, s)) line("{} {}, [{}, #-{}]", storeMnemonic(in.width), v, s, n);
    return;
  }
  case Opcode::Store64: {
    const std::string lo = reg(in.uses[0], "stored low half");
    const std::string hi = reg(in.uses[1], "stored high half");
    const std::string a = reg(in.uses[2], "address");
    const std::string s = storeTemp(a, {lo, hi}, in.imm, 8);
    if (boundsCheck(a, in.imm, 8, s)) line("strd {}, {}, [{}, #-8]", lo, hi, s);
    return;
  }
  case Opcode::GGet: case Opcode::GSet: {
    const uint64_t off = uint64_t(in.imm) * 4;
    if (off > 0xffffffffu) decline("global index " + std::to_string(in.imm) + " out of range");
    const bool get = in.op == Opcode::GGet;
    const std::string r = get ? reg(in.defs[0], "destination") : reg(in.uses[0], "stored value");
    const std::string_view mn = get ? "ldr" : "str";
    if (off <= 4095) return line("{} {}, [r9, #{}]", mn, r, off);
    const std::string s = scratch();
    materialize(s, static_cast<uint32_t>(off));
    return line("{} {}, [r9, {}]", mn, r, s);
  }
  case Opcode::MemSize:  // R10 holds the size in bytes; pages are 64 KiB
    return line("lsr {}, r10, #16", reg(in.defs[0], "destination"));
  case Opcode::MemGrow: return emitGrow(in);
  case Opcode::Lds: {
    const std::string d = reg(in.defs[0], "destination");
    if (!in.uses[0].isStack()) decline("lds source is not a stack word");
    return stackAccess("ldr", d, in.uses[0].value);
  }
  case Opcode::Sts: {
    if (!in.defs[0].isStack()) decline("sts destination is not a stack word");
    return stackAccess("str", reg(in.uses[0], "stored value"), in.defs[0].value);
  }
  default: decline("not a memory instruction");
  }
}

void FnEmitter::emitGrow(const Instr &in) {
  // memgrow d, delta (docs/mir.md "Growing memory"): R10 is the size in
  // bytes and memory is mapped at the maximum, so growing is arithmetic on
  // R10 (the new pages are zero: nothing writes past the size). The test is
  // exact for any delta and any R10: old = R10 >> 16; it fails when old > max
  // (borrow) or delta > max - old.
  if (!module_.memoryMax) decline("memgrow in a module whose memory cannot grow");
  const std::string d = reg(in.defs[0], "destination");
  const std::string delta = reg(in.uses[0], "delta");
  if (isReg(in.uses[0], mir::PReg::R10)) decline("memgrow delta in r10 (the memory size)");
  const std::string t = scratch();
  const std::string fail = fmt::format(".L{}_grow{}_{}_fail", sym_, curBlock_, curIndex_);
  const std::string done = fmt::format(".L{}_grow{}_{}_done", sym_, curBlock_, curIndex_);
  line("movw {}, #{}", t, *module_.memoryMax);
  line("subs {0}, {0}, r10, lsr #16", t);  // max - old; carry clear when old > max
  line("bcc {}", fail);
  line("cmp {}, {}", delta, t);
  line("bhi {}", fail);  // old + delta > max
  line("lsr {}, r10, #16", t);  // old
  line("add r10, {}, {}", t, delta);
  line("lsl r10, r10, #16");  // R10 = (old + delta) * 65536, written before d
  line("mov {}, {}", d, t);
  line("b {}", done);
  label(fail);
  line("mov {}, #-1", d);
  label(done);
}

}  // namespace vcr::emit::detail
