;; tee_read.wat: `local.tee` counts as a read of a parameter: its register
;; stays reserved up to the tee (LEGACY.md, "Registers and homes").
;;
;; $tee_late: $a is read first, then nine values are live, then written by a
;; tee whose value is dropped: R0 is still reserved while the nine are live.
;; @tee_late trace: rung=base result=exhausted
;; @tee_late trace: rung=spill result=ok
;; $set_late: the same with local.set (a write, not a read): R0 is free.
;; @set_late trace: rung=base result=ok
(module
  (func $tee_late (export "tee_late") (param $a i32) (result i32)
    (drop (local.get $a))
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    (drop (local.tee $a (i32.const 3))))
  (func $set_late (export "set_late") (param $a i32) (result i32)
    (drop (local.get $a))
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    (local.set $a (i32.const 3))))
