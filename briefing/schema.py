"""The store's tables, declared once for both engines, and how a store reaches this version.

A new store, SQLite or PostgreSQL, is created from the declarations below at
the current version. An older SQLite file climbs the versioned steps: steps
1-5 are SQLite's own SQL (they only ever meet files written before
PostgreSQL was supported, from version 5 on), and every later step must be
SQL both engines run. SQLite keeps the version in `PRAGMA user_version` (as
every older file does), PostgreSQL in the one-row table `briefing_schema`.

Measured against Alembic for the same work: Alembic would add two packages
(alembic and Mako), an env.py, a versions folder, a stamp for every existing
file at version 4, and SQLite's batch mode for each ALTER; this runner is
about forty lines and the steps stay plain SQL next to the tables they change.

Times are ISO-8601 UTC text on both engines (they compare as text in one
format); ids are INTEGER, sketch keys (63-bit hashes) BIGINT on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    text,
)

from briefing.errors import BriefingError

metadata = MetaData()

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),  # as configured
    Column("current_url", Text),  # after permanent redirects
    Column("name", Text, nullable=False),
    Column("lang", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_attempt", Text),
    Column("last_success", Text),
    Column("last_unconditional", Text),
    Column("http_status", Integer),
    Column("status", Text, nullable=False, server_default="never"),
    Column("items", Integer, nullable=False, server_default="0"),
    Column("consecutive_failures", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    # 5: rounds running at once (several workers) fetch a feed once.
    Column("claimed_by", Text),  # host:pid:nonce of the round fetching it now
    Column("lease_until", Text),  # the claim lapses then, or when its process is gone
    Column("fetched_at", Text),  # when its last fetch ended, to the microsecond
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),  # the link as the feed gave it
    Column("entry_key", Text, nullable=False),
    Column("feed_id", Integer, ForeignKey("feeds.id"), nullable=False),
    Column("outlet", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False, server_default=""),
    Column("feed_content", Text, nullable=False, server_default=""),
    Column("declared_lang", Text),
    Column("published", Text),
    Column("first_seen", Text, nullable=False),
    Column("text", Text),  # NULL until extracted
    Column("lang", Text),
    Column("extracted_at", Text),
    Column("extract_source", Text),  # page | feed | copy | pending
    Column("extract_error", Text),  # why the page was not used
    # 2: canonical links, page metadata, and copies (same link or same wire text).
    Column("canonical_url", Text),
    Column("author", Text),
    Column("image", Text),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),
    # 5: a page is fetched by one worker at a time.
    Column("claimed_by", Text),
    Column("lease_until", Text),
)
Index("articles_entry", articles.c.feed_id, articles.c.entry_key, unique=True)
Index("articles_when", func.coalesce(articles.c.published, articles.c.first_seen))
Index("articles_canonical", articles.c.canonical_url)


def _article_key() -> Column:
    """The key of a table that holds one row per article, gone with its article."""
    return Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )


analyses = Table(
    "analyses",
    metadata,
    _article_key(),
    Column("version", Integer, nullable=False),
    Column("lang", Text, nullable=False),
    Column("body", Text, nullable=False),  # JSON: quotes, figures, entities
    Column("analysed_at", Text, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Text, primary_key=True),
    Column("key", Text, nullable=False),
    Column("first_seen", Text, nullable=False),
    Column("last_seen", Text, nullable=False),
)

story_articles = Table(
    "story_articles",
    metadata,
    _article_key(),
    Column("story_id", Text, ForeignKey("stories.id"), nullable=False),
)
Index("story_articles_story", story_articles.c.story_id)

editions = Table(
    "editions",
    metadata,
    Column("date", Text, primary_key=True),  # edition.issue_key: the date, or <edition>/<date>
    Column("generated_at", Text, nullable=False),
    Column("window_start", Text, nullable=False),
    Column("window_end", Text, nullable=False),
    Column("files", Text, nullable=False),  # JSON: format -> path
)

# 4: deliveries keyed by mailbox, with claims and leases (deliver/ledger.py).
deliveries = Table(
    "deliveries",
    metadata,
    Column("edition_date", Text, nullable=False),
    Column("address", Text, nullable=False),  # the mailbox: no display name, domain in lower case
    Column("recipient", Text, nullable=False),  # as first written (the header shows it)
    Column("message_id", Text, nullable=False),  # kept, so a resend carries the same one
    Column("state", Text, nullable=False),  # pending | claimed | accepted | unknown | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("resends", Integer, nullable=False, server_default="0"),
    Column("claimed_by", Text),  # host:pid:nonce of the run holding the claim
    Column("lease_until", Text),  # the claim lapses then, or when its process is gone
    Column("data_at", Text),  # while claimed: when the message began to go over
    Column("reply", Text),  # the server's last words
    Column("updated_at", Text, nullable=False),
    Column("accepted_at", Text),
    # 5: the reader's place in the list it was first written in (PostgreSQL has no rowid).
    Column("position", Integer, nullable=False, server_default="0"),
    PrimaryKeyConstraint("edition_date", "address"),
)

sketches = Table(
    "sketches",
    metadata,
    _article_key(),
    Column("hashes", Text, nullable=False),  # JSON list: bottom-k MinHash of the text
)

sketch_keys = Table(
    "sketch_keys",
    metadata,
    # 63-bit hashes: SQLite's INTEGER holds them, PostgreSQL's needs BIGINT.
    Column("key", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
)
Index("sketch_keys_key", sketch_keys.c.key)

# 3: sentence embeddings for story clustering, per model.
embeddings = Table(
    "embeddings",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("model", Text, nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float32, unit length
    PrimaryKeyConstraint("article_id", "model"),
)

# Steps that take a SQLite file from version N to N+1; never edit a released
# step, append a new one (in SQL both engines run: PostgreSQL stores start at 5).
SQLITE_STEPS: list[str] = [
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        current_url TEXT,
        name TEXT NOT NULL,
        lang TEXT,
        etag TEXT,
        last_modified TEXT,
        last_attempt TEXT,
        last_success TEXT,
        last_unconditional TEXT,
        http_status INTEGER,
        status TEXT NOT NULL DEFAULT 'never',
        items INTEGER NOT NULL DEFAULT 0,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        entry_key TEXT NOT NULL,
        feed_id INTEGER NOT NULL REFERENCES feeds(id),
        outlet TEXT NOT NULL,
        title TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        feed_content TEXT NOT NULL DEFAULT '',
        declared_lang TEXT,
        published TEXT,
        first_seen TEXT NOT NULL,
        text TEXT,
        lang TEXT,
        extracted_at TEXT,
        extract_source TEXT,
        extract_error TEXT
    );
    CREATE UNIQUE INDEX articles_entry ON articles(feed_id, entry_key);
    CREATE INDEX articles_when ON articles(coalesce(published, first_seen));
    CREATE TABLE analyses (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        lang TEXT NOT NULL,
        body TEXT NOT NULL,
        analysed_at TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE story_articles (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories(id)
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE editions (
        date TEXT PRIMARY KEY,
        generated_at TEXT NOT NULL,
        window_start TEXT NOT NULL,
        window_end TEXT NOT NULL,
        files TEXT NOT NULL
    );
    CREATE TABLE deliveries (
        edition_date TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL,
        status TEXT NOT NULL,
        attempted_at TEXT NOT NULL,
        sent_at TEXT,
        error TEXT,
        PRIMARY KEY (edition_date, recipient)
    );
    """,
    """
    ALTER TABLE articles ADD COLUMN canonical_url TEXT;
    ALTER TABLE articles ADD COLUMN author TEXT;
    ALTER TABLE articles ADD COLUMN image TEXT;
    ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id);
    CREATE INDEX articles_canonical ON articles(canonical_url);
    CREATE TABLE sketches (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        hashes TEXT NOT NULL
    );
    CREATE TABLE sketch_keys (
        key INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    CREATE INDEX sketch_keys_key ON sketch_keys(key);
    """,
    """
    CREATE TABLE embeddings (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (article_id, model)
    );
    """,
    # Old delivery states map to new ones: sent -> accepted, submitting (a crash
    # during DATA) -> unknown (resent once), sending -> pending. Two old rows of
    # one mailbox (written two ways) become one, keeping the accepted one.
    """
    ALTER TABLE deliveries RENAME TO deliveries_v3;
    CREATE TABLE deliveries (
        edition_date TEXT NOT NULL,
        address TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        resends INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT,
        lease_until TEXT,
        data_at TEXT,
        reply TEXT,
        updated_at TEXT NOT NULL,
        accepted_at TEXT,
        PRIMARY KEY (edition_date, address)
    );
    INSERT OR IGNORE INTO deliveries
        (edition_date, address, recipient, message_id, state, attempts, reply, updated_at, accepted_at)
    SELECT edition_date,
        CASE WHEN instr(recipient, '<') > 0
            THEN trim(substr(recipient, instr(recipient, '<') + 1), '> ')
            ELSE trim(recipient) END,
        recipient, message_id,
        CASE status WHEN 'sent' THEN 'accepted' WHEN 'submitting' THEN 'unknown'
            WHEN 'failed' THEN 'failed' ELSE 'pending' END,
        1, error, attempted_at, sent_at
    FROM deliveries_v3 ORDER BY status = 'sent' DESC, attempted_at;
    DROP TABLE deliveries_v3;
    """,
    # 5: claims and leases on feeds and pages (several workers on one store), and
    # each reader's place kept in a column, which PostgreSQL (no rowid) needs too.
    """
    ALTER TABLE feeds ADD COLUMN claimed_by TEXT;
    ALTER TABLE feeds ADD COLUMN lease_until TEXT;
    ALTER TABLE feeds ADD COLUMN fetched_at TEXT;
    ALTER TABLE articles ADD COLUMN claimed_by TEXT;
    ALTER TABLE articles ADD COLUMN lease_until TEXT;
    ALTER TABLE deliveries ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
    UPDATE deliveries SET position = rowid;
    """,
]
SCHEMA_VERSION = len(SQLITE_STEPS)
FIRST_SHARED = 5  # PostgreSQL stores start at this version; steps after it run on both engines

