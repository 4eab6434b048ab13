/* crc32.c: bitwise (table-free) CRC-32, reflected polynomial 0xEDB88320.
 * Stresses: a byte loop with an inner 8-iteration bit loop, loop-carried crc,
 * shifts, xor, and a mask computed with a negation. crc32("123456789") is
 * 0xCBF43926. */
#include <stdint.h>

uint32_t crc32_update(uint32_t crc, const uint8_t *p, uint32_t len) {
  crc = ~crc;
  for (uint32_t i = 0; i < len; i++) {
    crc ^= p[i];
    for (int bit = 0; bit < 8; bit++) {
      uint32_t mask = -(crc & 1u);
      crc = (crc >> 1) ^ (0xEDB88320u & mask);
    }
  }
  return ~crc;
}

uint32_t crc32(const uint8_t *p, uint32_t len) { return crc32_update(0, p, len); }
