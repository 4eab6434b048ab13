;; deep_expr.wat: deep expression trees.
;;
;; Stresses: operand-stack depth and the order of evaluation; register
;; pressure that comes from tree shape rather than from locals. A balanced
;; binary tree of depth d needs d+1 stack entries at once (Sethi-Ullman
;; number d+1); a right-deep chain of n needs n.
;; Expected facts:
;;   tree32(a, b, c, d): balanced binary tree of depth 5 (32 leaves, 31 inner
;;     nodes of add/xor/sub/mul/or/and/rotl/shr_u); operand-stack depth 6
;;     (+1 while a leaf's constant is pushed, if it is not an immediate); the
;;     4 params stay live until the last leaves read them, so the peak is
;;     about 6 temps + 4 params = 10 values (a genuine spill at 9 registers).
;;   tree64(x, y): balanced i64 tree of depth 4 (16 leaves): stack depth 5
;;     i64 entries, peak 5 i64 temps + 2 i64 params = 14 words.
;;   chain25(a, b): right-deep chain of 25 nodes mixing add/mul/xor/sub with a
;;     select + compare every 5th node: operand-stack depth ~26 i32, peak live
;;     well above 9 (the stack entries are all distinct computed values).
;;   cmp_mix(a, b): every comparison (eqz, eq, ne, lt/gt/le/ge signed and
;;     unsigned) and the unary ops (clz, ctz, popcnt, extend8_s, extend16_s)
;;     summed into one value.
(module
  (func $tree32 (export "tree32") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (i32.xor
      (i32.or
        (i32.shr_u
          (i32.sub
            (i32.and
              (i32.add (local.get $b) (i32.const 5907))
              (i32.add (local.get $c) (i32.const 46410)))
            (i32.add
              (i32.add (local.get $a) (i32.const 61880))
              (i32.add (local.get $b) (i32.const 36847))))
          (i32.mul
            (i32.rotl
              (i32.add (local.get $a) (i32.const 27284))
              (i32.add (local.get $b) (i32.const 2251)))
            (i32.xor
              (i32.add (local.get $d) (i32.const 17721))
              (i32.add (local.get $a) (i32.const 58224)))))
        (i32.or
          (i32.shr_u
            (i32.sub
              (i32.add (local.get $a) (i32.const 23628))
              (i32.add (local.get $b) (i32.const 64131)))
            (i32.and
              (i32.add (local.get $d) (i32.const 14065))
              (i32.add (local.get $a) (i32.const 54568))))
          (i32.add
            (i32.mul
              (i32.add (local.get $d) (i32.const 45005))
              (i32.add (local.get $a) (i32.const 19972)))
            (i32.rotl
              (i32.add (local.get $c) (i32.const 35442))
              (i32.add (local.get $d) (i32.const 10409))))))
      (i32.xor
        (i32.or
          (i32.shr_u
            (i32.sub
              (i32.add (local.get $a) (i32.const 16316))
              (i32.add (local.get $b) (i32.const 56819)))
            (i32.and
              (i32.add (local.get $d) (i32.const 6753))
              (i32.add (local.get $a) (i32.const 47256))))
          (i32.add
            (i32.mul
              (i32.add (local.get $d) (i32.const 37693))
              (i32.add (local.get $a) (i32.const 12660)))
            (i32.rotl
              (i32.add (local.get $c) (i32.const 28130))
              (i32.add (local.get $d) (i32.const 3097)))))
        (i32.xor
          (i32.or
            (i32.shr_u
              (i32.add (local.get $d) (i32.const 34037))
              (i32.add (local.get $a) (i32.const 9004)))
            (i32.sub
              (i32.add (local.get $c) (i32.const 24474))
              (i32.add (local.get $d) (i32.const 64977))))
          (i32.and
            (i32.add
              (i32.add (local.get $c) (i32.const 55414))
              (i32.add (local.get $d) (i32.const 30381)))
            (i32.mul
              (i32.add (local.get $b) (i32.const 45851))
              (i32.add (local.get $c) (i32.const 20818))))))))

  (func $tree64 (export "tree64") (param $x i64) (param $y i64) (result i64)
    (i64.xor
      (i64.mul
        (i64.add
          (i64.or
            (i64.xor (local.get $x) (i64.const 67110477))
            (i64.xor (local.get $y) (i64.const 83888096)))
          (i64.rotl
            (i64.xor (local.get $y) (i64.const 117443334))
            (i64.xor (local.get $x) (i64.const 134220953))))
        (i64.sub
          (i64.xor
            (i64.xor (local.get $y) (i64.const 184553810))
            (i64.xor (local.get $x) (i64.const 201331429)))
          (i64.mul
            (i64.xor (local.get $x) (i64.const 234886667))
            (i64.xor (local.get $y) (i64.const 251664286)))))
      (i64.add
        (i64.or
          (i64.rotl
            (i64.xor (local.get $y) (i64.const 318774762))
            (i64.xor (local.get $x) (i64.const 335552381)))
          (i64.sub
            (i64.xor (local.get $x) (i64.const 369107619))
            (i64.xor (local.get $y) (i64.const 385885238))))
        (i64.xor
          (i64.mul
            (i64.xor (local.get $x) (i64.const 436218095))
            (i64.xor (local.get $y) (i64.const 452995714)))
          (i64.add
            (i64.xor (local.get $y) (i64.const 486550952))
            (i64.xor (local.get $x) (i64.const 503328571)))))))

  (func $chain25 (export "chain25") (param $a i32) (param $b i32) (result i32)
      (i32.add (i32.add (local.get $b) (i32.const 1))
      (i32.mul (i32.xor (local.get $b) (i32.const 2))
      (i32.xor (i32.or (local.get $b) (i32.const 3))
      (i32.sub (i32.and (local.get $b) (i32.const 4))
      (select (i32.add (local.get $b) (i32.const 4))
      (i32.mul (i32.xor (local.get $b) (i32.const 6))
      (i32.xor (i32.or (local.get $b) (i32.const 7))
      (i32.sub (i32.and (local.get $b) (i32.const 8))
      (i32.add (i32.add (local.get $b) (i32.const 9))
      (select (i32.add (local.get $b) (i32.const 9))
      (i32.xor (i32.or (local.get $b) (i32.const 11))
      (i32.sub (i32.and (local.get $b) (i32.const 12))
      (i32.add (i32.add (local.get $b) (i32.const 13))
      (i32.mul (i32.xor (local.get $b) (i32.const 14))
      (select (i32.add (local.get $b) (i32.const 14))
      (i32.sub (i32.and (local.get $b) (i32.const 16))
      (i32.add (i32.add (local.get $b) (i32.const 17))
      (i32.mul (i32.xor (local.get $b) (i32.const 18))
      (i32.xor (i32.or (local.get $b) (i32.const 19))
      (select (i32.add (local.get $b) (i32.const 19))
      (i32.add (i32.add (local.get $b) (i32.const 21))
      (i32.mul (i32.xor (local.get $b) (i32.const 22))
      (i32.xor (i32.or (local.get $b) (i32.const 23))
      (i32.sub (i32.and (local.get $b) (i32.const 24))
      (select (i32.add (local.get $b) (i32.const 24))
      (local.get $a)
      (i32.lt_s (local.get $a) (i32.const 168)))))))
      (i32.gt_u (local.get $a) (i32.const 133)))))))
      (i32.le_u (local.get $a) (i32.const 98)))))))
      (i32.ge_s (local.get $a) (i32.const 63)))))))
      (i32.eq (local.get $a) (i32.const 28))))))))

  (func $cmp_mix (export "cmp_mix") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.eqz (local.get $a))
    (i32.add (i32.shl (i32.eq (local.get $a) (local.get $b)) (i32.const 1))
    (i32.add (i32.shl (i32.ne (local.get $a) (local.get $b)) (i32.const 2))
    (i32.add (i32.shl (i32.lt_s (local.get $a) (local.get $b)) (i32.const 3))
    (i32.add (i32.shl (i32.lt_u (local.get $a) (local.get $b)) (i32.const 4))
    (i32.add (i32.shl (i32.gt_s (local.get $a) (local.get $b)) (i32.const 5))
    (i32.add (i32.shl (i32.gt_u (local.get $a) (local.get $b)) (i32.const 6))
    (i32.add (i32.shl (i32.le_s (local.get $a) (local.get $b)) (i32.const 7))
    (i32.add (i32.shl (i32.le_u (local.get $a) (local.get $b)) (i32.const 8))
    (i32.add (i32.shl (i32.ge_s (local.get $a) (local.get $b)) (i32.const 9))
    (i32.add (i32.shl (i32.ge_u (local.get $a) (local.get $b)) (i32.const 10))
    (i32.add (i32.shl (i64.lt_s (i64.extend_i32_s (local.get $a)) (i64.extend_i32_u (local.get $b))) (i32.const 11))
    (i32.add (i32.shl (i32.clz (local.get $a)) (i32.const 12))
    (i32.add (i32.shl (i32.ctz (local.get $b)) (i32.const 18))
    (i32.add (i32.shl (i32.popcnt (local.get $a)) (i32.const 24))
    (i32.add (i32.extend8_s (local.get $b))
             (i32.extend16_s (local.get $a)))))))))))))))))))
)
