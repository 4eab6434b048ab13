#!/usr/bin/env bash
# The float differential campaign of issue 14: generated modules with f32/f64
# values (and call_indirect) compiled for every CPU, run in Unicorn and compared
# with the wabt interpreter. Prints, per CPU, verify-alloc's summary lines
# (functions, declines, obligations, runs that agree); exits 1 if any CPU has a
# decline, a refutation, a mismatch or a disagreeing run.
#
# Usage: bash scripts/float-campaign.sh [MODULES]   (default 340: about 1,000
# functions, a main function and two helpers per module)
# Tools: $VCR_VERIFY_ALLOC and $VCR_WASMGEN, else $VCR_BUILD_DIR (default build)/...
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-340}
BUILD_DIR=${VCR_BUILD_DIR:-build}
VA=${VCR_VERIFY_ALLOC:-$BUILD_DIR/tools/verify-alloc}
GEN=${VCR_WASMGEN:-$BUILD_DIR/corpus/gen/wasmgen}
for tool in "$VA" "$GEN"; do
  [ -x "$tool" ] || { echo "float-campaign: $tool is not built (run scripts/setup.sh)" >&2; exit 1; }
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for ((s = 1; s <= N; s++)); do
  "$GEN" --seed $((300000 + s)) --size $((20 + s % 80)) --pressure $((s % 14)) --helpers 2 \
    --i64-share "0.$((s % 3))" --float-share "0.$((2 + s % 5))" --indirect-share 0.3 \
    > "$dir/fgen-$s.wat"
done
status=0
for cpu in cortex-m4 cortex-m4f cortex-m7; do
  out=$("$VA" "$dir" --cpu "$cpu" --run) || status=1
  echo "== --cpu $cpu"
  grep -E 'functions:|^run:|^checker:|ladder fired' <<<"$out"
  # Here-strings, not pipes: under pipefail, `grep -q` stopping at its match
  # kills a long `echo` with SIGPIPE and fails the check that just passed.
  grep -Eq '([0-9]+) functions: \1 ok, 0 declined, 0 error, 0 refuted/unknown, 0 mismatch' <<<"$out" || status=1
  grep -Eq '\(0 declined by the emitter\), ([0-9]+) of \1 runs agree' <<<"$out" || status=1
done
exit $status
