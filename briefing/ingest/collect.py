"""The ingest stages: fetch feeds into the store, then fetch and extract new pages.

Network work runs on a thread pool; every write to the store happens on the
calling thread, in first-seen order where order matters (duplicates).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from briefing.analyze import language
from briefing.claims import new_holder
from briefing.config import Config
from briefing.errors import FetchError, Refused, RoundOver
from briefing.ingest import articles as pages
from briefing.ingest import dedup, workers
from briefing.ingest import feeds as feed_io
from briefing.ingest.http import HttpClient
from briefing.ingest.robots import Robots
from briefing.ingest.share import Share
from briefing.ingest.urls import canonical
from briefing.models import PendingArticle
from briefing.progress import Progress
from briefing.store import Store

log = logging.getLogger(__name__)
PARALLEL_FROM = 64  # pages: fewer are extracted faster than worker processes start
# Characters of HTML from which one page goes to a worker process whatever the
# count: trafilatura needs seconds a megabyte, and only a worker can be stopped
# at the round's deadline (a 9.5 MB page took 18 s on this machine).
HEAVY_PAGE = 1_000_000
LEASE_SLACK = 60.0  # seconds a claim outlasts its round's deadline: the last saves
_POLL = 0.2  # seconds between two looks at what other workers hold


@dataclass(frozen=True)
class FetchReport:
    feeds: int
    failed: int
    new_articles: int
    extracted: int = 0  # articles given their text (fetch_round only)


def utcnow() -> datetime:
    return datetime.now(UTC)


def fetch_feeds(
    config: Config,
    store: Store,
    client: HttpClient,
    progress: Progress,
    *,
    deadline: float | None = None,
    holder: str | None = None,
) -> FetchReport:
    """Fetch the configured feeds (concurrently) and store the entries not seen before.

    A feed not answered by `deadline` (the round's, a `time.monotonic()` moment)
    is recorded as failed this round. Each feed is claimed first: a round
    running beside another on the same store (another worker) skips the feeds
    the other holds or has fetched since this round began, and waits for them.
    """
    holder = holder or new_holder()
    limit = deadline if deadline is not None else time.monotonic() + config.fetch.round_deadline
    until = _lease_until(limit)
    feed_ids = store.feed_ids_for((feed.url, feed.name, feed.lang) for feed in config.feeds)
    by_id = {feed_ids[feed.url]: feed for feed in config.feeds}
    round_start = utcnow()
    share = Share(
        [feed_ids[feed.url] for feed in config.feeds],
        lambda ids: store.claim_feeds(ids, holder, utcnow(), until, round_start),
        lambda ids: store.feeds_held_elsewhere(ids, holder),
    )
    fetched = failed = added = 0
    concurrency = config.fetch.concurrency
    with (
        progress.step("feeds", len(config.feeds)) as advance,
        workers.threads(concurrency) as pool,
    ):
        running: dict = {}

        def submit(states) -> None:
            for state in states:
                feed = by_id[state.id]
                # A feed that moved permanently is fetched where it moved to.
                target = dataclasses.replace(feed, url=state.current_url or feed.url)
                future = pool.submit(
                    feed_io.fetch,
                    client,
                    target,
                    etag=state.etag,
                    last_modified=state.last_modified,
                    last_unconditional=state.last_unconditional,
                    now=utcnow(),
                    not_after=deadline,
                )
                running[future] = feed

        while True:
            if share.untaken and len(running) < concurrency:
                submit(share.take(concurrency - len(running)))
                continue
            if not running:
                # What other workers hold: wait for it, or take it over when they are gone.
                if time.monotonic() < limit and (retaken := share.retake()):
                    submit(retaken)
                    continue
                if not share.elsewhere or time.monotonic() >= limit:
                    break
                time.sleep(_POLL)
                continue
            done, _ = wait(running, timeout=_POLL, return_when=FIRST_COMPLETED)
            for future in done:
                feed = running.pop(future)
                result = future.result()
                now = utcnow()
                new = 0
                if result.status == "ok":
                    new = store.add_entries(
                        feed_ids[feed.url], feed.name, feed.lang, result.entries, now
                    )
                    added += new
                failed += result.status == "error"
                if result.status == "error":
                    log.warning("feed %s: %s", feed.name, result.error)
                elif result.error:
                    log.warning("feed %s: %s (entries kept)", feed.name, result.error)
                if result.permanent_url:
                    log.warning(
                        "feed %s moved permanently to %s (update config.yaml)",
                        feed.name,
                        result.permanent_url,
                    )
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
                fetched += 1
                advance(1)
    return FetchReport(feeds=fetched, failed=failed, new_articles=added)


def fetch_round(
    config: Config, store: Store, client: HttpClient, progress: Progress
) -> FetchReport:
    """One fetch round: the feeds, then the pages of new articles, all by fetch.round_deadline."""
    deadline = time.monotonic() + config.fetch.round_deadline
    holder = new_holder()
    report = fetch_feeds(config, store, client, progress, deadline=deadline, holder=holder)
    extracted = extract_pending(config, store, client, progress, deadline=deadline, holder=holder)
    return dataclasses.replace(report, extracted=extracted)


def extract_pending(
    config: Config,
    store: Store,
    client: HttpClient,
    progress: Progress,
    *,
    parallel_from: int = PARALLEL_FROM,
    deadline: float | None = None,
    holder: str | None = None,
) -> int:
    """Fetch and extract the articles not extracted yet, then find the copies among them.

    A page that cannot be used leaves the feed's own text in its place, with
    the reason recorded. Articles already known as copies of another (same
    canonical link) take the original's text without a request.

    Nothing blocks the edition: at most fetch.pages_per_feed articles per feed
    are taken per round, newest first (the others wait, untouched, for later
    rounds), and no page is fetched after `deadline` (a `time.monotonic()`
    moment; fetch.round_deadline from now by default): those keep the feed's
    text as 'pending' and are fetched again next round. Each article is saved
    as soon as it is done, so a run that is killed loses only the pages in
    flight, and their claims lapse (share.py). Returns how many articles were
    given their text for good.
    """
    rows = store.articles_to_extract()
    if not rows:
        return 0
    if deadline is None:
        deadline = time.monotonic() + config.fetch.round_deadline
    holder = holder or new_holder()
    until = _lease_until(deadline)
    robots = Robots(client, guard=not config.fetch.allow_private_networks, not_after=deadline)
    # The languages py3langid may answer: the feeds' declared ones, Arabic and English.
    in_play = tuple(
        sorted({*language.DEFAULT_LANGUAGES, *(f.lang for f in config.feeds if f.lang)})
    )

    refused: Counter = Counter()  # per outlet: links the SSRF guard turned away
    late: Counter = Counter()  # per outlet: pages the round's deadline left for the next round

    def get(row: PendingArticle):
        if not config.fetch.fetch_pages:
            return None, "page fetching is off (fetch.fetch_pages)"
        try:
            page = pages.fetch_page(
                client,
                row.url,
                feed_is_local=row.feed_url.startswith("file:"),
                allow_private=config.fetch.allow_private_networks,
                robots=robots,
                not_after=deadline,
            )
        except RoundOver:
            return None, _LATER
        except Refused as exc:
            refused[row.outlet] += 1
            return None, str(exc)
        except FetchError as exc:
            return None, str(exc)
        return page, None

    originals = [row for row in rows if row.duplicate_of is None]
    chosen, over_cap = _newest_per_feed(originals, config.fetch.pages_per_feed)
    if not config.fetch.fetch_pages:
        chosen, over_cap = originals, {}
    share = Share(
        [row.id for row in _round_robin(chosen)],
        lambda ids: store.claim_articles(ids, holder, utcnow(), until),
        lambda ids: store.articles_held_elsewhere(ids, holder),
    )
    # Downloads queued ahead of the pool, so that it never waits for a claim.
    ahead = 2 * config.fetch.concurrency
    settled: list[int] = []  # articles given their final text this round
    # Extraction is CPU work under the GIL: a cold day's pages go to worker
    # processes on the other cores while the threads keep downloading.
    cores = min(os.cpu_count() or 1, 4)
    extractor = workers.processes(cores) if cores > 1 and len(chosen) >= parallel_from else None
    abandoned = False  # extractions left running at the deadline: their workers are stopped
    try:
        with (
            progress.step("extract", len(rows) - sum(map(len, over_cap.values()))) as advance,
            workers.threads(config.fetch.concurrency) as pool,
        ):
            downloads: dict = {}
            extracting: dict = {}
            running: set = set()

            def submit(claimed: list[PendingArticle]) -> None:
                for row in claimed:
                    future = pool.submit(get, row)
                    downloads[future] = row
                    running.add(future)

            while True:
                left = deadline - time.monotonic()
                if left > 0 and share.untaken and len(downloads) < ahead:
                    submit(share.take(ahead - len(downloads)))
                    continue
                if not running:
                    # Pages other workers hold: wait for them, or take them over when
                    # their worker is gone.
                    if left > 0 and (retaken := share.retake()):
                        submit(retaken)
                        continue
                    if left > 0 and share.elsewhere:
                        time.sleep(min(_POLL, left))
                        continue
                    break
                if left <= 0:
                    # Past the deadline, downloads give up at once, and extractions,
                    # queued or running, are abandoned (their workers stopped below):
                    # those pages wait for the next round, the feed's text standing in.
                    for future in [f for f in running if f in extracting]:
                        abandoned = abandoned or not future.cancel()
                        running.discard(future)
                        late[extracting[future].outlet] += 1
                        _wait(store, extracting.pop(future), in_play)
                        advance(1)
                done, running = wait(
                    running, timeout=left if left > 0 else None, return_when=FIRST_COMPLETED
                )
                for future in done:
                    if future in extracting:
                        row = extracting.pop(future)
                        _save(store, row, future.result(), True, None, in_play)
                        settled.append(row.id)
                        advance(1)
                        continue
                    row = downloads.pop(future)
                    page, error = future.result()
                    if error is _LATER or (page is not None and time.monotonic() >= deadline):
                        late[row.outlet] += 1
                        _wait(store, row, in_play)
                        advance(1)
                    elif page is not None and (extractor is not None or len(page) >= HEAVY_PAGE):
                        if extractor is None:
                            extractor = workers.processes(cores)
                        job = extractor.submit(pages.extract, page, row.url)
                        extracting[job] = row
                        running.add(job)
                    else:
                        found = pages.extract(page, row.url) if page is not None else None
                        _save(store, row, found, page is not None, error, in_play)
                        settled.append(row.id)
                        advance(1)
            # The round is over: pages not taken yet keep the feed's text until the next one.
            for row in share.rest():
                late[row.outlet] += 1
                _wait(store, row, in_play)
                advance(1)
            copies = [row.id for row in rows if row.duplicate_of is not None]
            for row in store.claim_articles(copies, holder, utcnow(), until):
                _copy(store, row, in_play)
                advance(1)
    finally:
        if extractor is not None and abandoned:
            workers.stop(extractor)
        elif extractor is not None:  # also when a fetch or a save fails midway
            extractor.shutdown(cancel_futures=True)
        try:
            store.release_articles(holder)  # what a failure midway left claimed
        except Exception as exc:  # the failure that brought us here says more
            log.debug("could not release the claims of %s: %s", holder, exc)
    for outlet, count in sorted(refused.items()):
        # A thinner edition should say why: the feed's text stands in for these pages.
        log.warning(
            "%s: %d article link%s refused as private or local addresses (SSRF guard); "
            "allow them with fetch.allow_hosts or fetch.allow_private_networks",
            outlet,
            count,
            "" if count == 1 else "s",
        )
    for group in over_cap.values():
        log.warning(
            "%s: %s articles to fetch; the newest %d taken this round (fetch.pages_per_feed), "
            "the other %s wait for the next rounds",
            group[0].outlet,
            f"{len(group) + config.fetch.pages_per_feed:,}",
            config.fetch.pages_per_feed,
            f"{len(group):,}",
        )
    if late:
        log.warning(
            "fetch.round_deadline (%gs) reached: %d article pages left for the next round "
            "(%s), the feeds' text standing in",
            config.fetch.round_deadline,
            sum(late.values()),
            ", ".join(f"{outlet}: {count}" for outlet, count in sorted(late.items())),
        )
    # Workers at once would each find the other's copy an original: one at a time,
    # each in one transaction (one commit, not one per article).
    with store.transaction() as connection:
        store.serialise(connection, "copies")
        copies = find_copies(store, settled)
    if copies:
        log.info("%d articles are copies of others (same link or same wire text)", copies)
    return len(settled)


def _lease_until(deadline: float) -> datetime:
    """A claim lasts until the round's deadline, past which the round does no work, and a
    little more for its last saves: a worker that died is taken over then at the latest."""
    return utcnow() + timedelta(seconds=max(0.0, deadline - time.monotonic()) + LEASE_SLACK)


_LATER = "left for the next round"


def _newest_per_feed(rows: list, cap: int) -> tuple[list, dict[int, list]]:
    """The newest `cap` rows of each feed, and per feed the rows beyond the cap."""
    by_feed: dict[int, list] = {}
    for row in rows:
        by_feed.setdefault(row.feed_id, []).append(row)
    chosen, over = [], {}
    for group in by_feed.values():
        group.sort(key=lambda r: (r.when, r.id), reverse=True)
        chosen += group[:cap]
        if group[cap:]:
            over[group[0].feed_id] = group[cap:]
    return chosen, over


def _wait(store: Store, row: PendingArticle, in_play: tuple[str, ...]) -> None:
    """Leave the page for a later round; the feed's text stands in meanwhile."""
    if row.extract_source == "pending":
        return  # already standing in
    text = _feed_text(row)
    lang = language.detect(f"{row.title}\n{text}", row.declared_lang, in_play)
    store.save_extraction(
        row.id, text=text, lang=lang, source="pending", error=_LATER, when=utcnow()
    )


def _copy(store: Store, row: PendingArticle, in_play: tuple[str, ...]) -> None:
    """A copy takes its original's text; while the original's page waits, the copy waits too."""
    original = store.article(row.duplicate_of)
    if original is None or original.extract_source in (None, "pending"):
        _wait(store, row, in_play)
        return
    text = original.text or _feed_text(row)
    lang = language.detect(f"{row.title}\n{text}", row.declared_lang, in_play)
    store.save_extraction(row.id, text=text, lang=lang, source="copy", error=None, when=utcnow())


def _round_robin(rows: list) -> list:
    """Rows interleaved host by host: a thread waiting out one host's politeness
    delay should not hold a pool slot another host could use. Within a host the
    order is kept."""
    by_host: dict[str, list] = {}
    for row in rows:
        by_host.setdefault(urlsplit(row.url).netloc, []).append(row)
    queues = list(by_host.values())
    ordered = []
    for turn in range(max((len(q) for q in queues), default=0)):
        ordered += [q[turn] for q in queues if turn < len(q)]
    return ordered


def find_copies(store: Store, article_ids: list[int]) -> int:
    """Mark the newly extracted articles that repeat another; the first published stays the original.

    Articles are taken in order of publication (not of id: feeds are fetched
    concurrently, so ids follow whichever feed answered first), and each is
    compared only with articles already settled, so the wire's own copy,
    published first, is the original and a republication is the copy.
    """
    rows = sorted(store.articles_by_id(article_ids), key=lambda r: (r.when, r.id))
    pending = {row.id for row in rows}
    found = 0
    for row in rows:
        article_id = row.id
        pending.discard(article_id)
        if row.duplicate_of is not None or not row.text:
            continue
        link = row.canonical_url  # the page may have named its canonical link
        original = store.original_with_link(link, article_id) if link else None
        if original in pending:
            original = None  # published later: it will be the copy, not this one
        if original is None:
            signature = dedup.sketch(row.text)
            scored = (
                (dedup.similarity(signature, other), other_id)
                for other_id, other in store.sketch_candidates(dedup.keys(signature), article_id)
            )
            best = max(scored, default=(0.0, None))
            if best[0] >= dedup.THRESHOLD:
                original = best[1]
            elif signature:
                store.save_sketch(article_id, signature, dedup.keys(signature))
        if original is not None:
            store.mark_duplicate(article_id, original)
            found += 1
    return found


def _save(
    store: Store,
    row: PendingArticle,
    found: pages.Extracted | None,
    fetched: bool,
    error: str | None,
    in_play: tuple[str, ...],
) -> None:
    if fetched:
        if found is None:
            error = "no article text found on the page"
        elif len(found.text) < len(_feed_text(row)):
            found, error = None, "the feed's own text is longer than the page's"
    if found is not None:
        text, source = found.text, "page"
        if found.canonical:
            # <link rel=canonical> may reveal two links as one article.
            store.set_canonical(row.id, canonical(found.canonical))
    else:
        text, source = _feed_text(row), "feed"
        log.debug("article %s: %s; using the feed's text", row.url, error)
    lang = language.detect(f"{row.title}\n{text}", row.declared_lang, in_play)
    store.save_extraction(
        row.id,
        text=text,
        lang=lang,
        source=source,
        error=error,
        when=utcnow(),
        published=found.published if found else None,
        author=found.author if found else None,
        image=found.image if found else None,
    )


def _feed_text(row: PendingArticle) -> str:
    return pages.text_of_html(row.feed_content) or pages.text_of_html(row.summary) or row.title
