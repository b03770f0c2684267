"""The Hijri date of the Arabic masthead: the tabular Islamic calendar.

The tabular (arithmetical) calendar can differ by a day from the sighting-based
or Umm al-Qura calendars a country announces; a masthead date is what it is
used for, not religious observance.
"""

from __future__ import annotations

from datetime import date

MONTHS_AR = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
_EPOCH = 1948438.5  # Julian day of 1 Muharram 1 AH (astronomical epoch, as the Kuwaiti algorithm)


def to_hijri(day: date) -> tuple[int, int, int]:
    """(year, month, day) of the tabular Islamic calendar.

    >>> to_hijri(date(2024, 10, 24))
    (1446, 4, 21)
    """
    julian = day.toordinal() + 1721424.5
    days = int(julian - _EPOCH)
    year = (30 * days + 10646) // 10631
    month = min(12, int((days - 29 - _year_start(year)) / 29.5 + 1.99))
    month = max(1, month)
    start = _year_start(year) + int(29.5 * (month - 1) + 0.5)
    return year, month, days - start + 1


def _year_start(year: int) -> int:
    return (year - 1) * 354 + (3 + 11 * year) // 30


def hijri_ar(day: date) -> str:
    """«21 ربيع الآخر 1446 هـ»."""
    year, month, dom = to_hijri(day)
    return f"{dom} {MONTHS_AR[month - 1]} {year} هـ"
