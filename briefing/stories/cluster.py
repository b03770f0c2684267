"""Group the window's articles into stories.

Placeholder: articles whose normalised titles are identical form one story
(wire copy republished by several outlets). Real cross-language clustering
replaces this (issue #5) behind the same function.
"""

from __future__ import annotations

import hashlib
import re

from briefing.analyze.arabic import fold
from briefing.models import Article


def title_key(title: str) -> str:
    """A normalised title: case, punctuation, Arabic letter forms and digits folded.

    >>> title_key("North Korea sends troops — Russia!") == title_key("north korea sends troops: russia")
    True
    """
    folded = fold(title).casefold()
    return " ".join(re.findall(r"\w+", folded))


def group(articles: list[Article]) -> list[tuple[str, list[Article]]]:
    """(cluster key, articles) for each story, in order of first article."""
    clusters: dict[str, list[Article]] = {}
    for article in articles:
        clusters.setdefault(title_key(article.title) or f"article-{article.id}", []).append(article)
    return list(clusters.items())


def new_story_id(key: str) -> str:
    """A story id derived from its first cluster key: stable across rebuilds."""
    return "s" + hashlib.sha1(key.encode()).hexdigest()[:12]
