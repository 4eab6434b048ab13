;; i64_pair_spill_base.wat: pair allocation spills already at the base rung,
;; into the 8-slot, 8-byte spill area every function with an i64 op has
;; (LEGACY.md, "i64"). Five live i64 values need ten registers: the fifth pair
;; spills the deepest entry and the function compiles at base, with spill code.
;;
;; @five trace: rung=base result=ok
;; @five rung: base
;; @five code: !spill
;; @five code: !reload
(module
  (func $five (export "five") (result i64)
    i64.const 1 i64.const 2 i64.const 3 i64.const 4 i64.const 5
    i64.add i64.add i64.add i64.add))
