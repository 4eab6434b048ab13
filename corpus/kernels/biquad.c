/* biquad.c: a cascade of biquad IIR sections in direct form II transposed
 * (f32), designed as low-pass sections (RBJ cookbook) with our own sine and
 * cosine polynomials, run over a buffer of Q15 ADC samples.
 * Stresses: f32 arithmetic (soft-float calls on cortex-m4) with the section
 * pointer, the loop counter and the running sample live across every call,
 * two state floats per section loaded and stored in the loop, int16 <-> f32
 * conversions with saturation, an f32 parameter on the stack (biquad_run).
 * build-kernels: float */
#include <stdint.h>

typedef struct {
  float b0, b1, b2, a1, a2; /* normalised coefficients (a0 = 1) */
  float z1, z2;             /* DF2T state */
} Biquad;

/* sin(x) for x in [-pi/2, pi/2]: odd polynomial to x^9. */
static float sin_half(float x) {
  float x2 = x * x;
  return x * (1.0f + x2 * (-0.16666667f + x2 * (0.0083333310f + x2 * (-0.00019840874f + x2 * 2.7525562e-6f))));
}

/* sin and cos of w in [0, pi]. */
static void sincos_pi(float w, float *s, float *c) {
  const float half_pi = 1.5707964f;
  *s = sin_half(w > half_pi ? 3.1415927f - w : w);
  *c = sin_half(half_pi - w); /* cos(w) = sin(pi/2 - w), argument in [-pi/2, pi/2] */
}

/* One sample through n sections; returns the output of the last one. */
__attribute__((noinline)) float biquad_cascade(Biquad *s, uint32_t n, float x) {
  for (uint32_t i = 0; i < n; i++) {
    Biquad *q = &s[i];
    float y = q->b0 * x + q->z1;
    q->z1 = q->b1 * x - q->a1 * y + q->z2;
    q->z2 = q->b2 * x - q->a2 * y;
    x = y;
  }
  return x;
}

/* Low-pass section with cutoff fc (a fraction of the sample rate, clamped to
 * [0.0005, 0.45]) and quality q (at least 0.1); clears the state. */
__attribute__((noinline)) void biquad_lowpass(Biquad *s, float fc, float q) {
  if (!(fc >= 0.0005f)) fc = 0.0005f; /* NaN as well */
  if (fc > 0.45f) fc = 0.45f;
  if (!(q >= 0.1f)) q = 0.1f;
  float sn, cs;
  sincos_pi(6.2831855f * fc, &sn, &cs);
  float alpha = sn / (2.0f * q);
  float inv_a0 = 1.0f / (1.0f + alpha);
  float b1 = (1.0f - cs) * inv_a0;
  s->b0 = 0.5f * b1;
  s->b1 = b1;
  s->b2 = 0.5f * b1;
  s->a1 = -2.0f * cs * inv_a0;
  s->a2 = (1.0f - alpha) * inv_a0;
  s->z1 = 0.0f;
  s->z2 = 0.0f;
}

static int16_t to_q15(float y) {
  float v = y * 32768.0f;
  if (v > 32767.0f) v = 32767.0f;
  if (v < -32768.0f) v = -32768.0f;
  if (v != v) v = 0.0f;
  return (int16_t)(int32_t)v;
}

/* Designs `sections` low-pass sections at cutoff fc (Q from 0.54 upwards),
 * filters n Q15 samples from in to out and returns the output energy. */
float biquad_run(Biquad *s, uint32_t sections, const int16_t *in, int16_t *out, uint32_t n, float fc) {
  for (uint32_t k = 0; k < sections; k++)
    biquad_lowpass(&s[k], fc, 0.54f + 0.76f * (float)k);
  float energy = 0.0f;
  for (uint32_t i = 0; i < n; i++) {
    float y = biquad_cascade(s, sections, (float)in[i] * (1.0f / 32768.0f));
    energy += y * y;
    out[i] = to_q15(y);
  }
  return energy;
}
