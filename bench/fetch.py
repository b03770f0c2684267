"""Feed fetching at scale against a slow local web (issue #3).

Serves 300 feeds of 20 items from 30 local servers (ports stand in for
hosts) that answer every request after 200 ms, then prints the wall time of:
  1. a cold fetch of every feed by briefing (fresh store),
  2. a second round where every feed answers 304 (and the article requests it made),
  3. a plain sequential `feedparser.parse(url)` loop over the same feeds.
Targets: (1) at least 10x faster than (3); (2) under 3 s with zero article requests.

    python bench/fetch.py [--feeds 300] [--items 20] [--delay 0.2]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser

from briefing import config
from briefing.ingest.collect import extract_pending, fetch_feeds
from briefing.ingest.http import HttpClient
from briefing.progress import Progress
from briefing.store import Store

HOSTS = 30


def feed_xml(feed: int, items: int) -> bytes:
    now = datetime(2024, 10, 23, 12, tzinfo=UTC)
    entries = "".join(
        f"<item><title>Feed {feed} story {i}</title><link>/p/{feed}/{i}</link>"
        f"<guid>f{feed}-{i}</guid><pubDate>{format_datetime(now - timedelta(minutes=i))}</pubDate>"
        f"<description>Summary of story {i} from feed {feed}, with a few words to parse.</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {feed}</title>'
        f"<link>http://example.org/</link>{entries}</channel></rss>"
    ).encode()


class SlowWeb:
    def __init__(self, feeds: int, items: int, delay: float):
        self.bodies = {f"/feed/{n}.xml": feed_xml(n, items) for n in range(feeds)}
        self.article_requests = 0
        self.lock = threading.Lock()
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                time.sleep(delay)
                body = web.bodies.get(self.path)
                if body is None:
                    with web.lock:
                        web.article_requests += self.path.startswith("/p/")
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.servers = []
        for _ in range(HOSTS):
            server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
            self.servers.append(server)
        self.urls = [
            f"http://127.0.0.1:{self.servers[n % HOSTS].server_address[1]}/feed/{n}.xml"
            for n in range(feeds)
        ]

    def close(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()

    web = SlowWeb(args.feeds, args.items, args.delay)
    quiet = Progress(quiet=True)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            feeds_yaml = "\n".join(
                f'  - {{name: "Feed {n}", url: "{u}", lang: en}}' for n, u in enumerate(web.urls)
            )
            path = Path(scratch) / "config.yaml"
            path.write_text(f"feeds:\n{feeds_yaml}\nfetch: {{allow_private_networks: true}}\n")
            cfg = config.load(path, environ={})
            with Store(cfg.db_path) as store, HttpClient(cfg.fetch) as client:
                started = time.perf_counter()
                report = fetch_feeds(cfg, store, client, quiet)
                cold = time.perf_counter() - started
                # Complete the store from the feeds' own text: this bench measures feeds, not pages.
                extract_pending(
                    dataclasses.replace(
                        cfg, fetch=dataclasses.replace(cfg.fetch, fetch_pages=False)
                    ),
                    store,
                    client,
                    quiet,
                )
                before = web.article_requests
                started = time.perf_counter()
                second = fetch_feeds(cfg, store, client, quiet)
                extract_pending(cfg, store, client, quiet)
                warm = time.perf_counter() - started
                statuses = {h.status for h in store.feed_health((f.url, f.name) for f in cfg.feeds)}
                article_requests = web.article_requests - before
        started = time.perf_counter()
        parsed = sum(len(feedparser.parse(url).entries) for url in web.urls)
        sequential = time.perf_counter() - started
    finally:
        web.close()

    speedup = sequential / cold
    print(
        f"{args.feeds} feeds x {args.items} items, {HOSTS} hosts, {args.delay * 1000:.0f} ms per answer, "
        f"concurrency {cfg.fetch.concurrency}, {cfg.fetch.per_host} per host"
    )
    print(
        f"cold fetch:            {cold:6.2f} s  ({report.new_articles} new articles, {report.failed} failed)"
    )
    print(
        f"all-304 round:         {warm:6.2f} s  (statuses {sorted(statuses)}, {second.new_articles} new, "
        f"{article_requests} article requests)  target < 3 s, 0 requests"
    )
    print(f"sequential feedparser: {sequential:6.2f} s  ({parsed} entries)")
    print(f"cold fetch speed-up:   {speedup:6.1f}x  target >= 10x")
    ok = speedup >= 10 and warm < 3 and article_requests == 0 and statuses == {"not_modified"}
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
