"""One worker's share of a round, when several workers fetch into one store.

Rows (the feeds, then the pages) are taken in the round's order, a batch at a
time, each batch claimed in one transaction (store.claim_feeds,
store.claim_articles). A row another worker holds is left to it and looked at
again once this worker has nothing else to do: done by then, it is dropped;
its holder gone (its process ended on this machine, or its lease ran out), it
is taken over. Alone on the store, a worker takes every row, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Share:
    """The rows of `ids`, in order, for one worker: `take` claims the next ones."""

    def __init__(
        self,
        ids: list[int],
        claim: Callable[[list[int]], list[Any]],
        held_elsewhere: Callable[[list[int]], list[int]],
    ):
        self.ids = ids
        self.cursor = 0
        self.elsewhere: list[
            int
        ] = []  # rows passed over: another worker held them, or had done them
        self._claim = claim
        self._held_elsewhere = held_elsewhere

    @property
    def untaken(self) -> bool:
        """Whether rows are left that this worker has not tried to claim yet."""
        return self.cursor < len(self.ids)

    def take(self, count: int) -> list[Any]:
        """Up to `count` more rows, claimed for this worker, in order."""
        taken: list[Any] = []
        while len(taken) < count and self.untaken:
            window = self.ids[self.cursor : self.cursor + count - len(taken)]
            self.cursor += len(window)
            got = self._claim(window)
            mine = {row.id for row in got}
            self.elsewhere += [i for i in window if i not in mine]
            taken += got
        return taken

    def retake(self) -> list[Any]:
        """The rows passed over that are free now (their holder gone); those done are dropped."""
        if not self.elsewhere:
            return []
        got = self._claim(self.elsewhere)
        mine = {row.id for row in got}
        self.elsewhere = self._held_elsewhere([i for i in self.elsewhere if i not in mine])
        return got

    def rest(self) -> list[Any]:
        """Every row not tried yet, claimed (the round is over: they are left for the next)."""
        return self.take(len(self.ids))
