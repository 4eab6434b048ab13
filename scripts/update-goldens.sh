#!/usr/bin/env bash
# Regenerate the goldens: the allocated MIR and the Thumb-2 assembly of every
# corpus input, byte for byte (tests/golden/{mir,asm}). The ctest
# corpus_goldens compares a fresh run against them, so any change to
# allocation or emission shows up in review as a diff of these files.
# Usage: bash scripts/update-goldens.sh [build-dir]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
va="${1:-build}/tools/verify-alloc"
[ -x "$va" ] || { echo "update-goldens: no $va (build first: bash scripts/setup.sh)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -j1 -q: the same files whatever the machine; no progress line.
"$va" corpus -q -j1 --emit-mir "$tmp/mir" --emit-asm "$tmp/asm"
rm -rf tests/golden/mir tests/golden/asm
mkdir -p tests/golden
mv "$tmp/mir" "$tmp/asm" tests/golden/
echo "update-goldens: $(ls tests/golden/mir | wc -l) MIR and $(ls tests/golden/asm | wc -l) assembly files in tests/golden/"
git status --short tests/golden | head -20 || true
