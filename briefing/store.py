"""The store: every query, on SQLite (one file in data_dir, the default) or PostgreSQL.

Every stage reads its input here and writes its output here, so a build that
crashed resumes where it stopped and a rebuild does only the new work. The
tables are declared once (schema.py) and the queries written once in
SQLAlchemy Core; the two engines differ only in how a write transaction
begins (SQLite takes its write lock first: BEGIN IMMEDIATE), in the upsert
each compiles, and in PostgreSQL's advisory locks, where several workers
meet. Rows come back as the frozen dataclasses of models.py.

Several workers share one store by claims (claims.py): `claim_feeds` and
`claim_articles` take rows in one transaction, skipping rows another
transaction is claiming (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one
writer at a time), with a lease.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import (
    Connection,
    Select,
    and_,
    case,
    create_engine,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from briefing import schema
from briefing.claims import holder_alive, is_free
from briefing.errors import BriefingError
from briefing.ingest.urls import canonical
from briefing.models import (
    Analysis,
    Article,
    Entity,
    Entry,
    FeedHealth,
    FeedState,
    Figure,
    Issue,
    PendingArticle,
    Quote,
)
from briefing.schema import (
    SCHEMA_VERSION,
    analyses,
    articles,
    deliveries,
    editions,
    embeddings,
    feeds,
    sketch_keys,
    sketches,
    stories,
    story_articles,
)

if TYPE_CHECKING:
    from briefing.config import Config

__all__ = ["SCHEMA_VERSION", "Store", "from_iso", "utc_iso"]

# pg_advisory_xact_lock(classid, objid): "brif" and what is serialised.
_LOCKS = {"entries": 2, "copies": 3}  # what serialise() takes
_CLASSID = 0x62726966


def utc_iso(moment: datetime | None, timespec: str = "seconds") -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return moment.astimezone(UTC).isoformat(timespec=timespec)


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    """All reads and writes of the store; one instance (one connection) per command.

    `where` is a SQLite file's path, or a PostgreSQL URL (`Store.open` takes it
    from the config's `database:`).
    """

    def __init__(self, where: Path | str | URL):
        self.sqlite = isinstance(where, Path) or "://" not in str(where)
        self._depth = 0  # transactions begun and not ended (the outermost one commits)
        if self.sqlite:
            self.path = Path(where)
            self.where = str(self.path)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BriefingError(f"{self.path}: cannot open the store: {exc}") from None
            engine = create_engine(
                URL.create("sqlite", database=str(self.path)),
                poolclass=NullPool,
                isolation_level="AUTOCOMMIT",  # transactions are begun here, by kind
                connect_args={"timeout": 30, "check_same_thread": False},
            )
        else:
            url = make_url(where) if not isinstance(where, URL) else where
            if url.drivername in ("postgresql", "postgres"):
                url = url.set(drivername="postgresql+psycopg")  # SQLAlchemy 2.0 would pick psycopg2
            self.url = url
            # As a user writes it, the password hidden.
            self.where = url.set(drivername="postgresql").render_as_string(hide_password=True)
            try:
                engine = create_engine(
                    url,
                    poolclass=NullPool,
                    isolation_level="AUTOCOMMIT",
                    connect_args={
                        "connect_timeout": 10,
                        # pg_stat_activity names who holds a lock
                        "application_name": f"briefing {socket.gethostname()}:{os.getpid()}",
                    },
                )
            except ImportError:
                raise BriefingError(
                    "database: PostgreSQL needs the psycopg driver: pip install 'briefing[postgresql]'"
                ) from None
        try:
            self.connection = engine.connect()
        except sa_exc.DBAPIError as exc:
            raise BriefingError(f"{self.where}: cannot connect: {_reason(exc)}") from None
        self.engine = engine
        try:
            if self.sqlite:
                self._write_ahead_log()
                self.connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            self._migrate()
        except sa_exc.DBAPIError as exc:
            self.close()
            if self.sqlite:
                raise BriefingError(f"{self.path}: not a briefing store ({_reason(exc)})") from None
            raise BriefingError(f"{self.where}: {_reason(exc)}") from None
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, config: Config) -> Store:
        """The store a config names: `database:` when given, else data_dir/briefing.sqlite3."""
        from briefing.config import database_url

        url = database_url(config)
        if url is None:
            return cls(config.db_path)
        try:
            return cls(url)
        except BriefingError as exc:
            raise BriefingError(f"{config.path.name}: database: {exc}") from None

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int:
        return schema.version(self.connection)

    def _write_ahead_log(self) -> None:
        """WAL mode: readers never wait for the writer, nor it for them.

        Switching a new file to WAL needs it alone, and SQLite answers "locked"
        at once instead of waiting its busy timeout when another command is
        switching it too (two `send`s on a fresh data_dir): so wait here.
        """
        for _ in range(200):
            try:
                self.connection.exec_driver_sql("PRAGMA journal_mode=WAL")
                return
            except sa_exc.OperationalError as exc:
                if "locked" not in str(exc.orig):
                    raise
                time.sleep(0.05)
        self.connection.exec_driver_sql("PRAGMA journal_mode=WAL")

    def _migrate(self) -> None:
        if self.version == SCHEMA_VERSION:
            return
        # Under the write lock (PostgreSQL: an advisory lock), and the version read
        # again: commands opening a new or older store at once migrate it once.
        with self.transaction() as connection:
            schema.migrate(connection, self.where)

    @contextmanager
    def transaction(self, *, keep: bool = True) -> Iterator[Connection]:
        """A unit of work: committed whole or not at all (always rolled back when not `keep`).

        On SQLite it takes the write lock first, so a transaction that reads and
        then writes never finds the file changed under it. A transaction begun
        inside another is part of it (many small writes, one commit).
        """
        connection = self.connection
        if self._depth:
            self._depth += 1
            try:
                yield connection
            finally:
                self._depth -= 1
            return
        connection.exec_driver_sql("BEGIN IMMEDIATE" if self.sqlite else "BEGIN")
        self._depth = 1
        try:
            yield connection
        except BaseException:
            with suppress(sa_exc.DBAPIError):  # the connection failed: the first error says why
                connection.exec_driver_sql("ROLLBACK")
            raise
        finally:
            self._depth = 0
        connection.exec_driver_sql("COMMIT" if keep else "ROLLBACK")

    def insert(self, table):
        """INSERT for this engine: both compile ON CONFLICT (upserts) their own way."""
        return (sqlite if self.sqlite else postgresql).insert(table)

    def serialise(self, connection: Connection, what: str) -> None:
        """Inside a transaction: one at a time across workers (SQLite's write lock already is)."""
        if not self.sqlite:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": _CLASSID, "b": _LOCKS[what]}
            )

    def _all(self, statement) -> list:
        return self.connection.execute(statement).all()

    def _in_chunks(self, build: Callable[[list], Select], ids: Iterable) -> list:
        ids = list(ids)
        rows: list = []
        for i in range(0, len(ids), 500):  # a bounded statement whatever the count
            rows += self._all(build(ids[i : i + 500]))
        return rows

    # -- feeds ------------------------------------------------------------

    def feed_id(self, url: str, name: str, lang: str | None) -> int:
        return self.feed_ids_for([(url, name, lang)])[url]

    def feed_ids_for(self, configured: Iterable[tuple[str, str, str | None]]) -> dict[str, int]:
        """{URL: feed id} of the configured feeds (url, name, lang), stored if new, in one transaction."""
        configured = list(configured)
        with self.transaction() as c:
            for url, name, lang in configured:
                upsert = self.insert(feeds).values(url=url, name=name, lang=lang)
                c.execute(
                    upsert.on_conflict_do_update(
                        index_elements=[feeds.c.url],
                        set_={"name": upsert.excluded.name, "lang": upsert.excluded.lang},
                    )
                )
            rows = c.execute(
                select(feeds.c.url, feeds.c.id).where(
                    feeds.c.url.in_([u for u, _, _ in configured])
                )
            ).all()
        return {row.url: row.id for row in rows}

    def feed_ids(self, urls: Iterable[str]) -> dict[str, int]:
        """{configured URL: feed id} of the feeds already stored."""
        rows = self._in_chunks(
            lambda chunk: select(feeds.c.url, feeds.c.id).where(feeds.c.url.in_(chunk)), urls
        )
        return {row.url: row.id for row in rows}

    def feed_state(self, feed_id: int) -> FeedState:
        return _feed_state(self._all(select(feeds).where(feeds.c.id == feed_id))[0])

    def claim_feeds(
        self,
        ids: list[int],
        holder: str,
        now: datetime,
        until: datetime,
        round_start: datetime,
        alive: Callable[[str], bool] = holder_alive,
    ) -> list[FeedState]:
        """Take the feeds of `ids` no round has fetched since `round_start` and nobody holds.

        Rounds running at once (workers started together) so fetch each feed once.
        """
        return [
            _feed_state(row)
            for row in self._claim(
                feeds,
                select(feeds).where(
                    or_(
                        feeds.c.fetched_at.is_(None),
                        feeds.c.fetched_at < utc_iso(round_start, "microseconds"),
                    )
                ),
                ids,
                holder,
                now,
                until,
                alive,
            )
        ]

    def feeds_held_elsewhere(self, ids: list[int], holder: str) -> list[int]:
        """Of `ids`, the feeds another round holds now."""
        return self._held_elsewhere(feeds, ids, holder)

    def record_feed_attempt(
        self,
        feed_id: int,
        *,
        status: str,
        when: datetime,
        http_status: int | None = None,
        items: int = 0,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        unconditional: bool = False,
        current_url: str | None = None,
    ) -> None:
        """Record one fetch of a feed (and let its claim go); validators are kept when the response has none."""
        done = {
            "last_attempt": utc_iso(when),
            "http_status": http_status,
            "fetched_at": utc_iso(datetime.now(UTC), "microseconds"),
            "claimed_by": None,
            "lease_until": None,
        }
        if status == "error":
            values = {
                **done,
                "status": "error",
                "last_error": error,
                "consecutive_failures": feeds.c.consecutive_failures + 1,
            }
        else:
            values = {
                **done,
                "last_success": utc_iso(when),
                "status": status,
                "items": items,
                "last_error": error,
                "consecutive_failures": 0,
                "etag": func.coalesce(etag, feeds.c.etag),
                "last_modified": func.coalesce(last_modified, feeds.c.last_modified),
                "current_url": func.coalesce(current_url, feeds.c.current_url),
            }
            if unconditional:
                values["last_unconditional"] = utc_iso(when)
        with self.transaction() as c:
            c.execute(update(feeds).where(feeds.c.id == feed_id).values(values))

    def feed_health(self, configured: Iterable[tuple[str, str]]) -> list[FeedHealth]:
        """Health of the configured feeds (url, name), in config order."""
        out = []
        for url, name in configured:
            found = self._all(select(feeds).where(feeds.c.url == url))
            if not found:
                out.append(FeedHealth(url=url, name=name, status="never"))
                continue
            state = _feed_state(found[0])
            waiting = self.connection.execute(
                select(func.count())
                .select_from(articles)
                .where(articles.c.feed_id == state.id, _waiting_for_page())
            ).scalar_one()
            out.append(
                FeedHealth(
                    url=url,
                    name=name,
                    status=state.status,
                    items=state.items,
                    error=state.last_error,
                    http_status=state.http_status,
                    last_attempt=state.last_attempt,
                    last_success=state.last_success,
                    consecutive_failures=state.consecutive_failures,
                    moved_to=state.current_url,
                    pages_waiting=waiting,
                )
            )
        return out

    # -- articles ---------------------------------------------------------

    def add_entries(
        self, feed_id: int, outlet: str, lang: str | None, entries: Iterable[Entry], now: datetime
    ) -> int:
        """Store the entries not seen before; return how many were new.

        An entry whose canonical link is already stored from another feed is
        kept as a duplicate of it (the outlet is recorded, the page is not
        fetched twice); from the same feed it is the same article, skipped.
        Workers add entries one feed at a time, so two feeds carrying one link
        at once still make one original.
        """
        added = 0
        with self.transaction() as c:
            self.serialise(c, "entries")
            for entry in entries:
                link = canonical(entry.url)
                original = c.execute(
                    select(articles.c.id, articles.c.feed_id)
                    .where(articles.c.canonical_url == link, articles.c.duplicate_of.is_(None))
                    .order_by(articles.c.id)
                    .limit(1)
                ).first()
                if original is not None and original.feed_id == feed_id:
                    continue
                result = c.execute(
                    self.insert(articles)
                    .values(
                        url=entry.url,
                        entry_key=entry.key,
                        feed_id=feed_id,
                        outlet=outlet,
                        title=entry.title,
                        summary=entry.summary,
                        feed_content=entry.content,
                        declared_lang=lang,
                        published=utc_iso(entry.published),
                        first_seen=utc_iso(now),
                        canonical_url=link,
                        duplicate_of=original.id if original is not None else None,
                    )
                    .on_conflict_do_nothing()
                    .returning(articles.c.id)
                )
                added += len(result.all())  # rowcount is -1 on PostgreSQL here
        return added

    def articles_to_extract(self) -> list[PendingArticle]:
        """Articles never extracted, and those whose page waits for a later round
        (extract_source 'pending': the feed's text stands in meanwhile)."""
        return [
            _pending(row)
            for row in self._all(
                _pending_select().where(_waiting_for_page()).order_by(articles.c.id)
            )
        ]

    def claim_articles(
        self,
        ids: list[int],
        holder: str,
        now: datetime,
        until: datetime,
        alive: Callable[[str], bool] = holder_alive,
    ) -> list[PendingArticle]:
        """Take the articles of `ids` whose page still waits and that nobody else holds, in that order."""
        rows = self._claim(
            articles, _pending_select().where(_waiting_for_page()), ids, holder, now, until, alive
        )
        return [_pending(row) for row in rows]

    def articles_held_elsewhere(self, ids: list[int], holder: str) -> list[int]:
        """Of `ids`, the articles whose page another worker holds now."""
        return self._held_elsewhere(articles, ids, holder, _waiting_for_page())

    def release_articles(self, holder: str) -> None:
        """Let go of every article `holder` still holds (its round is over)."""
        with self.transaction() as c:
            c.execute(
                update(articles)
                .where(articles.c.claimed_by == holder)
                .values(claimed_by=None, lease_until=None)
            )

    def _claim(self, table, query: Select, ids, holder, now, until, alive) -> list:
        """Rows of `query` among `ids` free for `holder` (claims.is_free), claimed for it until `until`."""
        if not ids:
            return []
        with self.transaction() as c:
            # Another worker's claim in flight is skipped, not waited for; SQLite has one writer.
            candidates = c.execute(
                select(table.c.id, table.c.claimed_by, table.c.lease_until)
                .where(table.c.id.in_(ids), table.c.id.in_(query.with_only_columns(table.c.id)))
                .with_for_update(skip_locked=True)
            ).all()
            free = [
                row.id
                for row in candidates
                if is_free(row.claimed_by, from_iso(row.lease_until), now, holder, alive)
            ]
            if not free:
                return []
            c.execute(
                update(table)
                .where(table.c.id.in_(free))
                .values(claimed_by=holder, lease_until=utc_iso(until))
            )
            rows = c.execute(query.where(table.c.id.in_(free))).all()
        order = {row_id: i for i, row_id in enumerate(ids)}
        return sorted(rows, key=lambda row: order[row.id])

    def _held_elsewhere(self, table, ids, holder, *conditions) -> list[int]:
        if not ids:
            return []
        rows = self._all(
            select(table.c.id).where(
                table.c.id.in_(ids),
                table.c.claimed_by.is_not(None),
                table.c.claimed_by != holder,
                *conditions,
            )
        )
        return [row.id for row in rows]

    def save_extraction(
        self,
        article_id: int,
        *,
        text: str,
        lang: str,
        source: str,
        error: str | None,
        when: datetime,
        published: datetime | None = None,
        author: str | None = None,
        image: str | None = None,
    ) -> None:
        """Store an article's text (and let its claim go); what was derived from an earlier
        text (the feed's, standing in for a pending page) is dropped, to be redone from this one."""
        with self.transaction() as c:
            for table in (analyses, embeddings, sketch_keys, sketches):
                c.execute(delete(table).where(table.c.article_id == article_id))
            c.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(
                    text=text,
                    lang=lang,
                    extract_source=source,
                    extract_error=error,
                    extracted_at=utc_iso(when),
                    published=func.coalesce(articles.c.published, utc_iso(published)),
                    author=author,
                    image=image,
                    claimed_by=None,
                    lease_until=None,
                )
            )

    def articles_by_id(self, article_ids: Iterable[int]) -> list[PendingArticle]:
        rows = self._in_chunks(
            lambda chunk: _pending_select().where(articles.c.id.in_(chunk)), article_ids
        )
        return [_pending(row) for row in rows]

    def article(self, article_id: int) -> PendingArticle | None:
        found = self._all(_pending_select().where(articles.c.id == article_id))
        return _pending(found[0]) if found else None

    def original_with_link(self, link: str, other_than: int) -> int | None:
        """The earliest original article stored under canonical `link`, other than `other_than`."""
        return self.connection.execute(
            select(articles.c.id)
            .where(
                articles.c.canonical_url == link,
                articles.c.duplicate_of.is_(None),
                articles.c.id != other_than,
            )
            .order_by(articles.c.id)
            .limit(1)
        ).scalar()

    def set_canonical(self, article_id: int, link: str) -> None:
        with self.transaction() as c:
            c.execute(
                update(articles).where(articles.c.id == article_id).values(canonical_url=link)
            )

    def mark_duplicate(self, article_id: int, original_id: int) -> None:
        with self.transaction() as c:
            c.execute(
                update(articles).where(articles.c.id == article_id).values(duplicate_of=original_id)
            )
            c.execute(delete(sketch_keys).where(sketch_keys.c.article_id == article_id))

    def save_sketch(self, article_id: int, hashes: list[int], keys: list[int]) -> None:
        upsert = self.insert(sketches).values(article_id=article_id, hashes=json.dumps(hashes))
        with self.transaction() as c:
            c.execute(
                upsert.on_conflict_do_update(
                    index_elements=[sketches.c.article_id], set_={"hashes": upsert.excluded.hashes}
                )
            )
            c.execute(delete(sketch_keys).where(sketch_keys.c.article_id == article_id))
            if keys:
                c.execute(  # one statement of many rows: one round trip to a server
                    sketch_keys.insert().values(
                        [{"key": k, "article_id": article_id} for k in keys]
                    )
                )

    def sketch_candidates(self, keys: list[int], other_than: int) -> list[tuple[int, list[int]]]:
        """Original articles sharing a sketch key with `keys`: (id, sketch), oldest first."""
        if not keys:
            return []
        rows = self._all(
            select(sketches.c.article_id, sketches.c.hashes)
            .distinct()
            .join(sketch_keys, sketch_keys.c.article_id == sketches.c.article_id)
            .join(articles, articles.c.id == sketches.c.article_id)
            .where(
                sketch_keys.c.key.in_(keys),
                sketch_keys.c.article_id != other_than,
                articles.c.duplicate_of.is_(None),
            )
            .order_by(sketches.c.article_id)
        )
        return [(row.article_id, json.loads(row.hashes)) for row in rows]

    def articles_to_analyse(self, version: int) -> list[Article]:
        return [
            _article(row)
            for row in self._all(
                select(articles)
                .outerjoin(analyses, analyses.c.article_id == articles.c.id)
                .where(
                    articles.c.text.is_not(None),
                    or_(analyses.c.article_id.is_(None), analyses.c.version < version),
                )
                .order_by(articles.c.id)
            )
        ]

    def save_analysis(
        self, article_id: int, version: int, analysis: Analysis, when: datetime
    ) -> None:
        body = json.dumps(
            {
                "quotes": [asdict(q) for q in analysis.quotes],
                "figures": [asdict(f) for f in analysis.figures],
                "entities": [asdict(e) for e in analysis.entities],
            },
            ensure_ascii=False,
        )
        upsert = self.insert(analyses).values(
            article_id=article_id,
            version=version,
            lang=analysis.lang,
            body=body,
            analysed_at=utc_iso(when),
        )
        with self.transaction() as c:
            c.execute(
                upsert.on_conflict_do_update(
                    index_elements=[analyses.c.article_id],
                    set_={
                        name: upsert.excluded[name]
                        for name in ("version", "lang", "body", "analysed_at")
                    },
                )
            )

    def articles_between(self, start: datetime, end: datetime) -> list[Article]:
        """Extracted articles whose published time (else first seen) is in [start, end)."""
        when = func.coalesce(articles.c.published, articles.c.first_seen)
        rows = self._all(
            select(articles)
            .where(articles.c.text.is_not(None), when >= utc_iso(start), when < utc_iso(end))
            .order_by(when, articles.c.id)
        )
        return [_article(row) for row in rows]

    def analyses(self, article_ids: Iterable[int]) -> dict[int, Analysis]:
        out = {}
        for row in self._in_chunks(
            lambda chunk: select(analyses).where(analyses.c.article_id.in_(chunk)), article_ids
        ):
            body = json.loads(row.body)
            out[row.article_id] = Analysis(
                lang=row.lang,
                quotes=tuple(Quote(**q) for q in body["quotes"]),
                figures=tuple(Figure(**f) for f in body["figures"]),
                entities=tuple(Entity(**e) for e in body["entities"]),
            )
        return out

    # -- embeddings -------------------------------------------------------

    def vectors(self, article_ids: Iterable[int], model: str) -> dict[int, np.ndarray]:
        rows = self._in_chunks(
            lambda chunk: select(embeddings.c.article_id, embeddings.c.vector).where(
                embeddings.c.model == model, embeddings.c.article_id.in_(chunk)
            ),
            article_ids,
        )
        return {row.article_id: np.frombuffer(row.vector, dtype=np.float32) for row in rows}

    def save_vectors(self, model: str, vectors: dict[int, np.ndarray]) -> None:
        if not vectors:
            return
        upsert = self.insert(embeddings)
        with self.transaction() as c:
            c.execute(
                upsert.on_conflict_do_update(
                    index_elements=[embeddings.c.article_id, embeddings.c.model],
                    set_={"vector": upsert.excluded.vector},
                ),
                [
                    {
                        "article_id": i,
                        "model": model,
                        "vector": np.asarray(v, dtype=np.float32).tobytes(),
                    }
                    for i, v in vectors.items()
                ],
            )

    # -- stories ----------------------------------------------------------

    def previous_edition_time(self, date: str) -> datetime | None:
        """When the latest issue of the same edition before `date` (edition.issue_key) was generated."""
        found = self.connection.execute(
            select(editions.c.generated_at)
            .where(editions.c.date < date, issues_of(editions.c.date, date.rpartition("/")[0]))
            .order_by(editions.c.date.desc())
            .limit(1)
        ).scalar()
        return from_iso(found)

    def story_first_seen(self, story_ids: Iterable[str]) -> dict[str, datetime]:
        rows = self._in_chunks(
            lambda chunk: select(stories.c.id, stories.c.first_seen).where(stories.c.id.in_(chunk)),
            story_ids,
        )
        return {row.id: from_iso(row.first_seen) for row in rows}

    def story_ids(self, article_ids: Iterable[int]) -> dict[int, str]:
        rows = self._in_chunks(
            lambda chunk: select(story_articles).where(story_articles.c.article_id.in_(chunk)),
            article_ids,
        )
        return {row.article_id: row.story_id for row in rows}

    def save_stories(self, found: list[tuple[str, list[int], datetime]]) -> dict[str, datetime]:
        """Attach articles to their stories (creating them), in one transaction.

        `found` holds (story id, article ids, earliest article time); returns
        when each story was first seen.
        """
        if found:
            story = self.insert(stories)
            link = self.insert(story_articles)
            with self.transaction() as c:
                c.execute(
                    story.on_conflict_do_update(
                        index_elements=[stories.c.id],
                        set_={
                            "last_seen": _later(stories.c.last_seen, story.excluded.last_seen),
                            "first_seen": _earlier(stories.c.first_seen, story.excluded.first_seen),
                        },
                    ),
                    [
                        {"id": sid, "key": sid, "first_seen": utc_iso(t), "last_seen": utc_iso(t)}
                        for sid, _, t in found
                    ],
                )
                links = [{"article_id": a, "story_id": sid} for sid, ids, _ in found for a in ids]
                if links:
                    c.execute(
                        link.on_conflict_do_update(
                            index_elements=[story_articles.c.article_id],
                            set_={"story_id": link.excluded.story_id},
                        ),
                        links,
                    )
        return self.story_first_seen(story_id for story_id, _, _ in found)

    # -- editions ---------------------------------------------------------

    def save_edition(
        self,
        date: str,
        generated_at: datetime,
        start: datetime,
        end: datetime,
        files: dict[str, str],
    ) -> None:
        upsert = self.insert(editions).values(
            date=date,
            generated_at=utc_iso(generated_at),
            window_start=utc_iso(start),
            window_end=utc_iso(end),
            files=json.dumps(files),
        )
        with self.transaction() as c:
            c.execute(
                upsert.on_conflict_do_update(
                    index_elements=[editions.c.date],
                    set_={
                        name: upsert.excluded[name]
                        for name in ("generated_at", "window_start", "window_end", "files")
                    },
                )
            )

    def edition_files(self, date: str) -> dict[str, str] | None:
        found = self.connection.execute(
            select(editions.c.files).where(editions.c.date == date)
        ).scalar()
        return json.loads(found) if found else None

    def last_issue(self, edition: str | None) -> Issue | None:
        """The latest built issue of an edition (None: the default one)."""
        found = self.connection.execute(
            select(editions.c.date, editions.c.generated_at)
            .where(issues_of(editions.c.date, edition))
            .order_by(editions.c.date.desc())
            .limit(1)
        ).first()
        return Issue(found.date, from_iso(found.generated_at)) if found else None

    def counts(self) -> dict[str, int]:
        return {
            table.name: self.connection.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
            for table in (feeds, articles, analyses, stories, editions, deliveries)
        }


