"""The JSON export of an edition (contract: briefing.schema.json, version 1)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from briefing.models import Article, Edition, FeedHealth, Story

SCHEMA_VERSION = "1"


def to_json(edition: Edition) -> dict[str, Any]:
    """The whole edition as plain JSON data: every story, not only the top N."""
    return {
        "schema_version": SCHEMA_VERSION,
        "date": edition.date,
        "generated_at": _iso(edition.generated_at),
        "window": {"start": _iso(edition.window_start), "end": _iso(edition.window_end)},
        "languages": edition.languages,
        "stories": [_story(story) for story in edition.stories],
        "feeds": [feed_json(feed) for feed in edition.feeds],
    }


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
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "direct": q.direct,
                "lang": a.lang,
                "article_url": a.url,
            }
            for q, a in story.quotes
        ],
        "figures": [
            {
                "value": f.value,
                "unit": f.unit,
                "text": f.text,
                "approx": f.approx,
                "lang": a.lang,
                "article_url": a.url,
            }
            for f, a in story.figures
        ],
    }
    if story.summary:
        out["summary"] = dict(story.summary)
    return out


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
    }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
