"""Group articles into stories: decided story by story, across outlets and languages.

Every article starts as a story of its own, or inside the story it was stored
in. The two stories with the strongest link are merged, again and again,
while the link clears zero. The link between two stories is their *average*
link over every pair of their articles (cosine of the embeddings, less the
threshold for the pair's languages, plus a small bonus per salient number
both state), less a penalty for the days between the stories' mean times.
An average over the whole story cannot be carried by one close pair, so a
report that sits between two events does not glue them together (single
link did: one Arabic report of Israeli strikes in Syria joined the fall of
Damascus), while the many reports of one event, each near its story as a
whole, do meet (single link left the Georgia protests in five stories).

Two grown stories (three articles or more each) whose names disagree are
kept apart: a name two thirds of one story's articles give (Israel, Mayotte)
that no article of the other gives, though the other has articles in a
language the name was found in, costs the link `contrast` (two such names at
most on each side). Reports of the fall of Damascus never name Israel, while
every report of Israel's strikes in Syria does; without this, settings a
little looser than the defaults merged those two events (and Cyclone Chido
with the Vanuatu earthquake).

Sums make this cheap: for unit vectors the mean pairwise cosine of stories
A and B is sum(A)·sum(B) / (|A||B|), so a story is its vector sum, its
counts per language and per number, and its summed time. Links are looked
at only between stories that hold a pair of close articles (each article's
nearest neighbours within the time horizon), through a heap.

Stored stories keep their ids; two stored stories merge only when their
link clears `absorb` (the coverage has shown them to be one event), under the
id of the older. Thresholds are calibrated on real news by bench/eval_real.py.

Pure: vectors and plain data in, assignments out.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from briefing.config import StoriesConfig
from briefing.models import Analysis, Article


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
    # The thresholds users may set (stories.* in config.yaml) default to the config's
    # values, measured on real news (bench/eval_real.py) in the middle of a plateau.
    same_language: float = StoriesConfig.same_language  # average cosine, same language
    cross_language: float = StoriesConfig.cross_language  # the same, Arabic against English
    number_bonus: float = 0.0  # per salient number both articles state (measured: no gain)
    entity_bonus: float = 0.16  # per name both articles give, weighted by its rarity
    contrast: float = 0.05  # per name core to one grown story that the other never gives
    decay_per_day: float = 0.06  # a day between two stories' mean times costs this much link
    horizon: timedelta = timedelta(days=3)  # farther apart than this, never the same story
    absorb: float = 0.05  # link two already stored stories need to become one
    neighbours: int = 20  # nearest articles through which an article can link its story


DEFAULT = Params()

CHUNK = 512  # articles whose similarities are computed in one matrix product
_FLOOR = 0.15  # below the threshold by this much, a pair of articles is no link at all
_CORE_SHARE = 2 / 3  # a name this share of a story's articles give is core to it
_CORE_MIN = 3  # a story has core names from this many articles on
_CORE_COUNTED = 2  # at most this many of one story's core names count against the other


@dataclass
class _Story:
    key: int  # the index of its earliest article: a stable, comparable name
    vector: np.ndarray
    langs: Counter
    seconds: float  # sum of its articles' timestamps
    numbers: Counter
    entities: Counter
    members: list[int]
    stored: str | None = None
    version: int = 0
    near: set[int] = field(default_factory=set)  # keys of stories it may link to
    # core() and the size it was worked out at: a story only grows, so a new size
    # is a new core, and nothing has to remember to clear it.
    core_at: tuple[int, list[str]] = (0, [])

    def core(self) -> list[str]:
        """Names most of its articles give."""
        size = len(self.members)
        if self.core_at[0] != size:
            need = _CORE_SHARE * size
            self.core_at = (size, [name for name, count in self.entities.items() if count >= need])
        return self.core_at[1]


def assign(items: list[Item], params: Params = DEFAULT, new_id=None) -> dict[int, str]:
    """Story id of every item: stored stories keep theirs, new ones are found or created.

    An item of a stored story may change story only when its story is absorbed
    by an older one; callers save every returned assignment.
    """
    if not items:
        return {}
    new_id = new_id or (lambda item: story_id_for(item.id))
    ordered = sorted(items, key=lambda i: (i.when, i.id))
    stories = _initial_stories(ordered)
    owner = {m: s.key for s in stories.values() for m in s.members}
    for a, b in _close_pairs(ordered, params):
        sa, sb = owner[a], owner[b]
        if sa != sb:
            stories[sa].near.add(sb)
            stories[sb].near.add(sa)
    weights = _rarity(ordered)
    reach = _languages_of_names(ordered)
    heap: list[tuple[float, int, int, int, int]] = []
    for story in stories.values():
        _push_links(heap, story, stories, params, weights, reach, later_only=True)
    while heap:
        negative, a, b, version_a, version_b = heapq.heappop(heap)
        if a not in stories or b not in stories:
            continue
        first, second = stories[a], stories[b]
        if first.version != version_a or second.version != version_b:
            continue  # one of them grew since: its links were pushed again
        if first.stored and second.stored and -negative < params.absorb:
            continue
        _merge(first, second, stories)
        _push_links(heap, first, stories, params, weights, reach)
    out: dict[int, str] = {}
    for story in stories.values():
        story_id = story.stored or new_id(ordered[story.key])
        for member in story.members:
            out[ordered[member].id] = story_id
    return out


def _initial_stories(ordered: list[Item]) -> dict[int, _Story]:
    by_stored: dict[str, _Story] = {}
    stories: dict[int, _Story] = {}
    for index, item in enumerate(ordered):
        if item.story is not None and item.story in by_stored:
            story = by_stored[item.story]
            story.vector = story.vector + item.vector
            story.langs[item.lang] += 1
            story.seconds += item.when.timestamp()
            story.numbers.update(item.numbers)
            story.entities.update(item.entities)
            story.members.append(index)
            continue
        story = _Story(
            key=index,
            vector=item.vector.astype(np.float64),
            langs=Counter([item.lang]),
            seconds=item.when.timestamp(),
            numbers=Counter(item.numbers),
            entities=Counter(item.entities),
            members=[index],
            stored=item.story,
        )
        stories[index] = story
        if item.story is not None:
            by_stored[item.story] = story
    return stories


def _close_pairs(ordered: list[Item], params: Params):
    """(i, j) index pairs of articles close enough to link their stories: nearest neighbours in time."""
    vectors = np.stack([i.vector for i in ordered]).astype(np.float32, copy=False)
    times = np.array([i.when.timestamp() for i in ordered])
    horizon = params.horizon.total_seconds()
    floor = min(params.same_language, params.cross_language) - _FLOOR
    for start in range(0, len(ordered), CHUNK):
        end = min(len(ordered), start + CHUNK)
        lo = int(np.searchsorted(times, times[start] - horizon, side="left"))
        hi = int(np.searchsorted(times, times[end - 1] + horizon, side="right"))
        similarities = vectors[start:end] @ vectors[lo:hi].T
        for k in range(start, end):
            row = similarities[k - start]
            row[k - lo] = -1.0  # not itself
            near = np.nonzero(row >= floor)[0]
            if len(near) > params.neighbours:
                near = near[np.argpartition(-row[near], params.neighbours)[: params.neighbours]]
            for j in near + lo:
                if abs(times[j] - times[k]) <= horizon:
                    yield k, int(j)


def _rarity(ordered: list[Item]) -> dict[str, float]:
    """Weight of each entity: a name few articles give (Mayotte) tells more than one most give (Syria)."""
    counts = Counter(name for item in ordered for name in item.entities)
    total = len(ordered)
    return {
        name: math.log(1 + total / count) / math.log(1 + total) for name, count in counts.items()
    }


def _languages_of_names(ordered: list[Item]) -> dict[str, set[str]]:
    """The languages each name is found in: only there can its absence tell anything."""
    reach: dict[str, set[str]] = {}
    for item in ordered:
        for name in item.entities:
            reach.setdefault(name, set()).add(item.lang)
    return reach


def _push_links(
    heap: list,
    story: _Story,
    stories: dict[int, _Story],
    params: Params,
    weights: dict,
    reach: dict[str, set[str]],
    later_only: bool = False,
) -> None:
    """Push the story's links to the stories near it that clear zero (vectorised over them).

    `later_only` pushes each pair once when every story pushes its own.
    """
    near = sorted(k for k in story.near if k > story.key) if later_only else sorted(story.near)
    if not near:
        return
    others = [stories[k] for k in near]
    size = len(story.members)
    sizes = np.array([len(o.members) for o in others], dtype=np.float64)
    pairs = sizes * size
    cosines = np.stack([o.vector for o in others]) @ story.vector
    same = np.array(
        [sum(c * o.langs.get(lang, 0) for lang, c in story.langs.items()) for o in others],
        dtype=np.float64,
    )
    total = cosines - same * params.same_language - (pairs - same) * params.cross_language
    if params.number_bonus:
        total += params.number_bonus * np.array([_shared(story.numbers, o.numbers) for o in others])
    if params.entity_bonus:
        total += params.entity_bonus * np.array(
            [_shared(story.entities, o.entities, weights) for o in others]
        )
    if params.contrast and size >= _CORE_MIN:
        core = story.core()
        total -= (
            params.contrast
            * pairs
            * np.array(
                [
                    _unshared(core, o.entities, o.langs, reach)
                    + _unshared(o.core(), story.entities, story.langs, reach)
                    if len(o.members) >= _CORE_MIN
                    else 0
                    for o in others
                ],
                dtype=np.float64,
            )
        )
    apart = np.abs(np.array([o.seconds for o in others]) / sizes - story.seconds / size)
    links = total / pairs - params.decay_per_day * apart / 86400
    horizon = params.horizon.total_seconds()
    for other, value, gap in zip(others, links.tolist(), apart.tolist(), strict=True):
        if value < 0 or gap > horizon:
            continue
        a, b = (story, other) if story.key < other.key else (other, story)
        heapq.heappush(heap, (-value, a.key, b.key, a.version, b.version))


def _shared(left: Counter, right: Counter, weights: dict | None = None) -> float:
    """Pairs of articles, one from each side, giving the same value: summed over values."""
    if len(left) > len(right):
        left, right = right, left
    return sum(
        count * right[key] * (weights[key] if weights else 1.0)
        for key, count in left.items()
        if key in right
    )


def _unshared(core: list[str], names: Counter, langs: Counter, reach: dict) -> int:
    """Core names of one story that the other story's articles never give, though they could
    (the name was found in a language the other story has articles in), at most two: a story
    that lists names (the co-hosts of another World Cup) is not thereby another event."""
    missing = sum(1 for name in core if name not in names and not reach[name].isdisjoint(langs))
    return min(missing, _CORE_COUNTED)


def _merge(keep: _Story, gone: _Story, stories: dict[int, _Story]) -> None:
    # `keep` holds the earlier first article, so its stored id is the older one.
    keep.stored = keep.stored or gone.stored
    keep.vector = keep.vector + gone.vector
    keep.langs.update(gone.langs)
    keep.seconds += gone.seconds
    keep.numbers.update(gone.numbers)
    keep.entities.update(gone.entities)
    keep.members.extend(gone.members)
    keep.near = (keep.near | gone.near) - {keep.key, gone.key}
    keep.version += 1
    del stories[gone.key]
    for key in gone.near:
        if key in stories:
            stories[key].near.discard(gone.key)
            if key != keep.key:
                stories[key].near.add(keep.key)


def item_for(article: Article, vector: np.ndarray, analysis: Analysis | None, story=None) -> Item:
    """What clustering knows of an article: language, time, vector, numbers and names."""
    return Item(
        id=article.id,
        lang=article.lang,
        when=article.when,
        vector=vector,
        numbers=salient_numbers(f.value for f in analysis.figures) if analysis else frozenset(),
        entities=frozenset(e.text for e in analysis.entities) if analysis else frozenset(),
        story=story,
    )


def salient_numbers(values) -> frozenset[float]:
    """Figure values that identify an event: not small counts, not years."""
    return frozenset(
        v for v in values if v >= 20 and not (1900 <= v <= 2100 and float(v).is_integer())
    )


def story_id_for(article_id: int | str) -> str:
    """A new story's id, derived from its first article: stable across rebuilds."""
    return "s" + hashlib.sha1(str(article_id).encode()).hexdigest()[:12]
