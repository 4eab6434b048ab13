(* The two forms of a MIR function (vreg and allocated), locations and the AAPCS homes. *)
From Coq Require Import ZArith List Bool Lia.
Import ListNotations.
Open Scope Z_scope.

(** Keys identify an original operation: opcode, suffix, immediates and
    their positions (the parser interns them). Equal keys = same operation. *)
Definition key := Z.
Definition vreg := Z.

(** An allocated operand: a register, or the stack word [sp+n]. *)
Inductive aop := OR (r : Z) | OS (n : Z).

(** A location: register r (0..12, 14 = LR), or the stack word at byte
    offset o from the SP at function entry. *)
Inductive loc := Reg (r : Z) | Stk (o : Z).

Definition loc_eq_dec : forall a b : loc, {a = b} + {a <> b}.
Proof. decide equality; apply Z.eq_dec. Defined.

(** Vreg-form instructions (all original). *)
Inductive vinstr :=
| VGen (k : key) (ds us : list vreg)        (* an operation with effects: load, store, gget, gset, memsize, trapif *)
| VOp (k : key) (ds us : list vreg)         (* a pure operation: ALU, compare, select, i64 pair ops *)
| VCopy (d u : vreg)                        (* mov d, u *)
| VConst (d : vreg) (c : Z)                 (* movi d, #c *)
| VParam (ds : list vreg)                   (* param: ds receive the argument words *)
| VCall (f : key) (args res : list vreg).

Inductive vterm :=
| VGoto (t : nat)
| VBr (k : key) (us : list vreg) (ts : list nat)   (* brif, brtable: target index picked by k *)
| VRet (us : list vreg)
| VTrap (k : key).

(** Allocated-form instructions. The first five are originals (paired with
    a vreg instruction), the rest are inserted by the allocator. *)
Inductive ainstr :=
| AGen (k : key) (ds us : list aop)
| AOp (k : key) (ds us : list aop)
| ACopy (d u : aop)
| AConst (d : aop) (c : Z)
| AParam (hs : list aop)                    (* annotation only: executes nothing *)
| ACall (f : key) (args res : list aop)     (* annotations only: the ABI decides *)
| AMove (d s : aop)                         (* inserted mov / lds / sts *)
| ARemat (d : aop) (c : Z)                  (* inserted movi *)
| APush (rs : list Z)
| APop (rs : list Z)
| AAdjsp (n : Z).

Inductive aterm :=
| AGoto (t : nat)
| ABr (k : key) (us : list aop) (ts : list nat)
| ARet (us : list aop)                      (* annotation only: results are R0.. *)
| ATrap (k : key).

Definition is_orig (i : ainstr) : bool :=
  match i with AGen _ _ _ | AOp _ _ _ | ACopy _ _ | AConst _ _ | AParam _ | ACall _ _ _ => true | _ => false end.

(** The pairing key: an allocated original implements a vreg instruction
    of the same shape (same operation, immediates and operand counts). *)
Definition same_shape (ai : ainstr) (vi : vinstr) : bool :=
  match ai, vi with
  | AGen k ds us, VGen k' ds' us' | AOp k ds us, VOp k' ds' us' =>
      Z.eqb k k' && Nat.eqb (length ds) (length ds') && Nat.eqb (length us) (length us')
  | ACopy _ _, VCopy _ _ => true
  | AConst _ c, VConst _ c' => Z.eqb c c'
  | AParam hs, VParam ds => true
  | ACall f _ _, VCall f' _ _ => Z.eqb f f'
  | _, _ => false
  end.

(** Pure vreg instructions the allocator may drop (coalesced, rematerialised, dead). *)
Definition elidable (vi : vinstr) : bool :=
  match vi with VOp _ _ _ | VCopy _ _ | VConst _ _ => true | _ => false end.

(** Push and pop are defined by their expansion into SP moves and word moves
    (the same final state as the hardware's). *)
Fixpoint push_moves (i : Z) (rs : list Z) : list ainstr :=
  match rs with [] => [] | r :: rs' => AMove (OS (4 * i)) (OR r) :: push_moves (i + 1) rs' end.
Fixpoint pop_moves (i : Z) (rs : list Z) : list ainstr :=
  match rs with [] => [] | r :: rs' => AMove (OR r) (OS (4 * i)) :: pop_moves (i + 1) rs' end.

Definition expand (i : ainstr) : list ainstr :=
  match i with
  | APush rs => AAdjsp (-4 * Z.of_nat (length rs)) :: push_moves 0 rs
  | APop rs => pop_moves 0 rs ++ [AAdjsp (4 * Z.of_nat (length rs))]
  | _ => [i]
  end.

Record sigt := { s_params : list bool (* true: i64 *); s_results : list bool }.

Record vfun := { v_blocks : list (list vinstr * vterm) }.
Record afun := { a_blocks : list (list ainstr * aterm) }.

(** What the checker is given besides the two functions. *)
Record config := {
  c_sig : sigt;                       (* the function's own signature *)
  c_callees : list (key * sigt);      (* callee signatures *)
  c_limit : Z                         (* stack limit in bytes *)
}.

(** AAPCS parameter homes: R0-R3 in order, an i64 in an even pair, then the
    caller's stack words [sp+0], [sp+4]..., i64 8-aligned, no back-filling.
    Returns the homes and the stack bytes used. *)
Fixpoint homes_aux (ps : list bool) (nr so : Z) (onst : bool) : list aop * Z :=
  match ps with
  | [] => ([], so)
  | false :: ps' =>
      if negb onst && (nr <? 4) then
        let '(h, s) := homes_aux ps' (nr + 1) so onst in (OR nr :: h, s)
      else let '(h, s) := homes_aux ps' nr (so + 4) true in (OS so :: h, s)
  | true :: ps' =>
      let ev := (nr + 1) / 2 * 2 in
      if negb onst && (ev + 1 <? 4) then
        let '(h, s) := homes_aux ps' (ev + 2) so onst in (OR ev :: OR (ev + 1) :: h, s)
      else
        let so' := (so + 7) / 8 * 8 in
        let '(h, s) := homes_aux ps' 4 (so' + 8) true in (OS so' :: OS (so' + 4) :: h, s)
  end.

Definition param_homes (sg : sigt) : list aop := fst (homes_aux (s_params sg) 0 0 false).
Definition stack_param_bytes (sg : sigt) : Z := snd (homes_aux (s_params sg) 0 0 false).

Definition nwords (ts : list bool) : nat :=
  fold_right (fun (t : bool) n => (if t then 2 else 1) + n)%nat 0%nat ts.

(** Result words are returned in R0, R1, ... *)
Definition result_regs (sg : sigt) : list Z :=
  map Z.of_nat (seq 0 (nwords (s_results sg))).

(** R4-R11 and LR: what a return must restore. *)
Definition saved_regs : list Z := [4; 5; 6; 7; 8; 9; 10; 11; 14].
(** R0-R3, R12, LR: what a call clobbers. *)
Definition caller_saved (r : Z) : bool :=
  (0 <=? r) && (r <=? 3) || (r =? 12) || (r =? 14).
(** Registers an operand may name: R0-R12 and LR (never SP or PC). *)
Definition valid_reg (r : Z) : bool := (0 <=? r) && (r <=? 12) || (r =? 14).

Fixpoint lookup_sig (f : key) (l : list (key * sigt)) : option sigt :=
  match l with [] => None | (g, s) :: l' => if Z.eqb f g then Some s else lookup_sig f l' end.

Definition in_args (cf : config) : Z := stack_param_bytes (c_sig cf).

(** The location an operand denotes at SP offset sp, if the access is
    allowed: a valid register, or a word-aligned stack word at or above SP
    and below the end of the incoming-argument area. *)
Definition aloc (cf : config) (sp : Z) (o : aop) : option loc :=
  match o with
  | OR r => if valid_reg r then Some (Reg r) else None
  | OS n =>
      if (0 <=? n) && (n mod 4 =? 0) && (sp mod 4 =? 0) && (sp + n <? in_args cf)
      then Some (Stk (sp + n)) else None
  end.

Fixpoint alocs (cf : config) (sp : Z) (os : list aop) : option (list loc) :=
  match os with
  | [] => Some []
  | o :: os' =>
      match aloc cf sp o, alocs cf sp os' with
      | Some l, Some ls => Some (l :: ls)
      | _, _ => None
      end
  end.

(** Index of the first occurrence of a location in a list. *)
Fixpoint find_idx (l : loc) (ls : list loc) : option nat :=
  match ls with
  | [] => None
  | l' :: r => if loc_eq_dec l l' then Some O else option_map S (find_idx l r)
  end.

(** The entry locations of the parameter words (SP offset 0). *)
Definition entry_homes (cf : config) : list loc :=
  map (fun o => match o with OR r => Reg r | OS n => Stk n end) (param_homes (c_sig cf)).
