"""The PDF as a reader (or a screen reader) meets it, read back: contents, quotes, page breaks, tags."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.progress import Progress
from briefing.render import html, pdf
from briefing.render.edition import write_edition
from briefing.resources import fonts_dir
from tests.render.editions import (
    AR_QUOTE,
    EN_QUOTE,
    NAMES,
    NAMES_AR,
    config_in,
    edition,
    story,
)
from tests.render.pdf_reading import structure, tagged_text, walk, words

DIGITS = re.compile(r"\d+")
ARABIC = re.compile(r"[\u0600-\u06ff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# The running head and the page number: margin boxes, which WeasyPrint 70 marks but
# leaves out of the tag tree (as artifacts they would need PDF 2.0, its tags.py says).
RUNNING = re.compile(r"\s*(\d+ / \d+|.* · \d{4}-\d{2}-\d{2})\s*")


def render(tmp_path: Path, stories, formats=("html", "pdf", "json"), theme: str = "") -> dict:
    cfg = config_in(tmp_path, theme)
    return write_edition(edition(stories), cfg, formats, Progress(quiet=True))


@pytest.fixture(scope="module")
def six_stories(tmp_path_factory) -> dict:
    """Six bilingual stories whose contents entries wrap in both languages."""
    return render(tmp_path_factory.mktemp("six"), [story(n) for n in range(1, 7)])


def contents_words(pdf: Path) -> list:
    """The words of page 1 from the contents heading down to the first card (its "New" badge)."""
    page = [w for w in words(pdf) if w.page == 1]
    top = next(w.y1 for w in page if w.text == "briefing")  # "In this briefing"
    card = next(w.y0 for w in page if w.text == "New")
    return [w for w in page if top < w.y0 < card - 5]


def test_a_wrapped_contents_entry_keeps_its_page_number_in_a_column_of_its_own(six_stories):
    region = contents_words(six_stories["pdf"])
    numbers = [w for w in region if DIGITS.fullmatch(w.text)]  # the ordinals are "1." "2." …
    text = [w for w in region if not DIGITS.fullmatch(w.text)]
    arabic = [w for w in text if ARABIC.search(w.text)]
    lines_of_arabic = {round(w.y0) for w in arabic}
    assert len(lines_of_arabic) >= 2 * 6  # every Arabic headline wraps: the case of the issue
    assert len(numbers) == 6, [w.text for w in numbers]
    rightmost_text = max(w.x1 for w in text)
    for number in numbers:
        # Right of every headline word, never at the start (left end) of an Arabic line.
        assert number.x0 > rightmost_text, (number, rightmost_text)
    # Each number is the page where that story's card begins (its headline's first word).
    region = set(region)
    cards = [
        min(
            (w.page, w.y0)
            for w in words(six_stories["pdf"])
            if w.text == NAMES[n] and w not in region
        )[0]
        for n in range(1, 7)
    ]
    assert [int(w.text) for w in sorted(numbers, key=lambda w: w.y0)] == cards


def test_quotes_are_shown_without_the_comma_that_ended_them_and_kept_verbatim_in_the_json(
    six_stories,
):
    name, name_ar = NAMES[1], NAMES_AR[1]
    shown_en = EN_QUOTE.format(name=name).rstrip(",")
    shown_ar = AR_QUOTE.format(name=name_ar).rstrip("،")
    page = six_stories["html"].read_text(encoding="utf-8")
    assert f"<blockquote>{shown_en}</blockquote>" in page
    assert f"<blockquote>{shown_ar}</blockquote>" in page
    pdf = re.sub(
        r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(six_stories["pdf"]).pages)
    )
    assert shown_en.split(", ")[-1] in pdf and "depends on them," not in pdf
    assert "يعتمد عليها،" not in pdf and "يعتمد عليها" in pdf
    data = json.loads(six_stories["json"].read_text(encoding="utf-8"))
    texts = {q["text"] for s in data["stories"] for q in s["quotes"]}
    texts |= {
        v["text"] for s in data["stories"] for q in s["quotes"] for v in q.get("versions", [])
    }
    assert EN_QUOTE.format(name=name) in texts and AR_QUOTE.format(name=name_ar) in texts


def test_arabic_attributions_use_the_arabic_comma(six_stories):
    page = six_stories["html"].read_text(encoding="utf-8")
    captions = re.findall(
        r'<figure class="quote" lang="ar" dir="rtl">.*?<figcaption>(.*?)</figcaption>', page, re.S
    )
    assert captions and all("، " in c and ", " not in c for c in captions), captions
    english = re.findall(
        r'<figure class="quote" lang="en" dir="ltr">.*?<figcaption>(.*?)</figcaption>', page, re.S
    )
    assert english and all(", " in c and "،" not in c for c in english)
    # Read back from the PDF: the Arabic caption line carries the Arabic comma, no Latin one.
    lines = "\n".join(p.extract_text() for p in PdfReader(six_stories["pdf"]).pages).splitlines()
    arabic_captions = [line for line in lines if "دانة أورتيز" in line]
    assert arabic_captions and all("،" in line and "," not in line for line in arabic_captions)


def test_the_pdf_is_tagged_and_every_block_says_its_language(six_stories):
    info = subprocess.run(
        ["pdfinfo", str(six_stories["pdf"])], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    tree = structure(six_stories["pdf"])
    assert tree.lang == "en"  # the catalog's, from <html lang>
    elements = list(walk(tree))
    kinds = Counter(e.kind for e in elements)
    assert kinds["H1"] == 2 and kinds["Art"] >= 6 and kinds["BlockQuote"] >= 12
    # Each story's Arabic headline, summary, quotes and captions are Arabic to a screen reader.
    by_lang = Counter((e.kind, e.lang) for e in elements)
    for kind in ("H2", "P", "BlockQuote", "Caption"):
        assert by_lang[(kind, "ar")] >= 6, (kind, by_lang)
        assert by_lang[(kind, "en")] >= 6 if kind != "H2" else by_lang[(kind, "en")] >= 6
    # The contents: each entry's Arabic half is marked Arabic, its English half English.
    contents = next(e for e in tree.children[0].children if any(c.kind == "L" for c in e.children))
    spans = [e for e in walk(contents) if e.kind == "Span" and e.children]
    assert {e.lang for e in spans} >= {"ar", "en"}


def in_the_wrong_voice(pdf_file: Path) -> tuple[list, list[str]]:
    """Tagged texts a screen reader would read in the wrong language, and text outside the tags."""
    found, loose = tagged_text(pdf_file)
    assert found, "no tagged text at all"
    wrong = [
        (t.kind, t.lang, t.page, t.text.strip()[:40])
        for t in found
        if (ARABIC.search(t.text) and t.lang != "ar")
        or (not ARABIC.search(t.text) and LATIN_WORD.search(t.text) and t.lang == "ar")
    ]
    return wrong, [t for t in loose if not RUNNING.fullmatch(t)]


def test_a_screen_reader_reads_every_text_in_its_own_language(six_stories):
    found, _ = tagged_text(six_stories["pdf"])
    assert {t.lang for t in found} == {"ar", "en"}
    assert in_the_wrong_voice(six_stories["pdf"]) == ([], [])


def test_the_voice_check_finds_arabic_tagged_english(tmp_path):
    page = (
        f'<html lang="en"><head><style>{html.font_css(embed=False)}'
        "body { font-family: 'Briefing Sans', 'Briefing Naskh'; }</style></head>"
        '<body><p>نص بلا لغة</p><p lang="ar">نص عربي</p><p lang="ar">English marked Arabic</p></body></html>'
    )
    written = pdf.write(page, tmp_path / "voices.pdf", [fonts_dir()])
    wrong, _ = in_the_wrong_voice(written)
    assert [(lang, text) for _, lang, _, text in wrong] == [
        ("en", "نص بلا لغة"),
        ("ar", "English marked Arabic"),
    ]


@pytest.mark.slow
def test_the_demo_pdf_reads_every_text_in_its_own_language(demo_build):
    assert in_the_wrong_voice(demo_build["pdf"]) == ([], [])


def test_cards_break_across_pages_keeping_headlines_with_their_lines_and_quotes_whole(tmp_path):
    stories = [story(n) for n in range(1, 13)]
    written = render(tmp_path, stories, formats=("pdf",))
    pages = len(PdfReader(written["pdf"]).pages)
    elements = list(walk(structure(written["pdf"])))
    cards = [e for e in elements if e.kind == "Art"]
    assert len(cards) > len(stories)  # some card runs on to the next page
    # Headline with its first lines: the block that holds a headline holds its summary's start.
    for block in elements:
        kids = [c.kind for c in block.children]
        if "H2" in kids and block.kind == "Div":
            assert "P" in kids, f"a headline left alone at the foot of page {block.page}"
    # A quote whole: each quote's structure element is on one page with its caption.
    quotes = [e for e in elements if e.kind == "BlockQuote"]
    assert len(quotes) == 3 * len(stories)  # none was split into two parts
    for holder in elements:
        kinds = Counter(c.kind for c in holder.children)
        assert kinds["BlockQuote"] == kinds["Caption"], holder.page
    # And no page but the last ends with much of its text area empty.
    by_page: dict[int, float] = {}
    for w in words(written["pdf"]):
        if w.y1 < 841.89 - 20 / 25.4 * 72:  # above the footer's margin
            by_page[w.page] = max(by_page.get(w.page, 0), w.y1)
    area_top, area_bottom = 18 / 25.4 * 72, 841.89 - 20 / 25.4 * 72
    for page in range(1, pages):
        empty = (area_bottom - by_page[page]) / (area_bottom - area_top)
        assert empty < 0.25, f"page {page} is {empty:.0%} empty"
