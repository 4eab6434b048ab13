;; promote_wasm_counts.wat: promotion's depth and access counts are taken on
;; the wasm operators, not on vcr-ra's MIR (LEGACY.md, "Registers and homes").
;;
;; $tee_once: one `local.tee` is one access (MIR sees a write and a read).
;; @tee_once promoted: 0
;; $in_block: accesses inside a `block` are at depth 1 although the block has
;; no branch (MIR puts them in the entry block).
;; @in_block promoted: 0
;; $top: written then read at depth 0: promoted.
;; @top promoted: 1
;; $first_read: read before its first write: not promoted.
;; @first_read promoted: 0
;; $with_call: not a leaf: nothing is promoted.
;; @with_call promoted: 0
(module
  (func $tee_once (export "tee_once") (param $x i32) (result i32)
    (local $t i32)
    (i32.add (local.tee $t (i32.mul (local.get $x) (i32.const 3))) (i32.const 1)))
  (func $in_block (export "in_block") (param $x i32) (result i32)
    (local $t i32)
    (block
      (local.set $t (i32.mul (local.get $x) (i32.const 3)))
      (local.set $t (i32.add (local.get $t) (i32.const 1))))
    (i32.const 7))
  (func $top (export "top") (param $x i32) (result i32)
    (local $t i32)
    (local.set $t (i32.mul (local.get $x) (i32.const 3)))
    (i32.add (local.get $t) (i32.const 1)))
  (func $first_read (export "first_read") (param $x i32) (result i32)
    (local $t i32)
    (local.set $t (i32.add (local.get $t) (local.get $x)))
    (i32.add (local.get $t) (i32.const 1)))
  (func $with_call (export "with_call") (param $x i32) (result i32)
    (local $t i32)
    (local.set $t (call $top (local.get $x)))
    (i32.add (local.get $t) (i32.const 1))))
