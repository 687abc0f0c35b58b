#!/usr/bin/env python3
"""Checks each kernel of a file that `tg-run --emit=source` wrote for a metal
arch: the file holds one translation unit per kernel, each starting with
`#include <metal_stdlib>`, and units may repeat the same helper, so each is
checked on its own. Prints `checked N kernels` when the check command accepts
every one; otherwise prints clang's diagnostics and exits 1. A file with no
kernel is an error, so a test cannot pass on empty output.

usage: check_kernels.py <check command>... <file.metal>"""
import os
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
            if result.returncode != 0:
                failed += 1
                print(f"{path}: kernel {i} is rejected:")
                print(result.stdout + result.stderr)
    if failed:
        print(f"{failed} of {len(units)} kernels rejected")
        return 1
    print(f"checked {len(units)} kernels")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[-1], sys.argv[1:-1]))
