"""Finding what an article says: its language, quotes, figures and entities.

Everything here is pure: plain strings in, plain data out.
"""

from __future__ import annotations

from briefing.analyze import entities, figures, language, quotes
from briefing.models import Analysis

# Bump when any analyser changes its output: stored analyses of an older
# version are redone, and only those.
VERSION = 8


def analyse(text: str, lang: str) -> Analysis:
    """Analyse one article body already known to be in `lang`."""
    found = tuple(quotes.find(text, lang))
    return Analysis(
        lang=lang,
        quotes=found,
        figures=tuple(figures.find(text, lang)),
        entities=tuple(entities.find(text, lang, found)),
    )


__all__ = ["VERSION", "analyse", "language"]
