#!/usr/bin/env bash
# Compare the allocation throughput of two (or more) alloc_bench binaries on a
# noisy machine: the rows (mir, float, wasm) of each binary run interleaved,
# ROUNDS times, each run `alloc_bench REPS <row>` (the median of REPS runs x 3
# seeds per size), and the table keeps each binary's best figure per row and
# size: the machine only ever slows a run down, so the best of interleaved
# runs is the steadiest estimate of each build's own speed. The output
# digests of every run are compared too: a speed change that should not
# change a single allocation decision must show the same digests.
#
# Usage: bash scripts/bench-compare.sh [--rounds N] [--reps N] BENCH [BENCH ...]
#   BENCH  an alloc_bench binary (build/core/alloc/alloc_bench of each build)
#   --rounds N  interleaved rounds (default 10); --reps N  runs per alloc_bench call (default 20)
# Exit status 1 if the digests of two binaries differ on some row and size.
set -euo pipefail
ROUNDS=10 REPS=20
BENCHES=()
while (($#)); do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) BENCHES+=("$1"); shift ;;
  esac
done
if ((${#BENCHES[@]} == 0)); then
  echo "bench-compare: no alloc_bench binary given (--help)" >&2
  exit 2
fi
for b in "${BENCHES[@]}"; do
  [[ -x "$b" ]] || { echo "bench-compare: $b is not an executable" >&2; exit 2; }
done

declare -A best digest sizes
for ((r = 0; r < ROUNDS; ++r)); do
  for row in mir float wasm; do
    for i in "${!BENCHES[@]}"; do
      # The table rows of one generator: instrs, instr/ms, ..., output digest.
      out=$("${BENCHES[$i]}" "$REPS" "$row") || { echo "bench-compare: ${BENCHES[$i]} failed" >&2; exit 2; }
      k=0
      # (the digest is the last field: a build without the cost column reads the same)
      while read -r -a f; do
        instrs=${f[0]} perms=${f[1]} dig=${f[${#f[@]} - 1]}
        key="$row $k $i"
        sizes["$row $k"]=$instrs
        if [[ -z "${best[$key]:-}" ]] || ((perms > best[$key])); then best[$key]=$perms; fi
        if [[ -n "${digest[$key]:-}" && "${digest[$key]}" != "$dig" ]]; then
          echo "bench-compare: ${BENCHES[$i]} gave two digests for $row row $k" >&2
          exit 2
        fi
        digest[$key]=$dig
        k=$((k + 1))
      done < <(printf '%s\n' "$out" | awk '/instr\/ms/ {on = 1; next} on && /^ +[0-9]/ {print} /^phases/ {on = 0}')
    done
  done
done

printf '%-6s %8s' row instrs
for i in "${!BENCHES[@]}"; do printf ' %12s' "bench$((i + 1))"; done
printf '   %s\n' "digests"
status=0
for row in mir float wasm; do
  for k in 0 1 2; do
    [[ -n "${sizes[$row $k]:-}" ]] || continue
    printf '%-6s %8s' "$row" "${sizes[$row $k]}"
    for i in "${!BENCHES[@]}"; do printf ' %12s' "${best[$row $k $i]:--}"; done
    same=same
    for i in "${!BENCHES[@]}"; do [[ "${digest[$row $k $i]:-}" == "${digest[$row $k 0]:-}" ]] || same=DIFFER; done
    [[ $same == same ]] || status=1
    printf '   %s\n' "$same"
  done
done
echo "(instructions per ms, best of $ROUNDS interleaved runs of 'alloc_bench $REPS <row>'; goal >= 1000)"
for i in "${!BENCHES[@]}"; do echo "bench$((i + 1)) = ${BENCHES[$i]}"; done
exit $status
