(* The validator: facts "location l holds value x" per program point, checked as a post-fixpoint. *)
From Coq Require Import ZArith List Bool Lia.
From VCR Require Import Syntax.
Import ListNotations.
Open Scope Z_scope.

(** An abstract value: a vreg of the original, the entry value of a
    register (callee-saved preservation, reserved R9-R11), or argument word j. *)
Inductive aval := AV (v : vreg) | AE (r : Z) | AA (j : nat).
(** A fact: location l holds x, or vreg v holds the constant c. *)
Inductive fact := FL (l : loc) (x : aval) | FC (v : vreg) (c : Z).

Definition aval_eq_dec : forall a b : aval, {a = b} + {a <> b}.
Proof. decide equality; try apply Z.eq_dec; apply Nat.eq_dec. Defined.
Definition fact_eq_dec : forall a b : fact, {a = b} + {a <> b}.
Proof. decide equality; auto using Z.eq_dec, loc_eq_dec, aval_eq_dec. Defined.

(** The abstract state at a program point: the SP offset and the facts. *)
Record abs := mkA { a_sp : Z; a_F : list fact }.

Definition memf (f : fact) (F : list fact) : bool := if in_dec fact_eq_dec f F then true else false.

Definition about_loc (l : loc) (f : fact) : bool :=
  match f with FL l' _ => if loc_eq_dec l l' then true else false | FC _ _ => false end.
Definition mentions (v : vreg) (f : fact) : bool :=
  match f with FL _ (AV w) => Z.eqb v w | FC w _ => Z.eqb v w | _ => false end.
Definition kill_loc (l : loc) (F : list fact) := filter (fun f => negb (about_loc l f)) F.
Definition kill_v (v : vreg) (F : list fact) := filter (fun f => negb (mentions v f)) F.
Definition below (b : Z) (f : fact) : bool :=
  match f with FL (Stk o) _ => o <? b | _ => false end.
Definition kill_below (b : Z) (F : list fact) := filter (fun f => negb (below b f)) F.
Definition clobbered (f : fact) : bool :=
  match f with FL (Reg r) _ => caller_saved r | _ => false end.
Definition kill_clobbered (F : list fact) := filter (fun f => negb (clobbered f)) F.

(** Values held at l; locations holding x; vregs known equal to c. *)
Definition vals_at (l : loc) (F : list fact) : list aval :=
  flat_map (fun f => match f with FL l' x => if loc_eq_dec l l' then [x] else [] | _ => [] end) F.
Definition holders (x : aval) (F : list fact) : list loc :=
  flat_map (fun f => match f with FL l y => if aval_eq_dec x y then [l] else [] | _ => [] end) F.
Definition consts_of (c : Z) (F : list fact) : list vreg :=
  flat_map (fun f => match f with FC v c' => if Z.eq_dec c c' then [v] else [] | _ => [] end) F.

Fixpoint kill_locs (ls : list loc) (F : list fact) : list fact :=
  match ls with [] => F | l :: ls' => kill_locs ls' (kill_loc l F) end.
Fixpoint kill_vs (ds : list vreg) (F : list fact) : list fact :=
  match ds with [] => F | d :: ds' => kill_vs ds' (kill_v d F) end.

(** Define vreg v in location l. *)
Definition def1 (l : loc) (v : vreg) (F : list fact) := FL l (AV v) :: kill_loc l (kill_v v F).
Fixpoint defs (ls : list loc) (vs : list vreg) (F : list fact) : list fact :=
  match ls, vs with
  | l :: ls', v :: vs' => defs ls' vs' (def1 l v F)
  | _, _ => F
  end.

(** Every operand location holds its vreg. *)
Fixpoint holds_all (F : list fact) (ls : list loc) (vs : list vreg) : bool :=
  match ls, vs with
  | [], [] => true
  | l :: ls', v :: vs' => memf (FL l (AV v)) F && holds_all F ls' vs'
  | _, _ => false
  end.

Definition uses_ok (cf : config) (A : abs) (os : list aop) (vs : list vreg) : bool :=
  match alocs cf (a_sp A) os with Some ls => holds_all (a_F A) ls vs | None => false end.

