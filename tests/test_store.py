import sqlite3
from datetime import UTC, datetime

import pytest

from briefing.errors import BriefingError
from briefing.models import Analysis, Entry, Figure, Quote
from briefing.store import SCHEMA_VERSION, Store
from tests.conftest import query

NOW = datetime(2024, 10, 23, 12, tzinfo=UTC)


def test_a_new_store_is_created_at_the_current_schema_version(database):
    with Store(database) as store:
        assert store.version == SCHEMA_VERSION
        assert set(store.counts()) == {
            "feeds",
            "articles",
            "analyses",
            "stories",
            "editions",
            "deliveries",
        }


def test_entries_are_stored_once_and_survive_reopening(database):
    path = database
    entries = [
        Entry(key="k1", url="http://x.org/1", title="One", published=NOW),
        Entry(key="k2", url="http://x.org/2", title="Two"),
    ]
    with Store(path) as store:
        feed = store.feed_id("http://x.org/feed", "X", "en")
        assert store.add_entries(feed, "X", "en", entries, NOW) == 2
        assert store.add_entries(feed, "X", "en", entries, NOW) == 0
    with Store(path) as store:
        assert store.counts()["articles"] == 2
        assert len(store.articles_to_extract()) == 2


def test_analyses_round_trip_and_are_redone_only_for_older_versions(database):
    with Store(database) as store:
        feed = store.feed_id("http://x.org/feed", "X", "ar")
        store.add_entries(
            feed, "X", "ar", [Entry(key="k", url="http://x.org/1", title="T", published=NOW)], NOW
        )
        article_id = store.articles_to_extract()[0].id
        store.save_extraction(article_id, text="نص", lang="ar", source="page", error=None, when=NOW)
        analysis = Analysis(
            lang="ar",
            quotes=(Quote(text="كلام", speaker="أوستن", start=3, end=7),),
            figures=(Figure(value=1500.0, unit="جندي", text="1500 جندي", approx=True),),
        )
        store.save_analysis(article_id, 1, analysis, NOW)
        assert store.analyses([article_id])[article_id] == analysis
        assert store.articles_to_analyse(1) == []
        assert [a.id for a in store.articles_to_analyse(2)] == [article_id]


def test_a_failed_fetch_keeps_validators_and_counts_failures(database):
    with Store(database) as store:
        feed = store.feed_id("http://x.org/feed", "X", None)
        store.record_feed_attempt(feed, status="ok", when=NOW, http_status=200, items=3, etag='"e"')
        store.record_feed_attempt(feed, status="error", when=NOW, http_status=503, error="HTTP 503")
        store.record_feed_attempt(feed, status="error", when=NOW, error="timed out")
        state = store.feed_state(feed)
        assert (state.etag, state.consecutive_failures, state.last_error) == ('"e"', 2, "timed out")
        [health] = store.feed_health([("http://x.org/feed", "X")])
        assert health.status == "error" and health.last_success == NOW


def test_a_store_from_a_newer_briefing_is_refused_untouched(tmp_path):
    path = tmp_path / "b.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(BriefingError, match="newer briefing"):
        Store(path)


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path):
    path = tmp_path / "b.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(BriefingError, match="not a briefing store"):
        Store(path)


def test_a_version_1_store_is_migrated_in_place_keeping_its_articles(tmp_path):
    from briefing.schema import SQLITE_STEPS

    path = tmp_path / "b.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(SQLITE_STEPS[0] + ";PRAGMA user_version=1;")
    db.execute("INSERT INTO feeds (url, name) VALUES ('http://x.org/f', 'X')")
    db.execute(
        "INSERT INTO articles (url, entry_key, feed_id, outlet, title, first_seen, text, lang)"
        " VALUES ('http://x.org/1', 'k', 1, 'X', 'Old', '2024-10-23T12:00:00+00:00', 'Kept text', 'en')"
    )
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION >= 2
        [article] = store.articles_between(NOW.replace(hour=0), NOW.replace(hour=23))
        assert (article.title, article.text, article.duplicate_of) == ("Old", "Kept text", None)


