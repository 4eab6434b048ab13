/* attitude.c: a complementary filter fusing a gyroscope and an
 * accelerometer into roll and pitch (f32), with our own atan2 (odd
 * polynomial on [0, 1] plus octant fix-ups) and an inverse square root
 * (exponent halving on the bits, then Newton steps); no libc.
 * Stresses: long f32 expression chains with many values live across the
 * soft-float calls, float compares and selects for the octants, f32 <->
 * i32 reinterpretation, a struct of floats in memory, six int16 sensor
 * channels converted per record (attitude_run).
 * build-kernels: float */
#include <stdint.h>

typedef struct {
  float roll, pitch;  /* estimate (rad) */
  float bias[3];      /* gyro bias (rad/s), slowly learnt */
  float alpha;        /* weight of the gyro path, e.g. 0.98 */
  float dt;           /* sample period (s) */
  uint32_t rejected;  /* accelerometer samples not trusted */
} Attitude;

static const float PI = 3.14159265f;

/* atan(z) for z in [0, 1], error below 1e-5 rad. */
static float atan_unit(float z) {
  float z2 = z * z;
  return z * (0.99997726f + z2 * (-0.33262347f + z2 * (0.19354346f + z2 * (-0.11643287f + z2 * (0.05265332f + z2 * -0.01172120f)))));
}

/* atan2(y, x) in [-pi, pi]; 0 for (0, 0). */
__attribute__((noinline)) float att_atan2(float y, float x) {
  float ay = y < 0.0f ? -y : y, ax = x < 0.0f ? -x : x;
  if (ay == 0.0f && ax == 0.0f) return 0.0f;
  float r = ay > ax ? PI / 2 - atan_unit(ax / ay) : atan_unit(ay / ax);
  if (x < 0.0f) r = PI - r;
  return y < 0.0f ? -r : r;
}

/* 1 / sqrt(x) for x > 0: an initial guess from the exponent bits, then three
 * Newton steps. */
__attribute__((noinline)) float att_inv_sqrt(float x) {
  union { float f; uint32_t u; } v = {x};
  v.u = 0x5f375a86u - (v.u >> 1);
  float g = v.f;
  for (int i = 0; i < 3; i++) g = g * (1.5f - 0.5f * x * g * g);
  return g;
}

static float wrap_pi(float a) {
  if (a > PI) a -= 2 * PI;
  if (a < -PI) a += 2 * PI;
  return a;
}

/* One update: gyro (rad/s) and acc (m/s^2), three floats each. The
 * accelerometer is trusted only when |acc| is within 15% of 1 g; the gyro
 * bias learns from the difference while it is. */
__attribute__((noinline)) void attitude_update(Attitude *s, const float *gyro, const float *acc) {
  float roll_g = wrap_pi(s->roll + (gyro[0] - s->bias[0]) * s->dt);
  float pitch_g = wrap_pi(s->pitch + (gyro[1] - s->bias[1]) * s->dt);
  float n2 = acc[0] * acc[0] + acc[1] * acc[1] + acc[2] * acc[2];
  const float g2 = 9.80665f * 9.80665f;
  if (n2 > 0.7225f * g2 && n2 < 1.3225f * g2) {
    float yz2 = acc[1] * acc[1] + acc[2] * acc[2];
    float yz = yz2 > 0.0f ? yz2 * att_inv_sqrt(yz2) : 0.0f;
    float roll_a = att_atan2(acc[1], acc[2]);
    float pitch_a = att_atan2(-acc[0], yz);
    float k = 1.0f - s->alpha;
    float dr = wrap_pi(roll_a - roll_g), dp = wrap_pi(pitch_a - pitch_g);
    s->roll = wrap_pi(roll_g + k * dr);
    s->pitch = wrap_pi(pitch_g + k * dp);
    s->bias[0] -= 0.001f * dr;
    s->bias[1] -= 0.001f * dp;
  } else {
    s->roll = roll_g;
    s->pitch = pitch_g;
    s->rejected++;
  }
  s->bias[2] += 0.0001f * (gyro[2] - s->bias[2]);
}

/* n records of six int16 channels (gyro x y z at 2000 dps full scale, acc
 * x y z at 4 g full scale, the acc z channel offset by +1 g so that a level
 * board reads near 1 g); returns roll + pitch after the last record. */
float attitude_run(Attitude *s, const int16_t *imu, uint32_t n, float dt) {
  const float gyro_scale = 2000.0f / 32768.0f * (PI / 180.0f);
  const float acc_scale = 4.0f * 9.80665f / 32768.0f;
  s->roll = s->pitch = 0.0f;
  s->bias[0] = s->bias[1] = s->bias[2] = 0.0f;
  s->alpha = 0.98f;
  s->dt = dt;
  s->rejected = 0;
  for (uint32_t i = 0; i < n; i++) {
    const int16_t *r = imu + 6 * i;
    float gyro[3], acc[3];
    for (int c = 0; c < 3; c++) {
      gyro[c] = (float)r[c] * gyro_scale * 0.05f; /* slow rotations */
      acc[c] = (float)r[3 + c] * acc_scale * 0.125f;
    }
    acc[2] += 9.80665f;
    attitude_update(s, gyro, acc);
  }
  return s->roll + s->pitch;
}
