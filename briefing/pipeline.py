"""Run the stages in order: fetch, extract, analyse, cluster, compose, render.

Each stage reads from the store, does only the work not yet done, and writes
its result back, so a crashed build resumes and a rebuild costs only what is new.
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from briefing import analyze
from briefing.config import Config, EditionConfig
from briefing.edition import DEFAULT_EDITION, Window, issue_key, window_for
from briefing.errors import BriefingError
from briefing.ingest.collect import extract_pending, fetch_round, utcnow
from briefing.ingest.http import HttpClient
from briefing.models import Analysis, Article, Edition, Story
from briefing.progress import Progress
from briefing.render import archive, output
from briefing.render.edition import write_edition
from briefing.store import Store
from briefing.stories import cluster, compose, embed, rank, select

log = logging.getLogger(__name__)

FORMATS = output.FORMATS  # what `build --format` accepts
EMBED_BATCH = 64


def analyse_pending(store: Store, progress: Progress) -> int:
    """Analyse every article whose analysis is missing or older than the analysers."""
    rows = store.articles_to_analyse(analyze.VERSION)
    with progress.step("analyse", len(rows)) as advance:
        for article in rows:
            if len(article.text) > analyze.MAX_CHARS:
                log.warning(
                    "article %s: %s characters; only the first %s analysed",
                    article.url,
                    f"{len(article.text):,}",
                    f"{analyze.MAX_CHARS:,}",
                )
            store.save_analysis(
                article.id, analyze.VERSION, analyze.analyse(article.text, article.lang), utcnow()
            )
            advance(1)
    return len(rows)


def stories_for(
    config: Config, store: Store, window: Window, progress: Progress, day: str = ""
) -> list[Story]:
    """Cluster the window's articles into stories (keeping stored story ids) and rank them."""
    shared = window_stories(config, store, window, progress)
    since = store.previous_edition_time(day) if day else None
    return rank.rank(select.select(shared.stories, select.Rules(), shared.texts, since=since))


@dataclass(frozen=True)
class WindowStories:
    """The stories of one window, shared by every edition closing at the same time."""

    window: Window
    stories: list[Story]  # ranked over the whole crawl; `updated` is decided per edition
    analyses: dict[int, Analysis]
    vectors: dict
    embedder: embed.Embedder
    texts: select.Texts

    def recompose(self, story: Story, articles: list[Article]) -> Story:
        """The story told from some of its articles only (an edition's feeds or languages)."""
        return compose.compose(
            story.id,
            articles,
            self.analyses,
            vectors=self.vectors,
            embed=self.embedder.embed,
            first_seen=story.first_seen,
            developing=story.developing,
        )


def window_stories(
    config: Config, store: Store, window: Window, progress: Progress
) -> WindowStories:
    """Cluster the window's articles into stories (keeping stored story ids), compose and rank them."""
    params = cluster.Params(
        same_language=config.stories.same_language, cross_language=config.stories.cross_language
    )
    pool = _pool(store, window, params.horizon)
    embedder = _embedder(config.stories.embedder)
    vectors = embed_pending(embedder, store, pool.clustered, progress)
    analyses = store.analyses({a.id for a in pool.articles} | {a.id for a in pool.clustered})
    groups, moved = _cluster(pool, vectors, analyses, params, progress)
    first_seen_of = store.save_stories(
        [
            (story_id, [a.id for a in members], min(a.when for a in members))
            for story_id, members in [*groups.items(), *moved.items()]
        ]
    )
    told = _compose(groups, first_seen_of, window, analyses, vectors, embedder, progress)
    return WindowStories(
        window, rank.rank(told), analyses, vectors, embedder, select.Texts(analyses)
    )


@functools.cache
def _embedder(spec: str) -> embed.Embedder:
    """One embedder per process and model: USE loads a 65 MB table (about 1.5 s of CPU)
    on first use, which editions closing at different times, and every morning of
    the scheduler, would otherwise each pay again."""
    return embed.embedder_for(spec)


@dataclass(frozen=True)
class _Pool:
    articles: list[Article]  # the window's articles, copies included
    originals: list[Article]  # the window's articles that are not copies of another in it
    copies: list[Article]  # copies (same link, same wire text) of an article in the window
    earlier: list[Article]  # before the window, within the clustering horizon
    known: dict[int, str]  # stored story id of the articles that have one
    clustered: list[Article]  # what clustering sees: earlier articles with a story, and originals


