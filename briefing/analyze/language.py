"""The language of an article: the feed's word first, else the script."""

from __future__ import annotations

import re

from briefing.analyze.arabic import ARABIC_LETTER

_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_ARABIC_SCRIPT = {"ar", "fa", "ur", "ps", "ku", "ckb"}


def detect(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of `text`, trusting a language the feed declared.

    >>> detect("قال وزير الدفاع")
    'ar'
    """
    sample = text[:4000]
    arabic = len(ARABIC_LETTER.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    by_script = "ar" if arabic and arabic >= latin * 0.5 else "en"
    if declared:
        declared = declared.lower().split("-")[0]
        # A feed's declared language is trusted unless the script says otherwise:
        # mixed feeds (an English feed carrying an Arabic piece) exist.
        if (declared in _ARABIC_SCRIPT) == (by_script == "ar") or arabic + latin < 20:
            return declared
    return by_script
