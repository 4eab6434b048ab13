/* xtea.c: XTEA block cipher, encipher and decipher of one 64-bit block.
 * Stresses: a tight round loop with v0, v1, sum, the round counter and the key
 * pointer live around the back edge, shifts, xor, and key words indexed by
 * (sum & 3) and (sum >> 11 & 3) (address arithmetic). */
#include <stdint.h>

void xtea_encipher(uint32_t num_rounds, uint32_t *v, const uint32_t *key) {
  uint32_t v0 = v[0], v1 = v[1], sum = 0;
  const uint32_t delta = 0x9E3779B9u;
  for (uint32_t i = 0; i < num_rounds; i++) {
    v0 += (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + key[sum & 3]);
    sum += delta;
    v1 += (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + key[(sum >> 11) & 3]);
  }
  v[0] = v0;
  v[1] = v1;
}

void xtea_decipher(uint32_t num_rounds, uint32_t *v, const uint32_t *key) {
  uint32_t v0 = v[0], v1 = v[1];
  const uint32_t delta = 0x9E3779B9u;
  uint32_t sum = delta * num_rounds;
  for (uint32_t i = 0; i < num_rounds; i++) {
    v1 -= (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + key[(sum >> 11) & 3]);
    sum -= delta;
    v0 -= (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + key[sum & 3]);
  }
  v[0] = v0;
  v[1] = v1;
}
