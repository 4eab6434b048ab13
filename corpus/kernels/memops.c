/* memops.c: memcpy/memset-heavy buffer code, built with -mbulk-memory so that
 * clang emits memory.copy and memory.fill (bulk memory).
 * Stresses: calls of the bulk-memory runtime routines with values live
 * across them, overlapping moves (memmove), copies whose size is computed
 * at run time, clears of whole buffers.
 * build-kernels: bulk-memory */
#include <stddef.h>
#include <stdint.h>

#ifndef __wasm__
/* The native build (verify-alloc --native links without a C library) calls
 * these for the builtins below: byte loops, like vcr-ra's bulk-memory
 * routines. The wasm build has memory.copy / memory.fill instead. */
void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d > s)
    while (n--)
      d[n] = s[n];
  else
    for (size_t i = 0; i < n; i++)
      d[i] = s[i];
  return dst;
}
void *memcpy(void *dst, const void *src, size_t n) { return memmove(dst, src, n); }
void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  for (size_t i = 0; i < n; i++)
    d[i] = (uint8_t)c;
  return dst;
}
/* clang calls the ARM EABI names for the builtins (the 4/8 forms take aligned pointers). */
void __aeabi_memmove(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memmove4(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memmove8(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memcpy(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memcpy4(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memcpy8(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memset(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memset4(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memset8(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memclr(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr4(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr8(void *d, size_t n) { memset(d, 0, n); }
#endif

/* Append n bytes from src to a ring buffer of capacity cap at position head
 * (wrapping once); returns the new head. */
uint32_t ring_push(uint8_t *ring, uint32_t cap, uint32_t head, const uint8_t *src, uint32_t n) {
  if (cap == 0)
    return 0;
  head %= cap;
  if (n > cap)
    n = cap;
  uint32_t first = cap - head < n ? cap - head : n;
  __builtin_memcpy(ring + head, src, first);
  __builtin_memcpy(ring, src + first, n - first);
  return (head + n) % cap;
}

/* Build a frame in out: a 16-byte header (zeroed, then length and a
 * checksum), the payload, and zero padding to a multiple of 16; returns the
 * frame length. */
uint32_t frame_build(uint8_t *out, const uint8_t *payload, uint32_t n) {
  __builtin_memset(out, 0, 16);
  __builtin_memcpy(out + 16, payload, n);
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; i++)
    sum = sum * 31 + out[16 + i];
  uint32_t padded = (n + 15) & ~15u;
  __builtin_memset(out + 16 + n, 0, padded - n);
  out[0] = (uint8_t)n;
  out[1] = (uint8_t)(n >> 8);
  __builtin_memcpy(out + 4, &sum, 4);
  return 16 + padded;
}

/* Slide a window of len samples left by k (overlapping move) and clear the
 * freed tail; returns the sum of the kept samples. */
int32_t shift_window(int16_t *buf, uint32_t len, uint32_t k) {
  if (k > len)
    k = len;
  __builtin_memmove(buf, buf + k, (len - k) * sizeof *buf);
  __builtin_memset(buf + (len - k), 0, k * sizeof *buf);
  int32_t s = 0;
  for (uint32_t i = 0; i + k < len; i++)
    s += buf[i];
  return s;
}

/* Insert a byte at position pos of a string of length len (memmove to the
 * right); returns the new length. */
uint32_t insert_byte(uint8_t *s, uint32_t len, uint32_t pos, uint32_t c) {
  if (pos > len)
    pos = len;
  __builtin_memmove(s + pos + 1, s + pos, len - pos);
  s[pos] = (uint8_t)c;
  return len + 1;
}
