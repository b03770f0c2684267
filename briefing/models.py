"""Plain data passed between the stages (frozen dataclasses, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    """One item of a feed, as the feed gave it."""

    key: str  # stable identity: GUID, else link, else a content hash
    url: str  # the link as the feed gave it, resolved against the feed URL
    title: str
    summary: str = ""
    content: str = ""  # the feed's full content, when it carries one
    published: datetime | None = None  # UTC


@dataclass(frozen=True)
class Article:
    """An article of the store, with its extracted body."""

    id: int
    url: str
    title: str
    outlet: str
    lang: str
    text: str
    published: datetime | None  # UTC; the window is decided on `published or first_seen`
    first_seen: datetime
    duplicate_of: int | None = None  # the article this one is a copy of (same link or wire copy)
    feed_id: int | None = None  # the feed it came from (an edition draws on some feeds)

    @property
    def when(self) -> datetime:
        return self.published or self.first_seen


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without quotation marks
    speaker: str | None
    direct: bool = True
    start: int = 0  # character offsets of `text` in the article text
    end: int = 0
    role: str | None = None  # "Defense Secretary", «وزير الخارجية», when the article gives one


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    text: str  # the span stating the figure
    approx: bool = False
    start: int = 0
    end: int = 0
    sentence: str = ""  # the sentence that states it
    salience: float = 0.0  # higher: more likely one of the story's key figures


@dataclass(frozen=True)
class Entity:
    text: str
    kind: str  # person | place | organisation | other


@dataclass(frozen=True)
class Analysis:
    lang: str
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    entities: tuple[Entity, ...] = ()


@dataclass(frozen=True)
class KeyQuote:
    """A quote as the story shows it: once, with every outlet that carried it."""

    quote: Quote
    article: Article  # where these words were found first
    sources: tuple[Article, ...] = ()  # other outlets with the same words
    versions: tuple[tuple[Quote, Article], ...] = ()  # the same statement in another language


@dataclass(frozen=True)
class KeyFigure:
    """A figure as the story shows it, with who stated it and who stated otherwise."""

    figure: Figure
    article: Article
    concept: str  # what is counted, across languages: troop, container, USD, % …
    sources: tuple[Article, ...] = ()  # other outlets stating the same value
    disputed: tuple[tuple[Figure, Article], ...] = ()  # other outlets' different values for it


@dataclass(frozen=True)
class Story:
    id: str
    rank: int
    articles: tuple[Article, ...]
    headline: dict[str, str]  # lang -> headline
    summary: dict[str, str] = field(default_factory=dict)
    quotes: tuple[KeyQuote, ...] = ()
    figures: tuple[KeyFigure, ...] = ()
    first_seen: datetime | None = None
    developing: bool = False  # first seen before this edition's window
    updated: bool = True  # has articles first seen since the previous edition

    @property
    def languages(self) -> list[str]:
        return sorted({a.lang for a in self.articles}, key=lambda lang: (lang != "ar", lang))

    @property
    def outlets(self) -> list[str]:
        return sorted({a.outlet for a in self.articles})

    @property
    def independent_outlets(self) -> list[str]:
        """Outlets that reported the story themselves: a republished wire copy does not count."""
        return sorted({a.outlet for a in self.articles if a.duplicate_of is None})


@dataclass(frozen=True)
class FeedHealth:
    """A feed's state as the store last saw it (shown by `briefing feeds` and in feeds[])."""

    url: str
    name: str
    status: str  # ok | not_modified | error | never
    items: int = 0
    error: str | None = None
    http_status: int | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    consecutive_failures: int = 0
    moved_to: str | None = None  # where a permanent redirect settled
    pages_waiting: int = 0  # articles whose page waits for a later round (cap, round deadline)


@dataclass(frozen=True)
class Edition:
    """One built briefing: what the renderers turn into JSON, HTML and PDF."""

    date: str  # YYYY-MM-DD
    generated_at: datetime
    window_start: datetime
    window_end: datetime
    timezone: str
    stories: tuple[Story, ...]
    feeds: tuple[FeedHealth, ...]
    edition: str | None = None  # the edition's name; None for the default edition

    @property
    def languages(self) -> list[str]:
        return sorted(
            {lang for s in self.stories for lang in s.languages}, key=lambda x: (x != "ar", x)
        )

    @property
    def outlets(self) -> list[str]:
        return sorted({o for s in self.stories for o in s.outlets})


@dataclass(frozen=True)
class FeedState:
    """A feed as the store keeps it: the validators for the next fetch, and its health."""

    id: int
    url: str  # as configured
    name: str
    lang: str | None = None
    current_url: str | None = None  # where a permanent redirect settled
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_unconditional: datetime | None = None
    http_status: int | None = None
    status: str = "never"
    items: int = 0
    consecutive_failures: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class PendingArticle:
    """An article as the ingest stages handle it: what its feed said, and what extraction stored."""

    id: int
    url: str
    feed_id: int
    feed_url: str  # the feed's configured URL: a local feed file may link to file: pages
    outlet: str
    title: str
    first_seen: datetime
    summary: str = ""
    feed_content: str = ""
    declared_lang: str | None = None
    published: datetime | None = None
    text: str | None = None  # None until extracted
    extract_source: str | None = None  # page | feed | copy | pending
    canonical_url: str | None = None
    duplicate_of: int | None = None

    @property
    def when(self) -> datetime:
        return self.published or self.first_seen


@dataclass(frozen=True)
class Issue:
    """One built issue of an edition, as the store recorded it."""

    key: str  # edition.issue_key: the date, or <edition>/<date>
    generated_at: datetime


@dataclass(frozen=True)
class Delivery:
    """One reader's delivery of one issue (deliver/ledger.py draws its states)."""

    edition_date: str  # the issue's key
    address: str
    recipient: str
    message_id: str
    state: str
    attempts: int
    resends: int
    claimed_by: str | None
    lease_until: datetime | None
    data_at: datetime | None
    reply: str | None
    updated_at: datetime
    accepted_at: datetime | None