def _pool(store: Store, window: Window, horizon: timedelta) -> _Pool:
    """The articles an edition clusters.

    Articles of the days before the window that already belong to a story are
    candidates too, so today's report of yesterday's event joins its story
    (marked developing) instead of starting a new one.
    """
    articles = store.articles_between(window.start, window.end)
    in_window = {a.id for a in articles}
    originals = [a for a in articles if a.duplicate_of not in in_window]
    copies = [a for a in articles if a.duplicate_of in in_window]
    earlier = [
        a
        for a in store.articles_between(window.start - horizon, window.start)
        if a.duplicate_of is None
    ]
    known = store.story_ids([a.id for a in originals] + [a.id for a in earlier])
    clustered = [a for a in earlier if a.id in known] + originals
    return _Pool(articles, originals, copies, earlier, known, clustered)


def _cluster(
    pool: _Pool, vectors: dict, analyses: dict, params: cluster.Params, progress: Progress
) -> tuple[dict[str, list[Article]], dict[str, list[Article]]]:
    """({story id: the window's articles}, {story id: earlier articles that changed story})."""
    items = [
        cluster.item_for(a, vectors[a.id], analyses.get(a.id), pool.known.get(a.id))
        for a in pool.clustered
    ]
    urls = {a.id: a.url for a in pool.clustered}
    with progress.step("cluster", len(items)) as advance:
        assigned = cluster.assign(
            items, params, new_id=lambda item: cluster.story_id_for(urls[item.id])
        )
        advance(len(items))
    groups: dict[str, list[Article]] = {}
    for article in pool.originals:
        groups.setdefault(assigned[article.id], []).append(article)
    for copy in pool.copies:  # a copy joins its original's story and is not clustered itself
        groups[assigned[copy.duplicate_of]].append(copy)
    # An earlier story absorbed by an older one moves its earlier articles too.
    moved: dict[str, list[Article]] = {}
    for article in pool.earlier:
        if article.id in pool.known and assigned[article.id] != pool.known[article.id]:
            moved.setdefault(assigned[article.id], []).append(article)
    return groups, moved


def _compose(
    groups: dict[str, list[Article]],
    first_seen_of: dict,
    window: Window,
    analyses: dict[int, Analysis],
    vectors: dict,
    embedder: embed.Embedder,
    progress: Progress,
) -> list[Story]:
    """Each story told from its window's articles: headline, summary, key quotes and figures."""
    stories = []
    with progress.step("compose", len(groups)) as advance:
        for story_id, members in groups.items():
            first_seen = first_seen_of[story_id]
            stories.append(
                compose.compose(
                    story_id,
                    members,
                    analyses,
                    vectors=vectors,
                    embed=embedder.embed,
                    first_seen=first_seen,
                    developing=first_seen < window.start,
                )
            )
            advance(1)
    return stories


def embed_pending(
    embedder: embed.Embedder, store: Store, articles: list, progress: Progress
) -> dict:
    """Vectors of `articles`, embedding (and storing) only those not embedded yet."""
    key = embed.vector_key(embedder)
    vectors = store.vectors((a.id for a in articles), key)
    missing = [a for a in articles if a.id not in vectors]
    if missing:
        with progress.step("embed", len(missing)) as advance:
            for start in range(0, len(missing), EMBED_BATCH):
                batch = missing[start : start + EMBED_BATCH]
                fresh = embedder.embed([embed.article_text(a.title, a.text) for a in batch])
                found = {a.id: v for a, v in zip(batch, fresh, strict=True)}
                store.save_vectors(key, found)
                vectors.update(found)
                advance(len(batch))
    return vectors


def build(
    config: Config,
    day: date,
    span: timedelta,
    *,
    formats: tuple[str, ...] = FORMATS,
    fetch: bool = True,
    progress: Progress | None = None,
    edition: str | None = None,
) -> dict[str, Path]:
    """Build one edition of `day` (`edition`, or the config's only one); returns {format: path}."""
    if edition is None:
        if len(config.all_editions) > 1:
            names = ", ".join(e.name for e in config.all_editions)
            raise BriefingError(
                f"{config.path.name}: several editions ({names}): name the one to build"
            )
        edition = config.all_editions[0].name
    built = build_editions(
        config, day, span, editions=(edition,), formats=formats, fetch=fetch, progress=progress
    )
    return built[edition]


