(* Extraction of the validator to OCaml (proofs/ocaml/checker.ml); Z stays Coq's binary integers. *)
From Coq Require Import Extraction ExtrOcamlBasic ExtrOcamlNatInt.
From VCR Require Import Syntax Validator Solve.
Extraction Language OCaml.
Extraction "../ocaml/checker.ml" validate solve check_all check_block init_abs block_out tr_orig tr_ins_list skip skip_all pre_elide tr_term expand is_orig.
