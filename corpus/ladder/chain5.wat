;; chain5.wat: a dense 5-local chain needs promotion-off (LEGACY.md; pinned by
;; the legacy compiler's tests). Five locals are promoted to R4-R8 and all are
;; read at the end, so they stay reserved; a 12-deep product chain then has
;; R0-R3 only. The spill rung runs out of its 8 slots; without promotion the
;; locals live in the frame and the chain fits after spilling.
;;
;; @chain5 promoted: 5
;; @chain5 trace: rung=base result=exhausted
;; @chain5 trace: rung=spill result=exhausted
;; @chain5 trace: rung=base [promotion-off] result=exhausted
;; @chain5 trace: rung=spill [promotion-off] result=ok
;; @chain5 error 1: all allocatable registers are live on the stack
;; @chain5 error 2: i64 spill-slot pool exhausted
;; @chain5 rung: promotion-off
(module
  (func $chain5 (export "chain5") (param $x i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32)
    (local.set $a (i32.add (local.get $x) (i32.const 1)))
    (local.set $b (i32.add (local.get $x) (i32.const 2)))
    (local.set $c (i32.add (local.get $x) (i32.const 3)))
    (local.set $d (i32.add (local.get $x) (i32.const 4)))
    (local.set $e (i32.add (local.get $x) (i32.const 5)))
    (i32.mul (i32.const 2) (i32.mul (i32.const 3) (i32.mul (i32.const 5) (i32.mul (i32.const 7)
    (i32.mul (i32.const 11) (i32.mul (i32.const 13) (i32.mul (i32.const 17) (i32.mul (i32.const 19)
    (i32.mul (i32.const 23) (i32.mul (i32.const 29) (i32.mul (i32.const 31) (i32.mul (i32.const 37)
    (i32.mul (i32.const 41) (i32.const 43))))))))))))))
    (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (i32.add (local.get $c) (local.get $d)) (local.get $e)))
    i32.add))
