#!/usr/bin/env bash
# The kernel comparison: build, run every C kernel's functions on their fixed
# workloads (corpus/kernels/workloads.json) as vcr-ra code, legacy-model code
# and clang-14 -O2 native code, all in Unicorn, on cortex-m4, cortex-m4f and
# cortex-m7; write docs/kernels.md (a table per CPU) and docs/kernels.png (a
# bar chart per CPU). Usage: bash scripts/kernel-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR=${VCR_BUILD_DIR:-build}
mkdir -p docs
# One run per CPU: soft float on cortex-m4 (the default), hard float
# (AAPCS-VFP, clang's -mfloat-abi=hard) on cortex-m4f and cortex-m7.
reports=()
for cpu in cortex-m4 cortex-m4f cortex-m7; do
  "$BUILD_DIR/tools/verify-alloc" corpus/kernels --cpu "$cpu" --run --legacy --native \
    --json "$BUILD_DIR/kernels-$cpu.json" -q
  reports+=("$BUILD_DIR/kernels-$cpu.json")
done
# Debian's matplotlib lives with the system interpreter.
PY=${PYTHON:-/usr/bin/python3}
"$PY" scripts/kernel-chart.py "${reports[@]}" docs/kernels.md docs/kernels.png
