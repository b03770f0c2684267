"""The language of an article: the feed's word first, else the script."""

from __future__ import annotations

import re

from briefing.analyze.arabic import ARABIC_LETTER

_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def detect(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of `text`, trusting a language the feed declared.

    >>> detect("قال وزير الدفاع")
    'ar'
    """
    if declared:
        return declared.lower().split("-")[0]
    sample = text[:4000]
    arabic = len(ARABIC_LETTER.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    if arabic and arabic >= latin * 0.5:
        return "ar"
    return "en"
