;; cycle_slots.wat: argument-move cycles broken through spill slots
;; (LEGACY.md, "Calls": through a free R4-R8 register, else a spill slot).
;; Five constants hold R4-R8; the arguments arrive in R1, R0, R3, R2: two
;; cycles, each parked in its own slot (one slot for both once overwrote
;; the first parked value).
;;
;; @two_cycles rung: spill
;; @two_cycles code: sts [sp+20], r0 !spill
;; @two_cycles code: sts [sp+28], r2 !spill
(module
  (func $g (param $w i32) (param $x i32) (param $y i32) (param $z i32) (result i32)
    (i32.add (i32.add (i32.mul (local.get $w) (i32.const 2)) (i32.mul (local.get $x) (i32.const 3)))
             (i32.add (i32.mul (local.get $y) (i32.const 5)) (i32.mul (local.get $z) (i32.const 7)))))
  (func $two_cycles (export "two_cycles") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (i32.const 100) (i32.const 200) (i32.const 300) (i32.const 400) (i32.const 500)
    (call $g (i32.eqz (local.get $a))
             (i32.eqz (i32.eqz (local.get $b)))
             (i32.eqz (local.get $c))
             (i32.const 9))
    i32.add i32.add i32.add i32.add i32.add)
)
