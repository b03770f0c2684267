"""ISO times as the store keeps them, and its rows as the dataclasses of models.py."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy import exc as sa_exc

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


def feed_state_of(row) -> FeedState:
    return FeedState(
        id=row.id,
        url=row.url,
        name=row.name,
        lang=row.lang,
        current_url=row.current_url,
        etag=row.etag,
        last_modified=row.last_modified,
        last_attempt=from_iso(row.last_attempt),
        last_success=from_iso(row.last_success),
        last_unconditional=from_iso(row.last_unconditional),
        http_status=row.http_status,
        status=row.status,
        items=row.items,
        consecutive_failures=row.consecutive_failures,
        last_error=row.last_error,
    )


def pending_of(row) -> PendingArticle:
    return PendingArticle(
        id=row.id,
        url=row.url,
        feed_id=row.feed_id,
        feed_url=row.feed_url,
        outlet=row.outlet,
        title=row.title,
        first_seen=from_iso(row.first_seen),
        summary=row.summary,
        feed_content=row.feed_content,
        declared_lang=row.declared_lang,
        published=from_iso(row.published),
        text=row.text,
        extract_source=row.extract_source,
        canonical_url=row.canonical_url,
        duplicate_of=row.duplicate_of,
    )


def article_of(row) -> Article:
    return Article(
        id=row.id,
        url=row.url,
        title=row.title,
        outlet=row.outlet,
        lang=row.lang or row.declared_lang or "und",
        text=row.text or "",
        published=from_iso(row.published),
        first_seen=from_iso(row.first_seen),
        duplicate_of=row.duplicate_of,
        feed_id=row.feed_id,
    )
