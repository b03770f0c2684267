"""The embedded store: one SQLite file in data_dir, with a versioned schema.

Every stage reads its input here and writes its output here, so a build that
crashed resumes where it stopped and a rebuild does only the new work. Times
are stored as ISO-8601 UTC strings.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from briefing.edition import issues_glob
from briefing.errors import BriefingError
from briefing.ingest.urls import canonical
from briefing.models import Analysis, Article, Entity, Entry, FeedHealth, Figure, Quote

# Each step takes the schema from version N to N+1; never edit a released step,
# append a new one. PRAGMA user_version holds the version a file is at.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,          -- as configured
        current_url TEXT,                  -- after permanent redirects
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
        url TEXT NOT NULL UNIQUE,          -- the link as the feed gave it
        entry_key TEXT NOT NULL,
        feed_id INTEGER NOT NULL REFERENCES feeds(id),
        outlet TEXT NOT NULL,
        title TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        feed_content TEXT NOT NULL DEFAULT '',
        declared_lang TEXT,
        published TEXT,
        first_seen TEXT NOT NULL,
        text TEXT,                         -- NULL until extracted
        lang TEXT,
        extracted_at TEXT,
        extract_source TEXT,               -- page | feed
        extract_error TEXT                 -- why the page was not used
    );
    CREATE UNIQUE INDEX articles_entry ON articles(feed_id, entry_key);
    CREATE INDEX articles_when ON articles(coalesce(published, first_seen));
    CREATE TABLE analyses (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        lang TEXT NOT NULL,
        body TEXT NOT NULL,                -- JSON: quotes, figures, entities
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
        files TEXT NOT NULL                -- JSON: format -> path
    );
    CREATE TABLE deliveries (
        edition_date TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL,
        status TEXT NOT NULL,              -- sending | sent | failed
        attempted_at TEXT NOT NULL,
        sent_at TEXT,
        error TEXT,
        PRIMARY KEY (edition_date, recipient)
    );
    """,
    # 2: canonical URLs, page metadata, and duplicates (same link or same wire copy).
    """
    ALTER TABLE articles ADD COLUMN canonical_url TEXT;
    ALTER TABLE articles ADD COLUMN author TEXT;
    ALTER TABLE articles ADD COLUMN image TEXT;
    ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id);
    CREATE INDEX articles_canonical ON articles(canonical_url);
    CREATE TABLE sketches (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        hashes TEXT NOT NULL               -- JSON list: bottom-k MinHash of the text
    );
    CREATE TABLE sketch_keys (
        key INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    CREATE INDEX sketch_keys_key ON sketch_keys(key);
    """,
    # 3: sentence embeddings for story clustering, per model.
    """
    CREATE TABLE embeddings (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,              -- float32, unit length
        PRIMARY KEY (article_id, model)
    );
    """,
    # 4: deliveries keyed by mailbox, with claims and leases (deliver/ledger.py).
    # Old states map to new ones: sent -> accepted, submitting (a crash during
    # DATA) -> unknown (resent once), sending -> pending. Two old rows of one
    # mailbox (written two ways) become one, keeping the accepted one.
    """
    ALTER TABLE deliveries RENAME TO deliveries_v3;
    CREATE TABLE deliveries (
        edition_date TEXT NOT NULL,
        address TEXT NOT NULL,             -- the mailbox: no display name, domain in lower case
        recipient TEXT NOT NULL,           -- as first written (the header shows it)
        message_id TEXT NOT NULL,          -- kept, so a resend carries the same one
        state TEXT NOT NULL,               -- pending | claimed | accepted | unknown | failed
        attempts INTEGER NOT NULL DEFAULT 0,
        resends INTEGER NOT NULL DEFAULT 0,  -- copies sent again after an unknown outcome
        claimed_by TEXT,                   -- host:pid:nonce of the run holding the claim
        lease_until TEXT,                  -- the claim lapses then, or when its process is gone
        data_at TEXT,                      -- while claimed: when the message began to go over
        reply TEXT,                        -- the server's last words
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
]
SCHEMA_VERSION = len(MIGRATIONS)


def utc_iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    """All reads and writes of the SQLite file; one instance per command."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise BriefingError(f"{self.path}: cannot open the store: {exc}") from None
        self.db.row_factory = sqlite3.Row
        try:
            self._write_ahead_log()
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise BriefingError(f"{self.path}: not a briefing store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _write_ahead_log(self) -> None:
        """WAL mode: readers never wait for the writer, nor it for them.

        Switching a new file to WAL needs it alone, and SQLite answers "locked"
        at once instead of waiting its busy timeout when another command is
        switching it too (two `send`s on a fresh data_dir): so wait here.
        """
        for _ in range(200):
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.05)
        self.db.execute("PRAGMA journal_mode=WAL")

    def _migrate(self) -> None:
        if self.version == SCHEMA_VERSION:
            return
        # Under the write lock, and the version read again: two commands opening
        # a new or older store at once (two `send`s) migrate it once, not twice.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            current = self.version
            if current > SCHEMA_VERSION:
                raise BriefingError(
                    f"{self.path}: written by a newer briefing (schema {current} > {SCHEMA_VERSION}); upgrade briefing"
                )
            for step in range(current, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[step]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={step + 1}")
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A unit of work: committed whole or not at all."""
        try:
            yield self.db
        except BaseException:
            self.db.rollback()
            raise
        else:
            self.db.commit()

    # -- feeds ------------------------------------------------------------

    def feed_id(self, url: str, name: str, lang: str | None) -> int:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO feeds (url, name, lang) VALUES (?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET name=excluded.name, lang=excluded.lang",
                (url, name, lang),
            )
            return db.execute("SELECT id FROM feeds WHERE url=?", (url,)).fetchone()[0]

    def feed_ids(self, urls: Iterable[str]) -> dict[str, int]:
        """{configured URL: feed id} of the feeds already stored."""
        rows = self._rows_for_ids("SELECT url, id FROM feeds WHERE url IN ({})", urls)
        return {row[0]: row[1] for row in rows}

    def feed_row(self, feed_id: int) -> sqlite3.Row:
        return self.db.execute("SELECT * FROM feeds WHERE id=?", (feed_id,)).fetchone()

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
        """Record one fetch of a feed; validators are kept when the response has none."""
        with self.transaction() as db:
            if status == "error":
                db.execute(
                    "UPDATE feeds SET last_attempt=?, http_status=?, status='error', last_error=?,"
                    " consecutive_failures=consecutive_failures+1 WHERE id=?",
                    (utc_iso(when), http_status, error, feed_id),
                )
                return
            db.execute(
                "UPDATE feeds SET last_attempt=?, last_success=?, http_status=?, status=?, items=?,"
                " last_error=?, consecutive_failures=0,"
                " etag=coalesce(?, etag), last_modified=coalesce(?, last_modified),"
                " last_unconditional=CASE WHEN ? THEN ? ELSE last_unconditional END,"
                " current_url=coalesce(?, current_url) WHERE id=?",
                (
                    utc_iso(when),
                    utc_iso(when),
                    http_status,
                    status,
                    items,
                    error,
                    etag,
                    last_modified,
                    unconditional,
                    utc_iso(when),
                    current_url,
                    feed_id,
                ),
            )

    def feed_health(self, feeds: Iterable[tuple[str, str]]) -> list[FeedHealth]:
        """Health of the configured feeds (url, name), in config order."""
        out = []
        for url, name in feeds:
            row = self.db.execute("SELECT * FROM feeds WHERE url=?", (url,)).fetchone()
            if row is None:
                out.append(FeedHealth(url=url, name=name, status="never"))
                continue
            out.append(
                FeedHealth(
                    url=url,
                    name=name,
                    status=row["status"],
                    items=row["items"],
                    error=row["last_error"],
                    http_status=row["http_status"],
                    last_attempt=from_iso(row["last_attempt"]),
                    last_success=from_iso(row["last_success"]),
                    consecutive_failures=row["consecutive_failures"],
                    moved_to=row["current_url"],
                    pages_waiting=self.db.execute(
                        "SELECT count(*) FROM articles WHERE feed_id=?"
                        " AND (text IS NULL OR extract_source='pending')",
                        (row["id"],),
                    ).fetchone()[0],
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
        """
        added = 0
        with self.transaction() as db:
            for entry in entries:
                link = canonical(entry.url)
                original = db.execute(
                    "SELECT id, feed_id FROM articles WHERE canonical_url=? AND duplicate_of IS NULL"
                    " ORDER BY id LIMIT 1",
                    (link,),
                ).fetchone()
                if original is not None and original["feed_id"] == feed_id:
                    continue
                cursor = db.execute(
                    "INSERT OR IGNORE INTO articles (url, entry_key, feed_id, outlet, title, summary,"
                    " feed_content, declared_lang, published, first_seen, canonical_url, duplicate_of)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry.url,
                        entry.key,
                        feed_id,
                        outlet,
                        entry.title,
                        entry.summary,
                        entry.content,
                        lang,
                        utc_iso(entry.published),
                        utc_iso(now),
                        link,
                        original["id"] if original is not None else None,
                    ),
                )
                added += cursor.rowcount
        return added

    def articles_to_extract(self) -> list[sqlite3.Row]:
        """Articles never extracted, and those whose page waits for a later round
        (extract_source 'pending': the feed's text stands in meanwhile)."""
        return self.db.execute(
            "SELECT a.*, f.url AS feed_url FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " WHERE a.text IS NULL OR a.extract_source = 'pending' ORDER BY a.id"
        ).fetchall()

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
        """Store an article's text; what was derived from an earlier text (the feed's,
        standing in for a pending page) is dropped, to be redone from this one."""
        with self.transaction() as db:
            for table in ("analyses", "embeddings", "sketch_keys", "sketches"):
                db.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
            db.execute(
                "UPDATE articles SET text=?, lang=?, extract_source=?, extract_error=?, extracted_at=?,"
                " published=coalesce(published, ?), author=?, image=? WHERE id=?",
                (
                    text,
                    lang,
                    source,
                    error,
                    utc_iso(when),
                    utc_iso(published),
                    author,
                    image,
                    article_id,
                ),
            )

    def article_row(self, article_id: int) -> sqlite3.Row:
        return self.db.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()

    def original_with_link(self, link: str, other_than: int) -> int | None:
        """The earliest original article stored under canonical `link`, other than `other_than`."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE canonical_url=? AND duplicate_of IS NULL AND id<>? ORDER BY id LIMIT 1",
            (link, other_than),
        ).fetchone()
        return row[0] if row else None

    def set_canonical(self, article_id: int, link: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE articles SET canonical_url=? WHERE id=?", (link, article_id))

    def mark_duplicate(self, article_id: int, original_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE articles SET duplicate_of=? WHERE id=?", (original_id, article_id))
            db.execute("DELETE FROM sketch_keys WHERE article_id=?", (article_id,))

    def save_sketch(self, article_id: int, hashes: list[int], keys: list[int]) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO sketches (article_id, hashes) VALUES (?, ?)",
                (article_id, json.dumps(hashes)),
            )
            db.execute("DELETE FROM sketch_keys WHERE article_id=?", (article_id,))
            db.executemany(
                "INSERT INTO sketch_keys (key, article_id) VALUES (?, ?)",
                [(k, article_id) for k in keys],
            )

    def sketch_candidates(self, keys: list[int], other_than: int) -> list[tuple[int, list[int]]]:
        """Original articles sharing a sketch key with `keys`: (id, sketch), oldest first."""
        if not keys:
            return []
        rows = self.db.execute(
            "SELECT DISTINCT s.article_id, s.hashes FROM sketch_keys k JOIN sketches s ON s.article_id = k.article_id"
            " JOIN articles a ON a.id = s.article_id"
            f" WHERE k.key IN ({','.join('?' * len(keys))}) AND k.article_id<>? AND a.duplicate_of IS NULL"
            " ORDER BY s.article_id",
            (*keys, other_than),
        ).fetchall()
        return [(row[0], json.loads(row[1])) for row in rows]

    def articles_to_analyse(self, version: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT a.id, a.url, a.text, a.lang FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
            " WHERE a.text IS NOT NULL AND (n.article_id IS NULL OR n.version < ?) ORDER BY a.id",
            (version,),
        ).fetchall()

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
        with self.transaction() as db:
            db.execute(
                "INSERT INTO analyses (article_id, version, lang, body, analysed_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(article_id) DO UPDATE SET version=excluded.version, lang=excluded.lang,"
                " body=excluded.body, analysed_at=excluded.analysed_at",
                (article_id, version, analysis.lang, body, utc_iso(when)),
            )

    def articles_between(self, start: datetime, end: datetime) -> list[Article]:
        """Extracted articles whose published time (else first seen) is in [start, end)."""
        rows = self.db.execute(
            "SELECT * FROM articles WHERE text IS NOT NULL"
            " AND coalesce(published, first_seen) >= ? AND coalesce(published, first_seen) < ?"
            " ORDER BY coalesce(published, first_seen), id",
            (utc_iso(start), utc_iso(end)),
        ).fetchall()
        return [_article(row) for row in rows]

    def analyses(self, article_ids: Iterable[int]) -> dict[int, Analysis]:
        out = {}
        for row in self._rows_for_ids(
            "SELECT * FROM analyses WHERE article_id IN ({})", article_ids
        ):
            body = json.loads(row["body"])
            out[row["article_id"]] = Analysis(
                lang=row["lang"],
                quotes=tuple(Quote(**q) for q in body["quotes"]),
                figures=tuple(Figure(**f) for f in body["figures"]),
                entities=tuple(Entity(**e) for e in body["entities"]),
            )
        return out

    def _rows_for_ids(self, sql: str, ids: Iterable[int], leading: tuple = ()) -> list[sqlite3.Row]:
        ids = list(ids)
        rows: list[sqlite3.Row] = []
        for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[i : i + 500]
            rows += self.db.execute(
                sql.format(",".join("?" * len(chunk))), (*leading, *chunk)
            ).fetchall()
        return rows

    # -- embeddings -------------------------------------------------------

    def vectors(self, article_ids: Iterable[int], model: str) -> dict[int, np.ndarray]:
        rows = self._rows_for_ids(
            "SELECT article_id, vector FROM embeddings WHERE model=? AND article_id IN ({})",
            article_ids,
            (model,),
        )
        return {row[0]: np.frombuffer(row[1], dtype=np.float32) for row in rows}

    def save_vectors(self, model: str, vectors: dict[int, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings (article_id, model, vector) VALUES (?, ?, ?)",
                [(i, model, np.asarray(v, dtype=np.float32).tobytes()) for i, v in vectors.items()],
            )

    # -- stories ----------------------------------------------------------

    def previous_edition_time(self, date: str) -> datetime | None:
        """When the latest issue of the same edition before `date` (edition.issue_key) was generated."""
        row = self.db.execute(
            "SELECT generated_at FROM editions WHERE date < ? AND date GLOB ?"
            " ORDER BY date DESC LIMIT 1",
            (date, issues_glob(date.rpartition("/")[0] or None)),
        ).fetchone()
        return from_iso(row[0]) if row else None

    def story_first_seen(self, story_ids: Iterable[str]) -> dict[str, datetime]:
        rows = self._rows_for_ids("SELECT id, first_seen FROM stories WHERE id IN ({})", story_ids)
        return {row[0]: from_iso(row[1]) for row in rows}

    def story_ids(self, article_ids: Iterable[int]) -> dict[int, str]:
        rows = self._rows_for_ids(
            "SELECT * FROM story_articles WHERE article_id IN ({})", article_ids
        )
        return {row["article_id"]: row["story_id"] for row in rows}

    def save_stories(self, stories: list[tuple[str, list[int], datetime]]) -> dict[str, datetime]:
        """Attach articles to their stories (creating them), in one transaction.

        `stories` holds (story id, article ids, earliest article time); returns
        when each story was first seen.
        """
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO stories (id, key, first_seen, last_seen) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET last_seen=max(last_seen, excluded.last_seen),"
                " first_seen=min(first_seen, excluded.first_seen)",
                [
                    (story_id, story_id, utc_iso(seen), utc_iso(seen))
                    for story_id, _, seen in stories
                ],
            )
            db.executemany(
                "INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)"
                " ON CONFLICT(article_id) DO UPDATE SET story_id=excluded.story_id",
                [(article_id, story_id) for story_id, ids, _ in stories for article_id in ids],
            )
        return self.story_first_seen(story_id for story_id, _, _ in stories)

    # -- editions ---------------------------------------------------------

    def save_edition(
        self,
        date: str,
        generated_at: datetime,
        start: datetime,
        end: datetime,
        files: dict[str, str],
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO editions (date, generated_at, window_start, window_end, files)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(date) DO UPDATE SET generated_at=excluded.generated_at,"
                " window_start=excluded.window_start, window_end=excluded.window_end, files=excluded.files",
                (date, utc_iso(generated_at), utc_iso(start), utc_iso(end), json.dumps(files)),
            )

    def edition_files(self, date: str) -> dict[str, str] | None:
        row = self.db.execute("SELECT files FROM editions WHERE date=?", (date,)).fetchone()
        return json.loads(row[0]) if row else None

    def last_issue(self, edition: str | None) -> sqlite3.Row | None:
        """The latest built issue of an edition (None: the default one): date (its key), generated_at."""
        return self.db.execute(
            "SELECT date, generated_at FROM editions WHERE date GLOB ? ORDER BY date DESC LIMIT 1",
            (issues_glob(edition),),
        ).fetchone()

    def counts(self) -> dict[str, int]:
        return {
            table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("feeds", "articles", "analyses", "stories", "editions", "deliveries")
        }


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration one by one (executescript would commit before each script)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        outlet=row["outlet"],
        lang=row["lang"] or row["declared_lang"] or "und",
        text=row["text"] or "",
        published=from_iso(row["published"]),
        first_seen=from_iso(row["first_seen"]),
        duplicate_of=row["duplicate_of"],
        feed_id=row["feed_id"],
    )
