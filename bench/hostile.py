"""A build on time beside a hostile web (issue #13).

Serves on 127.0.0.1, each "host" a port of its own:
  - ordinary feeds (4 hosts x 15 articles with their pages),
  - one server that drips its answers a byte a second, forever: a feed on it,
    and one ordinary article that links to it,
  - one feed of 10,000 entries whose pages all exist,
  - one 9.5 MB article page (text all the way down) in an ordinary feed,
then runs `briefing build` (the real CLI, a fresh data_dir) and prints its wall
time, its stages and what the edition says of each source.
Target: the edition is written within fetch.round_deadline + 60 s. The round
deadline is shortened to 30 s here (the default is 300 s) so the bench runs in
about a minute; fetch.timeout and fetch.pages_per_feed keep their defaults.
With 30 s, the dripping feed holds the feeds stage for fetch.timeout (20 s),
so the 9.5 MB page's extraction may not fit in what is left: it then waits
for the next round ("Heavy ok, 1 waiting"), as any page the deadline cuts.
The texts are random words from one small vocabulary, so they make few
stories: this bench measures time, not clustering.

    python bench/hostile.py [--round-deadline 30] [--entries 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    *("council", "water", "network", "households", "repairs", "minister", "border", "talks"),
    *("prices", "port", "harbour", "storm", "ships", "containers", "grain", "olive"),
    *("harvest", "library", "bridge", "rail", "tunnel", "budget", "school"),
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def page_html(title: str, paragraphs: list[str]) -> bytes:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body><main><article><h1>{escape(title)}</h1>{body}</article></main></body></html>"
    ).encode()


def feed_xml(title: str, items: list[tuple[str, str, datetime, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(d)}</description></item>"
        for t, link, when, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}'
        f"</title><link>http://example.org/</link>{entries}</channel></rss>"
    ).encode()


class Host:
    """One web server on its own port: fixed `bodies` by path, and pages made on request."""

    def __init__(self):
        self.bodies: dict[str, bytes] = {}
        self.generated = None  # (regex, function of the match) for pages made on request
        self.requests = 0
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                host.requests += 1
                body = host.bodies.get(self.path)
                if body is None and host.generated and (m := host.generated[0].match(self.path)):
                    body = host.generated[1](m)
                status = 200 if body is not None else 404
                body = body or b""
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Drip:
    """Answers every request with a status line, then one header byte a second, forever."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.closing = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}{path}"

    def _serve(self):
        while not self.closing.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn):
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Drip: ")
                while not self.closing.is_set():
                    conn.sendall(b"a")
                    time.sleep(1)
            except OSError:
                return

    def close(self):
        self.closing.set()
        self.sock.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round-deadline", type=float, default=30.0)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()

    rng = random.Random(13)
    day = datetime.now(UTC).date()
    close = datetime(day.year, day.month, day.day, 5, 59, tzinfo=UTC)  # the window ends at 06:00
    hosts = [Host() for _ in range(6)]
    drip = Drip()
    feeds: list[tuple[str, str]] = []
    try:
        for n, host in enumerate(hosts[:4]):
            items = []
            for i in range(15):
                path = f"/news/{i}"
                title = f"Outlet {n} report {i}: {sentence(rng, 6)}"
                host.bodies[path] = page_html(title, [sentence(rng, 40) for _ in range(6)])
                link = host.url(path)
                if n == 0 and i == 0:
                    link = drip.url("/article")  # an article page that drips
                items.append((title, link, close - timedelta(minutes=7 * i + n), sentence(rng, 20)))
            host.bodies["/feed.xml"] = feed_xml(f"Outlet {n}", items)
            feeds.append((f"Outlet {n}", host.url("/feed.xml")))
        feeds.append(("Drip", drip.url("/feed.xml")))

        endless = hosts[4]
        endless.generated = (
            re.compile(r"^/e/(\d+)$"),
            lambda m: page_html(
                f"Entry {m[1]}",
                [
                    f"Entry {m[1]}, part {k}: {sentence(random.Random(int(m[1]) * 7 + k), 40)}"
                    for k in range(5)
                ],
            ),
        )
        step = timedelta(hours=23) / args.entries
        endless.bodies["/feed.xml"] = feed_xml(
            "Endless",
            [
                (
                    f"Entry {i}: {sentence(rng, 5)}",
                    endless.url(f"/e/{i}"),
                    close - step * i,
                    "An entry.",
                )
                for i in range(args.entries)
            ],
        )
        feeds.append(("Endless", endless.url("/feed.xml")))

        heavy = hosts[5]
        paragraphs, size = [], 0
        while size < 9_500_000:
            paragraphs.append(sentence(rng, 60))
            size += len(paragraphs[-1]) + 7
        heavy.bodies["/long"] = page_html("A very long report", paragraphs)
        heavy.bodies["/feed.xml"] = feed_xml(
            "Heavy",
            [("A very long report", heavy.url("/long"), close - timedelta(hours=1), "Long.")]
            + [
                (
                    f"Heavy brief {i}",
                    heavy.url(f"/b/{i}"),
                    close - timedelta(hours=2, minutes=i),
                    sentence(rng, 20),
                )
                for i in range(5)
            ],
        )
        for i in range(5):
            heavy.bodies[f"/b/{i}"] = page_html(
                f"Heavy brief {i}", [sentence(rng, 40) for _ in range(6)]
            )
        feeds.append(("Heavy", heavy.url("/feed.xml")))

        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            lines = "\n".join(
                f'  - {{name: "{name}", url: "{url}", lang: en}}' for name, url in feeds
            )
            (folder / "config.yaml").write_text(
                f"feeds:\n{lines}\n"
                f"fetch: {{allow_private_networks: true, round_deadline: {args.round_deadline:g}}}\n"
            )
            env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
            env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "briefing", "-v", "build", "--date", day.isoformat()],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - started
            if result.returncode != 0:
                print(result.stderr[-3000:])
                print(f"briefing build failed (exit {result.returncode})")
                return 1
            edition = json.loads(
                (folder / "output" / day.isoformat() / "briefing.json").read_text()
            )
    finally:
        drip.close()
        for host in hosts:
            host.close()

    stages = re.findall(r"time (\w+)\s+([\d.]+)s", result.stderr)
    # Log lines start with the time when stderr is not a terminal, as here.
    warnings = re.findall(r"briefing: warning: (.*)", result.stderr)
    target = args.round_deadline + 60
    print(
        f"{len(feeds)} feeds on 127.0.0.1: 4 ordinary (15 articles, one linking to the drip), "
        f"a dripping feed, {args.entries:,} entries, a 9.5 MB page"
    )
    print(
        f"fetch.round_deadline {args.round_deadline:g} s (shortened for the bench; default 300 s), "
        "fetch.timeout 20 s, fetch.pages_per_feed 100 (defaults)"
    )
    print(
        f"briefing build wall time: {wall:6.1f} s   target <= {target:g} s   {'OK' if wall <= target else 'OVER'}"
    )
    print("stages: " + ", ".join(f"{stage} {float(seconds):.1f} s" for stage, seconds in stages))
    print(
        f"edition: {len(edition['stories'])} stories, "
        f"{sum(len(s['articles']) for s in edition['stories'])} articles"
    )
    for feed in edition["feeds"]:
        waiting = f", {feed['pages_waiting']:,} waiting" if feed.get("pages_waiting") else ""
        error = f" ({feed['error']})" if feed.get("error") else ""
        print(f"  {feed['name']:<10} {feed['status']}{error}{waiting}")
    print(f"warnings ({len(warnings)}):")
    for line in warnings:
        print("  " + line[:160])
    return 0 if wall <= target else 1


if __name__ == "__main__":
    sys.exit(main())
