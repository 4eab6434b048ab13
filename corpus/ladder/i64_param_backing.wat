;; i64_param_backing.wat: a high-pressure i64 function reaches param-backing
;; straight from base (LEGACY.md; pinned by the legacy compiler's tests). Its
;; four i32 params are read at the end, so R0-R3 stay reserved; the pairs
;; left are R4:R5 and R6:R7. At the i64.mul both operand pairs are held and
;; the result pair must be disjoint from them: no pair can be freed (the
;; operands cannot move), so the base attempt itself fails with "no
;; consecutive pair" and spill is skipped. Param-backing frees R0-R3.
;;
;; @pairs trace: rung=base result=exhausted
;; @pairs trace: rung=param-backing result=ok
;; @pairs error 1: no consecutive pair of free registers for i64
;; @pairs rung: param-backing
;; $pairs_i64_param: the same pressure with an i64 parameter in R0:R1: the
;; param-backing rung is skipped with a non-exhaustion error (no log line).
;; @pairs_i64_param trace: rung=base result=exhausted
;; @pairs_i64_param rung: exhausted
;; @pairs_i64_param error: param-backing skipped: an i64 or f64 parameter is held in registers
(module
  (func $pairs (export "pairs") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i64)
    (i64.mul (i64.extend_i32_u (i32.const 12345)) (i64.extend_i32_s (i32.const -77)))
    (i64.extend_i32_u (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d))))
    i64.add)
  (func $pairs_i64_param (export "pairs_i64_param") (param $w i64) (param $c i32) (param $d i32) (result i64)
    (i64.mul (i64.extend_i32_u (i32.const 12345)) (i64.extend_i32_s (i32.const -77)))
    (i64.add (local.get $w) (i64.extend_i32_u (i32.add (local.get $c) (local.get $d))))
    i64.add))