def test_a_version_3_store_upgrades_keeping_every_row_and_each_deliverys_meaning(tmp_path):
    from briefing.deliver.ledger import Ledger
    from briefing.schema import SQLITE_STEPS

    path = tmp_path / "b.sqlite3"
    db = sqlite3.connect(path)
    for step, script in enumerate(SQLITE_STEPS[:3]):
        db.executescript(script + f";PRAGMA user_version={step + 1};")
    db.execute("INSERT INTO feeds (url, name) VALUES ('http://x.org/f', 'X')")
    db.execute(
        "INSERT INTO articles (url, entry_key, feed_id, outlet, title, first_seen, text, lang)"
        " VALUES ('http://x.org/1', 'k', 1, 'X', 'Old', '2024-10-23T12:00:00+00:00', 'Kept text', 'en')"
    )
    db.executemany(
        "INSERT INTO deliveries (edition_date, recipient, message_id, status, attempted_at, sent_at, error)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                "2024-10-22",
                "a@x.org",
                "<1@x.org>",
                "sent",
                "2024-10-22T03:00:00+00:00",
                "2024-10-22T03:00:00+00:00",
                None,
            ),
            (
                "2024-10-22",
                "قارئ <b@x.org>",
                "<2@x.org>",
                "submitting",
                "2024-10-22T03:00:01+00:00",
                None,
                None,
            ),
            (
                "2024-10-22",
                "c@x.org",
                "<3@x.org>",
                "failed",
                "2024-10-22T03:00:02+00:00",
                None,
                "550 no such user",
            ),
            (
                "2024-10-22",
                "d@x.org",
                "<4@x.org>",
                "sending",
                "2024-10-22T03:00:03+00:00",
                None,
                "451 busy",
            ),
            (
                "2024-10-23",
                "a@x.org",
                "<5@x.org>",
                "sent",
                "2024-10-23T03:00:00+00:00",
                "2024-10-23T03:00:00+00:00",
                None,
            ),
        ],
    )
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION == 5
        [article] = store.articles_between(NOW.replace(hour=0), NOW.replace(hour=23))
        assert article.text == "Kept text"
        ledger = Ledger(store)
        assert [
            (d.address, d.recipient, d.message_id, d.state, d.reply)
            for d in ledger.rows("2024-10-22")
        ] == [
            ("a@x.org", "a@x.org", "<1@x.org>", "accepted", None),
            ("b@x.org", "قارئ <b@x.org>", "<2@x.org>", "unknown", None),  # resent once, same id
            ("c@x.org", "c@x.org", "<3@x.org>", "failed", "550 no such user"),
            ("d@x.org", "d@x.org", "<4@x.org>", "pending", "451 busy"),
        ]
        [later] = ledger.rows("2024-10-23")
        assert (later.state, later.accepted_at) == (
            "accepted",
            datetime(2024, 10, 23, 3, tzinfo=UTC),
        )
        assert store.counts()["deliveries"] == 5