def issues_of(column, edition: str | None):
    """A condition on an issue-key column: the issues of one edition (None or "": the default one's)."""
    from briefing.edition import DEFAULT_EDITION

    if edition in (None, "", DEFAULT_EDITION):
        return column.not_like("%/%")  # the default edition's keys are bare dates
    # An edition's name is letters, digits, - and _; `_` is LIKE's any-character.
    escaped = edition.replace("_", "\\_")
    return and_(column.like(f"{escaped}/%", escape="\\"), func.length(column) == len(edition) + 11)


def _later(a, b):
    """The later of two ISO times (SQLite's max(a, b) is an aggregate on PostgreSQL)."""
    return case((b > a, b), else_=a)


def _earlier(a, b):
    """The earlier of two ISO times (SQLite's min(a, b) is an aggregate on PostgreSQL)."""
    return case((b < a, b), else_=a)


def _waiting_for_page():
    return or_(articles.c.text.is_(None), articles.c.extract_source == "pending")


def _pending_select() -> Select:
    return select(articles, feeds.c.url.label("feed_url")).join(
        feeds, feeds.c.id == articles.c.feed_id
    )


def _reason(exc: sa_exc.DBAPIError) -> str:
    """The driver's first line: what went wrong, without SQLAlchemy's wrapping."""
    lines = str(exc.orig).strip().splitlines()
    return lines[0] if lines else type(exc.orig).__name__


def _feed_state(row) -> FeedState:
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


def _pending(row) -> PendingArticle:
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


def _article(row) -> Article:
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
