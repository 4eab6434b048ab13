/* wasm float semantics the AEABI routines do not give (min/max, ceil/floor/trunc/nearest,
   sqrt, trapping and saturating truncation), for Cortex-M4 without an FPU; integer code only. */
/* Compiled by clang-14 for thumbv7em (soft float) at build time and appended to the emitted
   assembly when a function calls one of them (arm/emit/CMakeLists.txt). Semantics: the
   reference is core/ir/runtime_calls.cpp; the names are the MIR callees. A trap executes
   UDF with arm/target/runtime.h's code: 0x12 integer overflow, 0x14 invalid conversion. */
#include <stdint.h>

#define F_QNAN 0x7fc00000u
#define D_QNAN 0x7ff8000000000000ull

static inline __attribute__((noreturn)) void trap_overflow(void) {
  __asm__ volatile("udf #0x12");
  __builtin_unreachable();
}
static inline __attribute__((noreturn)) void trap_badconv(void) {
  __asm__ volatile("udf #0x14");
  __builtin_unreachable();
}

static inline int f_isnan(uint32_t x) { return (x & 0x7fffffffu) > 0x7f800000u; }
static inline int d_isnan(uint64_t x) { return (x & 0x7fffffffffffffffull) > 0x7ff0000000000000ull; }
/* Unsigned keys in the order of the (non-NaN) floats. */
static inline uint32_t f_key(uint32_t x) { return (x & 0x80000000u) ? ~x : x | 0x80000000u; }
static inline uint64_t d_key(uint64_t x) {
  return (x & 0x8000000000000000ull) ? ~x : x | 0x8000000000000000ull;
}

/* ---- min / max: NaN if either is NaN; -0 < +0 */
uint32_t __vcr_fp_fmin(uint32_t a, uint32_t b) {
  if (f_isnan(a) || f_isnan(b)) return F_QNAN;
  return f_key(a) < f_key(b) ? a : b;
}
uint32_t __vcr_fp_fmax(uint32_t a, uint32_t b) {
  if (f_isnan(a) || f_isnan(b)) return F_QNAN;
  return f_key(a) > f_key(b) ? a : b;
}
uint64_t __vcr_fp_dmin(uint64_t a, uint64_t b) {
  if (d_isnan(a) || d_isnan(b)) return D_QNAN;
  return d_key(a) < d_key(b) ? a : b;
}
uint64_t __vcr_fp_dmax(uint64_t a, uint64_t b) {
  if (d_isnan(a) || d_isnan(b)) return D_QNAN;
  return d_key(a) > d_key(b) ? a : b;
}

/* ---- rounding to an integral value. mode: 0 trunc, 1 floor, 2 ceil, 3 nearest (ties even).
   Generic over the format: W bits, M mantissa bits, B exponent bias. */
#define ROUND_BODY(T, M, B, ONE)                                                         \
  const T sign = x & ((T)1 << (sizeof(T) * 8 - 1));                                     \
  const T mag = x & ~sign;                                                               \
  const int e = (int)(mag >> M);                                                         \
  if (e >= B + M) return (e == 2 * B + 1 && (mag << (sizeof(T) * 8 - M))) ? x | ((T)1 << (M - 1)) : x; \
  if (e < B) { /* |x| < 1 */                                                             \
    if (mag == 0) return x;                                                              \
    switch (mode) {                                                                      \
    case 1: return sign ? sign | ONE : 0;                                                \
    case 2: return sign ? sign : ONE;                                                    \
    case 3: return (e == B - 1 && mag != ((T)(B - 1) << M)) ? sign | ONE : sign;         \
    default: return sign;                                                                \
    }                                                                                    \
  }                                                                                      \
  const int fb = B + M - e; /* fraction bits, 1..M */                                    \
  const T unit = (T)1 << fb, mask = unit - 1, frac = x & mask;                           \
  T r = x & ~mask;                                                                       \
  if (frac == 0) return x;                                                               \
  int up = 0;                                                                            \
  switch (mode) {                                                                        \
  case 1: up = sign != 0; break;                                                         \
  case 2: up = sign == 0; break;                                                         \
  case 3: {                                                                              \
    const T half = unit >> 1;                                                            \
    up = frac > half || (frac == half && (r & unit));                                    \
    break;                                                                               \
  }                                                                                      \
  default: break;                                                                        \
  }                                                                                      \
  return up ? r + unit : r;

