(* proofs/validate: the Coq-verified allocation validator, run on a vreg MIR file and an allocated MIR file. *)
open Mir

let usage =
  "usage: validate VREG.mir ALLOC.mir [--function NAME] [--stack-limit BYTES] [--pool MASK] [--no-policy]\n\
   Checks every allocated function of ALLOC.mir against the function of the same name\n\
   in VREG.mir; prints `<function>\\taccept` or `<function>\\treject\\t<why>` per function.\n\
   --no-policy: only the verified check (not the C++ checker's policy rules, which soundness does not need).\n\
   Exit 0: all accepted; 1: some rejected; 2: bad usage or unparsable input."

(* The first block whose check fails, for the rejection message. *)
let why_rejected cf v a =
  let ins = Checker.solve cf v a in
  let n = List.length a in
  let rec first b =
    if b >= n then "the entry state (parameters, entry registers) does not give the entry block's facts"
    else if not (Checker.check_block cf v a ins b) then
      (match List.nth_opt ins b with
       | Some (Some _) -> Printf.sprintf "bb%d: a check of the block or of an edge leaving it fails" b
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
          | Some vf ->
              (match (if !policy then Policy.check vm vf af !pool else None) with
               | Some why -> Some ("policy: " ^ why)
               | None ->
                   (try
                      let cf = Convert.config vm vf !limit in
                      let v = Convert.vfun vf and a = Convert.afun af in
                      if Checker.validate cf v a then None else Some (why_rejected cf v a)
                    with Convert.Reject why -> Some ("input: " ^ why)))
        in
        match verdict with
        | None -> Printf.printf "%s\taccept\n" af.name
        | Some why -> rejected := true; Printf.printf "%s\treject\t%s\n" af.name why
      end) am.funcs;
  if !seen = 0 then (Printf.eprintf "validate: no allocated function to check\n"; exit 2);
  exit (if !rejected then 1 else 0)
