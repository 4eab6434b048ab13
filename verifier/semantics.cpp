// SMT encoding of every pure MIR opcode and of little-endian memory access.
#include "verifier/semantics.h"

namespace vcr::verifier {

using namespace mir;
using smt::Term;
using B = smt::Context::BinOp;
using P = smt::Context::Pred;

namespace {

Term isZero(smt::Context &c, Term a) { return c.cmp(P::Eq, a, c.bv(0, c.width(a))); }

/// Division and remainder with ARM's total results: x/0 = 0, x%0 = x; the
/// SMT-LIB signed operators already give MIN/-1 = MIN and MIN%-1 = 0.
Term divTotal(smt::Context &c, B op, Term a, Term b) {
  const unsigned w = c.width(a);
  Term byZero = (op == B::URem || op == B::SRem) ? a : c.bv(0, w);
  return c.ite(isZero(c, b), byZero, c.bin(op, a, b));
}

/// Rotate left by a variable amount (already reduced mod w).
Term rotl(smt::Context &c, Term a, Term n) {
  const unsigned w = c.width(a);
  Term back = c.bin(B::And, c.bin(B::Sub, c.bv(w, w), n), c.bv(w - 1, w));
  return c.bin(B::Or, c.bin(B::Shl, a, n), c.bin(B::LShr, a, back));
}
Term rotr(smt::Context &c, Term a, Term n) {
  const unsigned w = c.width(a);
  Term back = c.bin(B::And, c.bin(B::Sub, c.bv(w, w), n), c.bv(w - 1, w));
  return c.bin(B::Or, c.bin(B::LShr, a, n), c.bin(B::Shl, a, back));
}

/// Count leading zeros (from bit 31 down) or trailing zeros (from bit 0 up).
Term countZeros(smt::Context &c, Term a, bool leading) {
  Term r = c.bv(32, 32);
  // Build from the far end so the nearest set bit wins.
  for (unsigned k = 0; k < 32; ++k) {
    const unsigned bitIdx = leading ? k : 31 - k;      // scanned last .. first
    const unsigned count = leading ? 31 - bitIdx : bitIdx;  // zeros before that bit
    Term set = c.cmp(P::Eq, c.extract(a, bitIdx, bitIdx), c.bv(1, 1));
    r = c.ite(set, c.bv(count, 32), r);
  }
  return r;
}

Term popcount(smt::Context &c, Term a) {
  Term r = c.bv(0, 32);
  for (unsigned k = 0; k < 32; ++k) r = c.bin(B::Add, r, c.zext(c.extract(a, k, k), 31));
  return r;
}

Words split(smt::Context &c, Term v64) {
  return {c.extract(v64, 31, 0), c.extract(v64, 63, 32)};
}

std::optional<B> binOf(Opcode op) {
  switch (op) {
  case Opcode::Add: case Opcode::Add64: return B::Add;
  case Opcode::Sub: case Opcode::Sub64: return B::Sub;
  case Opcode::Mul: case Opcode::Mul64: return B::Mul;
  case Opcode::And: return B::And;
  case Opcode::Orr: return B::Or;
  case Opcode::Eor: return B::Xor;
  case Opcode::SDiv: case Opcode::SDiv64: return B::SDiv;
  case Opcode::UDiv: case Opcode::UDiv64: return B::UDiv;
  case Opcode::SRem: case Opcode::SRem64: return B::SRem;
  case Opcode::URem: case Opcode::URem64: return B::URem;
  default: return std::nullopt;
  }
}

/// A shift or rotate of `a` (width w) by `n` (width w, reduced mod w here).
Term shiftOp(smt::Context &c, Opcode op, Term a, Term n) {
  const unsigned w = c.width(a);
  n = c.bin(B::And, n, c.bv(w - 1, w));
  switch (op) {
  case Opcode::Shl: case Opcode::Shl64: return c.bin(B::Shl, a, n);
  case Opcode::ShrU: case Opcode::ShrU64: return c.bin(B::LShr, a, n);
  case Opcode::ShrS: case Opcode::ShrS64: return c.bin(B::AShr, a, n);
  case Opcode::Rotl: case Opcode::Rotl64: return rotl(c, a, n);
  default: return rotr(c, a, n);
  }
}

Term arith(smt::Context &c, Opcode op, Term a, Term b) {
  B bop = *binOf(op);
  if (bop == B::SDiv || bop == B::UDiv || bop == B::SRem || bop == B::URem)
    return divTotal(c, bop, a, b);
  return c.bin(bop, a, b);
}

}  // namespace

Term condTerm(smt::Context &c, Cond cc, Term a, Term b) {
  switch (cc) {
  case Cond::Eq: return c.cmp(P::Eq, a, b);
  case Cond::Ne: return c.cmp(P::Ne, a, b);
  case Cond::SLt: return c.cmp(P::SLt, a, b);
  case Cond::ULt: return c.cmp(P::ULt, a, b);
  case Cond::SGt: return c.cmp(P::SGt, a, b);
  case Cond::UGt: return c.cmp(P::UGt, a, b);
  case Cond::SLe: return c.cmp(P::SLe, a, b);
  case Cond::ULe: return c.cmp(P::ULe, a, b);
  case Cond::SGe: return c.cmp(P::SGe, a, b);
  case Cond::UGe: return c.cmp(P::UGe, a, b);
  case Cond::None: break;
  }
  return c.boolean(false);
}

std::optional<Words> evalPure(smt::Context &c, const Instr &in, const std::vector<Term> &u) {
  auto need = [&](size_t n) { return u.size() >= n; };
  auto bit = [&](Term b) { return c.ite(b, c.bv(1, 32), c.bv(0, 32)); };
  switch (in.op) {
  case Opcode::Mov:
    if (!need(1)) return std::nullopt;
    return Words{u[0]};
  case Opcode::FConst32:  // the bits of the constant (a pure float opcode, rematerialisable)
    if (!need(1)) return std::nullopt;
    return Words{u[0]};
  case Opcode::FConst64:  // (lo, hi) -> hi:lo
    if (!need(2)) return std::nullopt;
    return Words{c.concat(u[1], u[0])};
  case Opcode::MovI: return Words{c.bv(in.imm, 32)};
  case Opcode::Add: case Opcode::Sub: case Opcode::Mul: case Opcode::And: case Opcode::Orr:
  case Opcode::Eor: case Opcode::SDiv: case Opcode::UDiv: case Opcode::SRem: case Opcode::URem:
    if (!need(2)) return std::nullopt;
    return Words{arith(c, in.op, u[0], u[1])};
  case Opcode::Shl: case Opcode::ShrU: case Opcode::ShrS: case Opcode::Rotl: case Opcode::Rotr:
    if (!need(2)) return std::nullopt;
    return Words{shiftOp(c, in.op, u[0], u[1])};
  case Opcode::Clz: case Opcode::Ctz:
    if (!need(1)) return std::nullopt;
    return Words{countZeros(c, u[0], in.op == Opcode::Clz)};
  case Opcode::Popcnt:
    if (!need(1)) return std::nullopt;
    return Words{popcount(c, u[0])};
  case Opcode::Sext8:
    if (!need(1)) return std::nullopt;
    return Words{c.sext(c.extract(u[0], 7, 0), 24)};
  case Opcode::Sext16:
    if (!need(1)) return std::nullopt;
    return Words{c.sext(c.extract(u[0], 15, 0), 16)};
  case Opcode::Set:
    if (!need(2)) return std::nullopt;
    return Words{bit(condTerm(c, in.cc, u[0], u[1]))};
  case Opcode::Sel:
    if (!need(3)) return std::nullopt;
    return Words{c.ite(c.lnot(isZero(c, u[0])), u[1], u[2])};
  case Opcode::UMull: case Opcode::SMull: {
    if (!need(2)) return std::nullopt;
    const bool s = in.op == Opcode::SMull;
    Term a = s ? c.sext(u[0], 32) : c.zext(u[0], 32);
    Term b = s ? c.sext(u[1], 32) : c.zext(u[1], 32);
    return split(c, c.bin(B::Mul, a, b));
  }
  case Opcode::Add64: case Opcode::Sub64: case Opcode::Mul64: case Opcode::SDiv64:
  case Opcode::UDiv64: case Opcode::SRem64: case Opcode::URem64:
    if (!need(4)) return std::nullopt;
    return split(c, arith(c, in.op, c.concat(u[1], u[0]), c.concat(u[3], u[2])));
  case Opcode::Shl64: case Opcode::ShrU64: case Opcode::ShrS64: case Opcode::Rotl64:
  case Opcode::Rotr64:
    if (!need(3)) return std::nullopt;
    return split(c, shiftOp(c, in.op, c.concat(u[1], u[0]), c.zext(u[2], 32)));
  case Opcode::Set64:
    if (!need(4)) return std::nullopt;
    return Words{bit(condTerm(c, in.cc, c.concat(u[1], u[0]), c.concat(u[3], u[2])))};
  default: return std::nullopt;
  }
}

Term loadBytes(smt::Context &c, Term mem, Term addr, unsigned bytes) {
  Term v = c.select(mem, addr);
  for (unsigned k = 1; k < bytes; ++k)
    v = c.concat(c.select(mem, c.bin(B::Add, addr, c.bv(k, 32))), v);
  return v;
}

Term storeBytes(smt::Context &c, Term mem, Term addr, Term value, unsigned bytes) {
  for (unsigned k = 0; k < bytes; ++k)
    mem = c.store(mem, c.bin(B::Add, addr, c.bv(k, 32)), c.extract(value, 8 * k + 7, 8 * k));
  return mem;
}

}  // namespace vcr::verifier

