from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from briefing.edition import resolve_date, window_for

RIYADH = ZoneInfo("Asia/Riyadh")


def test_today_and_yesterday_are_days_of_the_configured_time_zone():
    late_utc = datetime(2024, 10, 23, 22, 30, tzinfo=UTC)  # already the 24th in Riyadh
    assert resolve_date("today", late_utc, RIYADH) == date(2024, 10, 24)
    assert resolve_date("yesterday", late_utc, RIYADH) == date(2024, 10, 23)
    assert resolve_date("today", late_utc, ZoneInfo("UTC")) == date(2024, 10, 23)
    assert resolve_date("2024-02-29", late_utc, RIYADH) == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["tomorrow", "2024-13-01", "24/10/2024", ""])
def test_other_dates_are_refused(text):
    with pytest.raises(ValueError, match="not a date"):
        resolve_date(text, datetime.now(UTC), RIYADH)


def test_the_window_closes_at_edition_time_in_the_time_zone():
    window = window_for(date(2024, 10, 24), time(6, 0), RIYADH, timedelta(hours=36))
    assert window.end == datetime(2024, 10, 24, 3, 0, tzinfo=UTC)
    assert window.start == datetime(2024, 10, 22, 15, 0, tzinfo=UTC)


def test_a_daylight_saving_day_keeps_the_local_edition_time():
    berlin = ZoneInfo("Europe/Berlin")
    before = window_for(date(2024, 10, 26), time(6, 0), berlin, timedelta(hours=24))
    after = window_for(date(2024, 10, 28), time(6, 0), berlin, timedelta(hours=24))
    assert before.end.hour == 4 and after.end.hour == 5  # CEST then CET
