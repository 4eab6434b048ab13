;; ladder_flow.wat: the order of the rungs (LEGACY.md, "The ladder").
;;
;; $consts20: twenty live constants, nothing promoted. Base runs out of
;; temps; the spill rung runs out of its 8 slots ("i64 spill-slot pool
;; exhausted", which triggers neither spill nor param-backing); promotion-off
;; runs after any exhaustion although nothing was promoted (a suffix in the
;; log, not a rung name); pool-grow reruns everything from base with
;; depth bound + 4 slots.
;; @consts20 promoted: 0
;; @consts20 trace: rung=base result=exhausted
;; @consts20 trace: rung=spill result=exhausted
;; @consts20 trace: rung=base [promotion-off] result=exhausted
;; @consts20 trace: rung=spill [promotion-off] result=exhausted
;; @consts20 trace: rung=pool-grow result=exhausted
;; @consts20 trace: rung=pool-grow+spill result=ok
;; @consts20 error 1: all allocatable registers are live on the stack
;; @consts20 error 2: i64 spill-slot pool exhausted
;; @consts20 rung: pool-grow
;; @consts20 slots: 24
(module
  (func $consts20 (export "consts20") (result i32)
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9 i32.const 10
    i32.const 11 i32.const 12 i32.const 13 i32.const 14 i32.const 15
    i32.const 16 i32.const 17 i32.const 18 i32.const 19 i32.const 20
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add))
