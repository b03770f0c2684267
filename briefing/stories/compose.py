"""Compose a story for the reader: headline and summary per language, key quotes and figures."""

from __future__ import annotations

import re
from datetime import datetime

from briefing.analyze.arabic import fold
from briefing.models import Analysis, Article, Figure, Quote, Story

MAX_QUOTES = 5
MAX_FIGURES = 5
SUMMARY_CHARS = 320


def compose(
    story_id: str,
    articles: list[Article],
    analyses: dict[int, Analysis],
    *,
    first_seen: datetime | None = None,
    developing: bool = False,
) -> Story:
    """Build a Story (rank 0: ranking comes after) from its articles and their analyses."""
    by_lang: dict[str, list[Article]] = {}
    for article in sorted(articles, key=lambda a: (a.when, a.id)):
        by_lang.setdefault(article.lang, []).append(article)
    headline = {lang: group[0].title for lang, group in by_lang.items()}
    summary = {lang: s for lang, group in by_lang.items() if (s := lead(group[0].text))}
    return Story(
        id=story_id,
        rank=0,
        articles=tuple(sorted(articles, key=lambda a: (a.when, a.id))),
        headline=headline,
        summary=summary,
        quotes=tuple(key_quotes(articles, analyses)),
        figures=tuple(key_figures(articles, analyses)),
        first_seen=first_seen,
        developing=developing,
    )


def lead(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first one or two sentences of an article body, within `limit` characters."""
    first = text.strip().split("\n", 1)[0]
    sentences = re.split(r"(?<=[.!?؟])\s+", first)
    out = ""
    for sentence in sentences:
        if out and len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    if len(out) > limit:
        out = out[: limit - 1].rsplit(" ", 1)[0] + "…"
    return out


def key_quotes(
    articles: list[Article], analyses: dict[int, Analysis]
) -> list[tuple[Quote, Article]]:
    """Direct quotes first, attributed first, each once across outlets."""
    seen, out = set(), []
    for article in articles:
        for quote in analyses.get(article.id, Analysis(lang=article.lang)).quotes:
            key = fold(quote.text).casefold()
            if key in seen or len(quote.text.split()) < 3:
                continue
            seen.add(key)
            out.append((quote, article))
    out.sort(key=lambda pair: (not pair[0].direct, pair[0].speaker is None))
    return out[:MAX_QUOTES]


def key_figures(
    articles: list[Article], analyses: dict[int, Analysis]
) -> list[tuple[Figure, Article]]:
    """Each (value, unit) once, in order of appearance."""
    seen, out = set(), []
    for article in articles:
        for figure in analyses.get(article.id, Analysis(lang=article.lang)).figures:
            key = (figure.value, fold(figure.unit).casefold())
            if key in seen:
                continue
            seen.add(key)
            out.append((figure, article))
    return out[:MAX_FIGURES]
