;; i64_live20.wat: twenty i64 values live at once.
;;
;; Stresses: i64 pressure far above the pool: 20 i64 values are 40 words
;; against 9 registers, so most of them must live in stack slots. The legacy
;; allocator exhausts its default 8-slot spill pool and needs the pool-grow
;; rung (operand-stack depth bound 20 i64 entries).
;; Expected facts:
;;   i64_live20(a, b): twenty distinct i64 values e0..e19 computed from the
;;     params are pushed (right-nested binary ops), so just after e19 is
;;     computed all 20 are live (peak >= 20 i64 values = 40 words; a and b are
;;     still live up to e19, their last reads). Then they are folded with
;;     add/xor/sub/or/and. Leaf function, no memory, no loops.
(module
  (func $i64_live20 (export "i64_live20") (param $a i64) (param $b i64) (result i64)
    (i64.add (i64.mul (local.get $a) (i64.const 3))  ;; e0
    (i64.xor (i64.add (local.get $b) (i64.const 0x1234567890))  ;; e1
    (i64.sub (i64.shl (local.get $a) (i64.const 5))  ;; e2
    (i64.or (i64.shr_u (local.get $b) (i64.const 3))  ;; e3
    (i64.add (i64.rotl (local.get $a) (i64.const 17))  ;; e4
     (i64.xor (i64.xor (local.get $b) (i64.const -1))  ;; e5
     (i64.sub (i64.sub (local.get $a) (local.get $b))  ;; e6
     (i64.and (i64.mul (local.get $b) (i64.const 0x9e3779b97f4a7c15))  ;; e7
     (i64.add (i64.or (local.get $a) (i64.const 0x100))  ;; e8
      (i64.xor (i64.shr_s (local.get $b) (i64.const 13))  ;; e9
      (i64.add (i64.rotr (local.get $b) (i64.const 29))  ;; e10
      (i64.xor (i64.and (local.get $a) (i64.const 0xffff0000ffff))  ;; e11
      (i64.sub (i64.add (local.get $a) (local.get $b))  ;; e12
       (i64.or (i64.clz (local.get $a))  ;; e13
       (i64.add (i64.ctz (local.get $b))  ;; e14
       (i64.xor (i64.popcnt (local.get $a))  ;; e15
       (i64.sub (i64.mul (local.get $a) (local.get $b))  ;; e16
        (i64.and (i64.extend_i32_s (i32.wrap_i64 (local.get $b)))  ;; e17
        (i64.add (i64.extend32_s (local.get $a))  ;; e18
        (i64.extend_i32_u (i64.eqz (local.get $b)))))))))))))))))))))))
)
