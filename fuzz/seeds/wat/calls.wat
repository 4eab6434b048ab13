;; calls.wat: calls with 5, 6 and 7 arguments, i64 arguments and results, an
;; imported function, and values live across calls.
;;
;; Stresses: argument marshalling (R0-R3, then the caller's outgoing stack
;; area; i64 arguments take even-aligned pairs and never straddle R3 and the
;; stack; once an argument goes to the stack no later one back-fills a
;; register), i32 results in R0 and i64 results in R0:R1, the call clobber
;; set (R0-R3, R12, LR) and values that must survive calls (callee-saved
;; R4-R8 or stack slots).
;; Expected facts:
;;   callee5(a,b,c,d,e: i32) -> i32: a..d in R0-R3, e at [sp+0] on entry.
;;   callee6(a: i32, b: i64, c: i32, d: i64, e: i32, f: i32) -> i64:
;;     a in R0, b in R2:R3 (R1 skipped), c, d, e, f on the stack.
;;   callee7(a: i64, b: i32, c: i32, d: i32, e: i64, f: i32, g: i32) -> i32:
;;     a in R0:R1, b in R2, c in R3, d, e, f, g on the stack.
;;   calls(x: i32, y: i64) -> i64: calls callee5, callee6, the import env.ext,
;;     callee7 and callee5 again; r1 and r2 (i64) are live across three calls, and one operand-stack entry (x*x) is live across the call
;;     to callee7 inside an expression. Not a leaf: no local promotion.
;;   call_void(p: i32) -> i32: calls store_pair (no result) twice with p live
;;     across both calls, then loads back the first stored word.
;; None of these functions loops; env.ext is external (any result is fine).
(module
  (import "env" "ext" (func $ext (param i32 i64) (result i32)))
  (memory (export "memory") 1)

  (func $callee5 (export "callee5")
        (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $e i32)
        (result i32)
    (i32.add (i32.mul (local.get $a) (local.get $e))
             (i32.xor (i32.sub (local.get $b) (local.get $c)) (local.get $d))))

  (func $callee6 (export "callee6")
        (param $a i32) (param $b i64) (param $c i32) (param $d i64) (param $e i32) (param $f i32)
        (result i64)
    (i64.add
      (i64.mul (local.get $b) (i64.extend_i32_u (local.get $a)))
      (i64.xor (local.get $d)
               (i64.extend_i32_s
                 (i32.add (local.get $c) (i32.sub (local.get $e) (local.get $f)))))))

  (func $callee7 (export "callee7")
        (param $a i64) (param $b i32) (param $c i32) (param $d i32) (param $e i64) (param $f i32) (param $g i32)
        (result i32)
    (i32.add
      (i32.wrap_i64 (i64.sub (local.get $a) (local.get $e)))
      (i32.add (i32.mul (local.get $b) (local.get $c))
               (i32.xor (local.get $d) (i32.rotl (local.get $f) (local.get $g))))))

  (func $store_pair (export "store_pair") (param $addr i32) (param $v i64)
    (i64.store offset=8 (i32.and (local.get $addr) (i32.const 0xfff0)) (local.get $v)))

  (func $calls (export "calls") (param $x i32) (param $y i64) (result i64)
    (local $r1 i32) (local $r2 i64) (local $r3 i32) (local $r4 i32)
    (local.set $r1
      (call $callee5 (local.get $x) (i32.const 2) (i32.const 3)
                     (i32.wrap_i64 (local.get $y)) (i32.add (local.get $x) (i32.const 5))))
    (local.set $r2
      (call $callee6 (local.get $r1) (local.get $y) (local.get $x)
                     (i64.const 0x1122334455667788) (local.get $r1) (i32.const 6)))
    (local.set $r3 (call $ext (local.get $r1) (local.get $r2)))
    (local.set $r4
      (i32.add
        (i32.mul (local.get $x) (local.get $x))          ;; live across the call
        (call $callee7 (local.get $r2) (local.get $r1) (local.get $r3) (local.get $x)
                       (local.get $y) (i32.const 7) (local.get $r3))))
    (i64.add
      (local.get $r2)
      (i64.extend_i32_u
        (call $callee5 (local.get $r1) (local.get $r3) (local.get $r4)
                       (local.get $x) (i32.wrap_i64 (local.get $r2))))))

  (func $call_void (export "call_void") (param $p i32) (result i32)
    (call $store_pair (local.get $p) (i64.extend_i32_u (local.get $p)))
    (call $store_pair (i32.add (local.get $p) (i32.const 16)) (i64.const -1))
    (i32.load offset=8 (i32.and (local.get $p) (i32.const 0xfff0))))
)
