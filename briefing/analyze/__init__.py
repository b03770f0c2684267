"""Finding what an article says: its language, quotes, figures and entities.

Everything here is pure: plain strings in, plain data out.
"""

from __future__ import annotations

from briefing.analyze import entities, figures, language, quotes
from briefing.models import Analysis

# Bump when any analyser changes its output: stored analyses of an older
# version are redone, and only those.
VERSION = 12

# Measured on real news (../shared/realnews, one core): 2.5 ms (Arabic) to 4.4 ms
# (English) per 1,000 characters for articles of one or two thousand, rising with
# length (about 7 ms at 320,000: attribution looks back over what came before).
# A long-read is 30,000 characters; 100,000 cost under a second, where a 9.5 MB
# page would keep the analysers busy for minutes. Past this, a page is not an article.
MAX_CHARS = 100_000


def analysed_part(text: str) -> str:
    """The part of `text` the analysers read: all of it, or its first MAX_CHARS
    characters cut at the last paragraph (else word) boundary before the limit."""
    if len(text) <= MAX_CHARS:
        return text
    head = text[:MAX_CHARS]
    for boundary in ("\n", " "):
        cut = head.rfind(boundary)
        if cut > MAX_CHARS * 0.8:
            return head[:cut]
    return head


def analyse(text: str, lang: str) -> Analysis:
    """Analyse one article body already known to be in `lang` (its first MAX_CHARS at most)."""
    text = analysed_part(text)
    found = tuple(quotes.find(text, lang))
    return Analysis(
        lang=lang,
        quotes=found,
        figures=tuple(figures.find(text, lang)),
        entities=tuple(entities.find(text, lang, found)),
    )


__all__ = ["MAX_CHARS", "VERSION", "analyse", "analysed_part", "language"]
