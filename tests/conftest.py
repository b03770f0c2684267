"""Shared test fixtures: a real HTTP server on 127.0.0.1, configs, and the CLI."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
SEED = ROOT / "tests" / "fixtures" / "seed-article-ar.txt"


@dataclass
class Route:
    """What the fake web answers for one path; `then` routes answer later requests."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow server)
    gzip: bool = False
    then: list[Route] = field(default_factory=list)
    etag: str | None = None  # answer 304 when If-None-Match matches
    last_modified: str | None = None


class FakeWeb:
    """A real HTTP/1.1 server on loopback that behaves like news sites do."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                web.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = web.routes.get(self.path)
                if route is None:
                    return self._send(404, {"Content-Type": "text/plain"}, b"not found")
                if route.then:
                    web.routes[self.path] = route.then[0]
                    web.routes[self.path].then = route.then[1:]
                if route.delay:
                    time.sleep(route.delay)
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                    route.last_modified
                    and self.headers.get("If-Modified-Since") == route.last_modified
                ):
                    return self._send(304, headers, b"")
                body = route.body
                if route.gzip:
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self._send(route.status, headers, body)

            def _send(self, status, headers, body):
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kwargs) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kwargs)
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def web():
    server = FakeWeb()
    yield server
    server.close()


def rss(items: list[dict], lang: str = "en", encoding: str = "utf-8") -> bytes:
    """A small RSS 2.0 document; items have title, link, and optional guid, date, description."""
    from xml.sax.saxutils import escape

    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0"><channel>',
        "<title>Test feed</title><link>http://example.org/</link>",
        f"<language>{lang}</language>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>")
        if item.get("guid"):
            parts.append(f'<guid isPermaLink="false">{escape(item["guid"])}</guid>')
        parts.append(f"<pubDate>{item.get('date', 'Wed, 23 Oct 2024 12:00:00 GMT')}</pubDate>")
        if item.get("description"):
            parts.append(f"<description>{escape(item['description'])}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding)


def article_page(title: str, paragraphs: list[str], lang: str = "en") -> str:
    """An article page with realistic chrome around the body."""
    from html import escape

    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta property="article:published_time" content="2024-10-23T12:00:00Z"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>{escape(title)}</h1>{body}</article>
<aside><h2>Most read</h2><ul><li><a href="/x">Other story</a></li></ul></aside></main>
<footer>© 2024 Example News. All rights reserved.</footer></body></html>"""


def write_config(folder: Path, text: str) -> Path:
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def ingest(cfg) -> list[dict]:
    """Fetch the config's feeds and pages into its store; every article row, in id order."""
    from briefing.ingest.collect import fetch_round
    from briefing.ingest.http import HttpClient
    from briefing.progress import Progress
    from briefing.store import Store

    with Store(cfg.db_path) as store, HttpClient(cfg.fetch) as client:
        fetch_round(cfg, store, client, Progress(quiet=True))
        return [r._asdict() for r in query(store, "SELECT * FROM articles ORDER BY id")]


