"""The one Arabic text normaliser, used by every analyser.

Two levels: `digits` keeps every character position (so offsets found in the
normalised text are offsets in the original), `fold` goes further for
matching (alef forms, diacritics, tatweel, final yaa/taa marbuta).
"""

from __future__ import annotations

import re

ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫",  # Arabic-Indic, Eastern Arabic-Indic, separators
    "01234567890123456789,.",
)
_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)


def digits(text: str) -> str:
    """Arabic-Indic digits and separators to ASCII, one character for one.

    >>> digits("١٣٬٠٠٠ و٢٫٥")
    '13,000 و2.5'
    """
    return text.translate(_DIGITS)


def strip_diacritics(text: str) -> str:
    """No harakat, dagger alef or tatweel; the letters themselves are kept.

    >>> strip_diacritics("قائلًا")
    'قائلا'
    """
    return _DIACRITICS.sub("", text)


def fold(text: str) -> str:
    """A matching key: digits, no diacritics or tatweel, one alef, one yaa.

    >>> fold("أُرسِلت إلى")
    'ارسلت الي'
    """
    return strip_diacritics(digits(text)).translate(_FOLD)


def is_arabic(text: str) -> bool:
    return bool(ARABIC_LETTER.search(text))
