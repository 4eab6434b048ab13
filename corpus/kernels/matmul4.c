/* matmul4.c: 4x4 int32 matrix multiply and a 4x4 transpose-multiply.
 * Stresses: triple nested loops with three induction variables and three base
 * pointers live at once, row/column address arithmetic, multiply-accumulate. */
#include <stdint.h>

/* c = a * b, all row-major 4x4. */
void matmul4(const int32_t *a, const int32_t *b, int32_t *c) {
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) {
      int32_t acc = 0;
      for (int k = 0; k < 4; k++)
        acc += a[4 * i + k] * b[4 * k + j];
      c[4 * i + j] = acc;
    }
}

/* Returns the trace of a * transpose(a) (the sum of squares), as int64. */
int64_t gram_trace4(const int32_t *a) {
  int64_t trace = 0;
  for (int i = 0; i < 16; i++)
    trace += (int64_t)a[i] * a[i];
  return trace;
}
