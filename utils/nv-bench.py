#!/usr/bin/env python3
"""Compares tg with PyTorch on an NVIDIA GPU.

Runs each benchmark of benchmarks/kernels/gpu with
`tg-run --device=nv --bench=N --json` and the same computation in PyTorch
(timed with CUDA events after a warm-up, median of many runs), then prints a
table (tg and torch times, the GB/s or TFLOP/s each reaches, and tg's time
over torch's) and, with --out, writes the same as JSON. A tg run that fails
is reported in the table with its error and the others go on.

Both rates come from the same nominal work of each benchmark (bytes a
perfect kernel moves, or 2*n^3 for a matmul); tg's time is the sum of its
kernels' medians. tg-run's own per-kernel report is kept in the JSON.

    utils/nv-bench.py [--tg-run PATH] [--out results.json] [--only add,sum]
    utils/nv-bench.py --dry-run     # print what would run; needs no torch

Python 3 standard library and torch only; works from the repository and from
utils/build-minimal.sh's dist folder.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = 2**28


class Benchmark:
    """One row of the table: a .tg file and its PyTorch counterpart."""

    def __init__(self, name, file, bench, metric, work, torch_setup, what):
        self.name = name
        self.file = file
        self.bench = bench  # tg-run --bench and torch's timed runs
        self.metric = metric  # "GB/s" or "TFLOP/s"
        self.work = work  # bytes or flops behind the metric
        self.torch_setup = torch_setup  # torch -> (function to time)
        self.what = what  # the torch expression, for the table and --dry-run


def setup_add(torch):
    a = torch.rand(N, device="cuda")
    b = torch.rand(N, device="cuda")
    return lambda: a + b


def setup_sum(torch):
    x = torch.rand(N, device="cuda")
    return lambda: x.sum()


def setup_softmax(torch):
    x = torch.rand(8192, 8192, device="cuda")
    return lambda: torch.softmax(x, dim=1)


def setup_matmul(torch):
    a = torch.randn(4096, 4096, device="cuda", dtype=torch.float16)
    b = torch.randn(4096, 4096, device="cuda", dtype=torch.float16)
    return lambda: a @ b


BENCHMARKS = [
    Benchmark("add", "add.tg", 20, "GB/s", 3 * 4 * N, setup_add,
              "a + b, 2^28 f32"),
    Benchmark("sum", "sum.tg", 20, "GB/s", 4 * N, setup_sum,
              "x.sum(), 2^28 f32"),
    Benchmark("softmax", "softmax.tg", 10, "GB/s", 2 * 4 * 8192 * 8192,
              setup_softmax, "torch.softmax(x, dim=1), 8192x8192 f32"),
    Benchmark("matmul", "matmul.tg", 5, "TFLOP/s", 2 * 4096**3, setup_matmul,
              "a @ b, 4096^3 f16"),
]


def rate(metric, work, seconds):
    """`work` over `seconds` in the unit of `metric`."""
    if not seconds:
        return None
    return work / seconds / (1e12 if metric == "TFLOP/s" else 1e9)


def tg_command(args, bench):
    return [args.tg_run, os.path.join(args.kernels, bench.file),
            "--device=" + args.device, "--bench=%d" % (args.bench or bench.bench),
            "--json"] + args.tg_arg


def run_tg(args, bench):
    """tg-run's result: {"ok", "seconds", "best_s", "report"} or an error."""
    command = tg_command(args, bench)
    try:
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=args.timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"ok": False, "error": str(e)}
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return {"ok": False,
                "error": lines[-1] if lines else "exit %d" % done.returncode}
    try:
        report = json.loads(done.stdout)
        kernels = report["kernels"]
        seconds = sum(k["median_s"] for k in kernels)
        best = sum(k["best_s"] for k in kernels)
    except (ValueError, KeyError, TypeError) as e:
        return {"ok": False, "error": "unreadable tg-run JSON: %s" % e}
    return {"ok": True, "seconds": seconds, "best_s": best, "report": report}


