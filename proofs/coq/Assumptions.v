(* Prints the axioms each main theorem rests on; the test fails on any outside proofs/axioms-allowed.txt. *)
From VCR Require Import Sound Main.
Print Assumptions Main.validate_sound.
Print Assumptions Main.validate_terminates_same.
Print Assumptions Main.validate_diverges_same.
Print Assumptions Sound.check_sound.
