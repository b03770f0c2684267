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

This module holds the connection and what the queries share (transactions,
the upsert, advisory locks, claims); the queries themselves are grouped by
what they read and write: feeds.py, articles.py (and what is derived from an
article's text), stories.py (vectors, stories, editions); rows.py turns rows
into the dataclasses of models.py.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Select, create_engine, func, select, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from briefing import schema
from briefing.claims import is_free
from briefing.errors import BriefingError
from briefing.schema import SCHEMA_VERSION
from briefing.store.articles import ArticleQueries
from briefing.store.feeds import FeedQueries
from briefing.store.rows import driver_reason, from_iso, insert_for, issues_of, utc_iso
from briefing.store.stories import StoryQueries

if TYPE_CHECKING:
    from briefing.config import Config

__all__ = ["SCHEMA_VERSION", "Store", "from_iso", "issues_of", "utc_iso"]

# pg_advisory_xact_lock(classid, objid): "brif" and what is serialised.
_LOCKS = {"entries": 2, "copies": 3}  # what serialise() takes
_CLASSID = 0x62726966


class Store(FeedQueries, ArticleQueries, StoryQueries):
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
            raise BriefingError(f"{self.where}: cannot connect: {driver_reason(exc)}") from None
        self.engine = engine
        try:
            if self.sqlite:
                self._write_ahead_log()
                self.connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            self._migrate()
        except sa_exc.DBAPIError as exc:
            self.close()
            if self.sqlite:
                raise BriefingError(
                    f"{self.path}: not a briefing store ({driver_reason(exc)})"
                ) from None
            raise BriefingError(f"{self.where}: {driver_reason(exc)}") from None
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
        """INSERT for this engine (rows.insert_for)."""
        return insert_for(self.sqlite, table)

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

    def counts(self) -> dict[str, int]:
        return {
            table.name: self.connection.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
            # schema's tables by name: the submodules feeds, articles, stories shadow them here
            for table in (
                schema.feeds,
                schema.articles,
                schema.analyses,
                schema.stories,
                schema.editions,
                schema.deliveries,
            )
        }