(** R9-R11 hold the runtime's values (they feed every memory access and call). *)
Definition resv_ok (F : list fact) : bool :=
  memf (FL (Reg 9) (AE 9)) F && memf (FL (Reg 10) (AE 10)) F && memf (FL (Reg 11) (AE 11)) F.

(** Argument words j, j+1, ... go to ds. *)
Fixpoint params (j : nat) (ds : list vreg) (F : list fact) : list fact :=
  match ds with
  | [] => F
  | d :: ds' =>
      let F1 := kill_v d F in
      params (S j) ds' (map (fun l => FL l (AV d)) (holders (AA j) F1) ++ F1)
  end.

(** Transfer of an original instruction paired with its vreg instruction. *)
Definition tr_orig (cf : config) (A : abs) (ai : ainstr) (vi : vinstr) : option abs :=
  let sp := a_sp A in
  let F := a_F A in
  match ai, vi with
  | AGen k ads aus, VGen k' vds vus =>
      if Z.eqb k k' && uses_ok cf A aus vus && resv_ok F then
        match alocs cf sp ads with
        | Some lds => if Nat.eqb (length lds) (length vds) then Some (mkA sp (defs lds vds F)) else None
        | None => None
        end
      else None
  | AOp k ads aus, VOp k' vds vus =>
      (* a pure operation: if an operand is not provably right, its results are unknown *)
      if Z.eqb k k' then
        match alocs cf sp ads, alocs cf sp aus with
        | Some lds, Some _ =>
            if Nat.eqb (length lds) (length vds) then
              Some (mkA sp (if uses_ok cf A aus vus then defs lds vds F else kill_locs lds (kill_vs vds F)))
            else None
        | _, _ => None
        end
      else None
  | ACopy ad au, VCopy vd vu =>
      match aloc cf sp ad, aloc cf sp au with
      | Some ld, Some lu =>
          (* the target holds vd only if the source provably holds vu *)
          let F1 := kill_loc ld (kill_v vd F) in
          let rest := map (FL ld) (vals_at lu (kill_v vd F))
                      ++ map (fun l => FL l (AV vd)) (holders (AV vu) F1) ++ F1 in
          Some (mkA sp (if memf (FL lu (AV vu)) F then FL ld (AV vd) :: rest else rest))
      | _, _ => None
      end
  | AConst ad c, VConst vd c' =>
      if Z.eqb c c' then
        match aloc cf sp ad with
        | Some ld =>
            let F1 := kill_loc ld (kill_v vd F) in
            Some (mkA sp (FL ld (AV vd) :: FC vd c :: map (fun w => FL ld (AV w)) (consts_of c F1) ++ F1))
        | None => None
        end
      else None
  | AParam _, VParam vds => Some (mkA sp (params O vds F))
  | ACall f _ _, VCall f' vargs vres =>
      match lookup_sig f (c_callees cf) with
      | Some sg =>
          let rr := result_regs sg in
          if Z.eqb f f' && uses_ok cf A (param_homes sg) vargs && resv_ok F && (sp mod 8 =? 0)
             && Nat.eqb (length vres) (length rr) && Nat.leb (length rr) 4
          then Some (mkA sp (defs (map Reg rr) vres
                               (kill_below (sp + stack_param_bytes sg) (kill_clobbered F))))
          else None
      | None => None
      end
  | _, _ => None
  end.

(** Transfer of a primitive inserted instruction. *)
Definition tr_ins (cf : config) (A : abs) (ai : ainstr) : option abs :=
  let sp := a_sp A in
  let F := a_F A in
  match ai with
  | AMove ad as_ =>
      match aloc cf sp ad, aloc cf sp as_ with
      | Some ld, Some ls => Some (mkA sp (map (FL ld) (vals_at ls F) ++ kill_loc ld F))
      | _, _ => None
      end
  | ARemat ad c =>
      match aloc cf sp ad with
      | Some ld => Some (mkA sp (map (fun w => FL ld (AV w)) (consts_of c F) ++ kill_loc ld F))
      | None => None
      end
  | AAdjsp n =>
      let sp' := sp + n in
      if (n mod 4 =? 0) && (- c_limit cf <=? sp') && (sp' <=? 0)
      then Some (mkA sp' (kill_below sp' F)) else None
  | _ => None
  end.

Fixpoint tr_ins_list (cf : config) (A : abs) (l : list ainstr) : option abs :=
  match l with
  | [] => Some A
  | i :: l' => match tr_ins cf A i with Some A' => tr_ins_list cf A' l' | None => None end
  end.

(** A pure vreg instruction the allocator dropped: the vreg side runs it alone. *)

Definition tr_elide (F : list fact) (vi : vinstr) : option (list fact) :=
  match vi with
  | VOp _ ds _ => Some (kill_vs ds F)
  | VConst d c => Some (FC d c :: kill_v d F)
  | VCopy d u =>
      if Z.eqb d u then Some F
      else let F1 := kill_v d F in Some (map (fun l => FL l (AV d)) (holders (AV u) F1) ++ F1)
  | _ => None
  end.

(** Greedy pairing: drop elidable vreg instructions until one has the shape of ai. *)
Fixpoint skip (ai : ainstr) (A : abs) (vis : list vinstr) : option (abs * list vinstr) :=
  match vis with
  | [] => None
  | vi :: vis' =>
      if same_shape ai vi then Some (A, vis)
      else if elidable vi then
        match tr_elide (a_F A) vi with Some F' => skip ai (mkA (a_sp A) F') vis' | None => None end
      else None
  end.

