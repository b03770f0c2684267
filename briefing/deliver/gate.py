"""Whether an edition is news worth mailing, or a false edition to hold back.

With the network gone every feed fails and the edition says "no articles were
published"; mailed and recorded, it would stand in for the real one. Held
back, nothing is recorded and the next run (the scheduler's, or `send` after
a rebuild) tries again. Pure.
"""

from __future__ import annotations

from typing import Any

from briefing.errors import FalseEdition


def check(edition: dict[str, Any], min_stories: int) -> None:
    """Raise FalseEdition when no feed could be read or fewer than `min_stories` stories exist."""
    day = edition["date"]
    feeds = edition.get("feeds") or []
    if feeds and not any(feed.get("status") in ("ok", "not_modified") for feed in feeds):
        raise FalseEdition(
            f"edition {day} not sent: none of its {len(feeds)} feeds could be read"
            f" ({feeds[0]['name']}: {feeds[0].get('error') or feeds[0]['status']}); rebuild it when they answer"
        )
    stories = len(edition.get("stories") or [])
    if stories < min_stories:
        raise FalseEdition(
            f"edition {day} not sent: {stories} stor{'y' if stories == 1 else 'ies'},"
            f" fewer than email.min_stories ({min_stories})"
        )
