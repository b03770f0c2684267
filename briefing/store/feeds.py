"""The store's feeds: their state for the next fetch, their health, and the claims of a round."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import func, or_, select, update

from briefing.claims import holder_alive
from briefing.models import FeedHealth, FeedState
from briefing.schema import articles, feeds
from briefing.store.rows import feed_state_of, utc_iso, waiting_for_page


class FeedQueries:
    """Queries on `feeds` (a part of Store)."""

    def feed_id(self, url: str, name: str, lang: str | None) -> int:
        return self.feed_ids_for([(url, name, lang)])[url]

    def feed_ids_for(self, configured: Iterable[tuple[str, str, str | None]]) -> dict[str, int]:
        """{URL: feed id} of the configured feeds (url, name, lang), stored if new, in one transaction."""
        configured = list(configured)
        with self.transaction() as c:
            for url, name, lang in configured:
                upsert = self.insert(feeds).values(url=url, name=name, lang=lang)
                c.execute(
                    upsert.on_conflict_do_update(
                        index_elements=[feeds.c.url],
                        set_={"name": upsert.excluded.name, "lang": upsert.excluded.lang},
                    )
                )
            rows = c.execute(
                select(feeds.c.url, feeds.c.id).where(
                    feeds.c.url.in_([u for u, _, _ in configured])
                )
            ).all()
        return {row.url: row.id for row in rows}

    def feed_ids(self, urls: Iterable[str]) -> dict[str, int]:
        """{configured URL: feed id} of the feeds already stored."""
        rows = self._in_chunks(
            lambda chunk: select(feeds.c.url, feeds.c.id).where(feeds.c.url.in_(chunk)), urls
        )
        return {row.url: row.id for row in rows}

    def feed_state(self, feed_id: int) -> FeedState:
        return feed_state_of(self._all(select(feeds).where(feeds.c.id == feed_id))[0])

    def claim_feeds(
        self,
        ids: list[int],
        holder: str,
        now: datetime,
        until: datetime,
        round_start: datetime,
        alive: Callable[[str], bool] = holder_alive,
    ) -> list[FeedState]:
        """Take the feeds of `ids` no round has fetched since `round_start` and nobody holds.

        Rounds running at once (workers started together) so fetch each feed once.
        """
        return [
            feed_state_of(row)
            for row in self._claim(
                feeds,
                select(feeds).where(
                    or_(
                        feeds.c.fetched_at.is_(None),
                        feeds.c.fetched_at < utc_iso(round_start, "microseconds"),
                    )
                ),
                ids,
                holder,
                now,
                until,
                alive,
            )
        ]

    def feeds_held_elsewhere(self, ids: list[int], holder: str) -> list[int]:
        """Of `ids`, the feeds another round holds now."""
        return self._held_elsewhere(feeds, ids, holder)

    def record_feed_attempt(
        self,
        feed_id: int,
        *,
        status: str,
        when: datetime,
        http_status: int | None = None,
        items: int = 0,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        unconditional: bool = False,
        current_url: str | None = None,
    ) -> None:
        """Record one fetch of a feed (and let its claim go); validators are kept when the response has none."""
        done = {
            "last_attempt": utc_iso(when),
            "http_status": http_status,
            "fetched_at": utc_iso(datetime.now(UTC), "microseconds"),
            "claimed_by": None,
            "lease_until": None,
        }
        if status == "error":
            values = {
                **done,
                "status": "error",
                "last_error": error,
                "consecutive_failures": feeds.c.consecutive_failures + 1,
            }
        else:
            values = {
                **done,
                "last_success": utc_iso(when),
                "status": status,
                "items": items,
                "last_error": error,
                "consecutive_failures": 0,
                "etag": func.coalesce(etag, feeds.c.etag),
                "last_modified": func.coalesce(last_modified, feeds.c.last_modified),
                "current_url": func.coalesce(current_url, feeds.c.current_url),
            }
            if unconditional:
                values["last_unconditional"] = utc_iso(when)
        with self.transaction() as c:
            c.execute(update(feeds).where(feeds.c.id == feed_id).values(values))

    def feed_health(self, configured: Iterable[tuple[str, str]]) -> list[FeedHealth]:
        """Health of the configured feeds (url, name), in config order."""
        out = []
        for url, name in configured:
            found = self._all(select(feeds).where(feeds.c.url == url))
            if not found:
                out.append(FeedHealth(url=url, name=name, status="never"))
                continue
            state = feed_state_of(found[0])
            waiting = self.connection.execute(
                select(func.count())
                .select_from(articles)
                .where(articles.c.feed_id == state.id, waiting_for_page())
            ).scalar_one()
            out.append(
                FeedHealth(
                    url=url,
                    name=name,
                    status=state.status,
                    items=state.items,
                    error=state.last_error,
                    http_status=state.http_status,
                    last_attempt=state.last_attempt,
                    last_success=state.last_success,
                    consecutive_failures=state.consecutive_failures,
                    moved_to=state.current_url,
                    pages_waiting=waiting,
                )
            )
        return out
