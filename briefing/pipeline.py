"""Run the stages in order: fetch, extract, analyse, cluster, compose, render.

Each stage reads from the store, does only the work not yet done, and writes
its result back, so a crashed build resumes and a rebuild costs only what is new.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from briefing import analyze
from briefing.config import Config
from briefing.edition import Window, window_for
from briefing.ingest.collect import extract_pending, fetch_feeds
from briefing.ingest.http import HttpClient
from briefing.models import Edition, Story
from briefing.progress import Progress
from briefing.render import export, html, pdf
from briefing.resources import default_templates_dir, fonts_dir
from briefing.store import Store
from briefing.stories import cluster, compose, rank

log = logging.getLogger("briefing")

FORMATS = ("pdf", "html", "json")


def utcnow() -> datetime:
    return datetime.now(UTC)


def analyse_pending(store: Store, progress: Progress) -> int:
    """Analyse every article whose analysis is missing or older than the analysers."""
    rows = store.articles_to_analyse(analyze.VERSION)
    with progress.step("analyse", len(rows)) as advance:
        for row in rows:
            store.save_analysis(
                row["id"], analyze.VERSION, analyze.analyse(row["text"], row["lang"]), utcnow()
            )
            advance(1)
    return len(rows)


def stories_for(store: Store, window: Window, progress: Progress) -> list[Story]:
    """Cluster the window's articles into stories (keeping stored story ids) and rank them."""
    articles = store.articles_between(window.start, window.end)
    analyses = store.analyses(a.id for a in articles)
    known = store.story_ids(a.id for a in articles)
    in_window = {a.id for a in articles}
    # A copy (same link, same wire text) joins its original's story and is not clustered itself.
    copies = [a for a in articles if a.duplicate_of in in_window]
    groups = cluster.group([a for a in articles if a.duplicate_of not in in_window])
    group_of = {a.id: members for _, members in groups for a in members}
    for copy in copies:
        group_of[copy.duplicate_of].append(copy)
    used: set[str] = set()
    stories = []
    with progress.step("cluster", len(groups)) as advance:
        for key, members in groups:
            votes = Counter(
                known[a.id] for a in members if a.id in known and known[a.id] not in used
            )
            story_id = votes.most_common(1)[0][0] if votes else cluster.new_story_id(key)
            while story_id in used:  # two groups may not share an id
                story_id = cluster.new_story_id(story_id + key)
            used.add(story_id)
            first_seen = store.save_story(
                story_id, key, [a.id for a in members], min(a.when for a in members)
            )
            stories.append(
                compose.compose(
                    story_id,
                    members,
                    analyses,
                    first_seen=first_seen,
                    developing=first_seen < window.start,
                )
            )
            advance(1)
    return rank.rank(stories)


def build(
    config: Config,
    day: date,
    span: timedelta,
    *,
    formats: tuple[str, ...] = FORMATS,
    fetch: bool = True,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Build the edition of `day` and write its files; returns {format: path}."""
    progress = progress or Progress(quiet=True)
    window = window_for(day, config.edition_time, config.tz, span)
    with Store(config.db_path) as store, HttpClient(config.fetch) as client:
        if fetch:
            report = fetch_feeds(config, store, client, progress)
            log.info(
                "fetched %d feeds (%d failed), %d new articles",
                report.feeds,
                report.failed,
                report.new_articles,
            )
        extracted = extract_pending(config, store, client, progress)
        analysed = analyse_pending(store, progress)
        log.debug("extracted %d, analysed %d articles", extracted, analysed)
        stories = stories_for(store, window, progress)
        edition = Edition(
            date=day.isoformat(),
            generated_at=utcnow(),
            window_start=window.start,
            window_end=window.end,
            timezone=config.timezone,
            stories=tuple(stories),
            feeds=tuple(store.feed_health((f.url, f.name) for f in config.feeds)),
        )
        written = write_edition(edition, config, formats, progress)
        store.save_edition(
            edition.date,
            edition.generated_at,
            window.start,
            window.end,
            {k: str(v) for k, v in written.items()},
        )
    log.info("%d stories from %d articles", len(stories), sum(len(s.articles) for s in stories))
    for stage, seconds in progress.timings.items():
        log.debug("time %-8s %6.2fs", stage, seconds)
    return written


def write_edition(
    edition: Edition, config: Config, formats: tuple[str, ...], progress: Progress
) -> dict[str, Path]:
    """Render the requested formats into <output_dir>/<date>/ (each file replaced atomically)."""
    folder = config.output_dir / edition.date
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with progress.step("render", len(formats)) as advance:
        if "json" in formats:
            data = json.dumps(export.to_json(edition), ensure_ascii=False, indent=2)
            written["json"] = _replace(folder / "briefing.json", data.encode("utf-8"))
            advance(1)
        if "html" in formats:
            written["html"] = _replace(
                folder / "briefing.html", html.render(edition, config).encode("utf-8")
            )
            advance(1)
        if "pdf" in formats:
            document = html.render(edition, config, for_pdf=True)
            roots = [*html.template_dirs(config), default_templates_dir(), fonts_dir()]
            partial = folder / "briefing.pdf.part"
            pdf.write(document, partial, roots)
            os.replace(partial, folder / "briefing.pdf")
            written["pdf"] = folder / "briefing.pdf"
            advance(1)
    return {fmt: written[fmt] for fmt in FORMATS if fmt in written}


def _replace(path: Path, content: bytes) -> Path:
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(content)
    os.replace(partial, path)
    return path


def ensure_edition(
    config: Config, day: date, *, progress: Progress | None = None
) -> dict[str, Path]:
    """The files of edition `day`, building it first (with a fetch) when its PDF or JSON is missing."""
    folder = config.output_dir / day.isoformat()
    files = {fmt: folder / f"briefing.{fmt}" for fmt in FORMATS}
    if files["pdf"].is_file() and files["json"].is_file():
        return files
    log.info("edition %s not built yet: building it", day.isoformat())
    return build(config, day, config.window, progress=progress)