namespace vcr::verifier {

smt::Term effectiveAddress(smt::Context &c, smt::Term addr, uint32_t offset) {
  return c.bin(B::Add, c.zext(addr, 32), c.bv(offset, 64));
}

smt::Term outOfBounds(smt::Context &c, smt::Term ea, unsigned bytes, uint64_t memBytes) {
  return c.cmp(P::UGt, c.bin(B::Add, ea, c.bv(bytes, 64)), c.bv(memBytes, 64));
}

smt::Term outOfBounds(smt::Context &c, smt::Term ea, unsigned bytes, smt::Term sizeBytes) {
  return c.cmp(P::UGt, c.bin(B::Add, ea, c.bv(bytes, 64)), c.zext(sizeBytes, 32));
}

std::pair<smt::Term, smt::Term> growMemory(smt::Context &c, smt::Term sizeBytes, smt::Term delta,
                                           uint32_t maxPages) {
  const Term old = c.bin(B::LShr, sizeBytes, c.bv(16, 32));
  const Term sum = c.bin(B::Add, c.zext(old, 32), c.zext(delta, 32));  // 64 bits: no wrap
  const Term ok = c.cmp(P::ULe, sum, c.bv(maxPages, 64));
  return {c.ite(ok, old, c.bv(0xffffffffu, 32)),
          c.ite(ok, c.bin(B::Shl, c.extract(sum, 31, 0), c.bv(16, 32)), sizeBytes)};
}

smt::Term loadValue(smt::Context &c, smt::Term mem, smt::Term ea, Width w) {
  Term v = loadBytes(c, mem, c.extract(ea, 31, 0), widthBytes(w));
  const unsigned bits = c.width(v);
  if (bits == 32) return v;
  return (w == Width::S8 || w == Width::S16) ? c.sext(v, 32 - bits) : c.zext(v, 32 - bits);
}

bool isPureOp(Opcode op) {
  switch (op) {
  case Opcode::Mov: case Opcode::MovI: case Opcode::Add: case Opcode::Sub: case Opcode::Mul:
  case Opcode::And: case Opcode::Orr: case Opcode::Eor: case Opcode::Shl: case Opcode::ShrU:
  case Opcode::ShrS: case Opcode::Rotl: case Opcode::Rotr: case Opcode::SDiv: case Opcode::UDiv:
  case Opcode::SRem: case Opcode::URem: case Opcode::Clz: case Opcode::Ctz: case Opcode::Popcnt:
  case Opcode::Sext8: case Opcode::Sext16: case Opcode::Set: case Opcode::Sel: case Opcode::UMull:
  case Opcode::SMull: case Opcode::Add64: case Opcode::Sub64: case Opcode::Mul64:
  case Opcode::SDiv64: case Opcode::UDiv64: case Opcode::SRem64: case Opcode::URem64:
  case Opcode::Shl64: case Opcode::ShrU64: case Opcode::ShrS64: case Opcode::Rotl64:
  case Opcode::Rotr64: case Opcode::Set64: return true;
  case Opcode::FConst32: case Opcode::FConst64: return true;  // a float constant: its bits
  default: return false;
  }
}

bool isTerminatorOp(Opcode op) {
  switch (op) {
  case Opcode::Br: case Opcode::BrIf: case Opcode::BrTable: case Opcode::Ret: case Opcode::Trap:
    return true;
  default: return false;
  }
}

}  // namespace vcr::verifier
