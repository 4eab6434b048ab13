/* dsp64.c: double-precision signal processing: a Goertzel detector of one
 * frequency bin, a one-pole IIR on Q31 samples with saturating conversion
 * back, Horner evaluation of a polynomial, and an f32 buffer summed in f64
 * (promote, compensated sum, demote).
 * Stresses: f64 values (register pairs; soft-float calls on cortex-m4) live
 * across calls and around back edges, every i32/i64 <-> f64 conversion
 * (signed and unsigned), f32 <-> f64 promote/demote, f64 compares for
 * saturation. Buffers are processed in blocks of at most MAX_BLOCK samples
 * (longer calls stop there), polynomials up to degree 32.
 * build-kernels: float */
#include <stdint.h>

enum { MAX_BLOCK = 4096, MAX_DEGREE = 32 };

/* Goertzel power of the bin with coefficient coeff = 2 cos(2 pi k / n)
 * over n int16 samples. */
__attribute__((noinline)) double goertzel64(const int16_t *x, uint32_t n, double coeff) {
  double s1 = 0.0, s2 = 0.0;
  if (n > MAX_BLOCK) n = MAX_BLOCK;
  for (uint32_t i = 0; i < n; i++) {
    double s0 = (double)x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/* y += a * (x - y) over Q31 samples, in double; out receives y saturated
 * back to Q31. Returns the rounded sum of the outputs as an i64. */
__attribute__((noinline)) int64_t iir64_q31(const int32_t *in, int32_t *out, uint32_t n, double a) {
  double y = 0.0, sum = 0.0;
  if (n > MAX_BLOCK) n = MAX_BLOCK;
  for (uint32_t i = 0; i < n; i++) {
    y += a * ((double)in[i] - y);
    double r = y < 0.0 ? y - 0.5 : y + 0.5;
    int32_t q;
    if (r >= 2147483647.0)
      q = 2147483647;
    else if (r <= -2147483648.0)
      q = (int32_t)0x80000000u;
    else if (r != r)
      q = 0;
    else
      q = (int32_t)r;
    out[i] = q;
    sum += (double)q;
  }
  if (!(sum < 9.2e18 && sum > -9.2e18)) return 0;
  return (int64_t)sum;
}

/* c[0] + c[1] x + ... + c[deg] x^deg (Horner; deg at most MAX_DEGREE). */
__attribute__((noinline)) double poly64(const double *c, uint32_t deg, double x) {
  if (deg > MAX_DEGREE) deg = MAX_DEGREE;
  double acc = c[deg];
  for (uint32_t i = deg; i-- > 0;) acc = acc * x + c[i];
  return acc;
}

/* Sum of n floats in double with Kahan compensation, demoted to f32. */
__attribute__((noinline)) float sum_f32_in_f64(const float *x, uint32_t n) {
  double s = 0.0, c = 0.0;
  if (n > MAX_BLOCK) n = MAX_BLOCK;
  for (uint32_t i = 0; i < n; i++) {
    double y = (double)x[i] - c;
    double t = s + y;
    c = (t - s) - y;
    s = t;
  }
  return (float)s;
}

/* Unsigned and 64-bit conversions: u64 ticks at a rate in Hz to seconds
 * and back to microseconds (u64), with a u32 offset. */
__attribute__((noinline)) uint64_t ticks_to_us(uint64_t ticks, uint32_t rate_hz, uint32_t offset_us) {
  if (rate_hz == 0) return 0;
  double s = (double)ticks / (double)rate_hz;
  double us = s * 1e6 + (double)offset_us;
  if (!(us < 1.8e19)) return ~(uint64_t)0;
  return (uint64_t)us;
}

/* Fills a Q31 buffer of n samples with a tone of k cycles per n samples
 * (the cosine by a rotation recurrence in double), runs the IIR over it,
 * Goertzel on the int16 version of the tone, and mixes the results into one
 * i64. */
int64_t dsp64_run(int32_t *buf, int32_t *out, int16_t *tone16, uint32_t n, uint32_t k) {
  if (n == 0) return 0;
  if (n > MAX_BLOCK) n = MAX_BLOCK;
  /* cos/sin of 2 pi k / n by a polynomial in double (|t| <= pi after reduction) */
  double t = 6.283185307179586 * (double)(k % n) / (double)n;
  if (t > 3.141592653589793) t -= 6.283185307179586;
  double t2 = t * t;
  double c = 1.0, s = t, term_c = 1.0, term_s = t;
  for (int i = 1; i < 12; i++) {
    term_c *= -t2 / (double)((2 * i - 1) * (2 * i));
    term_s *= -t2 / (double)((2 * i) * (2 * i + 1));
    c += term_c;
    s += term_s;
  }
  double re = 1.0, im = 0.0;
  for (uint32_t i = 0; i < n; i++) {
    buf[i] = (int32_t)(re * 1073741823.0);
    tone16[i] = (int16_t)(int32_t)(re * 16383.0);
    double nre = re * c - im * s;
    im = re * s + im * c;
    re = nre;
  }
  int64_t acc = iir64_q31(buf, out, n, 0.125);
  double p = goertzel64(tone16, n, 2.0 * c);
  return acc ^ (int64_t)(p / (double)n);
}
