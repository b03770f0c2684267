"""Regression pages for WeasyPrint's known bidi troubles, rendered with the shipped fonts and read back."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.render import html, pdf
from briefing.resources import default_templates_dir, fonts_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from sample_edition import sample_edition  # noqa: E402

PAGES = {
    "justified Arabic with inline spans": (
        '<p lang="ar" dir="rtl" style="text-align: justify">قال <span class="x">وزير الدفاع</span> '
        "الأميركي لويد أوستن إن <strong>كوريا الشمالية</strong> أرسلت قوات إلى روسيا، في أول تأكيد علني "
        "من مسؤول أميركي كبير يتعلق بتقارير أوردتها كوريا الجنوبية عن إرسال قوات إلى روسيا.</p>",
        ["قال وزير الدفاع الأميركي لويد أوستن", "كوريا الشمالية أرسلت قوات إلى روسيا"],
    ),
    "numbers and dates inside Arabic lines": (
        '<p lang="ar" dir="rtl">أرسلت بيونج يانج أكثر من 1500 جندي في 23 أكتوبر 2024، و١٣٬٠٠٠ حاوية منذ 2023.</p>',
        ["أكثر من 1500 جندي", "في 23 أكتوبر", "١٣٬٠٠٠ حاوية", "2024"],
    ),
    "lines that start with Latin text": (
        '<p lang="ar" dir="rtl"><bdi>CNN</bdi> قالت شبكة إن <bdi>NATO</bdi> ستجتمع في بروكسل.</p>',
        ["CNN", "قالت شبكة إن", "NATO", "ستجتمع في بروكسل"],
    ),
    "flex gap in RTL": (
        '<div dir="rtl" style="display: flex; gap: 12mm"><span lang="ar">الخبر الأول</span>'
        '<span lang="ar">الخبر الثاني</span></div>',
        ["الخبر الأول", "الخبر الثاني"],
    ),
}


def visual_text(path: Path) -> str:
    """The PDF's text in reading order by poppler's bidi-aware pdftotext, bidi marks removed.

    pypdf returns mixed Arabic/Latin runs in the order they were drawn, which
    says nothing about the layout; poppler rebuilds the logical order of each line.
    """
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    # Spaces at a change of direction are not reliable in its output: compare without them.
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e]", "", out.stdout)


def squeeze(phrase: str) -> str:
    return re.sub(r"\s", "", phrase)


def render(body: str, tmp_path: Path) -> str:
    document = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>{html.font_css(embed=False)}
    body {{ font-family: 'Briefing Sans'; }} [lang=ar] {{ font-family: 'Briefing Naskh'; }}</style></head>
    <body>{body}</body></html>"""
    return visual_text(
        pdf.write(document, tmp_path / "page.pdf", [default_templates_dir(), fonts_dir()])
    )


@pytest.mark.parametrize("trouble", sorted(PAGES))
def test_bidi_regression_page(trouble, tmp_path):
    body, phrases = PAGES[trouble]
    text = render(body, tmp_path)
    for phrase in phrases:
        assert squeeze(phrase) in text, f"{trouble}: {phrase!r} not in {text!r}"


def test_the_theme_avoids_flex_layout_in_cards():
    """Flex gap misplaces items in RTL in WeasyPrint; the theme lays cards out with grid instead."""
    css = (default_templates_dir() / "style.css").read_text(encoding="utf-8")
    assert "display: flex" not in css and "display:flex" not in css


@pytest.mark.slow
def test_a_40_story_edition_renders_both_languages(tmp_path):
    from briefing import config
    from briefing.progress import Progress
    from briefing.render.edition import write_edition

    (tmp_path / "feed.xml").write_text("<rss/>")
    (tmp_path / "config.yaml").write_text(
        "feeds:\n  - {name: A, url: feed.xml}\ntheme: {top_stories: 40, page_size: Letter}\n"
    )
    cfg = config.load(tmp_path / "config.yaml", environ={})
    written = write_edition(sample_edition(40), cfg, ("html", "pdf"), Progress(quiet=True))
    reader = PdfReader(written["pdf"])
    text = visual_text(written["pdf"])
    assert (
        squeeze("وزير الخارجية يبحث مع نظيره الأردني في") in text
    )  # (pdftotext moves the shadda of عمّان)
    assert text.count(squeeze("سبل وقف إطلاق النار في غزة")) >= 40  # every story's Arabic headline
    assert squeeze("Foreign ministers meet in Amman on Gaza ceasefire, story 40") in text
    assert squeeze("Broken Feed") in text and "HTTP503" in text  # the feed-health appendix
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)  # Letter, from the theme