def build_editions(
    config: Config,
    day: date,
    span: timedelta,
    *,
    editions: tuple[str, ...] | None = None,
    formats: tuple[str, ...] = FORMATS,
    fetch: bool = True,
    progress: Progress | None = None,
) -> dict[str, dict[str, Path]]:
    """Build editions of `day` (all by default) from one crawl; returns {edition: {format: path}}.

    Feeds are fetched, pages extracted, analysed and embedded once whatever the
    number of editions, and the articles clustered once per window (editions
    closing at the same time share one); each edition then takes its stories.
    """
    progress = progress or Progress(quiet=True)
    chosen = [config.edition(name) for name in editions] if editions else config.all_editions
    crawl = config  # the feeds of the editions built: every feed when one of them takes all
    if all(e.feeds for e in chosen):
        wanted = {url for e in chosen for url in e.feeds}
        crawl = replace(config, feeds=tuple(f for f in config.feeds if f.url in wanted))
    written: dict[str, dict[str, Path]] = {}
    with Store.open(config) as store, HttpClient(config.fetch) as client:
        if fetch:
            report = fetch_round(crawl, store, client, progress)
            log.info(
                "fetched %d feeds (%d failed), %d new articles",
                report.feeds,
                report.failed,
                report.new_articles,
            )
            extracted = report.extracted
        else:
            extracted = extract_pending(config, store, client, progress)
        analysed = analyse_pending(store, progress)
        log.debug("extracted %d, analysed %d articles", extracted, analysed)
        windows: dict[Window, WindowStories] = {}
        for edition in chosen:
            window = window_for(day, edition.edition_time, config.tz, span)
            if window not in windows:
                windows[window] = window_stories(config, store, window, progress)
            written[edition.name] = _issue(
                config, store, edition, day, windows[window], formats, progress
            )
    for stage, seconds in progress.timings.items():
        log.debug("time %-8s %6.2fs", stage, seconds)
    return written


def _issue(
    config: Config,
    store: Store,
    edition: EditionConfig,
    day: date,
    shared: WindowStories,
    formats: tuple[str, ...],
    progress: Progress,
) -> dict[str, Path]:
    """Take one edition's stories from the window's, write its files and its archive, record them."""
    started = time.perf_counter()
    key = issue_key(edition.name, day.isoformat())
    with progress.step("select", len(shared.stories)) as advance:
        stories = select.select(
            shared.stories,
            select.Rules.of(edition.topics),
            shared.texts,
            feed_ids=frozenset(store.feed_ids(edition.feeds).values()) if edition.feeds else None,
            languages=edition.languages,
            since=store.previous_edition_time(key),
            recompose=shared.recompose,
        )
        advance(len(shared.stories))
    stories = rank.rank(stories)
    view = config.for_edition(edition)
    issue = Edition(
        date=day.isoformat(),
        generated_at=utcnow(),
        window_start=shared.window.start,
        window_end=shared.window.end,
        timezone=config.timezone,
        stories=tuple(stories),
        feeds=tuple(store.feed_health((f.url, f.name) for f in view.feeds)),
        edition=None if edition.name == DEFAULT_EDITION else edition.name,
    )
    written = write_edition(issue, view, formats, progress)
    store.save_edition(
        key,
        issue.generated_at,
        shared.window.start,
        shared.window.end,
        {k: str(v) for k, v in written.items()},
    )
    # The archive (index.html, index.json) lists every issue of the edition on disk, this one included.
    folder = config.output_dir / issue.edition if issue.edition else config.output_dir
    log.info("archive: %s", archive.write(view, utcnow(), folder)["html"])
    log.info(
        "%s%d stories from %d articles",
        f"{edition.name}: " if issue.edition else "",
        len(stories),
        sum(len(s.articles) for s in stories),
    )
    # What this edition adds to the shared crawl (bench/e2e.py --editions reads it).
    log.debug("time edition %s %.2fs", edition.name, time.perf_counter() - started)
    return written


def ensure_editions(
    config: Config, day: date, editions: tuple[str, ...], *, progress: Progress | None = None
) -> dict[str, dict[str, Path]]:
    """The files of editions of `day`, building those whose PDF or JSON is missing (one crawl)."""
    files = {
        name: output.paths(config.output_dir, issue_key(name, day.isoformat())) for name in editions
    }
    missing = tuple(
        name for name, f in files.items() if not (f["pdf"].is_file() and f["json"].is_file())
    )
    if missing:
        log.info(
            "edition %s not built yet: building it",
            ", ".join(issue_key(name, day.isoformat()) for name in missing),
        )
        files.update(
            build_editions(config, day, config.window, editions=missing, progress=progress)
        )
    return files
