"""The archive and the editions in a real browser (Debian's Chromium, driven by Selenium).

At a phone's width (390 px) and a desktop's (1200 px): nothing scrolls
sideways, every link leads to a file that exists (and to the card it names),
every Arabic block runs right to left, and the console stays free of errors.
Skipped only where Chromium or its driver is not installed; under CI
(`CI=true`, where `make test` installs them) a missing browser fails instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from briefing.progress import Progress
from briefing.render import archive
from briefing.render.edition import write_edition
from tests.conftest import ROOT
from tests.render.editions import config_in, edition, story

sys.path.insert(0, str(ROOT / "scripts"))
import browser  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = (390, 1200)

LINKS = """
return Array.from(document.querySelectorAll('a[href]')).map(a => [a.getAttribute('href'), a.href]);
"""
ARABIC_BLOCKS = """
return Array.from(document.querySelectorAll('[lang="ar"]')).filter(e => {
  const holder = e.closest('[dir]');
  return getComputedStyle(e).direction !== 'rtl' || !holder || holder.getAttribute('dir') !== 'rtl';
}).map(e => e.outerHTML.slice(0, 80));
"""
# An Arabic title or headline starts where Arabic reading starts: at the right
# edge of its row, not shrunk to the left of it (a wrapped flex item does that).
RIGHT_EDGE = """
const off = [];
for (const e of document.querySelectorAll('h1, h2, .headline')) {
  if (getComputedStyle(e).direction !== 'rtl' || !e.textContent.trim()) continue;
  let row = e.parentElement;
  while (row && getComputedStyle(row).direction === 'rtl') row = row.parentElement;
  const style = getComputedStyle(row);
  const edge = row.getBoundingClientRect().right
    - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
  const range = document.createRange();
  range.selectNodeContents(e);
  const right = range.getBoundingClientRect().right;
  if (edge - right > 2) off.push(`${e.tagName}: ${e.textContent.trim().slice(0, 30)} ends at ${Math.round(right)}, row at ${Math.round(edge)}`);
}
return off;
"""
OVERFLOW = """
const width = document.documentElement.clientWidth;
const wide = Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > width + 1)
  .map(e => e.tagName + '.' + e.className);
return [document.documentElement.scrollWidth, width, wide.slice(0, 5)];
"""


@pytest.fixture(scope="module")
def driver():
    reason = browser.missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)
    with browser.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_build) -> dict[str, Path]:
    """An output folder with three days (a story running through them) and the demo edition beside it."""
    folder = tmp_path_factory.mktemp("site")
    cfg = config_in(folder)
    days = {
        "2024-10-23": [story(0, story_id="s-harbour"), story(1, rank=2)],
        "2024-10-24": [story(2), story(0, rank=2, story_id="s-harbour")],
        "2024-10-25": [story(0, story_id="s-harbour"), story(3, rank=2), story(4, rank=3)],
    }
    for day, stories in days.items():
        write_edition(edition(stories, day), cfg, ("html", "pdf", "json"), Progress(quiet=True))
    archive.write(cfg, edition([]).generated_at)
    demo_output = demo_build["html"].parent.parent
    return {
        "archive": cfg.output_dir / "index.html",
        "edition": cfg.output_dir / "2024-10-25" / "briefing.html",
        "demo archive": demo_output / "index.html",
        "demo edition": demo_build["html"],
    }


def load(driver, path: Path, width: int) -> None:
    browser.set_width(driver, width)
    # What an earlier page left behind is not this page's. Read before loading:
    # read after, it would throw away this page's own errors with them.
    driver.get_log("browser")
    driver.get(path.as_uri())


def console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def broken_links(driver, page: Path) -> list[str]:
    """Links that lead nowhere: a missing file, or a card (#id) the target page does not have."""
    broken = []
    for raw, resolved in driver.execute_script(LINKS):
        parts = urlsplit(resolved)
        if parts.scheme in ("http", "https"):
            if not parts.netloc:
                broken.append(raw)
            continue  # an article on the web: never fetched here
        if parts.scheme != "file":
            broken.append(raw)
            continue
        target = Path(unquote(parts.path))
        if not target.is_file():
            broken.append(f"{raw} (no {target})")
        elif parts.fragment:
            if target == page:
                found = driver.execute_script(
                    "return document.getElementById(arguments[0]) !== null", parts.fragment
                )
            else:
                found = f'id="{parts.fragment}"' in target.read_text(encoding="utf-8")
            if not found:
                broken.append(f"{raw} (no card #{parts.fragment})")
    return broken


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["archive", "edition", "demo archive", "demo edition"])
def test_a_page_reads_in_a_real_browser(driver, site, name, width):
    page = site[name]
    load(driver, page, width)
    assert driver.execute_script("return window.innerWidth") == width
    scroll, client, wide = driver.execute_script(OVERFLOW)
    assert scroll <= client, f"{name} at {width}px scrolls sideways: {wide}"
    assert broken_links(driver, page) == []
    assert driver.execute_script("return document.querySelectorAll('[lang=\"ar\"]').length") > 0
    assert driver.execute_script(ARABIC_BLOCKS) == []
    assert driver.execute_script(RIGHT_EDGE) == []
    assert console_errors(driver) == []


def test_the_archive_links_a_continuing_story_back_to_where_it_began(driver, site):
    load(driver, site["archive"], 1200)
    since = driver.execute_script(
        "return Array.from(document.querySelectorAll('.since a')).map(a => a.getAttribute('href'))"
    )
    assert since and set(since) == {"2024-10-23/briefing.html#s-harbour"}
    first = driver.execute_script("return document.querySelector('time').getAttribute('datetime')")
    assert first == "2024-10-25"  # newest first


def test_the_checks_catch_a_page_that_errs_and_overflows(driver, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><body><p lang="ar">نص</p>'
        '<div style="display: flex"><h1 lang="ar" dir="rtl">عنوان</h1></div>'
        '<div style="width: 2000px">wide</div><img src="missing.png" alt="">'
        '<a href="missing.html">gone</a><script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    load(driver, page, 390)
    scroll, client, _ = driver.execute_script(OVERFLOW)
    assert scroll > client
    assert broken_links(driver, page) == [f"missing.html (no {tmp_path / 'missing.html'})"]
    assert len(driver.execute_script(ARABIC_BLOCKS)) == 1
    assert len(driver.execute_script(RIGHT_EDGE)) == 1  # the title pushed to the left
    messages = " ".join(e["message"] for e in console_errors(driver))
    assert "missing.png" in messages and "boom" in messages
