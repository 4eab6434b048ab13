
(** val negb : bool -> bool **)

let negb = function
| true -> false
| false -> true

(** val option_map : ('a1 -> 'a2) -> 'a1 option -> 'a2 option **)

let option_map f = function
| Some a -> Some (f a)
| None -> None

(** val fst : ('a1 * 'a2) -> 'a1 **)

let fst = function
| (x, _) -> x

(** val snd : ('a1 * 'a2) -> 'a2 **)

let snd = function
| (_, y) -> y

(** val length : 'a1 list -> int **)

let rec length = function
| [] -> 0
| _ :: l' -> Stdlib.Int.succ (length l')

(** val app : 'a1 list -> 'a1 list -> 'a1 list **)

let rec app l m =
  match l with
  | [] -> m
  | a :: l1 -> a :: (app l1 m)

type comparison =
| Eq
| Lt
| Gt

(** val compOpp : comparison -> comparison **)

let compOpp = function
| Eq -> Eq
| Lt -> Gt
| Gt -> Lt

(** val add : int -> int -> int **)

let rec add = (+)

module Nat =
 struct
  (** val ltb : int -> int -> bool **)

  let ltb n m =
    (<=) (Stdlib.Int.succ n) m
 end

type positive =
| XI of positive
| XO of positive
| XH

type z =
| Z0
| Zpos of positive
| Zneg of positive

module Pos =
 struct
  (** val succ : positive -> positive **)

  let rec succ = function
  | XI p -> XO (succ p)
  | XO p -> XI p
  | XH -> XO XH

  (** val add : positive -> positive -> positive **)

  let rec add x y =
    match x with
    | XI p ->
      (match y with
       | XI q -> XO (add_carry p q)
       | XO q -> XI (add p q)
       | XH -> XO (succ p))
    | XO p ->
      (match y with
       | XI q -> XI (add p q)
       | XO q -> XO (add p q)
       | XH -> XI p)
    | XH -> (match y with
             | XI q -> XO (succ q)
             | XO q -> XI q
             | XH -> XO XH)

  (** val add_carry : positive -> positive -> positive **)

  and add_carry x y =
    match x with
    | XI p ->
      (match y with
       | XI q -> XI (add_carry p q)
       | XO q -> XO (add_carry p q)
       | XH -> XI (succ p))
    | XO p ->
      (match y with
       | XI q -> XO (add_carry p q)
       | XO q -> XI (add p q)
       | XH -> XO (succ p))
    | XH ->
      (match y with
       | XI q -> XI (succ q)
       | XO q -> XO (succ q)
       | XH -> XI XH)

  (** val pred_double : positive -> positive **)

  let rec pred_double = function
  | XI p -> XI (XO p)
  | XO p -> XI (pred_double p)
  | XH -> XH

  (** val mul : positive -> positive -> positive **)

  let rec mul x y =
    match x with
    | XI p -> add y (XO (mul p y))
    | XO p -> XO (mul p y)
    | XH -> y

  (** val compare_cont : comparison -> positive -> positive -> comparison **)

  let rec compare_cont r x y =
    match x with
    | XI p ->
      (match y with
       | XI q -> compare_cont r p q
       | XO q -> compare_cont Gt p q
       | XH -> Gt)
    | XO p ->
      (match y with
       | XI q -> compare_cont Lt p q
       | XO q -> compare_cont r p q
       | XH -> Gt)
    | XH -> (match y with
             | XH -> r
             | _ -> Lt)

  (** val compare : positive -> positive -> comparison **)

  let compare =
    compare_cont Eq

  (** val eqb : positive -> positive -> bool **)

  let rec eqb p q =
    match p with
    | XI p0 -> (match q with
                | XI q0 -> eqb p0 q0
                | _ -> false)
    | XO p0 -> (match q with
                | XO q0 -> eqb p0 q0
                | _ -> false)
    | XH -> (match q with
             | XH -> true
             | _ -> false)

  (** val of_succ_nat : int -> positive **)

  let rec of_succ_nat n =
    (fun fO fS n -> if n=0 then fO () else fS (n-1))
      (fun _ -> XH)
      (fun x -> succ (of_succ_nat x))
      n

  (** val eq_dec : positive -> positive -> bool **)

  let rec eq_dec p x0 =
    match p with
    | XI p0 -> (match x0 with
                | XI p1 -> eq_dec p0 p1
                | _ -> false)
    | XO p0 -> (match x0 with
                | XO p1 -> eq_dec p0 p1
                | _ -> false)
    | XH -> (match x0 with
             | XH -> true
             | _ -> false)
 end

(** val in_dec : ('a1 -> 'a1 -> bool) -> 'a1 -> 'a1 list -> bool **)

let rec in_dec h a = function
| [] -> false
| y :: l0 -> let s = h y a in if s then true else in_dec h a l0

(** val nth_error : 'a1 list -> int -> 'a1 option **)

let rec nth_error l n =
  (fun fO fS n -> if n=0 then fO () else fS (n-1))
    (fun _ -> match l with
              | [] -> None
              | x :: _ -> Some x)
    (fun n0 -> match l with
               | [] -> None
               | _ :: l0 -> nth_error l0 n0)
    n

(** val list_eq_dec : ('a1 -> 'a1 -> bool) -> 'a1 list -> 'a1 list -> bool **)

let rec list_eq_dec eq_dec0 l l' =
  match l with
  | [] -> (match l' with
           | [] -> true
           | _ :: _ -> false)
  | y :: l0 ->
    (match l' with
     | [] -> false
     | a :: l1 -> if eq_dec0 y a then list_eq_dec eq_dec0 l0 l1 else false)

(** val map : ('a1 -> 'a2) -> 'a1 list -> 'a2 list **)

let rec map f = function
| [] -> []
| a :: t -> (f a) :: (map f t)

(** val flat_map : ('a1 -> 'a2 list) -> 'a1 list -> 'a2 list **)

let rec flat_map f = function
| [] -> []
| x :: t -> app (f x) (flat_map f t)

(** val fold_left : ('a1 -> 'a2 -> 'a1) -> 'a2 list -> 'a1 -> 'a1 **)

let rec fold_left f l a0 =
  match l with
  | [] -> a0
  | b :: t -> fold_left f t (f a0 b)

(** val fold_right : ('a2 -> 'a1 -> 'a1) -> 'a1 -> 'a2 list -> 'a1 **)

let rec fold_right f a0 = function
| [] -> a0
| b :: t -> f b (fold_right f a0 t)

(** val forallb : ('a1 -> bool) -> 'a1 list -> bool **)

let rec forallb f = function
| [] -> true
| a :: l0 -> (&&) (f a) (forallb f l0)

(** val filter : ('a1 -> bool) -> 'a1 list -> 'a1 list **)

let rec filter f = function
| [] -> []
| x :: l0 -> if f x then x :: (filter f l0) else filter f l0

(** val combine : 'a1 list -> 'a2 list -> ('a1 * 'a2) list **)

let rec combine l l' =
  match l with
  | [] -> []
  | x :: tl ->
    (match l' with
     | [] -> []
     | y :: tl' -> (x, y) :: (combine tl tl'))

(** val nodup : ('a1 -> 'a1 -> bool) -> 'a1 list -> 'a1 list **)

let rec nodup decA = function
| [] -> []
| x :: xs -> if in_dec decA x xs then nodup decA xs else x :: (nodup decA xs)

(** val seq : int -> int -> int list **)

let rec seq start len =
  (fun fO fS n -> if n=0 then fO () else fS (n-1))
    (fun _ -> [])
    (fun len0 -> start :: (seq (Stdlib.Int.succ start) len0))
    len

module Z =
 struct
  (** val double : z -> z **)

  let double = function
  | Z0 -> Z0
  | Zpos p -> Zpos (XO p)
  | Zneg p -> Zneg (XO p)

  (** val succ_double : z -> z **)

  let succ_double = function
  | Z0 -> Zpos XH
  | Zpos p -> Zpos (XI p)
  | Zneg p -> Zneg (Pos.pred_double p)

  (** val pred_double : z -> z **)

  let pred_double = function
  | Z0 -> Zneg XH
  | Zpos p -> Zpos (Pos.pred_double p)
  | Zneg p -> Zneg (XI p)

  (** val pos_sub : positive -> positive -> z **)

  let rec pos_sub x y =
    match x with
    | XI p ->
      (match y with
       | XI q -> double (pos_sub p q)
       | XO q -> succ_double (pos_sub p q)
       | XH -> Zpos (XO p))
    | XO p ->
      (match y with
       | XI q -> pred_double (pos_sub p q)
       | XO q -> double (pos_sub p q)
       | XH -> Zpos (Pos.pred_double p))
    | XH ->
      (match y with
       | XI q -> Zneg (XO q)
       | XO q -> Zneg (Pos.pred_double q)
       | XH -> Z0)

  (** val add : z -> z -> z **)

  let add x y =
    match x with
    | Z0 -> y
    | Zpos x' ->
      (match y with
       | Z0 -> x
       | Zpos y' -> Zpos (Pos.add x' y')
       | Zneg y' -> pos_sub x' y')
    | Zneg x' ->
      (match y with
       | Z0 -> x
       | Zpos y' -> pos_sub y' x'
       | Zneg y' -> Zneg (Pos.add x' y'))

  (** val opp : z -> z **)

  let opp = function
  | Z0 -> Z0
  | Zpos x0 -> Zneg x0
  | Zneg x0 -> Zpos x0

  (** val sub : z -> z -> z **)

  let sub m n =
    add m (opp n)

  (** val mul : z -> z -> z **)

  let mul x y =
    match x with
    | Z0 -> Z0
    | Zpos x' ->
      (match y with
       | Z0 -> Z0
       | Zpos y' -> Zpos (Pos.mul x' y')
       | Zneg y' -> Zneg (Pos.mul x' y'))
    | Zneg x' ->
      (match y with
       | Z0 -> Z0
       | Zpos y' -> Zneg (Pos.mul x' y')
       | Zneg y' -> Zpos (Pos.mul x' y'))

  (** val compare : z -> z -> comparison **)

  let compare x y =
    match x with
    | Z0 -> (match y with
             | Z0 -> Eq
             | Zpos _ -> Lt
             | Zneg _ -> Gt)
    | Zpos x' -> (match y with
                  | Zpos y' -> Pos.compare x' y'
                  | _ -> Gt)
    | Zneg x' ->
      (match y with
       | Zneg y' -> compOpp (Pos.compare x' y')
       | _ -> Lt)

  (** val leb : z -> z -> bool **)

  let leb x y =
    match compare x y with
    | Gt -> false
    | _ -> true

  (** val ltb : z -> z -> bool **)

  let ltb x y =
    match compare x y with
    | Lt -> true
    | _ -> false

  (** val eqb : z -> z -> bool **)

  let eqb x y =
    match x with
    | Z0 -> (match y with
             | Z0 -> true
             | _ -> false)
    | Zpos p -> (match y with
                 | Zpos q -> Pos.eqb p q
                 | _ -> false)
    | Zneg p -> (match y with
                 | Zneg q -> Pos.eqb p q
                 | _ -> false)

  (** val of_nat : int -> z **)

  let of_nat n =
    (fun fO fS n -> if n=0 then fO () else fS (n-1))
      (fun _ -> Z0)
      (fun n0 -> Zpos (Pos.of_succ_nat n0))
      n

  (** val pos_div_eucl : positive -> z -> z * z **)

  let rec pos_div_eucl a b =
    match a with
    | XI a' ->
      let (q, r) = pos_div_eucl a' b in
      let r' = add (mul (Zpos (XO XH)) r) (Zpos XH) in
      if ltb r' b
      then ((mul (Zpos (XO XH)) q), r')
      else ((add (mul (Zpos (XO XH)) q) (Zpos XH)), (sub r' b))
    | XO a' ->
      let (q, r) = pos_div_eucl a' b in
      let r' = mul (Zpos (XO XH)) r in
      if ltb r' b
      then ((mul (Zpos (XO XH)) q), r')
      else ((add (mul (Zpos (XO XH)) q) (Zpos XH)), (sub r' b))
    | XH -> if leb (Zpos (XO XH)) b then (Z0, (Zpos XH)) else ((Zpos XH), Z0)

  (** val div_eucl : z -> z -> z * z **)

  let div_eucl a b =
    match a with
    | Z0 -> (Z0, Z0)
    | Zpos a' ->
      (match b with
       | Z0 -> (Z0, a)
       | Zpos _ -> pos_div_eucl a' b
       | Zneg b' ->
         let (q, r) = pos_div_eucl a' (Zpos b') in
         (match r with
          | Z0 -> ((opp q), Z0)
          | _ -> ((opp (add q (Zpos XH))), (add b r))))
    | Zneg a' ->
      (match b with
       | Z0 -> (Z0, a)
       | Zpos _ ->
         let (q, r) = pos_div_eucl a' b in
         (match r with
          | Z0 -> ((opp q), Z0)
          | _ -> ((opp (add q (Zpos XH))), (sub b r)))
       | Zneg b' -> let (q, r) = pos_div_eucl a' (Zpos b') in (q, (opp r)))

  (** val div : z -> z -> z **)

  let div a b =
    let (q, _) = div_eucl a b in q

  (** val modulo : z -> z -> z **)

  let modulo a b =
    let (_, r) = div_eucl a b in r

  (** val eq_dec : z -> z -> bool **)

  let eq_dec x y =
    match x with
    | Z0 -> (match y with
             | Z0 -> true
             | _ -> false)
    | Zpos p -> (match y with
                 | Zpos p0 -> Pos.eq_dec p p0
                 | _ -> false)
    | Zneg p -> (match y with
                 | Zneg p0 -> Pos.eq_dec p p0
                 | _ -> false)
 end

type key = z

type vreg = z

type aop =
| OR of z
| OS of z

type loc =
| Reg of z
| Stk of z

(** val loc_eq_dec : loc -> loc -> bool **)

let loc_eq_dec a b =
  match a with
  | Reg r -> (match b with
              | Reg r0 -> Z.eq_dec r r0
              | Stk _ -> false)
  | Stk o -> (match b with
              | Reg _ -> false
              | Stk o0 -> Z.eq_dec o o0)

type vinstr =
| VGen of key * vreg list * vreg list
| VCopy of vreg * vreg
| VConst of vreg * z
| VParam of vreg list
| VCall of key * vreg list * vreg list

type vterm =
| VGoto of int
| VBr of key * vreg list * int list
| VRet of vreg list
| VTrap of key

type ainstr =
| AGen of key * aop list * aop list
| ACopy of aop * aop
| AConst of aop * z
| AParam of aop list
| ACall of key * aop list * aop list
| AMove of aop * aop
| ARemat of aop * z
| APush of z list
| APop of z list
| AAdjsp of z

type aterm =
| AGoto of int
| ABr of key * aop list * int list
| ARet of aop list
| ATrap of key

(** val is_orig : ainstr -> bool **)

let is_orig = function
| AGen (_, _, _) -> true
| ACopy (_, _) -> true
| AConst (_, _) -> true
| AParam _ -> true
| ACall (_, _, _) -> true
| _ -> false

(** val push_moves : z -> z list -> ainstr list **)

let rec push_moves i = function
| [] -> []
| r :: rs' ->
  (AMove ((OS (Z.mul (Zpos (XO (XO XH))) i)), (OR
    r))) :: (push_moves (Z.add i (Zpos XH)) rs')

(** val pop_moves : z -> z list -> ainstr list **)

let rec pop_moves i = function
| [] -> []
| r :: rs' ->
  (AMove ((OR r), (OS
    (Z.mul (Zpos (XO (XO XH))) i)))) :: (pop_moves (Z.add i (Zpos XH)) rs')

(** val expand : ainstr -> ainstr list **)

let expand i = match i with
| APush rs ->
  (AAdjsp
    (Z.mul (Zneg (XO (XO XH))) (Z.of_nat (length rs)))) :: (push_moves Z0 rs)
| APop rs ->
  app (pop_moves Z0 rs) ((AAdjsp
    (Z.mul (Zpos (XO (XO XH))) (Z.of_nat (length rs)))) :: [])
| _ -> i :: []

type sigt = { s_params : bool list; s_results : bool list }

type vfun =
  (vinstr list * vterm) list
  (* singleton inductive, whose constructor was Build_vfun *)

(** val v_blocks : vfun -> (vinstr list * vterm) list **)

let v_blocks v =
  v

type afun =
  (ainstr list * aterm) list
  (* singleton inductive, whose constructor was Build_afun *)

(** val a_blocks : afun -> (ainstr list * aterm) list **)

let a_blocks a =
  a

type config = { c_sig : sigt; c_callees : (key * sigt) list; c_limit : z }

(** val homes_aux : bool list -> z -> z -> bool -> aop list * z **)

let rec homes_aux ps nr so onst =
  match ps with
  | [] -> ([], so)
  | b :: ps' ->
    if b
    then let ev =
           Z.mul (Z.div (Z.add nr (Zpos XH)) (Zpos (XO XH))) (Zpos (XO XH))
         in
         if (&&) (negb onst) (Z.ltb (Z.add ev (Zpos XH)) (Zpos (XO (XO XH))))
         then let (h, s) = homes_aux ps' (Z.add ev (Zpos (XO XH))) so onst in
              (((OR ev) :: ((OR (Z.add ev (Zpos XH))) :: h)), s)
         else let so' =
                Z.mul
                  (Z.div (Z.add so (Zpos (XI (XI XH)))) (Zpos (XO (XO (XO
                    XH))))) (Zpos (XO (XO (XO XH))))
              in
              let (h, s) =
                homes_aux ps' (Zpos (XO (XO XH)))
                  (Z.add so' (Zpos (XO (XO (XO XH))))) true
              in
              (((OS so') :: ((OS (Z.add so' (Zpos (XO (XO XH))))) :: h)), s)
    else if (&&) (negb onst) (Z.ltb nr (Zpos (XO (XO XH))))
         then let (h, s) = homes_aux ps' (Z.add nr (Zpos XH)) so onst in
              (((OR nr) :: h), s)
         else let (h, s) =
                homes_aux ps' nr (Z.add so (Zpos (XO (XO XH)))) true
              in
              (((OS so) :: h), s)

(** val param_homes : sigt -> aop list **)

let param_homes sg =
  fst (homes_aux sg.s_params Z0 Z0 false)

(** val stack_param_bytes : sigt -> z **)

let stack_param_bytes sg =
  snd (homes_aux sg.s_params Z0 Z0 false)

(** val nwords : bool list -> int **)

let nwords ts =
  fold_right (fun t n ->
    add
      (if t then Stdlib.Int.succ (Stdlib.Int.succ 0) else Stdlib.Int.succ 0) n)
    0 ts

(** val result_regs : sigt -> z list **)

let result_regs sg =
  map Z.of_nat (seq 0 (nwords sg.s_results))

(** val saved_regs : z list **)

let saved_regs =
  (Zpos (XO (XO XH))) :: ((Zpos (XI (XO XH))) :: ((Zpos (XO (XI
    XH))) :: ((Zpos (XI (XI XH))) :: ((Zpos (XO (XO (XO XH)))) :: ((Zpos (XI
    (XO (XO XH)))) :: ((Zpos (XO (XI (XO XH)))) :: ((Zpos (XI (XI (XO
    XH)))) :: ((Zpos (XO (XI (XI XH)))) :: []))))))))

(** val caller_saved : z -> bool **)

let caller_saved r =
  (||)
    ((||) ((&&) (Z.leb Z0 r) (Z.leb r (Zpos (XI XH))))
      (Z.eqb r (Zpos (XO (XO (XI XH)))))) (Z.eqb r (Zpos (XO (XI (XI XH)))))

(** val valid_reg : z -> bool **)

let valid_reg r =
  (||) ((&&) (Z.leb Z0 r) (Z.leb r (Zpos (XO (XO (XI XH))))))
    (Z.eqb r (Zpos (XO (XI (XI XH)))))

(** val lookup_sig : key -> (key * sigt) list -> sigt option **)

let rec lookup_sig f = function
| [] -> None
| p :: l' -> let (g, s) = p in if Z.eqb f g then Some s else lookup_sig f l'

(** val in_args : config -> z **)

let in_args cf =
  stack_param_bytes cf.c_sig

(** val aloc : config -> z -> aop -> loc option **)

let aloc cf sp = function
| OR r -> if valid_reg r then Some (Reg r) else None
| OS n ->
  if (&&)
       ((&&) ((&&) (Z.leb Z0 n) (Z.eqb (Z.modulo n (Zpos (XO (XO XH)))) Z0))
         (Z.eqb (Z.modulo sp (Zpos (XO (XO XH)))) Z0))
       (Z.ltb (Z.add sp n) (in_args cf))
  then Some (Stk (Z.add sp n))
  else None

(** val alocs : config -> z -> aop list -> loc list option **)

let rec alocs cf sp = function
| [] -> Some []
| o :: os' ->
  (match aloc cf sp o with
   | Some l ->
     (match alocs cf sp os' with
      | Some ls -> Some (l :: ls)
      | None -> None)
   | None -> None)

(** val find_idx : loc -> loc list -> int option **)

let rec find_idx l = function
| [] -> None
| l' :: r ->
  if loc_eq_dec l l'
  then Some 0
  else option_map (fun x -> Stdlib.Int.succ x) (find_idx l r)

(** val entry_homes : config -> loc list **)

let entry_homes cf =
  map (fun o -> match o with
                | OR r -> Reg r
                | OS n -> Stk n) (param_homes cf.c_sig)

type aval =
| AV of vreg
| AE of z
| AA of int

type fact =
| FL of loc * aval
| FC of vreg * z

(** val aval_eq_dec : aval -> aval -> bool **)

let aval_eq_dec a b =
  match a with
  | AV v -> (match b with
             | AV v0 -> Z.eq_dec v v0
             | _ -> false)
  | AE r -> (match b with
             | AE r0 -> Z.eq_dec r r0
             | _ -> false)
  | AA j -> (match b with
             | AA j0 -> (=) j j0
             | _ -> false)

(** val fact_eq_dec : fact -> fact -> bool **)

let fact_eq_dec a b =
  match a with
  | FL (l, x) ->
    (match b with
     | FL (l0, x0) -> if loc_eq_dec l l0 then aval_eq_dec x x0 else false
     | FC (_, _) -> false)
  | FC (v, c) ->
    (match b with
     | FL (_, _) -> false
     | FC (v0, c0) -> if Z.eq_dec v v0 then Z.eq_dec c c0 else false)

type abs = { a_sp : z; a_F : fact list }

(** val memf : fact -> fact list -> bool **)

let memf f f0 =
  if in_dec fact_eq_dec f f0 then true else false

(** val about_loc : loc -> fact -> bool **)

let about_loc l = function
| FL (l', _) -> if loc_eq_dec l l' then true else false
| FC (_, _) -> false

(** val mentions : vreg -> fact -> bool **)

let mentions v = function
| FL (_, x) -> (match x with
                | AV w -> Z.eqb v w
                | _ -> false)
| FC (w, _) -> Z.eqb v w

(** val kill_loc : loc -> fact list -> fact list **)

let kill_loc l f =
  filter (fun f0 -> negb (about_loc l f0)) f

(** val kill_v : vreg -> fact list -> fact list **)

let kill_v v f =
  filter (fun f0 -> negb (mentions v f0)) f

(** val below : z -> fact -> bool **)

let below b = function
| FL (l, _) -> (match l with
                | Reg _ -> false
                | Stk o -> Z.ltb o b)
| FC (_, _) -> false

(** val kill_below : z -> fact list -> fact list **)

let kill_below b f =
  filter (fun f0 -> negb (below b f0)) f

(** val clobbered : fact -> bool **)

let clobbered = function
| FL (l, _) -> (match l with
                | Reg r -> caller_saved r
                | Stk _ -> false)
| FC (_, _) -> false

(** val kill_clobbered : fact list -> fact list **)

let kill_clobbered f =
  filter (fun f0 -> negb (clobbered f0)) f

(** val vals_at : loc -> fact list -> aval list **)

let vals_at l f =
  flat_map (fun f0 ->
    match f0 with
    | FL (l', x) -> if loc_eq_dec l l' then x :: [] else []
    | FC (_, _) -> []) f

(** val holders : aval -> fact list -> loc list **)

let holders x f =
  flat_map (fun f0 ->
    match f0 with
    | FL (l, y) -> if aval_eq_dec x y then l :: [] else []
    | FC (_, _) -> []) f

(** val consts_of : z -> fact list -> vreg list **)

let consts_of c f =
  flat_map (fun f0 ->
    match f0 with
    | FL (_, _) -> []
    | FC (v, c') -> if Z.eq_dec c c' then v :: [] else []) f

(** val def1 : loc -> vreg -> fact list -> fact list **)

let def1 l v f =
  (FL (l, (AV v))) :: (kill_loc l (kill_v v f))

(** val defs : loc list -> vreg list -> fact list -> fact list **)

let rec defs ls vs f =
  match ls with
  | [] -> f
  | l :: ls' ->
    (match vs with
     | [] -> f
     | v :: vs' -> defs ls' vs' (def1 l v f))

(** val holds_all : fact list -> loc list -> vreg list -> bool **)

let rec holds_all f ls vs =
  match ls with
  | [] -> (match vs with
           | [] -> true
           | _ :: _ -> false)
  | l :: ls' ->
    (match vs with
     | [] -> false
     | v :: vs' -> (&&) (memf (FL (l, (AV v))) f) (holds_all f ls' vs'))

(** val uses_ok : config -> abs -> aop list -> vreg list -> bool **)

let uses_ok cf a os vs =
  match alocs cf a.a_sp os with
  | Some ls -> holds_all a.a_F ls vs
  | None -> false

(** val resv_ok : fact list -> bool **)

let resv_ok f =
  (&&)
    ((&&)
      (memf (FL ((Reg (Zpos (XI (XO (XO XH))))), (AE (Zpos (XI (XO (XO
        XH))))))) f)
      (memf (FL ((Reg (Zpos (XO (XI (XO XH))))), (AE (Zpos (XO (XI (XO
        XH))))))) f))
    (memf (FL ((Reg (Zpos (XI (XI (XO XH))))), (AE (Zpos (XI (XI (XO
      XH))))))) f)

(** val params : int -> vreg list -> fact list -> fact list **)

let rec params j ds f =
  match ds with
  | [] -> f
  | d :: ds' ->
    let f1 = kill_v d f in
    params (Stdlib.Int.succ j) ds'
      (app (map (fun l -> FL (l, (AV d))) (holders (AA j) f1)) f1)

(** val tr_orig : config -> abs -> ainstr -> vinstr -> abs option **)

let tr_orig cf a ai vi =
  let sp = a.a_sp in
  let f = a.a_F in
  (match ai with
   | AGen (k, ads, aus) ->
     (match vi with
      | VGen (k', vds, vus) ->
        if (&&) ((&&) (Z.eqb k k') (uses_ok cf a aus vus)) (resv_ok f)
        then (match alocs cf sp ads with
              | Some lds ->
                if (=) (length lds) (length vds)
                then Some { a_sp = sp; a_F = (defs lds vds f) }
                else None
              | None -> None)
        else None
      | _ -> None)
   | ACopy (ad, au) ->
     (match vi with
      | VCopy (vd, vu) ->
        (match aloc cf sp ad with
         | Some ld ->
           (match aloc cf sp au with
            | Some lu ->
              if memf (FL (lu, (AV vu))) f
              then let f1 = kill_loc ld (kill_v vd f) in
                   Some { a_sp = sp; a_F = ((FL (ld, (AV
                   vd))) :: (app (map (fun x -> FL (ld, x)) (vals_at lu f1))
                              (app
                                (map (fun l -> FL (l, (AV vd)))
                                  (holders (AV vu) f1)) f1))) }
              else None
            | None -> None)
         | None -> None)
      | _ -> None)
   | AConst (ad, c) ->
     (match vi with
      | VConst (vd, c') ->
        if Z.eqb c c'
        then (match aloc cf sp ad with
              | Some ld ->
                let f1 = kill_loc ld (kill_v vd f) in
                Some { a_sp = sp; a_F = ((FL (ld, (AV vd))) :: ((FC (vd,
                c)) :: (app (map (fun w -> FL (ld, (AV w))) (consts_of c f1))
                         f1))) }
              | None -> None)
        else None
      | _ -> None)
   | AParam _ ->
     (match vi with
      | VParam vds -> Some { a_sp = sp; a_F = (params 0 vds f) }
      | _ -> None)
   | ACall (f0, _, _) ->
     (match vi with
      | VCall (f', vargs, vres) ->
        (match lookup_sig f0 cf.c_callees with
         | Some sg ->
           let rr = result_regs sg in
           if (&&)
                ((&&)
                  ((&&)
                    ((&&)
                      ((&&) (Z.eqb f0 f')
                        (uses_ok cf a (param_homes sg) vargs)) (resv_ok f))
                    (Z.eqb (Z.modulo sp (Zpos (XO (XO (XO XH))))) Z0))
                  ((=) (length vres) (length rr)))
                ((<=) (length rr) (Stdlib.Int.succ (Stdlib.Int.succ
                  (Stdlib.Int.succ (Stdlib.Int.succ 0)))))
           then Some { a_sp = sp; a_F =
                  (defs (map (fun x -> Reg x) rr) vres
                    (kill_below (Z.add sp (stack_param_bytes sg))
                      (kill_clobbered f))) }
           else None
         | None -> None)
      | _ -> None)
   | _ -> None)

(** val tr_ins : config -> abs -> ainstr -> abs option **)

let tr_ins cf a ai =
  let sp = a.a_sp in
  let f = a.a_F in
  (match ai with
   | AMove (ad, as_) ->
     (match aloc cf sp ad with
      | Some ld ->
        (match aloc cf sp as_ with
         | Some ls ->
           Some { a_sp = sp; a_F =
             (app (map (fun x -> FL (ld, x)) (vals_at ls f)) (kill_loc ld f)) }
         | None -> None)
      | None -> None)
   | ARemat (ad, c) ->
     (match aloc cf sp ad with
      | Some ld ->
        Some { a_sp = sp; a_F =
          (app (map (fun w -> FL (ld, (AV w))) (consts_of c f))
            (kill_loc ld f)) }
      | None -> None)
   | AAdjsp n ->
     let sp' = Z.add sp n in
     if (&&)
          ((&&) (Z.eqb (Z.modulo n (Zpos (XO (XO XH)))) Z0)
            (Z.leb (Z.opp cf.c_limit) sp')) (Z.leb sp' Z0)
     then Some { a_sp = sp'; a_F = (kill_below sp' f) }
     else None
   | _ -> None)

(** val tr_ins_list : config -> abs -> ainstr list -> abs option **)

let rec tr_ins_list cf a = function
| [] -> Some a
| i :: l' ->
  (match tr_ins cf a i with
   | Some a' -> tr_ins_list cf a' l'
   | None -> None)

(** val tr_block :
    config -> abs -> ainstr list -> vinstr list -> abs option **)

let rec tr_block cf a ais vis =
  match ais with
  | [] -> (match vis with
           | [] -> Some a
           | _ :: _ -> None)
  | ai :: ais' ->
    if is_orig ai
    then (match vis with
          | [] -> None
          | vi :: vis' ->
            (match tr_orig cf a ai vi with
             | Some a' -> tr_block cf a' ais' vis'
             | None -> None))
    else (match tr_ins_list cf a (expand ai) with
          | Some a' -> tr_block cf a' ais' vis
          | None -> None)

(** val resolve : int -> (ainstr list * aterm) list -> int -> int option **)

let resolve nor ab t =
  if Nat.ltb t nor
  then Some t
  else (match nth_error ab t with
        | Some p ->
          let (_, a) = p in
          (match a with
           | AGoto t' -> if Nat.ltb t' nor then Some t' else None
           | _ -> None)
        | None -> None)

(** val resolves :
    int -> (ainstr list * aterm) list -> int list -> int list -> bool **)

let rec resolves nor ab ts ts' =
  match ts with
  | [] -> (match ts' with
           | [] -> true
           | _ :: _ -> false)
  | t :: r ->
    (match ts' with
     | [] -> false
     | t' :: r' ->
       (match resolve nor ab t with
        | Some u -> (&&) ((=) u t') (resolves nor ab r r')
        | None -> false))

(** val all_saved : fact list -> bool **)

let all_saved f =
  forallb (fun r -> memf (FL ((Reg r), (AE r))) f) saved_regs

(** val tr_term :
    config -> int -> (ainstr list * aterm) list -> abs -> aterm -> vterm ->
    int list option **)

let tr_term cf nor ab a atm vt =
  match atm with
  | AGoto t ->
    (match vt with
     | VGoto t' ->
       (match resolve nor ab t with
        | Some u -> if (=) u t' then Some (t :: []) else None
        | None -> None)
     | _ -> None)
  | ABr (k, aus, ts) ->
    (match vt with
     | VBr (k', vus, ts') ->
       if (&&)
            ((&&) ((&&) (Z.eqb k k') (uses_ok cf a aus vus))
              (resolves nor ab ts ts')) (negb ((=) (length ts) 0))
       then Some ts
       else None
     | _ -> None)
  | ARet _ ->
    (match vt with
     | VRet vus ->
       if (&&)
            ((&&)
              (uses_ok cf a (map (fun x -> OR x) (result_regs cf.c_sig)) vus)
              (Z.eqb a.a_sp Z0)) (all_saved a.a_F)
       then Some []
       else None
     | _ -> None)
  | ATrap k ->
    (match vt with
     | VTrap k' -> if Z.eqb k k' then Some [] else None
     | _ -> None)

(** val sub0 : abs -> abs -> bool **)

let sub0 a b =
  (&&) (Z.eqb a.a_sp b.a_sp) (forallb (fun f -> memf f b.a_F) a.a_F)

(** val edge_ok : abs option list -> abs -> int -> bool **)

let edge_ok ins aout t =
  match nth_error ins t with
  | Some o -> (match o with
               | Some at -> sub0 at aout
               | None -> false)
  | None -> false

(** val check_block :
    config -> vfun -> afun -> abs option list -> int -> bool **)

let check_block cf vf af ins b =
  let nor = length (v_blocks vf) in
  let ab = a_blocks af in
  (match nth_error ins b with
   | Some o ->
     (match o with
      | Some a ->
        (match nth_error ab b with
         | Some p ->
           let (ais, atm) = p in
           if Nat.ltb b nor
           then (match nth_error (v_blocks vf) b with
                 | Some p0 ->
                   let (vis, vt) = p0 in
                   (match tr_block cf a ais vis with
                    | Some a' ->
                      (match tr_term cf nor ab a' atm vt with
                       | Some succs -> forallb (edge_ok ins a') succs
                       | None -> false)
                    | None -> false)
                 | None -> false)
           else (match tr_block cf a ais [] with
                 | Some a' ->
                   (match atm with
                    | AGoto t -> (&&) (Nat.ltb t nor) (edge_ok ins a' t)
                    | _ -> false)
                 | None -> false)
         | None -> false)
      | None -> true)
   | None -> false)

(** val init_abs : config -> abs **)

let init_abs cf =
  let hs = entry_homes cf in
  { a_sp = Z0; a_F =
  (app
    (flat_map (fun l ->
      match find_idx l hs with
      | Some j -> (FL (l, (AA j))) :: []
      | None -> []) hs)
    (flat_map (fun r ->
      match find_idx (Reg r) hs with
      | Some _ -> []
      | None -> (FL ((Reg r), (AE r))) :: []) saved_regs)) }

(** val check_all : config -> vfun -> afun -> abs option list -> bool **)

let check_all cf vf af ins =
  let nor = length (v_blocks vf) in
  (&&)
    ((&&)
      ((&&) ((&&) ((=) (length ins) (length (a_blocks af))) (Nat.ltb 0 nor))
        ((<=) nor (length (a_blocks af))))
      (match nth_error ins 0 with
       | Some o ->
         (match o with
          | Some a0 -> sub0 a0 (init_abs cf)
          | None -> false)
       | None -> false))
    (forallb (check_block cf vf af ins) (seq 0 (length (a_blocks af))))

(** val meet : abs option -> abs option -> abs option **)

let meet a b =
  match a with
  | Some a0 ->
    (match b with
     | Some b0 ->
       Some { a_sp = a0.a_sp; a_F =
         (nodup fact_eq_dec (filter (fun f -> memf f b0.a_F) a0.a_F)) }
     | None -> a)
  | None -> b

(** val replace : 'a1 list -> int -> 'a1 -> 'a1 list **)

let rec replace l n x =
  match l with
  | [] -> []
  | y :: r ->
    ((fun fO fS n -> if n=0 then fO () else fS (n-1))
       (fun _ -> x :: r)
       (fun n' -> y :: (replace r n' x))
       n)

(** val block_out :
    config -> vfun -> afun -> int -> abs -> (abs * int list) option **)

let block_out cf vf af b a =
  let nor = length (v_blocks vf) in
  let ab = a_blocks af in
  (match nth_error ab b with
   | Some p ->
     let (ais, atm) = p in
     if Nat.ltb b nor
     then (match nth_error (v_blocks vf) b with
           | Some p0 ->
             let (vis, vt) = p0 in
             (match tr_block cf a ais vis with
              | Some a' ->
                (match tr_term cf nor ab a' atm vt with
                 | Some s -> Some (a', s)
                 | None -> None)
              | None -> None)
           | None -> None)
     else (match tr_block cf a ais [] with
           | Some a' ->
             (match atm with
              | AGoto t -> Some (a', (t :: []))
              | _ -> None)
           | None -> None)
   | None -> None)

(** val push_to : abs option list -> abs -> int -> abs option list **)

let push_to ins a t =
  match nth_error ins t with
  | Some x -> replace ins t (meet x (Some a))
  | None -> ins

(** val round :
    config -> vfun -> afun -> abs option list -> abs option list **)

let round cf vf af ins =
  fold_left (fun acc b ->
    match nth_error acc b with
    | Some y ->
      (match y with
       | Some a ->
         (match block_out cf vf af b a with
          | Some p ->
            let (a', succs) = p in
            fold_left (fun acc' t -> push_to acc' a' t) succs acc
          | None -> acc)
       | None -> acc)
    | None -> acc) (seq 0 (length ins)) ins

(** val opt_abs_eqb : abs option -> abs option -> bool **)

let opt_abs_eqb a b =
  match a with
  | Some a0 ->
    (match b with
     | Some b0 ->
       (&&) (Z.eqb a0.a_sp b0.a_sp)
         (if list_eq_dec fact_eq_dec a0.a_F b0.a_F then true else false)
     | None -> false)
  | None -> (match b with
             | Some _ -> false
             | None -> true)

(** val iterate :
    int -> config -> vfun -> afun -> abs option list -> abs option list **)

let rec iterate fuel cf vf af ins =
  (fun fO fS n -> if n=0 then fO () else fS (n-1))
    (fun _ -> ins)
    (fun n ->
    let ins' = round cf vf af ins in
    if forallb (fun p -> opt_abs_eqb (fst p) (snd p)) (combine ins ins')
    then ins
    else iterate n cf vf af ins')
    fuel

(** val initial : config -> afun -> abs option list **)

let initial cf af =
  match a_blocks af with
  | [] -> []
  | _ :: r -> (Some (init_abs cf)) :: (map (fun _ -> None) r)

(** val solve : config -> vfun -> afun -> abs option list **)

let solve cf vf af =
  iterate (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ (Stdlib.Int.succ
    0))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
    cf vf af (initial cf af)

(** val validate : config -> vfun -> afun -> bool **)

let validate cf vf af =
  check_all cf vf af (solve cf vf af)