static uint32_t f_round(uint32_t x, int mode) { ROUND_BODY(uint32_t, 23, 127, 0x3f800000u) }
static uint64_t d_round(uint64_t x, int mode) { ROUND_BODY(uint64_t, 52, 1023, 0x3ff0000000000000ull) }

uint32_t __vcr_fp_ftrunc(uint32_t x) { return f_round(x, 0); }
uint32_t __vcr_fp_ffloor(uint32_t x) { return f_round(x, 1); }
uint32_t __vcr_fp_fceil(uint32_t x) { return f_round(x, 2); }
uint32_t __vcr_fp_fnearest(uint32_t x) { return f_round(x, 3); }
uint64_t __vcr_fp_dtrunc(uint64_t x) { return d_round(x, 0); }
uint64_t __vcr_fp_dfloor(uint64_t x) { return d_round(x, 1); }
uint64_t __vcr_fp_dceil(uint64_t x) { return d_round(x, 2); }
uint64_t __vcr_fp_dnearest(uint64_t x) { return d_round(x, 3); }

/* ---- square root, correctly rounded (ties cannot occur). Digit by digit over the
   radicand m * 2^s, two bits per step; the remainder stays below 2^58. */
static uint64_t isqrt_shifted(uint64_t m, int s, int pairs, int *inexact) {
  uint64_t res = 0, rem = 0;
  for (int j = pairs - 1; j >= 0; --j) {
    const int p = 2 * j; /* low bit of this pair in the radicand */
    uint64_t two = 0;
    if (p >= s) two = (m >> (p - s)) & 3;
    else if (p + 1 >= s) two = (m << 1) & 2;
    rem = (rem << 2) | two;
    const uint64_t trial = (res << 2) | 1;
    if (rem >= trial) {
      rem -= trial;
      res = (res << 1) | 1;
    } else {
      res <<= 1;
    }
  }
  *inexact = rem != 0;
  return res;
}

/* sqrt of the positive finite non-zero m * 2^k (m normalised to P bits), rounded to P bits;
   returns the significand (implicit bit included) and sets *exp so value = r * 2^exp. */
static uint64_t sqrt_core(uint64_t m, int k, int P, int *exp) {
  if (k & 1) {
    m <<= 1;
    k -= 1;
  }
  const int s = 2 * P + 4 - P; /* radicand m * 2^s has about 2P+4 bits */
  const int S = (s & 1) ? s + 1 : s;
  int inexact = 0;
  uint64_t q = isqrt_shifted(m, S, (P + 1 + S + 1) / 2 + 1, &inexact);
  int shift = 0;
  while ((q >> (P + 1)) != 0) { /* keep P + 1 bits: P result bits and a guard */
    inexact |= (int)(q & 1);
    q >>= 1;
    ++shift;
  }
  uint64_t r = q >> 1;
  const int guard = (int)(q & 1);
  if (guard && (inexact || (r & 1))) ++r;
  ++shift;
  if (r >> P) {
    r >>= 1;
    ++shift;
  }
  *exp = shift + (k - S) / 2;
  return r;
}

uint32_t __vcr_fp_fsqrt(uint32_t x) {
  if (f_isnan(x)) return x | 0x00400000u;
  if ((x & 0x7fffffffu) == 0) return x;
  if (x & 0x80000000u) return F_QNAN;
  if (x == 0x7f800000u) return x;
  int e = (int)(x >> 23);
  uint64_t m = x & 0x7fffffu;
  if (e == 0) {
    e = 1;
    while (!(m & 0x800000u)) {
      m <<= 1;
      --e;
    }
  } else {
    m |= 0x800000u;
  }
  int exp = 0;
  const uint64_t r = sqrt_core(m, e - 150, 24, &exp);
  return (uint32_t)((uint64_t)(exp + 150) << 23) + (uint32_t)(r & 0x7fffffu);
}

uint64_t __vcr_fp_dsqrt(uint64_t x) {
  if (d_isnan(x)) return x | 0x0008000000000000ull;
  if ((x & 0x7fffffffffffffffull) == 0) return x;
  if (x >> 63) return D_QNAN;
  if (x == 0x7ff0000000000000ull) return x;
  int e = (int)(x >> 52);
  uint64_t m = x & 0xfffffffffffffull;
  if (e == 0) {
    e = 1;
    while (!(m & 0x10000000000000ull)) {
      m <<= 1;
      --e;
    }
  } else {
    m |= 0x10000000000000ull;
  }
  int exp = 0;
  const uint64_t r = sqrt_core(m, e - 1075, 53, &exp);
  return ((uint64_t)(exp + 1075) << 52) + (r & 0xfffffffffffffull);
}

