"""The JSON export of an edition (contract: briefing.schema.json, version 1)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from briefing.models import Article, Edition, FeedHealth, Figure, KeyFigure, KeyQuote, Quote, Story

SCHEMA_VERSION = "1"


def to_json(edition: Edition) -> dict[str, Any]:
    """The whole edition as plain JSON data: every story, not only the top N.

    A named edition (config `editions:`) says its name in `edition`; the
    default edition's JSON has no such key, as before editions existed.
    """
    out = {
        "schema_version": SCHEMA_VERSION,
        "date": edition.date,
        "generated_at": _iso(edition.generated_at),
        "window": {"start": _iso(edition.window_start), "end": _iso(edition.window_end)},
        "languages": edition.languages,
        "stories": [_story(story) for story in edition.stories],
        "feeds": [feed_json(feed) for feed in edition.feeds],
    }
    if edition.edition:
        out["edition"] = edition.edition
    return out


def _story(story: Story) -> dict[str, Any]:
    urls = {a.id: a.url for a in story.articles}
    out: dict[str, Any] = {
        "id": story.id,
        "rank": story.rank,
        "headline": dict(story.headline),
        "languages": story.languages,
        "first_seen": _iso(story.first_seen),
        "developing": story.developing,
        "articles": [_article(a, urls) for a in story.articles],
        "quotes": [_quote(k) for k in story.quotes],
        "figures": [_figure(k) for k in story.figures],
        "updated": story.updated,
    }
    if story.summary:
        out["summary"] = dict(story.summary)
    return out


def _quote(key: KeyQuote) -> dict[str, Any]:
    out = {**quote_fields(key.quote, key.article), "sources": _sources(key)}
    if key.versions:
        # The same statement as reported in another language (e.g. CNN's English, Asharq's Arabic).
        out["versions"] = [quote_fields(q, a) for q, a in key.versions]
    return out


# The fields of a quote and of a figure in every JSON the project writes (briefing, analysis).
QUOTE_FIELDS = ("speaker", "role", "text", "direct")
FIGURE_FIELDS = ("value", "unit", "text", "approx")


def as_data(found: Quote | Figure, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(found, name) for name in names}


def quote_fields(quote: Quote, article: Article) -> dict[str, Any]:
    """A quote as data, with the article it was found in (the JSON's fields; templates get these too)."""
    return {**as_data(quote, QUOTE_FIELDS), **_found_in(article)}


def _figure(key: KeyFigure) -> dict[str, Any]:
    out = {
        **figure_fields(key.figure, key.article),
        "concept": key.concept,
        "sources": _sources(key),
    }
    if key.disputed:
        # Other outlets give a different value for the same quantity: the reader should know.
        out["disputed_by"] = [figure_fields(f, a) for f, a in key.disputed]
    return out


def _sources(key: KeyQuote | KeyFigure) -> list[dict[str, str]]:
    """Every outlet that carried a key quote or figure, the one shown first."""
    return [{"outlet": a.outlet, "article_url": a.url} for a in (key.article, *key.sources)]


def figure_fields(figure: Figure, article: Article) -> dict[str, Any]:
    """A figure as data, with the article it was found in (the JSON's fields; templates get these too)."""
    return {**as_data(figure, FIGURE_FIELDS), **_found_in(article)}


def _found_in(article: Article) -> dict[str, str]:
    return {"lang": article.lang, "article_url": article.url, "outlet": article.outlet}


def _article(article: Article, urls: dict[int, str]) -> dict[str, Any]:
    out = {
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "lang": article.lang,
        "published": _iso(article.published),
    }
    if article.duplicate_of is not None:
        # The same article republished (wire copy) or linked twice: not an independent source.
        out["duplicate_of"] = urls.get(article.duplicate_of)
    return out


def feed_json(feed: FeedHealth) -> dict[str, Any]:
    status = feed.status if feed.status in ("ok", "not_modified", "error") else "error"
    error = feed.error if feed.status != "never" else "never fetched"
    return {
        "url": feed.url,
        "name": feed.name,
        "status": status,
        "items": feed.items,
        "error": error,
        "http_status": feed.http_status,
        "last_success": _iso(feed.last_success),
        "consecutive_failures": feed.consecutive_failures,
        "moved_to": feed.moved_to,
        "pages_waiting": feed.pages_waiting,
    }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
