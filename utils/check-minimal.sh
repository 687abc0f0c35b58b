#!/usr/bin/env bash
# Checks a minimal tg (utils/build-minimal.sh's dist folder) on the machine
# it was copied to, the GPU machine: prints the machine (uname, glibc, GPUs),
# checks that every binary and plugin finds its libraries (ldd: missing
# libraries and missing symbol versions), then runs
#   tg-run --list-devices
#   tg-run --device=null:sm_90 --emit=source examples/add_one.tg
# and, where `--list-devices` says the nv device runs here,
#   tg-run --device=nv --check examples/add_one.tg
# Prints `ok` or `FAILED` per step and exits 1 if any step failed.
#
#   utils/check-minimal.sh <dist dir>
set -uo pipefail

if [ $# -ne 1 ] || [ ! -x "$1/bin/tg-run" ]; then
  echo "usage: $0 <dist dir> (a folder with bin/tg-run, from utils/build-minimal.sh)" >&2
  exit 2
fi
dist=$(cd "$1" && pwd)
tg_run=$dist/bin/tg-run
example=$dist/examples/add_one.tg
failed=0

step() { # step <name> <command>...: runs the command, reports its result.
  local name=$1 rc
  shift
  echo "== $name: $*"
  "$@" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    echo "-- ok: $name"
  else
    echo "-- FAILED (exit $rc): $name"
    failed=1
  fi
  return $rc
}

echo "== machine"
uname -a
ldd --version 2>&1 | head -1
if command -v nvidia-smi >/dev/null; then
  nvidia-smi -L
else
  echo "nvidia-smi: not present"
fi

check_libraries() {
  local f report bad=0
  for f in "$dist"/bin/* "$dist"/lib/*.so; do
    report=$(ldd "$f" 2>&1)
    if grep 'not found' <<<"$report"; then
      echo "   in ${f#"$dist"/}"
      bad=1
    fi
    if grep -E 'libLLVM|libclang|libz3' <<<"$report"; then
      echo "   ${f#"$dist"/} needs LLVM, clang or Z3"
      bad=1
    fi
  done
  return $bad
}
step "libraries" check_libraries

step "list devices" "$tg_run" --list-devices
step "render for sm_90 (null device)" \
  "$tg_run" --device=null:sm_90 --emit=source "$example"
if "$tg_run" --list-devices 2>/dev/null |
  sed -n '/^nv:/,/runs here/p' | grep -q 'runs here: yes'; then
  step "run on the GPU, checked" "$tg_run" --device=nv --check "$example"
else
  echo "== the nv device does not run here (see --list-devices): not running on the GPU"
fi

if [ $failed -eq 0 ]; then
  echo "check-minimal: every step passed"
else
  echo "check-minimal: some steps FAILED"
fi
exit $failed
