"""Compose a story for the reader: headline and summary per language, key quotes and figures.

Pure: articles, analyses and vectors in, a Story out. Quote alignment across
languages takes an embedding function, passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import numpy as np

from briefing.analyze.arabic import digits, fold
from briefing.analyze.figures import concept
from briefing.models import Analysis, Article, KeyFigure, KeyQuote, Quote, Story

MAX_QUOTES = 5
MAX_FIGURES = 5
MAX_DISPUTED = 3  # other values named beside a figure; more is noise, not disagreement
SUMMARY_CHARS = 320
SAME_STATEMENT = (
    0.70  # quote-to-quote similarity above which Arabic and English words are one statement
)


def compose(
    story_id: str,
    articles: list[Article],
    analyses: dict[int, Analysis],
    *,
    vectors: dict[int, np.ndarray] | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    first_seen: datetime | None = None,
    developing: bool = False,
    updated: bool = True,
) -> Story:
    """Build a Story (rank 0: ranking comes after) from its articles and their analyses."""
    ordered = sorted(articles, key=lambda a: (a.when, a.id))
    central = centrality(ordered, vectors or {})
    by_lang: dict[str, list[Article]] = {}
    for article in sorted(ordered, key=lambda a: (-central.get(a.id, 0.0), a.when, a.id)):
        if article.duplicate_of is None or not by_lang.get(article.lang):
            by_lang.setdefault(article.lang, []).append(article)
    return Story(
        id=story_id,
        rank=0,
        articles=tuple(ordered),
        headline={lang: group[0].title for lang, group in by_lang.items()},
        summary={lang: text for lang, group in by_lang.items() if (text := lead(group[0].text))},
        quotes=tuple(key_quotes(ordered, analyses, embed)),
        figures=tuple(key_figures(ordered, analyses)),
        first_seen=first_seen,
        developing=developing,
        updated=updated,
    )


def centrality(articles: list[Article], vectors: dict[int, np.ndarray]) -> dict[int, float]:
    """Mean similarity of each article to the story's others: the most central tells it best."""
    known = [a for a in articles if a.id in vectors]
    if len(known) < 2:
        return {a.id: 0.0 for a in known}
    matrix = np.stack([vectors[a.id] for a in known])
    sims = matrix @ matrix.T
    means = (sims.sum(axis=1) - 1.0) / (len(known) - 1)
    return {a.id: float(m) for a, m in zip(known, means, strict=True)}


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
    articles: list[Article], analyses: dict[int, Analysis], embed: Callable | None = None
) -> list[KeyQuote]:
    """The story's quotes, each once with all its outlets, Arabic and English versions paired.

    Reported speech is kept only for speakers with no direct quote.
    """
    groups: list[dict] = []
    for article in articles:
        for quote in _analysis(analyses, article).quotes:
            if len(quote.text.split()) < 3:
                continue
            key = _quote_key(quote.text)
            for group in groups:
                if group["lang"] == article.lang and (key in group["key"] or group["key"] in key):
                    if article.outlet not in {
                        a.outlet for a in (group["article"], *group["sources"])
                    }:
                        group["sources"].append(article)
                    break
            else:
                groups.append(
                    {
                        "quote": quote,
                        "article": article,
                        "lang": article.lang,
                        "key": key,
                        "sources": [],
                        "versions": [],
                    }
                )
    direct_speakers = {fold(g["quote"].speaker or "") for g in groups if g["quote"].direct}
    groups = [
        g for g in groups if g["quote"].direct or _worth_reporting(g["quote"], direct_speakers)
    ]
    groups = _pair_languages(groups, embed)
    groups.sort(
        key=lambda g: (
            not g["quote"].direct,
            g["quote"].speaker is None,
            -(len(g["sources"]) + len(g["versions"])),
        )
    )
    return [
        KeyQuote(
            quote=g["quote"],
            article=g["article"],
            sources=tuple(g["sources"]),
            versions=tuple(g["versions"]),
        )
        for g in groups[:MAX_QUOTES]
    ]


def _worth_reporting(quote: Quote, direct_speakers: set[str]) -> bool:
    """Reported speech is shown for a named speaker with no direct quote, and briefly."""
    speaker = quote.speaker or ""
    if not speaker or fold(speaker) in direct_speakers or len(quote.text) > 240:
        return False
    if speaker.isascii():
        return speaker[:1].isupper() and not re.match(r"(?:The|A|An)\s", speaker)
    return not speaker.startswith("ال")


