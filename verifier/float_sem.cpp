// The checker's float semantics: exact data movement, uninterpreted computation.
#include "verifier/float_sem.h"

namespace vcr::verifier {

using namespace mir;
using smt::Term;

namespace {

/// Bits of the single result of an uninterpreted float opcode: 32 for an
/// f32 or a core word, 64 for an f64 or a (lo, hi) core pair; 0 if `op` is
/// not an uninterpreted pure float opcode.
unsigned resultBits(Opcode op) {
  switch (op) {
  case Opcode::FAdd32: case Opcode::FSub32: case Opcode::FMul32: case Opcode::FDiv32:
  case Opcode::FMin32: case Opcode::FMax32: case Opcode::FCopySign32: case Opcode::FSqrt32:
  case Opcode::FAbs32: case Opcode::FNeg32: case Opcode::FCeil32: case Opcode::FFloor32:
  case Opcode::FTrunc32: case Opcode::FNearest32: case Opcode::FDemote: case Opcode::FCvtF32S32:
  case Opcode::FCvtF32U32: case Opcode::FCvtF32S64: case Opcode::FCvtF32U64: case Opcode::FSet32:
  case Opcode::FSet64: case Opcode::FTruncSatS32F32: case Opcode::FTruncSatU32F32:
  case Opcode::FTruncSatS32F64: case Opcode::FTruncSatU32F64: case Opcode::FTruncS32F32:
  case Opcode::FTruncU32F32: case Opcode::FTruncS32F64: case Opcode::FTruncU32F64:
    return 32;
  case Opcode::FAdd64: case Opcode::FSub64: case Opcode::FMul64: case Opcode::FDiv64:
  case Opcode::FMin64: case Opcode::FMax64: case Opcode::FCopySign64: case Opcode::FSqrt64:
  case Opcode::FAbs64: case Opcode::FNeg64: case Opcode::FCeil64: case Opcode::FFloor64:
  case Opcode::FTrunc64: case Opcode::FNearest64: case Opcode::FPromote: case Opcode::FCvtF64S32:
  case Opcode::FCvtF64U32: case Opcode::FCvtF64S64: case Opcode::FCvtF64U64:
  case Opcode::FTruncSatS64F32: case Opcode::FTruncSatU64F32: case Opcode::FTruncSatS64F64:
  case Opcode::FTruncSatU64F64: case Opcode::FTruncS64F32: case Opcode::FTruncU64F32:
  case Opcode::FTruncS64F64: case Opcode::FTruncU64F64:
    return 64;
  default: return 0;
  }
}

/// Whether the opcode's 64-bit result is a (lo, hi) pair of core words.
bool pairResult(Opcode op) {
  switch (op) {
  case Opcode::FTruncSatS64F32: case Opcode::FTruncSatU64F32: case Opcode::FTruncSatS64F64:
  case Opcode::FTruncSatU64F64: case Opcode::FTruncS64F32: case Opcode::FTruncU64F32:
  case Opcode::FTruncS64F64: case Opcode::FTruncU64F64:
    return true;
  default: return false;
  }
}

/// The tag of an application: opcode, condition and role (0 result, 1 trap).
uint32_t tagOf(const Instr &in, unsigned role) {
  return (uint32_t(in.op) << 8) | (uint32_t(in.cc) << 1) | role;
}

Words resultWords(smt::Context &c, Opcode op, Term r) {
  if (pairResult(op)) return Words(c.extract(r, 31, 0), c.extract(r, 63, 32));
  return Words(r);
}

}  // namespace

bool isFloatMemOp(Opcode op) {
  return op == Opcode::FLoad32 || op == Opcode::FLoad64 || op == Opcode::FStore32 ||
         op == Opcode::FStore64;
}

bool isTrappingFloatOp(Opcode op) {
  switch (op) {
  case Opcode::FTruncS32F32: case Opcode::FTruncU32F32: case Opcode::FTruncS64F32:
  case Opcode::FTruncU64F32: case Opcode::FTruncS32F64: case Opcode::FTruncU32F64:
  case Opcode::FTruncS64F64: case Opcode::FTruncU64F64:
    return true;
  default: return false;
  }
}

bool isUninterpretedFloatOp(Opcode op) { return resultBits(op) != 0; }

bool isFloatOpcode(Opcode op) {
  switch (op) {
  case Opcode::FConst32: case Opcode::FConst64: case Opcode::FSel32: case Opcode::FSel64:
  case Opcode::FMovToInt32: case Opcode::FMovToInt64: case Opcode::FMovFromInt32:
  case Opcode::FMovFromInt64:
    return true;
  default: return resultBits(op) != 0 || isFloatMemOp(op);
  }
}

std::optional<Words> evalFloat(smt::Context &c, const Instr &in, const std::vector<Term> &u,
                               const ApplyFn &apply) {
  auto need = [&](size_t n) { return u.size() >= n; };
  switch (in.op) {
  case Opcode::FConst32: case Opcode::FMovToInt32: case Opcode::FMovFromInt32:
    if (!need(1)) return std::nullopt;
    return Words(u[0]);
  case Opcode::FConst64: case Opcode::FMovFromInt64:  // (lo, hi) -> hi:lo
    if (!need(2)) return std::nullopt;
    return Words(c.concat(u[1], u[0]));
  case Opcode::FMovToInt64:
    if (!need(1)) return std::nullopt;
    return Words(c.extract(u[0], 31, 0), c.extract(u[0], 63, 32));
  case Opcode::FSel32: case Opcode::FSel64:  // a select is data movement: exact
    if (!need(3)) return std::nullopt;
    return Words(c.ite(c.cmp(smt::Context::Pred::Ne, u[0], c.bv(0, 32)), u[1], u[2]));
  default: break;
  }
  const unsigned bits = resultBits(in.op);
  if (bits == 0 || isTrappingFloatOp(in.op)) return std::nullopt;
  return resultWords(c, in.op, apply(tagOf(in, 0), bits, u));
}

Words truncWithTrap(smt::Context &c, const Instr &in, const std::vector<Term> &u,
                    const ApplyFn &apply, Term &trap) {
  trap = apply(tagOf(in, 1), 1, u);
  return resultWords(c, in.op, apply(tagOf(in, 0), resultBits(in.op), u));
}

}  // namespace vcr::verifier
