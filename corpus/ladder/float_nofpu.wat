;; float_nofpu.wat: without an FPU (cortex-m3/m4) the legacy compiler declines
;; any function with an f32/f64 parameter, result, local or operator: it has
;; no soft-float calls (LEGACY.md, "Floats"). vcr-ra compiles them all on
;; cortex-m4 with runtime calls. No attempt runs, so there is no log line.
;;
;; $scale: f32 arithmetic on f32 parameters.
;; @scale rung: declined
;; @scale error: f32/f64 on a CPU without an FPU
;; $copy_f32: only moves an f32 through memory (no arithmetic): still declined.
;; @copy_f32 rung: declined
;; $bits: integer code calling nothing float: compiles at base.
;; @bits rung: base
;; @bits trace: rung=base result=ok
(module
  (memory 1)
  (func $scale (export "scale") (param $x f32) (param $k f32) (result f32)
    (f32.mul (local.get $x) (local.get $k)))
  (func $copy_f32 (export "copy_f32") (param $from i32) (param $to i32)
    (f32.store (i32.and (local.get $to) (i32.const 0xfffc))
               (f32.load (i32.and (local.get $from) (i32.const 0xfffc)))))
  (func $bits (export "bits") (param $a i32) (result i32)
    (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 3)))))