def _pair_languages(groups: list[dict], embed: Callable | None) -> list[dict]:
    """Fold each quote that says in one language what another says in the other into it."""
    if embed is None or len({g["lang"] for g in groups}) < 2:
        return groups
    vectors = embed([g["quote"].text for g in groups])
    sims = vectors @ vectors.T
    absorbed: set[int] = set()
    for i, group in enumerate(groups):
        if i in absorbed:
            continue
        for j in np.argsort(-sims[i]):
            j = int(j)
            if (
                j == i
                or j in absorbed
                or groups[j]["lang"] == group["lang"]
                or sims[i, j] < SAME_STATEMENT
            ):
                continue
            if any(q_article.lang == groups[j]["lang"] for _, q_article in group["versions"]):
                continue  # one version per language
            group["versions"].append((groups[j]["quote"], groups[j]["article"]))
            absorbed.add(j)
    return [g for i, g in enumerate(groups) if i not in absorbed]


def key_figures(articles: list[Article], analyses: dict[int, Analysis]) -> list[KeyFigure]:
    """Each quantity of this event once, with all its outlets; where outlets differ, say so.

    A figure about an earlier event (its sentence dates it to an earlier year:
    "the 2023 earthquakes that killed more than 53,000 people") is background,
    never a key figure. The rest rank by how many outlets state them, then by
    how early they come in their article (the lead carries the event's own).
    """
    by_fact: dict[tuple[str, float], dict] = {}
    for article in articles:
        for figure in _analysis(analyses, article).figures:
            if is_background(figure.sentence.replace(figure.text, " "), article.when.year):
                continue
            if figure.value < 3 and not re.search(r"\d", digits(figure.text)):
                continue  # "the two countries", «العامين»: said in passing, not a key number
            fact = _fact_key(by_fact, concept(figure.unit), figure.value)
            if fact not in by_fact:
                by_fact[fact] = {"figure": figure, "article": article, "sources": [], "lead": 0.0}
            elif article.outlet not in {
                a.outlet for a in (by_fact[fact]["article"], *by_fact[fact]["sources"])
            }:
                by_fact[fact]["sources"].append(article)
            by_fact[fact]["lead"] = max(by_fact[fact]["lead"], figure.salience)
    facts = sorted(
        by_fact.items(),
        key=lambda item: (-len(item[1]["sources"]), -item[1]["lead"], item[1]["article"].when),
    )
    shown: list[KeyFigure] = []
    for (unit_key, value), fact in facts:
        if len(shown) == MAX_FIGURES:
            break
        if any(k.concept == unit_key and value in {f.value for f, _ in k.disputed} for k in shown):
            continue  # already shown as another outlet's figure for a quantity above
        outlets = {fact["article"].outlet, *(a.outlet for a in fact["sources"])}
        rivals = [
            (other["figure"], other["article"])
            for (other_key, other_value), other in facts
            if other_key == unit_key
            and other_value != value
            and unit_key not in _NOT_DISPUTED
            and other["article"].outlet not in outlets
            and re.search(r"\d", other["figure"].text)  # "thousands of soldiers" disputes nothing
            and re.search(r"\d", fact["figure"].text)
        ]
        shown.append(
            KeyFigure(
                figure=fact["figure"],
                article=fact["article"],
                concept=unit_key,
                sources=tuple(fact["sources"]),
                disputed=tuple(rivals[:MAX_DISPUTED]),
            )
        )
    return shown


# Counts that differ without disagreeing: many groups of people, sums of money and
# shares are stated in one story, each true of its own thing.
_NOT_DISPUTED = {"person", "%", "usd", "eur", "gbp", "sar", "aed"}
_EARLIER = re.compile(
    r"\b(?:last|previous|past)\s+(?:year|decade)\b|العام\s+الماضي|السنة\s+الماضية|العام\s+السابق",
    re.IGNORECASE,
)


_SINCE = re.compile(r"(?:\b[Ss]ince|منذ)\s+(?:\S+\s+){0,2}?(?:19|20)\d\d")


def is_background(sentence: str, year: int) -> bool:
    """Whether a figure's sentence is about an earlier time than the story's.

    >>> is_background("the February 2023 earthquakes killed more than 53,000 people", 2024)
    True
    >>> is_background("Some 1,500 soldiers arrived on Monday", 2024)
    False
    >>> is_background("more than 13,000 containers since August 2023", 2024)
    False
    """
    # "since August 2023" counts up to now: a cumulative figure of the story, not background.
    current = _SINCE.sub(" ", digits(sentence))
    years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", current)]
    return any(y < year for y in years) or bool(_EARLIER.search(sentence))


def _fact_key(by_fact: dict, unit_key: str, value: float) -> tuple[str, float]:
    """One fact for one large value: «24 ألف إصابة» and "24,000 cases" name the same count."""
    if (unit_key, value) in by_fact or value < 20:
        return unit_key, value
    same_value = [key for key in by_fact if key[1] == value]
    return same_value[0] if same_value else (unit_key, value)


def _analysis(analyses: dict[int, Analysis], article: Article) -> Analysis:
    return analyses.get(article.id) or Analysis(lang=article.lang)


def _quote_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text).casefold()))
