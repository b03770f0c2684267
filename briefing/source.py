"""`briefing analyze SOURCE`: one article from a URL, a saved HTML page or a text file.

It uses exactly the pipeline's code: the same client, extractor, language
detection and analysers.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from briefing import analyze
from briefing.analyze import language
from briefing.config import FetchConfig
from briefing.errors import BriefingError, ConfigError, FetchError
from briefing.ingest import articles as pages
from briefing.ingest.http import HttpClient
from briefing.render.export import FIGURE_FIELDS, QUOTE_FIELDS, as_data

SCHEMA_VERSION = "1"
log = logging.getLogger(__name__)


def analyse_source(source: str, settings: FetchConfig | None = None) -> dict[str, Any]:
    """The analysis.schema.json object for `source`."""
    title = published = None
    if source.startswith(("http://", "https://")):
        with HttpClient(settings or FetchConfig(allow_private_networks=True)) as client:
            try:
                page = pages.fetch_page(client, source, feed_is_local=False, allow_private=True)
            except FetchError as exc:
                raise BriefingError(f"{source}: {exc}") from None
        text, title, published = _from_html(page, source)
    else:
        path = Path(source)
        if path.is_dir():
            raise ConfigError(f"{source}: a directory (give a URL, an HTML file or a text file)")
        if not path.is_file():
            raise ConfigError(f"{source}: no such file (give a URL, an HTML file or a text file)")
        raw = path.read_bytes()
        if b"\x00" in raw[:8192]:
            raise ConfigError(f"{source}: binary content, not an HTML or text file")
        if path.suffix.lower() in (".html", ".htm", ".xhtml") or raw.lstrip()[:1] == b"<":
            text, title, published = _from_html(raw, path.resolve().as_uri())
        else:
            text = _decode(raw, source).strip()
    if len(text) > analyze.MAX_CHARS:
        log.warning(
            "%s: %s characters; only the first %s analysed (and printed)",
            source,
            f"{len(text):,}",
            f"{analyze.MAX_CHARS:,}",
        )
        text = analyze.analysed_part(text)
    lang = language.detect(text)
    result = analyze.analyse(text, lang)
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "lang": lang,
        "title": title,
        "published": published.isoformat() if published else None,
        "text": text,
        "quotes": [as_data(q, QUOTE_FIELDS + ("start", "end")) for q in result.quotes],
        "figures": [
            as_data(f, FIGURE_FIELDS + ("start", "end", "sentence", "salience"))
            for f in result.figures
        ],
        "entities": [{"text": e.text, "kind": e.kind} for e in result.entities],
    }


def report(result: dict[str, Any]) -> str:
    """A readable report of an analysis, for people rather than scripts."""
    lines = [f"{result['source']}  [{result['lang']}]"]
    if result["title"]:
        lines.append(result["title"])
    lines.append(f"{len(result['text'].split())} words")
    lines.append("")
    lines.append(f"Quotes ({len(result['quotes'])}):")
    for quote in result["quotes"]:
        kind = "" if quote["direct"] else " (reported)"
        role = f" ({quote['role']})" if quote.get("role") else ""
        lines.append(f"  - {quote['speaker'] or 'unattributed'}{role}{kind}: “{quote['text']}”")
    lines.append(f"Figures ({len(result['figures'])}):")
    for figure in result["figures"]:
        approx = "~" if figure["approx"] else ""
        lines.append(f"  - {approx}{figure['value']:,.10g} {figure['unit']}   ← {figure['text']}")
    if result["entities"]:
        lines.append(f"Entities ({len(result['entities'])}):")
        lines += [f"  - {e['text']} ({e['kind']})" for e in result["entities"]]
    return "\n".join(lines)


def _from_html(page: bytes, url: str):
    found = pages.extract(page, url)
    if found is None:
        raise BriefingError(f"{url}: no article text found on the page")
    return found.text, found.title, found.published


def _decode(raw: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BriefingError(f"{source}: cannot decode the text (not UTF-8 or windows-1256)")
