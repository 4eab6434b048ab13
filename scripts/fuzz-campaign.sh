#!/usr/bin/env bash
# The long fuzz run: each libFuzzer target of fuzz/ in turn, from its seeds
# plus the corpus kept from earlier campaigns, for SECONDS each, in fork mode
# so that a crash, timeout or OOM is saved and the run goes on. Prints per
# target: executions, coverage, corpus size, and crashes/timeouts/OOMs found
# with their reproducer files. Exit 1 if anything was found.
# Usage: scripts/fuzz-campaign.sh [SECONDS per target, default 300] [TARGET...]
# Env: VCR_BUILD_DIR (default build-asan: configured by scripts/test.sh with
# clang-14 and -DVCR_FUZZ=ON), VCR_FUZZ_DIR (default $VCR_BUILD_DIR/fuzz-campaign).
# Run it niced on a shared machine: nice -n 19 bash scripts/fuzz-campaign.sh 300
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds=${1:-300}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(wasm wat mir pipeline)
build=${VCR_BUILD_DIR:-$root/build-asan}
dir=${VCR_FUZZ_DIR:-$build/fuzz-campaign}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

found_any=0
summary=()
# Seeds that live elsewhere in the tree, read as they are (not copied):
# the corpus fixtures for .wat, the checker's regression pairs for .mir.
extra_seeds() {
  case "$1" in
    wat) echo "$root/corpus/fixtures" ;;
    mir) echo "$root/verifier/tests/regress" ;;
    pipeline) echo "$root/verifier/tests/regress $root/corpus/kernels" ;;
  esac
}

for t in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$t"
  if [ ! -x "$bin" ]; then echo "fuzz-campaign: no $bin (build with clang-14 and -DVCR_FUZZ=ON)"; exit 2; fi
  work="$dir/$t"; mkdir -p "$work/corpus" "$work/artifacts"
  limit=5; rss=1024
  if [ "$t" = pipeline ]; then limit=30; rss=2048; fi
  before=$(ls "$work/artifacts" | wc -l)
  echo "fuzz-campaign: fuzz_$t for ${seconds}s (log: $work/log)"
  "$bin" "$work/corpus" "$root/fuzz/seeds/$t" $(extra_seeds "$t") -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$seconds" -timeout="$limit" -rss_limit_mb="$rss" -max_len=8192 \
      -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1
  # Fork mode's status lines: "#EXECS: cov: C ft: F corp: N exec/s E oom/timeout/crash: O/T/C time: S ..."
  last=$(grep -E '^#[0-9]+: cov:' "$work/log" | tail -n 1)
  execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
  cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$last")
  corp=$(sed -E 's/.* corp: ([0-9]+).*/\1/' <<<"$last")
  otc=$(sed -E 's/.* oom\/timeout\/crash: ([0-9\/]+).*/\1/' <<<"$last")
  after=$(ls "$work/artifacts" | wc -l)
  new=$((after - before))
  ((new > 0)) && found_any=1
  line="fuzz_$t: ${execs:-0} executions, coverage ${cov:-?}, corpus ${corp:-?}, oom/timeout/crash ${otc:-0/0/0}, $new new reproducer(s)"
  summary+=("$line")
  echo "fuzz-campaign: $line"
  if ((new > 0)); then ls -t "$work/artifacts" | head -n "$new" | sed "s|^|  $work/artifacts/|"; fi
done
echo "== fuzz campaign: ${seconds}s per target =="
printf '%s\n' "${summary[@]}"
exit $found_any
