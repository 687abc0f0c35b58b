#!/usr/bin/env bash
# The main job: set up and build tg, then compile and run an example kernel
# on the built-in CPU backend and check its output against the reference
# interpreter; also round-trip it through tg-opt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

for example in add_one softmax; do
  file=$TG_ROOT/examples/$example.tg
  echo "== tg-run $file --device=cpu --check --bench=5"
  "$TG_BUILD/bin/tg-run" "$file" --device=cpu --check --bench=5
done

example=$TG_ROOT/examples/add_one.tg
echo "== tg-opt $example --pass-pipeline=remove-reduce,linearize"
"$TG_BUILD/bin/tg-opt" "$example" --pass-pipeline=verify,dce,remove-reduce,linearize \
  -o "$TG_BUILD/add_one.out.tg"
cat "$TG_BUILD/add_one.out.tg"
"$TG_BUILD/bin/tg-opt" "$TG_BUILD/add_one.out.tg" | diff -u "$TG_BUILD/add_one.out.tg" -
echo "== the examples run on the CPU and match the interpreter; the lowered IR round-trips"
