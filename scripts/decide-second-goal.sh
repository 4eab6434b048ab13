#!/usr/bin/env bash
# Issue 16's second goal where experiment 3 leaves it open: the functions of
# docs/experiments/goal.csv whose optimal solve was time-limited ("unknown")
# are solved again with a longer CBC limit (`verify-alloc --optimal
# --optimal-function NAME`), their verdicts go to docs/experiments/goal_long.csv,
# and docs/experiments.md is rendered again from the last experiments run, the
# open rows taking the longer solve's verdict.
#
# Usage: bash scripts/decide-second-goal.sh [seconds=1800] [build-dir=build]
# Run after `bash scripts/experiments.sh` (it reads that run's raw reports and
# generated modules). A long campaign: up to the limit per open function.
set -euo pipefail
cd "$(dirname "$0")/.."
T=${1:-1800}
BUILD_DIR=${2:-build}
VA=$BUILD_DIR/tools/verify-alloc
RAW=$BUILD_DIR/experiments-raw
PY=${PYTHON:-/usr/bin/python3}
[ -x "$VA" ] || { echo "decide-second-goal: no $VA (build first)" >&2; exit 2; }
[ -s docs/experiments/goal.csv ] && [ -s "$RAW/meta.json" ] ||
  { echo "decide-second-goal: run bash scripts/experiments.sh first" >&2; exit 2; }
"$PY" scripts/experiments/spurious.py --decide docs/experiments/goal.csv "$VA" "$T" \
  docs/experiments/goal_long.csv "$(git rev-parse --short HEAD)" "$(date -u +%Y-%m-%dT%H:%MZ)"
"$PY" scripts/experiments/report.py "$RAW" docs
