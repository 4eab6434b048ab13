(* The main theorems about the extracted validator, stated over all semantics of kept operations and callees. *)
From Coq Require Import List Lia.
From VCR Require Import Syntax Validator Solve Sound.
Import ListNotations.

Section MAIN.
Variables val mem trapv : Type.
Variable gen : key -> list val -> mem -> gres val mem trapv.   (* kept operations with effects *)
Variable pure : key -> list val -> list val.                   (* pure kept operations *)
Variable ext : key -> list val -> mem -> list val * mem.       (* callees *)
Variable cst : BinNums.Z -> val.                               (* immediates *)
Variable pick : key -> list val -> nat.                        (* branch choice *)
Variable trapk : key -> mem -> trapv.                          (* trap terminator *)
Variable junk : nat -> loc -> val.                             (* clobbered contents *)
Variable arg : nat -> val.                                     (* argument words *)
Variable ent : BinNums.Z -> val.                               (* registers at entry *)

Definition RV vf n vr0 m0 := run_v val mem trapv gen pure ext cst pick trapk arg ent vf n O (init_v val mem vr0 m0).
Definition RA cf af m stk0 m0 :=
  run_a val mem trapv gen pure ext cst pick trapk junk cf af m O (init_a val mem arg ent cf stk0 m0).

(** Simulation: whatever the vreg function observably does within n blocks,
    the allocated function does within some m >= n blocks. *)
Theorem validate_sound : forall cf vf af, validate cf vf af = true ->
  forall stk0 vr0 m0 n, exists m, (n <= m)%nat /\ rmatch val mem trapv (RV vf n vr0 m0) (RA cf af m stk0 m0).
Proof.
  intros cf vf af H stk0 vr0 m0 n; rewrite validate_eq in H.
  exact (check_sound val mem trapv gen pure ext cst pick trapk junk arg ent cf vf af (solve cf vf af) H stk0 vr0 m0 n).
Qed.

Lemma RA_mono : forall cf af m m' stk0 m0, (forall t, RA cf af m stk0 m0 <> ROut _ _ _ t) ->
  (m <= m')%nat -> RA cf af m' stk0 m0 = RA cf af m stk0 m0.
Proof. intros; unfold RA in *; apply run_a_mono; auto. Qed.

(** Terminating behaviours are equal: the same calls, then the same outcome. *)
Theorem validate_terminates_same : forall cf vf af, validate cf vf af = true ->
  forall stk0 vr0 m0 t o,
  (exists n, RV vf n vr0 m0 = RDone _ _ _ t o) <-> (exists m, RA cf af m stk0 m0 = RDone _ _ _ t o).
Proof.
  intros cf vf af H stk0 vr0 m0 t o; split.
  - intros [n Hn]; destruct (validate_sound _ _ _ H stk0 vr0 m0 n) as [m [_ Hm]]; exists m.
    rewrite Hn in Hm; destruct (RA cf af m stk0 m0); simpl in Hm; try tauto; destruct Hm; subst; auto.
  - intros [m Hm]; destruct (validate_sound _ _ _ H stk0 vr0 m0 m) as [m' [Hle Hr]]; exists m.
    rewrite (RA_mono cf af m m' stk0 m0) in Hr; [|rewrite Hm; discriminate|auto].
    rewrite Hm in Hr; destruct (RV vf m vr0 m0); simpl in Hr; try tauto; destruct Hr; subst; auto.
Qed.

(** A vreg run that never finishes has an allocated counterpart that never
    finishes (nor goes wrong), with the same calls on every prefix. *)
Theorem validate_diverges_same : forall cf vf af, validate cf vf af = true ->
  forall stk0 vr0 m0, (forall n, exists t, RV vf n vr0 m0 = ROut _ _ _ t) ->
  forall m, exists t, RA cf af m stk0 m0 = ROut _ _ _ t.
Proof.
  intros cf vf af H stk0 vr0 m0 Hd m.
  destruct (validate_sound _ _ _ H stk0 vr0 m0 m) as [m' [Hle Hr]]; destruct (Hd m) as [t Ht].
  rewrite Ht in Hr; destruct (RA cf af m stk0 m0) as [t1 o1|t1|] eqn:E; eauto; exfalso;
    rewrite (RA_mono cf af m m' stk0 m0) in Hr; auto; try (rewrite E; discriminate); rewrite E in Hr; auto.
Qed.
End MAIN.
