#!/usr/bin/env bash
# What each quality pass of the allocator costs and buys: the ablation behind
# the throughput goal of alloc_bench (docs/ablation.md).
#
# For "none" (every pass on), each pass of alloc::QualityPasses switched off
# alone, and all of them off:
#   1. verify-alloc on the corpus with --run: every obligation must still be
#      proved and every run agree (the passes are for quality, never for
#      correctness), and the table sums the allocation's static counts and the
#      instructions executed in Unicorn;
#   2. alloc_bench through scripts/bench-compare.sh (one wrapper per
#      configuration, interleaved rounds, best of each): instructions per ms.
#
# Usage: bash scripts/ablation.sh [--rounds N] [--reps N] [--quick] [CORPUS...]
#   --rounds N  bench-compare rounds (default 3); --reps N  alloc_bench runs per call (default 20)
#   --quick     a smoke run (the ctest ablation_script): configurations none and webs
#               only, one round of one rep
#   CORPUS      verify-alloc inputs (default corpus)
# Tools: $VCR_BUILD_DIR (default build)/tools/verify-alloc and .../core/alloc/alloc_bench.
# Exit status 1 if some configuration loses a proof or a run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3 REPS=20 QUICK=0
INPUTS=()
while (($#)); do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "ablation.sh: unknown option $1" >&2; exit 2 ;;
    *) INPUTS+=("$1"); shift ;;
  esac
done
((${#INPUTS[@]})) || INPUTS=(corpus)
BUILD_DIR=${VCR_BUILD_DIR:-build}
VA=$BUILD_DIR/tools/verify-alloc
BENCH=$BUILD_DIR/core/alloc/alloc_bench
for t in "$VA" "$BENCH"; do
  [[ -x "$t" ]] || { echo "ablation.sh: $t is not built" >&2; exit 2; }
done

ALL=call-splits,loop-exit-splits,webs,arg-only-params,callee-split,recolour
if ((QUICK)); then
  CONFIGS=(none webs) ROUNDS=1 REPS=1
else
  CONFIGS=(none ${ALL//,/ } all)
fi
without() {  # the --without argument of a configuration (none: nothing)
  case "$1" in none) ;; all) echo "--without $ALL" ;; *) echo "--without $1" ;; esac
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
echo "## The corpus (${INPUTS[*]}), verify-alloc --run"
echo
for c in "${CONFIGS[@]}"; do
  # shellcheck disable=SC2046  # `without` is one option and its value, or nothing
  rc=0; "$VA" -q -j2 --run $(without "$c") --csv "$work/$c.csv" "${INPUTS[@]}" || rc=$?
  ((rc == 0)) || { echo "ablation.sh: verify-alloc $(without "$c") exited $rc" >&2; status=1; }
done
python3 - "$work" "${CONFIGS[@]}" <<'EOF' || status=1
import csv, sys
work, configs = sys.argv[1], sys.argv[2:]
keys = ["spill_stores", "reloads", "remats", "moves", "frame_traffic", "insns_executed",
        "obligations", "proved", "exec_runs", "exec_agree"]
rows = {}
for c in configs:
    t = dict.fromkeys(keys, 0)
    t["functions"] = t["ok"] = 0
    for r in csv.DictReader(open(f"{work}/{c}.csv")):
        t["functions"] += 1
        t["ok"] += r["status"] == "ok"
        for k in keys:
            t[k] += int(r[k] or 0)
    rows[c] = t
base = rows[configs[0]]["insns_executed"] or 1
print("| without | functions ok | proved | runs agree | spill stores | reloads | remats | moves | frame traffic "
      "| executed | vs none |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
bad = False
for c, t in rows.items():
    print(f"| {c} | {t['ok']}/{t['functions']} | {t['proved']}/{t['obligations']} | {t['exec_agree']}/{t['exec_runs']} "
          f"| {t['spill_stores']} | {t['reloads']} | {t['remats']} | {t['moves']} | {t['frame_traffic']} "
          f"| {t['insns_executed']:,} | {t['insns_executed'] / base:.4f} |")
    bad |= t["ok"] != t["functions"] or t["proved"] != t["obligations"] or t["exec_agree"] != t["exec_runs"]
    bad |= t["exec_runs"] == 0
sys.exit(1 if bad else 0)
EOF

echo
echo "## alloc_bench, instructions per ms (best of $ROUNDS interleaved rounds of $REPS runs)"
echo
wrappers=()
for c in "${CONFIGS[@]}"; do
  printf '#!/bin/sh\nexec %q %s "$@"\n' "$(realpath "$BENCH")" "$(without "$c")" > "$work/$c"
  chmod +x "$work/$c"
  wrappers+=("$work/$c")
done
# The digests differ between configurations (that is the point): exit 1 is expected.
rc=0; out=$(bash scripts/bench-compare.sh --rounds "$ROUNDS" --reps "$REPS" "${wrappers[@]}") || rc=$?
((rc <= 1)) || { echo "$out"; echo "ablation.sh: bench-compare failed" >&2; exit 2; }
printf '%s\n' "$out" | awk -v names="${CONFIGS[*]}" '
  BEGIN { n = split(names, name, " "); printf "| row | instrs |"; for (i = 1; i <= n; ++i) printf " %s |", name[i];
          printf "\n|---|---|"; for (i = 1; i <= n; ++i) printf "---|"; printf "\n" }
  /^(mir|float|wasm) / { printf "| %s | %s |", $1, $2; for (i = 1; i <= n; ++i) printf " %s |", $(2 + i); printf "\n" }'
exit $status
