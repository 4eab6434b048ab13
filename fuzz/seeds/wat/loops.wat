;; loops.wat: loops with values live around the back edge, nested loops.
;;
;; Stresses: liveness across back edges (the legacy allocator extends a
;; param's reservation to the end of the enclosing loop), loop-carried values,
;; nested loops, loops with block results, br_if with a value. Every loop is
;; bounded by a masked counter, so every function terminates on all inputs.
;; Expected facts:
;;   sum_to(n) = 0 + 1 + ... + (n & 1023 - 1); live around the back edge: i, acc, n
;;   fib(n) = fib(n & 63) mod 2^32 with fib(0) = 0, fib(1) = 1; carried: a, b, i
;;   nested(n, m): (n & 31) x (m & 31) double loop accumulating i*j ^ acc;
;;     outer-loop values (i, acc, n, m) are live around the inner back edge
;;   carried6(seed, n): six loop-carried i32 values rotated every iteration
;;     (a xorshift-style mix), n & 255 iterations: 6 carried + counter + bound
;;     = 8 values live around the back edge
;;   carried64(seed, n): three loop-carried i64 values (6 words) plus counter
;;   find_byte(p, len, c): scan memory for byte c, returns index or -1; the
;;     loop result leaves through a block with an i32 result (br_if with value)
;;   countdown(n): do-while with br_if at the bottom, (n & 255) + 1 iterations
(module
  (memory (export "memory") 1)

  (func $sum_to (export "sum_to") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (local.set $n (i32.and (local.get $n) (i32.const 1023)))
    (block $exit
      (loop $top
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $acc))

  (func $fib (export "fib") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $t i32) (local $i i32)
    (local.set $b (i32.const 1))
    (local.set $n (i32.and (local.get $n) (i32.const 63)))
    (block $exit
      (loop $top
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $t (i32.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $a))

  (func $nested (export "nested") (param $n i32) (param $m i32) (result i32)
    (local $i i32) (local $j i32) (local $acc i32)
    (local.set $n (i32.and (local.get $n) (i32.const 31)))
    (local.set $m (i32.and (local.get $m) (i32.const 31)))
    (block $outer_exit
      (loop $outer
        (br_if $outer_exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $inner_exit
          (loop $inner
            (br_if $inner_exit (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $acc
              (i32.xor (i32.rotl (local.get $acc) (i32.const 1))
                       (i32.mul (local.get $i) (local.get $j))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $inner)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $acc))

  (func $carried6 (export "carried6") (param $seed i32) (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32)
    (local $t i32) (local $i i32)
    (local.set $a (local.get $seed))
    (local.set $b (i32.xor (local.get $seed) (i32.const 0x9e3779b9)))
    (local.set $c (i32.rotl (local.get $seed) (i32.const 7)))
    (local.set $d (i32.add (local.get $seed) (i32.const 12345)))
    (local.set $e (i32.mul (local.get $seed) (i32.const 31)))
    (local.set $f (i32.const 1))
    (local.set $n (i32.and (local.get $n) (i32.const 255)))
    (block $exit
      (loop $top
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $t (i32.xor (local.get $a) (i32.shl (local.get $a) (i32.const 11))))
        (local.set $a (local.get $b))
        (local.set $b (local.get $c))
        (local.set $c (local.get $d))
        (local.set $d (i32.add (local.get $e) (local.get $f)))
        (local.set $e (i32.xor (local.get $e) (i32.shr_u (local.get $t) (i32.const 8))))
        (local.set $f (i32.xor (local.get $t) (local.get $d)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (i32.add (i32.add (i32.xor (local.get $a) (local.get $b)) (i32.xor (local.get $c) (local.get $d)))
             (i32.xor (local.get $e) (local.get $f))))

  (func $carried64 (export "carried64") (param $seed i64) (param $n i32) (result i64)
    (local $x i64) (local $y i64) (local $z i64) (local $i i32)
    (local.set $x (local.get $seed))
    (local.set $y (i64.xor (local.get $seed) (i64.const 0x9e3779b97f4a7c15)))
    (local.set $z (i64.const 0x2545f4914f6cdd1d))
    (local.set $n (i32.and (local.get $n) (i32.const 127)))
    (block $exit
      (loop $top
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $y (i64.add (i64.rotl (local.get $y) (i64.const 17)) (local.get $x)))
        (local.set $z (i64.mul (local.get $z) (i64.or (local.get $y) (i64.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (i64.xor (local.get $x) (i64.add (local.get $y) (local.get $z))))

  (func $find_byte (export "find_byte") (param $p i32) (param $len i32) (param $c i32) (result i32)
    (local $i i32)
    (local.set $p (i32.and (local.get $p) (i32.const 0x7fff)))
    (local.set $len (i32.and (local.get $len) (i32.const 0x7fff)))
    (block $found (result i32)
      (block $not_found
        (loop $scan
          (br_if $not_found (i32.ge_u (local.get $i) (local.get $len)))
          (br_if $found (local.get $i)
                 (i32.eq (i32.load8_u (i32.add (local.get $p) (local.get $i)))
                         (i32.and (local.get $c) (i32.const 255))))
          (drop)
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $scan)))
      (i32.const -1)))

  (func $countdown (export "countdown") (param $n i32) (result i32)
    (local $acc i32)
    (local.set $n (i32.and (local.get $n) (i32.const 255)))
    (loop $top
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 3)) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $top (i32.ge_s (local.get $n) (i32.const 0))))
    (local.get $acc))
)
