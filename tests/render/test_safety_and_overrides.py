"""Hostile article text cannot inject markup or read local files; templates override by name."""

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing import config
from briefing.models import Article, Edition, FeedHealth, Quote
from briefing.progress import Progress
from briefing.render.edition import write_edition
from briefing.stories.compose import compose
from tests.conftest import write_config

WHEN = datetime(2024, 10, 23, 12, tzinfo=UTC)
HOSTILE = '<script>alert(1)</script><img src="file:///etc/passwd"> <style>body{background:url(file:///etc/hostname)}</style>'


def edition_of(articles, quotes=()) -> Edition:
    from briefing.models import Analysis

    analyses = {a.id: Analysis(lang=a.lang, quotes=tuple(quotes)) for a in articles}
    story = dataclasses.replace(compose("s1", articles, analyses), rank=1)
    return Edition(
        date="2024-10-24",
        generated_at=WHEN,
        window_start=WHEN,
        window_end=WHEN,
        timezone="UTC",
        stories=(story,),
        feeds=(FeedHealth(url="http://x.org/f", name="X", status="error", error=HOSTILE),),
    )


def cfg_in(tmp_path: Path, extra: str = "") -> config.Config:
    (tmp_path / "feed.xml").write_text("<rss/>")
    return config.load(
        write_config(tmp_path, "feeds:\n  - {name: A, url: feed.xml}\n" + extra), environ={}
    )


def test_hostile_article_text_is_escaped_in_html_and_inert_in_pdf(tmp_path):
    article = Article(
        id=1,
        url="javascript:alert(1)",
        title=HOSTILE,
        outlet="Evil <b>Outlet</b>",
        lang="en",
        text=HOSTILE + " Some words of the body. " * 20,
        published=WHEN,
        first_seen=WHEN,
    )
    quote = Quote(
        text="</blockquote><script>steal()</script>", speaker="<img src=x onerror=alert(1)>"
    )
    written = write_edition(
        edition_of([article], [quote]), cfg_in(tmp_path), ("html", "pdf"), Progress(quiet=True)
    )
    page = written["html"].read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and "<b>Outlet" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    reader = PdfReader(written["pdf"])
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert not any(images_of(p) for p in reader.pages)


def images_of(page) -> list:
    resources = page["/Resources"] or {}
    return list((resources.get("/XObject") or {}).keys())


def tiny_png(path: Path) -> Path:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )
    return path


def test_the_pdf_renderer_loads_nothing_outside_the_theme_and_fonts(tmp_path):
    from briefing.render import pdf

    theme, outside = tmp_path / "theme", tmp_path / "outside"
    theme.mkdir()
    outside.mkdir()
    inside_png, outside_png = tiny_png(theme / "logo.png"), tiny_png(outside / "secret.png")
    document = (
        f'<p>x</p><img src="{outside_png.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
        f'<div style="background: url({outside_png.as_uri()})">y</div>'
    )
    refused = pdf.write(document, tmp_path / "refused.pdf", [theme])
    assert not images_of(PdfReader(refused).pages[0])
    # The same document may load what lies inside the allowed roots: the check can fail.
    allowed = pdf.write(
        document.replace(str(outside_png), str(inside_png)), tmp_path / "ok.pdf", [theme]
    )
    assert images_of(PdfReader(allowed).pages[0])


def plain_article(title: str) -> Article:
    return Article(
        id=1,
        url="http://x.org/a",
        title=title,
        outlet="X",
        lang="en",
        text="Body. " * 50,
        published=WHEN,
        first_seen=WHEN,
    )


def test_a_user_template_overrides_one_file_and_the_rest_stay_default(tmp_path):
    mine = tmp_path / "mine"
    (mine / "strings").mkdir(parents=True)
    (mine / "strings" / "en.yaml").write_text("quotes: What they said\n", encoding="utf-8")
    (mine / "story.html").write_text(
        '<article class="custom-card" id="{{ story.id }}">{{ story.blocks[0].headline }}</article>',
        encoding="utf-8",
    )
    article = plain_article("Headline A")
    cfg = cfg_in(tmp_path, "templates_dir: mine\n")
    page = write_edition(edition_of([article]), cfg, ("html",), Progress(quiet=True))[
        "html"
    ].read_text("utf-8")
    assert '<article class="custom-card" id="s1">Headline A</article>' in page
    assert 'class="masthead"' in page  # briefing.html itself is still the default


def test_a_template_error_names_the_file_and_line(tmp_path):

    from briefing.errors import BriefingError

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "story.html").write_text("<p>ok</p>\n{% if %}\n", encoding="utf-8")
    article = plain_article("A")
    cfg = cfg_in(tmp_path, "templates_dir: mine\n")
    with pytest.raises(BriefingError, match=r"story\.html:2: template error"):
        write_edition(edition_of([article]), cfg, ("html",), Progress(quiet=True))
