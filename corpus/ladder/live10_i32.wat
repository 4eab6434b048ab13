;; live10_i32.wat: ten live i32 values need the spill rung (LEGACY.md, pinned
;; by the legacy compiler's tests: "a 10-live-i32 function -> spill").
;; Rules: temps round-robin from R0-R8, every i32.const takes a temp, a full
;; turn without a free register is "all allocatable registers are live on the
;; stack", which (and only which) triggers the spill rung.
;;
;; @live10 trace: rung=base result=exhausted
;; @live10 trace: rung=spill result=ok
;; @live10 error 1: all allocatable registers are live on the stack
;; @live10 rung: spill
;; @live10 code: !spill
;; @live9 trace: rung=base result=ok
;; @live9 rung: base
(module
  (func $live10 (export "live10") (result i32)
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9 i32.const 10
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add)
  ;; nine live values fill R0-R8 exactly: no spill
  (func $live9 (export "live9") (result i32)
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add))
