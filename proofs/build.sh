#!/bin/sh
# Builds the Coq development (proofs/coq), extracts the validator and builds proofs/validate.
# Usage: proofs/build.sh [OUTDIR]   (default OUTDIR: proofs/_build; the executable is OUTDIR/validate)
# Prints each main theorem's Print Assumptions to OUTDIR/assumptions.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/_build}
mkdir -p "$out/coq" "$out/ocaml"
cp "$here"/coq/*.v "$out/coq/"
cd "$out/coq"
for f in Syntax Validator Solve Sound Main; do coqc -q -Q . VCR "$f.v"; done
coqc -q -Q . VCR Assumptions.v > "$out/assumptions.txt"
# Extraction writes ../ocaml/checker.ml{,i} relative to the .v files: here $out/ocaml.
coqc -q -Q . VCR Extract.v
cd "$out/ocaml"
cp "$here"/ocaml/mir.ml "$here"/ocaml/convert.ml "$here"/ocaml/policy.ml "$here"/ocaml/validate.ml .
ocamlfind ocamlopt -package str -linkpkg -w +a-4-9-40-41-42-44-45-70 \
  checker.mli checker.ml mir.ml convert.ml policy.ml validate.ml -o "$out/validate" 2> "$out/ocaml-warnings.txt" || {
  cat "$out/ocaml-warnings.txt" >&2; exit 1; }
echo "built $out/validate"
