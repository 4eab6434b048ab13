(* The proposer: iterates the transfer functions to a (claimed) fixpoint; untrusted, its result is checked. *)
From Coq Require Import ZArith List Bool.
From VCR Require Import Syntax Validator.
Import ListNotations.

Definition meet (a b : option abs) : option abs :=
  match a, b with
  | None, x => x
  | x, None => x
  | Some A, Some B => Some (mkA (a_sp A) (nodup fact_eq_dec (filter (fun f => memf f (a_F B)) (a_F A))))
  end.

Fixpoint replace {T} (l : list T) (n : nat) (x : T) : list T :=
  match l, n with
  | [], _ => []
  | _ :: r, O => x :: r
  | y :: r, S n' => y :: replace r n' x
  end.

(** Exit state and successors of block b from entry state A (None: a check fails). *)
Definition block_out (cf : config) (vf : vfun) (af : afun) (b : nat) (A : abs) : option (abs * list nat) :=
  let nor := length (v_blocks vf) in
  let ab := a_blocks af in
  match nth_error ab b with
  | Some (ais, atm) =>
      if Nat.ltb b nor then
        match nth_error (v_blocks vf) b with
        | Some (vis, vt) =>
            match tr_block cf A ais vis with
            | Some A' => match tr_term cf nor ab A' atm vt with Some s => Some (A', s) | None => None end
            | None => None
            end
        | None => None
        end
      else match tr_block cf A ais [], atm with
           | Some A', AGoto t => Some (A', [t])
           | _, _ => None
           end
  | None => None
  end.

Definition push_to (ins : list (option abs)) (A : abs) (t : nat) : list (option abs) :=
  match nth_error ins t with
  | Some x => replace ins t (meet x (Some A))
  | None => ins
  end.

Definition round (cf : config) (vf : vfun) (af : afun) (ins : list (option abs)) : list (option abs) :=
  fold_left (fun acc b =>
      match nth_error acc b with
      | Some (Some A) =>
          match block_out cf vf af b A with
          | Some (A', succs) => fold_left (fun acc' t => push_to acc' A' t) succs acc
          | None => acc
          end
      | _ => acc
      end) (seq 0 (length ins)) ins.

Definition opt_abs_eqb (a b : option abs) : bool :=
  match a, b with
  | None, None => true
  | Some A, Some B => Z.eqb (a_sp A) (a_sp B) &&
                      (if list_eq_dec fact_eq_dec (a_F A) (a_F B) then true else false)
  | _, _ => false
  end.

Fixpoint iterate (fuel : nat) (cf : config) (vf : vfun) (af : afun) (ins : list (option abs)) :=
  match fuel with
  | O => ins
  | S n => let ins' := round cf vf af ins in
           if forallb (fun p => opt_abs_eqb (fst p) (snd p)) (combine ins ins') then ins
           else iterate n cf vf af ins'
  end.

Definition initial (cf : config) (af : afun) : list (option abs) :=
  match a_blocks af with
  | [] => []
  | _ :: r => Some (init_abs cf) :: map (fun _ => None) r
  end.

Definition solve (cf : config) (vf : vfun) (af : afun) : list (option abs) :=
  iterate 1000 cf vf af (initial cf af).

(** The validator: propose, then check. Only [check_all] matters for soundness. *)
Definition validate (cf : config) (vf : vfun) (af : afun) : bool :=
  check_all cf vf af (solve cf vf af).

Lemma validate_eq : forall cf vf af, validate cf vf af = check_all cf vf af (solve cf vf af).
Proof. reflexivity. Qed.
