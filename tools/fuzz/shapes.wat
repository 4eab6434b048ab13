;; Functions shaped like the checker holes of issue 12, added to the soundness
;; campaign's inputs so that its targeted edits find their sites: a store, a
;; load that can trap and a second store to the same address in one block; the
;; same with a global; an instruction whose two operands are one value.
(module
  (memory 1)
  (global $g (mut i32) (i32.const 5))
  (func $store_trap_store (export "store_trap_store") (param $p i32) (param $q i32) (param $x i32) (result i32)
    (i32.store (local.get $p) (local.get $x))
    (drop (i32.load (local.get $q)))
    (i32.store (local.get $p) (i32.const 7))
    (local.get $x))
  (func $gset_trap_gset (export "gset_trap_gset") (param $q i32) (param $x i32) (result i32)
    (global.set $g (local.get $x))
    (drop (i32.load (local.get $q)))
    (global.set $g (i32.const 9))
    (local.get $x))
  (func $self_sub (export "self_sub") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.sub (local.get $a) (local.get $a)) (i32.xor (local.get $b) (local.get $b))))
  (func $load_global (export "load_global") (param $p i32) (result i32)
    (i32.add (i32.load (local.get $p)) (i32.add (global.get $g) (memory.size)))))
