/* pidf.c: a floating-point PID controller with anti-windup (conditional
 * integration and a clamped integrator), the derivative taken on the
 * measurement through a first-order filter; a step function, a loop over a
 * buffer of measurements, and a closed-loop simulation against a first-order
 * plant with sensor noise.
 * Stresses: f32 struct fields at constant offsets, compare chains on floats
 * (soft-float compare calls on cortex-m4) with many values live across them,
 * a call of the non-inlined step in a loop, f32 parameters past R3 (on the
 * stack), i16 -> f32 conversions.
 * build-kernels: float */
#include <stdint.h>

typedef struct {
  float kp, ki, kd, dt;    /* gains, sample period (s) */
  float integ;             /* integrator (output units) */
  float prev_meas, d_filt; /* derivative on measurement, filtered */
  float d_alpha;           /* derivative filter coefficient in (0, 1] */
  float out_min, out_max;  /* actuator limits */
} PidF;

__attribute__((noinline)) float pidf_step(PidF *s, float setpoint, float meas) {
  float err = setpoint - meas;
  float d_raw = (s->prev_meas - meas) / s->dt;
  s->d_filt += s->d_alpha * (d_raw - s->d_filt);
  float integ = s->integ + s->ki * s->dt * err;
  float u = s->kp * err + integ + s->kd * s->d_filt;
  if (u > s->out_max) {
    u = s->out_max;
    if (err > 0.0f) integ = s->integ; /* do not wind up further */
  } else if (u < s->out_min) {
    u = s->out_min;
    if (err < 0.0f) integ = s->integ;
  }
  if (integ > s->out_max) integ = s->out_max;
  if (integ < s->out_min) integ = s->out_min;
  s->integ = integ;
  s->prev_meas = meas;
  return u;
}

/* Sets the gains and limits and clears the state. */
__attribute__((noinline)) void pidf_init(PidF *s, float kp, float ki, float kd, float dt, float limit) {
  s->kp = kp;
  s->ki = ki;
  s->kd = kd;
  s->dt = dt;
  s->integ = 0.0f;
  s->prev_meas = 0.0f;
  s->d_filt = 0.0f;
  s->d_alpha = 0.2f;
  s->out_min = -limit;
  s->out_max = limit;
}

/* n steps on measurements raw[i] * scale; out[i] receives the command;
 * returns the sum of the commands. */
float pidf_run(PidF *s, float setpoint, const int16_t *raw, float scale, float *out, uint32_t n) {
  float sum = 0.0f;
  for (uint32_t i = 0; i < n; i++) {
    float u = pidf_step(s, setpoint, (float)raw[i] * scale);
    out[i] = u;
    sum += u;
  }
  return sum;
}

/* Closed loop: the plant y' = (gain * u - y) / tau (forward Euler, dt =
 * 1 ms) measured with noise raw[i] / 32768 * 0.01; out[i] receives y.
 * Returns the integrated absolute error. */
float pidf_sim(PidF *s, float kp, float ki, float kd, float setpoint, const int16_t *raw, float *out,
               uint32_t n) {
  const float dt = 0.001f, tau = 0.05f, gain = 2.0f;
  pidf_init(s, kp, ki, kd, dt, 10.0f);
  float y = 0.0f, iae = 0.0f;
  for (uint32_t i = 0; i < n; i++) {
    float meas = y + (float)raw[i] * (0.01f / 32768.0f);
    float u = pidf_step(s, setpoint, meas);
    y += dt * (gain * u - y) / tau;
    out[i] = y;
    float e = setpoint - y;
    iae += (e < 0.0f ? -e : e) * dt;
  }
  return iae;
}
