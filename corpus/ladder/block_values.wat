;; block_values.wat: values that cross a wasm block boundary stay in
;; registers; a block-result register is reserved across the block; nothing
;; goes to the frame at block edges (LEGACY.md, "Registers and homes").
;;
;; $small: a value below an `if` and the if's result cross the block edges
;; in registers: no frame traffic at all.
;; @small trace: rung=base result=ok
;; @small nocode: !frame
;; $held_across: the value below the `if` (R1) and the result register stay
;; reserved while the then-arm has eight values live: 2 + 8 > 9.
;; @held_across trace: rung=base result=exhausted
;; @held_across trace: rung=spill result=ok
;; $nothing_below: the same arm without the value below: 1 + 8 = 9.
;; @nothing_below trace: rung=base result=ok
;; $pair_small: an i64 below an `if` and the i64 result: register pairs
;; across the edges, no frame traffic.
;; @pair_small trace: rung=base result=ok
;; @pair_small nocode: !frame
(module
  (func $small (export "small") (param $a i32) (result i32)
    (i32.const 100)
    (if (result i32) (local.get $a) (then (i32.const 1)) (else (i32.const 2)))
    i32.add)
  (func $held_across (export "held_across") (param $a i32) (result i32)
    (i32.const 100)
    (if (result i32) (local.get $a)
      (then
        i32.const 1 i32.const 2 i32.const 3 i32.const 4
        i32.const 5 i32.const 6 i32.const 7 i32.const 8
        i32.add i32.add i32.add i32.add i32.add i32.add i32.add)
      (else (i32.const 2)))
    i32.add)
  (func $nothing_below (export "nothing_below") (param $a i32) (result i32)
    (if (result i32) (local.get $a)
      (then
        i32.const 1 i32.const 2 i32.const 3 i32.const 4
        i32.const 5 i32.const 6 i32.const 7 i32.const 8
        i32.add i32.add i32.add i32.add i32.add i32.add i32.add)
      (else (i32.const 2))))
  (func $pair_small (export "pair_small") (param $a i32) (result i64)
    (i64.const 100)
    (if (result i64) (local.get $a) (then (i64.const 1)) (else (i64.const 0x100000000)))
    i64.add))
