(* The two semantics (vreg form over vregs, allocated form over registers and frame; calls are events) and the simulation proof. *)
From Coq Require Import ZArith List Bool Lia.
From VCR Require Import Syntax Validator Solve.
Import ListNotations.
Open Scope Z_scope.

Section SEM.

(** Values, linear memory plus globals, and what a trap exposes: abstract. *)
Variable val mem trapv : Type.

(** The result of a kept operation: result words and memory, or a trap. *)
Inductive gres := GNext (rs : list val) (m : mem) | GTrap (t : trapv).

(** Every kept operation is an abstract function of the runtime's R9-R11
    (globals base, memory size, memory base), its operand values and memory. *)
Variable gen : key -> list val -> mem -> gres.
(** Pure operations: a function of the operand values alone. *)
Variable pure : key -> list val -> list val.
(** Callees: results and memory out, a function of (callee, R9-R11 and
    argument words, memory) (assumption A1). *)
Variable ext : key -> list val -> mem -> list val * mem.
(** The value of an immediate constant. *)
Variable cst : Z -> val.
(** brif/brtable: which target index the operand values pick (past the end: the last, the default). *)
Variable pick : key -> list val -> nat.
(** What `trap reason` exposes. *)
Variable trapk : key -> mem -> trapv.
(** What a clobbered location holds after the n-th clobbering event
    (a call, or SP moving): any behaviour of callees and interrupts. *)
Variable junk : nat -> loc -> val.
(** The run's inputs: argument words, and the registers at entry. *)
Variable arg : nat -> val.
Variable ent : Z -> val.

Variable cf : config.

(** A call: the callee, the R9-R11 values and argument words, memory in. *)
Record event := Ev { ev_f : key; ev_args : list val; ev_m : mem }.

(** How a run ends: a return (result words, memory, then what the caller
    finds in R4-R11 and LR, and SP), or a trap. *)
Inductive outcome :=
| ORet (rs : list val) (m : mem) (saved : list val) (sp : Z)
| OTrap (t : trapv).

Inductive ires (S : Type) := INext (e : list event) (s : S) | IStop (e : list event) (o : outcome) | IWrong.
Arguments INext {S}. Arguments IStop {S}. Arguments IWrong {S}.

Inductive tres := TGoto (t : nat) | TEnd (o : outcome) | TWrong.

Inductive result := RDone (t : list event) (o : outcome) | ROut (t : list event) | RWrong.

Definition prepend {S} (e : list event) (r : ires S) : ires S :=
  match r with INext e' s => INext (e ++ e') s | IStop e' o => IStop (e ++ e') o | IWrong => IWrong end.
Definition rprepend (e : list event) (r : result) : result :=
  match r with RDone t o => RDone (e ++ t) o | ROut t => ROut (e ++ t) | RWrong => RWrong end.

Definition upd (f : Z -> val) (x : Z) (v : val) : Z -> val := fun y => if Z.eq_dec y x then v else f y.

(** ---- vreg form ---- *)
Record vstate := mkV { vr : Z -> val; vm : mem }.

Definition vwr (s : vstate) (d : vreg) (v : val) : vstate := mkV (upd (vr s) d v) (vm s).
Fixpoint vwr_list (s : vstate) (ds : list vreg) (vs : list val) : vstate :=
  match ds with [] => s | d :: ds' => vwr_list (vwr s d (hd (cst 0) vs)) ds' (tl vs) end.

