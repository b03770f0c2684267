"""Several fetch workers on one PostgreSQL (issue #16): how the work spreads, and what a death costs.

A synthetic day of N articles (bench/e2e.py's, 300-900 words, Arabic and
English) from 50 feeds on 50 local HTTP servers that answer every request
after `--delay` seconds, so the work is network-bound as a newsroom's crawl
is. One throwaway PostgreSQL (tests/postgres.py); for 1, 2 and 4 workers, a
fresh database and that many `briefing fetch` processes started at once.
Each run prints its wall time, the requests the servers answered (feeds and
pages) and the pages fetched more than once; then a run of 4 in which one
worker is killed (SIGKILL) when a third of the day is stored, and how many
articles the others left without their page (lost). Targets: 1->2 workers at
least 1.7x faster, 1->4 at least 3x, no page fetched twice, nothing lost.

    python bench/workers.py [--articles 2000] [--delay 2.0] [--concurrency 16]

At 2 s an answer and 16 requests in flight per worker, one worker alone
waits on the network for about 250 s. What does not shrink with more workers
keeps 4 from 4x: each worker's start (its imports, its extraction
processes), its own robots.txt of every host, and finding the copies, which
workers do one at a time.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from e2e import FEEDS, SyntheticDay  # noqa: E402

from tests.postgres import Cluster  # noqa: E402

TARGETS = {2: 1.7, 4: 3.0}


class CountingServers:
    """50 slow local servers of one synthetic day that count every request by path."""

    def __init__(self, day: SyntheticDay, delay: float):
        self.hits: Counter = Counter()
        self.lock = threading.Lock()
        self.servers = []
        for feed in range(FEEDS):
            self.servers.append(self._serve(day, delay, feed))

    def _serve(self, day: SyntheticDay, delay: float, outlet: int) -> ThreadingHTTPServer:
        counting = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with counting.lock:
                    counting.hits[(outlet, self.path)] += 1
                time.sleep(delay)
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path == "/feed.xml":
                    body, kind = day.feed(outlet, base), "application/rss+xml; charset=utf-8"
                elif match := re.fullmatch(r"/a/(\d+)", self.path):
                    body, kind = day.page(int(match[1])), "text/html; charset=utf-8"
                else:
                    body, kind = b"", "text/plain"
                try:
                    self.send_response(200 if body else 404)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the killed worker's requests

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.request_queue_size = 256
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return server

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()

    def counts(self) -> tuple[int, int, int]:
        """(feed requests, page requests, pages asked more than once: the extra requests)."""
        with self.lock:
            feeds = sum(n for (_, path), n in self.hits.items() if path == "/feed.xml")
            pages = {key: n for key, n in self.hits.items() if key[1].startswith("/a/")}
        return feeds, sum(pages.values()), sum(n - 1 for n in pages.values() if n > 1)

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def config_text(servers: CountingServers, url: str, concurrency: int) -> str:
    feeds = "\n".join(
        f'  - {{name: "Outlet {i}", url: "http://127.0.0.1:{s.server_address[1]}/feed.xml",'
        f" lang: {'ar' if i % 2 else 'en'}}}"
        for i, s in enumerate(servers.servers)
    )
    # A round long enough for one worker alone to take the whole day.
    return (
        f"feeds:\n{feeds}\ntimezone: UTC\ndatabase: {url}\n"
        f"fetch: {{allow_private_networks: true, concurrency: {concurrency},"
        " round_deadline: 3600, pages_per_feed: 1000}\n"
    )


def stored(cluster: Cluster, database: str) -> int:
    """Articles with their page's text."""
    import psycopg

    with psycopg.connect(cluster.url(database)) as connection:
        if connection.execute("SELECT to_regclass('articles')").fetchone()[0] is None:
            return 0  # the first worker has not created the tables yet
        return connection.execute(
            "SELECT count(*) FROM articles WHERE extract_source = 'page'"
        ).fetchone()[0]


def run(folder: Path, workers: int, kill_at: int | None, cluster: Cluster, database: str) -> dict:
    """`workers` fetch processes at once; with `kill_at`, one is killed once that many are stored."""
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "briefing", "fetch"],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    killed = None
    if kill_at is not None:
        while stored(cluster, database) < kill_at and processes[0].poll() is None:
            time.sleep(0.2)
        killed = stored(cluster, database)
        processes[0].send_signal(signal.SIGKILL)
    for i, process in enumerate(processes):
        _, err = process.communicate()
        if process.returncode != 0 and not (i == 0 and kill_at is not None):
            raise SystemExit(f"worker {i} failed ({process.returncode}):\n{err[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime"))
    return {"wall": time.perf_counter() - started, "cpu": cpu, "killed_at": killed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds per answer")
    parser.add_argument(
        "--concurrency", type=int, default=16, help="fetch.concurrency of each worker"
    )
    args = parser.parse_args()
    day = SyntheticDay(args.articles)
    servers = CountingServers(day, args.delay)
    cluster = Cluster.start_new()
    results: dict[int, dict] = {}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for workers, kill in ((1, False), (2, False), (4, False), (4, True)):
                database = cluster.create_database()
                folder = Path(scratch) / f"{workers}{'-kill' if kill else ''}"
                folder.mkdir()
                (folder / "config.yaml").write_text(
                    config_text(servers, cluster.url(database), args.concurrency),
                    encoding="utf-8",
                )
                servers.reset()
                result = run(
                    folder, workers, args.articles // 3 if kill else None, cluster, database
                )
                result["feeds"], result["pages"], result["again"] = servers.counts()
                result["stored"] = stored(cluster, database)
                results[-workers if kill else workers] = result
                cluster.drop_database(database)
    finally:
        cluster.stop()
        servers.close()
    print(
        f"{args.articles} articles of 300-900 words, {FEEDS} feeds on {FEEDS} hosts,"
        f" {args.delay * 1000:.0f} ms per answer; each worker fetch.concurrency"
        f" {args.concurrency}; one PostgreSQL; {os.cpu_count()} cores"
    )
    for workers in (1, 2, 4):
        r = results[workers]
        print(
            f"{workers} worker{'s' if workers > 1 else ' '}  wall {r['wall']:6.1f} s"
            f"  {results[1]['wall'] / r['wall']:4.2f}x  cpu {r['cpu']:5.1f} s"
            f"  requests: {r['feeds']} feeds,"
            f" {r['pages']} pages, {r['again']} pages fetched twice;"
            f" {r['stored']}/{args.articles} stored with their page"
        )
    k = results[-4]
    lost = args.articles - k["stored"]
    print(
        f"4 workers, one killed with {k['killed_at']} stored: wall {k['wall']:.1f} s,"
        f" {k['stored']}/{args.articles} stored with their page (lost {lost}),"
        f" {k['again']} pages it had in flight asked again"
    )
    duplicates = sum(results[w]["again"] for w in (1, 2, 4))
    missing = sum(args.articles - results[w]["stored"] for w in (1, 2, 4))
    two, four = (results[1]["wall"] / results[w]["wall"] for w in (2, 4))
    ok = two >= TARGETS[2] and four >= TARGETS[4] and duplicates == 0 and lost == 0 and not missing
    print(
        f"targets: 1->2 >= {TARGETS[2]}x, 1->4 >= {TARGETS[4]}x, no page fetched twice,"
        f" nothing lost: {'met' if ok else 'MISSED'}"
    )
    print(
        f"workers: 1->2 {two:.1f}x, 1->4 {four:.1f}x; duplicate fetches {duplicates}; lost {lost}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
