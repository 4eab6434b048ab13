(* MIR text parser (trusted): reads docs/mir.md's format into a small syntax tree. *)

type operand =
  | V of int                 (* vN *)
  | R of int                 (* r0..r12, sp = 13, lr = 14, pc = 15 *)
  | Imm of int               (* #N, as printed *)
  | Stk of int               (* [sp+N] *)
  | Mem of operand * int     (* [X+N]: address operand plus offset *)
  | Word of string           (* a trap reason *)
  | Lbl of string            (* a block label (branch target) *)

type instr = {
  mn : string;               (* mnemonic with its suffix: "load.u8", "set.ult" *)
  ops : operand list;        (* every operand in order (defs first) *)
  callee : string;           (* call only *)
  args : operand list;       (* call only *)
  res : operand list;        (* call only *)
  origin : string;           (* "" = original, else the !tag *)
  line : int;
}

type vtype = I32 | I64
type signature = { params : vtype list; results : vtype list }

type func = {
  name : string;
  fsig : signature;
  allocated : bool;
  blocks : (string * instr list) list;   (* label, instructions in order *)
}

(* growable: the header declares `memory N max M` (--memory-max): the memory
   size is state and R10 changes, which proofs/coq's language does not model. *)
type modl = { imports : (string * signature) list; funcs : func list; growable : bool }

(* The runtime routines a call may name besides the module's functions and
   imports (soft-float on cortex-m4): the same table as the C++ side's
   core/ir/runtime_calls.cpp, looked up after functions and imports. *)
let runtime_imports : (string * signature) list =
  let s p r = { params = p; results = r } in
  let i = I32 and l = I64 in
  List.map (fun n -> (n, s [ i; i ] [ i ])) [ "__aeabi_fadd"; "__aeabi_fsub"; "__aeabi_fmul"; "__aeabi_fdiv" ]
  @ List.map (fun n -> (n, s [ l; l ] [ l ])) [ "__aeabi_dadd"; "__aeabi_dsub"; "__aeabi_dmul"; "__aeabi_ddiv" ]
  @ List.map (fun n -> (n, s [ i; i ] [ i ]))
      [ "__aeabi_fcmpeq"; "__aeabi_fcmplt"; "__aeabi_fcmple"; "__aeabi_fcmpgt"; "__aeabi_fcmpge" ]
  @ List.map (fun n -> (n, s [ l; l ] [ i ]))
      [ "__aeabi_dcmpeq"; "__aeabi_dcmplt"; "__aeabi_dcmple"; "__aeabi_dcmpgt"; "__aeabi_dcmpge" ]
  @ [ ("__aeabi_i2f", s [ i ] [ i ]); ("__aeabi_ui2f", s [ i ] [ i ]); ("__aeabi_l2f", s [ l ] [ i ]);
      ("__aeabi_ul2f", s [ l ] [ i ]); ("__aeabi_i2d", s [ i ] [ l ]); ("__aeabi_ui2d", s [ i ] [ l ]);
      ("__aeabi_l2d", s [ l ] [ l ]); ("__aeabi_ul2d", s [ l ] [ l ]); ("__aeabi_f2d", s [ i ] [ l ]);
      ("__aeabi_d2f", s [ l ] [ i ]); ("__vcr_fp_fsqrt", s [ i ] [ i ]); ("__vcr_fp_dsqrt", s [ l ] [ l ]);
      ("__vcr_fp_fmin", s [ i; i ] [ i ]); ("__vcr_fp_fmax", s [ i; i ] [ i ]);
      ("__vcr_fp_dmin", s [ l; l ] [ l ]); ("__vcr_fp_dmax", s [ l; l ] [ l ]) ]
  @ List.map (fun n -> (n, s [ i ] [ i ])) [ "__vcr_fp_fceil"; "__vcr_fp_ffloor"; "__vcr_fp_ftrunc"; "__vcr_fp_fnearest" ]
  @ List.map (fun n -> (n, s [ l ] [ l ])) [ "__vcr_fp_dceil"; "__vcr_fp_dfloor"; "__vcr_fp_dtrunc"; "__vcr_fp_dnearest" ]
  @ [ ("__vcr_fp_dadd", s [ l; l ] [ l ]); ("__vcr_fp_dsub", s [ l; l ] [ l ]) ]
  @ [ ("__vcr_memory_copy", s [ i; i; i ] []); ("__vcr_memory_fill", s [ i; i; i ] []);
      ("__vcr_memory_init", s [ i; i; i; i ] []); ("__vcr_data_drop", s [ i ] []) ]
  @ List.concat_map
      (fun sat ->
        List.map
          (fun (from, to_, t) -> (Printf.sprintf "__vcr_fp_%s2%s_%s%s" from to_ sat t, s [ (if from = "d" then l else i) ] [ (if to_ = "l" then l else i) ]))
          [ ("f", "i", "s"); ("f", "i", "u"); ("f", "l", "s"); ("f", "l", "u");
            ("d", "i", "s"); ("d", "i", "u"); ("d", "l", "s"); ("d", "l", "u") ])
      [ ""; "sat_" ]

exception Parse_error of int * string

let fail n msg = raise (Parse_error (n, msg))

let strip s = String.trim s

let strip_comment s = match String.index_opt s ';' with Some i -> String.sub s 0 i | None -> s

(* Split on commas that are not inside brackets or parentheses. *)
let split_top s =
  let parts = ref [] and buf = Buffer.create 16 and depth = ref 0 in
  String.iter (fun c ->
      match c with
      | '[' | '(' -> incr depth; Buffer.add_char buf c
      | ']' | ')' -> decr depth; Buffer.add_char buf c
      | ',' when !depth = 0 -> parts := Buffer.contents buf :: !parts; Buffer.clear buf
      | _ -> Buffer.add_char buf c) s;
  parts := Buffer.contents buf :: !parts;
  List.filter (fun x -> x <> "") (List.rev_map strip !parts)

let int_of n s =
  match int_of_string_opt s with Some v -> v | None -> fail n ("bad number " ^ s)

let is_digits s = s <> "" && String.for_all (fun c -> c >= '0' && c <= '9') s

let reg_of s =
  match s with
  | "sp" -> Some 13 | "lr" -> Some 14 | "pc" -> Some 15
  | _ ->
      if String.length s >= 2 && s.[0] = 'r' && is_digits (String.sub s 1 (String.length s - 1)) then
        let r = int_of_string (String.sub s 1 (String.length s - 1)) in
        if r <= 12 then Some r else None
      else None

let rec operand n s =
  let len = String.length s in
  if len = 0 then fail n "empty operand"
  else if s.[0] = '#' then Imm (int_of n (String.sub s 1 (len - 1)))
  else if s.[0] = '[' then begin
    if s.[len - 1] <> ']' then fail n ("bad memory operand " ^ s);
    let inner = String.sub s 1 (len - 2) in
    match String.index_opt inner '+' with
    | None -> fail n ("bad memory operand " ^ s)
    | Some i ->
        let base = strip (String.sub inner 0 i)
        and off = int_of n (strip (String.sub inner (i + 1) (String.length inner - i - 1))) in
        if base = "sp" then Stk off else Mem (operand n base, off)
  end
  else if s.[0] = 'v' && is_digits (String.sub s 1 (len - 1)) then V (int_of_string (String.sub s 1 (len - 1)))
  else match reg_of s with
    | Some r -> R r
    | None -> Word s

let vtype n = function "i32" -> I32 | "i64" -> I64 | t -> fail n ("unsupported type " ^ t)

(* "(i32, i64)" -> [I32; I64] *)
let type_list n s =
  let s = strip s in
  let len = String.length s in
  if len < 2 || s.[0] <> '(' || s.[len - 1] <> ')' then fail n ("bad type list " ^ s);
  List.map (vtype n) (split_top (String.sub s 1 (len - 2)))

(* "(i32, i64) -> (i32)" *)
let signature n s =
  match String.index_opt s '-' with
  | Some i when i + 1 < String.length s && s.[i + 1] = '>' ->
      { params = type_list n (String.sub s 0 i);
        results = type_list n (String.sub s (i + 2) (String.length s - i - 2)) }
  | _ -> fail n ("bad signature " ^ s)

let paren_list n s = List.map (operand n) (split_top (let s = strip s in String.sub s 1 (String.length s - 2)))

let instr n text =
  let text, origin =
    match String.index_opt text '!' with
    | Some i -> strip (String.sub text 0 i), strip (String.sub text (i + 1) (String.length text - i - 1))
    | None -> text, ""
  in
  let mn, rest =
    match String.index_opt text ' ' with
    | Some i -> String.sub text 0 i, strip (String.sub text i (String.length text - i))
    | None -> text, ""
  in
  if mn = "call" then begin
    (* call @f (args) -> (results) *)
    let sp = match String.index_opt rest ' ' with Some i -> i | None -> fail n "bad call" in
    let callee = String.sub rest 0 sp in
    if callee = "" || callee.[0] <> '@' then fail n "bad callee";
    let tail = strip (String.sub rest sp (String.length rest - sp)) in
    let arrow = try Str.search_forward (Str.regexp_string "->") tail 0 with Not_found -> fail n "bad call" in
    let args = paren_list n (String.sub tail 0 arrow)
    and res = paren_list n (String.sub tail (arrow + 2) (String.length tail - arrow - 2)) in
    { mn; ops = []; callee = String.sub callee 1 (String.length callee - 1); args; res; origin; line = n }
  end else begin
    let ops = List.map (operand n) (split_top rest) in
    let ops =
      if List.mem mn [ "br"; "brif"; "brtable" ] then
        List.mapi (fun i o -> match o with
            | Word w when not (mn = "brif" && i = 0) && not (mn = "brtable" && i = 0) -> Lbl w
            | o -> o) ops
      else ops
    in
    { mn; ops; callee = ""; args = []; res = []; origin; line = n }
  end

(* "func @name(i32) -> (i32) allocated {" *)
let func_header n s =
  let s = strip s in
  let s = String.sub s 5 (String.length s - 5) in
  let lp = try String.index s '(' with Not_found -> fail n "bad func header" in
  let name = strip (String.sub s 0 lp) in
  if name = "" || name.[0] <> '@' then fail n "bad function name";
  let body = String.sub s lp (String.length s - lp) in
  let body = strip (if body.[String.length body - 1] = '{' then String.sub body 0 (String.length body - 1) else body) in
  let allocated = Filename.check_suffix body "allocated" in
  let body = if allocated then String.sub body 0 (String.length body - 9) else body in
  (String.sub name 1 (String.length name - 1), signature n (strip body), allocated)

let parse_string (text : string) : modl =
  let lines = String.split_on_char '\n' text in
  let imports = ref [] and funcs = ref [] and growable = ref false in
  let in_module = ref false in
  let cur = ref None and blocks = ref [] and cur_block = ref None in
  let close_block () =
    match !cur_block with Some (l, is) -> blocks := (l, List.rev is) :: !blocks; cur_block := None | None -> ()
  in
  List.iteri (fun i raw ->
      let n = i + 1 in
      let s = strip (strip_comment raw) in
      if s = "" then ()
      else if !in_module then begin
        if s = "}" then in_module := false
        else if String.length s > 7 && String.sub s 0 7 = "memory "
                && List.mem "max" (String.split_on_char ' ' s) then growable := true
        else if String.length s > 7 && String.sub s 0 7 = "import " then begin
          let rest = strip (String.sub s 7 (String.length s - 7)) in
          let lp = try String.index rest '(' with Not_found -> fail n "bad import" in
          let name = strip (String.sub rest 0 lp) in
          imports := (String.sub name 1 (String.length name - 1),
                      signature n (String.sub rest lp (String.length rest - lp))) :: !imports
        end
      end
      else if !cur = None then begin
        if String.length s >= 6 && String.sub s 0 6 = "module" then in_module := true
        else if String.length s >= 5 && String.sub s 0 5 = "func " then begin
          cur := Some (func_header n s); blocks := []; cur_block := None
        end else fail n ("unexpected line: " ^ s)
      end
      else if s = "}" then begin
        close_block ();
        (match !cur with
         | Some (name, fsig, allocated) ->
             funcs := { name; fsig; allocated; blocks = List.rev !blocks } :: !funcs
         | None -> ());
        cur := None
      end
      else if s.[String.length s - 1] = ':' then begin
        close_block (); cur_block := Some (String.sub s 0 (String.length s - 1), [])
      end
      else if String.length s > 5 && (String.sub s 0 5 = "wasm " || String.sub s 0 5 = "vreg ") then ()
      else match !cur_block with
        | Some (l, is) -> cur_block := Some (l, instr n s :: is)
        | None -> fail n "instruction outside a block")
    lines;
  if !cur <> None || !in_module then fail (List.length lines) "unterminated function or module";
  { imports = List.rev !imports; funcs = List.rev !funcs; growable = !growable }

let parse_file path =
  let ic = open_in_bin path in
  let len = in_channel_length ic in
  let s = really_input_string ic len in
  close_in ic;
  parse_string s
