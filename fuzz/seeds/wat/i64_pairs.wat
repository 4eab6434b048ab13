;; i64_pairs.wat: i64-heavy code that exhausts consecutive register pairs.
;;
;; Stresses: register pairs. The legacy allocator keeps an i64 in a
;; consecutive pair Rn:Rn+1 and reserves the param homes; with R0 (x) and
;; R2:R3 (a) reserved and b arriving on the caller's stack, the seven i64
;; temporaries below need seven pairs (14 words), so it fails with "no
;; consecutive pair of free registers for i64" and needs the param
;; frame-backing rung. Thumb-2 itself has no pair constraint away from ABI
;; boundaries.
;; Expected facts:
;;   i64_pairs(x: i32, a: i64, b: i64) -> i64. AAPCS: x in R0, a in R2:R3
;;     (even-aligned pair, R1 left unused), b on the caller's stack (a pair
;;     never straddles R3 and the stack).
;;     t0..t6 are seven distinct i64 values pushed at once (right-nested), so
;;     peak live = 7 i64 temps + a, b (i64) + x = 19 words; more than 4
;;     consecutive pairs are needed at that point. a, b and x stay live after
;;     the chain (they are read again in the final combine).
;;   i64_fragment(x: i32, a: i64) -> i64: the operand stack alternates i64 and
;;     i32 entries (i64, i32, i64, i32, ...), which fragments a round-robin
;;     pair allocator: peak 4 i64 + 4 i32 temps + params = 15 words.
(module
  (func $i64_pairs (export "i64_pairs") (param $x i32) (param $a i64) (param $b i64) (result i64)
    (i64.add
      (i64.add (i64.mul (local.get $a) (local.get $b))                           ;; t0
      (i64.xor (i64.shl (local.get $a) (i64.const 7))                            ;; t1
      (i64.sub (i64.rotl (local.get $b) (i64.extend_i32_u (local.get $x)))       ;; t2
      (i64.or  (i64.extend_i32_s (local.get $x))                                 ;; t3
      (i64.add (i64.shr_u (local.get $a) (i64.const 11))                         ;; t4
      (i64.mul (i64.sub (local.get $b) (i64.const 0x0123456789abcdef))           ;; t5
               (i64.xor (local.get $a) (local.get $b)))))))) ;; t6
      (i64.xor (i64.add (local.get $a) (local.get $b))
               (i64.extend_i32_u (local.get $x)))))

  (func $i64_fragment (export "i64_fragment") (param $x i32) (param $a i64) (result i64)
    (i64.add (i64.mul (local.get $a) (i64.const 5))                              ;; i64 #1
     (i64.extend_i32_u
      (i32.add (i32.mul (local.get $x) (i32.const 3))                            ;; i32 #1
       (i32.wrap_i64
        (i64.xor (i64.shl (local.get $a) (i64.const 3))                          ;; i64 #2
         (i64.extend_i32_s
          (i32.xor (i32.rotl (local.get $x) (i32.const 5))                       ;; i32 #2
           (i32.wrap_i64
            (i64.sub (i64.rotr (local.get $a) (i64.const 9))                     ;; i64 #3
             (i64.extend_i32_u
              (i32.or (i32.clz (local.get $x))                                   ;; i32 #3
               (i32.wrap_i64
                (i64.add (i64.popcnt (local.get $a))                             ;; i64 #4
                 (i64.extend_i32_u
                  (i32.sub (i32.shr_u (local.get $x) (i32.const 2))              ;; i32 #4
                           (i32.wrap_i64 (local.get $a))))))))))))))))))
)