/* ---- f64 addition, correctly rounded (libgcc 12.2's __aeabi_dadd is not: when the exponents
   differ by 33 or more it folds the smaller operand's low word into one sticky bit, and an
   effective subtraction from a power of two then renormalises with a wrong guard bit).
   Significands carry 3 extra bits (guard, round, sticky). */
uint64_t __vcr_fp_dadd(uint64_t a, uint64_t b) {
  const uint64_t magA = a & 0x7fffffffffffffffull, magB = b & 0x7fffffffffffffffull;
  if (d_isnan(a) || d_isnan(b)) return D_QNAN;
  if (magA == 0x7ff0000000000000ull || magB == 0x7ff0000000000000ull) {
    if (magA == magB && (a ^ b) >> 63) return D_QNAN; /* inf - inf */
    return magA == 0x7ff0000000000000ull ? a : b;
  }
  if (magA == 0 && magB == 0) return a & b; /* -0 only for -0 + -0 */
  if (magA < magB) { /* a: the larger magnitude, whose sign the result takes */
    const uint64_t t = a;
    a = b;
    b = t;
  }
  const uint64_t sign = a & 0x8000000000000000ull;
  int ea = (int)((a >> 52) & 0x7ff), eb = (int)((b >> 52) & 0x7ff);
  uint64_t ma = a & 0xfffffffffffffull, mb = b & 0xfffffffffffffull;
  if (ea) ma |= 0x10000000000000ull; else ea = 1;
  if (eb) mb |= 0x10000000000000ull; else eb = 1;
  ma <<= 3;
  mb <<= 3;
  const int d = ea - eb;
  if (d >= 63) {
    mb = mb != 0;
  } else if (d > 0) {
    const uint64_t lost = mb & (((uint64_t)1 << d) - 1);
    mb = (mb >> d) | (lost != 0);
  }
  uint64_t m;
  if ((a ^ b) >> 63) {
    m = ma - mb;
    if (m == 0) return 0; /* x - x = +0 */
    while (m < ((uint64_t)1 << 55) && ea > 1) {
      m <<= 1;
      --ea;
    }
  } else {
    m = ma + mb;
    if (m >= ((uint64_t)1 << 56)) {
      m = (m >> 1) | (m & 1);
      ++ea;
    }
  }
  const unsigned grs = (unsigned)(m & 7);
  m >>= 3;
  if (grs > 4 || (grs == 4 && (m & 1))) ++m;
  /* m < 2^52 only for a subnormal (ea == 1): its exponent field is 0; a carry into bit 52 or
     53 moves the exponent up through the addition. */
  if (m >= ((uint64_t)1 << 53)) {
    m >>= 1;
    ++ea;
  }
  if (ea >= 0x7ff) return sign | 0x7ff0000000000000ull;
  return sign | (((uint64_t)(ea - 1) << 52) + m);
}

uint64_t __vcr_fp_dsub(uint64_t a, uint64_t b) { return __vcr_fp_dadd(a, b ^ 0x8000000000000000ull); }

/* ---- truncation to integers. The magnitude of trunc(x) (x finite, in range). */
static uint64_t f_mag(uint32_t a) {
  const int e = (int)(a >> 23) - 150;
  const uint64_t m = (a & 0x7fffffu) | 0x800000u;
  if ((a >> 23) < 127) return 0;
  return e >= 0 ? m << e : m >> -e;
}
static uint64_t d_mag(uint64_t a) {
  const int e = (int)(a >> 52) - 1075;
  const uint64_t m = (a & 0xfffffffffffffull) | 0x10000000000000ull;
  if ((a >> 52) < 1023) return 0;
  return e >= 0 ? m << e : m >> -e;
}

/* lim: magnitudes below it are in range for a positive x; nlim for a negative x. */
#define TRUNC_F(name, T, neglim, poslim)                                             \
  T name(uint32_t x) {                                                               \
    const uint32_t a = x & 0x7fffffffu;                                              \
    if (a > 0x7f800000u) trap_badconv();                                             \
    if (a >= ((x >> 31) ? (uint32_t)(neglim) : (uint32_t)(poslim))) trap_overflow(); \
    const uint64_t m = f_mag(a);                                                     \
    return (T)((x >> 31) ? 0 - m : m);                                               \
  }