(** The vreg form has no R9-R11: it uses the runtime's values directly. *)
Definition vbases : list val := [ent 9; ent 10; ent 11].

Definition exec_v (s : vstate) (i : vinstr) : ires vstate :=
  match i with
  | VGen k ds us =>
      match gen k (vbases ++ map (vr s) us) (vm s) with
      | GNext rs m => INext [] (vwr_list (mkV (vr s) m) ds rs)
      | GTrap t => IStop [] (OTrap t)
      end
  | VOp k ds us => INext [] (vwr_list s ds (pure k (map (vr s) us)))
  | VCopy d u => INext [] (vwr s d (vr s u))
  | VConst d c => INext [] (vwr s d (cst c))
  | VParam ds => INext [] (vwr_list s ds (map arg (seq 0 (length ds))))
  | VCall f args res =>
      let a := vbases ++ map (vr s) args in
      let '(rs, m') := ext f a (vm s) in
      INext [Ev f a (vm s)] (vwr_list (mkV (vr s) m') res rs)
  end.

Fixpoint exec_vlist (s : vstate) (l : list vinstr) : ires vstate :=
  match l with
  | [] => INext [] s
  | i :: l' =>
      match exec_v s i with
      | INext e s' => prepend e (exec_vlist s' l')
      | IStop e o => IStop e o
      | IWrong => IWrong
      end
  end.

Definition exec_vt (s : vstate) (t : vterm) : tres :=
  match t with
  | VGoto l => TGoto l
  | VBr k us ts => TGoto (nth (Nat.min (pick k (map (vr s) us)) (pred (length ts))) ts O)
  | VRet us => TEnd (ORet (map (vr s) us) (vm s) (map ent saved_regs) 0)
  | VTrap k => TEnd (OTrap (trapk k (vm s)))
  end.

Fixpoint run_v (vf : vfun) (n : nat) (b : nat) (s : vstate) : result :=
  match n with
  | O => ROut []
  | S n' =>
      match nth_error (v_blocks vf) b with
      | None => RWrong
      | Some (is, t) =>
          match exec_vlist s is with
          | INext e s' =>
              match exec_vt s' t with
              | TGoto b' => rprepend e (run_v vf n' b' s')
              | TEnd o => RDone e o
              | TWrong => RWrong
              end
          | IStop e o => RDone e o
          | IWrong => RWrong
          end
      end
  end.

(** ---- allocated form ---- *)
(** Registers, frame words (by offset from the entry SP), the SP offset,
    memory, and the count of clobbering events so far. *)
Record astate := mkS { rg : Z -> val; sk : Z -> val; spv : Z; am : mem; tk : nat }.

Definition rd (s : astate) (l : loc) : val := match l with Reg r => rg s r | Stk o => sk s o end.
Definition wr (s : astate) (l : loc) (v : val) : astate :=
  match l with
  | Reg r => mkS (upd (rg s) r v) (sk s) (spv s) (am s) (tk s)
  | Stk o => mkS (rg s) (upd (sk s) o v) (spv s) (am s) (tk s)
  end.
Fixpoint wr_list (s : astate) (ls : list loc) (vs : list val) : astate :=
  match ls with [] => s | l :: ls' => wr_list (wr s l (hd (cst 0) vs)) ls' (tl vs) end.

Definition abases (s : astate) : list val := [rg s 9; rg s 10; rg s 11].

(** SP moves to sp': the words below it are lost (interrupts may write there). *)
Definition move_sp (s : astate) (sp' : Z) : astate :=
  mkS (rg s) (fun o => if o <? sp' then junk (tk s) (Stk o) else sk s o) sp' (am s) (S (tk s)).

(** After a call: caller-saved registers and the words below the end of the
    outgoing-argument area are lost; memory is the callee's. *)
Definition clobber (s : astate) (b : Z) (m : mem) : astate :=
  mkS (fun r => if caller_saved r then junk (tk s) (Reg r) else rg s r)
      (fun o => if o <? b then junk (tk s) (Stk o) else sk s o) (spv s) m (S (tk s)).

Definition exec_a_orig (s : astate) (i : ainstr) : ires astate :=
  let sp := spv s in
  match i with
  | AGen k ds us =>
      match alocs cf sp us, alocs cf sp ds with
      | Some lus, Some lds =>
          match gen k (abases s ++ map (rd s) lus) (am s) with
          | GNext rs m => INext [] (wr_list (mkS (rg s) (sk s) sp m (tk s)) lds rs)
          | GTrap t => IStop [] (OTrap t)
          end
      | _, _ => IWrong
      end
  | AOp k ds us =>
      match alocs cf sp us, alocs cf sp ds with
      | Some lus, Some lds => INext [] (wr_list s lds (pure k (map (rd s) lus)))
      | _, _ => IWrong
      end
  | ACopy d u =>
      match aloc cf sp d, aloc cf sp u with
      | Some ld, Some lu => INext [] (wr s ld (rd s lu))
      | _, _ => IWrong
      end
  | AConst d c => match aloc cf sp d with Some ld => INext [] (wr s ld (cst c)) | None => IWrong end
  | AParam _ => INext [] s
  | ACall f _ _ =>
      match lookup_sig f (c_callees cf) with
      | Some sg =>
          match alocs cf sp (param_homes sg) with
          | Some lhs =>
              if sp mod 8 =? 0 then
                let a := abases s ++ map (rd s) lhs in
                let '(rs, m') := ext f a (am s) in
                INext [Ev f a (am s)]
                      (wr_list (clobber s (sp + stack_param_bytes sg) m') (map Reg (result_regs sg)) rs)
              else IWrong
          | None => IWrong
          end
      | None => IWrong
      end
  | _ => IWrong
  end.

Definition exec_a_ins (s : astate) (i : ainstr) : option astate :=
  let sp := spv s in
  match i with
  | AMove d u =>
      match aloc cf sp d, aloc cf sp u with
      | Some ld, Some lu => Some (wr s ld (rd s lu))
      | _, _ => None
      end
  | ARemat d c => match aloc cf sp d with Some ld => Some (wr s ld (cst c)) | None => None end
  | AAdjsp n =>
      let sp' := sp + n in
      if (n mod 4 =? 0) && (- c_limit cf <=? sp') && (sp' <=? 0) then Some (move_sp s sp') else None
  | _ => None
  end.

Fixpoint exec_a_ins_list (s : astate) (l : list ainstr) : option astate :=
  match l with
  | [] => Some s
  | i :: l' => match exec_a_ins s i with Some s' => exec_a_ins_list s' l' | None => None end
  end.

Fixpoint exec_alist (s : astate) (l : list ainstr) : ires astate :=
  match l with
  | [] => INext [] s
  | i :: l' =>
      if is_orig i then
        match exec_a_orig s i with
        | INext e s' => prepend e (exec_alist s' l')
        | IStop e o => IStop e o
        | IWrong => IWrong
        end
      else match exec_a_ins_list s (expand i) with Some s' => exec_alist s' l' | None => IWrong end
  end.

Definition exec_at (s : astate) (t : aterm) : tres :=
  match t with
  | AGoto l => TGoto l
  | ABr k us ts =>
      match alocs cf (spv s) us with
      | Some ls => TGoto (nth (Nat.min (pick k (map (rd s) ls)) (pred (length ts))) ts O)
      | None => TWrong
      end
  | ARet _ => TEnd (ORet (map (rg s) (result_regs (c_sig cf))) (am s) (map (rg s) saved_regs) (spv s))
  | ATrap k => TEnd (OTrap (trapk k (am s)))
  end.

Fixpoint run_a (af : afun) (n : nat) (b : nat) (s : astate) : result :=
  match n with
  | O => ROut []
  | S n' =>
      match nth_error (a_blocks af) b with
      | None => RWrong
      | Some (is, t) =>
          match exec_alist s is with
          | INext e s' =>
              match exec_at s' t with
              | TGoto b' => rprepend e (run_a af n' b' s')
              | TEnd o => RDone e o
              | TWrong => RWrong
              end
          | IStop e o => RDone e o
          | IWrong => RWrong
          end
      end
  end.

(** ---- initial states ---- *)
(** The caller put argument word j in its AAPCS home; everything else holds
    what it held (registers: ent; frame: stk0). *)
Definition init_rd (stk0 : Z -> val) (l : loc) : val :=
  match find_idx l (entry_homes cf) with
  | Some j => arg j
  | None => match l with Reg r => ent r | Stk o => stk0 o end
  end.
Definition init_a (stk0 : Z -> val) (m0 : mem) : astate :=
  mkS (fun r => init_rd stk0 (Reg r)) (fun o => init_rd stk0 (Stk o)) 0 m0 O.
Definition init_v (vr0 : Z -> val) (m0 : mem) : vstate := mkV vr0 m0.

(** Equal observable behaviour: the same calls with the same arguments and
    memory, then the same outcome; or the same calls so far. *)
Definition rmatch (r1 r2 : result) : Prop :=
  match r1, r2 with
  | RDone t o, RDone t' o' => t = t' /\ o = o'
  | ROut t, ROut t' => t = t'
  | _, _ => False
  end.


(** ---- the simulation invariant ---- *)
Definition aval_sem (s : vstate) (x : aval) : val :=
  match x with AV v => vr s v | AE r => ent r | AA j => arg j end.

Definition fholds (sv : vstate) (sa : astate) (f : fact) : Prop :=
  match f with FL l x => rd sa l = aval_sem sv x | FC v c => vr sv v = cst c end.

Definition facts (F : list fact) (sv : vstate) (sa : astate) : Prop := forall f, In f F -> fholds sv sa f.

(** Abstract state A describes the pair: same SP offset, same memory, every fact true. *)
Definition MS (A : abs) (sv : vstate) (sa : astate) : Prop :=
  spv sa = a_sp A /\ vm sv = am sa /\ facts (a_F A) sv sa.

Lemma memf_In : forall f F, memf f F = true -> In f F.
Proof. unfold memf; intros f F H; destruct (in_dec fact_eq_dec f F); congruence. Qed.

Lemma rd_wr : forall s l v l', rd (wr s l v) l' = if loc_eq_dec l l' then v else rd s l'.
Proof.
  intros s l v l'; destruct l, l'; simpl; unfold upd;
  repeat destruct Z.eq_dec; repeat destruct loc_eq_dec; try congruence; subst; auto.
Qed.

Lemma fholds_ext : forall sv sa sv' sa' f,
  (forall v, vr sv' v = vr sv v) -> (forall l, rd sa' l = rd sa l) -> fholds sv sa f -> fholds sv' sa' f.
Proof.
  intros sv sa sv' sa' f Hv Hl H; destruct f as [l x | v c]; simpl in *.
  - rewrite Hl, H; destruct x; simpl; auto.
  - rewrite Hv; auto.
Qed.

Lemma fholds_wr : forall sv sa l v f, about_loc l f = false -> fholds sv sa f -> fholds sv (wr sa l v) f.
Proof.
  intros sv sa l v f Ha H; destruct f as [l' x | w c]; simpl in *; auto.
  rewrite rd_wr; destruct loc_eq_dec; [discriminate | auto].
Qed.

Lemma fholds_vwr : forall sv sa d v f, mentions d f = false -> fholds sv sa f -> fholds (vwr sv d v) sa f.
Proof.
  intros sv sa d v f Hm H; destruct f as [l x | w c]; simpl in *.
  - rewrite H; destruct x; simpl in *; auto; unfold upd; destruct Z.eq_dec; subst; auto.
    rewrite Z.eqb_refl in Hm; discriminate.
  - unfold upd; destruct Z.eq_dec; subst; auto; rewrite Z.eqb_refl in Hm; discriminate.
Qed.

Lemma in_kill_loc : forall f l F, In f (kill_loc l F) -> In f F /\ about_loc l f = false.
Proof. unfold kill_loc; intros f l F H; apply filter_In in H; destruct H; split; auto; destruct about_loc; auto. Qed.
Lemma in_kill_v : forall f v F, In f (kill_v v F) -> In f F /\ mentions v f = false.
Proof. unfold kill_v; intros f v F H; apply filter_In in H; destruct H; split; auto; destruct mentions; auto. Qed.

Lemma vm_vwr_list : forall ds s vs, vm (vwr_list s ds vs) = vm s.
Proof. induction ds; simpl; intros; auto; rewrite IHds; auto. Qed.
Lemma wr_list_fields : forall ls s vs, spv (wr_list s ls vs) = spv s /\ am (wr_list s ls vs) = am s.
Proof. induction ls as [|l ls IH]; simpl; intros; auto; destruct (IH (wr s l (hd (cst 0) vs)) (tl vs)) as [H1 H2];
  rewrite H1, H2; destruct l; simpl; auto. Qed.

Lemma def1_sound : forall l v F sv sa x, facts F sv sa -> facts (def1 l v F) (vwr sv v x) (wr sa l x).
Proof.
  intros l v F sv sa x H f Hf; destruct Hf as [<- | Hf].
  - simpl; rewrite rd_wr; destruct loc_eq_dec; [|congruence]; unfold upd; destruct Z.eq_dec; congruence.
  - apply in_kill_loc in Hf; destruct Hf as [Hf Ha]; apply in_kill_v in Hf; destruct Hf as [Hf Hm].
    apply fholds_vwr; auto; apply fholds_wr; auto.
Qed.

Lemma defs_sound : forall ls vs F sv sa rs, length ls = length vs -> facts F sv sa ->
  facts (defs ls vs F) (vwr_list sv vs rs) (wr_list sa ls rs).
Proof.
  induction ls as [|l ls IH]; intros [|v vs] F sv sa rs Hl H; simpl in *; try discriminate; auto.
  apply IH; auto; apply def1_sound; auto.
Qed.

Lemma kill_vs_sound : forall ds F sv sa rs, facts F sv sa -> facts (kill_vs ds F) (vwr_list sv ds rs) sa.
Proof.
  induction ds as [|d ds IH]; intros F sv sa rs H; simpl; auto.
  apply IH; intros f Hf; apply in_kill_v in Hf; destruct Hf; apply fholds_vwr; auto.
Qed.

Lemma kill_locs_sound : forall ls F sv sa rs, facts F sv sa -> facts (kill_locs ls F) sv (wr_list sa ls rs).
Proof.
  induction ls as [|l ls IH]; intros F sv sa rs H; simpl; auto.
  apply IH; intros f Hf; apply in_kill_loc in Hf; destruct Hf; apply fholds_wr; auto.
Qed.

Lemma holds_all_sound : forall ls vs F sv sa, holds_all F ls vs = true -> facts F sv sa ->
  map (rd sa) ls = map (vr sv) vs.
Proof.
  induction ls as [|l ls IH]; intros [|v vs] F sv sa Hh H; simpl in *; try discriminate; auto.
  apply andb_prop in Hh; destruct Hh as [H1 H2]; apply memf_In, H in H1; simpl in H1.
  rewrite H1, (IH vs F sv sa); auto.
Qed.

Lemma uses_ok_sound : forall A os vs sv sa, uses_ok cf A os vs = true -> MS A sv sa ->
  exists ls, alocs cf (spv sa) os = Some ls /\ map (rd sa) ls = map (vr sv) vs.
Proof.
  unfold uses_ok; intros A os vs sv sa Hu [Hsp [Hm H]]; rewrite Hsp.
  destruct (alocs cf (a_sp A) os) as [ls|]; [|discriminate]; exists ls; split; auto.
  eapply holds_all_sound; eauto.
Qed.

Lemma resv_sound : forall F sv sa, resv_ok F = true -> facts F sv sa ->
  rg sa 9 = ent 9 /\ rg sa 10 = ent 10 /\ rg sa 11 = ent 11.
Proof.
  unfold resv_ok; intros F sv sa Hr H; repeat rewrite andb_true_iff in Hr; destruct Hr as [[H9 H10] H11].
  apply memf_In, H in H9; apply memf_In, H in H10; apply memf_In, H in H11; simpl in *; auto.
Qed.

Lemma in_flat_map_FL : forall (g : fact -> list fact) f F, In f (flat_map g F) -> exists f', In f' F /\ In f (g f').
Proof. intros g f F H; apply in_flat_map in H; auto. Qed.

Lemma vals_at_sound : forall l F x, In x (vals_at l F) -> In (FL l x) F.
Proof.
  unfold vals_at; intros l F x H; apply in_flat_map in H; destruct H as [[l' y|] [Hin Hx]]; simpl in Hx; try tauto.
  destruct loc_eq_dec; simpl in Hx; [|tauto]; destruct Hx as [<-|[]]; subst; auto.
Qed.
Lemma holders_sound : forall x F l, In l (holders x F) -> In (FL l x) F.
Proof.
  unfold holders; intros x F l H; apply in_flat_map in H; destruct H as [[l' y|] [Hin Hx]]; simpl in Hx; try tauto.
  destruct aval_eq_dec; simpl in Hx; [|tauto]; destruct Hx as [<-|[]]; subst; auto.
Qed.
Lemma consts_sound : forall c F w, In w (consts_of c F) -> In (FC w c) F.
Proof.
  unfold consts_of; intros c F w H; apply in_flat_map in H; destruct H as [[|v c'] [Hin Hx]]; simpl in Hx; try tauto.
  destruct Z.eq_dec; simpl in Hx; [|tauto]; destruct Hx as [<-|[]]; subst; auto.
Qed.

Lemma params_sound : forall ds j F sv sa, facts F sv sa ->
  facts (params j ds F) (vwr_list sv ds (map arg (seq j (length ds)))) sa.
Proof.
  induction ds as [|d ds IH]; intros j F sv sa H; simpl; auto.
  apply IH; intros f Hf; apply in_app_or in Hf; destruct Hf as [Hf | Hf].
  - apply in_map_iff in Hf; destruct Hf as [l [<- Hl]]; apply holders_sound, in_kill_v in Hl.
    destruct Hl as [Hl _]; apply H in Hl; simpl in *; rewrite Hl; unfold upd; destruct Z.eq_dec; congruence.
  - apply in_kill_v in Hf; destruct Hf; apply fholds_vwr; auto.
Qed.

Lemma alocs_map_OR : forall sp rs ls, alocs cf sp (map OR rs) = Some ls -> ls = map Reg rs.
Proof.
  induction rs as [|r rs IH]; simpl; intros ls H; [congruence|].
  destruct valid_reg; [|discriminate]; destruct alocs eqn:E; [|discriminate].
  inversion H; subst; f_equal; auto.
Qed.

Lemma alocs_length : forall sp os ls, alocs cf sp os = Some ls -> length ls = length os.
Proof.
  induction os as [|o os IH]; simpl; intros ls H; [inversion H; auto|].
  destruct aloc; [|discriminate]; destruct alocs eqn:E; [|discriminate]; inversion H; subst; simpl; auto.
Qed.

(** One original instruction: both sides do the same thing. *)
Definition sim1 {S T} (P : S -> T -> Prop) (rv : ires S) (ra : ires T) : Prop :=
  (exists e sv sa, rv = INext e sv /\ ra = INext e sa /\ P sv sa) \/
  (exists e o, rv = IStop e o /\ ra = IStop e o).

Lemma orig_sim : forall A ai vi A' sv sa, tr_orig cf A ai vi = Some A' -> MS A sv sa ->
  sim1 (MS A') (exec_v sv vi) (exec_a_orig sa ai).
Proof.
  intros A ai vi A' sv sa Ht HM; pose proof HM as [Hsp [Hm H]].
  unfold sim1; destruct ai, vi; simpl in Ht; try discriminate; simpl.
  - (* AGen *)
    destruct (Z.eqb k k0) eqn:Ek; [|discriminate]; apply Z.eqb_eq in Ek; subst k0.
    destruct (uses_ok cf A us us0) eqn:Eu; [|discriminate]; destruct (resv_ok (a_F A)) eqn:Er; [|discriminate].
    simpl in Ht; destruct (alocs cf (a_sp A) ds) as [lds|] eqn:Ed; [|discriminate].
    destruct (Nat.eqb (length lds) (length ds0)) eqn:El; [|discriminate]; apply Nat.eqb_eq in El.
    inversion Ht; subst A'; clear Ht.
    destruct (uses_ok_sound _ _ _ _ _ Eu HM) as [lus [E1 E2]]; rewrite E1, Hsp, Ed, E2.
    destruct (resv_sound _ _ _ Er H) as [R9 [R10 R11]]; rewrite R9, R10, R11, Hm.
    destruct (gen k (ent 9 :: ent 10 :: ent 11 :: map (vr sv) us0) (am sa)) as [rs m|t]; [left|right; eauto].
    do 3 eexists; split; [reflexivity|split; [reflexivity|]].
    destruct (wr_list_fields lds (mkS (rg sa) (sk sa) (a_sp A) m (tk sa)) rs) as [F1 F2].
    split; [rewrite F1; auto|split; [rewrite F2, vm_vwr_list; auto|]].
    simpl; apply defs_sound; auto.
  - (* AOp *)
    destruct (Z.eqb k k0) eqn:Ek; [|discriminate]; apply Z.eqb_eq in Ek; subst k0.
    destruct (alocs cf (a_sp A) ds) as [lds|] eqn:Ed; [|discriminate].
    destruct (alocs cf (a_sp A) us) as [lus|] eqn:Eus; [|discriminate].
    destruct (Nat.eqb (length lds) (length ds0)) eqn:El; [|discriminate]; apply Nat.eqb_eq in El.
    inversion Ht; subst A'; clear Ht.
    destruct (uses_ok cf A us us0) eqn:Eu.
    + destruct (uses_ok_sound _ _ _ _ _ Eu HM) as [lus' [E1 E2]]; rewrite E1, Hsp, Ed, E2.
      left; do 3 eexists; split; [reflexivity|split; [reflexivity|]].
      destruct (wr_list_fields lds sa (pure k (map (vr sv) us0))) as [F1 F2].
      split; [rewrite F1; auto|split; [rewrite F2, vm_vwr_list; auto|]].
      simpl; apply defs_sound; auto.
    + rewrite Hsp, Eus, Ed; left; do 3 eexists; split; [reflexivity|split; [reflexivity|]].
      destruct (wr_list_fields lds sa (pure k (map (rd sa) lus))) as [F1 F2].
      split; [rewrite F1; auto|split; [rewrite F2, vm_vwr_list; auto|]].
      simpl; apply kill_locs_sound, kill_vs_sound; auto.
  - (* ACopy *)
    destruct (aloc cf (a_sp A) d) as [ld|] eqn:Ed; [|discriminate].
    destruct (aloc cf (a_sp A) u) as [lu|] eqn:Eu; [|discriminate].
    inversion Ht; subst A'; clear Ht.
    rewrite Hsp, Ed, Eu; left; do 3 eexists; split; [reflexivity|split; [reflexivity|]].
    split; [destruct ld; auto|split; [destruct ld; auto|]].
    assert (Hrest : forall f, In f (map (FL ld) (vals_at lu (kill_v d0 (a_F A)))
        ++ map (fun l => FL l (AV d0)) (holders (AV u0) (kill_loc ld (kill_v d0 (a_F A))))
        ++ kill_loc ld (kill_v d0 (a_F A))) -> fholds (vwr sv d0 (vr sv u0)) (wr sa ld (rd sa lu)) f).
    2: { intros f Hf; simpl in Hf; destruct (memf (FL lu (AV u0)) (a_F A)) eqn:Em; [destruct Hf as [<-|Hf]|];
         auto; apply memf_In, H in Em; simpl in Em.
         simpl; rewrite rd_wr; destruct loc_eq_dec; [|congruence]; unfold upd; destruct Z.eq_dec; congruence. }
    intros f Hf; apply in_app_or in Hf; destruct Hf as [Hf|Hf]; [|apply in_app_or in Hf; destruct Hf as [Hf|Hf]].
    + apply in_map_iff in Hf; destruct Hf as [x [<- Hx]]; apply vals_at_sound in Hx.
      apply in_kill_v in Hx; destruct Hx as [Hx Hn].
      pose proof (H _ Hx) as Hh; simpl in Hh |- *.
      rewrite rd_wr; destruct loc_eq_dec; [|congruence]; rewrite Hh.
      destruct x; simpl in *; auto; unfold upd; destruct Z.eq_dec; subst; auto;
      try (rewrite Z.eqb_refl in Hn; discriminate).
    + apply in_map_iff in Hf; destruct Hf as [l [<- Hx]]; apply holders_sound in Hx.
      apply in_kill_loc in Hx; destruct Hx as [Hx Ha]; apply in_kill_v in Hx; destruct Hx as [Hx Hn].
      pose proof (H _ Hx) as Hh; simpl in Hh, Hn, Ha |- *.
      rewrite rd_wr; destruct loc_eq_dec; [discriminate|]; rewrite Hh.
      unfold upd; destruct Z.eq_dec; congruence.
    + apply in_kill_loc in Hf; destruct Hf as [Hf Ha]; apply in_kill_v in Hf; destruct Hf as [Hf Hn].
      apply fholds_vwr; auto; apply fholds_wr; auto.
  - (* AConst *)
    destruct (Z.eqb c c0) eqn:Ec; [|discriminate]; apply Z.eqb_eq in Ec; subst c0.
    destruct (aloc cf (a_sp A) d) as [ld|] eqn:Ed; [|discriminate]; inversion Ht; subst A'; clear Ht.
    rewrite Hsp, Ed; left; do 3 eexists; split; [reflexivity|split; [reflexivity|]].
    split; [destruct ld; auto|split; [destruct ld; auto|]].
    intros f Hf; simpl in Hf; destruct Hf as [<-|[<-|Hf]].
    { simpl; rewrite rd_wr; destruct loc_eq_dec; [|congruence]; unfold upd; destruct Z.eq_dec; congruence. }
    { simpl; unfold upd; destruct Z.eq_dec; congruence. }
    apply in_app_or in Hf; destruct Hf as [Hf|Hf].
    + apply in_map_iff in Hf; destruct Hf as [w [<- Hw]]; apply consts_sound in Hw.
      apply in_kill_loc in Hw; destruct Hw as [Hw _]; apply in_kill_v in Hw; destruct Hw as [Hw Hn].
      pose proof (H _ Hw) as Hh; simpl in Hh, Hn |- *.
      rewrite rd_wr; destruct loc_eq_dec; [|congruence]; unfold upd; destruct Z.eq_dec; subst; auto;
      try (rewrite Z.eqb_refl in Hn; discriminate).
    + apply in_kill_loc in Hf; destruct Hf as [Hf Ha]; apply in_kill_v in Hf; destruct Hf as [Hf Hn].
      apply fholds_vwr; auto; apply fholds_wr; auto.
  - (* AParam *)
    inversion Ht; subst A'; left; do 3 eexists; split; [reflexivity|split; [reflexivity|]].
    split; auto; split; [rewrite vm_vwr_list; auto|]; apply params_sound; auto.
  - (* ACall *)
    destruct (lookup_sig f (c_callees cf)) as [sg|] eqn:Es; [|discriminate].
    destruct (Z.eqb f f0) eqn:Ef; [|discriminate]; apply Z.eqb_eq in Ef; subst f0.
    destruct (uses_ok cf A (param_homes sg) args0) eqn:Eu; [|discriminate].
    destruct (resv_ok (a_F A)) eqn:Er; [|discriminate].
    destruct (a_sp A mod 8 =? 0) eqn:E8; [|discriminate].
    destruct (Nat.eqb (length res0) (length (result_regs sg))) eqn:El; [|discriminate].
    apply Nat.eqb_eq in El; simpl in Ht.
    destruct (Nat.leb (length (result_regs sg)) 4); [|discriminate]; inversion Ht; subst A'; clear Ht.
    destruct (uses_ok_sound _ _ _ _ _ Eu HM) as [lhs [E1 E2]]; rewrite E1, Hsp, E8, E2.
    destruct (resv_sound _ _ _ Er H) as [R9 [R10 R11]]; rewrite R9, R10, R11, Hm.
    destruct (ext f (ent 9 :: ent 10 :: ent 11 :: map (vr sv) args0) (am sa)) as [rs m'] eqn:Ex.
    left; do 3 eexists; split; [reflexivity|split; [reflexivity|]].
    destruct (wr_list_fields (map Reg (result_regs sg)) (clobber sa (a_sp A + stack_param_bytes sg) m') rs) as [F1 F2].
    split; [rewrite F1; simpl; auto|split; [rewrite F2, vm_vwr_list; auto|]].
    apply defs_sound; [rewrite map_length; auto|].
    intros g Hg; unfold kill_below, kill_clobbered in Hg; apply filter_In in Hg; destruct Hg as [Hg Hb].
    apply filter_In in Hg; destruct Hg as [Hg Hc]; pose proof (H _ Hg) as Hh.
    destruct g as [[r|o] x|v c]; simpl in *; auto.
    + destruct (caller_saved r); [discriminate|]; auto.
    + destruct (o <? a_sp A + stack_param_bytes sg); [discriminate|]; auto.
Qed.


(** One inserted instruction: the vreg side does nothing. *)
Lemma ins_sim : forall A ai A' sv sa, tr_ins cf A ai = Some A' -> MS A sv sa ->
  exists sa', exec_a_ins sa ai = Some sa' /\ MS A' sv sa'.
Proof.
  intros A ai A' sv sa Ht HM; pose proof HM as [Hsp [Hm H]].
  destruct ai; simpl in Ht |- *; try discriminate; rewrite Hsp.
  - (* AMove *)
    destruct (aloc cf (a_sp A) d) as [ld|] eqn:Ed; [|discriminate].
    destruct (aloc cf (a_sp A) s) as [ls|] eqn:Es; [|discriminate]; inversion Ht; subst A'; clear Ht.
    eexists; split; [reflexivity|]; split; [destruct ld; auto|split; [destruct ld; simpl; auto|]].
    intros f Hf; simpl in Hf; apply in_app_or in Hf; destruct Hf as [Hf|Hf].
    + apply in_map_iff in Hf; destruct Hf as [x [<- Hx]]; apply vals_at_sound, H in Hx; simpl in *.
      rewrite rd_wr; destruct loc_eq_dec; congruence.
    + apply in_kill_loc in Hf; destruct Hf; apply fholds_wr; auto.
  - (* ARemat *)
    destruct (aloc cf (a_sp A) d) as [ld|] eqn:Ed; [|discriminate]; inversion Ht; subst A'; clear Ht.
    eexists; split; [reflexivity|]; split; [destruct ld; auto|split; [destruct ld; simpl; auto|]].
    intros f Hf; simpl in Hf; apply in_app_or in Hf; destruct Hf as [Hf|Hf].
    + apply in_map_iff in Hf; destruct Hf as [w [<- Hw]]; apply consts_sound, H in Hw; simpl in *.
      rewrite rd_wr; destruct loc_eq_dec; congruence.
    + apply in_kill_loc in Hf; destruct Hf; apply fholds_wr; auto.
  - (* AAdjsp *)
    destruct ((n mod 4 =? 0) && (- c_limit cf <=? a_sp A + n) && (a_sp A + n <=? 0)); [|discriminate].
    inversion Ht; subst A'; clear Ht; eexists; split; [reflexivity|].
    split; [simpl; auto|split; [simpl; auto|]].
    intros f Hf; simpl in Hf; unfold kill_below in Hf; apply filter_In in Hf; destruct Hf as [Hf Hb].
    pose proof (H _ Hf) as Hh; destruct f as [[r|o] x|v c]; simpl in *; auto.
    destruct (o <? a_sp A + n); [discriminate|auto].
Qed.

Lemma ins_list_sim : forall l A A' sv sa, tr_ins_list cf A l = Some A' -> MS A sv sa ->
  exists sa', exec_a_ins_list sa l = Some sa' /\ MS A' sv sa'.
Proof.
  induction l as [|i l IH]; simpl; intros A A' sv sa Ht HM.
  - inversion Ht; subst; eauto.
  - destruct (tr_ins cf A i) as [A1|] eqn:E; [|discriminate].
    destruct (ins_sim _ _ _ _ _ E HM) as [sa1 [E1 H1]]; rewrite E1; eauto.
Qed.

Lemma prepend_nil : forall S (r : ires S), prepend [] r = r.
Proof. intros S [e s|e o|]; reflexivity. Qed.

Lemma exec_vlist_app : forall l1 l2 sv, exec_vlist sv (l1 ++ l2) =
  match exec_vlist sv l1 with INext e s => prepend e (exec_vlist s l2) | IStop e o => IStop e o | IWrong => IWrong end.
Proof.
  induction l1 as [|i l1 IH]; intros l2 sv; simpl; [rewrite prepend_nil; auto|].
  destruct (exec_v sv i) as [e s'|e o|]; auto; rewrite IH.
  destruct (exec_vlist s' l1) as [e1 s1|e1 o1|]; simpl; auto.
  destruct (exec_vlist s1 l2); simpl; rewrite ?app_assoc; auto.
Qed.

(** A dropped pure vreg instruction: the allocated side does nothing. *)
Lemma elide_sim : forall F vi F' sv sa, tr_elide F vi = Some F' -> facts F sv sa ->
  exists sv', exec_v sv vi = INext [] sv' /\ vm sv' = vm sv /\ facts F' sv' sa.
Proof.
  intros F vi F' sv sa Ht H; destruct vi; simpl in Ht |- *; try discriminate.
  - inversion Ht; subst; eexists; split; [reflexivity|split; [apply vm_vwr_list|apply kill_vs_sound; auto]].
  - destruct (Z.eqb d u) eqn:E; inversion Ht; subst F'; clear Ht.
    + apply Z.eqb_eq in E; subst u; eexists; split; [reflexivity|split; [reflexivity|]].
      intros f Hf; eapply fholds_ext; [| |apply H; exact Hf]; auto.
      intros v; simpl; unfold upd; destruct Z.eq_dec; subst; auto.
    + eexists; split; [reflexivity|split; [reflexivity|]].
      intros f Hf; apply in_app_or in Hf; destruct Hf as [Hf|Hf].
      * apply in_map_iff in Hf; destruct Hf as [l [<- Hl]]; apply holders_sound, in_kill_v in Hl.
        destruct Hl as [Hl _]; apply H in Hl; simpl in *; rewrite Hl; unfold upd; destruct Z.eq_dec; congruence.
      * apply in_kill_v in Hf; destruct Hf; apply fholds_vwr; auto.
  - inversion Ht; subst F'; clear Ht; eexists; split; [reflexivity|split; [reflexivity|]].
    intros f [<-|Hf].
    + simpl; unfold upd; destruct Z.eq_dec; congruence.
    + apply in_kill_v in Hf; destruct Hf; apply fholds_vwr; auto.
Qed.

Lemma skip_sim : forall vis ai A A1 vis1 sv sa, skip ai A vis = Some (A1, vis1) -> MS A sv sa ->
  exists pre sv1, vis = pre ++ vis1 /\ exec_vlist sv pre = INext [] sv1 /\ MS A1 sv1 sa.
Proof.
  induction vis as [|vi vis IH]; intros ai A A1 vis1 sv sa Hs HM; simpl in Hs; [discriminate|].
  destruct (same_shape ai vi).
  - inversion Hs; subst; exists [], sv; auto.
  - destruct (elidable vi); [|discriminate]; destruct (tr_elide (a_F A) vi) as [F'|] eqn:E; [|discriminate].
    destruct HM as [Hsp [Hm H]]; destruct (elide_sim _ _ _ _ _ E H) as [sv' [Ev [Evm H']]].
    destruct (IH _ _ _ _ sv' sa Hs) as [pre [sv1 [-> [Ep H1]]]]; [split; [auto|split; [congruence|auto]]|].
    exists (vi :: pre), sv1; simpl; rewrite Ev, Ep; auto.
Qed.

Lemma skip_all_sim : forall vis A A' sv sa, skip_all A vis = Some A' -> MS A sv sa ->
  exists sv', exec_vlist sv vis = INext [] sv' /\ MS A' sv' sa.
Proof.
  induction vis as [|vi vis IH]; intros A A' sv sa Hs HM; simpl in Hs |- *; [inversion Hs; subst; eauto|].
  destruct (tr_elide (a_F A) vi) as [F'|] eqn:E; [|discriminate].
  destruct HM as [Hsp [Hm H]]; destruct (elide_sim _ _ _ _ _ E H) as [sv' [Ev [Evm H']]].
  destruct (IH _ _ sv' sa Hs) as [sv1 [Ep H1]]; [split; [auto|split; [congruence|auto]]|].
  rewrite Ev; simpl; rewrite Ep; simpl; eauto.
Qed.

Lemma pre_elide_sim : forall A ais vis A0 vis0 sv sa, pre_elide A ais vis = (A0, vis0) -> MS A sv sa ->
  exists pre sv0, vis = pre ++ vis0 /\ exec_vlist sv pre = INext [] sv0 /\ MS A0 sv0 sa.
Proof.
  unfold pre_elide; intros A ais vis A0 vis0 sv sa Hp HM.
  destruct (find is_orig ais) as [ai|].
  - destruct (skip ai A vis) as [[A1 vis1]|] eqn:Es; inversion Hp; subst.
    + eapply skip_sim; eauto.
    + exists [], sv; auto.
  - destruct (skip_all A vis) as [A1|] eqn:Es; inversion Hp; subst.
    + destruct (skip_all_sim _ _ _ _ _ Es HM) as [sv' [E H']]; exists vis, sv'; rewrite app_nil_r; auto.
    + exists [], sv; auto.
Qed.

(** A block body. *)
Lemma block_sim : forall ais A vis A' sv sa, tr_block cf A ais vis = Some A' -> MS A sv sa ->
  sim1 (MS A') (exec_vlist sv vis) (exec_alist sa ais).
Proof.
  unfold sim1; induction ais as [|ai ais IH]; intros A vis A' sv sa Ht HM; simpl in Ht |- *.
  - destruct (skip_all_sim _ _ _ _ _ Ht HM) as [sv' [E H']]; rewrite E; left; eauto 6.
  - destruct (is_orig ai) eqn:Eo.
    + destruct (skip ai A vis) as [[A0 [|vi vis']]|] eqn:Es; try discriminate.
      destruct (skip_sim _ _ _ _ _ _ _ Es HM) as [pre [sv0 [-> [Ep H0]]]].
      rewrite exec_vlist_app, Ep, prepend_nil.
      destruct (tr_orig cf A0 ai vi) as [A1|] eqn:E; [|discriminate].
      destruct (orig_sim _ _ _ _ _ _ E H0) as [[e [sv1 [sa1 [Ev [Ea H1]]]]] | [e [o [Ev Ea]]]];
        simpl; rewrite Ev, Ea.
      * destruct (IH _ _ _ _ _ Ht H1) as [[e2 [sv2 [sa2 [Ev2 [Ea2 H2]]]]] | [e2 [o [Ev2 Ea2]]]];
          rewrite Ev2, Ea2; simpl; [left|right]; eauto 6.
      * right; eauto.
    + destruct (pre_elide A ais vis) as [A0 vis0] eqn:Ep.
      destruct (pre_elide_sim _ _ _ _ _ _ _ Ep HM) as [pre [sv0 [-> [Epre H0]]]].
      rewrite exec_vlist_app, Epre, prepend_nil.
      destruct (tr_ins_list cf A0 (expand ai)) as [A1|] eqn:E; [|discriminate].
      destruct (ins_list_sim _ _ _ _ _ E H0) as [sa1 [E1 H1]]; rewrite E1.
      apply (IH _ _ _ _ _ Ht H1).
Qed.

Lemma resolves_nth : forall nor ab ts ts', resolves nor ab ts ts' = true ->
  length ts = length ts' /\ forall i, (i < length ts)%nat -> resolve nor ab (nth i ts O) = Some (nth i ts' O).
Proof.
  induction ts as [|t ts IH]; intros [|t' ts'] H; simpl in H; try discriminate.
  - split; auto; intros i Hi; simpl in Hi; lia.
  - destruct (resolve nor ab t) as [u|] eqn:E; [|discriminate]; apply andb_prop in H; destruct H as [Hu H].
    apply Nat.eqb_eq in Hu; subst u; destruct (IH _ H) as [Hl Hn]; simpl; split; auto.
    intros [|i] Hi; simpl; auto; apply Hn; lia.
Qed.

Lemma map_saved : forall F sv sa, all_saved F = true -> facts F sv sa -> map (rg sa) saved_regs = map ent saved_regs.
Proof.
  unfold all_saved; intros F sv sa Ha H; apply map_ext_in; intros r Hr.
  rewrite forallb_forall in Ha; apply Ha, memf_In, H in Hr; auto.
Qed.

(** A terminator: same successor (up to edge blocks) or the same outcome. *)
Lemma term_sim : forall nor ab A atm vt succs sv sa, tr_term cf nor ab A atm vt = Some succs -> MS A sv sa ->
  (exists t t', exec_vt sv vt = TGoto t' /\ exec_at sa atm = TGoto t /\ In t succs /\ resolve nor ab t = Some t') \/
  (exists o, exec_vt sv vt = TEnd o /\ exec_at sa atm = TEnd o).
Proof.
  intros nor ab A atm vt succs sv sa Ht HM; pose proof HM as [Hsp [Hm H]].
  destruct atm, vt; simpl in Ht |- *; try discriminate.
  - destruct (resolve nor ab t) as [u|] eqn:E; [|discriminate]; destruct (Nat.eqb u t0) eqn:Eu; [|discriminate].
    apply Nat.eqb_eq in Eu; subst; inversion Ht; subst; left; exists t, t0; simpl; auto.
  - destruct (Z.eqb k k0 && uses_ok cf A us us0 && resolves nor ab ts ts0 && negb (Nat.eqb (length ts) 0)) eqn:E;
      [|discriminate]; inversion Ht; subst succs; clear Ht.
    repeat rewrite andb_true_iff in E; destruct E as [[[Ek Eu] Er] En]; apply Z.eqb_eq in Ek; subst k0.
    destruct (uses_ok_sound _ _ _ _ _ Eu HM) as [ls [E1 E2]]; rewrite E1, E2.
    destruct (resolves_nth _ _ _ _ Er) as [Hl Hn]; rewrite <- Hl.
    destruct (length ts) eqn:Elt; [discriminate|].
    left; eexists; eexists; split; [reflexivity|split; [reflexivity|split]].
    + apply nth_In; lia.
    + apply Hn; lia.
  - destruct (uses_ok cf A (map OR (result_regs (c_sig cf))) us0) eqn:Eu; [|discriminate].
    destruct (a_sp A =? 0) eqn:Es; [|discriminate]; destruct (all_saved (a_F A)) eqn:Ea; [|discriminate].
    destruct (uses_ok_sound _ _ _ _ _ Eu HM) as [ls [E1 E2]]; apply alocs_map_OR in E1; subst ls.
    rewrite map_map in E2; simpl in E2; apply Z.eqb_eq in Es.
    assert (E3 : map (rg sa) (result_regs (c_sig cf)) = map (vr sv) us0)
      by (rewrite <- E2; apply map_ext; auto).
    pose proof (map_saved _ _ _ Ea H) as Hs; simpl in Hs.
    right; eexists; split; [reflexivity|]; rewrite E3, Hs, Hsp, Es, Hm; auto.
  - destruct (Z.eqb k k0) eqn:Ek; [|discriminate]; apply Z.eqb_eq in Ek; subst; right; rewrite Hm; eauto.
Qed.

Lemma sub_MS : forall A B sv sa, sub A B = true -> MS B sv sa -> MS A sv sa.
Proof.
  unfold sub; intros A B sv sa Hs [Hsp [Hm H]]; apply andb_prop in Hs; destruct Hs as [E Hf].
  apply Z.eqb_eq in E; split; [congruence|split; auto]; intros f Hin.
  rewrite forallb_forall in Hf; apply Hf, memf_In, H in Hin; auto.
Qed.

Lemma rmatch_prepend : forall e r1 r2, rmatch r1 r2 -> rmatch (rprepend e r1) (rprepend e r2).
Proof. intros e [t o|t|] [t' o'|t'|] H; simpl in *; try tauto; intuition congruence. Qed.

Lemma check_block_of : forall cf' vf af ins b, check_all cf' vf af ins = true ->
  (b < length (a_blocks af))%nat -> check_block cf' vf af ins b = true.
Proof.
  unfold check_all; intros cf' vf af ins b H Hb; repeat rewrite andb_true_iff in H.
  destruct H as [_ H]; rewrite forallb_forall in H; apply H, in_seq; lia.
Qed.

(** The simulation: from every original block whose claimed entry state
    describes the pair, the two runs match for any fuel on the vreg side. *)
Lemma run_sim : forall vf af ins, check_all cf vf af ins = true ->
  forall n b A sv sa, (b < length (v_blocks vf))%nat -> nth_error ins b = Some (Some A) -> MS A sv sa ->
  exists m, (n <= m)%nat /\ rmatch (run_v vf n b sv) (run_a af m b sa).
Proof.
  intros vf af ins Hc; pose proof Hc as Hc'; unfold check_all in Hc'; repeat rewrite andb_true_iff in Hc'.
  destruct Hc' as [[[[Hlen Hpos] Hle] _] _]; apply Nat.eqb_eq in Hlen; apply Nat.leb_le in Hle.
  induction n as [|n IH]; intros b A sv sa Hb Hin HM.
  - exists O; split; simpl; auto.
  - assert (Hba : (b < length (a_blocks af))%nat) by lia.
    pose proof (check_block_of _ _ _ _ _ Hc Hba) as Hcb; unfold check_block in Hcb; rewrite Hin in Hcb.
    destruct (nth_error (a_blocks af) b) as [[ais atm]|] eqn:Eab; [|discriminate].
    apply Nat.ltb_lt in Hb as Hb'; rewrite Hb' in Hcb.
    destruct (nth_error (v_blocks vf) b) as [[vis vt]|] eqn:Evb; [|discriminate].
    destruct (tr_block cf A ais vis) as [A'|] eqn:Etb; [|discriminate].
    destruct (tr_term cf (length (v_blocks vf)) (a_blocks af) A' atm vt) as [succs|] eqn:Ett; [|discriminate].
    rewrite forallb_forall in Hcb.
    destruct (block_sim _ _ _ _ _ _ Etb HM) as [[e [sv1 [sa1 [Ev [Ea H1]]]]] | [e [o [Ev Ea]]]].
    2: { exists (S n); split; auto; simpl; rewrite Evb, Eab, Ev, Ea; simpl; auto. }
    destruct (term_sim _ _ _ _ _ _ _ _ Ett H1) as [[t [t' [Tv [Ta [Tin Tr]]]]] | [o [Tv Ta]]].
    2: { exists (S n); split; auto; simpl; rewrite Evb, Eab, Ev, Ea, Tv, Ta; simpl; auto. }
    pose proof (Hcb t Tin) as He; unfold edge_ok in He.
    destruct (nth_error ins t) as [[At|]|] eqn:Et; try discriminate.
    pose proof (sub_MS _ _ _ _ He H1) as H2.
    unfold resolve in Tr; destruct (Nat.ltb t (length (v_blocks vf))) eqn:Elt.
    + inversion Tr; subst t'; apply Nat.ltb_lt in Elt.
      destruct (IH t At sv1 sa1 Elt Et H2) as [m [Hnm Hm]]; exists (S m); split; [lia|]; simpl.
      rewrite Evb, Eab, Ev, Ea, Tv, Ta; apply rmatch_prepend; auto.
    + destruct (nth_error (a_blocks af) t) as [[ais2 atm2]|] eqn:Eab2; [|discriminate].
      destruct atm2 as [t2| | |]; try discriminate.
      destruct (Nat.ltb t2 (length (v_blocks vf))) eqn:Elt2; [|discriminate]; inversion Tr; subst t'.
      assert (Hta : (t < length (a_blocks af))%nat) by (apply nth_error_Some; congruence).
      pose proof (check_block_of _ _ _ _ _ Hc Hta) as Hcb2; unfold check_block in Hcb2.
      rewrite Et, Eab2, Elt in Hcb2.
      destruct (tr_block cf At ais2 []) as [Ae|] eqn:Etb2; [|discriminate].
      apply andb_prop in Hcb2; destruct Hcb2 as [_ He2]; unfold edge_ok in He2.
      destruct (nth_error ins t2) as [[At2|]|] eqn:Et2; try discriminate.
      destruct (block_sim _ _ _ _ _ _ Etb2 H2) as [[e2 [sv2 [sa2 [Ev2 [Ea2 H3]]]]] | [e2 [o [Ev2 Ea2]]]];
        simpl in Ev2; inversion Ev2; subst e2 sv2.
      pose proof (sub_MS _ _ _ _ He2 H3) as H4; apply Nat.ltb_lt in Elt2.
      destruct (IH t2 At2 sv1 sa2 Elt2 Et2 H4) as [m [Hnm Hm]]; exists (S (S m)); split; [lia|]; simpl.
      rewrite Evb, Eab, Ev, Ea, Tv, Ta, Eab2, Ea2; simpl.
      replace (rprepend [] (run_a af m t2 sa2)) with (run_a af m t2 sa2) by (destruct (run_a af m t2 sa2); reflexivity).
      apply rmatch_prepend; auto.
Qed.

(** The initial states satisfy the entry facts. *)
Lemma init_MS : forall stk0 vr0 m0, MS (init_abs cf) (init_v vr0 m0) (init_a stk0 m0).
Proof.
  intros stk0 vr0 m0; split; [auto|split; [auto|]].
  intros f Hf; unfold init_abs in Hf; cbn [a_F] in Hf; apply in_app_or in Hf; destruct Hf as [Hf|Hf];
    apply in_flat_map in Hf; destruct Hf as [x [Hx Hf]].
  - destruct (find_idx x (entry_homes cf)) as [j|] eqn:E; simpl in Hf; [|tauto].
    destruct Hf as [<-|[]]; simpl; destruct x; simpl; unfold init_rd; rewrite E; auto.
  - destruct (find_idx (Reg x) (entry_homes cf)) as [j|] eqn:E; simpl in Hf; [tauto|].
    destruct Hf as [<-|[]]; simpl; unfold init_rd; rewrite E; auto.
Qed.

(** ** The main theorem.
    If the checker accepts the claimed entry states [ins], then for every
    input (argument words [arg], entry registers [ent], entry frame [stk0],
    initial vreg file [vr0], initial memory and globals [m0]), every
    behaviour of callees and of clobbered locations ([ext], [junk]) and
    every meaning of the kept operations ([gen], [cst], [pick], [trapk]):
    whatever the vreg function does in n blocks, the allocated function does
    in some m blocks: the same calls with the same R9-R11, argument words and
    memory, then the same outcome (results, memory and globals, the values
    the caller finds in R4-R11 and LR, SP back at entry; or the same trap). *)
Theorem check_sound : forall vf af ins, check_all cf vf af ins = true ->
  forall stk0 vr0 m0 n, exists m, (n <= m)%nat /\
    rmatch (run_v vf n O (init_v vr0 m0)) (run_a af m O (init_a stk0 m0)).
Proof.
  intros vf af ins Hc stk0 vr0 m0 n; pose proof Hc as Hc'; unfold check_all in Hc'.
  repeat rewrite andb_true_iff in Hc'; destruct Hc' as [[[[_ Hpos] _] H0] _].
  destruct (nth_error ins 0) as [[A0|]|] eqn:E0; try discriminate.
  apply Nat.ltb_lt in Hpos; eapply run_sim; eauto; eapply sub_MS; eauto; apply init_MS.
Qed.



(** More fuel never changes a finished (or wrong) run of the allocated function. *)
Lemma run_a_mono : forall af m b sa, (forall t, run_a af m b sa <> ROut t) ->
  forall m', (m <= m')%nat -> run_a af m' b sa = run_a af m b sa.
Proof.
  induction m as [|m IH]; intros b sa H m' Hle; [simpl in H; destruct (H []); auto|].
  destruct m' as [|m']; [lia|]; simpl in H |- *.
  destruct (nth_error (a_blocks af) b) as [[is tm]|]; auto.
  destruct (exec_alist sa is) as [e s'|e o'|]; auto.
  destruct (exec_at s' tm) as [b'| o'|]; auto.
  assert (Hn : forall t, run_a af m b' s' <> ROut t)
    by (intros t E; rewrite E in H; apply (H (e ++ t)); auto).
  rewrite (IH b' s' Hn m'); auto; lia.
Qed.

End SEM.
