"""The one HTTP client: every request to the network goes through here.

It owns timeouts (with a total deadline per request), retries with backoff
(honouring Retry-After), a body-size limit, a User-Agent naming the tool,
per-host concurrency, manual redirects (at most 5 hops) and the SSRF guard.
Local `file:` URLs are read by `read_local` with the same size limit.

The deadline is real: httpx's timeouts hold for one socket operation each, so
a server dripping its headers a byte a second would never trip them
(encode/httpx#1450). Every connect, read and write here waits at most until
the calling thread's request deadline (`_DeadlineBackend`).
"""

from __future__ import annotations

import ipaddress
import random
import re
import socket
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import httpcore
import httpx

from briefing import __version__
from briefing.config import FetchConfig
from briefing.errors import FetchError, FetchTransient, Refused, RoundOver, TransientError

USER_AGENT = f"briefing/{__version__} (+https://github.com/briefing-news/briefing)"
MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Response:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    content: bytes
    permanent_url: str | None = None  # where a 301/308 chain settled, if any
    truncated: bool = False
    redirects: list[str] = field(default_factory=list)

    @property
    def charset(self) -> str | None:
        """The charset the server declared in Content-Type, if any."""
        match = re.search(
            r"charset=[\"']?([\w.:-]+)", self.headers.get("content-type", ""), re.IGNORECASE
        )
        return match[1].lower() if match else None


def read_local(url: str, max_bytes: int) -> bytes:
    """Read a `file:` URL, refusing files above the size limit."""
    path = Path(url2pathname(urlsplit(url).path))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FetchError(url, f"file is {size} bytes, over the {max_bytes}-byte limit")
        return path.read_bytes()
    except FileNotFoundError:
        raise FetchError(url, f"no such file: {path}") from None
    except OSError as exc:
        raise FetchError(url, f"cannot read {path}: {exc.strerror or exc}") from None


