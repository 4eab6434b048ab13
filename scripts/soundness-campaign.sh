#!/usr/bin/env bash
# The long checker soundness campaign (issue 12): >= 100,000 mutants over the bundled corpus,
# tools/fuzz/shapes.wat and generated modules, every proved mutant run in the interpreter and Unicorn.
# Usage: scripts/soundness-campaign.sh [BUILD_DIR] [OUT_DIR]   (env: MUTANTS, SEED, GENERATED)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-$root/build/soundness-campaign}
mutants=${MUTANTS:-100000}
seed=${SEED:-1}
generated=${GENERATED:-24}
if (( mutants < 100000 )) && [[ -z "${ALLOW_SHORT:-}" ]]; then
  echo "soundness-campaign: MUTANTS=$mutants is below the campaign's 100000 (set ALLOW_SHORT=1 for a trial)" >&2
  exit 2
fi
bin=$build/tools/soundness-fuzz
[[ -x $bin ]] || { echo "soundness-campaign: $bin not built (ninja -C $build soundness-fuzz)" >&2; exit 2; }
mkdir -p "$out"
set +e
"$bin" --mutants "$mutants" --seed "$seed" --generated "$generated" --out "$out/findings" \
  --report "$out/report.txt" --json "$out/report.json" -v
rc=$?
set -e
echo "report: $out/report.txt, $out/report.json; reproducers (if any): $out/findings"
exit $rc
