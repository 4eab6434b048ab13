;; bulk_inline.wat: memory.copy and memory.fill are inline byte loops in the
;; legacy compiler (LEGACY.md, "Other operators"): a function whose only
;; "calls" are these stays a leaf for the legacy rules (its eligible locals
;; are promoted, its parameters stay in R0-R3, not frame-backed), and the
;; loop needs a byte temp while its three operands are held. The model's
;; code keeps vcr-ra's call of the routine, saving the live caller-saved
;; registers (the parameter homes) around it.
;;
;; $fill_leaf: a leaf: $sum is promoted to R4, $p and $n stay in R0, R1
;; (saved around the routine call, since they are read after it).
;; @fill_leaf trace: rung=base result=ok
;; @fill_leaf promoted: 1
;; @fill_leaf nocode: !frame
;; $copy_called: a real call makes it no leaf: nothing is promoted and the
;; parameters that are read are frame-backed.
;; @copy_called promoted: 0
;; @copy_called code: !frame
;; $byte_temp: six constants and the three operands take all nine temps:
;; the byte temp finds none at base; the spill rung spills the deepest.
;; @byte_temp trace: rung=base result=exhausted
;; @byte_temp trace: rung=spill result=ok
;; @byte_temp error 1: all allocatable registers are live on the stack
(module
  (memory 1)
  (func $id (param $x i32) (result i32) (local.get $x))
  (func $fill_leaf (export "fill_leaf") (param $p i32) (param $n i32) (result i32) (local $sum i32)
    (local.set $sum (i32.const 3))
    (memory.fill (i32.and (local.get $p) (i32.const 0x7fff)) (i32.const 0x5a) (i32.and (local.get $n) (i32.const 255)))
    (local.set $sum (i32.add (local.get $sum) (i32.load8_u (i32.and (local.get $p) (i32.const 0x7fff)))))
    (i32.add (local.get $sum) (local.get $n)))
  (func $copy_called (export "copy_called") (param $p i32) (param $n i32) (result i32) (local $sum i32)
    (local.set $sum (call $id (i32.const 3)))
    (memory.copy (i32.and (local.get $p) (i32.const 0x7fff)) (i32.const 64) (i32.and (local.get $n) (i32.const 255)))
    (local.set $sum (i32.add (local.get $sum) (local.get $n)))
    (i32.add (local.get $sum) (local.get $p)))
  (func $byte_temp (export "byte_temp") (result i32)
    (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)
    (memory.fill (i32.const 100) (i32.const 7) (i32.const 8))
    i32.add i32.add i32.add i32.add i32.add))
