#!/usr/bin/env bash
# One set-up for everything: installs the Debian 12 packages vcr-ra needs and
# configures + builds the project into build/ (or $VCR_BUILD_DIR).
# Usage: bash scripts/setup.sh [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  wabt libz3-dev z3 cvc5 libboost-dev nlohmann-json3-dev doctest-dev libcli11-dev libfmt-dev
  clang-14 lld-14 libclang-rt-14-dev-wasm32
  libunicorn-dev binutils-arm-none-eabi gcc-arm-none-eabi python3-matplotlib
  coq ocaml-nox ocaml-findlib ocaml-dune graphviz chromium libfuzzer-14-dev coinor-libcbc-dev
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${VCR_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
ninja -C "$BUILD_DIR"
