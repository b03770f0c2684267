"""Which stories an edition carries: its topic rules, then its feeds and languages.

Pure: the window's stories and their articles' analyses in, one edition's
stories out. A rule is matched on every article of a story, whatever its feed
or language, so an English-only keyword keeps the Arabic coverage of the same
story; the edition then shows the articles of its own feeds and languages.

Keywords are matched on normalised text (Arabic alef, yaa and taa marbuta
forms, diacritics and tatweel folded by `arabic.fold`; case folded) at word
boundaries; an Arabic keyword also matches behind the clitics newspapers
attach (و ف ب ك ل ال: «تحلية» finds «لتحلية» and «والتحلية»); a keyword ending
in `*` matches any ending (`desalinat*`). An entity rule names a country,
city or organisation the gazetteer knows, in either script (`Japan` finds
«اليابان»), or a person, matched across scripts by consonant skeleton
(`Austin` finds «لويد أوستن»).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from briefing.analyze import entities
from briefing.analyze.arabic import fold, is_arabic
from briefing.config import TopicsConfig
from briefing.models import Analysis, Article, Story

# Clitics written onto an Arabic word: a conjunction, then a preposition and/or the article.
_AR_CLITICS = "(?:[وف])?(?:ال|[بكل]ال|لل|[بكل])?"
_SHORT_NAME = 3  # Latin names this short (WHO, UN, AP) are left to the analyser, which reads case


def normalise(text: str) -> str:
    """The text keywords are matched on: folded Arabic, folded case, single spaces.

    >>> normalise("إطلاق  حملةٍ في مكّة")
    'اطلاق حمله في مكه'
    """
    return " ".join(fold(text).casefold().split())


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern | None:
    """One regular expression finding any of `keywords` in normalised text, as whole words.

    >>> bool(keyword_pattern(["تحلية"]).search(normalise("عقد لإنشاء محطة لتحلية المياه")))
    True
    >>> bool(keyword_pattern(["oil"]).search(normalise("Boiling point")))
    False
    """
    parts = [_one_keyword(k) for k in keywords]
    parts = [p for p in parts if p]
    return re.compile("|".join(sorted(set(parts), key=len, reverse=True))) if parts else None


def _one_keyword(keyword: str) -> str:
    wildcard = keyword.rstrip().endswith("*")
    words = normalise(keyword.rstrip().rstrip("*")).split()
    if not words:
        return ""
    first = words[0]
    if is_arabic(first):
        stem = first[2:] if first.startswith("ال") and len(first) > 4 else first
        head = _AR_CLITICS + re.escape(stem)
    else:
        head = re.escape(first)
    body = r"\s+".join([head, *(re.escape(w) for w in words[1:])])
    return rf"(?<!\w){body}" + (r"\w*" if wildcard else r"(?!\w)")


@dataclass(frozen=True)
class Rules:
    """An edition's topic rules, ready to match."""

    include: re.Pattern | None = None  # include keywords and the names of the entities
    exclude: re.Pattern | None = None
    known: frozenset[str] = frozenset()  # entity rules by their gazetteer name (Japan, NATO …)
    people: tuple[str, ...] = ()  # entity rules the gazetteer does not know
    any_include: bool = False  # whether the edition has include or entity rules at all

    @classmethod
    def of(cls, topics: TopicsConfig) -> Rules:
        known, people, names = set(), [], list(topics.include)
        for name in topics.entities:
            canonical = _canonical(name)
            if canonical:
                known.add(canonical)
                names += _names_of(canonical)
            else:
                people.append(name)
                names.append(name)
        return cls(
            include=keyword_pattern(names),
            exclude=keyword_pattern(topics.exclude),
            known=frozenset(known),
            people=tuple(people),
            any_include=bool(topics.include or topics.entities),
        )

    def passes(self, story: Story, texts: Texts) -> bool:
        """Whether a story belongs: one of its articles matches, and none is excluded."""
        if self.exclude and any(self.exclude.search(texts.text(a)) for a in story.articles):
            return False
        if not self.any_include:
            return True
        return any(self._includes(a, texts) for a in story.articles)

    def _includes(self, article: Article, texts: Texts) -> bool:
        if self.include and self.include.search(texts.text(article)):
            return True
        found = texts.names(article)
        if self.known & found:
            return True
        return any(_same_person(person, name) for person in self.people for name in found)


class Texts:
    """The normalised text and the entity names of articles, worked out once for every edition."""

    def __init__(self, analyses: dict[int, Analysis]):
        self.analyses = analyses
        self._text: dict[int, str] = {}
        self._names: dict[int, frozenset[str]] = {}

    def text(self, article: Article) -> str:
        if article.id not in self._text:
            self._text[article.id] = normalise(f"{article.title}\n{article.text}")
        return self._text[article.id]

    def names(self, article: Article) -> frozenset[str]:
        if article.id not in self._names:
            analysis = self.analyses.get(article.id)
            self._names[article.id] = frozenset(
                e.text for e in (analysis.entities if analysis else ())
            )
        return self._names[article.id]


def select(
    stories: list[Story],
    rules: Rules,
    texts: Texts,
    *,
    feed_ids: frozenset[int] | None = None,
    languages: tuple[str, ...] = (),
    since: datetime | None = None,
    recompose: Callable[[Story, list[Article]], Story] = lambda story, articles: story,
) -> list[Story]:
    """An edition's stories: those its rules pass, shown with the articles of its feeds and languages.

    `feed_ids` None draws on every feed; `languages` () shows every language.
    A story that loses articles to the view is composed again from the rest by
    `recompose`; `since` (the edition's previous issue) decides `updated`.
    The result is in the order of `stories`, with ranks still to be given.
    """
    chosen = []
    for story in stories:
        if not rules.passes(story, texts):
            continue
        shown = [
            a
            for a in story.articles
            if (feed_ids is None or a.feed_id in feed_ids)
            and (not languages or a.lang in languages)
        ]
        if not shown:
            continue
        if len(shown) < len(story.articles):
            ids = {a.id for a in shown}
            # A copy whose original this edition does not show is the report it has.
            shown = [
                replace(a, duplicate_of=None)
                if a.duplicate_of is not None and a.duplicate_of not in ids
                else a
                for a in shown
            ]
            story = recompose(story, shown)
        updated = since is None or any(a.first_seen >= since for a in story.articles)
        chosen.append(story if story.updated == updated else replace(story, updated=updated))
    return chosen


def _canonical(name: str) -> str | None:
    """The gazetteer's name for a place or organisation written in either script, if it knows it."""
    table = entities.gazetteer()
    key = fold(name).casefold().strip().rstrip(".")
    hit = table.get(key)
    if hit is None and is_arabic(key) and not key.startswith("ال"):
        hit = table.get("ال" + key)
    return hit[0] if hit else None


@lru_cache(maxsize=256)
def _names_of(canonical: str) -> tuple[str, ...]:
    """Every name the gazetteer has for one entity, in both scripts (short Latin ones left out)."""
    return tuple(
        key
        for key, (name, _) in entities.gazetteer().items()
        if name == canonical and (is_arabic(key) or len(key.replace(".", "")) > _SHORT_NAME)
    )


def _same_person(rule: str, name: str) -> bool:
    """A person rule matches the name itself, in either script, or a fuller form of it (Austin ⊂ Lloyd Austin)."""
    if entities.same_name(rule, name):
        return True
    want, have = entities.skeleton(rule).split(), entities.skeleton(name).split()
    if not want or sum(len(w) for w in want) < 3:
        return False  # too few consonants to tell one name from another
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))
