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
