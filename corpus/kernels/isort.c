/* isort.c: insertion sort of int32 and of uint64 arrays.
 * Stresses: a loop nest whose inner loop has a data-dependent exit (two
 * conditions), signed/unsigned compares, i64 compares and i64 loads/stores
 * in the 64-bit version. */
#include <stdint.h>

void insertion_sort(int32_t *a, uint32_t n) {
  for (uint32_t i = 1; i < n; i++) {
    int32_t key = a[i];
    uint32_t j = i;
    while (j > 0 && a[j - 1] > key) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = key;
  }
}

void insertion_sort_u64(uint64_t *a, uint32_t n) {
  for (uint32_t i = 1; i < n; i++) {
    uint64_t key = a[i];
    uint32_t j = i;
    while (j > 0 && a[j - 1] > key) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = key;
  }
}
