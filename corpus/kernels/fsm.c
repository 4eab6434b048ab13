/* fsm.c: a byte-stream tokenizer as a state machine dispatched through
 * function pointers (wasm call_indirect through the table). States: between
 * tokens, in a number, in a word; each handler consumes one byte, updates the
 * counters and returns the next state. The handler array is filled at run
 * time (no data segment) and read through a pointer, so the calls stay
 * indirect. Stresses: call_indirect in a loop with the context pointer, the
 * position and the state live across every call.
 * build-kernels: table */
#include <stdint.h>

struct ctx;
typedef uint32_t (*handler)(struct ctx *c, uint32_t byte);

struct ctx {
  handler h[3];
  uint32_t numbers, words, sum, value, checksum;
};

enum { GAP, NUMBER, WORD };

static uint32_t is_digit(uint32_t b) { return b - '0' < 10u; }
static uint32_t is_alpha(uint32_t b) { return (b | 32u) - 'a' < 26u; }

static uint32_t st_gap(struct ctx *c, uint32_t b) {
  if (is_digit(b)) {
    c->numbers++;
    c->value = b - '0';
    return NUMBER;
  }
  if (is_alpha(b)) {
    c->words++;
    c->checksum = c->checksum * 31u + b;
    return WORD;
  }
  return GAP;
}

static uint32_t st_number(struct ctx *c, uint32_t b) {
  if (is_digit(b)) {
    c->value = c->value * 10u + (b - '0');
    return NUMBER;
  }
  c->sum += c->value;
  return st_gap(c, b);
}

static uint32_t st_word(struct ctx *c, uint32_t b) {
  if (is_alpha(b) || is_digit(b)) {
    c->checksum = (c->checksum ^ b) * 16777619u;
    return WORD;
  }
  return st_gap(c, b);
}

/* Field by field: an initializer list would become a data segment. */
static void init(struct ctx *c) {
  c->h[GAP] = st_gap;
  c->h[NUMBER] = st_number;
  c->h[WORD] = st_word;
  c->numbers = c->words = c->sum = c->value = c->checksum = 0;
}

__attribute__((noinline)) static uint32_t drive(struct ctx *c, const uint8_t *p, uint32_t len) {
  uint32_t s = GAP;
  for (uint32_t i = 0; i < len; i++) s = c->h[s](c, p[i] & 0x7fu);
  return s;
}

/* Tokenize p[0..len): numbers, words, the sum of the numbers and a word
 * checksum folded into one word. */
uint32_t fsm_tokenize(const uint8_t *p, uint32_t len) {
  struct ctx c;
  init(&c);
  if (drive(&c, p, len) == NUMBER) c.sum += c.value;
  return (c.numbers << 24) ^ (c.words << 16) ^ c.sum ^ c.checksum;
}
