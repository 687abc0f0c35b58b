#!/usr/bin/env bash
# Installs what tg needs and is missing (Debian packages; nothing is installed
# when everything is present), then configures and builds tg in ./build.
# Sourced by run-example.sh and run-tests.sh; runnable alone.
set -euo pipefail

TG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TG_BUILD=${TG_BUILD:-$TG_ROOT/build}

TG_PACKAGES=(cmake ninja-build python3 llvm-19-dev llvm-19-tools clang-19
  lld-19 libclang-rt-19-dev libzstd-dev libz3-dev nlohmann-json3-dev
  libgtest-dev libbenchmark-dev pocl-opencl-icd ocl-icd-opencl-dev
  opencl-c-headers clinfo)

tg_install_missing() {
  local missing=() p
  for p in "${TG_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

tg_build() {
  if [ ! -f "$TG_BUILD/build.ninja" ]; then
    cmake -S "$TG_ROOT" -B "$TG_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19
  fi
  cmake --build "$TG_BUILD"
}

tg_install_missing
tg_build
