;; memory.wat: memory-heavy code over every integer width.
;;
;; Stresses: loads and stores of every width with constant offsets, sign- and
;; zero-extending loads (i32 and i64), i64 loads/stores (two words), address
;; arithmetic, memory.size, globals (i32 and i64, mutable). Addresses are
;; masked into the first 32 KiB, and every offset keeps the access inside the
;; single 64 KiB page, so nothing here traps.
;; Expected facts:
;;   widths(p, v): stores v at [p] as 8, 16, 32 bits and reads it back with
;;     every i32 load form (load8_s/u, load16_s/u, load), offsets 0..31;
;;     returns a mix of the seven reads. widths(0, 0x80) has
;;     load8_s = -128, load8_u = 128.
;;   widths64(p, v: i64): the i64 forms: store8/16/32/store and
;;     load8_s/u, load16_s/u, load32_s/u, load; returns their xor-sum.
;;   copy_words(dst, src, n): copies (n & 255) words with a loop,
;;     two loads + two stores per iteration (offsets 0 and 4).
;;   sum_bytes(p, n): sums (n & 1023) signed bytes.
;;   memsize(): memory.size = 1 page.
;;   globals(x): bumps the mutable i32 global $counter by x and the mutable
;;     i64 global $total by x zero-extended; returns the new counter; the
;;     globals persist between calls.
;;   swap64(p, q): swaps two i64 cells through four live words.
(module
  (memory (export "memory") 1)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global $total (export "total") (mut i64) (i64.const 0))

  (func $widths (export "widths") (param $p i32) (param $v i32) (result i32)
    (local.set $p (i32.and (local.get $p) (i32.const 0x7ff8)))
    (i32.store8 offset=0 (local.get $p) (local.get $v))
    (i32.store16 offset=2 (local.get $p) (local.get $v))
    (i32.store offset=4 (local.get $p) (local.get $v))
    (i32.store offset=8 (local.get $p) (i32.xor (local.get $v) (i32.const -1)))
    (i32.add
      (i32.add (i32.load8_s offset=0 (local.get $p))
               (i32.shl (i32.load8_u offset=0 (local.get $p)) (i32.const 1)))
      (i32.add
        (i32.xor (i32.load16_s offset=2 (local.get $p))
                 (i32.load16_u offset=2 (local.get $p)))
        (i32.add (i32.load offset=4 (local.get $p))
                 (i32.sub (i32.load8_u offset=9 (local.get $p))
                          (i32.load16_s offset=30 (local.get $p)))))))

  (func $widths64 (export "widths64") (param $p i32) (param $v i64) (result i64)
    (local.set $p (i32.and (local.get $p) (i32.const 0x7ff8)))
    (i64.store8 offset=0 (local.get $p) (local.get $v))
    (i64.store16 offset=2 (local.get $p) (local.get $v))
    (i64.store32 offset=4 (local.get $p) (local.get $v))
    (i64.store offset=8 (local.get $p) (local.get $v))
    (i64.xor
      (i64.xor (i64.load8_s offset=0 (local.get $p))
               (i64.load8_u offset=0 (local.get $p)))
      (i64.xor
        (i64.add (i64.load16_s offset=2 (local.get $p))
                 (i64.load16_u offset=2 (local.get $p)))
        (i64.add
          (i64.sub (i64.load32_s offset=4 (local.get $p))
                   (i64.load32_u offset=4 (local.get $p)))
          (i64.rotl (i64.load offset=8 (local.get $p)) (i64.const 13))))))

  (func $copy_words (export "copy_words") (param $dst i32) (param $src i32) (param $n i32) (result i32)
    (local $i i32)
    (local.set $dst (i32.and (local.get $dst) (i32.const 0x3ff8)))
    (local.set $src (i32.or (i32.and (local.get $src) (i32.const 0x3ff8)) (i32.const 0x4000)))
    (local.set $n (i32.and (local.get $n) (i32.const 255)))
    (block $exit
      (loop $top
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store offset=0 (local.get $dst) (i32.load offset=0 (local.get $src)))
        (i32.store offset=4 (local.get $dst) (i32.load offset=4 (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $dst))

  (func $sum_bytes (export "sum_bytes") (param $p i32) (param $n i32) (result i32)
    (local $acc i32)
    (local.set $p (i32.and (local.get $p) (i32.const 0x7fff)))
    (local.set $n (i32.and (local.get $n) (i32.const 1023)))
    (block $exit
      (loop $top
        (br_if $exit (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.load8_s (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $top)))
    (local.get $acc))

  (func $memsize (export "memsize") (result i32)
    (memory.size))

  (func $globals (export "globals") (param $x i32) (result i32)
    (global.set $counter (i32.add (global.get $counter) (local.get $x)))
    (global.set $total (i64.add (global.get $total) (i64.extend_i32_u (local.get $x))))
    (global.get $counter))

  (func $swap64 (export "swap64") (param $p i32) (param $q i32)
    (local $a i64) (local $b i64)
    (local.set $p (i32.and (local.get $p) (i32.const 0xfff8)))
    (local.set $q (i32.and (local.get $q) (i32.const 0xfff8)))
    (local.set $a (i64.load (local.get $p)))
    (local.set $b (i64.load (local.get $q)))
    (i64.store (local.get $p) (local.get $b))
    (i64.store (local.get $q) (local.get $a)))
)
