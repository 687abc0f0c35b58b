#!/usr/bin/env python3
"""Sums the JUnit XML reports of ctest and lit into one closing line.

Prints a line per failed test, then `N passed, N failed[, N skipped]`, and
exits 1 if any test failed or a report is missing (a missing report means its
runner did not run)."""
import sys
import xml.etree.ElementTree as ET


def count(path):
    passed, failed, skipped, failures = 0, 0, 0, []
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failures.append(name)
        elif case.find("skipped") is not None or case.get("status") in ("notrun", "disabled"):
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, failures


def main(paths):
    totals = [0, 0, 0]
    missing = 0
    for path in paths:
        try:
            p, f, s, failures = count(path)
        except (OSError, ET.ParseError) as e:
            print(f"error: no test report at {path}: {e}")
            missing += 1
            continue
        for name in failures:
            print(f"FAILED: {name}")
        print(f"{path}: {p} passed, {f} failed, {s} skipped")
        totals = [totals[0] + p, totals[1] + f, totals[2] + s]
    passed, failed, skipped = totals
    failed += missing
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