def test_commands_opening_a_new_store_at_once_all_open_it(tmp_path):
    import threading

    errors = []
    for trial in range(30):  # each a fresh file: who switches it to WAL and migrates it races
        path, start = tmp_path / f"b{trial}.sqlite3", threading.Barrier(3)

        def open_store(path=path, start=start):
            start.wait()
            try:
                Store(path).close()
            except BriefingError as exc:
                errors.append(str(exc))

        threads = [threading.Thread(target=open_store) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with Store(path) as store:
            assert store.version == SCHEMA_VERSION
    assert errors == []


def test_a_migrated_sqlite_store_has_the_tables_of_a_new_one(tmp_path):
    """Climbing the steps from version 1 and being created from the declarations end the same."""
    from briefing.schema import SQLITE_STEPS

    old = tmp_path / "old.sqlite3"
    db = sqlite3.connect(old)
    db.executescript(SQLITE_STEPS[0] + ";PRAGMA user_version=1;")
    db.close()
    with Store(old) as migrated, Store(tmp_path / "new.sqlite3") as created:
        assert _shape(migrated) == _shape(created)


def test_a_postgresql_store_has_the_tables_and_columns_of_a_sqlite_one(tmp_path, postgres):
    name = postgres.create_database()
    try:
        with Store(postgres.url(name)) as pg, Store(tmp_path / "b.sqlite3") as lite:
            assert pg.version == lite.version == SCHEMA_VERSION
            assert _shape(pg, types=False) == _shape(lite, types=False)
    finally:
        postgres.drop_database(name)


def _shape(store, types: bool = True) -> dict:
    """Each table's columns (name, type, nullable), primary key, indexes and foreign keys."""
    import warnings

    from sqlalchemy import inspect

    inspector = inspect(store.connection)
    shape = {}
    for table in sorted(inspector.get_table_names()):
        if table == "briefing_schema":
            continue
        key = inspector.get_pk_constraint(table)["constrained_columns"]
        with warnings.catch_warnings():  # an index on an expression is not reflected: named below
            warnings.simplefilter("ignore")
            indexes = inspector.get_indexes(table)
        shape[table] = (
            [
                # SQLite lets a PRIMARY KEY column other than INTEGER hold NULL; declared, it may not
                (
                    c["name"],
                    str(c["type"]) if types else None,
                    c["nullable"] and c["name"] not in key,
                )
                for c in inspector.get_columns(table)
            ],
            key,
            # PostgreSQL lists a UNIQUE constraint's index among them, SQLite does not
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in indexes)
            if types
            else None,
            sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            ),
        )
    catalog = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        if store.sqlite
        else "SELECT indexname FROM pg_indexes i WHERE schemaname = 'public'"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    )  # the indexes declared, not those behind a primary key or UNIQUE
    shape["indexes"] = sorted(row[0] for row in query(store, catalog))
    return shape


def test_a_version_4_store_climbs_to_5_keeping_every_row(tmp_path):
    """Today's files (schema 4) open in place: every table's rows kept, readers in their order."""
    from briefing.deliver.ledger import Ledger
    from briefing.schema import SQLITE_STEPS

    path = tmp_path / "b.sqlite3"
    db = sqlite3.connect(path)
    for step, script in enumerate(SQLITE_STEPS[:4]):
        db.executescript(script + f";PRAGMA user_version={step + 1};")
    db.executescript(
        """
        INSERT INTO feeds (url, name, etag, status, items) VALUES ('http://x.org/f', 'X', '"e1"', 'ok', 2);
        INSERT INTO articles (url, entry_key, feed_id, outlet, title, first_seen, text, lang,
            extract_source, canonical_url)
        VALUES ('http://x.org/1', 'k1', 1, 'X', 'One', '2024-10-23T12:00:00+00:00', 'Text one', 'en',
            'page', 'http://x.org/1'),
            ('http://x.org/2', 'k2', 1, 'X', 'Two', '2024-10-23T13:00:00+00:00', NULL, NULL,
            NULL, 'http://x.org/2');
        INSERT INTO analyses VALUES (1, 7, 'en', '{"quotes": [], "figures": [], "entities": []}',
            '2024-10-23T12:01:00+00:00');
        INSERT INTO stories VALUES ('s-1', 's-1', '2024-10-23T12:00:00+00:00', '2024-10-23T12:00:00+00:00');
        INSERT INTO story_articles VALUES (1, 's-1');
        INSERT INTO editions VALUES ('2024-10-24', '2024-10-24T03:00:00+00:00',
            '2024-10-23T03:00:00+00:00', '2024-10-24T03:00:00+00:00', '{"json": "x.json"}');
        INSERT INTO sketches VALUES (1, '[1, 2, 3]');
        INSERT INTO sketch_keys VALUES (9223372036854775807, 1);
        INSERT INTO embeddings VALUES (1, 'use', x'0000803f');
        INSERT INTO deliveries (edition_date, address, recipient, message_id, state, updated_at)
        VALUES ('2024-10-24', 'z@x.org', 'z@x.org', '<1@x>', 'accepted', '2024-10-24T03:00:00+00:00'),
            ('2024-10-24', 'a@x.org', 'A <a@x.org>', '<2@x>', 'pending', '2024-10-24T03:00:00+00:00');
        """
    )
    db.commit()
    before = {
        table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in (
            "feeds",
            "articles",
            "analyses",
            "stories",
            "story_articles",
            "editions",
            "sketches",
            "sketch_keys",
            "embeddings",
            "deliveries",
        )
    }
    db.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION == 5
        for table, rows in before.items():
            width = len(rows[0])
            after = [
                tuple(row)[:width] for row in query(store, f"SELECT * FROM {table} ORDER BY 1")
            ]
            assert after == [tuple(row) for row in rows], table
        assert [d.address for d in Ledger(store).rows("2024-10-24")] == ["z@x.org", "a@x.org"]
        assert [a.id for a in store.articles_to_extract()] == [2]
        assert store.feed_state(1).etag == '"e1"'
        assert store.vectors([1], "use")[1].tolist() == [1.0]


