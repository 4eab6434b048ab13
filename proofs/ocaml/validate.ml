(* proofs/validate: the Coq-verified allocation validator, run on a vreg MIR file and an allocated MIR file. *)
open Mir

let usage =
  "usage: validate VREG.mir ALLOC.mir [--function NAME] [--stack-limit BYTES] [--pool MASK] [--no-policy]\n\
   Checks every allocated function of ALLOC.mir against the function of the same name\n\
   in VREG.mir; prints `<function>\\taccept` or `<function>\\treject\\t<why>` per function.\n\
   --no-policy: only the verified check (not the C++ checker's policy rules, which soundness does not need).\n\
   Exit 0: all accepted; 1: some rejected; 2: bad usage or unparsable input."

(* Replays the transfer of block b (as Validator.tr_block) to name the
   allocated instruction whose check fails. *)
let failing_instr cf (af : func) v a b st =
  let open Checker in
  let texts = match List.nth_opt af.blocks b with Some (_, is) -> is | None -> [] in
  let show k = match List.nth_opt texts k with
    | Some (i : instr) -> Printf.sprintf "instr %d (line %d, `%s`%s)" k i.line i.mn (if i.origin = "" then "" else " !" ^ i.origin)
    | None -> Printf.sprintf "instr %d" k in
  let nor = List.length v in
  let vis0 = if b < nor then fst (List.nth v b) else [] in
  let ais, atm = List.nth a b in
  let rec go st ais vis k =
    match ais with
    | [] ->
        (match skip_all st vis with
         | None -> "a vreg instruction left at the block end cannot be dropped"
         | Some st' ->
             if b >= nor then "the edge to the original block (its facts are not among the edge block's exit facts)"
             else match tr_term cf nor a st' atm (snd (List.nth v b)) with
               | None -> Printf.sprintf "the terminator, %s" (show k)
               | Some _ -> "an edge leaving the block (a successor's facts or SP are not implied)")
    | ai :: rest ->
        if is_orig ai then
          (match skip ai st vis with
           | Some (st1, vi :: vis') ->
               (match tr_orig cf st1 ai vi with
                | Some st2 -> go st2 rest vis' (k + 1)
                | None -> Printf.sprintf "%s: an operand location does not hold its vreg, or R9-R11/the call ABI" (show k))
           | _ -> Printf.sprintf "%s: no vreg instruction of the same shape" (show k))
        else
          let st0, vis0 = pre_elide st rest vis in
          (match tr_ins_list cf st0 (expand ai) with
           | Some st1 -> go st1 rest vis0 (k + 1)
           | None -> Printf.sprintf "%s: a stack access or SP move outside the frame rules" (show k))
  in
  go st ais vis0 0

(* The first block whose check fails, for the rejection message. *)
let why_rejected cf (af : func) v a =
  let ins = Checker.solve cf v a in
  let n = List.length a in
  let rec first b =
    if b >= n then "the entry state (parameters, entry registers) does not give the entry block's facts"
    else if not (Checker.check_block cf v a ins b) then
      (match List.nth_opt ins b with
       | Some (Some st) -> Printf.sprintf "bb%d: %s" b (failing_instr cf af v a b st)
       | _ -> Printf.sprintf "bb%d: unreached by the proposer" b)
    else first (b + 1)
  in
  first 0

let () =
  let files = ref [] and only = ref "" and limit = ref 16384 and pool = ref 0x01FF and policy = ref true in
  let rec args = function
    | "--function" :: n :: r -> only := n; args r
    | "--stack-limit" :: n :: r -> limit := int_of_string n; args r
    | "--pool" :: n :: r -> pool := int_of_string n; args r
    | "--no-policy" :: r -> policy := false; args r
    | ("-h" | "--help") :: _ -> print_endline usage; exit 0
    | f :: r -> files := !files @ [ f ]; args r
    | [] -> ()
  in
  (try args (List.tl (Array.to_list Sys.argv)) with _ -> prerr_endline usage; exit 2);
  let vfile, afile = match !files with [ v; a ] -> (v, a) | _ -> prerr_endline usage; exit 2 in
  let parse p =
    try parse_file p with
    | Parse_error (n, msg) -> Printf.eprintf "validate: %s:%d: %s\n" p n msg; exit 2
    | Sys_error msg -> Printf.eprintf "validate: %s\n" msg; exit 2
  in
  let vm = parse vfile and am = parse afile in
  let rejected = ref false and seen = ref 0 in
  List.iter (fun (af : func) ->
      if af.allocated && (!only = "" || !only = af.name) then begin
        incr seen;
        let verdict =
          match List.find_opt (fun (g : func) -> g.name = af.name && not g.allocated) vm.funcs with
          | None -> Some "no vreg function of that name"
          | Some _ when vm.growable -> Some "input: growable memory (memory N max M)"
          | Some vf ->
              if Policy.multi_value vm vf then Some "input: several results (multi-value)" else
              (match (if !policy then Policy.check vm vf af !pool else None) with
               | Some why -> Some ("policy: " ^ why)
               | None ->
                   (try
                      let cf = Convert.config vm vf !limit in
                      let v = Convert.vfun vf and a = Convert.afun af in
                      if Checker.validate cf v a then None else Some (why_rejected cf af v a)
                    with Convert.Reject why -> Some ("input: " ^ why)))
        in
        match verdict with
        | None -> Printf.printf "%s\taccept\n" af.name
        | Some why -> rejected := true; Printf.printf "%s\treject\t%s\n" af.name why
      end) am.funcs;
  if !seen = 0 then (Printf.eprintf "validate: no allocated function to check\n"; exit 2);
  exit (if !rejected then 1 else 0)
