"""Build the template context of an edition: plain data, no I/O.

Templates receive only what is documented in docs/templates.md.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from briefing.config import ThemeConfig
from briefing.ingest.urls import web_link
from briefing.models import Article, Edition, Figure, Quote, Story
from briefing.render import export
from briefing.render.hijri import hijri_ar

RTL = {"ar", "fa", "ur", "he"}
# Keys are never names of dict methods (items, copy, keys …): Jinja would find the method first.
MAX_SOURCES = 12  # a story's source list in HTML/PDF; the JSON lists every article


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def build(
    edition: Edition, theme: ThemeConfig, strings: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """The context for templates/briefing.html."""
    tz = ZoneInfo(edition.timezone)
    top = edition.stories[: theme.top_stories]
    failed = [f for f in edition.feeds if f.status in ("error", "never")]
    return {
        "theme": theme,
        "t": strings,
        "edition": {
            "date": edition.date,
            "hijri": hijri_ar(date.fromisoformat(edition.date)),
            "timezone": edition.timezone,
            "generated_at": _local(edition.generated_at, tz),
            "window_start": _local(edition.window_start, tz),
            "window_end": _local(edition.window_end, tz),
        },
        "counts": {
            "stories": len(edition.stories),
            "shown": len(top),
            "outlets": len(edition.outlets),
            "languages": len(edition.languages),
            "feeds_failed": len(failed),
        },
        "languages": edition.languages,
        "stories": [_story(story, tz) for story in top],
        "feeds": [
            {
                "name": f.name,
                "url": f.url,
                "status": f.status,
                "entries": f.items,
                "error": f.error,
                "failures": f.consecutive_failures,
            }
            for f in edition.feeds
        ],
        "failed_feeds": [
            {"name": f.name, "url": f.url, "error": f.error or f.status} for f in failed
        ],
        # Sources cut short (fetch.round_deadline, fetch.pages_per_feed): read, but thinner.
        "cut_short": [
            {"name": f.name, "url": f.url, "pages_waiting": f.pages_waiting}
            for f in edition.feeds
            if f.pages_waiting and f not in failed
        ],
    }


def _story(story: Story, tz: ZoneInfo) -> dict[str, Any]:
    langs = story.languages
    return {
        "id": story.id,
        "rank": story.rank,
        "developing": story.developing,
        "updated": story.updated,
        "languages": langs,
        "blocks": [
            {
                "lang": lang,
                "dir": direction(lang),
                "headline": story.headline.get(lang),
                "summary": story.summary.get(lang),
            }
            # Left to right: English at the left edge, Arabic at the right, each where its reading starts.
            for lang in sorted(langs, key=lambda x: (x in RTL, x))
            if story.headline.get(lang)
        ],
        "quotes": [
            {
                **_quote(k.quote, k.article),
                "outlets": [a.outlet for a in (k.article, *k.sources)],
                "versions": [_quote(q, a) for q, a in k.versions],
            }
            for k in story.quotes
        ],
        "figures": [
            {
                **_figure(k.figure, k.article),
                "outlets": [a.outlet for a in (k.article, *k.sources)],
                "disputed": [_figure(f, a) for f, a in k.disputed],
            }
            for k in story.figures
        ],
        "sources": [
            {
                "is_copy": a.duplicate_of is not None,
                "outlet": a.outlet,
                "lang": a.lang,
                "dir": direction(a.lang),
                "title": a.title,
                "url": web_link(a.url),
                "time": _local(a.when, tz),
            }
            for a in story.articles[:MAX_SOURCES]
        ],
        "more_sources": max(0, len(story.articles) - MAX_SOURCES),
    }


def _quote(quote: Quote, article: Article) -> dict[str, Any]:
    return {
        **export.quote_fields(quote, article),
        "dir": direction(article.lang),
        "url": web_link(article.url),
    }


def _figure(figure: Figure, article: Article) -> dict[str, Any]:
    return {
        **export.figure_fields(figure, article),
        "dir": direction(article.lang),
        "url": web_link(article.url),
    }


def _local(moment: datetime | None, tz: ZoneInfo) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
