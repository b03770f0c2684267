"""Run the delivery tests many times in a row and print how many runs passed.

The racy cases (two `send`s at once, a connection lost after DATA, a sender
killed during DATA) already run ten times each inside one run of the suite;
this repeats the whole of tests/deliver/ (real aiosmtpd on 127.0.0.1, real
SQLite, real subprocesses) to show they do not flake. About 30 s a run on
two cores.

    python bench/deliver_loop.py            # 20 runs
    python bench/deliver_loop.py --runs 5 tests/deliver/test_delivery.py
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("paths", nargs="*", default=["tests/deliver"])
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    green, tests_passed, tests_run = 0, 0, 0
    started = time.monotonic()
    for run in range(1, args.runs + 1):
        began = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.paths],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
        counts = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", summary)}
        passed = counts.get("passed", 0)
        run_total = passed + counts.get("failed", 0) + counts.get("errors", counts.get("error", 0))
        tests_passed += passed
        tests_run += run_total
        green += result.returncode == 0
        print(
            f"run {run:>2}: {'pass' if result.returncode == 0 else 'FAIL'}"
            f"  {passed}/{run_total} tests  {time.monotonic() - began:5.1f}s",
            flush=True,
        )
        if result.returncode != 0:
            failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
            print("\n".join(f"        {line}" for line in failed or [summary]), flush=True)
    print(
        f"{green}/{args.runs} runs passed; {tests_passed}/{tests_run} tests passed;"
        f" {time.monotonic() - started:.0f}s in all"
    )
    return 0 if green == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
