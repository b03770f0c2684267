"""Every piece of text in the pages is marked with its language and direction.

A screen reader picks its voice from `lang`; the bidi algorithm needs `dir`.
The PDF's tags take `lang` from the same elements (test_pdf_pages.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from briefing.progress import Progress
from briefing.render import archive
from briefing.render.edition import write_edition
from tests.render.editions import config_in, edition, story

ARABIC = re.compile(r"[\u0600-\u06ff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def misplaced(page: str) -> list[str]:
    """Texts whose nearest `lang` is wrong for their script, and Arabic blocks not set right to left."""
    root = lxml.html.fromstring(page)
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("style", "script", "title", "head"):
            continue
        for text in (element.text, *(child.tail for child in element)):
            if not text or not text.strip():
                continue
            lang = next((e.get("lang") for e in element.iterancestors() if e.get("lang")), None)
            lang = element.get("lang") or lang
            if ARABIC.search(text) and lang != "ar":
                problems.append(f"Arabic under lang={lang}: {text.strip()[:40]!r}")
            elif not ARABIC.search(text) and LATIN_WORD.search(text) and lang == "ar":
                problems.append(f"Latin under lang=ar: {text.strip()[:40]!r}")
        if element.get("lang") == "ar":
            holder = (
                element
                if element.get("dir")
                else next((e for e in element.iterancestors() if e.get("dir")), None)
            )
            if holder is None or holder.get("dir") != "rtl":
                problems.append(f"<{element.tag} lang=ar> is not inside dir=rtl")
    return problems


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("languages")
    cfg = config_in(folder)
    stories = [story(1), story(2)]
    # Outlets named in the other script: the Arabic paper's Latin name, an Arabic name in English lists.
    written = write_edition(edition(stories), cfg, ("html",), Progress(quiet=True))
    return {
        "edition": written["html"].read_text(encoding="utf-8"),
        "archive": archive.write(cfg, edition([]).generated_at)["html"].read_text(encoding="utf-8"),
    }


@pytest.mark.parametrize("page", ["edition", "archive"])
def test_every_text_is_marked_with_its_language_and_direction(pages, page):
    assert misplaced(pages[page]) == []


def test_an_outlet_named_in_the_other_script_is_isolated_and_marked(pages):
    # "صحيفة المدينة" (the Arabic paper) in an English figure's sources, City Wire beside it.
    assert '<bdi class="outlet-name" lang="ar" dir="rtl">صحيفة المدينة</bdi>' in pages["edition"]


def test_the_check_finds_unmarked_arabic():
    page = '<html lang="en"><body><p>Outlet: <b>صحيفة</b></p><p lang="ar">نص</p></body></html>'
    assert len(misplaced(page)) == 2


@pytest.mark.slow
def test_the_demo_edition_marks_every_text(demo_build):
    page = Path(demo_build["html"]).read_text(encoding="utf-8")
    assert misplaced(page) == []