def run_torch(torch, bench, runs, warmup):
    """The median and best of `runs` CUDA-event timings of the torch code."""
    try:
        fn = bench.torch_setup(torch)
        for _ in range(warmup):
            fn()
        torch.cuda.synchronize()
        times = []
        for _ in range(runs):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end) / 1e3)
        return {"ok": True, "seconds": statistics.median(times),
                "best_s": min(times)}
    except Exception as e:  # out of memory, no GPU, ...: reported, not fatal
        return {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    finally:
        fn = None
        torch.cuda.empty_cache()


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def print_table(rows):
    header = ("benchmark", "tg ms", "torch ms", "tg rate", "torch rate",
              "tg/torch time")
    print("%-9s %10s %10s %16s %16s %13s" % header)
    for row in rows:
        tg, th = row["tg"], row["torch"]
        unit = row["metric"]
        line = "%-9s %10s %10s %16s %16s %13s" % (
            row["name"],
            fmt(tg.get("seconds") and tg["seconds"] * 1e3, ".3f"),
            fmt(th.get("seconds") and th["seconds"] * 1e3, ".3f"),
            fmt(row["tg_rate"], ".1f") + " " + unit,
            fmt(row["torch_rate"], ".1f") + " " + unit,
            fmt(row["ratio"], ".2f"))
        print(line)
        for who, result in (("tg", tg), ("torch", th)):
            if not result["ok"]:
                print("          %s failed: %s" % (who, result["error"]))


def default_tg_run():
    for candidate in ("bin/tg-run", "build-minimal/dist/bin/tg-run",
                      "build/bin/tg-run"):
        path = os.path.join(ROOT, candidate)
        if os.access(path, os.X_OK):
            return path
    return os.path.join(ROOT, "bin/tg-run")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tg-run", default=default_tg_run(),
                        help="the tg-run to use (default: %(default)s)")
    parser.add_argument("--kernels",
                        default=os.path.join(ROOT, "benchmarks/kernels/gpu"),
                        help="the folder of the .tg files")
    parser.add_argument("--device", default="nv",
                        help="tg-run's --device (default nv)")
    parser.add_argument("--tg-arg", action="append", default=[],
                        help="one more tg-run argument (repeatable), "
                             "e.g. --tg-arg=--compiler=ptx")
    parser.add_argument("--bench", type=int, default=0,
                        help="runs of each benchmark (default: its own)")
    parser.add_argument("--torch-runs", type=int, default=50,
                        help="torch's timed runs (default 50)")
    parser.add_argument("--warmup", type=int, default=3,
                        help="torch's untimed runs first (default 3)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds a tg-run may take (default 600)")
    parser.add_argument("--only", default="",
                        help="comma-separated benchmarks to run (of %s)" %
                        ", ".join(b.name for b in BENCHMARKS))
    parser.add_argument("--out", help="write the results as JSON here")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the commands and torch code, run nothing")
    args = parser.parse_args()

    benchmarks = BENCHMARKS
    if args.only:
        names = args.only.split(",")
        unknown = [n for n in names if n not in [b.name for b in BENCHMARKS]]
        if unknown:
            parser.error("unknown benchmark %s" % ", ".join(unknown))
        benchmarks = [b for b in BENCHMARKS if b.name in names]

    if args.dry_run:
        for b in benchmarks:
            print("%s: %s" % (b.name, shlex.join(tg_command(args, b))))
            print("%s: torch %s, median of %d after %d warm-up runs" %
                  (b.name, b.what, args.torch_runs, args.warmup))
        return 0

    torch, torch_error = None, None
    try:
        import torch
        if not torch.cuda.is_available():
            torch, torch_error = None, "torch sees no CUDA device"
    except ImportError as e:
        torch_error = "cannot import torch: %s" % e

    rows = []
    for b in benchmarks:
        print("running %s ..." % b.name, file=sys.stderr, flush=True)
        tg = run_tg(args, b)
        th = (run_torch(torch, b, args.torch_runs, args.warmup) if torch
              else {"ok": False, "error": torch_error})
        tg_rate = rate(b.metric, b.work, tg.get("seconds"))
        torch_rate = rate(b.metric, b.work, th.get("seconds"))
        ratio = (tg["seconds"] / th["seconds"]
                 if tg.get("seconds") and th.get("seconds") else None)
        rows.append({"name": b.name, "file": b.file,
                     "command": tg_command(args, b), "torch_code": b.what,
                     "metric": b.metric, "work": b.work, "tg": tg,
                     "torch": th, "tg_rate": tg_rate,
                     "torch_rate": torch_rate, "ratio": ratio})

    print_table(rows)
    if args.out:
        result = {"device": torch.cuda.get_device_name() if torch else None,
                  "torch_version": torch.__version__ if torch else None,
                  "benchmarks": rows}
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    return 0 if all(r["tg"]["ok"] and r["torch"]["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
