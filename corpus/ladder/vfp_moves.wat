;; vfp_moves.wat: float argument moves and the VFP rungs' composition
;; (LEGACY.md, "Floats"; docs/ladder.md, ambiguous rules). Found by review
;; with generated call pressure; each once gave wrong legacy code or no
;; code at all.
;; cpu: cortex-m7
;;
;; $clobber: the sixth f32 argument's move cycle must not park a value in
;; S1, which already holds the second argument (an identity move).
;; @clobber trace: rung=base result=ok
;; $interlock: S and D argument moves that interlock (s0<-s5, s1<-s2,
;; d1<-d0): moving a source aside must unblock the move, not loop.
;; @interlock rung: vfp-spill
;; $pairs_vfp: i64_param_backing's pressure, then seventeen live f32:
;; param-backing runs out of the VFP file; vfp-spill+int keeps
;; param-backing's configuration.
;; @pairs_vfp trace: rung=base result=exhausted
;; @pairs_vfp trace: rung=param-backing result=exhausted
;; @pairs_vfp trace: rung=vfp-spill+int result=ok
;; @pairs_vfp error 1: no consecutive pair of free registers for i64
;; @pairs_vfp error 2: VFP register file exhausted
(module
  (func $g6 (param f32 f32 f32 f32 f32 f32) (result f32)
    (f32.add (f32.add (f32.add (f32.mul (local.get 0) (f32.const 2)) (f32.mul (local.get 1) (f32.const 3)))
                      (f32.add (f32.mul (local.get 2) (f32.const 5)) (f32.mul (local.get 3) (f32.const 7))))
             (f32.add (f32.mul (local.get 4) (f32.const 11)) (f32.mul (local.get 5) (f32.const 13)))))
  (func $clobber (export "clobber") (param $c i32) (result f32) (local $lf f32)
    (local.set $lf (f32.convert_i32_s (local.get $c)))
    (call $g6 (local.get $lf)
             (f32.add (f32.const 1) (local.get $lf))
             (if (result f32) (local.get $c) (then (f32.const 2)) (else (f32.const 6)))
             (f32.const 3.25) (f32.const 4.25) (f32.const 5.25)))
  (func $gmix (param f32 f64 f32 f64 f32 f32) (result f32)
    (f32.add (f32.add (f32.add (f32.add (f32.add (f32.mul (local.get 0) (f32.const 2)) (f32.mul (f32.demote_f64 (local.get 1)) (f32.const 3))) (f32.mul (local.get 2) (f32.const 4))) (f32.mul (f32.demote_f64 (local.get 3)) (f32.const 5))) (f32.mul (local.get 4) (f32.const 6))) (f32.mul (local.get 5) (f32.const 7))))
  (func $interlock (export "interlock") (param $c i32) (result f32) (local $lf f32) (local $ld f64) (local $tmp f32)
    (local.set $lf (f32.convert_i32_s (local.get $c))) (local.set $ld (f64.convert_i32_u (local.get $c)))
    (f32.const 1)
    (f32.const 2)
    (f64.const 3)
    (f32.const 4)
    (f32.const 5)
    (f32.const 6)
    (f32.const 7)
    (f32.const 8)
    (f64.const 9)
    (f64.const 10)
    (f32.const 11)
    (call $gmix (local.get $lf) (f64.const 12.25) (f32.add (f32.const 13) (local.get $lf)) (f64.const 14.25) (f32.const 15.25) (local.get $lf))
    f32.add (local.set $tmp) (f32.demote_f64) (local.get $tmp) f32.add (local.set $tmp) (f32.demote_f64) (local.get $tmp) f32.add f32.add f32.add f32.add f32.add f32.add (local.set $tmp) (f32.demote_f64) (local.get $tmp) f32.add f32.add f32.add)
  (func $pairs_vfp (export "pairs_vfp") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i64)
    (i64.mul (i64.extend_i32_u (i32.const 12345)) (i64.extend_i32_s (i32.const -77)))
    (i64.extend_i32_u (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d))))
    i64.add
    (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9)
    (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16) (f32.const 17)
    f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add
    i32.reinterpret_f32 i64.extend_i32_u
    i64.add)
)
