;; param_reserve.wat: a parameter's AAPCS register is reserved from entry to
;; its last read, extended to the end of any loop that reads it, and still
;; reserved during the op that makes the last read (its result cannot reuse
;; it). LEGACY.md, "Registers and homes".
;;
;; $released: $a is read first, then nine values are live: R0 is free again.
;; @released trace: rung=base result=ok
;; $late_read: $a is read after the nine values: R0 stays reserved.
;; @late_read trace: rung=base result=exhausted
;; @late_read trace: rung=spill result=ok
;; $during_op: eight constants (R1-R8) and `$a + $a`, the last read of $a: the
;; result needs a register while R0 is still reserved.
;; @during_op trace: rung=base result=exhausted
;; @during_op trace: rung=spill result=ok
;; @during_op error 1: all allocatable registers are live on the stack
;; $loop_read: $a is read in the loop before eight values are live ($n,
;; read at the loop's end, keeps R1): the reservation of R0 extends to the
;; loop's end. $loop_control reads $a before the loop: base.
;; @loop_read trace: rung=base result=exhausted
;; @loop_read trace: rung=spill result=ok
;; @loop_control trace: rung=base result=ok
(module
  (func $released (export "released") (param $a i32) (result i32)
    local.get $a
    drop
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add)
  (func $late_read (export "late_read") (param $a i32) (result i32)
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    local.get $a
    i32.add)
  (func $during_op (export "during_op") (param $a i32) (result i32)
    i32.const 1 i32.const 2 i32.const 3 i32.const 4
    i32.const 5 i32.const 6 i32.const 7 i32.const 8
    local.get $a local.get $a i32.add
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add)
  (func $loop_read (export "loop_read") (param $a i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.and (local.get $a) (i32.const 7))))
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.const 1) (i32.add (i32.const 2) (i32.add (i32.const 3) (i32.add (i32.const 4)
          (i32.add (i32.const 5) (i32.add (i32.const 6) (i32.const 7)))))))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    local.get $s)
  (func $loop_control (export "loop_control") (param $a i32) (param $n i32) (result i32)
    (local $s i32)
    (local.set $s (i32.and (local.get $a) (i32.const 7)))
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.const 1) (i32.add (i32.const 2) (i32.add (i32.const 3) (i32.add (i32.const 4)
          (i32.add (i32.const 5) (i32.add (i32.const 6) (i32.const 7)))))))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    local.get $s))
