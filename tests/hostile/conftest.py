"""Servers on 127.0.0.1 that misbehave on purpose: the hostile web of issue #13."""

from __future__ import annotations

import socket
import threading
import time

import pytest


class DripServer:
    """A real TCP server that answers every request one byte at a time, forever.

    It sends a status line and then an endless header, `interval` seconds a
    byte: a per-read timeout never fires, only a deadline over the whole
    request ends it.
    """

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.connections = 0
        self._closing = threading.Event()
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def _serve(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        payload = b"HTTP/1.1 200 OK\r\nX-Drip: " + b"a" * 10_000_000
        with conn:
            try:
                conn.recv(65536)
                for byte in payload:
                    if self._closing.is_set():
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(self.interval)
            except OSError:
                return  # the client gave up: what we want

    def close(self) -> None:
        self._closing.set()
        self._socket.close()


@pytest.fixture
def drip():
    server = DripServer()
    yield server
    server.close()


DAY = "2024-10-24"  # the edition the sites below are dated for (items on 23 October)


def report_paragraphs(n: int, parts: int = 6) -> list[str]:
    """Distinct paragraphs of a made-up local report (trafilatura drops repeated ones)."""
    return [
        f"Report {n}, part {k}: the council said {n * 11 + k} households on street {k} "
        "were reconnected to the water network on Monday after repairs."
        for k in range(parts)
    ]


def report_site(web, count: int, *, delay: float = 0.0, prefix: str = "/p") -> str:
    """A feed of `count` reports, newest first, each with its page; returns the feed URL."""
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from tests.conftest import article_page, rss

    newest = datetime(2024, 10, 23, 20, tzinfo=UTC)
    items = []
    for n in range(count):
        web.add(f"{prefix}/{n}", article_page(f"Report {n}", report_paragraphs(n)), delay=delay)
        items.append(
            {
                "title": f"Report {n} on the water network",
                "link": f"{prefix}/{n}",
                "date": format_datetime(newest - timedelta(minutes=n)),
                "description": f"The feed's own summary of report {n}.",
            }
        )
    return web.add(f"{prefix}/feed.xml", rss(items))


def run_cli_with_read_only(folder, *args, cwd):
    """Run the CLI with `folder` read-only: a read-only bind mount in a mount namespace of
    its own when running as root (root writes through permissions), else chmod 555."""
    import os
    import subprocess

    from tests.conftest import run_cli

    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return run_cli(*args, cwd=cwd)
        finally:
            folder.chmod(0o755)
    import shutil
    import sys

    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare(1) to make a read-only folder")
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(folder), "true"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip(f"running as root without the right to mount: {probe.stderr.decode()[:80]}")
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(folder), sys.executable, "-m", "briefing"]
        + list(args),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
