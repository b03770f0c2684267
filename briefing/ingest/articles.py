"""Fetch article pages and extract their bodies with trafilatura.

When a page cannot be used (an error, a paywall, an empty extraction), the
feed's own content or summary stands in, and the reason is recorded.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html
import trafilatura

from briefing.errors import FetchError
from briefing.ingest import charset
from briefing.ingest.http import HttpClient, check_public, read_local
from briefing.ingest.robots import Robots

MIN_BODY_CHARS = 120  # shorter than this, an "extraction" is page chrome, not an article
_CANONICAL = re.compile(
    r"""<link\b(?=[^>]*\brel\s*=\s*["']?canonical\b)[^>]*\bhref\s*=\s*["']([^"'>\s]+)""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    published: datetime | None = None
    lang: str | None = None
    image: str | None = None
    author: str | None = None
    canonical: str | None = None  # <link rel=canonical> or og:url, when the page gives one


def fetch_page(
    client: HttpClient,
    url: str,
    *,
    feed_is_local: bool,
    allow_private: bool,
    robots: Robots | None = None,
    not_after: float | None = None,
) -> str:
    """Fetch an article page as text; raises FetchError with the reason it was not fetched
    (RoundOver when the fetch round's deadline, `not_after`, came first)."""
    if url.startswith("file:"):
        # A local feed may point at local pages (the offline demo); a feed from
        # the network may not make us read this machine's files.
        if not feed_is_local:
            raise FetchError(url, "refused: a feed from the network linked to a local file")
        return decode_page(read_local(url, client.settings.max_bytes))
    if not url.startswith(("http://", "https://")):
        raise FetchError(url, "not an http(s) link")
    if not allow_private:
        # Before robots.txt too: nothing is asked of a host the guard refuses.
        check_public(url, client.settings.allow_hosts)
    delay = client.settings.host_delay
    if robots is not None:
        verdict = robots.check(url)
        if not verdict.allowed:
            raise FetchError(url, verdict.reason or "disallowed by robots.txt")
        delay = max(delay, verdict.delay or 0.0)
    response = client.get(url, guard=not allow_private, delay=delay, not_after=not_after)
    if response.status >= 400:
        raise FetchError(url, f"HTTP {response.status}", response.status)
    if response.truncated:
        raise FetchError(url, f"page larger than the {client.settings.max_bytes}-byte limit")
    return decode_page(response.content, response.charset)


def decode_page(content: bytes, declared: str | None = None) -> str:
    """HTML bytes to text: the BOM, the HTTP charset, <meta charset>, UTF-8, else the
    most readable Arabic or Latin code page (ingest/charset.py, shared with feeds)."""
    return charset.decode(content, f"text/html; charset={declared}" if declared else None)[0]


def extract(page: bytes | str, url: str | None = None) -> Extracted | None:
    """Extract the main text and metadata of an HTML page; None when there is no article."""
    document = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None:
        return None
    found = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = _tidy(found.get("text") or "")
    title = found.get("title")
    # trafilatura may repeat the <h1> as the first line of the text; the title is kept
    # apart. Only a whole line goes: many outlets' headline is their lead's first
    # sentence, and cutting it off a paragraph loses the lead (who, what, how many).
    if (
        title
        and (text == title or text.startswith(title + "\n"))
        and not _is_paragraph(page, title)
    ):
        text = text[len(title) :].lstrip()
    if len(text) < MIN_BODY_CHARS:
        return None
    return Extracted(
        text=text,
        title=title,
        published=_day(found.get("date")),
        lang=found.get("language"),
        image=found.get("image"),
        author=found.get("author"),
        canonical=_canonical_link(page) or None,
    )


def _is_paragraph(page: bytes | str, line: str) -> bool:
    """Whether a <p> of the page says exactly `line`: a one-sentence lead that is also the headline."""
    try:
        root = lxml.html.fromstring(page)
    except (lxml.etree.ParserError, ValueError):
        return False
    wanted = " ".join(line.split())
    return any(" ".join(p.text_content().split()) == wanted for p in root.iter("p"))


def _canonical_link(page: bytes | str) -> str | None:
    head = page[:65536] if isinstance(page, str) else page[:65536].decode("utf-8", "replace")
    match = _CANONICAL.search(head)
    return html.unescape(match[1]) if match else None


def text_of_html(fragment: str) -> str:
    """Plain text of a feed's HTML content or summary, one paragraph a line."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return _tidy(fragment)
    try:
        root = lxml.html.fromstring(f"<div>{fragment}</div>")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]+>", " ", fragment))
    for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "blockquote"):
        block.tail = "\n" + (block.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None
