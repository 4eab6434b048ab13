#!/usr/bin/env bash
# Limits: one function of about 100,000 MIR instructions (wasmgen, corpus/gen)
# is selected, allocated and checked by verify-alloc under /usr/bin/time -v;
# prints the instruction count, the allocation and check times, the
# obligations and the whole run's wall time and peak RSS.
# Usage: scripts/big-function.sh [SIZE]   (wasmgen --size, default 110000)
# Env: VCR_BUILD_DIR (default build; its verify-alloc and wasmgen are built
# unless VCR_NO_BUILD=1), VCR_BIG_ARGS (extra verify-alloc options).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-110000}
build=${VCR_BUILD_DIR:-build}
if [ "${VCR_NO_BUILD:-0}" != 1 ]; then ninja -C "$build" verify-alloc wasmgen >/dev/null; fi
tmp=$(mktemp -d /tmp/vcr-big.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# One function, no helpers; more i64 and memory than the defaults, so the
# MIR is about 1.1 instructions per wasm operator.
"$build/corpus/gen/wasmgen" --seed 1 --size "$size" --helpers 0 --i64-share 0.35 --mem-share 0.3 >"$tmp/big.wat"
echo "big-function: $(wc -c <"$tmp/big.wat") bytes of wat (wasmgen --size $size)"
set +e
# shellcheck disable=SC2086
/usr/bin/time -v "$build/tools/verify-alloc" "$tmp/big.wat" --json "$tmp/big.json" -q ${VCR_BIG_ARGS:-} \
  2>"$tmp/time.txt"
rc=$?
set -e
python3 - "$tmp/big.json" "$tmp/time.txt" "$rc" <<'PY'
import json, re, sys
rep = json.load(open(sys.argv[1]))
tv = open(sys.argv[2]).read()
def field(name):
    m = re.search(r"^\s*" + re.escape(name) + r": (.*)$", tv, re.M)
    return m.group(1).strip() if m else "?"
for f in rep.get("functions", []):
    a = f.get("alloc") or {}
    c = f.get("check") or {}
    print(f"big-function: @{f.get('function')}: {f.get('status')}, {f.get('mir_instructions', f.get('instrs', '?'))} MIR instructions, "
          f"{f.get('vregs', '?')} vregs, alloc {a.get('time_us', 0) / 1e6:.2f} s, "
          f"check {c.get('time_us', 0) / 1e6:.2f} s ({c.get('proved', '?')}/{c.get('obligations', '?')} proved, "
          f"{c.get('refuted', '?')} refuted, {c.get('unknown', '?')} unknown)")
print(f"big-function: exit {sys.argv[3]}, wall {field('Elapsed (wall clock) time (h:mm:ss or m:ss)')}, "
      f"user {field('User time (seconds)')} s, peak RSS {int(field('Maximum resident set size (kbytes)')) / 1024:.0f} MiB")
PY
exit $rc