#define TRUNC_D(name, T, neglim, poslim)                                              \
  T name(uint64_t x) {                                                                \
    const uint64_t a = x & 0x7fffffffffffffffull;                                     \
    if (a > 0x7ff0000000000000ull) trap_badconv();                                    \
    if (a >= ((x >> 63) ? (uint64_t)(neglim) : (uint64_t)(poslim))) trap_overflow(); \
    const uint64_t m = d_mag(a);                                                      \
    return (T)((x >> 63) ? 0 - m : m);                                                \
  }
/* f32: 2^31 = 0x4f000000 (and -2^31 itself: the next magnitude up), 2^32 = 0x4f800000,
   2^63 = 0x5f000000, 2^64 = 0x5f800000, 1.0 = 0x3f800000. */
TRUNC_F(__vcr_fp_f2i_s, uint32_t, 0x4f000001u, 0x4f000000u)
TRUNC_F(__vcr_fp_f2i_u, uint32_t, 0x3f800000u, 0x4f800000u)
TRUNC_F(__vcr_fp_f2l_s, uint64_t, 0x5f000001u, 0x5f000000u)
TRUNC_F(__vcr_fp_f2l_u, uint64_t, 0x3f800000u, 0x5f800000u)
/* f64: 2^31 + 1 = 0x41e0000000200000, 2^31 = 0x41e0000000000000, 2^32 = 0x41f0000000000000,
   2^63 = 0x43e0000000000000, 2^64 = 0x43f0000000000000, 1.0 = 0x3ff0000000000000. */
TRUNC_D(__vcr_fp_d2i_s, uint32_t, 0x41e0000000200000ull, 0x41e0000000000000ull)
TRUNC_D(__vcr_fp_d2i_u, uint32_t, 0x3ff0000000000000ull, 0x41f0000000000000ull)
TRUNC_D(__vcr_fp_d2l_s, uint64_t, 0x43e0000000000001ull, 0x43e0000000000000ull)
TRUNC_D(__vcr_fp_d2l_u, uint64_t, 0x3ff0000000000000ull, 0x43f0000000000000ull)

/* Saturating forms: NaN gives 0, out of range the nearest bound. */
#define SAT_F(name, T, neglim, poslim, lo, hi)                     \
  T name(uint32_t x) {                                             \
    const uint32_t a = x & 0x7fffffffu;                            \
    if (a > 0x7f800000u) return 0;                                 \
    if ((x >> 31) && a >= (uint32_t)(neglim)) return (T)(lo);      \
    if (!(x >> 31) && a >= (uint32_t)(poslim)) return (T)(hi);     \
    const uint64_t m = f_mag(a);                                   \
    return (T)((x >> 31) ? 0 - m : m);                             \
  }
#define SAT_D(name, T, neglim, poslim, lo, hi)                     \
  T name(uint64_t x) {                                             \
    const uint64_t a = x & 0x7fffffffffffffffull;                  \
    if (a > 0x7ff0000000000000ull) return 0;                       \
    if ((x >> 63) && a >= (uint64_t)(neglim)) return (T)(lo);      \
    if (!(x >> 63) && a >= (uint64_t)(poslim)) return (T)(hi);     \
    const uint64_t m = d_mag(a);                                   \
    return (T)((x >> 63) ? 0 - m : m);                             \
  }
SAT_F(__vcr_fp_f2i_sat_s, uint32_t, 0x4f000001u, 0x4f000000u, 0x80000000u, 0x7fffffffu)
SAT_F(__vcr_fp_f2i_sat_u, uint32_t, 0x3f800000u, 0x4f800000u, 0, 0xffffffffu)
SAT_F(__vcr_fp_f2l_sat_s, uint64_t, 0x5f000001u, 0x5f000000u, 0x8000000000000000ull, 0x7fffffffffffffffull)
SAT_F(__vcr_fp_f2l_sat_u, uint64_t, 0x3f800000u, 0x5f800000u, 0, 0xffffffffffffffffull)
SAT_D(__vcr_fp_d2i_sat_s, uint32_t, 0x41e0000000200000ull, 0x41e0000000000000ull, 0x80000000u, 0x7fffffffu)
SAT_D(__vcr_fp_d2i_sat_u, uint32_t, 0x3ff0000000000000ull, 0x41f0000000000000ull, 0, 0xffffffffu)
SAT_D(__vcr_fp_d2l_sat_s, uint64_t, 0x43e0000000000001ull, 0x43e0000000000000ull, 0x8000000000000000ull, 0x7fffffffffffffffull)
SAT_D(__vcr_fp_d2l_sat_u, uint64_t, 0x3ff0000000000000ull, 0x43f0000000000000ull, 0, 0xffffffffffffffffull)
