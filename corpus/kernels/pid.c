/* pid.c: one step of a fixed-point (Q16) PID controller with anti-windup,
 * and a loop that runs it over a buffer of measurements.
 * Stresses: a struct in linear memory (loads/stores at constant offsets),
 * i64 products of Q16 values, clamping with compares/selects, a call in a
 * loop with values live across it (pid_run). */
#include <stdint.h>

typedef struct {
  int32_t kp, ki, kd;       /* gains, Q16 */
  int32_t integral;         /* accumulated error, Q16 */
  int32_t prev_error;
  int32_t out_min, out_max; /* output clamp */
  int32_t int_min, int_max; /* integral clamp (anti-windup) */
} PidState;

static inline int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

__attribute__((noinline)) int32_t pid_step(PidState *s, int32_t setpoint, int32_t measurement) {
  int32_t error = setpoint - measurement;
  int32_t integral = clamp(s->integral + error, s->int_min, s->int_max);
  int32_t derivative = error - s->prev_error;
  int64_t out = (int64_t)s->kp * error + (int64_t)s->ki * integral + (int64_t)s->kd * derivative;
  s->integral = integral;
  s->prev_error = error;
  return clamp((int32_t)(out >> 16), s->out_min, s->out_max);
}

/* Runs n steps; out[i] receives the command for meas[i]; returns the last command. */
int32_t pid_run(PidState *s, int32_t setpoint, const int32_t *meas, int32_t *out, uint32_t n) {
  int32_t last = 0;
  for (uint32_t i = 0; i < n; i++) {
    last = pid_step(s, setpoint, meas[i]);
    out[i] = last;
  }
  return last;
}
