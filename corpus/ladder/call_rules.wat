;; call_rules.wat: the legacy call rules (LEGACY.md, "Calls" and "Registers and
;; homes").
;;
;; $backed: in a function with calls every parameter that is read is stored
;; to the frame at entry, at every rung (here: base).
;; @backed trace: rung=base result=ok
;; @backed code: sts [sp+20], r0 !frame
;; @backed code: sts [sp+24], r1 !frame
;; $park64: an i64 call result is always parked in a spill slot; the 5-word
;; save area (R0-R3, R12) puts the first spill slot at [sp+20].
;; @park64 trace: rung=base result=ok
;; @park64 code: sts [sp+20], r0 !spill
;; @park64 code: sts [sp+24], r1 !spill
;; $cycle_r4: the arguments arrive swapped (R1, R0): the cycle is broken
;; through a free R4-R8 register.
;; @cycle_r4 trace: rung=base result=ok
;; @cycle_r4 code: mov r4, r0 !move
;; $cycle_full: the same cycle with R2-R8 holding stack values: no free R4-R8
;; and no spill slot at base ("all allocatable registers are live"); the
;; spill rung breaks it through a slot.
;; @cycle_full trace: rung=base result=exhausted
;; @cycle_full trace: rung=spill result=ok
;; @cycle_full error 1: all allocatable registers are live on the stack
(module
  (func $g (param $x i32) (param $y i32) (result i32)
    (i32.sub (local.get $x) (i32.mul (local.get $y) (i32.const 3))))
  (func $h64 (param $x i32) (result i64)
    (i64.mul (i64.extend_i32_u (local.get $x)) (i64.const 0x100000001)))
  (func $backed (export "backed") (param $a i32) (param $b i32) (result i32)
    (i32.add (call $g (local.get $a) (local.get $b)) (local.get $a)))
  (func $park64 (export "park64") (param $a i32) (result i64)
    (i64.add (call $h64 (local.get $a)) (i64.const 5)))
  ;; one param: the cursor starts at R1; 7 takes R1; the clz tree walks the
  ;; cursor R2..R8 and its result wraps to R0.
  (func $cycle_r4 (export "cycle_r4") (param $p i32) (result i32)
    (call $g (i32.const 7) (i32.clz (i32.add (i32.add (i32.const 2) (i32.const 3)) (i32.add (i32.const 4) (i32.const 5))))))
  ;; two params: seven values take R2-R8; the clz moves the cursor to R1; the
  ;; second argument wraps to R0.
  (func $cycle_full (export "cycle_full") (param $p i32) (param $q i32) (result i32)
    (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7)
    (call $g (i32.clz (i32.const 5)) (i32.const 6))
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add))
