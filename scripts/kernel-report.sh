#!/usr/bin/env bash
# The kernel comparison: build, run every C kernel's functions on their fixed
# workloads (corpus/kernels/workloads.json) as vcr-ra code, legacy-model code
# and clang-14 -O2 native code, all in Unicorn; write docs/kernels.md (table)
# and docs/kernels.png (bar chart). Usage: bash scripts/kernel-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR=${VCR_BUILD_DIR:-build}
mkdir -p docs
"$BUILD_DIR/tools/verify-alloc" corpus/kernels --run --legacy --native --json docs/kernels.json -q
# Debian's matplotlib lives with the system interpreter.
PY=${PYTHON:-/usr/bin/python3}
"$PY" scripts/kernel-chart.py docs/kernels.json docs/kernels.md docs/kernels.png
