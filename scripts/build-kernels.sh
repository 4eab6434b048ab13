#!/usr/bin/env bash
# build-kernels.sh: rebuild corpus/kernels/NAME.wasm from corpus/kernels/NAME.c
# and check that each module stays inside the subset it declares: by default
# the integer MVP subset (no floats, memory.grow, bulk memory, SIMD, tables or
# call_indirect, data segments); a kernel's source widens it with markers
# (see below). Usage: scripts/build-kernels.sh [NAME...]   (default: all)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kdir="$root/corpus/kernels"
CLANG="${CLANG:-clang-14}"
WASM_LD="${WASM_LD:-wasm-ld-14}"

for tool in "$CLANG" "$WASM_LD" wasm-validate wasm2wat; do
  command -v "$tool" >/dev/null || { echo "build-kernels: missing tool: $tool" >&2; exit 1; }
done

# -fno-builtin keeps loop idioms from turning into memcpy/memset calls;
# -mcpu=mvp pins the feature set (no sign-ext, bulk memory or SIMD from a
# newer default); -fno-unroll-loops keeps loops recognisable.
CFLAGS=(--target=wasm32 -mcpu=mvp -O2 -nostdlib -ffreestanding -fno-builtin
        -fno-unroll-loops -fno-vectorize -fno-slp-vectorize -Wall -Wextra -Werror)
# The name section is kept (no --strip-debug/--strip-all) so that function
# names survive. Memory: 2 pages, 16 KiB shadow stack placed first.
LDFLAGS=(--no-entry --export-all --stack-first -z stack-size=16384
         --initial-memory=131072 --max-memory=131072)

# Patterns (in wasm2wat output) outside the supported subset.
forbidden='f32\.|f64\.|v128|memory\.grow|memory\.copy|memory\.fill|memory\.init|data\.drop|\(data|return_call|ref\.|table\.|call_indirect|\(table|\(elem'

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for c in "$kdir"/*.c; do names+=("$(basename "$c" .c)"); done
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
for name in "${names[@]}"; do
  src="$kdir/$name.c"
  out="$kdir/$name.wasm"
  [ -f "$src" ] || { echo "build-kernels: no such kernel: $src" >&2; exit 1; }
  # Markers in a kernel's source comment ("build-kernels: float, table")
  # widen its subset, each for what it names:
  #   bulk-memory  built with -mbulk-memory: memory.copy and memory.fill
  #   float        f32 and f64 values and operators
  #   table        function pointers: the table, its element segment and
  #                call_indirect
  extra=()
  pattern="$forbidden"
  markers="$(sed -n 's/.*build-kernels: *\([a-z, -]*\).*/\1/p' "$src" | tr ', ' '\n\n')"
  for m in $markers; do
    case "$m" in
      bulk-memory) extra+=(-mbulk-memory); pattern="${pattern/memory\\.copy|memory\\.fill|/}" ;;
      float) pattern="${pattern/f32\\.|f64\\.|/}" ;;
      table) pattern="${pattern/|call_indirect|\\(table|\\(elem/}" ;;
      *) echo "build-kernels: $name.c: unknown marker '$m'" >&2; exit 1 ;;
    esac
  done
  "$CLANG" "${CFLAGS[@]}" "${extra[@]}" -c "$src" -o "$tmp/$name.o"
  "$WASM_LD" "${LDFLAGS[@]}" "$tmp/$name.o" -o "$tmp/$name.wasm"
  wasm-validate "$tmp/$name.wasm"
  wasm2wat "$tmp/$name.wasm" -o "$tmp/$name.wat"
  if bad="$(grep -nE "$pattern" "$tmp/$name.wat")"; then
    echo "build-kernels: $name.c compiles to constructs outside the supported subset:" >&2
    echo "$bad" | head -20 >&2
    status=1
    continue
  fi
  if ! grep -q '(func \$' "$tmp/$name.wat"; then
    echo "build-kernels: $name.wasm lost its function names (name section)" >&2
    status=1
    continue
  fi
  cp "$tmp/$name.wasm" "$out"
  funcs="$(grep -c '^  (func ' "$tmp/$name.wat" || true)"
  echo "built $out ($(stat -c %s "$out") bytes, $funcs functions)"
done
exit $status
