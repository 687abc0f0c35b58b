#!/usr/bin/env bash
# Sets up and builds tg, then runs every test: the GoogleTest unit tests, the
# benchmark smoke runs and the bounded parser fuzz run (through ctest) and the
# lit suite (each lit test counted on its own). The last line is
# `N passed, N failed[, N skipped]`; the exit status is 1 if any failed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

cd "$TG_BUILD"
rm -f ctest.xml lit.xml
ctest -E '^lit$' -j2 --output-on-failure --output-junit "$TG_BUILD/ctest.xml" || true
python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv "$TG_BUILD/test" \
  --xunit-xml-output "$TG_BUILD/lit.xml" || true

echo "lines of C++ (lib include tools plugins, without generated code):" \
  "$(cd "$TG_ROOT" && find lib include tools plugins -name '*.cpp' -o -name '*.h' | xargs cat | wc -l)"
exec python3 "$TG_ROOT/utils/summarize-tests.py" "$TG_BUILD/ctest.xml" "$TG_BUILD/lit.xml"
