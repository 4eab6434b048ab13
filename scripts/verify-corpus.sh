#!/usr/bin/env bash
# The main job: set up, build, and run verify-alloc on the bundled corpus.
# Extra arguments go to verify-alloc (e.g. --json report.json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec "${VCR_BUILD_DIR:-build}/tools/verify-alloc" corpus "$@"
