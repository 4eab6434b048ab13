/* bufops.c: memcpy/memset-heavy communication code, built with
 * -mbulk-memory so that __builtin_memcpy/__builtin_memset/__builtin_memmove
 * become memory.copy and memory.fill: packet assembly into a fixed frame
 * (header, payload, trailer, zero padding), copies out of and into a ring
 * buffer with wrap-around, a struct copy of a fixed size, and compaction of
 * a receive buffer after a frame is consumed.
 * Stresses: bulk-memory operations with constant and run-time sizes (zero
 * included), several in a row with the pointers and lengths live across
 * them, overlapping moves, checksums over the copied bytes.
 * build-kernels: bulk-memory */
#include <stddef.h>
#include <stdint.h>

#ifndef __wasm__
/* The native build (verify-alloc --native) links no C library: byte loops
 * for the calls clang makes for the builtins (C and ARM EABI names). */
void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d > s)
    while (n--) d[n] = s[n];
  else
    for (size_t i = 0; i < n; i++) d[i] = s[i];
  return dst;
}
void *memcpy(void *dst, const void *src, size_t n) { return memmove(dst, src, n); }
void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  for (size_t i = 0; i < n; i++) d[i] = (uint8_t)c;
  return dst;
}
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

enum { FRAME = 64, HDR = 8, TRAILER = 4, MAX_PAYLOAD = FRAME - HDR - TRAILER };

typedef struct {
  uint8_t addr, kind;
  uint16_t seq;
  uint32_t stamp;
  uint8_t route[24];
} Header; /* 32 bytes, copied whole */

static uint32_t sum16(const uint8_t *p, uint32_t n) {
  uint32_t a = 1, b = 0;
  for (uint32_t i = 0; i < n; i++) {
    a = (a + p[i]) & 0xffffu;
    b = (b + a) & 0xffffu;
  }
  return (b << 16) | a;
}

/* Assembles n payload bytes (at most MAX_PAYLOAD) into a 64-byte frame:
 * 8-byte header (addr, kind, seq, length), payload, zero padding, a 4-byte
 * checksum at the end. Returns the checksum. */
__attribute__((noinline)) uint32_t pkt_assemble(uint8_t *frame, const Header *h, const uint8_t *payload, uint32_t n) {
  if (n > MAX_PAYLOAD) n = MAX_PAYLOAD;
  __builtin_memset(frame, 0, FRAME);
  frame[0] = h->addr;
  frame[1] = h->kind;
  __builtin_memcpy(frame + 2, &h->seq, 2);
  frame[4] = (uint8_t)n;
  __builtin_memcpy(frame + 5, h->route, 3);
  __builtin_memcpy(frame + HDR, payload, n);
  uint32_t c = sum16(frame, FRAME - TRAILER);
  __builtin_memcpy(frame + FRAME - TRAILER, &c, TRAILER);
  return c;
}

/* Copies n bytes out of a ring of capacity cap starting at tail (two copies
 * when it wraps), clears what was read, and returns the new tail. */
__attribute__((noinline)) uint32_t ring_read(uint8_t *ring, uint32_t cap, uint32_t tail, uint8_t *dst, uint32_t n) {
  if (cap == 0) return 0;
  tail %= cap;
  if (n > cap) n = cap;
  uint32_t first = cap - tail < n ? cap - tail : n;
  __builtin_memcpy(dst, ring + tail, first);
  __builtin_memset(ring + tail, 0, first);
  __builtin_memcpy(dst + first, ring, n - first);
  __builtin_memset(ring, 0, n - first);
  return (tail + n) % cap;
}

/* Drops the first `used` bytes of a receive buffer holding len bytes
 * (overlapping move down), clears the freed end; returns the bytes left. */
__attribute__((noinline)) uint32_t rx_compact(uint8_t *buf, uint32_t len, uint32_t used) {
  if (used > len) used = len;
  __builtin_memmove(buf, buf + used, len - used);
  __builtin_memset(buf + len - used, 0, used);
  return len - used;
}

/* Copies a header (struct assignment: a constant-size copy), stamps it and
 * bumps the sequence number; returns the new sequence number. */
__attribute__((noinline)) uint32_t header_next(Header *dst, const Header *src, uint32_t stamp) {
  *dst = *src;
  dst->stamp = stamp;
  dst->seq = (uint16_t)(src->seq + 1);
  return dst->seq;
}

/* Streams `total` bytes of data through a ring of capacity 256 in chunks of
 * `chunk` (1..MAX_PAYLOAD), assembling a frame per chunk into frames
 * (64 bytes each, at most 64 frames); returns the xor of the checksums. */
uint32_t bufops_run(uint8_t *ring, uint8_t *frames, const uint8_t *data, uint32_t total, uint32_t chunk) {
  if (chunk == 0) chunk = 1;
  if (chunk > MAX_PAYLOAD) chunk = MAX_PAYLOAD;
  Header h, cur;
  __builtin_memset(&h, 0, sizeof h);
  h.addr = 0x42;
  h.kind = 1;
  __builtin_memcpy(h.route, data, sizeof h.route);
  uint8_t tmp[MAX_PAYLOAD];
  uint32_t head = 0, tail = 0, x = 0, nframes = 0;
  for (uint32_t off = 0; off < total && nframes < 64; off += chunk) {
    uint32_t n = total - off < chunk ? total - off : chunk;
    uint32_t first = 256 - head < n ? 256 - head : n;
    __builtin_memcpy(ring + head, data + off, first);
    __builtin_memcpy(ring, data + off + first, n - first);
    head = (head + n) % 256;
    tail = ring_read(ring, 256, tail, tmp, n);
    header_next(&cur, &h, off);
    h = cur;
    x ^= pkt_assemble(frames + FRAME * nframes, &cur, tmp, n);
    nframes++;
  }
  return x ^ (nframes << 24);
}
