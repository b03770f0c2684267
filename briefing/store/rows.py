"""ISO times as the store keeps them, and its rows as the dataclasses of models.py."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from briefing.models import Article, FeedState, PendingArticle
from briefing.schema import articles, feeds


def utc_iso(moment: datetime | None, timespec: str = "seconds") -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return moment.astimezone(UTC).isoformat(timespec=timespec)


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def issues_of(column, edition: str | None):
    """A condition on an issue-key column: the issues of one edition (None or "": the default one's)."""
    from briefing.edition import DEFAULT_EDITION

    if edition in (None, "", DEFAULT_EDITION):
        return column.not_like("%/%")  # the default edition's keys are bare dates
    # An edition's name is letters, digits, - and _; `_` is LIKE's any-character.
    escaped = edition.replace("_", "\\_")
    return and_(column.like(f"{escaped}/%", escape="\\"), func.length(column) == len(edition) + 11)


def later(a, b):
    """The later of two ISO times (SQLite's max(a, b) is an aggregate on PostgreSQL)."""
    return case((b > a, b), else_=a)


def earlier(a, b):
    """The earlier of two ISO times (SQLite's min(a, b) is an aggregate on PostgreSQL)."""
    return case((b < a, b), else_=a)


def waiting_for_page():
    return or_(articles.c.text.is_(None), articles.c.extract_source == "pending")


def pending_select() -> Select:
    return select(articles, feeds.c.url.label("feed_url")).join(
        feeds, feeds.c.id == articles.c.feed_id
    )


def driver_reason(exc: sa_exc.DBAPIError) -> str:
    """The driver's first line: what went wrong, without SQLAlchemy's wrapping."""
    lines = str(exc.orig).strip().splitlines()
    return lines[0] if lines else type(exc.orig).__name__


def insert_for(on_sqlite: bool, table):
    """INSERT for the store's engine: both compile ON CONFLICT (upserts) their own way."""
    return (sqlite if on_sqlite else postgresql).insert(table)


def dataclass_of(cls: type, row, **given: Any):
    """The dataclass `cls` from a row whose columns bear its fields' names; the times,
    kept as ISO text, come back as datetimes. `given` sets fields the row does not."""
    mapping = row._mapping
    values = {}
    for name, is_time in _fields(cls):
        if name in given:
            values[name] = given[name]
        elif name in mapping:
            values[name] = from_iso(mapping[name]) if is_time else mapping[name]
    return cls(**values)


@lru_cache
def _fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, whether it is a time) of each field of `cls`."""
    return tuple((field.name, "datetime" in str(field.type)) for field in fields(cls))


def feed_state_of(row) -> FeedState:
    return dataclass_of(FeedState, row)


def pending_of(row) -> PendingArticle:
    return dataclass_of(PendingArticle, row)


def article_of(row) -> Article:
    return dataclass_of(
        Article, row, lang=row.lang or row.declared_lang or "und", text=row.text or ""
    )
