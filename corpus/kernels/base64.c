/* base64.c: base64 encoding (RFC 4648, with '=' padding).
 * Stresses: byte loads and stores, shifts and masks, a call to a small
 * non-inlined helper with a value computed by compare/select chains (no
 * lookup table, so the module has no data segment), a tail with two cases. */
#include <stdint.h>

__attribute__((noinline)) uint8_t base64_char(uint32_t v) {
  v &= 63;
  if (v < 26)
    return (uint8_t)('A' + v);
  if (v < 52)
    return (uint8_t)('a' + v - 26);
  if (v < 62)
    return (uint8_t)('0' + v - 52);
  return v == 62 ? '+' : '/';
}

/* Encodes len bytes of src into dst; returns the number of bytes written. */
uint32_t base64_encode(const uint8_t *src, uint32_t len, uint8_t *dst) {
  uint32_t o = 0, i = 0;
  for (; i + 3 <= len; i += 3) {
    uint32_t v = ((uint32_t)src[i] << 16) | ((uint32_t)src[i + 1] << 8) | src[i + 2];
    dst[o++] = base64_char(v >> 18);
    dst[o++] = base64_char(v >> 12);
    dst[o++] = base64_char(v >> 6);
    dst[o++] = base64_char(v);
  }
  uint32_t rest = len - i;
  if (rest == 1) {
    uint32_t v = (uint32_t)src[i] << 16;
    dst[o++] = base64_char(v >> 18);
    dst[o++] = base64_char(v >> 12);
    dst[o++] = '=';
    dst[o++] = '=';
  } else if (rest == 2) {
    uint32_t v = ((uint32_t)src[i] << 16) | ((uint32_t)src[i + 1] << 8);
    dst[o++] = base64_char(v >> 18);
    dst[o++] = base64_char(v >> 12);
    dst[o++] = base64_char(v >> 6);
    dst[o++] = '=';
  }
  return o;
}
