"""Finding what an article says: its language, quotes, figures and entities.

Everything here is pure: plain strings in, plain data out.
"""

from __future__ import annotations

from briefing.analyze import figures, language, quotes
from briefing.models import Analysis

# Bump when any analyser changes its output: stored analyses of an older
# version are redone, and only those.
VERSION = 2


def analyse(text: str, lang: str) -> Analysis:
    """Analyse one article body already known to be in `lang`."""
    return Analysis(
        lang=lang, quotes=tuple(quotes.find(text, lang)), figures=tuple(figures.find(text, lang))
    )


__all__ = ["VERSION", "analyse", "language"]