(** At the block end, every vreg instruction left must be elidable. *)
Fixpoint skip_all (A : abs) (vis : list vinstr) : option abs :=
  match vis with
  | [] => Some A
  | vi :: vis' => match tr_elide (a_F A) vi with Some F' => skip_all (mkA (a_sp A) F') vis' | None => None end
  end.

(** Before an inserted instruction, drop the elidable vreg instructions the
    next original would drop anyway (so a rematerialisation after a dropped
    `movi` sees its constant). Only a proposal: the transfer checks the rest. *)
Definition pre_elide (A : abs) (ais : list ainstr) (vis : list vinstr) : abs * list vinstr :=
  match find is_orig ais with
  | Some ai => match skip ai A vis with Some (A1, vis1) => (A1, vis1) | None => (A, vis) end
  | None => match skip_all A vis with Some A1 => (A1, []) | None => (A, vis) end
  end.

(** A block body: the originals consume the vreg block in order. *)
Fixpoint tr_block (cf : config) (A : abs) (ais : list ainstr) (vis : list vinstr) : option abs :=
  match ais with
  | [] => skip_all A vis
  | ai :: ais' =>
      if is_orig ai then
        match skip ai A vis with
        | Some (A1, vi :: vis') =>
            match tr_orig cf A1 ai vi with Some A' => tr_block cf A' ais' vis' | None => None end
        | _ => None
        end
      else
        let '(A0, vis0) := pre_elide A ais' vis in
        match tr_ins_list cf A0 (expand ai) with Some A' => tr_block cf A' ais' vis0 | None => None end
  end.

(** An allocated label leads to original block t directly, or through an
    edge block (inserted code ending in a jump to an original block). *)
Definition resolve (nor : nat) (ab : list (list ainstr * aterm)) (t : nat) : option nat :=
  if Nat.ltb t nor then Some t
  else match nth_error ab t with
       | Some (_, AGoto t') => if Nat.ltb t' nor then Some t' else None
       | _ => None
       end.

Fixpoint resolves (nor : nat) (ab : list (list ainstr * aterm)) (ts : list nat) (ts' : list nat) : bool :=
  match ts, ts' with
  | [], [] => true
  | t :: r, t' :: r' =>
      match resolve nor ab t with Some u => Nat.eqb u t' && resolves nor ab r r' | None => false end
  | _, _ => false
  end.

Definition all_saved (F : list fact) : bool :=
  forallb (fun r => memf (FL (Reg r) (AE r)) F) saved_regs.

(** Terminator check; returns the allocated successors. *)
Definition tr_term (cf : config) (nor : nat) (ab : list (list ainstr * aterm)) (A : abs)
    (atm : aterm) (vt : vterm) : option (list nat) :=
  match atm, vt with
  | AGoto t, VGoto t' => match resolve nor ab t with Some u => if Nat.eqb u t' then Some [t] else None | None => None end
  | ABr k aus ts, VBr k' vus ts' =>
      if Z.eqb k k' && uses_ok cf A aus vus && resolves nor ab ts ts' && negb (Nat.eqb (length ts) 0)
      then Some ts else None
  | ARet _, VRet vus =>
      if uses_ok cf A (map OR (result_regs (c_sig cf))) vus && (a_sp A =? 0) && all_saved (a_F A)
      then Some [] else None
  | ATrap k, VTrap k' => if Z.eqb k k' then Some [] else None
  | _, _ => None
  end.

(** B's facts include A's and SP agrees: A may be assumed where B holds. *)
Definition sub (A B : abs) : bool := (a_sp A =? a_sp B) && forallb (fun f => memf f (a_F B)) (a_F A).

Definition edge_ok (ins : list (option abs)) (Aout : abs) (t : nat) : bool :=
  match nth_error ins t with Some (Some At) => sub At Aout | _ => false end.

(** The per-block obligation, given the claimed entry states ins. *)
Definition check_block (cf : config) (vf : vfun) (af : afun) (ins : list (option abs)) (b : nat) : bool :=
  let nor := length (v_blocks vf) in
  let ab := a_blocks af in
  match nth_error ins b with
  | Some None => true
  | Some (Some A) =>
      match nth_error ab b with
      | Some (ais, atm) =>
          if Nat.ltb b nor then
            match nth_error (v_blocks vf) b with
            | Some (vis, vt) =>
                match tr_block cf A ais vis with
                | Some A' => match tr_term cf nor ab A' atm vt with
                             | Some succs => forallb (edge_ok ins A') succs
                             | None => false end
                | None => false
                end
            | None => false
            end
          else
            match tr_block cf A ais [], atm with
            | Some A', AGoto t => Nat.ltb t nor && edge_ok ins A' t
            | _, _ => false
            end
      | None => false
      end
  | None => false
  end.

(** The facts true at function entry. *)
Definition init_abs (cf : config) : abs :=
  let hs := entry_homes cf in
  mkA 0 (flat_map (fun l => match find_idx l hs with Some j => [FL l (AA j)] | None => [] end) hs
         ++ flat_map (fun r => match find_idx (Reg r) hs with None => [FL (Reg r) (AE r)] | Some _ => [] end)
                     saved_regs).

Definition check_all (cf : config) (vf : vfun) (af : afun) (ins : list (option abs)) : bool :=
  let nor := length (v_blocks vf) in
  Nat.eqb (length ins) (length (a_blocks af)) && Nat.ltb 0 nor && Nat.leb nor (length (a_blocks af))
  && match nth_error ins 0 with Some (Some A0) => sub A0 (init_abs cf) | _ => false end
  && forallb (check_block cf vf af ins) (seq 0 (length (a_blocks af))).
