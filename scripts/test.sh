#!/usr/bin/env bash
# Every test: set up and build, run the whole ctest suite, then build the
# tests with AddressSanitizer + UndefinedBehaviorSanitizer and run them
# again (with smaller property-test counts, set by environment variables).
# VCR_SKIP_SANITIZE=1 skips the sanitizer pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== tests (RelWithDebInfo) =="
ctest --test-dir build --output-on-failure -j2

if [ "${VCR_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== tests (ASan + UBSan) =="
  VCR_BUILD_DIR=build-asan bash scripts/setup.sh -DVCR_SANITIZE=ON
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export VCR_DIFF_GENERATED=${VCR_DIFF_GENERATED_ASAN:-150} VCR_ALLOC_GENERATED=${VCR_ALLOC_GENERATED_ASAN:-300}
  ctest --test-dir build-asan --output-on-failure -j2
fi
