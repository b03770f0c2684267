"""Stalls: a server that drips its answer, or a slow site, cannot hold up the edition."""

import json
import multiprocessing
import time
from datetime import date, timedelta

import pytest

from briefing import config, pipeline
from briefing.config import FetchConfig
from briefing.errors import FetchError
from briefing.ingest.collect import fetch_round
from briefing.ingest.http import HttpClient
from briefing.progress import Progress
from briefing.store import Store
from tests.conftest import article_page, query, rss, write_config
from tests.hostile.conftest import DAY, report_site


def test_headers_dripped_one_byte_at_a_time_end_at_the_request_deadline(drip):
    with HttpClient(FetchConfig(timeout=1, retries=0)) as client:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out after 1s"):
            client.get(drip.url("/feed.xml"))
        assert time.monotonic() - started < 3  # a per-read timeout would wait forever


def test_build_beside_a_dripping_feed_writes_the_edition_and_names_that_feed(tmp_path, web, drip):
    fair = report_site(web, 2)
    cfg = config.load(
        write_config(
            tmp_path,
            f'feeds:\n  - {{name: Drip, url: "{drip.url("/feed.xml")}"}}\n'
            f'  - {{name: Fair, url: "{fair}"}}\n'
            "fetch: {allow_private_networks: true, timeout: 1, retries: 0, host_delay: 0}\n",
        ),
        environ={},
    )
    written = pipeline.build(cfg, date.fromisoformat(DAY), timedelta(hours=24), formats=("json",))
    edition = json.loads(written["json"].read_text())
    feeds = {feed["name"]: feed for feed in edition["feeds"]}
    assert feeds["Drip"]["status"] == "error" and feeds["Drip"]["error"] == "timed out after 1s"
    assert feeds["Fair"]["status"] == "ok"
    assert sum(len(story["articles"]) for story in edition["stories"]) == 2


def test_the_round_deadline_leaves_slow_pages_for_the_next_round(tmp_path, web, caplog):
    url = report_site(web, 8, delay=0.3)
    cfg = config.load(
        write_config(
            tmp_path,
            f'feeds:\n  - {{name: Slow, url: "{url}"}}\n'
            "fetch: {allow_private_networks: true, retries: 0, host_delay: 0, per_host: 1,"
            " round_deadline: 1}\n",
        ),
        environ={},
    )
    day, span = date.fromisoformat(DAY), timedelta(hours=24)
    with caplog.at_level("WARNING", logger="briefing"):
        written = pipeline.build(cfg, day, span, formats=("json", "html"))
    edition = json.loads(written["json"].read_text())
    [feed] = edition["feeds"]
    assert 0 < feed["pages_waiting"] < 8  # a page takes 0.3 s, one at a time: about 3 fit
    # Every article is in the edition: the feed's own text stands in for a page not fetched.
    assert sum(len(story["articles"]) for story in edition["stories"]) == 8
    [warning] = [r.getMessage() for r in caplog.records if "round_deadline" in r.getMessage()]
    assert warning.startswith(f"fetch.round_deadline (1s) reached: {feed['pages_waiting']} ")
    assert "Cut short this time" in written["html"].read_text()

    for route in web.routes.values():
        route.delay = 0
    again = json.loads(pipeline.build(cfg, day, span, formats=("json",))["json"].read_text())
    assert again["feeds"][0]["pages_waiting"] == 0
    with Store(cfg.db_path) as store:
        sources = {row[0] for row in query(store, "SELECT extract_source FROM articles")}
    assert sources == {"page"}
    pages = [web.hits(f"/p/{n}") for n in range(8)]
    assert min(pages) == 1 and sum(pages) <= 9  # at most the one cut in flight asked twice


def test_a_page_whose_extraction_outlasts_the_round_deadline_waits_for_the_next_round(
    tmp_path, web, caplog
):
    # 9.5 MB of article text: trafilatura needs seconds a megabyte for it, so the
    # extraction itself, not the download, is what runs past the deadline.
    sentence = "The council said households on the street were reconnected after repairs. "
    page = article_page("A very long report", [f"{n}. {sentence * 2}" for n in range(58_500)])
    assert 9_400_000 < len(page) < 9_600_000
    web.add("/long", page)
    url = web.add(
        "/f.xml",
        rss([{"title": "A very long report", "link": "/long", "description": "The feed's text."}]),
    )
    cfg = config.load(
        write_config(
            tmp_path,
            f'feeds:\n  - {{name: Heavy, url: "{url}"}}\n'
            "fetch: {allow_private_networks: true, retries: 0, host_delay: 0, round_deadline: 2}\n",
        ),
        environ={},
    )
    with (
        caplog.at_level("WARNING", logger="briefing"),
        Store(cfg.db_path) as store,
        HttpClient(cfg.fetch) as client,
    ):
        started = time.monotonic()
        report = fetch_round(cfg, store, client, Progress(quiet=True))
        took = time.monotonic() - started
        [health] = store.feed_health([(url, "Heavy")])
        [(source, text)] = query(store, "SELECT extract_source, text FROM articles")
    assert web.hits("/long") == 1  # fetched in time: the extraction was what was cut
    assert took < 2 + 2, f"the round took {took:.1f}s"
    assert report.extracted == 0 and health.pages_waiting == 1
    assert (source, text) == ("pending", "The feed's text.")
    assert any("fetch.round_deadline (2s) reached: 1 " in m for m in caplog.messages)
    assert multiprocessing.active_children() == []  # no worker left extracting for nobody