def check_public(url: str, allow_hosts: tuple[str, ...] = ()) -> None:
    """Raise Refused unless every address `url`'s host resolves to is public.

    Hosts named in `allow_hosts` (fetch.allow_hosts) are trusted as they are.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(url, f"refused: not an http(s) URL: {url}")
    if parts.hostname.lower() in allow_hosts:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchTransient(url, f"cannot resolve {parts.hostname}: {exc.strerror}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast or address.is_reserved:
            raise Refused(
                url,
                f"refused: {parts.hostname} resolves to non-public address {address} (SSRF guard)",
            )


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, with every wait cut at the calling thread's deadline.

    The sync client does a request's I/O on the thread that asked for it, so a
    thread-local deadline is the request's own.
    """

    def __init__(self):
        self._sockets = httpcore.SyncBackend()
        self._local = threading.local()

    @contextmanager
    def deadline(self, moment: float):
        self._local.deadline = moment
        try:
            yield
        finally:
            self._local.deadline = None

    def remaining(self, timeout: float | None, expired: type[Exception]) -> float | None:
        deadline = getattr(self._local, "deadline", None)
        if deadline is None:
            return timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise expired("request deadline reached")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        timeout = self.remaining(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._sockets.connect_tcp(host, port, timeout, local_address, socket_options), self
        )

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        timeout = self.remaining(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._sockets.connect_unix_socket(path, timeout, socket_options), self
        )

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, backend: _DeadlineBackend):
        self._stream = stream
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._backend.remaining(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._backend.remaining(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        timeout = self._backend.remaining(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, timeout), self._backend
        )

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


def _with_backend(client: httpx.Client, backend: httpcore.NetworkBackend) -> httpx.Client:
    """Hand `backend` to every connection pool of `client`: the direct one and any
    proxy from the environment. httpx has no public way to do this yet
    (encode/httpx#3180); tests/hostile/test_stalls.py fails if this stops working."""
    for transport in (client._transport, *client._mounts.values()):
        pool = getattr(transport, "_pool", None)
        if pool is not None:
            pool._network_backend = backend
    return client


class HttpClient:
    """Shared by every stage of one run; safe to use from several threads."""

    def __init__(self, settings: FetchConfig, *, user_agent: str = USER_AGENT):
        self.settings = settings
        self._backend = _DeadlineBackend()
        self._client = _with_backend(
            httpx.Client(
                follow_redirects=False,
                headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate, br"},
                timeout=httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
                limits=httpx.Limits(max_connections=settings.concurrency),
            ),
            self._backend,
        )
        self._hosts: dict[str, threading.Semaphore] = defaultdict(
            lambda: threading.Semaphore(settings.per_host)
        )
        self._hosts_lock = threading.Lock()
        self._next_visit: dict[str, float] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        guard: bool = False,
        guard_redirects: bool = False,
        delay: float = 0.0,
        not_after: float | None = None,
    ) -> Response:
        """GET with retries; `guard` applies the SSRF check to every hop.

        `guard_redirects` applies it to every hop after the first: a configured
        feed URL is trusted, where it redirects to is not.

        `delay` spaces requests to the same host (politeness for article
        pages). `not_after` (a `time.monotonic()` moment, the fetch round's
        deadline) cuts the request's own deadline short; RoundOver says it did.
        Returns the final response whatever its status (a 404 is an answer);
        raises FetchError when no answer came within the deadline.
        """
        if not_after is not None and time.monotonic() >= not_after:
            raise RoundOver(url)
        if delay:
            self._wait_turn(url, delay, not_after)
        deadline = time.monotonic() + self.settings.timeout
        if not_after is not None:
            deadline = min(deadline, not_after)
        try:
            return self._retrying(url, headers or {}, guard, guard_redirects, deadline)
        except Refused:
            raise
        except FetchError as exc:
            if (
                isinstance(exc, TransientError)
                and not_after is not None
                and time.monotonic() >= not_after
            ):
                raise RoundOver(url) from None
            raise

    def _retrying(
        self, url: str, headers: dict[str, str], guard: bool, guard_redirects: bool, deadline: float
    ) -> Response:
        attempt = 0
        while True:
            try:
                last = self._follow(url, headers, guard, guard_redirects, deadline)
            except FetchError as exc:
                if attempt >= self.settings.retries or not isinstance(exc, TransientError):
                    raise
                wait = _backoff(attempt)
                if time.monotonic() + wait >= deadline:
                    raise
            else:
                if last.status not in RETRY_STATUSES or attempt >= self.settings.retries:
                    return last
                wait = _retry_after(last.headers.get("retry-after")) or _backoff(attempt)
                if time.monotonic() + wait >= deadline:
                    return last  # no time left to wait: the last answer is better than none
            time.sleep(wait)
            attempt += 1

    def _follow(
        self, url: str, headers: dict[str, str], guard: bool, guard_redirects: bool, deadline: float
    ) -> Response:
        current, permanent, hops = url, None, []
        permanent_chain = True
        for _ in range(MAX_REDIRECTS + 1):
            if guard or (guard_redirects and hops):
                check_public(current, self.settings.allow_hosts)
            status, response_headers, body, truncated = self._one(current, headers, deadline)
            location = response_headers.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                target = urljoin(current, location)
                if target in hops or target == url:
                    raise FetchError(url, f"redirect loop at {target}", status)
                hops.append(target)
                permanent_chain = permanent_chain and status in (301, 308)
                if permanent_chain:
                    permanent = target
                current = target
                continue
            return Response(
                url=url,
                final_url=current,
                status=status,
                headers=response_headers,
                content=body,
                permanent_url=permanent,
                truncated=truncated,
                redirects=hops,
            )
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects", 310)

    def _wait_turn(self, url: str, delay: float, not_after: float | None = None) -> None:
        """Sleep until `delay` seconds have passed since the last polite visit to this host;
        raise RoundOver, without taking the turn, when it would come after `not_after`."""
        host = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            now = time.monotonic()
            turn = max(now, self._next_visit.get(host, now))
            if not_after is not None and turn >= not_after:
                raise RoundOver(url)
            self._next_visit[host] = turn + delay
        if turn > now:
            time.sleep(turn - now)

    def _host_slot(self, url: str) -> threading.Semaphore:
        with self._hosts_lock:
            return self._hosts[urlsplit(url).netloc.lower()]

    def _one(self, url: str, headers: dict[str, str], deadline: float):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTransient(url, f"timed out after {self.settings.timeout:g}s")
        timeout = httpx.Timeout(remaining, connect=min(10.0, remaining))
        limit = self.settings.max_bytes
        slot = self._host_slot(url)
        if not slot.acquire(timeout=remaining):
            raise FetchTransient(url, f"timed out after {self.settings.timeout:g}s")
        try:
            with (
                self._backend.deadline(deadline),
                self._client.stream("GET", url, headers=headers, timeout=timeout) as r,
            ):
                chunks, size, truncated = [], 0, False
                for chunk in r.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        truncated = True  # stop the download at the limit
                        break
                body = b"".join(chunks)[:limit]
                return r.status_code, {k.lower(): v for k, v in r.headers.items()}, body, truncated
        except httpx.TimeoutException:
            raise FetchTransient(url, f"timed out after {self.settings.timeout:g}s") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"not a valid URL: {exc}") from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise FetchTransient(url, _transport_reason(exc)) from None
        finally:
            slot.release()


def _backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: 0.5s, 1s, 2s... scaled by a random factor."""
    return min(30.0, 0.5 * 2**attempt) * (0.5 + random.random() / 2)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _transport_reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    return text.splitlines()[0]
