;; A seed of our own for fuzz_wat: text forms the corpus fixtures do not use
;; (folded and flat code, named and numeric indices, br_if with values,
;; select, memory and global declarations, exports of several kinds).
(module
  (memory (export "mem") 1 2)
  (global $g (mut i32) (i32.const 7))
  (func $pick (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_u (local.get $a) (local.get $b))))
  (func (export "run") (param i32) (result i32) (local i64)
    (block $out (result i32)
      (loop $l
        (drop (br_if $out (i32.const 1) (i32.eqz (local.get 0))))
        (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (global.set $g (call $pick (global.get $g) (local.get 0)))
        br $l)
      unreachable)
    (i32.store8 offset=3 (i32.const 0) (global.get $g))
    drop
    (i32.wrap_i64 (local.get 1))))
