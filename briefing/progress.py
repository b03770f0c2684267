"""Progress of long steps: a bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

log = logging.getLogger(__name__)
QUARTERS_FROM = 40


class Progress:
    """Reports `done/total` of a named step to stderr (silent when quiet)."""

    def __init__(self, *, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.timings: dict[str, float] = {}

    @property
    def interactive(self) -> bool:
        return not self.quiet and hasattr(self.stream, "isatty") and self.stream.isatty()

    @contextmanager
    def step(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        """Yields `advance(n=1)`; records the step's wall time in `timings`."""
        started = time.perf_counter()
        if self.interactive and total > 1:
            with click.progressbar(length=total, label=label.ljust(10), file=self.stream) as bar:
                yield bar.update
        else:
            done = 0
            every = max(1, total // 4)
            # Off a terminal, long steps log each quarter; short ones stay quiet.
            chatty = total >= QUARTERS_FROM

            def advance(n: int = 1) -> None:
                nonlocal done
                done += n
                if chatty and (done % every == 0 or done == total):
                    log.info("%s: %d/%d", label, done, total)

            yield advance
        self.timings[label] = self.timings.get(label, 0.0) + time.perf_counter() - started
