"""The language of an article: the feed's word, else the script, else py3langid.

py3langid runs offline (its model is inside the package) and is restricted to
the languages in play — those the configured feeds declare, plus Arabic and
English — so a short English headline is never taken for Frisian.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.analyze.arabic import ARABIC_LETTER

_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_ARABIC_SCRIPT = {"ar", "fa", "ur", "ps", "ku", "ckb"}
DEFAULT_LANGUAGES = ("ar", "en")


def detect(
    text: str, declared: str | None = None, candidates: tuple[str, ...] = DEFAULT_LANGUAGES
) -> str:
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
    if by_script == "ar":
        arabic_script = tuple(c for c in candidates if c in _ARABIC_SCRIPT)
        return (
            arabic_script[0]
            if len(arabic_script) == 1
            else _identify(sample, arabic_script or ("ar",))
        )
    latin_script = tuple(sorted(c for c in candidates if c not in _ARABIC_SCRIPT))
    if len(latin_script) <= 1 or latin < 20:
        return latin_script[0] if latin_script else "en"
    return _identify(sample, latin_script)


def _identify(text: str, languages: tuple[str, ...]) -> str:
    if len(languages) == 1:
        return languages[0]
    return _identifier(tuple(sorted(languages))).classify(text)[0]


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(languages))
    return identifier
