"""Which edition a date means, the window of articles it covers, and its key in the store.

The edition of date D closes at `edition_time` in the configured time zone on
D and opens `window` earlier. Pure: the current time is passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_EDITION = "default"  # the edition of a config without `editions:`; written to today's paths


@dataclass(frozen=True)
class Window:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive


def resolve_date(text: str, now: datetime, tz: ZoneInfo) -> date:
    """`today`, `yesterday` (in the configured time zone) or YYYY-MM-DD.

    Raises ValueError with a message naming the accepted forms.
    """
    word = text.strip().lower()
    local_today = now.astimezone(tz).date()
    if word == "today":
        return local_today
    if word == "yesterday":
        return local_today - timedelta(days=1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            pass
    raise ValueError(f"not a date: {text!r} (use today, yesterday or YYYY-MM-DD)")


def window_for(day: date, edition_time: time, tz: ZoneInfo, span: timedelta) -> Window:
    """The window of the edition of `day`, in UTC."""
    end = datetime.combine(day, edition_time, tzinfo=tz).astimezone(UTC)
    return Window(start=end - span, end=end)


def issue_key(edition: str | None, day: str) -> str:
    """How the store names one day's issue of an edition: its folder under output_dir.

    The default edition keeps the bare date, so a config without `editions:`
    reads and writes the same rows (built editions, deliveries) as before.

    >>> issue_key("gulf", "2024-10-24"), issue_key("default", "2024-10-24")
    ('gulf/2024-10-24', '2024-10-24')
    """
    return day if edition in (None, "", DEFAULT_EDITION) else f"{edition}/{day}"
