/* bits.c: 64-bit bit tricks.
 * Stresses: i64 everywhere: popcount, count leading/trailing zeros (clang
 * emits i64.popcnt/clz/ctz), bit reversal by mask-and-shift stages (many i64
 * constants live), integer square root by a bounded bit loop, Euclid's gcd
 * with i64 remainder, 64-bit rotates. */
#include <stdint.h>

uint32_t popcount64_sum(const uint64_t *p, uint32_t n) {
  uint32_t total = 0;
  for (uint32_t i = 0; i < n; i++)
    total += (uint32_t)__builtin_popcountll(p[i]);
  return total;
}

uint32_t log2_floor64(uint64_t x) { return x ? 63u - (uint32_t)__builtin_clzll(x) : 0u; }

uint32_t trailing_zeros64(uint64_t x) { return x ? (uint32_t)__builtin_ctzll(x) : 64u; }

uint64_t bit_reverse64(uint64_t x) {
  x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
  x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
  x = ((x >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((x & 0x0F0F0F0F0F0F0F0Full) << 4);
  x = ((x >> 8) & 0x00FF00FF00FF00FFull) | ((x & 0x00FF00FF00FF00FFull) << 8);
  x = ((x >> 16) & 0x0000FFFF0000FFFFull) | ((x & 0x0000FFFF0000FFFFull) << 16);
  return (x >> 32) | (x << 32);
}

/* floor(sqrt(x)) by the classic bit-by-bit method: 32 iterations at most. */
uint32_t isqrt64(uint64_t x) {
  uint64_t res = 0;
  uint64_t bit = 1ull << 62;
  while (bit > x)
    bit >>= 2;
  while (bit != 0) {
    if (x >= res + bit) {
      x -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  return (uint32_t)res;
}

uint64_t gcd64(uint64_t a, uint64_t b) {
  while (b != 0) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

uint64_t rotmix64(uint64_t x, uint32_t r) {
  uint64_t y = (x << (r & 63)) | (x >> ((64 - r) & 63));
  return y ^ (x >> 29) ^ (y * 0x9E3779B97F4A7C15ull);
}
