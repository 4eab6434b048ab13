;; const_div.wat: four constant unsigned divisions in a control step need the
;; spill rung (LEGACY.md; pinned by the legacy compiler's tests). A division
;; by a constant that is not a power of two becomes a reciprocal multiply:
;; the result, the magic constant and the UMULL high word are live at once
;; while the dividend is held. The params are read at the end (R0-R3 stay
;; reserved, five temps left): at the second division two earlier values
;; are on the stack beside the dividend, 2 + 1 + 3 = 6 > 5. vcr-ra's MIR
;; keeps `udiv` by a constant in a register (one temp for the divisor, one
;; for its zero check) and allocates the function without spilling.
;;
;; @step4 trace: rung=base result=exhausted
;; @step4 trace: rung=spill result=ok
;; @step4 error 1: all allocatable registers are live on the stack
;; @step4 rung: spill
;; $step4_pow2: the same step dividing by powers of two (shifts, no
;; reciprocal multiply): base.
;; @step4_pow2 trace: rung=base result=ok
(module
  (func $step4 (export "step4") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (i32.const 5)
    (i32.div_u (i32.const 1000) (i32.const 10))
    (i32.div_u (i32.add (i32.const 5000) (i32.const 1)) (i32.const 100))
    i32.add i32.add
    (i32.div_u (i32.add (i32.const 7000) (i32.const 3)) (i32.const 3))
    i32.add
    (i32.div_u (i32.const 9999) (i32.const 7))
    i32.add
    (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d)))
    i32.add)
  (func $step4_pow2 (export "step4_pow2") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (i32.const 5)
    (i32.div_u (i32.const 1000) (i32.const 8))
    (i32.div_u (i32.add (i32.const 5000) (i32.const 1)) (i32.const 64))
    i32.add i32.add
    (i32.div_u (i32.add (i32.const 7000) (i32.const 3)) (i32.const 4))
    i32.add
    (i32.div_u (i32.const 9999) (i32.const 2))
    i32.add
    (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d)))
    i32.add))
