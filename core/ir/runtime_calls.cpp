// Runtime routines (soft-float AEABI and our own wasm-semantics ones): table and reference semantics.
#include "core/ir/runtime_calls.h"

#include <bit>
#include <cmath>
#include <limits>
#include <vector>

namespace vcr::mir {

namespace {

constexpr ValType I = ValType::I32, L = ValType::I64;

/// Routines in table order; evalRuntimeFn switches on the same order.
enum class K : uint32_t {
  FAdd, FSub, FMul, FDiv, DAdd, DSub, DMul, DDiv,
  FCmpEq, FCmpLt, FCmpLe, FCmpGt, FCmpGe, DCmpEq, DCmpLt, DCmpLe, DCmpGt, DCmpGe,
  I2F, UI2F, L2F, UL2F, I2D, UI2D, L2D, UL2D, F2D, D2F,
  FSqrt, DSqrt, FMin, FMax, DMin, DMax,
  FCeil, FFloor, FTrunc, FNearest, DCeil, DFloor, DTrunc, DNearest, VDAdd, VDSub,
  F2IS, F2IU, F2LS, F2LU, D2IS, D2IU, D2LS, D2LU,
  F2ISSat, F2IUSat, F2LSSat, F2LUSat, D2ISSat, D2IUSat, D2LSSat, D2LUSat,
  MemCopy, MemFill, MemInit, DataDrop,
  Count
};

const std::vector<RuntimeFn> &table() {
  static const std::vector<RuntimeFn> t = [] {
    std::vector<RuntimeFn> v;
    auto add = [&](std::string_view n, std::vector<ValType> p, std::vector<ValType> r, bool ours) {
      v.push_back(RuntimeFn{n, Signature{std::move(p), std::move(r)}, ours});
    };
    for (auto n : {"__aeabi_fadd", "__aeabi_fsub", "__aeabi_fmul", "__aeabi_fdiv"}) add(n, {I, I}, {I}, false);
    for (auto n : {"__aeabi_dadd", "__aeabi_dsub", "__aeabi_dmul", "__aeabi_ddiv"}) add(n, {L, L}, {L}, false);
    for (auto n : {"__aeabi_fcmpeq", "__aeabi_fcmplt", "__aeabi_fcmple", "__aeabi_fcmpgt", "__aeabi_fcmpge"})
      add(n, {I, I}, {I}, false);
    for (auto n : {"__aeabi_dcmpeq", "__aeabi_dcmplt", "__aeabi_dcmple", "__aeabi_dcmpgt", "__aeabi_dcmpge"})
      add(n, {L, L}, {I}, false);
    add("__aeabi_i2f", {I}, {I}, false);
    add("__aeabi_ui2f", {I}, {I}, false);
    add("__aeabi_l2f", {L}, {I}, false);
    add("__aeabi_ul2f", {L}, {I}, false);
    add("__aeabi_i2d", {I}, {L}, false);
    add("__aeabi_ui2d", {I}, {L}, false);
    add("__aeabi_l2d", {L}, {L}, false);
    add("__aeabi_ul2d", {L}, {L}, false);
    add("__aeabi_f2d", {I}, {L}, false);
    add("__aeabi_d2f", {L}, {I}, false);
    add("__vcr_fp_fsqrt", {I}, {I}, true);
    add("__vcr_fp_dsqrt", {L}, {L}, true);
    add("__vcr_fp_fmin", {I, I}, {I}, true);
    add("__vcr_fp_fmax", {I, I}, {I}, true);
    add("__vcr_fp_dmin", {L, L}, {L}, true);
    add("__vcr_fp_dmax", {L, L}, {L}, true);
    for (auto n : {"__vcr_fp_fceil", "__vcr_fp_ffloor", "__vcr_fp_ftrunc", "__vcr_fp_fnearest"}) add(n, {I}, {I}, true);
    for (auto n : {"__vcr_fp_dceil", "__vcr_fp_dfloor", "__vcr_fp_dtrunc", "__vcr_fp_dnearest"}) add(n, {L}, {L}, true);
    // f64 add/sub of our own: libgcc's __aeabi_dadd misrounds some inputs (float_runtime.c)
    add("__vcr_fp_dadd", {L, L}, {L}, true);
    add("__vcr_fp_dsub", {L, L}, {L}, true);
    // trunc (trapping) then trunc_sat, each: f32->i32 s/u, f32->i64 s/u, f64->i32 s/u, f64->i64 s/u
    static const char *kTrunc[] = {
        "__vcr_fp_f2i_s", "__vcr_fp_f2i_u", "__vcr_fp_f2l_s", "__vcr_fp_f2l_u",
        "__vcr_fp_d2i_s", "__vcr_fp_d2i_u", "__vcr_fp_d2l_s", "__vcr_fp_d2l_u",
        "__vcr_fp_f2i_sat_s", "__vcr_fp_f2i_sat_u", "__vcr_fp_f2l_sat_s", "__vcr_fp_f2l_sat_u",
        "__vcr_fp_d2i_sat_s", "__vcr_fp_d2i_sat_u", "__vcr_fp_d2l_sat_s", "__vcr_fp_d2l_sat_u"};
    for (unsigned k = 0; k < 16; ++k) {
      const bool fromF64 = (k % 8) >= 4, toI64 = (k % 4) >= 2;
      add(kTrunc[k], {fromF64 ? L : I}, {toI64 ? L : I}, true);
    }
    // bulk memory: they touch linear memory, the interpreter runs them
    add("__vcr_memory_copy", {I, I, I}, {}, false);
    add("__vcr_memory_fill", {I, I, I}, {}, false);
    add("__vcr_memory_init", {I, I, I, I}, {}, false);  // (dst, src, n, segment)
    add("__vcr_data_drop", {I}, {}, false);             // (segment)
    for (size_t k = v.size() - 4; k < v.size(); ++k) v[k].memory = true;
    return v;
  }();
  return t;
}

float f32(uint64_t x) { return std::bit_cast<float>(static_cast<uint32_t>(x)); }
double f64(uint64_t x) { return std::bit_cast<double>(x); }
// A NaN result is the canonical NaN (positive, quiet, no payload), as the
// wabt interpreter gives: wasm allows it for every operation, and the host's
// default NaN (x86: negative) or a propagated payload would let the two
// interpreters store different bits, which code that reads memory back as
// integers (aliasing buffers) then turns into different numbers.
uint64_t bits(float f) { return f != f ? 0x7fc00000u : std::bit_cast<uint32_t>(f); }
uint64_t bits(double d) { return d != d ? 0x7ff8000000000000ull : std::bit_cast<uint64_t>(d); }

/// wasm min/max: NaN if either operand is NaN; -0 < +0.
template <typename T> T wasmMin(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <typename T> T wasmMax(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

/// Round half to even, without depending on the host's rounding mode.
template <typename T> T wasmNearest(T x) {
  if (std::isnan(x) || std::isinf(x)) return x + x;  // NaN stays NaN (quieted)
  T r = std::round(x);                            // ties away from zero
  if (std::fabs(r - x) == T(0.5) && std::fmod(r, T(2)) != 0) r -= std::copysign(T(1), x);
  return r == 0 ? std::copysign(T(0), x) : r;
}

/// Truncation to an integer in [lo, hi] (exclusive bounds given as the
/// smallest rejected magnitudes: x must satisfy lo < x < hi).
RuntimeOutcome truncTo(double x, double lo, double hi, bool sat, bool isSigned, bool wide) {
  RuntimeOutcome o;
  auto trap = [&](TrapReason r) {
    o.trapped = true;
    o.trap = r;
    return o;
  };
  const uint64_t minV = !isSigned ? 0 : wide ? uint64_t{1} << 63 : 0xffffffff80000000u;
  const uint64_t maxV = !isSigned ? (wide ? ~uint64_t{0} : 0xffffffffu)
                                  : (wide ? (uint64_t{1} << 63) - 1 : 0x7fffffffu);
  if (std::isnan(x)) {
    if (!sat) return trap(TrapReason::BadConversion);
    return o;
  }
  if (!(x > lo)) {
    if (!sat) return trap(TrapReason::Overflow);
    o.result = wide ? minV : minV & 0xffffffffu;
    return o;
  }
  if (!(x < hi)) {
    if (!sat) return trap(TrapReason::Overflow);
    o.result = maxV;
    return o;
  }
  const double t = std::trunc(x);
  if (isSigned) o.result = static_cast<uint64_t>(static_cast<int64_t>(t));
  else o.result = static_cast<uint64_t>(t);
  if (!wide) o.result &= 0xffffffffu;
  return o;
}

RuntimeOutcome value(uint64_t v) {
  RuntimeOutcome o;
  o.result = v;
  return o;
}

}  // namespace

std::span<const RuntimeFn> runtimeFns() { return table(); }
uint32_t memoryCopyFn() { return static_cast<uint32_t>(K::MemCopy); }
uint32_t memoryFillFn() { return static_cast<uint32_t>(K::MemFill); }
uint32_t memoryInitFn() { return static_cast<uint32_t>(K::MemInit); }
uint32_t dataDropFn() { return static_cast<uint32_t>(K::DataDrop); }

std::optional<uint32_t> findRuntimeFn(std::string_view name) {
  if (!name.starts_with("__")) return std::nullopt;
  const auto &t = table();
  for (uint32_t i = 0; i < t.size(); ++i)
    if (t[i].name == name) return i;
  return std::nullopt;
}

std::optional<uint32_t> runtimeEquivalent(Opcode op, Cond cc) {
  auto k = [](K x) { return std::optional(static_cast<uint32_t>(x)); };
  const bool f32 = op == Opcode::FSet32;
  switch (op) {
  case Opcode::FAdd32: return k(K::FAdd);
  case Opcode::FSub32: return k(K::FSub);
  case Opcode::FMul32: return k(K::FMul);
  case Opcode::FDiv32: return k(K::FDiv);
  case Opcode::FMin32: return k(K::FMin);
  case Opcode::FMax32: return k(K::FMax);
  case Opcode::FAdd64: return k(K::VDAdd);
  case Opcode::FSub64: return k(K::VDSub);
  case Opcode::FMul64: return k(K::DMul);
  case Opcode::FDiv64: return k(K::DDiv);
  case Opcode::FMin64: return k(K::DMin);
  case Opcode::FMax64: return k(K::DMax);
  case Opcode::FSqrt32: return k(K::FSqrt);
  case Opcode::FCeil32: return k(K::FCeil);
  case Opcode::FFloor32: return k(K::FFloor);
  case Opcode::FTrunc32: return k(K::FTrunc);
  case Opcode::FNearest32: return k(K::FNearest);
  case Opcode::FSqrt64: return k(K::DSqrt);
  case Opcode::FCeil64: return k(K::DCeil);
  case Opcode::FFloor64: return k(K::DFloor);
  case Opcode::FTrunc64: return k(K::DTrunc);
  case Opcode::FNearest64: return k(K::DNearest);
  case Opcode::FSet32:
  case Opcode::FSet64:
    switch (cc) {
    case Cond::Eq: case Cond::Ne: return k(f32 ? K::FCmpEq : K::DCmpEq);
    case Cond::SLt: return k(f32 ? K::FCmpLt : K::DCmpLt);
    case Cond::SGt: return k(f32 ? K::FCmpGt : K::DCmpGt);
    case Cond::SLe: return k(f32 ? K::FCmpLe : K::DCmpLe);
    case Cond::SGe: return k(f32 ? K::FCmpGe : K::DCmpGe);
    default: return std::nullopt;
    }
  case Opcode::FPromote: return k(K::F2D);
  case Opcode::FDemote: return k(K::D2F);
  case Opcode::FCvtF32S32: return k(K::I2F);
  case Opcode::FCvtF32U32: return k(K::UI2F);
  case Opcode::FCvtF32S64: return k(K::L2F);
  case Opcode::FCvtF32U64: return k(K::UL2F);
  case Opcode::FCvtF64S32: return k(K::I2D);
  case Opcode::FCvtF64U32: return k(K::UI2D);
  case Opcode::FCvtF64S64: return k(K::L2D);
  case Opcode::FCvtF64U64: return k(K::UL2D);
  default: break;
  }
  // the 16 truncations are in the same order in the opcode table and here
  const auto first = static_cast<unsigned>(Opcode::FTruncS32F32);
  const auto o = static_cast<unsigned>(op);
  if (o >= first && o < first + 16) return static_cast<uint32_t>(K::F2IS) + (o - first);
  return std::nullopt;
}

RuntimeOutcome evalRuntimeFn(uint32_t index, std::span<const uint64_t> args) {
  const uint64_t a = args.empty() ? 0 : args[0], b = args.size() > 1 ? args[1] : 0;
  // bounds for truncation: x must lie strictly inside (lo, hi)
  constexpr double kI32Lo = -2147483649.0, kI32Hi = 2147483648.0, kU32Hi = 4294967296.0;
  constexpr double kI64Lo = -9223372036854777856.0, kI64Hi = 9223372036854775808.0;
  constexpr double kU64Hi = 18446744073709551616.0;
  switch (static_cast<K>(index)) {
  case K::FAdd: return value(bits(f32(a) + f32(b)));
  case K::FSub: return value(bits(f32(a) - f32(b)));
  case K::FMul: return value(bits(f32(a) * f32(b)));
  case K::FDiv: return value(bits(f32(a) / f32(b)));
  case K::DAdd: return value(bits(f64(a) + f64(b)));
  case K::DSub: return value(bits(f64(a) - f64(b)));
  case K::DMul: return value(bits(f64(a) * f64(b)));
  case K::DDiv: return value(bits(f64(a) / f64(b)));
  case K::FCmpEq: return value(f32(a) == f32(b));
  case K::FCmpLt: return value(f32(a) < f32(b));
  case K::FCmpLe: return value(f32(a) <= f32(b));
  case K::FCmpGt: return value(f32(a) > f32(b));
  case K::FCmpGe: return value(f32(a) >= f32(b));
  case K::DCmpEq: return value(f64(a) == f64(b));
  case K::DCmpLt: return value(f64(a) < f64(b));
  case K::DCmpLe: return value(f64(a) <= f64(b));
  case K::DCmpGt: return value(f64(a) > f64(b));
  case K::DCmpGe: return value(f64(a) >= f64(b));
  case K::I2F: return value(bits(static_cast<float>(static_cast<int32_t>(a))));
  case K::UI2F: return value(bits(static_cast<float>(static_cast<uint32_t>(a))));
  case K::L2F: return value(bits(static_cast<float>(static_cast<int64_t>(a))));
  case K::UL2F: return value(bits(static_cast<float>(a)));
  case K::I2D: return value(bits(static_cast<double>(static_cast<int32_t>(a))));
  case K::UI2D: return value(bits(static_cast<double>(static_cast<uint32_t>(a))));
  case K::L2D: return value(bits(static_cast<double>(static_cast<int64_t>(a))));
  case K::UL2D: return value(bits(static_cast<double>(a)));
  case K::F2D: return value(bits(static_cast<double>(f32(a))));
  case K::D2F: return value(bits(static_cast<float>(f64(a))));
  case K::FSqrt: return value(bits(std::sqrt(f32(a))));
  case K::DSqrt: return value(bits(std::sqrt(f64(a))));
  case K::FMin: return value(bits(wasmMin(f32(a), f32(b))));
  case K::FMax: return value(bits(wasmMax(f32(a), f32(b))));
  case K::DMin: return value(bits(wasmMin(f64(a), f64(b))));
  case K::DMax: return value(bits(wasmMax(f64(a), f64(b))));
  case K::FCeil: return value(bits(std::ceil(f32(a))));
  case K::FFloor: return value(bits(std::floor(f32(a))));
  case K::FTrunc: return value(bits(std::trunc(f32(a))));
  case K::FNearest: return value(bits(wasmNearest(f32(a))));
  case K::DCeil: return value(bits(std::ceil(f64(a))));
  case K::DFloor: return value(bits(std::floor(f64(a))));
  case K::DTrunc: return value(bits(std::trunc(f64(a))));
  case K::DNearest: return value(bits(wasmNearest(f64(a))));
  case K::VDAdd: return value(bits(f64(a) + f64(b)));
  case K::VDSub: return value(bits(f64(a) - f64(b)));
  case K::MemCopy: case K::MemFill: case K::MemInit: case K::DataDrop: return value(0);  // run by the interpreter (it owns memory)
  default: break;
  }
  if (index >= static_cast<uint32_t>(K::F2IS) && index < static_cast<uint32_t>(K::Count)) {
    const uint32_t k = index - static_cast<uint32_t>(K::F2IS);
    const bool sat = k >= 8, fromF64 = (k % 8) >= 4, toI64 = (k % 4) >= 2, isSigned = (k % 2) == 0;
    const double x = fromF64 ? f64(a) : static_cast<double>(f32(a));
    const double lo = isSigned ? (toI64 ? kI64Lo : kI32Lo) : -1.0;
    const double hi = isSigned ? (toI64 ? kI64Hi : kI32Hi) : (toI64 ? kU64Hi : kU32Hi);
    return truncTo(x, lo, hi, sat, isSigned, toI64);
  }
  return value(0);
}

}  // namespace vcr::mir
