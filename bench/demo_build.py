"""Time a cold build of the offline demo (fresh store): prints wall time per stage.

python bench/demo_build.py
"""

from __future__ import annotations

import dataclasses
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from briefing import config, pipeline
from briefing.config import parse_duration
from briefing.progress import Progress

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    cfg = config.load(ROOT / "examples" / "demo" / "config.yaml")
    with tempfile.TemporaryDirectory() as scratch:
        cfg = dataclasses.replace(
            cfg, output_dir=Path(scratch) / "out", data_dir=Path(scratch) / "data"
        )
        progress = Progress(quiet=True)
        started, cpu = time.perf_counter(), time.process_time()
        written = pipeline.build(cfg, date(2024, 10, 24), parse_duration("24h"), progress=progress)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"demo cold build: wall {wall:.2f}s  cpu {cpu:.2f}s  peak RSS {peak_mb:.0f} MB  (target < 120 s)"
        )
        for stage, seconds in progress.timings.items():
            print(f"  {stage:<8} {seconds:6.2f}s")
        print(
            f"  wrote {', '.join(sorted(written))}; pdf {written['pdf'].stat().st_size // 1024} KB"
        )
    return 0 if wall < 120 else 1


if __name__ == "__main__":
    sys.exit(main())
