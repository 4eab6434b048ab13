// Reference interpreter: the float opcodes of docs/vfp.md, computed through their runtime routines' wasm semantics.
#include "core/ir/interp_machine.h"
#include "core/ir/interp_ops.h"
#include "core/ir/runtime_calls.h"

#include <vector>

namespace vcr::mir::interp_detail {

using namespace interp_ops;

namespace {
constexpr uint32_t kSign32 = 0x80000000u;
constexpr uint64_t kSign64 = uint64_t{1} << 63;
}  // namespace

void Machine::execFloatMemory(const Instr &in) {
  const bool wide = in.op == Opcode::FLoad64 || in.op == Opcode::FStore64;
  const bool isStore = in.op == Opcode::FStore32 || in.op == Opcode::FStore64;
  uint64_t v = 0;
  if (isStore) v = wide ? read64(in.uses[0]) : read(in.uses[0]);
  const uint32_t addr = read(in.uses.back());
  const unsigned n = wide ? 8 : 4;
  uint8_t *p = linearAccess(addr, in.imm, n, isStore ? "store" : "load");
  if (isStore) {
    for (unsigned k = 0; k < n; ++k) p[k] = static_cast<uint8_t>(v >> (8 * k));
    return;
  }
  for (unsigned k = 0; k < n; ++k) v |= uint64_t(p[k]) << (8 * k);
  if (wide) write64(in.defs[0], v);
  else write(in.defs[0], lo32(v));
}

void Machine::execFloat(const Instr &in) {
  const auto &u = in.uses;
  const auto &d = in.defs;
  switch (in.op) {
  case Opcode::FConst32: write(d[0], read(u[0])); return;
  case Opcode::FConst64: write64(d[0], join(read(u[0]), read(u[1]))); return;
  // bit operations on the sign
  case Opcode::FAbs32: write(d[0], read(u[0]) & ~kSign32); return;
  case Opcode::FNeg32: write(d[0], read(u[0]) ^ kSign32); return;
  case Opcode::FCopySign32: {
    const uint32_t a = read(u[0]), b = read(u[1]);
    write(d[0], (a & ~kSign32) | (b & kSign32));
    return;
  }
  case Opcode::FAbs64: write64(d[0], read64(u[0]) & ~kSign64); return;
  case Opcode::FNeg64: write64(d[0], read64(u[0]) ^ kSign64); return;
  case Opcode::FCopySign64: {
    const uint64_t a = read64(u[0]), b = read64(u[1]);
    write64(d[0], (a & ~kSign64) | (b & kSign64));
    return;
  }
  case Opcode::FSel32: {
    const uint32_t c = read(u[0]), a = read(u[1]), b = read(u[2]);
    write(d[0], c != 0 ? a : b);
    return;
  }
  case Opcode::FSel64: {
    const uint32_t c = read(u[0]);
    const uint64_t a = read64(u[1]), b = read64(u[2]);
    write64(d[0], c != 0 ? a : b);
    return;
  }
  // reinterpreting moves: the bits unchanged
  case Opcode::FMovToInt32: case Opcode::FMovFromInt32: write(d[0], read(u[0])); return;
  case Opcode::FMovToInt64: {
    const uint64_t v = read64(u[0]);
    write(d[0], lo32(v));
    write(d[1], hi32(v));
    return;
  }
  case Opcode::FMovFromInt64: write64(d[0], join(read(u[0]), read(u[1]))); return;
  case Opcode::FLoad32: case Opcode::FLoad64: case Opcode::FStore32: case Opcode::FStore64:
    execFloatMemory(in);
    return;
  default: break;
  }
  // Everything else computes through its runtime routine (wasm semantics).
  const std::optional<uint32_t> k = runtimeEquivalent(in.op, in.cc);
  if (!k) fail("unhandled float opcode");
  const Signature &sig = runtimeFns()[*k].sig;
  hostArgs_.clear();
  size_t next = 0;
  for (size_t p = 0; p < sig.params.size(); ++p) {
    const std::optional<RegClass> c = operandClass(in, false, next);
    if (c == RegClass::F64) {
      hostArgs_.push_back(read64(u[next++]));
    } else if (sig.params[p] == ValType::I64) {  // an i64 as a (lo, hi) pair of core words
      const uint32_t lo = read(u[next++]);
      hostArgs_.push_back(join(lo, read(u[next++])));
    } else {
      hostArgs_.push_back(read(u[next++]));
    }
  }
  const RuntimeOutcome o = evalRuntimeFn(*k, hostArgs_);
  if (o.trapped) trap(o.trap);
  uint64_t r = o.result;
  if ((in.op == Opcode::FSet32 || in.op == Opcode::FSet64) && in.cc == Cond::Ne) r ^= 1;
  if (operandClass(in, true, 0) == RegClass::F64) {
    write64(d[0], r);
  } else if (d.size() == 2) {
    write(d[0], lo32(r));
    write(d[1], hi32(r));
  } else {
    write(d[0], lo32(r));
  }
}

}  // namespace vcr::mir::interp_detail
