;; alias_snapshot.wat: a `local.get` of a register-homed param pushes an alias
;; (no instruction, no temp); when the param is written while the alias is on
;; the stack, the alias is snapshotted into a temp (LEGACY.md, "What selection
;; asks of the register file"). Seven constants fill R2-R8 beside $a (R0) and
;; $b (R1, read later): the snapshot of $a has no register.
;;
;; @snap trace: rung=base result=exhausted
;; @snap trace: rung=spill result=ok
;; $nosnap: the same without the write: the alias needs no temp.
;; @nosnap trace: rung=base result=ok
(module
  (func $snap (export "snap") (param $a i32) (param $b i32) (result i32)
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5 i32.const 6 i32.const 7
    local.get $a
    (local.set $a (local.get $b))
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    local.get $a
    i32.add)
  (func $nosnap (export "nosnap") (param $a i32) (param $b i32) (result i32)
    i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5 i32.const 6 i32.const 7
    local.get $a
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    local.get $b
    i32.add))
