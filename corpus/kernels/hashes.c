/* hashes.c: Adler-32, FNV-1a (32- and 64-bit) and a 64-bit xorshift mixer.
 * Stresses: modulo by a constant (adler32), i32 and i64 multiplies by large
 * constants, i64 loop-carried values (two register pairs in fnv1a64 and
 * mix64_buffer), i64 shifts. */
#include <stdint.h>

uint32_t adler32(const uint8_t *p, uint32_t len) {
  uint32_t a = 1, b = 0;
  for (uint32_t i = 0; i < len; i++) {
    a = (a + p[i]) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

uint32_t fnv1a32(const uint8_t *p, uint32_t len) {
  uint32_t h = 0x811C9DC5u;
  for (uint32_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x01000193u;
  }
  return h;
}

uint64_t fnv1a64(const uint8_t *p, uint32_t len) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (uint32_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001B3ull;
  }
  return h;
}

/* xorshift64* over n words: each word is mixed into the state; returns the state. */
uint64_t mix64_buffer(const uint64_t *words, uint32_t n, uint64_t seed) {
  uint64_t x = seed | 1;
  uint64_t acc = 0;
  for (uint32_t i = 0; i < n; i++) {
    x ^= words[i];
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    acc += x * 0x2545F4914F6CDD1Dull;
  }
  return acc ^ x;
}
