
val negb : bool -> bool

val option_map : ('a1 -> 'a2) -> 'a1 option -> 'a2 option

val fst : ('a1 * 'a2) -> 'a1

val snd : ('a1 * 'a2) -> 'a2

val length : 'a1 list -> int

val app : 'a1 list -> 'a1 list -> 'a1 list

type comparison =
| Eq
| Lt
| Gt

val compOpp : comparison -> comparison

val add : int -> int -> int

module Nat :
 sig
  val ltb : int -> int -> bool
 end

type positive =
| XI of positive
| XO of positive
| XH

type z =
| Z0
| Zpos of positive
| Zneg of positive

module Pos :
 sig
  val succ : positive -> positive

  val add : positive -> positive -> positive

  val add_carry : positive -> positive -> positive

  val pred_double : positive -> positive

  val mul : positive -> positive -> positive

  val compare_cont : comparison -> positive -> positive -> comparison

  val compare : positive -> positive -> comparison

  val eqb : positive -> positive -> bool

  val of_succ_nat : int -> positive

  val eq_dec : positive -> positive -> bool
 end

val in_dec : ('a1 -> 'a1 -> bool) -> 'a1 -> 'a1 list -> bool

val nth_error : 'a1 list -> int -> 'a1 option

val list_eq_dec : ('a1 -> 'a1 -> bool) -> 'a1 list -> 'a1 list -> bool

val map : ('a1 -> 'a2) -> 'a1 list -> 'a2 list

val flat_map : ('a1 -> 'a2 list) -> 'a1 list -> 'a2 list

val fold_left : ('a1 -> 'a2 -> 'a1) -> 'a2 list -> 'a1 -> 'a1

val fold_right : ('a2 -> 'a1 -> 'a1) -> 'a1 -> 'a2 list -> 'a1

val forallb : ('a1 -> bool) -> 'a1 list -> bool

val filter : ('a1 -> bool) -> 'a1 list -> 'a1 list

val combine : 'a1 list -> 'a2 list -> ('a1 * 'a2) list

val nodup : ('a1 -> 'a1 -> bool) -> 'a1 list -> 'a1 list

val seq : int -> int -> int list

module Z :
 sig
  val double : z -> z

  val succ_double : z -> z

  val pred_double : z -> z

  val pos_sub : positive -> positive -> z

  val add : z -> z -> z

  val opp : z -> z

  val sub : z -> z -> z

  val mul : z -> z -> z

  val compare : z -> z -> comparison

  val leb : z -> z -> bool

  val ltb : z -> z -> bool

  val eqb : z -> z -> bool

  val of_nat : int -> z

  val pos_div_eucl : positive -> z -> z * z

  val div_eucl : z -> z -> z * z

  val div : z -> z -> z

  val modulo : z -> z -> z

  val eq_dec : z -> z -> bool
 end

type key = z

type vreg = z

type aop =
| OR of z
| OS of z

type loc =
| Reg of z
| Stk of z

val loc_eq_dec : loc -> loc -> bool

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

val is_orig : ainstr -> bool

val push_moves : z -> z list -> ainstr list

val pop_moves : z -> z list -> ainstr list

val expand : ainstr -> ainstr list

type sigt = { s_params : bool list; s_results : bool list }

type vfun =
  (vinstr list * vterm) list
  (* singleton inductive, whose constructor was Build_vfun *)

val v_blocks : vfun -> (vinstr list * vterm) list

type afun =
  (ainstr list * aterm) list
  (* singleton inductive, whose constructor was Build_afun *)

val a_blocks : afun -> (ainstr list * aterm) list

type config = { c_sig : sigt; c_callees : (key * sigt) list; c_limit : z }

val homes_aux : bool list -> z -> z -> bool -> aop list * z

val param_homes : sigt -> aop list

val stack_param_bytes : sigt -> z

val nwords : bool list -> int

val result_regs : sigt -> z list

val saved_regs : z list

val caller_saved : z -> bool

val valid_reg : z -> bool

val lookup_sig : key -> (key * sigt) list -> sigt option

val in_args : config -> z

val aloc : config -> z -> aop -> loc option

val alocs : config -> z -> aop list -> loc list option

val find_idx : loc -> loc list -> int option

val entry_homes : config -> loc list

type aval =
| AV of vreg
| AE of z
| AA of int

type fact =
| FL of loc * aval
| FC of vreg * z

val aval_eq_dec : aval -> aval -> bool

val fact_eq_dec : fact -> fact -> bool

type abs = { a_sp : z; a_F : fact list }

val memf : fact -> fact list -> bool

val about_loc : loc -> fact -> bool

val mentions : vreg -> fact -> bool

val kill_loc : loc -> fact list -> fact list

val kill_v : vreg -> fact list -> fact list

val below : z -> fact -> bool

val kill_below : z -> fact list -> fact list

val clobbered : fact -> bool

val kill_clobbered : fact list -> fact list

val vals_at : loc -> fact list -> aval list

val holders : aval -> fact list -> loc list

val consts_of : z -> fact list -> vreg list

val def1 : loc -> vreg -> fact list -> fact list

val defs : loc list -> vreg list -> fact list -> fact list

val holds_all : fact list -> loc list -> vreg list -> bool

val uses_ok : config -> abs -> aop list -> vreg list -> bool

val resv_ok : fact list -> bool

val params : int -> vreg list -> fact list -> fact list

val tr_orig : config -> abs -> ainstr -> vinstr -> abs option

val tr_ins : config -> abs -> ainstr -> abs option

val tr_ins_list : config -> abs -> ainstr list -> abs option

val tr_block : config -> abs -> ainstr list -> vinstr list -> abs option

val resolve : int -> (ainstr list * aterm) list -> int -> int option

val resolves :
  int -> (ainstr list * aterm) list -> int list -> int list -> bool

val all_saved : fact list -> bool

val tr_term :
  config -> int -> (ainstr list * aterm) list -> abs -> aterm -> vterm -> int
  list option

val sub0 : abs -> abs -> bool

val edge_ok : abs option list -> abs -> int -> bool

val check_block : config -> vfun -> afun -> abs option list -> int -> bool

val init_abs : config -> abs

val check_all : config -> vfun -> afun -> abs option list -> bool

val meet : abs option -> abs option -> abs option

val replace : 'a1 list -> int -> 'a1 -> 'a1 list

val block_out :
  config -> vfun -> afun -> int -> abs -> (abs * int list) option

val push_to : abs option list -> abs -> int -> abs option list

val round : config -> vfun -> afun -> abs option list -> abs option list

val opt_abs_eqb : abs option -> abs option -> bool

val iterate :
  int -> config -> vfun -> afun -> abs option list -> abs option list

val initial : config -> afun -> abs option list

val solve : config -> vfun -> afun -> abs option list

val validate : config -> vfun -> afun -> bool
