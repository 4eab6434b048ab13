/* quat.c: attitude quaternion integration of a body angular rate
 * (q += dt/2 * q * (0, w)), renormalisation with a square root
 * (__builtin_sqrtf -> f32.sqrt), rotation of a vector, and a loop over a
 * buffer of raw gyro samples.
 * Stresses: four quaternion components and three rates live at once (more
 * f32 values than argument registers), f32.sqrt and f32.div, a degenerate
 * norm branch, float stores through pointers.
 * build-kernels: float */
#include <stdint.h>

#if defined(__arm__) && !defined(__wasm__)
/* The native build (verify-alloc --native) links no libm: a correctly
 * rounded square root on the bits (digit by digit), like f32.sqrt. */
float sqrtf(float x) {
  union { float f; uint32_t u; } v = {x};
  uint32_t u = v.u;
  if (u == 0 || u == 0x80000000u || u >= 0x7f800000u) {
    if (u > 0x80000000u || u > 0x7f800000u) v.u = 0x7fc00000u; /* negative or NaN */
    return v.f;                                                /* +-0, +inf */
  }
  int32_t e = (int32_t)(u >> 23);
  uint32_t m = u & 0x7fffffu;
  if (e == 0) { /* subnormal: normalise */
    while (!(m & 0x800000u)) { m <<= 1; e--; }
    e++;
  } else {
    m |= 0x800000u;
  }
  int32_t ex = e - 150; /* x = m * 2^ex */
  if (!(ex & 1)) { m <<= 1; ex--; }
  /* x = (m << 25) * 2^(ex - 25), ex - 25 even: the integer square root of
   * m << 25 has 25 bits, 24 of mantissa and a rounding bit */
  uint64_t rem = (uint64_t)m << 25, root = 0;
  for (uint64_t bit = (uint64_t)1 << 48; bit; bit >>= 2) {
    if (rem >= root + bit) { rem -= root + bit; root = (root >> 1) + bit; }
    else root >>= 1;
  }
  uint32_t r = (uint32_t)root; /* rem != 0: inexact (sticky) */
  uint32_t mant = r >> 1;
  if ((r & 1) && (rem != 0 || (mant & 1))) mant++;
  v.u = ((uint32_t)((ex - 25) / 2 + 151) << 23) + (mant - 0x800000u);
  return v.f;
}
#endif

/* Scales q (w, x, y, z) to unit length; returns the norm before. A norm
 * below 1e-12 (or NaN) resets q to the identity. */
__attribute__((noinline)) float quat_normalize(float *q) {
  float n = __builtin_sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  if (n > 1e-12f) {
    float inv = 1.0f / n;
    q[0] *= inv;
    q[1] *= inv;
    q[2] *= inv;
    q[3] *= inv;
  } else {
    q[0] = 1.0f;
    q[1] = q[2] = q[3] = 0.0f;
  }
  return n;
}

/* One step of q' = q + dt/2 * q * (0, w), then renormalised. */
__attribute__((noinline)) void quat_integrate(float *q, const float *w, float dt) {
  float h = 0.5f * dt;
  float qw = q[0], qx = q[1], qy = q[2], qz = q[3];
  float wx = w[0], wy = w[1], wz = w[2];
  q[0] = qw + h * (-qx * wx - qy * wy - qz * wz);
  q[1] = qx + h * (qw * wx + qy * wz - qz * wy);
  q[2] = qy + h * (qw * wy - qx * wz + qz * wx);
  q[3] = qz + h * (qw * wz + qx * wy - qy * wx);
  quat_normalize(q);
}

/* out = q * v * conj(q) for a unit q (v and out: three floats). */
__attribute__((noinline)) void quat_rotate(const float *q, const float *v, float *out) {
  float qw = q[0], qx = q[1], qy = q[2], qz = q[3];
  /* t = 2 (q.xyz x v); out = v + qw t + q.xyz x t */
  float tx = 2.0f * (qy * v[2] - qz * v[1]);
  float ty = 2.0f * (qz * v[0] - qx * v[2]);
  float tz = 2.0f * (qx * v[1] - qy * v[0]);
  out[0] = v[0] + qw * tx + (qy * tz - qz * ty);
  out[1] = v[1] + qw * ty + (qz * tx - qx * tz);
  out[2] = v[2] + qw * tz + (qx * ty - qy * tx);
}

/* Integrates n raw gyro samples (three int16 each, 500 dps full scale)
 * from the identity into q[0..3]; rotates the body x axis (q[4..6]) into
 * q[7..9] and returns its z component. */
float quat_run(float *q, const int16_t *gyro, uint32_t n, float dt) {
  const float scale = 500.0f / 32768.0f * (3.14159265f / 180.0f);
  q[0] = 1.0f;
  q[1] = q[2] = q[3] = 0.0f;
  for (uint32_t i = 0; i < n; i++) {
    float w[3] = {(float)gyro[3 * i] * scale, (float)gyro[3 * i + 1] * scale, (float)gyro[3 * i + 2] * scale};
    quat_integrate(q, w, dt);
  }
  q[4] = 1.0f;
  q[5] = q[6] = 0.0f;
  quat_rotate(q, q + 4, q + 7);
  return q[9];
}
