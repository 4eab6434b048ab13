;; live20_i64.wat: twenty live i64 values need pool-grow (LEGACY.md; pinned by
;; the legacy compiler's tests). Pair spilling at base fills the 8-slot area:
;; "i64 spill-slot pool exhausted" triggers neither spill nor param-backing;
;; promotion-off (after any exhaustion) fails the same way; pool-grow reruns
;; everything from base with (depth bound + 4) slots.
;;
;; @live20 trace: rung=base result=exhausted
;; @live20 trace: rung=base [promotion-off] result=exhausted
;; @live20 trace: rung=pool-grow result=ok
;; @live20 error 1: i64 spill-slot pool exhausted
;; @live20 error 2: i64 spill-slot pool exhausted
;; @live20 rung: pool-grow
;; @live20 slots: 24
(module
  (func $live20 (export "live20") (result i64)
    i64.const 1 i64.const 2 i64.const 3 i64.const 4 i64.const 5
    i64.const 6 i64.const 7 i64.const 8 i64.const 9 i64.const 10
    i64.const 11 i64.const 12 i64.const 13 i64.const 14 i64.const 15
    i64.const 16 i64.const 17 i64.const 18 i64.const 19 i64.const 20
    i64.add i64.add i64.add i64.add i64.add i64.add i64.add i64.add i64.add i64.add
    i64.add i64.add i64.add i64.add i64.add i64.add i64.add i64.add i64.add))
