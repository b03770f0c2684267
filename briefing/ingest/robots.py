"""robots.txt for article pages: fetched once per host and run, cached, obeyed.

Feeds are exempt (a feed URL is an explicit invitation); pages are not.
Following RFC 9309: a missing robots.txt (4xx) allows everything; one that
cannot be reached (5xx, timeout) disallows everything for this run.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from briefing.errors import FetchError, Refused, RoundOver
from briefing.ingest.http import HttpClient

AGENT = "briefing"
MAX_CRAWL_DELAY = 10.0  # a robots.txt asking for more would stall the whole build


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    delay: float | None = None  # Crawl-delay, when the site sets one
    reason: str | None = None


class Robots:
    """Per-host robots.txt cache for one run; thread-safe."""

    def __init__(self, client: HttpClient, *, guard: bool = True, not_after: float | None = None):
        self.client = client
        self.guard = guard
        self.not_after = not_after  # the fetch round's deadline (time.monotonic())
        self._hosts: dict[str, RobotFileParser | str] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> Verdict:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            host_lock = self._locks.setdefault(origin, threading.Lock())
        with host_lock:  # one fetch of robots.txt per host, however many threads ask
            if origin not in self._hosts:
                self._hosts[origin] = self._load(origin)
        rules = self._hosts[origin]
        if isinstance(rules, str):
            return Verdict(allowed=False, reason=rules)
        if not rules.can_fetch(AGENT, url):
            return Verdict(allowed=False, reason=f"disallowed by {origin}/robots.txt")
        delay = rules.crawl_delay(AGENT)
        return Verdict(allowed=True, delay=min(float(delay), MAX_CRAWL_DELAY) if delay else None)

    def _load(self, origin: str) -> RobotFileParser | str:
        rules = RobotFileParser()
        try:
            response = self.client.get(
                f"{origin}/robots.txt", guard=self.guard, not_after=self.not_after
            )
        except Refused as exc:
            return str(exc)
        except RoundOver:
            raise  # not an answer about the site: the next round asks again
        except FetchError as exc:
            return f"robots.txt unreachable ({exc}): not fetching pages of {origin}"
        if response.status >= 500:
            return (
                f"robots.txt unreachable (HTTP {response.status}): not fetching pages of {origin}"
            )
        if response.status >= 400:
            rules.parse([])  # no robots.txt: everything is allowed
        else:
            rules.parse(
                response.content.decode(response.charset or "utf-8", "replace").splitlines()
            )
        return rules