def query(store, sql: str, **params) -> list:
    """Rows of a raw SQL query on a store (SQLite or PostgreSQL): what a test looks at directly."""
    from sqlalchemy import text

    return store.connection.execute(text(sql), params).all()


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120):
    """Run the real `briefing` command in a subprocess, as a user would."""
    full_env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def invoke(*args: str, cwd: Path | None = None, env: dict | None = None):
    """Run `briefing` in this process through the console script's own `main(argv)`.

    The same code path as the subprocess (argument parsing, error mapping, exit
    status, stdout for paths and stderr for messages) at a tenth of the cost;
    `run_cli` keeps a few real subprocess runs for what only a process shows.
    """
    import contextlib
    import io
    import logging

    from briefing import cli

    out, err = io.StringIO(), io.StringIO()
    logger = logging.getLogger("briefing")
    saved = (logger.handlers[:], logger.propagate, logger.level)
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    code = 0
    try:
        os.environ.pop("BRIEFING_CONFIG", None)
        os.environ.update(env or {})
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        logger.handlers[:], logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])
    return subprocess.CompletedProcess(
        ["briefing", *args], code, stdout=out.getvalue(), stderr=err.getvalue()
    )


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of this test session (tests/postgres.py), on a loopback port."""
    from tests.postgres import Cluster

    try:
        cluster = Cluster.start_new()
    except RuntimeError as exc:
        if "not installed" in str(exc):
            pytest.skip(str(exc))  # `make test` installs it; elsewhere the SQLite half still runs
        raise
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Where a test's store lives, on each engine: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "data" / "briefing.sqlite3"
        return
    cluster = request.getfixturevalue("postgres")
    name = cluster.create_database()
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def database_key(database) -> str:
    """The config line that puts a test's store where `database` says ("" for SQLite in data_dir)."""
    return "" if isinstance(database, Path) else f"database: {database}\n"


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """The offline demo built once into a temporary folder: {format: path}.

    Once per run, not once per pytest-xdist worker: the first worker to need it
    builds it under a lock in the run's shared temporary folder, the others
    wait for it and read the same files. Tests only read them (email_config
    copies them before a send).
    """
    import dataclasses
    import fcntl
    from datetime import date

    from briefing import config, pipeline
    from briefing.config import parse_duration
    from briefing.render import output

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the folder the workers of this run share
    out = root / "demo-build"
    with open(root / "demo-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        cfg = config.load(DEMO / "config.yaml")
        cfg = dataclasses.replace(cfg, output_dir=out / "output", data_dir=out / "data")
        done = out / "built"
        if not done.is_file():
            pipeline.build(cfg, date(2024, 10, 24), parse_duration("24h"))
            done.write_text("")
        return output.paths(cfg.output_dir, "2024-10-24")


class Mailbox:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

    def __init__(self, *, password: str | None = None, tls: tuple[Path, Path] | None = None):
        import socket

        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages: list = []  # (envelope recipients, email.message.EmailMessage)
        self.reject: dict[str, str] = {}  # address -> reply
        self.busy: dict[str, int] = {}  # address -> how many more times RCPT gets a 451
        self.on_data = None  # called after a message is kept (or dropped), before the reply
        # The next `drop_after_data` messages get no reply: the server closes the
        # connection instead. `keep_dropped`: whether it delivered them all the same.
        self.drop_after_data = 0
        self.keep_dropped = True
        # Hold the first message's reply until this many clients have said EHLO
        # (so two senders are surely at work at once), for at most `hold_timeout` s.
        self.hold_until_clients = 0
        self.hold_timeout = 10.0
        self.clients = 0
        self.replies: list[str] = []  # what the server answered after each DATA ("" for none)
        box = self

        class Handler:
            async def handle_EHLO(self, server, session, envelope, hostname, responses):
                session.host_name = hostname
                box.clients += 1
                return responses

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in box.reject:
                    return box.reject[address]
                if box.busy.get(address):
                    box.busy[address] -= 1
                    return "451 4.3.0 Mailbox busy, try again later"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                import asyncio
                import email
                import email.policy

                parsed = email.message_from_bytes(
                    envelope.original_content, policy=email.policy.default
                )
                if box.hold_until_clients:
                    waited = 0.0
                    while box.clients < box.hold_until_clients and waited < box.hold_timeout:
                        await asyncio.sleep(0.02)
                        waited += 0.02
                    box.hold_until_clients = 0
                drop = box.drop_after_data > 0
                box.drop_after_data -= drop
                if box.keep_dropped or not drop:
                    box.messages.append((list(envelope.rcpt_tos), parsed))
                box.replies.append("" if drop else "250")
                if box.on_data:
                    box.on_data()
                if drop:
                    server.transport.close()  # no reply: the sender cannot know
                return "250 2.0.0 Message accepted"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = getattr(auth_data, "password", b"") == (password or "").encode()
            return AuthResult(success=ok, handled=False)  # False: the server answers 535 itself

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        extra = {"authenticator": authenticator, "auth_require_tls": False} if password else {}
        if tls:  # STARTTLS with the given (certificate, key)
            import ssl

            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            extra.update(tls_context=context, require_starttls=True)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **extra)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


@pytest.fixture
def mailbox():
    box = Mailbox().start()
    yield box
    box.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made by openssl, for a real TLS handshake on loopback."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def email_config(folder: Path, port: int, demo_files: dict, extra_email: str = "") -> Path:
    """A config for the demo feeds that mails to a local server; the demo edition is already built."""
    import shutil

    edition = folder / "output" / "2024-10-24"
    edition.mkdir(parents=True)
    for path in demo_files.values():
        shutil.copy(path, edition / path.name)
    feeds = "\n".join(
        f"  - {{name: {name}, url: '{DEMO / 'feeds' / file}'}}"
        for name, file in (("CNN", "cnn.xml"), ("Asharq", "aawsat-ar.xml"))
    )
    return write_config(
        folder,
        f"""feeds:
{feeds}
timezone: Asia/Riyadh
theme: {{title: Morning Briefing, title_ar: الموجز الصباحي}}
email:
  smtp: {{host: 127.0.0.1, port: {port}, security: none}}
  from: "Morning Briefing <briefing@example.org>"
  to: [reader@example.org, "قارئ <second@example.org>"]
  bcc: [hidden@example.org]
  retry_wait: 0.3
{extra_email}""",
    )


def corpus_article(article_id: str) -> dict:
    """One article of the labelled stories corpus (tests/fixtures/stories)."""
    import yaml

    for path in sorted((ROOT / "tests" / "fixtures" / "stories").glob("corpus-*.yaml")):
        for article in yaml.safe_load(path.read_text(encoding="utf-8")):
            if article["id"] == article_id:
                return article
    raise KeyError(article_id)
