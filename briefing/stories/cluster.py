"""Group articles into stories: incremental, across outlets and languages.

Each article not yet in a story is taken in order of publication and joins
the story it links to best, or starts a new one. The link between an article
and a story member is the cosine of their embeddings, plus a small bonus for
each salient number both state (1500 = ١٥٠٠ = 1,500), minus a penalty that
grows with the time between them; the story's score is its best member's
(single link), and the article joins when that score clears the threshold for
the pair's languages. Articles already in a story stay there, so story ids
survive rebuilds and days. Thresholds are calibrated by bench/eval_stories.py.

Pure: vectors and plain data in, assignments out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np


@dataclass(frozen=True)
class Item:
    id: int
    lang: str
    when: datetime
    vector: np.ndarray  # unit length
    numbers: frozenset[float] = frozenset()  # salient figure values
    entities: frozenset[str] = (
        frozenset()
    )  # places, organisations, people (one name across scripts)
    story: str | None = None  # already assigned


@dataclass(frozen=True)
class Params:
    same_language: float = 0.60  # cosine needed between two articles in one language
    cross_language: float = 0.50  # and between Arabic and English (embeddings align less tightly)
    number_bonus: float = 0.04  # per shared salient number, at most two
    entity_bonus: float = (
        0.0  # per shared entity, at most two (measured: no gain, see bench/eval_stories.py)
    )
    decay_per_day: float = 0.04  # a day apart costs this much similarity
    horizon: timedelta = timedelta(days=3)  # farther apart than this, never the same story


DEFAULT = Params()


CHUNK = 512  # articles whose similarities are computed in one matrix product


def assign(items: list[Item], params: Params = DEFAULT, new_id=None) -> dict[int, str]:
    """Story id of every item: kept for assigned ones, found or created for the rest.

    Similarities are computed a chunk of articles at a time against the
    articles within the time horizon (one BLAS product per chunk), so memory
    stays bounded and 10,000 articles take seconds.
    """
    if not items:
        return {}
    new_id = new_id or (lambda item: story_id_for(item.id))
    ordered = sorted(items, key=lambda i: (i.when, i.id))
    vectors = np.stack([i.vector for i in ordered]).astype(np.float32, copy=False)
    times = np.array([i.when.timestamp() for i in ordered])
    stories: list[str | None] = [i.story for i in ordered]
    horizon = params.horizon.total_seconds()
    floor = min(params.same_language, params.cross_language) - 2 * (
        params.number_bonus + params.entity_bonus
    )
    for start in range(0, len(ordered), CHUNK):
        end = min(len(ordered), start + CHUNK)
        lo = int(np.searchsorted(times, times[start] - horizon, side="left"))
        hi = int(np.searchsorted(times, times[end - 1] + horizon, side="right"))
        similarities = vectors[start:end] @ vectors[lo:hi].T
        for k in range(start, end):
            if stories[k] is not None:
                continue
            item, row = ordered[k], similarities[k - start]
            # Only articles already in a story, within the horizon, similar enough to matter.
            candidates = np.nonzero(row >= floor)[0] + lo
            best_story, best_margin = None, 0.0
            for j in candidates[np.argsort(-row[candidates - lo])][:50]:
                if j == k or stories[j] is None:
                    continue
                margin = _margin(item, ordered[j], float(row[j - lo]), params)
                if margin >= 0 and (best_story is None or margin > best_margin):
                    best_story, best_margin = stories[j], margin
            stories[k] = best_story or new_id(item)
    return {item.id: story for item, story in zip(ordered, stories, strict=True)}


def _margin(item: Item, member: Item, cosine: float, params: Params) -> float:
    if abs((item.when - member.when).total_seconds()) > params.horizon.total_seconds():
        return -1.0
    threshold = params.same_language if item.lang == member.lang else params.cross_language
    return _similarity(item, member, cosine, params) - threshold


def _similarity(a: Item, b: Item, cosine: float, params: Params) -> float:
    days = abs((a.when - b.when).total_seconds()) / 86400
    shared = len(a.numbers & b.numbers)
    entities = len(a.entities & b.entities) if params.entity_bonus else 0
    return (
        cosine
        + params.number_bonus * min(shared, 2)
        + params.entity_bonus * min(entities, 2)
        - params.decay_per_day * days
    )


def salient_numbers(values) -> frozenset[float]:
    """Figure values that identify an event: not small counts, not years."""
    return frozenset(
        v for v in values if v >= 20 and not (1900 <= v <= 2100 and float(v).is_integer())
    )


def story_id_for(article_id: int | str) -> str:
    """A new story's id, derived from its first article: stable across rebuilds."""
    return "s" + hashlib.sha1(str(article_id).encode()).hexdigest()[:12]
