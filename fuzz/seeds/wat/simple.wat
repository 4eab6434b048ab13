;; simple.wat: trivial functions, the smoke test of every pipeline stage.
;;
;; Stresses: nothing in particular; every function should allocate at the base
;; rung with no spill and no move beyond the ABI ones.
;; Expected facts:
;;   add(a, b)      = a + b (mod 2^32)          peak live values 2
;;   identity(x)    = x                          peak 1
;;   const42()      = 42                         peak 1
;;   neg(x)         = 0 - x                      peak 2
;;   add64(a, b)    = a + b (mod 2^64)          peak 2 i64 (4 words)
;;   max_s(a, b)    = signed max via select      peak 3
;;   nothing()      = no result, no effect (nop)
;;   drop_it(x)     = 7, x is computed and dropped
(module
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))

  (func $identity (export "identity") (param $x i32) (result i32)
    (local.get $x))

  (func $const42 (export "const42") (result i32)
    (i32.const 42))

  (func $neg (export "neg") (param $x i32) (result i32)
    (i32.sub (i32.const 0) (local.get $x)))

  (func $add64 (export "add64") (param $a i64) (param $b i64) (result i64)
    (i64.add (local.get $a) (local.get $b)))

  (func $max_s (export "max_s") (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b)
            (i32.gt_s (local.get $a) (local.get $b))))

  (func $nothing (export "nothing")
    nop)

  (func $drop_it (export "drop_it") (param $x i32) (result i32)
    (drop (i32.mul (local.get $x) (local.get $x)))
    (i32.const 7))
)
