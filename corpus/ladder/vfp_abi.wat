;; vfp_abi.wat: AAPCS-VFP in the legacy model (LEGACY.md, "Floats";
;; cortex-m7dp, which is vcr-ra's cortex-m7). Float parameters arrive in a
;; pool separate from R0-R3: an f32 in the lowest free of S0-S15, an f64 in
;; the lowest free of D0-D7, back-filling; results in S0/D0. A float
;; parameter home is reserved like a core one, from entry to its last read.
;; Around a call the live S registers are saved in the 16-word area (after
;; the 5-word core area). A float argument that would go on the stack
;; declines the function; an f64 parameter in registers makes param-backing
;; a non-exhaustion error, as an i64 one does.
;; cpu: cortex-m7
;;
;; $backfill: f32, f64, f32 arrive in S0, D1, S1 (S1 back-filled below D1);
;; a leaf keeps them in their registers.
;; @backfill trace: rung=base result=ok
;; @backfill code: param s0, d1, s1
;; @backfill nocode: !frame
;; $late: $x (S0) is read after sixteen live constants: S0 stays reserved,
;; so the sixteenth constant finds no register.
;; @late trace: rung=base result=exhausted
;; @late trace: rung=vfp-spill result=ok
;; @late error 1: VFP register file exhausted
;; $released: $x is read for the last time before the constants: S0 is free
;; for them.
;; @released trace: rung=base result=ok
;; @released nocode: !spill
;; $call_save: the constant 1.5 (S0) is live across the call: saved at word
;; 0 of the 16-word area ([sp+20], after R0-R3 and R12), reloaded after the
;; call; the result (S0) moves out of the way first. $x is frame-backed.
;; @call_save trace: rung=base result=ok
;; @call_save code: sts [sp+20], s0 !spill
;; @call_save code: lds s0, [sp+20] !reload
;; @call_save code: call @id (s0) -> (s0)
;; @call_save code: !frame
;; $many: seventeen f32 parameters: the seventeenth would be on the stack.
;; @many rung: declined
;; @many error: an f32/f64 parameter would be passed on the stack
;; $stack_arg: calls $many: declined for the same reason.
;; @stack_arg rung: declined
;; @stack_arg error: would be passed on the stack
;; $pairs_f64_param: the pressure of i64_param_backing.wat's $pairs with an
;; f64 parameter in D0: param-backing is skipped.
;; @pairs_f64_param trace: rung=base result=exhausted
;; @pairs_f64_param rung: exhausted
;; @pairs_f64_param error: param-backing skipped: an i64 or f64 parameter is held in registers
(module
  (func $id (export "id") (param f32) (result f32) (local.get 0))
  (func $backfill (export "backfill") (param $x f32) (param $y f64) (param $z f32) (result f32)
    (f32.add (f32.add (local.get $x) (f32.demote_f64 (local.get $y))) (local.get $z)))
  (func $late (export "late") (param $x f32) (result f32)
    (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9) (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16)
    f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add
    (local.get $x)
    f32.add)
  (func $released (export "released") (param $x f32) (result f32) (local $t f32)
    (local.set $t (f32.mul (local.get $x) (local.get $x)))
    (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9) (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16)
    f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add
    (local.get $t)
    f32.add)
  (func $call_save (export "call_save") (param $x f32) (result f32)
    (f32.add (f32.const 1.5) (call $id (local.get $x))))
  (func $many (export "many") (param f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32) (result f32)
    (f32.add (local.get 0) (local.get 16)))
  (func $stack_arg (export "stack_arg") (result f32)
    (call $many (f32.const 0) (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9) (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16)))
  (func $pairs_f64_param (export "pairs_f64_param") (param $a i32) (param $b i32) (param $c i32) (param $d i32)
    (param $f f64) (result i64)
    (i64.mul (i64.extend_i32_u (i32.const 12345)) (i64.extend_i32_s (i32.const -77)))
    (i64.extend_i32_u (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d))))
    i64.add
    (i64.reinterpret_f64 (local.get $f))
    i64.xor))
