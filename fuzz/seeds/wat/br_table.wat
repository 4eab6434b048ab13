;; br_table.wat: br_table dispatch and a small state machine.
;;
;; Stresses: multi-way branches (brtable in MIR), many edges joining at block
;; ends, values live across every arm of a dispatch, br_table carrying a
;; block result value, a state machine loop whose state is carried around the
;; back edge.
;; Expected facts:
;;   classify(x): 0 -> 10, 1 -> 20, 2 -> 30, 3 -> 40, anything else -> -1.
;;     Each arm yields the value through a block with an i32 result.
;;   pick(x, a, b): br_table whose operand stack carries a value into the
;;     target blocks (br_table with a value): x=0 -> a+b, x=1 -> a-b,
;;     x=2 -> a*b, otherwise a^b.
;;   run_fsm(p, len): scans bytes p[0..len&1023) with a 4-state machine
;;     (0 idle, 1 in number, 2 in word, 3 after '#' comment until '\n'),
;;     counting numbers and words; returns numbers * 65536 + words. The state,
;;     both counters, the index, p and len are live around the back edge and
;;     across all five br_table arms.
(module
  (memory (export "memory") 1)

  (func $classify (export "classify") (param $x i32) (result i32)
    (block $other (result i32)
      (block $c3 (result i32)
        (block $c2 (result i32)
          (block $c1 (result i32)
            (block $c0 (result i32)
              (i32.const -1)
              (local.get $x)
              (br_table $c0 $c1 $c2 $c3 $other))
            (drop) (return (i32.const 10)))
          (drop) (return (i32.const 20)))
        (drop) (return (i32.const 30)))
      (drop) (return (i32.const 40))))

  (func $pick (export "pick") (param $x i32) (param $a i32) (param $b i32) (result i32)
    (block $xor (result i32)
      (block $mul (result i32)
        (block $sub (result i32)
          (block $add (result i32)
            (local.get $a)                             ;; carried into every target
            (local.get $x)
            (br_table $add $sub $mul $xor))
          ;; the carried a is on the stack in each arm
          (return (i32.add (local.get $b))))
        (return (i32.sub (local.get $b))))
      (return (i32.mul (local.get $b))))
    (i32.xor (local.get $b)))

  (func $run_fsm (export "run_fsm") (param $p i32) (param $len i32) (result i32)
    (local $i i32) (local $state i32) (local $c i32) (local $numbers i32) (local $words i32)
    (local.set $p (i32.and (local.get $p) (i32.const 0x7fff)))
    (local.set $len (i32.and (local.get $len) (i32.const 1023)))
    (block $exit
      (loop $next
        (br_if $exit (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $done
          (block $s_comment
            (block $s_word
              (block $s_number
                (block $s_idle
                  (br_table $s_idle $s_number $s_word $s_comment $done (local.get $state)))
                ;; idle: start a number, a word or a comment
                (if (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
                  (then (local.set $state (i32.const 1))
                        (local.set $numbers (i32.add (local.get $numbers) (i32.const 1)))
                        (br $done)))
                (if (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97))
                              (i32.const 26))
                  (then (local.set $state (i32.const 2))
                        (local.set $words (i32.add (local.get $words) (i32.const 1)))
                        (br $done)))
                (if (i32.eq (local.get $c) (i32.const 35))
                  (then (local.set $state (i32.const 3))))
                (br $done))
              ;; in a number: stay while digits
              (br_if $done (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))
              (local.set $state (i32.const 0))
              (br $done))
            ;; in a word: stay while letters or digits
            (br_if $done (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97))
                                   (i32.const 26)))
            (br_if $done (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))
            (local.set $state (i32.const 0))
            (br $done))
          ;; in a comment: until newline
          (if (i32.eq (local.get $c) (i32.const 10))
            (then (local.set $state (i32.const 0)))))
        (br $next)))
    (i32.add (i32.shl (local.get $numbers) (i32.const 16)) (local.get $words)))
)
