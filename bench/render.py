"""Rendering speed (issue #6): a 40-story bilingual edition to HTML and to PDF.

Target: the PDF in under 5 s.

    python bench/render.py [--stories 40]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_edition import sample_edition  # noqa: E402

from briefing import config  # noqa: E402
from briefing.pipeline import write_edition  # noqa: E402
from briefing.progress import Progress  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=40)
    args = parser.parse_args()
    edition = sample_edition(args.stories)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "feed.xml").write_text("<rss/>")
        (folder / "config.yaml").write_text(
            f"feeds:\n  - {{name: A, url: feed.xml}}\ntheme: {{top_stories: {args.stories}}}\n"
        )
        cfg = config.load(folder / "config.yaml", environ={})
        timings = {}
        for fmt in ("html", "pdf"):
            started = time.perf_counter()
            written = write_edition(edition, cfg, (fmt,), Progress(quiet=True))
            timings[fmt] = time.perf_counter() - started
        pages = len(PdfReader(written["pdf"]).pages)
        size = written["pdf"].stat().st_size // 1024
    print(
        f"{args.stories}-story bilingual edition: HTML {timings['html']:.2f} s, PDF {timings['pdf']:.2f} s "
        f"({pages} pages, {size} KB)  target PDF < 5 s"
    )
    ok = timings["pdf"] < 5
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
