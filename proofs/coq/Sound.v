(* The two semantics (vreg form over vregs, allocated form over registers and frame; calls are events) and the simulation proof. *)
From Coq Require Import ZArith List Bool Lia.
From VCR Require Import Syntax Validator.
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
  - (* ACopy *)
    destruct (aloc cf (a_sp A) d) as [ld|] eqn:Ed; [|discriminate].
    destruct (aloc cf (a_sp A) u) as [lu|] eqn:Eu; [|discriminate].
    destruct (memf (FL lu (AV u0)) (a_F A)) eqn:Em; [|discriminate]; inversion Ht; subst A'; clear Ht.
    rewrite Hsp, Ed, Eu; left; do 3 eexists; split; [reflexivity|split; [reflexivity|]].
    apply memf_In, H in Em; simpl in Em.
    split; [destruct ld; auto|split; [destruct ld; auto|]].
    intros f Hf; simpl in Hf; destruct Hf as [<-|Hf].
    { simpl; rewrite rd_wr; destruct loc_eq_dec; [|congruence]; unfold upd; destruct Z.eq_dec; congruence. }
    apply in_app_or in Hf; destruct Hf as [Hf|Hf]; [|apply in_app_or in Hf; destruct Hf as [Hf|Hf]].
    + apply in_map_iff in Hf; destruct Hf as [x [<- Hx]]; apply vals_at_sound in Hx.
      apply in_kill_loc in Hx; destruct Hx as [Hx Ha]; apply in_kill_v in Hx; destruct Hx as [Hx Hn].
      pose proof (H _ Hx) as Hh; simpl in Hh |- *.
      rewrite rd_wr; destruct loc_eq_dec; [|congruence]; simpl in Ha; destruct loc_eq_dec; [discriminate|].
      rewrite Em in *; destruct x; simpl in *; auto; unfold upd; destruct Z.eq_dec; subst; auto;
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
End SEM.
