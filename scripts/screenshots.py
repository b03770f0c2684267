"""Screenshots of a built output folder: the archive and one edition at 390 and 1200 px (and dark), its PDF pages.

    python scripts/screenshots.py OUTPUT_DIR DATE [--into screenshots]

Uses Debian's Chromium through Selenium (scripts/browser.py) and poppler's pdftoppm.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser  # noqa: E402

WIDTHS = (390, 1200)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=Path)
    parser.add_argument("date")
    parser.add_argument("--into", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    reason = browser.missing()
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 2
    pages = {
        "archive": args.output_dir / "index.html",
        "edition": args.output_dir / args.date / "briefing.html",
    }
    pdf = args.output_dir / args.date / "briefing.pdf"
    for path in (*pages.values(), pdf):
        if not path.is_file():
            print(f"screenshots: {path} not found: build the edition first", file=sys.stderr)
            return 2
    args.into.mkdir(parents=True, exist_ok=True)
    written = []
    with browser.chromium() as driver:
        for width in WIDTHS:
            browser.set_width(driver, width)
            for name, path in pages.items():
                driver.get(path.resolve().as_uri())
                target = args.into / f"{name}-{width}.png"
                written.append(browser.full_page_screenshot(driver, target))
        # The dark scheme, as a reader who set their system dark sees it.
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
        )
        for name, path in pages.items():
            driver.get(path.resolve().as_uri())
            written.append(
                browser.full_page_screenshot(driver, args.into / f"{name}-1200-dark.png")
            )
    for old in args.into.glob("pdf-page-*.png"):  # a longer PDF of an earlier run
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(pdf), str(args.into / "pdf-page")], check=True
    )
    written += sorted(args.into.glob("pdf-page-*.png"))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
