;; promoted_release.wat: a promoted local (leaf function, i32, first access a
;; write, all accesses at wasm nesting depth 0, at least two get/set/tee) gets
;; R4 and is reserved like a parameter, from entry to its last read, not for
;; the whole function (LEGACY.md; pinned by the legacy compiler's tests: "a
;; promoted local whose home is freed by its last read -> base").
;;
;; $freed: $t is promoted, read for the last time before nine values are live.
;; @freed promoted: 1
;; @freed trace: rung=base result=ok
;; @freed rung: base
;; $held: the same, but $t is read after the nine values: R4 stays reserved,
;; base fails; the spill rung works.
;; @held promoted: 1
;; @held trace: rung=base result=exhausted
;; @held trace: rung=spill result=ok
(module
  (func $freed (export "freed") (result i32)
    (local $t i32)
    (local.set $t (i32.const 5))
    (drop (i32.mul (local.get $t) (i32.const 3)))
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add)
  (func $held (export "held") (result i32)
    (local $t i32)
    (local.set $t (i32.const 5))
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5
    i32.const 6 i32.const 7 i32.const 8 i32.const 9
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    local.get $t
    i32.add))
