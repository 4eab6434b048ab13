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
  # -O1 -g1: half the compile time of -O2 -g under the sanitizers (the
  # build is most of CI's time); enough optimisation and line info for
  # readable reports.
  # clang-14, not gcc: the same build also makes the libFuzzer targets
  # (VCR_FUZZ: coverage instrumentation on every object, fuzz/ links the
  # driver), so fuzzing costs no third build. A build-asan configured with
  # another compiler is reconfigured from scratch.
  if [ -f build-asan/CMakeCache.txt ] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang++-14$' build-asan/CMakeCache.txt; then
    rm -rf build-asan
  fi
  VCR_BUILD_DIR=build-asan bash scripts/setup.sh -DVCR_SANITIZE=ON -DVCR_FUZZ=ON -DCMAKE_BUILD_TYPE=Sanitize \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    "-DCMAKE_CXX_FLAGS_SANITIZE=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_SANITIZE=-O1 -g1 -DNDEBUG"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # third-party leaks only, each with its reason (tests/lsan.supp)
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
  # The property tests run in full in the first pass; here smaller counts
  # keep the sanitizer pass short while still covering every code path
  # (each stays at or above its floor in tests/size_env.h callers: README).
  export VCR_DIFF_GENERATED=150 VCR_ALLOC_GENERATED=300 VCR_CHECK_GENERATED=150 \
         VCR_LADDER_GENERATED=100 VCR_EXEC_GENERATED=100 VCR_MUTATION_ONLY=.wat VCR_CORPUS_ONLY=.wat
  ctest --test-dir build-asan --output-on-failure -j2
fi
