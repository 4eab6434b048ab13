(* Policy checks that mirror the C++ structure rules the proof does not need (untrusted: they only reject). *)
open Mir

let bit r = 1 lsl r
let has m r = m land bit r <> 0
let arg_regs = 0x000F
let callee_saved = 0x0FF0
let never_allocatable = bit 9 lor bit 10 lor bit 11 lor bit 13 lor bit 15

let allowed_inserted origin mn =
  match origin with
  | "move" -> List.mem mn [ "mov"; "movi" ]
  | "remat" -> mn = "movi"
  | "spill" -> mn = "sts"
  | "reload" -> mn = "lds"
  | "frame" -> List.mem mn [ "lds"; "sts" ]
  | "outarg" -> List.mem mn [ "sts"; "lds"; "mov"; "movi" ]
  | "inarg" -> List.mem mn [ "lds"; "mov" ]
  | "prologue" -> List.mem mn [ "push"; "adjsp"; "sts" ]
  | "epilogue" -> List.mem mn [ "pop"; "adjsp"; "lds" ]
  | _ -> false

let regs_of ops = List.filter_map (function R r -> Some r | _ -> None) ops

(* The operand lists the ABI fixes (param, call, ret), as the Coq ABI computes them. *)
let home_ops (s : signature) =
  List.map (function Checker.OR r -> R (Convert.int_of_z r) | Checker.OS n -> Stk (Convert.int_of_z n))
    (Checker.param_homes (Convert.sigt s))
let result_ops (s : signature) = List.map (fun r -> R (Convert.int_of_z r)) (Checker.result_regs (Convert.sigt s))

(* Several results (wasm multi-value, docs/mir.md "Several results": R0-R3,
   then the caller's stack area) are not in proofs/coq's language, whose
   result_regs is AAPCS's one result: a function returning several, or
   calling a function that does, is outside the fragment, like calli. *)
let multi_value (m : modl) (f : func) =
  let several (s : signature) = List.length s.results > 1 in
  let sig_of name =
    match List.find_opt (fun (g : func) -> g.name = name) m.funcs with
    | Some g -> Some g.fsig
    | None -> List.assoc_opt name m.imports
  in
  several f.fsig
  || List.exists
       (fun (_, is) ->
         List.exists (fun (i : instr) -> i.mn = "call" && Option.fold ~none:false ~some:several (sig_of i.callee)) is)
       f.blocks

(* Returns None if every rule holds, else the first broken rule. *)
let check (m : modl) (vf : func) (af : func) (pool : int) : string option =
  let fail fmt = Printf.ksprintf (fun s -> raise (Convert.Reject s)) fmt in
  try
    if pool land never_allocatable <> 0 then fail "the pool contains r9-r11, sp or pc";
    if vf.fsig <> af.fsig then fail "signatures differ";
    if vf.allocated || not af.allocated then fail "forms are not vreg / allocated";
    List.iter (fun (_, is) ->
        match List.rev is with
        | t :: _ -> List.iter (function Lbl l when l = fst (List.hd vf.blocks) -> fail "the entry block is a branch target" | _ -> ()) t.ops
        | [] -> ()) vf.blocks;
    let move_regs = pool lor arg_regs lor bit 12 and save_regs = pool lor callee_saved lor bit 14 in
    let sig_of name =
      match Option.map (fun (g : func) -> g.fsig) (List.find_opt (fun (g : func) -> g.name = name) m.funcs) with
      | Some s -> Some s
      | None -> (
          match List.assoc_opt name m.imports with
          | Some s -> Some s
          | None -> List.assoc_opt name runtime_imports)
    in
    List.iteri (fun b (_, is) ->
        let n = List.length is in
        let arr = Array.of_list is in
        let scratch = ref false and entry_run = ref (b = 0) in
        Array.iteri (fun k (i : instr) ->
            let at = Printf.sprintf "bb%d instr %d" b k in
            if i.origin = "" then begin
              scratch := false;
              if i.mn <> "param" then entry_run := false;
              (* original operands: pool registers, r0-r3 / [sp+N] at ABI sites *)
              let abi = List.mem i.mn [ "param"; "call"; "ret" ] in
              let all = i.ops @ i.args @ i.res in
              if not abi && List.exists (function Stk _ -> true | _ -> false) all then
                fail "%s: a vreg operand must become a register (a stack word only at param/call/ret)" at;
              List.iter (fun r ->
                  if abi then (if not (has arg_regs r) then fail "%s: ABI operand r%d is not one of r0-r3" at r)
                  else if not (has pool r) then fail "%s: register r%d is not in the pool" at r)
                (regs_of all @ List.filter_map (function Mem (R r, _) -> Some r | _ -> None) all);
              (match i.mn with
               | "param" -> if i.ops <> home_ops af.fsig then fail "%s: param list is not the AAPCS homes" at
               | "ret" -> if i.ops <> result_ops af.fsig then fail "%s: ret list is not the AAPCS result registers" at
               | "call" ->
                   (match sig_of i.callee with
                    | Some s ->
                        if i.args <> home_ops s then fail "%s: call arguments are not the AAPCS homes" at;
                        if i.res <> result_ops s then fail "%s: call results are not the AAPCS result registers" at
                    | None -> fail "%s: unknown callee" at)
               | _ -> ())
            end else begin
              if not (allowed_inserted i.origin i.mn) then fail "%s: `%s` may not be inserted as !%s" at i.mn i.origin;
              let uses, defs =
                match i.mn with
                | "push" -> (i.ops, []) | "pop" -> ([], i.ops) | "sts" -> (List.tl i.ops, [ List.hd i.ops ])
                | _ -> (match i.ops with d :: u -> (u, [ d ]) | [] -> ([], []))
              in
              List.iter (fun r -> if r = 12 && not !scratch then fail "%s: r12 read outside its run" at) (regs_of uses);
              if List.mem 12 (regs_of defs) then scratch := true;
              let inset mask l = List.for_all (function R r -> has mask r | _ -> false) l in
              (match i.mn with
               | "mov" -> if not (inset move_regs i.ops) then fail "%s: mov registers" at
               | "movi" -> if not (inset move_regs defs) then fail "%s: movi register" at
               | "lds" -> if not (inset (move_regs lor (if i.origin = "epilogue" then save_regs else 0)) defs) then fail "%s: lds register" at
               | "sts" -> if not (inset (move_regs lor (if i.origin = "prologue" then save_regs else 0)) uses) then fail "%s: sts register" at
               | "push" | "pop" ->
                   if i.ops = [] || not (inset save_regs i.ops) then fail "%s: push/pop registers" at;
                   let rs = regs_of i.ops in
                   ignore (List.fold_left (fun prev r -> if r <= prev then fail "%s: push/pop list not ascending" at; r) (-1) rs)
               | _ -> ());
              if i.origin = "prologue" && not !entry_run then fail "%s: !prologue outside the entry" at;
              if i.origin = "epilogue" then begin
                let j = ref (k + 1) in
                while !j < n && arr.(!j).origin <> "" do incr j done;
                if !j >= n || arr.(!j).mn <> "ret" then fail "%s: !epilogue outside the run before a ret" at
              end
            end) arr) af.blocks;
    None
  with Convert.Reject s -> Some s
