/* fir.c: fixed-point (Q15) FIR filter with a 64-bit accumulator and
 * saturation.
 * Stresses: nested loops (output sample x tap), 16-bit sign-extending loads
 * and stores, an i64 accumulator (register pair) live around the inner back
 * edge, 32x32->64 products, compares and selects for saturation. */
#include <stdint.h>

static inline int16_t saturate_q15(int64_t acc) {
  acc >>= 15;
  if (acc > 32767)
    return 32767;
  if (acc < -32768)
    return -32768;
  return (int16_t)acc;
}

/* y[i] = sat(sum_j h[j] * x[i + j] >> 15) for i in 0..n-1; x holds n + taps - 1 samples. */
void fir_q15(const int16_t *x, const int16_t *h, int16_t *y, uint32_t n, uint32_t taps) {
  for (uint32_t i = 0; i < n; i++) {
    int64_t acc = 1 << 14; /* rounding */
    for (uint32_t j = 0; j < taps; j++)
      acc += (int64_t)((int32_t)h[j] * (int32_t)x[i + j]);
    y[i] = saturate_q15(acc);
  }
}
