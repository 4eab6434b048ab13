;; pressure10.wat: ten i32 values live at once.
;;
;; Stresses: pure i32 register pressure above the 9-register pool (R0-R8).
;; Expected facts:
;;   pressure10(a, b): ten distinct values v0..v9 are computed from the params
;;     and left on the operand stack (right-nested adds), then summed. Just
;;     after v9 is pushed, v0..v9 are all live (a and b are dead: v9 holds their
;;     last reads), so the peak live-value count is >= 10 (11-12 while v8/v9
;;     are being computed, when a and b are still live). Operand-stack depth
;;     reaches 10, so the legacy allocator needs the spill rung; a spill is
;;     genuine here (peak > 9).
;;   pressure10_consts(): ten constants pushed then summed (the legacy
;;     "10-constant" pressure shape); result 1+2+...+10 scaled = 0x37 * 0x1111.
;;     A value allocator may rematerialise the constants instead of spilling.
(module
  (func $pressure10 (export "pressure10") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.add (local.get $a) (local.get $b))          ;; v0
    (i32.add (i32.sub (local.get $a) (local.get $b))          ;; v1
    (i32.add (i32.mul (local.get $a) (local.get $b))          ;; v2
    (i32.add (i32.xor (local.get $a) (i32.const 0x5a5a5a5a))  ;; v3
    (i32.add (i32.and (local.get $b) (i32.const 0x0ff0))      ;; v4
    (i32.add (i32.or (local.get $a) (local.get $b))           ;; v5
    (i32.add (i32.shl (local.get $a) (i32.const 3))           ;; v6
    (i32.add (i32.rotl (local.get $b) (local.get $a))         ;; v7
    (i32.add (i32.shr_u (local.get $b) (i32.const 1))         ;; v8
             (i32.add (i32.clz (local.get $a))                ;; v9
                      (i32.popcnt (local.get $b)))))))))))))

  (func $pressure10_consts (export "pressure10_consts") (result i32)
    (i32.add (i32.const 0x1111)
    (i32.add (i32.const 0x2222)
    (i32.add (i32.const 0x3333)
    (i32.add (i32.const 0x4444)
    (i32.add (i32.const 0x5555)
    (i32.add (i32.const 0x6666)
    (i32.add (i32.const 0x7777)
    (i32.add (i32.const 0x8888)
    (i32.add (i32.const 0x9999)
             (i32.const 0xaaaa)))))))))))
)