_MIGRATION_LOCK = (0x62726966, 1)  # pg_advisory_xact_lock(classid, objid): "brif", migrations


def version(connection: Connection) -> int:
    """The version the store is at; 0 for an empty database."""
    if connection.dialect.name == "sqlite":
        return connection.exec_driver_sql("PRAGMA user_version").scalar_one()
    if connection.exec_driver_sql("SELECT to_regclass('briefing_schema')").scalar() is None:
        return 0
    return connection.exec_driver_sql("SELECT version FROM briefing_schema").scalar_one()


def _set_version(connection: Connection, number: int) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA user_version={int(number)}")
        return
    connection.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS briefing_schema (version INTEGER NOT NULL)"
    )
    connection.exec_driver_sql("DELETE FROM briefing_schema")
    connection.execute(text("INSERT INTO briefing_schema (version) VALUES (:v)"), {"v": number})


def migrate(connection: Connection, where: str, steps: list[str] | None = None) -> None:
    """Bring the store to the current version, once, however many commands open it at once.

    The caller has begun a write transaction (SQLite: BEGIN IMMEDIATE) and commits it;
    `steps` replaces the list of steps (tests of the runner on PostgreSQL).
    """
    steps = SQLITE_STEPS if steps is None else steps
    if connection.dialect.name != "sqlite":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:a, :b)"),
            dict(zip("ab", _MIGRATION_LOCK, strict=True)),
        )
    current = version(connection)
    if current > len(steps):
        raise BriefingError(
            f"{where}: written by a newer briefing (schema {current} > {len(steps)}); upgrade briefing"
        )
    if current == len(steps):
        return
    if current == 0:
        metadata.create_all(connection)
        current = SCHEMA_VERSION
    elif current < FIRST_SHARED and connection.dialect.name != "sqlite":
        raise BriefingError(f"{where}: schema {current} is not a PostgreSQL store of briefing")
    for step in range(current, len(steps)):
        for statement in _statements(steps[step]):
            connection.exec_driver_sql(statement)
    _set_version(connection, len(steps))


def _statements(script: str) -> Iterator[str]:
    """A step's statements one by one (SQLite's executescript would commit before it)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if pending.strip():
        yield pending
