#!/usr/bin/env bash
# Throughput against a reference allocator, measured on this machine in one
# run: alloc_bench's goal (>= 1,000 instructions per ms) is a wall-clock
# figure, and the machines this project runs on differ in speed by up to 2x
# (kinds with different CPUs; one machine from minute to minute). The ratio
# of the current allocator to a fixed reference, interleaved in one run, is
# the figure that does not move with the machine.
#
# The default reference is c15aa1a, the last commit of issue 3, whose
# allocator met the goal on the machine the goal was set on (before the
# allocation-quality passes: splits around calls and at loop exits, webs,
# hint recolouring). Its alloc_bench has the mir and wasm rows; the float
# row came with issue 14, so there the table shows no reference figure.
#
# The reference is built from this repository's history in a git worktree
# (build-ref/<commit>, alloc_bench only, the current build's CMAKE_BUILD_TYPE)
# and kept for later runs. The current build is build/ (scripts/setup.sh).
#
# Usage: bash scripts/bench-reference.sh [--ref COMMIT | --ref-bench PATH] [--bench PATH]
#                                        [--rounds N] [--reps N]
#   --ref-bench PATH  an alloc_bench already built, instead of building COMMIT's
#   --bench PATH      the current alloc_bench (default build/core/alloc/alloc_bench)
#   --rounds, --reps  passed to scripts/bench-compare.sh (defaults 5 and 10)
# Prints bench-compare's table (bench1 = the reference, bench2 = build/),
# then, per row and size, the current figure as a fraction of the reference's,
# and the current float-heavy row as a fraction of the current MIR row.
set -euo pipefail
here=$PWD
abs() { [[ $1 == /* ]] && echo "$1" || echo "$here/$1"; }  # a path given relative to the caller
cd "$(dirname "$0")/.."
REF=c15aa1a ROUNDS=5 REPS=10 ref= cur=build/core/alloc/alloc_bench
while (($#)); do
  case "$1" in
    --ref) REF=$2; shift 2 ;;
    --ref-bench) ref=$(abs "$2"); shift 2 ;;
    --bench) cur=$(abs "$2"); shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench-reference: unknown argument '$1' (--help)" >&2; exit 2 ;;
  esac
done

[[ -x $cur ]] || { echo "bench-reference: $cur is missing: run scripts/setup.sh first" >&2; exit 2; }
if [[ -n $ref ]]; then
  [[ -x $ref ]] || { echo "bench-reference: --ref-bench $ref is not an executable" >&2; exit 2; }
  short=$ref
else
  commit=$(git rev-parse --verify --quiet "$REF^{commit}") ||
    { echo "bench-reference: '$REF' is not a commit of this repository (a shallow clone lacks the history)" >&2; exit 2; }
  short=${commit:0:7}
  wt=build-ref/$short
  if [[ ! -x $wt/build/core/alloc/alloc_bench ]]; then
    echo "== building the reference's alloc_bench ($short) in $wt =="
    [[ -d $wt ]] || git worktree add --detach -f "$wt" "$commit" >/dev/null
    type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' build/CMakeCache.txt 2>/dev/null || true)
    log=build-ref/$short.log
    if ! { cmake -S "$wt" -B "$wt/build" -G Ninja -DCMAKE_BUILD_TYPE="${type:-RelWithDebInfo}" &&
           cmake --build "$wt/build" -j2 --target alloc_bench; } >"$log" 2>&1; then
      echo "bench-reference: the reference's alloc_bench did not build: see $log" >&2
      exit 2
    fi
  fi
  ref=$wt/build/core/alloc/alloc_bench
fi

# The digests differ by design (the allocators decide differently):
# bench-compare's exit status 1 says so and is not an error here.
status=0
table=$(bash scripts/bench-compare.sh --rounds "$ROUNDS" --reps "$REPS" "$ref" "$cur") || status=$?
((status <= 1)) || exit "$status"
printf '%s\n' "$table"
echo
echo "current / reference ($short), same machine, same run:"
printf '%s\n' "$table" | awk '$1 ~ /^(mir|float|wasm)$/ {
  r = ($3 == "-" || $3 == 0) ? "-" : sprintf("%.2f", $4 / $3)
  printf "%-6s %8s %8s\n", $1, $2, r
}'
echo
echo "float-heavy / MIR row of the current build, size for size (what the float code costs; no reference has it):"
printf '%s\n' "$table" | awk '$1 == "mir" {m[n++] = $4} $1 == "float" {
  r = (m[f + 0] == 0) ? "-" : sprintf("%.2f", $4 / m[f + 0]); f++
  printf "%-6s %8s %8s\n", $1, $2, r
}'
