/* fsm_ptr.c: the mode state machine of a motor controller dispatched
 * through two tables of function pointers (wasm call_indirect through the
 * table): one handler per state (OFF, PRECHARGE, RAMP, RUN, FAULT), and a
 * setpoint-shaping function per profile (step, linear ramp, first-order)
 * taking and returning floats. The tables are filled at run time (no data
 * segment) and read through a pointer, so the calls stay indirect.
 * Stresses: call_indirect in a loop with i32 and f32 signatures, the
 * context, the event pointer, the index and the state live across every
 * call, a float result of an indirect call flowing into the next one.
 * build-kernels: float, table */
#include <stdint.h>

struct motor;
typedef uint32_t (*state_fn)(struct motor *m, uint32_t event, float cmd);
typedef float (*shape_fn)(float current, float target, float rate);

enum { OFF, PRECHARGE, RAMP, RUN, FAULT, NSTATES };
enum { EV_NONE, EV_START, EV_STOP, EV_OVERCURRENT, EV_RESET, EV_SETPOINT };

struct motor {
  state_fn state[NSTATES];
  shape_fn shape[3];
  uint32_t profile;      /* index into shape */
  uint32_t ticks;        /* ticks in the current state */
  uint32_t faults;
  float bus_v, speed, target;
};

static float shape_step(float cur, float target, float rate) {
  (void)cur;
  (void)rate;
  return target;
}

static float shape_linear(float cur, float target, float rate) {
  float d = target - cur;
  if (d > rate) d = rate;
  if (d < -rate) d = -rate;
  return cur + d;
}

static float shape_lag(float cur, float target, float rate) { return cur + (target - cur) * (rate * 0.01f); }

static uint32_t st_off(struct motor *m, uint32_t ev, float cmd) {
  (void)cmd;
  m->speed = 0.0f;
  return ev == EV_START ? PRECHARGE : OFF;
}

static uint32_t st_precharge(struct motor *m, uint32_t ev, float cmd) {
  (void)cmd;
  if (ev == EV_STOP) return OFF;
  m->bus_v += (48.0f - m->bus_v) * 0.25f;
  return m->bus_v > 45.0f ? RAMP : PRECHARGE;
}

static uint32_t st_ramp(struct motor *m, uint32_t ev, float cmd) {
  if (ev == EV_STOP) return OFF;
  if (ev == EV_OVERCURRENT) return FAULT;
  if (ev == EV_SETPOINT) m->target = cmd;
  m->speed = m->shape[m->profile](m->speed, m->target, 50.0f);
  float e = m->target - m->speed;
  return (e < 1.0f && e > -1.0f) ? RUN : RAMP;
}

static uint32_t st_run(struct motor *m, uint32_t ev, float cmd) {
  if (ev == EV_SETPOINT) {
    m->target = cmd;
    return RAMP;
  }
  if (ev == EV_OVERCURRENT) return FAULT;
  return ev == EV_STOP ? OFF : RUN;
}

static uint32_t st_fault(struct motor *m, uint32_t ev, float cmd) {
  (void)cmd;
  if (m->ticks == 0) m->faults++;
  m->speed = m->shape[2](m->speed, 0.0f, 20.0f);
  return ev == EV_RESET && m->speed < 10.0f ? OFF : FAULT;
}

/* Field by field: an initializer list would become a data segment. */
__attribute__((noinline)) void motor_init(struct motor *m, uint32_t profile) {
  m->state[OFF] = st_off;
  m->state[PRECHARGE] = st_precharge;
  m->state[RAMP] = st_ramp;
  m->state[RUN] = st_run;
  m->state[FAULT] = st_fault;
  m->shape[0] = shape_step;
  m->shape[1] = shape_linear;
  m->shape[2] = shape_lag;
  m->profile = profile % 3;
  m->ticks = m->faults = 0;
  m->bus_v = m->speed = m->target = 0.0f;
}

/* One tick: the handler of state s on event ev with command cmd; returns
 * the next state (a state out of range is a fault). */
__attribute__((noinline)) uint32_t motor_tick(struct motor *m, uint32_t s, uint32_t ev, float cmd) {
  if (s >= NSTATES) s = FAULT;
  uint32_t next = m->state[s](m, ev, cmd);
  m->ticks = next == s ? m->ticks + 1 : 0;
  return next;
}

/* Runs n events from a stream of 4-byte records (event kind in the low 3
 * bits of byte 0, mod 6; an int16 speed command in bytes 2..3) with profile
 * p; returns the final state, the fault count and the speed packed into one
 * word. */
uint32_t fsm_ptr_run(struct motor *m, const uint8_t *ev, uint32_t n, uint32_t profile) {
  motor_init(m, profile);
  uint32_t s = OFF;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *r = ev + 4 * i;
    uint32_t kind = (r[0] & 7u) % 6u;
    int16_t raw = (int16_t)(r[2] | (r[3] << 8));
    s = motor_tick(m, s, kind, (float)raw * (3000.0f / 32768.0f));
  }
  float sp = m->speed < 0.0f ? -m->speed : m->speed;
  if (!(sp < 65535.0f)) sp = 65535.0f;
  return (s << 28) | ((m->faults & 0xfffu) << 16) | (uint32_t)sp;
}
