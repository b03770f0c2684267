"""Build the template context of an edition: plain data, no I/O.

Templates receive only what is documented in docs/templates.md.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from briefing.config import ThemeConfig
from briefing.ingest.urls import web_link
from briefing.models import Article, Edition, Figure, Quote, Story
from briefing.render import colours, export
from briefing.render.hijri import hijri_ar

RTL = {"ar", "fa", "ur", "he"}
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# A quote that stops mid-sentence keeps the comma that stood inside its marks
# (“… military options,” he said): verbatim in the JSON, dropped where a reader sees it.
TRAILING_PAUSE = re.compile(r"[\s,;،؛]+$")
# Keys are never names of dict methods (items, copy, keys …): Jinja would find the method first.
MAX_SOURCES = 12  # a story's source list in HTML/PDF; the JSON lists every article


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def name_lang(name: str) -> str:
    """The language to mark a name with when only its script is known (an outlet, a feed).

    >>> name_lang("الشرق الأوسط"), name_lang("BBC Arabic")
    ('ar', 'en')
    """
    return "ar" if ARABIC_LETTER.search(name or "") else "en"


def shown_quote(text: str) -> str:
    """A quote as the reader sees it: without the pause that ended it inside the marks.

    >>> shown_quote("possible steps include diplomatic and military options,")
    'possible steps include diplomatic and military options'
    """
    return TRAILING_PAUSE.sub("", text) or text


def short_date(day: date, lang: str) -> str:
    """`23 Oct` in English, `23 أكتوبر` in Arabic (Western digits, as the edition writes them)."""
    width = "wide" if lang == "ar" else "abbreviated"
    return f"{day.day} {get_month_names(width, locale=lang if lang in ('ar', 'en') else 'en')[day.month]}"


def build(
    edition: Edition, theme: ThemeConfig, strings: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """The context for templates/briefing.html."""
    tz = ZoneInfo(edition.timezone)
    top = edition.stories[: theme.top_stories]
    failed = [f for f in edition.feeds if f.status in ("error", "never")]
    return {
        "theme": theme,
        "colours": colours.palette(theme.accent),
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
        # The day the story was first reported, for "developing since 23 Oct".
        "since": _since(story.first_seen, tz) if story.developing else None,
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


def _since(first_seen: datetime | None, tz: ZoneInfo) -> dict[str, str] | None:
    if first_seen is None:
        return None
    day = first_seen.astimezone(tz).date()
    return {"date": day.isoformat(), "en": short_date(day, "en"), "ar": short_date(day, "ar")}


def _quote(quote: Quote, article: Article) -> dict[str, Any]:
    return {
        **export.quote_fields(quote, article),
        "text": shown_quote(quote.text),
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
