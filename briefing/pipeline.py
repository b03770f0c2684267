"""Run the stages in order: fetch, extract, analyse, cluster, compose, render.

Each stage reads from the store, does only the work not yet done, and writes
its result back, so a crashed build resumes and a rebuild costs only what is new.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from briefing import analyze
from briefing.analyze import language
from briefing.config import Config
from briefing.edition import Window, window_for
from briefing.ingest import articles as pages
from briefing.ingest import feeds as feed_io
from briefing.ingest.http import FetchError, HttpClient
from briefing.models import Edition, Story
from briefing.progress import Progress
from briefing.render import export, html, pdf
from briefing.resources import default_templates_dir, fonts_dir
from briefing.store import Store, from_iso
from briefing.stories import cluster, compose, rank

log = logging.getLogger("briefing")

FORMATS = ("pdf", "html", "json")


@dataclass(frozen=True)
class FetchReport:
    feeds: int
    failed: int
    new_articles: int


def utcnow() -> datetime:
    return datetime.now(UTC)


def fetch_feeds(
    config: Config, store: Store, client: HttpClient, progress: Progress
) -> FetchReport:
    """Fetch every configured feed (concurrently) and store the entries not seen before."""
    feed_ids = {feed.url: store.feed_id(feed.url, feed.name, feed.lang) for feed in config.feeds}
    states = {url: store.feed_row(fid) for url, fid in feed_ids.items()}
    failed = added = 0
    with (
        progress.step("feeds", len(config.feeds)) as advance,
        ThreadPoolExecutor(max_workers=config.fetch.concurrency) as pool,
    ):
        futures = {
            pool.submit(
                feed_io.fetch,
                client,
                feed,
                etag=states[feed.url]["etag"],
                last_modified=states[feed.url]["last_modified"],
                last_unconditional=from_iso(states[feed.url]["last_unconditional"]),
                now=utcnow(),
            ): feed
            for feed in config.feeds
        }
        for future in as_completed(futures):
            feed = futures[future]
            result = future.result()
            now = utcnow()
            new = 0
            if result.status == "ok":
                new = store.add_entries(
                    feed_ids[feed.url], feed.name, feed.lang, result.entries, now
                )
                added += new
            else:
                failed += result.status == "error"
            if result.status == "error":
                log.warning("feed %s: %s", feed.name, result.error)
            elif result.error:
                log.warning("feed %s: %s (entries kept)", feed.name, result.error)
            if result.permanent_url:
                log.warning("feed %s moved permanently to %s", feed.name, result.permanent_url)
            store.record_feed_attempt(
                feed_ids[feed.url],
                status=result.status,
                when=now,
                http_status=result.http_status,
                items=len(result.entries),
                error=result.error,
                etag=result.etag,
                last_modified=result.last_modified,
                unconditional=result.unconditional,
                current_url=result.permanent_url,
            )
            log.debug(
                "feed %s: %s, %d entries, %d new",
                feed.name,
                result.status,
                len(result.entries),
                new,
            )
            advance(1)
    return FetchReport(feeds=len(config.feeds), failed=failed, new_articles=added)


def extract_pending(config: Config, store: Store, client: HttpClient, progress: Progress) -> int:
    """Fetch and extract the page of every article not extracted yet; the feed's text stands in on failure."""
    rows = store.articles_to_extract()
    if not rows:
        return 0

    def get(row):
        if not config.fetch.fetch_pages:
            return None, "page fetching is off (fetch.fetch_pages)"
        try:
            return pages.fetch_page(
                client,
                row["url"],
                feed_is_local=row["feed_url"].startswith("file:"),
                allow_private=config.fetch.allow_private_networks,
            ), None
        except FetchError as exc:
            return None, str(exc)

    with (
        progress.step("extract", len(rows)) as advance,
        ThreadPoolExecutor(max_workers=config.fetch.concurrency) as pool,
    ):
        futures = {pool.submit(get, row): row for row in rows}
        for future in as_completed(futures):
            row = futures[future]
            page, error = future.result()
            found = None
            if page is not None:
                found = pages.extract(page, row["url"])
                if found is None:
                    error = "no article text found on the page"
            if found is not None:
                text, source, published = found.text, "page", found.published
            else:
                text = pages.text_of_html(row["feed_content"]) or pages.text_of_html(row["summary"])
                source, published = "feed", None
                log.debug("article %s: %s; using the feed's text", row["url"], error)
            lang = language.detect(f"{row['title']}\n{text}", row["declared_lang"])
            store.save_extraction(
                row["id"],
                text=text,
                lang=lang,
                source=source,
                error=error,
                when=utcnow(),
                published=published,
            )
            advance(1)
    return len(rows)


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
    used: set[str] = set()
    stories = []
    groups = cluster.group(articles)
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
