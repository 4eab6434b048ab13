;; calli_rules.wat: call_indirect in the legacy model (LEGACY.md, "Other
;; operators"). The table's size and the closed-world type check are known
;; at compile time (MIR's table; selection declines an imported table).
;; With arguments the table index needs a free R4-R8 register, as the
;; argument registers are about to be overwritten; without arguments it
;; stays where it is. A float-returning type declines (vfp_cpu.wat).
;;
;; $with_args: the index goes to R4, the argument to R0.
;; @with_args trace: rung=base result=ok
;; @with_args code: calli #0, r4 (r0) -> (r0)
;; $no_args: the index stays in the register it was loaded into.
;; @no_args trace: rung=base result=ok
;; @no_args nocode: r4
;; $full: five constants hold R4-R8 (the cursor starts after the four
;; parameter registers): no register for the index at base; the spill rung
;; spills the deepest constant (R4) and puts the index there.
;; @full trace: rung=base result=exhausted
;; @full trace: rung=spill result=ok
;; @full error 1: all allocatable registers are live on the stack
;; @full code: sts [sp+20], r4 !spill
;; @full code: calli #0, r4 (r0) -> (r0)
(module
  (type $unop (func (param i32) (result i32)))
  (type $thunk (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $inc $seven)
  (func $inc (type $unop) (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1)))
  (func $seven (type $thunk) (result i32)
    (i32.const 7))
  (func $with_args (export "with_args") (param $op i32) (param $x i32) (result i32)
    (call_indirect (type $unop) (local.get $x) (i32.and (local.get $op) (i32.const 1))))
  (func $no_args (export "no_args") (param $op i32) (result i32)
    (call_indirect (type $thunk) (i32.and (local.get $op) (i32.const 1))))
  (func $full (export "full") (param $a i32) (param $b i32) (param $c i32) (param $op i32) (result i32)
    (i32.const 100) (i32.const 200) (i32.const 300) (i32.const 400) (i32.const 500)
    (call_indirect (type $unop) (local.get $a) (local.get $op))
    i32.add i32.add i32.add i32.add i32.add))
