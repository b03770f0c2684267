"""Fetch RSS/Atom feeds (HTTP or local files) and turn them into entries.

feedparser only ever sees bytes our client fetched, so timeouts, size limits
and conditional GET stay ours.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

import feedparser

from briefing.config import FeedConfig
from briefing.errors import FetchError
from briefing.ingest.charset import decode
from briefing.ingest.http import HttpClient, read_local
from briefing.models import Entry

# Some servers never change their validators; fetch unconditionally once a day.
UNCONDITIONAL_EVERY = timedelta(days=1)


@dataclass(frozen=True)
class FeedResult:
    status: str  # ok | not_modified | error
    entries: tuple[Entry, ...] = ()
    http_status: int | None = None
    error: str | None = None  # for ok, a warning (e.g. malformed XML recovered)
    etag: str | None = None
    last_modified: str | None = None
    unconditional: bool = False
    permanent_url: str | None = None


def fetch(
    client: HttpClient,
    feed: FeedConfig,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    last_unconditional: datetime | None = None,
    now: datetime,
    not_after: float | None = None,
) -> FeedResult:
    """Fetch one feed; never raises for a broken feed, it returns status 'error'.

    `not_after` is the fetch round's deadline (a `time.monotonic()` moment).
    """
    if feed.is_local:
        try:
            content = read_local(feed.url, client.settings.max_bytes)
        except FetchError as exc:
            return FeedResult(status="error", error=str(exc))
        return _parsed(content, feed.url, {}, http_status=None)

    headers = {}
    unconditional = last_unconditional is None or now - last_unconditional >= UNCONDITIONAL_EVERY
    if not unconditional:
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
    try:
        response = client.get(
            feed.url,
            headers=headers,
            guard_redirects=not client.settings.allow_private_networks,
            not_after=not_after,
        )
    except FetchError as exc:
        return FeedResult(status="error", error=str(exc), http_status=exc.status)
    if response.status == 304:
        return FeedResult(
            status="not_modified", http_status=304, permanent_url=response.permanent_url
        )
    if response.status >= 400:
        return FeedResult(
            status="error",
            http_status=response.status,
            error=f"HTTP {response.status}"
            f"{' ' + _reason(response.status) if _reason(response.status) else ''}",
        )
    if response.truncated:
        return FeedResult(
            status="error",
            http_status=response.status,
            error=f"feed larger than the {client.settings.max_bytes}-byte limit",
        )
    result = _parsed(response.content, response.final_url, response.headers, response.status)
    if result.status == "error":
        return result
    return FeedResult(
        status="ok",
        entries=result.entries,
        http_status=response.status,
        error=result.error,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        unconditional=unconditional,
        permanent_url=response.permanent_url,
    )


def parse(
    content: bytes, base_url: str, headers: dict[str, str] | None = None
) -> tuple[list[Entry], str | None]:
    """Parse feed bytes into entries; returns (entries, warning or None).

    Raises ValueError when the bytes are not a feed at all.
    """
    # Without a Content-Type (a local file, a careless server) feedparser flags
    # every feed as malformed; XML is what a feed URL is expected to serve.
    declared_type = (headers or {}).get("content-type")
    text, replaced, encoding = decode(content, declared_type)
    # feedparser gets clean UTF-8: left to itself, one bad byte makes it guess a
    # Latin code page for the whole feed and every Arabic title turns to mojibake.
    # Blank lines before <?xml …?> (a real CMS does it) make the declaration an error.
    clean = _XML_ENCODING.sub(b'\\1"utf-8"', text.lstrip().encode("utf-8"), count=1)
    mime = (declared_type or "application/xml").split(";")[0].strip() or "application/xml"
    response_headers = {"content-type": f"{mime}; charset=utf-8"}
    if base_url.startswith(("http://", "https://")):
        # feedparser mangles file:/// bases (file://work/...); those links are joined in _entry.
        response_headers["content-location"] = base_url
    parsed = feedparser.parse(clean, response_headers=response_headers, sanitize_html=True)
    notes = []
    if replaced:
        notes.append(
            f"{replaced} byte{'s' if replaced != 1 else ''} not valid {encoding}, replaced"
        )
    elif "guessed" in encoding:
        notes.append(f"read as {encoding}")  # said, so a wrong guess can be seen and fixed
    warning = "; ".join(notes) or None
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        if not parsed.entries:
            if _looks_like_html(content):
                raise ValueError("not a feed: the server sent an HTML page")
            if "no element found" in str(exc):
                raise ValueError("not a feed: the document is cut off before any item")
            raise ValueError(f"not a feed: {_first_line(exc)}")
        if not isinstance(exc, _ENCODING_NOTES):
            warning = "; ".join(filter(None, (f"malformed feed: {_first_line(exc)}", warning)))
    if not parsed.entries and not parsed.feed and not parsed.version:
        raise ValueError("not a feed: no RSS or Atom content found")
    entries = _distinct([_entry(item, base_url) for item in parsed.entries])
    return entries, warning


def _distinct(entries: list[Entry | None]) -> list[Entry]:
    """Entries with one key each: a GUID a feed reuses for items with other links keeps them all.

    Some CMSs give every item of a feed the same GUID; the links tell the items
    apart, so a repeated GUID with a new link is keyed by both. The same GUID
    with the same link is the same item, listed twice.
    """
    seen: dict[str, set[str]] = {}
    out = []
    for entry in entries:
        if entry is None:
            continue
        links = seen.setdefault(entry.key, set())
        if entry.url in links:
            continue
        if links:
            entry = replace(entry, key=f"{entry.key} {entry.url}")
        links.add(entry.url)
        out.append(entry)
    return out


def _parsed(
    content: bytes, base_url: str, headers: dict[str, str], http_status: int | None
) -> FeedResult:
    try:
        entries, warning = parse(content, base_url, headers)
    except ValueError as exc:
        return FeedResult(status="error", error=str(exc), http_status=http_status)
    return FeedResult(status="ok", entries=tuple(entries), error=warning, http_status=http_status)


def _entry(item, base_url: str) -> Entry | None:
    link = (item.get("link") or "").strip()
    title = _clean(item.get("title") or "")
    if not link and not title:
        return None
    url = urljoin(base_url, link) if link else ""
    summary = item.get("summary") or ""
    content = ""
    if item.get("content"):
        content = max((c.get("value") or "" for c in item["content"]), key=len)
    key = (item.get("id") or "").strip() or url
    if not key:
        key = "sha1:" + hashlib.sha1(f"{title}\n{summary}".encode()).hexdigest()
    if not url:
        url = key if "://" in key else f"urn:briefing:{key}"
    published = None
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        if item.get(name):
            published = datetime.fromtimestamp(calendar.timegm(item[name]), UTC)
            break
    return Entry(
        key=key, url=url, title=title or url, summary=summary, content=content, published=published
    )


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][\w.:-]+["']""")
# What feedparser says of an encoding it was told: not a fault of the feed's XML.
_ENCODING_NOTES = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def _looks_like_html(content: bytes) -> bool:
    head = content[:2048].lstrip().lower()
    return head.startswith(b"<!doctype html") or b"<html" in head


def _first_line(exc) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0] if exc else "unknown error"


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