def test_a_postgresql_store_climbs_a_later_step_once_when_opened_at_once(postgres):
    """The runner on PostgreSQL: a step after 5 (as a later release adds) runs once, under its lock."""
    import threading

    from briefing import schema

    name = postgres.create_database()
    steps = [*schema.SQLITE_STEPS, "ALTER TABLE feeds ADD COLUMN note TEXT;"]
    Store(postgres.url(name)).close()
    start, errors = threading.Barrier(4), []

    def climb():
        with Store(postgres.url(name)) as store:
            start.wait()
            try:
                with store.transaction() as connection:
                    schema.migrate(connection, store.where, steps)
            except Exception as exc:  # a step run twice fails: the column exists
                errors.append(exc)

    try:
        threads = [threading.Thread(target=climb) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        import psycopg

        with psycopg.connect(postgres.url(name)) as connection:
            version = connection.execute("SELECT version FROM briefing_schema").fetchall()
            assert version == [(SCHEMA_VERSION + 1,)]
            assert connection.execute("SELECT count(note) FROM feeds").fetchone() == (0,)
    finally:
        postgres.drop_database(name)


def test_a_postgresql_store_from_a_newer_briefing_is_refused_untouched(postgres):
    name = postgres.create_database()
    try:
        with Store(postgres.url(name)) as store:
            store.feed_id("http://x.org/f", "X", None)
            store.connection.exec_driver_sql(
                f"UPDATE briefing_schema SET version = {SCHEMA_VERSION + 1}"
            )
        with pytest.raises(BriefingError, match="newer briefing"):
            Store(postgres.url(name))
        import psycopg

        with psycopg.connect(postgres.url(name)) as connection:
            assert connection.execute("SELECT count(*) FROM feeds").fetchone() == (1,)
            version = connection.execute("SELECT version FROM briefing_schema").fetchone()
            assert version == (SCHEMA_VERSION + 1,)
    finally:
        postgres.drop_database(name)


def _pages(store, count: int) -> list[int]:
    feed = store.feed_id("http://x.org/feed", "X", "en")
    entries = [Entry(key=f"k{n}", url=f"http://x.org/{n}", title=f"T{n}") for n in range(count)]
    store.add_entries(feed, "X", "en", entries, NOW)
    return [a.id for a in store.articles_to_extract()]


def test_a_page_claimed_by_one_worker_is_not_given_to_another_until_its_claim_is_over(database):
    from datetime import timedelta

    lease = NOW + timedelta(minutes=5)
    with Store(database) as store:
        ids = _pages(store, 4)
        first = store.claim_articles(ids[:3], "here:1:a", NOW, lease, alive=lambda h: True)
        second = store.claim_articles(ids, "here:2:b", NOW, lease, alive=lambda h: True)
        assert [a.id for a in first] == ids[:3] and [a.id for a in second] == [ids[3]]
        assert store.articles_held_elsewhere(ids, "here:2:b") == ids[:3]
        # Done: the page is no longer waiting, nobody may take it again.
        store.save_extraction(ids[0], text="t", lang="en", source="page", error=None, when=NOW)
        # Its holder's process gone (on this machine): taken over at once.
        gone = store.claim_articles(ids, "here:2:b", NOW, lease, alive=lambda h: h != "here:1:a")
        assert [a.id for a in gone] == ids[1:]  # the last one it held already
        store.release_articles("here:2:b")
        # Another machine's holder: only when its lease has run out.
        assert store.claim_articles([ids[3]], "there:9:c", NOW, lease, alive=lambda h: True)
        assert not store.claim_articles([ids[3]], "here:3:d", NOW, lease, alive=lambda h: True)
        assert store.claim_articles([ids[3]], "here:3:d", lease, lease, alive=lambda h: True)
        store.release_articles("here:3:d")
        assert store.articles_held_elsewhere(ids, "here:2:b") == []


def test_workers_claiming_pages_at_once_share_them_without_overlap(database):
    import threading
    from datetime import timedelta

    with Store(database) as store:
        ids = _pages(store, 60)
    taken: dict[str, list[int]] = {}
    start = threading.Barrier(4)

    def work(holder: str) -> None:
        with Store(database) as store:
            start.wait()
            mine = taken.setdefault(holder, [])
            for i in range(0, len(ids), 5):
                got = store.claim_articles(ids[i : i + 5], holder, NOW, NOW + timedelta(hours=1))
                mine += [a.id for a in got]

    threads = [threading.Thread(target=work, args=(f"here:{n}:x",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [i for mine in taken.values() for i in mine]
    assert sorted(claimed) == ids  # every page to one worker, none to two


def test_a_feed_fetched_since_a_round_began_is_not_fetched_again_by_it(database):
    from datetime import timedelta

    later = NOW + timedelta(hours=1)
    with Store(database) as store:
        feed = store.feed_id("http://x.org/feed", "X", None)
        round_start = datetime.now(UTC)
        [state] = store.claim_feeds([feed], "here:1:a", NOW, later, round_start)
        assert store.claim_feeds([feed], "here:2:b", NOW, later, round_start) == []
        store.record_feed_attempt(feed, status="ok", when=NOW, http_status=200)
        # A round running beside it (begun before the fetch ended) skips it; the next one does not.
        assert store.claim_feeds([feed], "here:2:b", NOW, later, round_start) == []
        assert [
            s.id for s in store.claim_feeds([feed], "here:3:c", NOW, later, datetime.now(UTC))
        ] == [feed]


def test_a_malformed_database_url_is_a_config_error_naming_the_key(tmp_path):
    from tests.conftest import invoke, write_config

    feed = tmp_path / "feed.xml"
    feed.write_text("<rss><channel><title>t</title></channel></rss>", encoding="utf-8")
    for url, said in [
        ("postgresql://briefing:s3cret@db:notaport/news", "not a URL"),
        ("mysql://db/news", "not a PostgreSQL URL"),
        ("postgresql://briefing@db", "names no database"),
    ]:
        write_config(tmp_path, f"feeds: [{{name: F, url: '{feed}'}}]\ndatabase: '{url}'\n")
        result = invoke("feeds", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("briefing: config.yaml: database: ") and said in line
        assert "s3cret" not in line


def test_an_unreachable_database_is_one_line_naming_the_key_and_an_unset_secret_exits_2(
    tmp_path,
):
    from tests.conftest import invoke, write_config

    feed = tmp_path / "feed.xml"
    feed.write_text("<rss><channel><title>t</title></channel></rss>", encoding="utf-8")
    write_config(
        tmp_path,
        f"feeds: [{{name: F, url: '{feed}'}}]\n"
        "database: 'postgresql://briefing:${PG_PASSWORD}@127.0.0.1:9/news'\n",
    )
    unset = invoke("feeds", cwd=tmp_path)
    assert unset.returncode == 2
    assert unset.stderr.strip() == (
        "briefing: config.yaml: database: environment variable PG_PASSWORD is not set"
    )
    down = invoke("feeds", cwd=tmp_path, env={"PG_PASSWORD": "p@ss/word"})
    assert down.returncode == 1, down.stderr
    [line] = down.stderr.strip().splitlines()
    assert line.startswith(
        "briefing: error: config.yaml: database: postgresql://briefing:***@127.0.0.1:9/news: cannot connect"
    )
    assert "p@ss" not in line
    assert not (tmp_path / ".briefing").exists()  # nothing written beside the config either
