#!/usr/bin/env python3
"""Checks each kernel of a file that `tg-run --emit=source` wrote for a metal
arch: the file holds one translation unit per kernel, each starting with
`#include <metal_stdlib>`, and units may repeat the same helper, so each is
checked on its own. Besides the check command, which cannot see it, two
parameters bound at one [[buffer(N)]] index are an error (Metal rejects them).
Prints `checked N kernels` when every one passes; otherwise prints the
diagnostics and exits 1. A file with no kernel is an error, so a test cannot
pass on empty output.

usage: check_kernels.py <check command>... <file.metal>"""
import collections
import os
import re
import subprocess
import sys
import tempfile

START = "#include <metal_stdlib>"


def split_units(text):
    """The translation units of `text`, each from one START to the next."""
    units = []
    for line in text.splitlines(keepends=True):
        if line.startswith(START) or not units:
            units.append("")
        units[-1] += line
    return [u for u in units if u.startswith(START)]


def duplicate_indices(unit):
    """The [[buffer(N)]] indices bound more than once in `unit`."""
    counts = collections.Counter(re.findall(r"\[\[buffer\((\d+)\)\]\]", unit))
    return sorted(int(i) for i, n in counts.items() if n > 1)


def main(path, command):
    units = split_units(open(path).read())
    if not units:
        print(f"{path}: no kernel (no line '{START}')")
        return 1
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, unit in enumerate(units):
            name = os.path.join(tmp, f"kernel{i}.metal")
            with open(name, "w") as f:
                f.write(unit)
            result = subprocess.run(command + [name], capture_output=True,
                                    text=True)
            twice = duplicate_indices(unit)
            if result.returncode != 0 or twice:
                failed += 1
                print(f"{path}: kernel {i} is rejected:")
                print(result.stdout + result.stderr)
            if twice:
                print(f"[[buffer(N)]] bound twice for N = "
                      f"{', '.join(map(str, twice))}")
    if failed:
        print(f"{failed} of {len(units)} kernels rejected")
        return 1
    print(f"checked {len(units)} kernels")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[-1], sys.argv[1:-1]))
