#!/usr/bin/env bash
# The main job: set up and build tg, then round-trip and verify an example
# kernel through tg-opt and check that printing it again changes nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

example=$TG_ROOT/examples/add_one.tg
echo "== tg-opt $example --pass-pipeline=verify,dce,print-stats"
"$TG_BUILD/bin/tg-opt" "$example" --pass-pipeline=verify,dce,print-stats \
  -o "$TG_BUILD/add_one.out.tg"
cat "$TG_BUILD/add_one.out.tg"
"$TG_BUILD/bin/tg-opt" "$TG_BUILD/add_one.out.tg" | diff -u "$TG_BUILD/add_one.out.tg" -
echo "== round trip is a fixed point; the example verifies"
