(* From the parsed MIR to the Coq syntax (trusted: keys, operands, labels), plus the policy checks (untrusted: they only reject). *)
open Mir
open Checker

exception Reject of string

let reject fmt = Printf.ksprintf (fun s -> raise (Reject s)) fmt

let rec pos_of_int n = if n = 1 then XH else if n land 1 = 0 then XO (pos_of_int (n lsr 1)) else XI (pos_of_int (n lsr 1))
let z n = if n = 0 then Z0 else if n > 0 then Zpos (pos_of_int n) else Zneg (pos_of_int (-n))
let rec int_of_pos = function XH -> 1 | XO p -> 2 * int_of_pos p | XI p -> 2 * int_of_pos p + 1
let int_of_z = function Z0 -> 0 | Zpos p -> int_of_pos p | Zneg p -> - int_of_pos p

(* Keys: one integer per distinct operation text; equal text, equal key. *)
let keys : (string, int) Hashtbl.t = Hashtbl.create 64
let key s =
  match Hashtbl.find_opt keys s with
  | Some k -> z k
  | None -> let k = Hashtbl.length keys + 1 in Hashtbl.add keys s k; z k

(* Immediates are 32-bit words: "#-5" and "#4294967291" are the same. *)
let word c = c land 0xFFFFFFFF
(* adjsp takes a signed amount. *)
let signed c = let w = word c in if w >= 0x80000000 then w - 0x100000000 else w

(* Number of defs of each fixed-shape opcode (core/ir/opcodes.def). *)
let ndefs mn =
  let base = match String.index_opt mn '.' with Some i -> String.sub mn 0 i | None -> mn in
  match base with
  | "mov" | "movi" | "add" | "sub" | "mul" | "and" | "orr" | "eor" | "shl" | "shru" | "shrs" | "rotl"
  | "rotr" | "sdiv" | "udiv" | "srem" | "urem" | "clz" | "ctz" | "popcnt" | "sext8" | "sext16" | "set"
  | "sel" | "set64" | "load" | "gget" | "memsize" -> 1
  | "umull" | "smull" | "add64" | "sub64" | "mul64" | "sdiv64" | "udiv64" | "srem64" | "urem64" | "shl64"
  | "shru64" | "shrs64" | "rotl64" | "rotr64" | "load64" -> 2
  | "store" | "store64" | "gset" | "trapif" -> 0
  | _ -> reject "unknown opcode %s" mn

