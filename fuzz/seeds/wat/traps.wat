;; traps.wat: every trap the integer subset can raise.
;;
;; Stresses: trap semantics that must survive register allocation: division
;; and remainder by zero, signed overflow of division (INT_MIN / -1), the
;; unreachable instruction, out-of-bounds loads and stores (including an
;; offset that pushes an in-range address out of range), and the i64 forms.
;; A trap must happen at the same point with the same memory effects before
;; it (the store in store_then_trap happens, the second one does not).
;; Expected facts:
;;   div_s(a, b)    traps when b == 0 or (a == INT_MIN and b == -1)
;;   div_u(a, b)    traps when b == 0
;;   rem_s(a, b)    traps when b == 0 (INT_MIN rem_s -1 = 0, no trap)
;;   rem_u(a, b)    traps when b == 0
;;   div64_s(a, b)  i64: traps when b == 0 or (a == INT64_MIN and b == -1)
;;   rem64_u(a, b)  i64: traps when b == 0
;;   unreachable_if(x): traps when x != 0, else returns 1
;;   load_at(addr): i32.load at addr: traps when addr > 65532 (unsigned)
;;   load_offset(addr): i32.load offset=65530: traps when addr > 2
;;   store_then_trap(addr, v): stores v at [addr & 0xfffc] (never traps),
;;     then stores at [addr + 65536] (always traps: addr + offset >= 64 KiB)
;;   load64_at(addr): i64.load: traps when addr > 65528
(module
  (memory (export "memory") 1)

  (func $div_s (export "div_s") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func $div_u (export "div_u") (param $a i32) (param $b i32) (result i32)
    (i32.div_u (local.get $a) (local.get $b)))
  (func $rem_s (export "rem_s") (param $a i32) (param $b i32) (result i32)
    (i32.rem_s (local.get $a) (local.get $b)))
  (func $rem_u (export "rem_u") (param $a i32) (param $b i32) (result i32)
    (i32.rem_u (local.get $a) (local.get $b)))
  (func $div64_s (export "div64_s") (param $a i64) (param $b i64) (result i64)
    (i64.div_s (local.get $a) (local.get $b)))
  (func $rem64_u (export "rem64_u") (param $a i64) (param $b i64) (result i64)
    (i64.rem_u (local.get $a) (local.get $b)))

  (func $unreachable_if (export "unreachable_if") (param $x i32) (result i32)
    (if (local.get $x) (then unreachable))
    (i32.const 1))

  (func $load_at (export "load_at") (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  (func $load_offset (export "load_offset") (param $addr i32) (result i32)
    (i32.load offset=65530 (local.get $addr)))
  (func $store_then_trap (export "store_then_trap") (param $addr i32) (param $v i32)
    (i32.store (i32.and (local.get $addr) (i32.const 0xfffc)) (local.get $v))
    (i32.store offset=65536 (local.get $addr) (local.get $v)))
  (func $load64_at (export "load64_at") (param $addr i32) (result i64)
    (i64.load (local.get $addr)))
)
