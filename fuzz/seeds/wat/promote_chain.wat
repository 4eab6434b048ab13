;; promote_chain.wat: five promotable locals plus a 15-deep product chain.
;;
;; Stresses: the interaction of local promotion and operand-stack pressure.
;; The legacy allocator promotes the five locals (leaf function; each local's
;; first access is a write, every access is at control depth 0, and each has
;; at least two accesses) to R4..R8 for the whole function, leaving only R0-R3
;; (two of them pinned by the params until their last reads) for a 15-deep
;; operand stack; the spill pool overflows and it needs the promotion-off rung.
;; Expected facts:
;;   promote_chain(a, b): exactly 5 promotable i32 locals $l1..$l5 (no other
;;     locals). The product chain (i32.mul t1 (i32.mul t2 (... (i32.mul t14
;;     t15)))) pushes 15 computed operands t_k = (l_((k-1) mod 5 + 1) op k)
;;     before the first multiply, so the operand stack is 15 deep and 15 temps
;;     plus the 5 locals (read again after the chain) are live at once: peak
;;     >= 20 values. No loops, no calls, no memory.
(module
  (func $promote_chain (export "promote_chain") (param $a i32) (param $b i32) (result i32)
    (local $l1 i32) (local $l2 i32) (local $l3 i32) (local $l4 i32) (local $l5 i32)
    (local.set $l1 (i32.add (local.get $a) (i32.const 1)))
    (local.set $l2 (i32.xor (local.get $b) (i32.const 0x55)))
    (local.set $l3 (i32.mul (local.get $a) (local.get $b)))
    (local.set $l4 (i32.sub (local.get $l1) (local.get $l2)))
    (local.set $l5 (i32.shr_u (local.get $l3) (i32.const 2)))
    (i32.add
      (i32.mul (i32.add (local.get $l1) (i32.const 1))       ;; t1
      (i32.mul (i32.add (local.get $l2) (i32.const 2))       ;; t2
      (i32.mul (i32.add (local.get $l3) (i32.const 3))       ;; t3
      (i32.mul (i32.add (local.get $l4) (i32.const 4))       ;; t4
      (i32.mul (i32.add (local.get $l5) (i32.const 5))       ;; t5
      (i32.mul (i32.xor (local.get $l1) (i32.const 6))       ;; t6
      (i32.mul (i32.xor (local.get $l2) (i32.const 7))       ;; t7
      (i32.mul (i32.xor (local.get $l3) (i32.const 8))       ;; t8
      (i32.mul (i32.xor (local.get $l4) (i32.const 9))       ;; t9
      (i32.mul (i32.xor (local.get $l5) (i32.const 10))      ;; t10
      (i32.mul (i32.or  (local.get $l1) (i32.const 11))      ;; t11
      (i32.mul (i32.or  (local.get $l2) (i32.const 12))      ;; t12
      (i32.mul (i32.or  (local.get $l3) (i32.const 13))      ;; t13
      (i32.mul (i32.or  (local.get $l4) (i32.const 14))      ;; t14
               (i32.or  (local.get $l5) (i32.const 15))))))))))))))))  ;; t15
      (i32.xor (i32.add (local.get $l1) (local.get $l2))
               (i32.add (local.get $l3) (i32.add (local.get $l4) (local.get $l5))))))
)