(* Operations with an effect on memory or globals, or that may trap; the
   rest are pure functions of their operands (the C++ checker's isPureOp). *)
let effectful mn =
  let base = match String.index_opt mn '.' with Some i -> String.sub mn 0 i | None -> mn in
  List.mem base [ "load"; "load64"; "store"; "store64"; "gget"; "gset"; "memsize"; "trapif" ]

let is_term mn = List.mem mn [ "br"; "brif"; "brtable"; "ret"; "trap" ]

let rec take n l = if n = 0 then ([], l) else match l with [] -> ([], []) | x :: r -> let a, b = take (n - 1) r in (x :: a, b)

(* A kept operation: its key (opcode, suffix, def count, immediates, offsets,
   reason, operand positions) and its register-like operands (defs, uses). *)
let gen_shape (i : instr) =
  let nd = ndefs i.mn in
  let ds, us = take nd i.ops in
  if List.length ds <> nd then reject "line %d: too few operands" i.line;
  let shape = Buffer.create 32 and uses = ref [] in
  Buffer.add_string shape (i.mn ^ "/" ^ string_of_int nd);
  List.iter (fun o ->
      match o with
      | V _ | R _ -> Buffer.add_string shape ",_"; uses := o :: !uses
      | Imm c -> Buffer.add_string shape (",#" ^ string_of_int (word c))
      | Mem ((V _ | R _) as b, off) -> Buffer.add_string shape (",[_+" ^ string_of_int off ^ "]"); uses := b :: !uses
      | Word w -> Buffer.add_string shape ("," ^ w)
      | _ -> reject "line %d: unexpected operand in %s" i.line i.mn) us;
  (key (Buffer.contents shape), ds, List.rev !uses)

let vreg i = function V n -> z n | _ -> reject "line %d: expected a vreg" i.line
let aop (i : instr) = function
  | R r -> OR (z r)
  | Stk n -> OS (z n)
  | _ -> reject "line %d: expected a register or [sp+N]" i.line

let reg_no i = function R r -> r | _ -> reject "line %d: expected a register" i.line

let label_index labels (i : instr) = function
  | Lbl l -> (match List.assoc_opt l labels with Some k -> k | None -> reject "line %d: unknown label %s" i.line l)
  | _ -> reject "line %d: expected a label" i.line

let labels_of (f : func) = List.mapi (fun k (l, _) -> (l, k)) f.blocks

let split_term (i_last : instr list) =
  match List.rev i_last with
  | t :: rest when is_term t.mn -> (List.rev rest, t)
  | _ -> reject "a block does not end in a terminator"

let vtypes = List.map (function I32 -> false | I64 -> true)
let sigt (s : signature) = { s_params = vtypes s.params; s_results = vtypes s.results }

let vinstr (i : instr) =
  match i.mn, i.ops with
  | "param", ops -> VParam (List.map (vreg i) ops)
  | "mov", [ V d; V u ] -> VCopy (z d, z u)
  | "movi", [ V d; Imm c ] -> VConst (z d, z (word c))
  | "call", _ -> VCall (key ("@" ^ i.callee), List.map (vreg i) i.args, List.map (vreg i) i.res)
  | _ ->
      let k, ds, us = gen_shape i in
      if effectful i.mn then VGen (k, List.map (vreg i) ds, List.map (vreg i) us)
      else VOp (k, List.map (vreg i) ds, List.map (vreg i) us)

let vterm labels (t : instr) =
  match t.mn, t.ops with
  | "br", [ l ] -> VGoto (label_index labels t l)
  | ("brif" | "brtable"), c :: ls -> VBr (key t.mn, [ vreg t c ], List.map (label_index labels t) ls)
  | "ret", ops -> VRet (List.map (vreg t) ops)
  | "trap", [ Word w ] -> VTrap (key ("trap " ^ w))
  | _ -> reject "line %d: bad terminator" t.line

let vfun (f : func) : vfun =
  let labels = labels_of f in
  List.map (fun (_, is) -> let body, t = split_term is in (List.map vinstr body, vterm labels t)) f.blocks

let ainstr (i : instr) =
  match i.origin, i.mn, i.ops with
  | "", "param", ops -> AParam (List.map (aop i) ops)
  | "", "mov", [ d; u ] -> ACopy (aop i d, aop i u)
  | "", "movi", [ d; Imm c ] -> AConst (aop i d, z (word c))
  | "", "call", _ -> ACall (key ("@" ^ i.callee), List.map (aop i) i.args, List.map (aop i) i.res)
  | "", ("lds" | "sts" | "push" | "pop" | "adjsp"), _ -> reject "line %d: %s without an origin tag" i.line i.mn
  | "", _, _ ->
      let k, ds, us = gen_shape i in
      if effectful i.mn then AGen (k, List.map (aop i) ds, List.map (aop i) us)
      else AOp (k, List.map (aop i) ds, List.map (aop i) us)
  | _, "mov", [ d; u ] -> AMove (aop i d, aop i u)
  | _, "movi", [ d; Imm c ] -> ARemat (aop i d, z (word c))
  | _, "lds", [ d; (Stk _ as s) ] -> AMove (aop i d, aop i s)
  | _, "sts", [ (Stk _ as d); s ] -> AMove (aop i d, aop i s)
  | _, "push", ops -> APush (List.map (fun o -> z (reg_no i o)) ops)
  | _, "pop", ops -> APop (List.map (fun o -> z (reg_no i o)) ops)
  | _, "adjsp", [ Imm n ] -> AAdjsp (z (signed n))
  | o, mn, _ -> reject "line %d: `%s` may not be inserted as !%s" i.line mn o

let aterm labels (t : instr) =
  if t.origin <> "" then reject "line %d: a terminator with an origin tag" t.line;
  match t.mn, t.ops with
  | "br", [ l ] -> AGoto (label_index labels t l)
  | ("brif" | "brtable"), c :: ls -> ABr (key t.mn, [ aop t c ], List.map (label_index labels t) ls)
  | "ret", ops -> ARet (List.map (aop t) ops)
  | "trap", [ Word w ] -> ATrap (key ("trap " ^ w))
  | _ -> reject "line %d: bad terminator" t.line

let afun (f : func) : afun =
  let labels = labels_of f in
  List.map (fun (_, is) -> let body, t = split_term is in (List.map ainstr body, aterm labels t)) f.blocks

let config (m : modl) (f : func) limit : config =
  let callees = List.map (fun (g : func) -> (key ("@" ^ g.name), sigt g.fsig)) m.funcs
                @ List.map (fun (n, s) -> (key ("@" ^ n), sigt s)) m.imports
                @ List.map (fun (n, s) -> (key ("@" ^ n), sigt s)) runtime_imports in
  { c_sig = sigt f.fsig; c_callees = callees; c_limit = z limit }
