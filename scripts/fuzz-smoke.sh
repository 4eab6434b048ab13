#!/usr/bin/env bash
# The fuzz smoke test (ctest fuzz_smoke): every libFuzzer target in fuzz/
# runs from its committed seeds for a few seconds, with a per-input time
# limit (a hang is a failure) and a memory limit. Any crash fails the test and
# leaves the reproducer in $FUZZ_OUT (default: a temporary folder, printed).
# Usage: scripts/fuzz-smoke.sh BUILD_FUZZ_DIR
# Env: VCR_FUZZ_SECONDS per target (default 7). A missing target binary
# fails under CI (CI set) and is reported as "VCR-SKIP:" otherwise.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir=${1:?usage: fuzz-smoke.sh BUILD_FUZZ_DIR}
seconds=${VCR_FUZZ_SECONDS:-7}
out=${FUZZ_OUT:-$(mktemp -d /tmp/vcr-fuzz-smoke.XXXXXX)}
targets=(wasm wat mir pipeline)

in_ci() { case "${CI:-}" in ""|0|false) return 1 ;; *) return 0 ;; esac; }

missing=()
for t in "${targets[@]}"; do [ -x "$bin_dir/fuzz_$t" ] || missing+=("fuzz_$t"); done
if ((${#missing[@]})); then
  if in_ci; then
    echo "fuzz-smoke: missing ${missing[*]} in $bin_dir, and CI is set: the sanitizer build must build the fuzz targets (clang-14, -DVCR_FUZZ=ON)"
    exit 1
  fi
  echo "VCR-SKIP: fuzz targets not built (${missing[*]}); configure with clang-14 and -DVCR_FUZZ=ON"
  exit 0
fi

# Seeds that live elsewhere in the tree, read as they are (not copied):
# the corpus fixtures for .wat, the checker's regression pairs for .mir.
extra_seeds() {
  case "$1" in
    wat) echo "$root/corpus/fixtures" ;;
    mir) echo "$root/verifier/tests/regress" ;;
    pipeline) echo "$root/verifier/tests/regress $root/corpus/kernels" ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  work="$out/$t"; mkdir -p "$work/corpus" "$work/crashes"
  # The pipeline calls the solver: a larger per-input limit than the parsers.
  limit=5; rss=1024
  if [ "$t" = pipeline ]; then limit=30; rss=2048; fi
  # New inputs go to the scratch corpus (first folder); the seeds stay as committed.
  "$bin_dir/fuzz_$t" "$work/corpus" "$root/fuzz/seeds/$t" $(extra_seeds "$t") -max_total_time="$seconds" \
      -timeout="$limit" -rss_limit_mb="$rss" -max_len=8192 -print_final_stats=1 \
      -artifact_prefix="$work/crashes/" >"$work/log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  echo "fuzz-smoke: fuzz_$t: exit $rc, ${execs:-?} executions"
  if [ $rc != 0 ]; then
    status=1
    echo "fuzz-smoke: fuzz_$t FAILED; reproducer(s): $(ls "$work"/crashes/* 2>/dev/null | tr '\n' ' ')"
    tail -n 60 "$work/log"
  fi
done
[ $status = 0 ] && [ -z "${FUZZ_OUT:-}" ] && rm -rf "$out"
exit $status
