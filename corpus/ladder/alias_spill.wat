;; alias_spill.wat: spill victims are the deepest stack entries, including
;; aliases of parameter homes: spilling one spends a slot and frees nothing
;; (LEGACY.md, "i64").
;;
;; $alias_deepest: the alias of $a (R0) is the deepest entry under nine
;; constants; the spill rung stores it first (wasted), then the first
;; constant, whose register takes the ninth.
;; @alias_deepest trace: rung=base result=exhausted
;; @alias_deepest trace: rung=spill result=ok
;; @alias_deepest code: sts [sp+0], r0 !spill
;; @alias_deepest code: sts [sp+8], r1 !spill
;; $aliases8: eight aliases of the four params under six constants: the
;; spill rung spends all eight slots on them and has none left for a
;; constant: "pool exhausted", then promotion-off and pool-grow.
;; @aliases8 trace: rung=base result=exhausted
;; @aliases8 trace: rung=spill result=exhausted
;; @aliases8 trace: rung=base [promotion-off] result=exhausted
;; @aliases8 trace: rung=spill [promotion-off] result=exhausted
;; @aliases8 trace: rung=pool-grow result=exhausted
;; @aliases8 trace: rung=pool-grow+spill result=ok
;; @aliases8 error 2: i64 spill-slot pool exhausted
;; @aliases8 slots: 18
;; @aliases8 code: sts [sp+0], r0 !spill
;; @aliases8 code: sts [sp+24], r3 !spill
(module
  (func $alias_deepest (export "alias_deepest") (param $a i32) (result i32)
    local.get $a
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add)
  (func $aliases8 (export "aliases8") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    local.get $a local.get $b local.get $c local.get $d
    local.get $a local.get $b local.get $c local.get $d
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5 i32.const 6
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    i32.add i32.add i32.add i32.add i32.add i32.add))
