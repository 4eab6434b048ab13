;; vfp_file.wat: the legacy VFP file (LEGACY.md, "Floats"; cortex-m7dp,
;; which is vcr-ra's cortex-m7): f32 values take the lowest free of S0-S15,
;; f64 values the lowest free of D0-D7 (Dn is S2n:S2n+1, so an f32 blocks a
;; D register); S16-S31 are never used (no VPUSH). A full file is "VFP
;; register file exhausted" (f32) or "VFP D-register file exhausted" (f64);
;; the vfp-spill rung spills the deepest float value of the block to the
;; shared spill pool; vfp-spill+int spills both files; pool-grow composes
;; with it.
;; cpu: cortex-m7
;;
;; $f32_16: sixteen live f32 constants fit S0-S15.
;; @f32_16 trace: rung=base result=ok
;; @f32_16 code: s15
;; @f32_16 nocode: s16
;; @f32_16 nocode: !spill
;; $f32_17: a seventeenth does not: vfp-spill spills the deepest, S0.
;; @f32_17 trace: rung=base result=exhausted
;; @f32_17 trace: rung=vfp-spill result=ok
;; @f32_17 error 1: VFP register file exhausted
;; @f32_17 code: sts [sp+0], s0 !spill
;; @f32_17 nocode: s16
;; $f64_8: eight live f64 constants fit D0-D7.
;; @f64_8 trace: rung=base result=ok
;; @f64_8 code: d7
;; @f64_8 nocode: d8
;; $f64_9: a ninth does not.
;; @f64_9 trace: rung=base result=exhausted
;; @f64_9 trace: rung=vfp-spill result=ok
;; @f64_9 error 1: VFP D-register file exhausted
;; @f64_9 code: sts [sp+0], d0 !spill
;; $shared: an f32 in S0 takes half of D0: seven f64 fit beside it, not eight.
;; @shared trace: rung=base result=exhausted
;; @shared trace: rung=vfp-spill result=ok
;; @shared error 1: VFP D-register file exhausted
;; $both: ten live i32, then seventeen live f32: spill fixes the core file
;; and then runs out of the VFP file; vfp-spill+int keeps the spill rung's
;; configuration and spills both.
;; @both trace: rung=base result=exhausted
;; @both trace: rung=spill result=exhausted
;; @both trace: rung=vfp-spill+int result=ok
;; @both error 1: all allocatable registers are live on the stack
;; @both error 2: VFP register file exhausted
;; $floats_first: seventeen live f32, then ten live i32: vfp-spill fixes the
;; VFP file and runs out of core registers: vfp-spill+int.
;; @floats_first trace: rung=base result=exhausted
;; @floats_first trace: rung=vfp-spill result=exhausted
;; @floats_first trace: rung=vfp-spill+int result=ok
;; @floats_first error 1: VFP register file exhausted
;; @floats_first error 2: all allocatable registers are live on the stack
;; $pool: twenty-five live f32: nine spills overflow the 8-slot pool;
;; pool-grow reruns with depth bound + 4 = 29 slots, vfp-spill inside it.
;; @pool trace: rung=base result=exhausted
;; @pool trace: rung=vfp-spill result=exhausted
;; @pool trace: rung=base [promotion-off] result=exhausted
;; @pool trace: rung=vfp-spill [promotion-off] result=exhausted
;; @pool trace: rung=pool-grow result=exhausted
;; @pool trace: rung=pool-grow+vfp-spill result=ok
;; @pool error 2: i64 spill-slot pool exhausted
;; @pool rung: pool-grow
;; @pool slots: 29
(module
  (func $f32_16 (export "f32_16") (result f32)
    (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9) (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16)
    f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add)
  (func $f32_17 (export "f32_17") (result f32)
    (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9) (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16) (f32.const 17)
    f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add)
  (func $f64_8 (export "f64_8") (result f64)
    (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4) (f64.const 5) (f64.const 6) (f64.const 7) (f64.const 8)
    f64.add f64.add f64.add f64.add f64.add f64.add f64.add)
  (func $f64_9 (export "f64_9") (result f64)
    (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4) (f64.const 5) (f64.const 6) (f64.const 7) (f64.const 8) (f64.const 9)
    f64.add f64.add f64.add f64.add f64.add f64.add f64.add f64.add)
  (func $shared (export "shared") (result f64) (local $t f64)
    (f32.const 0.5)
    (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4) (f64.const 5) (f64.const 6) (f64.const 7) (f64.const 8)
    f64.add f64.add f64.add f64.add f64.add f64.add f64.add
    local.set $t
    f64.promote_f32
    local.get $t
    f64.add)
  (func $both (export "both") (result f32) (local $f f32)
    (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9) (i32.const 10)
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9) (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16) (f32.const 17)
    f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add
    local.set $f
    f32.convert_i32_s
    local.get $f
    f32.add)
  (func $floats_first (export "floats_first") (result f32)
    (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9) (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16) (f32.const 17)
    (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9) (i32.const 10)
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    f32.convert_i32_s
    f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add
    f32.add)
  (func $pool (export "pool") (result f32)
    (f32.const 1) (f32.const 2) (f32.const 3) (f32.const 4) (f32.const 5) (f32.const 6) (f32.const 7) (f32.const 8) (f32.const 9) (f32.const 10) (f32.const 11) (f32.const 12) (f32.const 13) (f32.const 14) (f32.const 15) (f32.const 16) (f32.const 17) (f32.const 18) (f32.const 19) (f32.const 20) (f32.const 21) (f32.const 22) (f32.const 23) (f32.const 24) (f32.const 25)
    f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add f32.add))
