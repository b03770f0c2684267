"""Several `briefing fetch` processes on one store (SQLite and PostgreSQL), against slow pages
on a real local server: each page fetched once, each article stored once, a killed worker's
pages taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from briefing import config
from briefing.store import Store
from tests.conftest import article_page, query, rss, write_config

pytestmark = pytest.mark.slow
FEEDS, ITEMS = 3, 10


def slow_site(web, delay: float) -> list[str]:
    feeds = []
    for f in range(FEEDS):
        items = []
        for n in range(ITEMS):
            path = f"/{f}/{n}"
            text = f"Report {f}-{n} from the harbour: " + " ".join(
                f"w{f}{n}{k}" for k in range(120)
            )
            web.add(path, article_page(f"Report {f}-{n}", [text]), delay=delay)
            items.append({"title": f"Report {f}-{n}", "link": web.url(path)})
        feeds.append(web.add(f"/feed{f}.xml", rss(items)))
    return feeds


def workers_config(tmp_path, feeds: list[str], database_key: str):
    listed = "\n".join(f"  - {{name: F{i}, url: '{url}', lang: en}}" for i, url in enumerate(feeds))
    path = write_config(
        tmp_path,
        f"feeds:\n{listed}\n"
        "fetch: {allow_private_networks: true, retries: 0, concurrency: 3, per_host: 3,"
        " host_delay: 0}\n" + database_key,
    )
    return config.load(path, environ={})


def start_worker(tmp_path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "fetch"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def holders(cfg) -> set[str]:
    with Store.open(cfg) as store:
        rows = query(store, "SELECT DISTINCT claimed_by FROM articles WHERE claimed_by IS NOT NULL")
    return {row[0].split(":")[1] for row in rows}


def wait_until(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def sources(cfg) -> list[str]:
    with Store.open(cfg) as store:
        return [row[0] for row in query(store, "SELECT extract_source FROM articles")]


def test_workers_at_once_fetch_each_page_once_and_store_each_article_once(
    tmp_path, web, database_key
):
    cfg = workers_config(tmp_path, slow_site(web, delay=0.3), database_key)
    workers = [start_worker(tmp_path) for _ in range(3)]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    pages = [web.hits(f"/{f}/{n}") for f in range(FEEDS) for n in range(ITEMS)]
    assert pages == [1] * FEEDS * ITEMS  # no page fetched twice
    assert sources(cfg) == ["page"] * FEEDS * ITEMS  # every article once, with its page's text


def test_a_killed_workers_pages_are_taken_over_by_the_worker_beside_it(tmp_path, web, database_key):
    cfg = workers_config(tmp_path, slow_site(web, delay=0.4), database_key)
    first = start_worker(tmp_path)
    wait_until(lambda: str(first.pid) in holders(cfg))
    second = start_worker(tmp_path)
    wait_until(lambda: str(second.pid) in holders(cfg))
    assert str(first.pid) in holders(cfg)
    first.send_signal(signal.SIGKILL)  # no goodbye: its claims stay in the store
    first.wait(timeout=30)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert sources(cfg) == ["page"] * FEEDS * ITEMS  # nothing lost
    pages = [web.hits(f"/{f}/{n}") for f in range(FEEDS) for n in range(ITEMS)]
    assert min(pages) == 1 and max(pages) <= 2  # only pages in flight when it died, asked again
    assert holders(cfg) == set()
