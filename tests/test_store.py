import sqlite3
from datetime import UTC, datetime

import pytest

from briefing.errors import BriefingError
from briefing.models import Analysis, Entry, Figure, Quote
from briefing.store import SCHEMA_VERSION, Store

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
