;; vfp_cpu.wat: the legacy compiler's float declines by CPU (LEGACY.md,
;; "Floats"). On a single-precision FPU (cortex-m4f; the legacy compiler's
;; cortex-m7 too) any f64 operator or parameter declines the function: vcr-ra
;; compiles f64 there as soft-float calls, the legacy compiler has none.
;; (Without an FPU every float declines: float_nofpu.wat.)
;; cpu: cortex-m4f
;;
;; $scale: f32 only: S registers, base.
;; @scale trace: rung=base result=ok
;; @scale code: param s0, s1
;; $widen: an f64 operator (promote, add) on f32 values: declined.
;; @widen rung: declined
;; @widen error: f64 without double precision
;; $f64_param: an f64 parameter, never used in arithmetic: declined.
;; @f64_param rung: declined
;; @f64_param error: f64 without double precision
;; $calli_f32: a call_indirect of a float-returning type: declined (the
;; legacy compiler's indirect calls return core values only).
;; @calli_f32 rung: declined
;; @calli_f32 error: call_indirect of a float-returning type
;; $calls_f64: calls a function with an f64 result: declined.
;; @calls_f64 rung: declined
;; @calls_f64 error: f64 without double precision
(module
  (type $fop (func (param f32 f32) (result f32)))
  (table 1 funcref)
  (elem (i32.const 0) $scale)
  (func $calli_f32 (export "calli_f32") (param $x f32) (param $i i32) (result f32)
    (call_indirect (type $fop) (local.get $x) (local.get $x) (local.get $i)))
  (func $scale (export "scale") (param $x f32) (param $k f32) (result f32)
    (f32.mul (local.get $x) (local.get $k)))
  (func $widen (export "widen") (param $x f32) (result f32)
    (f32.demote_f64 (f64.add (f64.promote_f32 (local.get $x)) (f64.const 0.25))))
  (func $f64_param (export "f64_param") (param $d f64) (param $n i32) (result i32)
    (i32.add (local.get $n) (i32.const 1)))
  (func $calls_f64 (export "calls_f64") (param $n i32) (result i32)
    (i32.wrap_i64 (i64.reinterpret_f64 (call $half (local.get $n)))))
  (func $half (export "half") (param $n i32) (result f64)
    (f64.mul (f64.convert_i32_s (local.get $n)) (f64.const 0.5))))
