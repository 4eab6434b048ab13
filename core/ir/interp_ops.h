#pragma once
/// Private to the reference interpreter: the value semantics of the MIR ALU
/// opcodes as pure functions on 32-bit words and 64-bit pairs (docs/mir.md,
/// "Semantics"). Division is ARM-total, shift amounts are taken modulo the
/// width.

#include "core/ir/mir.h"

#include <bit>
#include <cstdint>
#include <limits>

namespace vcr::mir::interp_ops {

/// Join a (lo, hi) pair of words into one 64-bit value.
inline uint64_t join(uint32_t lo, uint32_t hi) { return uint64_t(lo) | (uint64_t(hi) << 32); }
/// Low word of a 64-bit value.
inline uint32_t lo32(uint64_t v) { return static_cast<uint32_t>(v); }
/// High word of a 64-bit value.
inline uint32_t hi32(uint64_t v) { return static_cast<uint32_t>(v >> 32); }

/// Signed division with ARM's total results (x/0 = 0, MIN/-1 = MIN), for
/// int32_t or int64_t.
template <typename S>
inline S sdivTotal(S a, S b) {
  if (b == 0) return 0;
  if (a == std::numeric_limits<S>::min() && b == -1) return a;
  return a / b;
}
/// Signed remainder, total (x%0 = x, MIN%-1 = 0).
template <typename S>
inline S sremTotal(S a, S b) {
  if (b == 0) return a;
  if (b == -1) return 0;
  return a % b;
}
/// Unsigned division, total (x/0 = 0).
template <typename U>
inline U udivTotal(U a, U b) { return b == 0 ? U(0) : a / b; }
/// Unsigned remainder, total (x%0 = x).
template <typename U>
inline U uremTotal(U a, U b) { return b == 0 ? a : a % b; }

/// Result of a two-operand 32-bit opcode (Add..URem, Set is separate).
/// `ok` is false for an opcode that is not a 32-bit binary operation.
inline uint32_t binary32(Opcode op, uint32_t a, uint32_t b, bool &ok) {
  ok = true;
  const auto sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
  switch (op) {
  case Opcode::Add: return a + b;
  case Opcode::Sub: return a - b;
  case Opcode::Mul: return a * b;
  case Opcode::And: return a & b;
  case Opcode::Orr: return a | b;
  case Opcode::Eor: return a ^ b;
  case Opcode::Shl: return a << (b & 31);
  case Opcode::ShrU: return a >> (b & 31);
  case Opcode::ShrS: return static_cast<uint32_t>(sa >> (b & 31));
  case Opcode::Rotl: return std::rotl(a, static_cast<int>(b & 31));
  case Opcode::Rotr: return std::rotr(a, static_cast<int>(b & 31));
  case Opcode::SDiv: return static_cast<uint32_t>(sdivTotal<int32_t>(sa, sb));
  case Opcode::UDiv: return udivTotal<uint32_t>(a, b);
  case Opcode::SRem: return static_cast<uint32_t>(sremTotal<int32_t>(sa, sb));
  case Opcode::URem: return uremTotal<uint32_t>(a, b);
  default: ok = false; return 0;
  }
}

/// Result of a one-operand 32-bit opcode (Clz..Sext16).
inline uint32_t unary32(Opcode op, uint32_t a, bool &ok) {
  ok = true;
  switch (op) {
  case Opcode::Clz: return static_cast<uint32_t>(std::countl_zero(a));
  case Opcode::Ctz: return static_cast<uint32_t>(std::countr_zero(a));
  case Opcode::Popcnt: return static_cast<uint32_t>(std::popcount(a));
  case Opcode::Sext8: return static_cast<uint32_t>(int32_t(int8_t(uint8_t(a))));
  case Opcode::Sext16: return static_cast<uint32_t>(int32_t(int16_t(uint16_t(a))));
  default: ok = false; return 0;
  }
}

/// Result of a 64-bit pair operation with a 64-bit second operand
/// (Add64..URem64).
inline uint64_t binary64(Opcode op, uint64_t a, uint64_t b, bool &ok) {
  ok = true;
  const auto sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b);
  switch (op) {
  case Opcode::Add64: return a + b;
  case Opcode::Sub64: return a - b;
  case Opcode::Mul64: return a * b;
  case Opcode::SDiv64: return static_cast<uint64_t>(sdivTotal<int64_t>(sa, sb));
  case Opcode::UDiv64: return udivTotal<uint64_t>(a, b);
  case Opcode::SRem64: return static_cast<uint64_t>(sremTotal<int64_t>(sa, sb));
  case Opcode::URem64: return uremTotal<uint64_t>(a, b);
  default: ok = false; return 0;
  }
}

/// Result of a 64-bit shift or rotate by `amount` (taken mod 64).
inline uint64_t shift64(Opcode op, uint64_t a, uint32_t amount, bool &ok) {
  ok = true;
  const unsigned n = amount & 63;
  switch (op) {
  case Opcode::Shl64: return a << n;
  case Opcode::ShrU64: return a >> n;
  case Opcode::ShrS64: return static_cast<uint64_t>(static_cast<int64_t>(a) >> n);
  case Opcode::Rotl64: return std::rotl(a, static_cast<int>(n));
  case Opcode::Rotr64: return std::rotr(a, static_cast<int>(n));
  default: ok = false; return 0;
  }
}

/// 32x32->64 multiply: unsigned (UMull) or signed (SMull).
inline uint64_t mull(bool isSigned, uint32_t a, uint32_t b) {
  if (isSigned)
    return static_cast<uint64_t>(int64_t(int32_t(a)) * int64_t(int32_t(b)));
  return uint64_t(a) * uint64_t(b);
}

}  // namespace vcr::mir::interp_ops
