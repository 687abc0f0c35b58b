#!/usr/bin/env python3
"""Runs tg-opt alone on every `// -----` case of a diagnostics test file,
without --verify-diagnostics, and checks what a user sees: exit status 1, and
a first diagnostic `file:line:col: error: ...` on the line that the case's
first `expected-error` names. --verify-diagnostics checks the messages; this
checks the exit status and the column-bearing location of each case.

usage: check_each_case.py <tg-opt> <file.tg>..."""
import re
import subprocess
import sys
import tempfile
import os

EXPECT = re.compile(r"expected-error(@[+-]\d+|@above|@below)?\s*\{\{")
LOCATION = re.compile(r"^(.*?):(\d+):(\d+): error: ")


def expected_line(lines, start):
    """The 1-based line of the first expected-error among `lines`."""
    for offset, text in enumerate(lines):
        m = EXPECT.search(text)
        if not m:
            continue
        here = start + offset + 1
        where = m.group(1) or ""
        if where.startswith("@+") or where.startswith("@-"):
            return here + int(where[1:])
        if where == "@above":
            return here - 1
        if where == "@below":
            return here + 1
        return here
    return None


def main(tg_opt, paths):
    cases = failures = 0
    for path in paths:
        lines = open(path).read().split("\n")
        start = 0
        chunks = []
        for i, text in enumerate(lines + ["// -----"]):
            if text.strip() == "// -----":
                chunks.append((start, lines[start:i]))
                start = i + 1
        for start, chunk in chunks:
            want = expected_line(chunk, start)
            if want is None:
                continue
            cases += 1
            with tempfile.NamedTemporaryFile("w", suffix=".tg", delete=False) as f:
                # Blank lines keep every line where it is in the original.
                f.write("\n" * start + "\n".join(chunk))
            run = subprocess.run([tg_opt, f.name], capture_output=True, text=True)
            os.unlink(f.name)
            first = next((l for l in run.stderr.splitlines() if LOCATION.match(l)), "")
            m = LOCATION.match(first)
            problem = None
            if run.returncode != 1:
                problem = f"exit status {run.returncode}, not 1"
            elif not m:
                problem = "no 'file:line:col: error:' diagnostic"
            elif int(m.group(2)) != want:
                problem = f"first error on line {m.group(2)}, expected line {want}"
            if problem:
                failures += 1
                print(f"{path}:{start + 1}: {problem}\n{run.stderr}")
    print(f"checked {cases} cases, {failures} wrong")
    return 1 if failures or not cases else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
