// Reference interpreter: linear memory, globals and memsize, with R9-R11 in their runtime roles in allocated form.
#include "core/ir/interp_machine.h"
#include "core/ir/interp_ops.h"
#include "core/ir/runtime_calls.h"

#include <cstring>

namespace vcr::mir::interp_detail {

using namespace interp_ops;

namespace {
constexpr unsigned kR9 = static_cast<unsigned>(PReg::R9);
constexpr unsigned kR10 = static_cast<unsigned>(PReg::R10);
constexpr unsigned kR11 = static_cast<unsigned>(PReg::R11);

/// "[lo, hi)" of a mapped region for messages.
std::string rangeText(uint64_t lo, uint64_t bytes) {
  return "[" + hex(lo) + ", " + hex(lo + bytes) + ")";
}
}  // namespace

uint8_t *Machine::linearAccess(uint32_t addr, uint32_t offset, unsigned n, const char *what) {
  const uint64_t end = uint64_t(addr) + offset + n;  // ea + n, no wrap-around
  if (!alloc_) {
    if (end > env_.memory.size()) trap(TrapReason::OutOfBounds);
    return env_.memory.data() + (end - n);
  }
  // The emitted check (arm/emit/emit.h): T = addr + (offset + n), a carry
  // out of bit 31 traps; `cmp T, r10; bhi trap`; `add T, T, r11`; the access
  // is [T - n], i.e. at r11 + ea modulo 2^32.
  if (end > 0xffffffffu) trap(TrapReason::OutOfBounds);
  const uint32_t r10 = readReg(kR10);
  if (end > r10) trap(TrapReason::OutOfBounds);
  const uint32_t r11 = readReg(kR11);
  const auto host = static_cast<uint32_t>(uint64_t(r11) + end - n);
  const uint64_t size = env_.memory.size();
  if (host >= kMemBase && uint64_t(host) - kMemBase + n <= size)
    return env_.memory.data() + (host - kMemBase);
  fail(std::string("access outside mapped memory: ") + what + " of " + std::to_string(n) +
       " bytes at r11 + " + hex(end - n) + " = " + hex(host) + " (r10 = " + hex(r10) +
       ", r11 = " + hex(r11) + ") is outside linear memory " + rangeText(kMemBase, size) +
       "; at entry r10 = " + hex(static_cast<uint32_t>(size)) + " and r11 = " + hex(kMemBase));
}

void Machine::execMemory(const Instr &in) {
  const bool isStore = in.op == Opcode::Store || in.op == Opcode::Store64;
  const bool wide = in.op == Opcode::Load64 || in.op == Opcode::Store64;
  uint32_t lo = 0, hi = 0;
  if (in.op == Opcode::Store) lo = read(in.uses[0]);
  if (in.op == Opcode::Store64) lo = read(in.uses[0]), hi = read(in.uses[1]);
  const uint32_t addr = read(in.uses.back());
  const unsigned n = wide ? 8 : widthBytes(in.width);
  uint8_t *p = linearAccess(addr, in.imm, n, isStore ? "store" : "load");
  if (isStore) {
    const uint64_t v = join(lo, hi);
    for (unsigned k = 0; k < n; ++k) p[k] = static_cast<uint8_t>(v >> (8 * k));
    return;
  }
  uint64_t v = 0;
  for (unsigned k = 0; k < n; ++k) v |= uint64_t(p[k]) << (8 * k);
  if (wide) {
    write(in.defs[0], lo32(v));
    write(in.defs[1], hi32(v));
    return;
  }
  uint32_t w = lo32(v);
  if (in.width == Width::S8) w = static_cast<uint32_t>(int32_t(int8_t(uint8_t(w))));
  if (in.width == Width::S16) w = static_cast<uint32_t>(int32_t(int16_t(uint16_t(w))));
  write(in.defs[0], w);
}

uint32_t Machine::globalByte(const Instr &in) {
  const uint64_t tableBytes = uint64_t(env_.globals.size()) * 4;
  auto outOfRange = [&] {
    fail("global index " + std::to_string(in.imm) + " out of range (the globals table has " +
         std::to_string(env_.globals.size()) + " words)");
  };
  if (!alloc_) {
    if (in.imm >= env_.globals.size()) outOfRange();
    return in.imm * 4;
  }
  // The emitted `ldr/str d, [r9, #4*index]` (wrapping modulo 2^32).
  const uint32_t r9 = readReg(kR9);
  const auto host = static_cast<uint32_t>(uint64_t(r9) + uint64_t(in.imm) * 4);
  if (host >= kGlobalsBase && uint64_t(host) - kGlobalsBase + 4 <= tableBytes)
    return host - kGlobalsBase;
  if (r9 == kGlobalsBase) outOfRange();
  fail("access outside mapped memory: " + std::string(info(in.op).mnemonic) + " #" +
       std::to_string(in.imm) + " at r9 + " + hex(uint64_t(in.imm) * 4) + " = " + hex(host) +
       " (r9 = " + hex(r9) + ") is outside the globals table " + rangeText(kGlobalsBase, tableBytes) +
       "; at entry r9 = " + hex(kGlobalsBase));
}

void Machine::execGlobal(const Instr &in) {
  if (in.op == Opcode::GGet) {
    const uint32_t at = globalByte(in);
    uint32_t v = 0;
    for (unsigned k = 0; k < 4; ++k)
      v |= ((env_.globals[(at + k) / 4] >> (8 * ((at + k) % 4))) & 0xffu) << (8 * k);
    write(in.defs[0], v);
    return;
  }
  const uint32_t v = read(in.uses[0]);
  const uint32_t at = globalByte(in);
  if (in.imm < m_.globals.size() && !m_.globals[in.imm].mut)
    fail("write to immutable global " + std::to_string(in.imm));
  for (unsigned k = 0; k < 4; ++k) {
    uint32_t &word = env_.globals[(at + k) / 4];
    const unsigned shift = 8 * ((at + k) % 4);
    word = (word & ~(0xffu << shift)) | (((v >> (8 * k)) & 0xffu) << shift);
  }
}

void Machine::execMemoryRoutine(uint32_t k) {
  auto arg = [&](size_t i) { return i < hostArgs_.size() ? lo32(hostArgs_[i]) : 0u; };
  const uint32_t dst = arg(0), second = arg(1), n = arg(2);
  if (k == memoryCopyFn()) {
    const uint8_t *from = linearAccess(second, 0, n, "memory.copy source");
    uint8_t *to = linearAccess(dst, 0, n, "memory.copy destination");
    if (n) std::memmove(to, from, n);
    return;
  }
  if (k == memoryFillFn()) {
    uint8_t *to = linearAccess(dst, 0, n, "memory.fill destination");
    if (n) std::memset(to, static_cast<int>(second & 0xffu), n);
    return;
  }
  const uint32_t seg = k == dataDropFn() ? dst : arg(3);
  if (seg >= m_.data.size())
    fail("data segment " + std::to_string(seg) + " out of range (the module has " +
         std::to_string(m_.data.size()) + ")");
  dropped_.resize(m_.data.size(), 0);
  if (k == dataDropFn()) {
    dropped_[seg] = 1;
    return;
  }
  if (k == memoryInitFn()) {  // (dst, src, n, segment); an active or dropped segment has length 0
    const DataSegment &d = m_.data[seg];
    const uint64_t length = dropped_[seg] || !d.passive ? 0 : d.bytes.size();
    if (uint64_t(second) + n > length) trap(TrapReason::OutOfBounds);
    uint8_t *to = linearAccess(dst, 0, n, "memory.init destination");
    if (n) std::memcpy(to, d.bytes.data() + second, n);
    return;
  }
  fail("unknown bulk-memory routine @" + std::string(runtimeFns()[k].name));
}

uint32_t Machine::memorySizePages() {
  // The emitted `lsr d, r10, #16`: R10 holds the size in bytes.
  if (alloc_) return readReg(kR10) >> 16;
  return static_cast<uint32_t>(env_.memory.size() / 65536);
}

void Machine::execGrow(const Instr &in) {
  const uint32_t delta = read(in.uses[0]);
  if (!m_.memoryMax) fail("memgrow in a module whose memory cannot grow");
  const uint64_t max = *m_.memoryMax;
  if (!alloc_) {
    const uint64_t old = env_.memory.size() / 65536;
    if (old + delta > max) return write(in.defs[0], 0xffffffffu);
    env_.memory.resize(size_t(old + delta) * 65536);  // the new pages are zero
    return write(in.defs[0], static_cast<uint32_t>(old));
  }
  // The emitted expansion (arm/emit/emit_mem.cpp): R10 is the size in bytes.
  const uint32_t old = readReg(kR10) >> 16;
  if (uint64_t(old) + delta > max) return write(in.defs[0], 0xffffffffu);
  const auto bytes = static_cast<uint32_t>((uint64_t(old) + delta) * 65536);
  setReg(kR10, bytes);
  memBytes_ = bytes;
  write(in.defs[0], old);
}

void Machine::finishMemory() {
  if (alloc_ && m_.memoryMax && memBytes_ < env_.memory.size()) env_.memory.resize(memBytes_);
}

}  // namespace vcr::mir::interp_detail
