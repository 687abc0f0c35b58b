#!/usr/bin/env bash
#===- symbolic-diff.sh - the simplifier's results of two builds, compared --===#
#
# Prints what the symbolic rule sets make of many inputs with one build, so
# that a change meant to keep results (a speed-up) can be checked by diffing
# the output of the build before it against the build after it:
#
#   utils/symbolic-diff.sh BUILD [COUNT] > out.txt
#   utils/symbolic-diff.sh --compare OLD_BUILD NEW_BUILD [COUNT]
#
# The inputs: COUNT random expressions of each mode (index and fixed) from
# `tg-fuzz-symbolic --print-only` (default 100000 each, seeds 1 and 2), and
# every file of test/Symbolic through tg-opt with each of the three
# symbolic pipelines. BUILD is a build folder holding bin/tg-opt and
# bin/tg-fuzz-symbolic. --compare prints the first differences and exits
# with 1 when there are any, 0 when the outputs are byte-identical.
#
#===------------------------------------------------------------------------===#

set -euo pipefail

Root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  echo "usage: $0 BUILD [COUNT]" >&2
  echo "       $0 --compare OLD_BUILD NEW_BUILD [COUNT]" >&2
  exit 2
}

# dump BUILD COUNT: the results of one build on stdout.
dump() {
  local Build="$1" Count="$2"
  for Tool in tg-opt tg-fuzz-symbolic; do
    if [[ ! -x "$Build/bin/$Tool" ]]; then
      echo "$0: error: $Build/bin/$Tool is missing (build it first)" >&2
      exit 2
    fi
  done
  for Seed in 1 2; do
    for Mode in index fixed; do
      echo "=== tg-fuzz-symbolic --seed=$Seed --mode=$Mode --count=$Count"
      "$Build/bin/tg-fuzz-symbolic" --print-only --seed="$Seed" \
        --mode="$Mode" --count="$Count" --jobs=2 2>/dev/null
    done
  done
  for File in "$Root"/test/Symbolic/*.tg; do
    for Pipeline in symbolic-simple symbolic symbolic-stage; do
      echo "=== $(basename "$File") --pass-pipeline=$Pipeline"
      # A file may hold inputs a pipeline rejects: the diagnostics are
      # results too.
      "$Build/bin/tg-opt" "$File" --split-input-file \
        --pass-pipeline="$Pipeline" 2>&1 || echo "(exit status $?)"
    done
  done
}

if [[ $# -ge 1 && "$1" == "--compare" ]]; then
  [[ $# -ge 3 ]] || usage
  Count="${4:-100000}"
  Old="$(mktemp)"
  New="$(mktemp)"
  trap 'rm -f "$Old" "$New"' EXIT
  dump "$2" "$Count" >"$Old"
  dump "$3" "$Count" >"$New"
  if cmp -s "$Old" "$New"; then
    echo "identical: $(wc -l <"$New") lines"
    exit 0
  fi
  diff "$Old" "$New" | head -100
  exit 1
fi

[[ $# -ge 1 ]] || usage
dump "$1" "${2:-100000}"
