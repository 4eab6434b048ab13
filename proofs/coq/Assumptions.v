(* Prints the axioms each main theorem rests on; the test fails on any outside proofs/axioms-allowed.txt. *)
From VCR Require Import Sound Theorem.
Print Assumptions Theorem.validate_sound.
Print Assumptions Theorem.validate_terminates_same.
Print Assumptions Theorem.validate_diverges_same.
Print Assumptions Sound.check_sound.
