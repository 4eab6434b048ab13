/* fft.c: an in-place radix-2 decimation-in-time complex FFT on f32 with a
 * twiddle table in memory (computed by fft_twiddles with our own sine and
 * cosine polynomials, or passed in), and the bit-reversal permutation.
 * Data are interleaved (re, im) pairs.
 * Stresses: the butterfly (four loads, a complex multiply, four stores) with
 * the three loop counters, the stride and the pointers live across the
 * soft-float calls, bit tricks on indices, f32 <-> int16 conversions.
 * Transforms have at most MAX_POINTS points (larger n: nothing happens).
 * build-kernels: float */
#include <stdint.h>

enum { MAX_POINTS = 1024 };

/* sin(x) for x in [-pi/2, pi/2]. */
static float sin_half(float x) {
  float x2 = x * x;
  return x * (1.0f + x2 * (-0.16666667f + x2 * (0.0083333310f + x2 * (-0.00019840874f + x2 * 2.7525562e-6f))));
}

/* tw[2k], tw[2k+1] = cos(2 pi k / n), -sin(2 pi k / n) for k < n / 2. */
__attribute__((noinline)) void fft_twiddles(float *tw, uint32_t n) {
  const float half_pi = 1.5707964f, pi = 3.1415927f;
  if (n > MAX_POINTS) return;
  for (uint32_t k = 0; k < n / 2; k++) {
    float a = 2.0f * pi * (float)k / (float)n; /* in [0, pi) */
    float s = sin_half(a > half_pi ? pi - a : a);
    float c = sin_half(half_pi - a);
    tw[2 * k] = c;
    tw[2 * k + 1] = -s;
  }
}

/* Permutes the n complex values of x into bit-reversed order. */
__attribute__((noinline)) void fft_bitreverse(float *x, uint32_t n) {
  if (n > MAX_POINTS) return;
  for (uint32_t i = 1, j = 0; i < n; i++) {
    uint32_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j |= bit;
    if (i < j) {
      float re = x[2 * i], im = x[2 * i + 1];
      x[2 * i] = x[2 * j];
      x[2 * i + 1] = x[2 * j + 1];
      x[2 * j] = re;
      x[2 * j + 1] = im;
    }
  }
}

/* In-place FFT of n complex values (n a power of two; otherwise nothing
 * happens) already in bit-reversed order; tw from fft_twiddles(tw, n). */
__attribute__((noinline)) void fft_radix2(float *x, const float *tw, uint32_t n) {
  if (n < 2 || n > MAX_POINTS || (n & (n - 1))) return;
  for (uint32_t len = 2; len <= n; len <<= 1) {
    uint32_t half = len >> 1, step = n / len;
    for (uint32_t start = 0; start < n; start += len) {
      for (uint32_t k = 0; k < half; k++) {
        float wr = tw[2 * k * step], wi = tw[2 * k * step + 1];
        float *a = &x[2 * (start + k)], *b = &x[2 * (start + k + half)];
        float tr = b[0] * wr - b[1] * wi;
        float ti = b[0] * wi + b[1] * wr;
        b[0] = a[0] - tr;
        b[1] = a[1] - ti;
        a[0] += tr;
        a[1] += ti;
      }
    }
  }
}

/* Transforms 2^log2n Q15 samples (log2n clamped to [1, 10]) held in x as
 * complex values with zero imaginary part, using tw for the table; writes
 * the bin magnitudes squared over x's first half and returns the index of
 * the largest bin in [1, n/2). */
/* Whether the byte ranges [a, a + na) and [b, b + nb) meet. */
static int overlap(const void *a, uint32_t na, const void *b, uint32_t nb) {
  uintptr_t p = (uintptr_t)a, q = (uintptr_t)b;
  return p < q + nb && q < p + na;
}

uint32_t fft_run(float *x, float *tw, const int16_t *in, uint32_t log2n) {
  if (log2n < 1) log2n = 1;
  if (log2n > 10) log2n = 10;
  uint32_t n = 1u << log2n;
  /* The buffers must not overlap: the transform would read its own float
   * output back as samples or as parts of other floats, and so observe the
   * bits of NaNs, which wasm leaves open (engines may differ there). */
  if (overlap(x, 8 * n, tw, 4 * n) || overlap(x, 8 * n, in, 2 * n) || overlap(tw, 4 * n, in, 2 * n)) return 0;
  fft_twiddles(tw, n);
  for (uint32_t i = 0; i < n; i++) {
    x[2 * i] = (float)in[i] * (1.0f / 32768.0f);
    x[2 * i + 1] = 0.0f;
  }
  fft_bitreverse(x, n);
  fft_radix2(x, tw, n);
  uint32_t best = 1;
  float best_p = -1.0f;
  for (uint32_t k = 0; k < n / 2; k++) {
    float p = x[2 * k] * x[2 * k] + x[2 * k + 1] * x[2 * k + 1];
    x[k] = p;
    if (k > 0 && p > best_p) {
      best_p = p;
      best = k;
    }
  }
  return best;
}
