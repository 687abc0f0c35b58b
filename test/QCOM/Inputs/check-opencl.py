"""Checks OpenCL C with clang's front end, one kernel at a time.

Usage: check-opencl.py FILE [CLANG-ARGS...]

tg-run --emit=source writes the sources of a module's kernels one after
another; each starts with `#pragma OPENCL FP_CONTRACT OFF` and is a program of
its own. Each is checked with `clang-19 -x cl -cl-std=CL1.2 -target spir64
-fsyntax-only -Xclang -finclude-default-header CLANG-ARGS`; the exit status
is non-zero if any fails.
"""
import subprocess
import sys
import tempfile

MARK = "#pragma OPENCL FP_CONTRACT OFF\n"

text = open(sys.argv[1]).read()
sources = [MARK + part for part in text.split(MARK) if part.strip()]
if not sources:
    sys.exit("check-opencl.py: no kernel in " + sys.argv[1])
failed = 0
for source in sources:
    with tempfile.NamedTemporaryFile("w", suffix=".cl") as f:
        f.write(source)
        f.flush()
        failed |= subprocess.call(
            ["clang-19", "-x", "cl", "-cl-std=CL1.2", "-target", "spir64",
             "-fsyntax-only", "-Xclang", "-finclude-default-header"] +
            sys.argv[2:] + [f.name])
print("%d kernel(s) checked" % len(sources))
sys.exit(failed)
