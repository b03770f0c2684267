"""`briefing schedule`: fetch every `fetch_interval`; build and send each edition at its `edition_time`.

APScheduler 3 runs the two jobs with a persistent job store in data_dir
(`scheduler.sqlite3`; with `database:`, a table of that PostgreSQL database),
one instance of each at a time, coalescing missed runs. One scheduler runs
per data_dir (a file lock), or per database and set of editions (a
PostgreSQL advisory lock: a desk's builder on any machine). After a restart the stored next run time decides: an edition time
missed by less than `misfire_grace` (a machine booted at 06:20 for a 06:00
edition) runs once; one missed by more does not. The delivery ledger
(deliver/ledger.py) makes the edition job idempotent: a restart sends no
reader a second copy, and an edition held back or not yet delivered to
everyone is tried again at each fetch within the grace.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import signal
import threading
import zlib
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from briefing import config as config_mod
from briefing.edition import issue_key
from briefing.errors import BriefingError

log = logging.getLogger(__name__)


def due_edition(now: datetime, edition_time: time, tz: ZoneInfo, grace: timedelta) -> date | None:
    """The edition whose time has come at `now` and is not older than `grace`, if any.

    Pure: `briefing schedule --once` (cron) and the tests use it with any clock.
    """
    local_day = now.astimezone(tz).date()
    for day in (local_day, local_day - timedelta(days=1)):
        scheduled = datetime.combine(day, edition_time, tzinfo=tz)
        if scheduled <= now < scheduled + grace:
            return day
    return None


@contextmanager
def single_instance(data_dir: Path):
    """Hold data_dir/scheduler.lock for as long as this scheduler runs; refuse a second one."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "scheduler.lock"
    handle = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise BriefingError(
            f"another scheduler is already running on {data_dir} (pid {holder}); stop it first"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield
    finally:
        handle.close()


_SCHEDULER_LOCK = 0x73636864  # pg_try_advisory_lock(classid, objid): "schd", the editions


def scheduler_name(config: config_mod.Config) -> str:
    """What one scheduler on a shared database stands for: the editions it builds.

    >>> from briefing.config import Config, EditionConfig
    >>> from pathlib import Path
    >>> scheduler_name(Config(Path("c.yaml"), (), editions=(EditionConfig("gulf"), EditionConfig("asia"))))
    'asia+gulf'
    """
    return "+".join(sorted(e.name for e in config.all_editions))


@contextmanager
def single_scheduler(config: config_mod.Config):
    """One scheduler at a time: per data_dir, or with `database:`, per database and editions."""
    if config.database is None:
        with single_instance(config.data_dir):
            yield
        return
    from sqlalchemy import text

    from briefing.store import Store

    name = scheduler_name(config)
    key = {"a": _SCHEDULER_LOCK, "b": zlib.crc32(name.encode()) & 0x7FFFFFFF}
    with Store.open(config) as store:
        lock = store.connection
        if not lock.execute(text("SELECT pg_try_advisory_lock(:a, :b)"), key).scalar():
            holder = lock.execute(
                text(
                    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a"
                    " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.classid = :a AND l.objid = :b"
                ),
                key,
            ).scalar()
            raise BriefingError(
                f"another scheduler of {name} is already running on {store.where}"
                f" ({holder or 'unknown'}); stop it first"
            )
        try:
            yield
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:a, :b)"), key)


def fetch_job(config_path: str) -> None:
    """The periodic job: fetch feeds and extract new pages; then the edition, if due and not out.

    So an edition held back (no feed answered, too few stories) or not yet
    delivered to every reader is tried again at each fetch within misfire_grace.
    """
    config = config_mod.load(config_path)
    fetch(config)
    for day, names in due_editions(config, datetime.now(UTC)).items():
        _logged(morning, config, day, names)


def fetch(config: config_mod.Config) -> None:
    from briefing.ingest.collect import fetch_round
    from briefing.ingest.http import HttpClient
    from briefing.progress import Progress
    from briefing.store import Store

    with Store.open(config) as store, HttpClient(config.fetch) as client:
        report = fetch_round(config, store, client, Progress(quiet=True))
    log.info(
        "fetched %d feeds (%d failed), %d new articles",
        report.feeds,
        report.failed,
        report.new_articles,
    )


def edition_job(
    config_path: str, day: str | None = None, editions: list[str] | None = None
) -> None:
    """The daily job: build editions of `day` (today by default; all editions by default) and
    send each to whoever has not got it."""
    config = config_mod.load(config_path)
    known = [e.name for e in config.all_editions]
    names = tuple(known) if editions is None else tuple(n for n in editions if n in known)
    if not names:
        # The config was edited under a running scheduler and these editions are gone: the
        # others keep their own times (their jobs, and the fetch job's due check).
        log.warning(
            "editions %s are no longer in %s: nothing to build (restart the scheduler)",
            ", ".join(editions or ()),
            config.path.name,
        )
        return
    if day:
        edition_day = date.fromisoformat(day)
    else:
        # A run delayed past midnight (within misfire_grace) still belongs to yesterday's edition.
        now = datetime.now(UTC)
        at = config.edition(names[0]).edition_time
        edition_day = (
            due_edition(now, at, config.tz, config.misfire_grace)
            or now.astimezone(config.tz).date()
        )
    _logged(morning, config, edition_day, names)


def edition_times(config: config_mod.Config, at: time | None = None) -> dict[time, tuple[str, ...]]:
    """{time of day: the editions closing then}; `at` puts every edition at one time (tests)."""
    groups: dict[time, list[str]] = {}
    for edition in config.all_editions:
        groups.setdefault(at or edition.edition_time, []).append(edition.name)
    return {when: tuple(names) for when, names in sorted(groups.items())}


def due_editions(config: config_mod.Config, now: datetime) -> dict[date, tuple[str, ...]]:
    """{day: the editions of that day due at `now`} (each at its own edition_time)."""
    due: dict[date, list[str]] = {}
    for when, names in edition_times(config).items():
        day = due_edition(now, when, config.tz, config.misfire_grace)
        if day is not None:
            due.setdefault(day, []).extend(names)
    return {day: tuple(names) for day, names in sorted(due.items())}


def _logged(job, *args) -> None:
    """Run `job` inside the scheduler: a failure is one line in the log, and the scheduler goes on."""
    try:
        job(*args)
    except BriefingError as exc:
        log.error("%s", exc)


_one_morning = threading.Lock()  # the edition and fetch jobs of one scheduler may both reach it


def morning(config: config_mod.Config, day: date, editions: tuple[str, ...] = ()) -> None:
    """Build and send editions of `day` (all by default); a no-op for those every reader has.

    An edition is rebuilt (fresh news) until some reader may have it; from
    then on the same files go to the rest, so every reader gets one edition.
    The editions that need building are built together, from one crawl.
    Raises BriefingError when an edition is held back or a reader is not reached.
    """
    names = editions or tuple(e.name for e in config.all_editions)
    if not _one_morning.acquire(blocking=False):
        log.info("edition %s is being built and sent already", day.isoformat())
        return
    try:
        _morning(config, day, names)
    finally:
        _one_morning.release()


def _morning(config: config_mod.Config, day: date, names: tuple[str, ...]) -> None:
    from briefing import pipeline
    from briefing.deliver.addresses import readers
    from briefing.deliver.email import log_outcome, raise_for, recipients_of, send_files
    from briefing.deliver.ledger import Ledger, settled
    from briefing.render import output
    from briefing.store import Store

    views = {name: config.for_edition(config.edition(name)) for name in names}
    recipients = {name: recipients_of(view) if view.email else [] for name, view in views.items()}
    files, waiting, stale = {}, {}, []
    with Store.open(config) as store:
        for name in names:
            key = issue_key(name, day.isoformat())
            rows = {row.address: row for row in Ledger(store).rows(key)}
            built = store.edition_files(key) is not None
            waiting[name] = [
                r for r in readers(recipients[name]) if not settled(rows.get(r.address))
            ]
            if built and not waiting[name]:
                log.info("edition %s already built and sent: nothing to do", key)
                continue
            files[name] = output.paths(config.output_dir, key)
            # A claimed reader is being sent files another run has read already:
            # rebuilding now would mail the others a different edition.
            handed = any(row.state in ("claimed", "accepted", "unknown") for row in rows.values())
            if not (built and handed and all(files[name][f].is_file() for f in ("json", "pdf"))):
                stale.append(name)
    if stale:
        files.update(pipeline.build_editions(config, day, config.window, editions=tuple(stale)))
        for name in stale:
            log.info("built edition %s: %s", issue_key(name, day.isoformat()), files[name]["pdf"])
    failures: list[BriefingError] = []
    for name in files:
        if not waiting[name]:
            continue
        key = issue_key(name, day.isoformat())
        try:  # one edition held back or unreachable does not keep the others from their readers
            outcome = send_files(views[name], files[name], recipients[name])
            log_outcome(outcome, key)
            raise_for(outcome, len(readers(recipients[name])))
        except BriefingError as exc:
            failures.append(exc)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise BriefingError("; ".join(str(exc) for exc in failures))


def make_scheduler(config: config_mod.Config, *, at: time | None = None):
    """A started-but-paused BackgroundScheduler with its jobs; `resume()` sets it going.

    One edition job per edition time (editions closing together are built from
    one crawl), and the fetch job. `at` overrides edition_time (tests use
    seconds). Jobs already in the store with the same trigger are kept, so
    their missed run times survive a restart; jobs of edition times no longer
    configured are removed.
    """
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if config.database is None:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        jobs_store = SQLAlchemyJobStore(url=f"sqlite:///{config.data_dir / 'scheduler.sqlite3'}")
    else:
        # Each scheduler (a desk's builder) its own table: APScheduler runs every job of its table.
        table = "scheduler_jobs_" + re.sub(r"[^a-z0-9_]", "_", scheduler_name(config))[:40]
        jobs_store = SQLAlchemyJobStore(url=config_mod.database_url(config), tablename=table)
    scheduler = BackgroundScheduler(
        jobstores={"default": jobs_store},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=config.tz,
    )
    scheduler.start(paused=True)
    path = str(config.path.resolve())
    jobs = []
    for when, names in edition_times(config, at).items():
        # A config without `editions:` keeps the job (and its stored next run) it always had.
        job_id = "edition" if not config.editions else f"edition@{when.strftime('%H:%M:%S')}"
        kwargs = {"editions": list(names)} if config.editions else {}
        trigger = CronTrigger(
            hour=when.hour, minute=when.minute, second=when.second, timezone=config.tz
        )
        jobs.append((job_id, edition_job, trigger, config.misfire_grace, kwargs))
    jobs.append(
        (
            "fetch",
            fetch_job,
            IntervalTrigger(seconds=config.fetch_interval.total_seconds(), timezone=config.tz),
            config.fetch_interval,
            {},
        )
    )
    wanted = {job[0] for job in jobs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()  # an edition time no longer configured
    for job_id, func, trigger, grace, kwargs in jobs:
        existing = scheduler.get_job(job_id)
        if (
            existing is not None
            and str(existing.trigger) == str(trigger)
            and list(existing.args) == [path]
            and dict(existing.kwargs) == kwargs
        ):
            continue  # keep its stored next run time: a missed edition is still due
        if existing is not None:
            existing.remove()
        scheduler.add_job(
            func,
            trigger,
            id=job_id,
            name=job_id,
            args=[path],
            kwargs=kwargs,
            misfire_grace_time=int(grace.total_seconds()),
        )
    return scheduler


def run_forever(config: config_mod.Config) -> None:
    """`briefing schedule`: run in the foreground until SIGTERM or SIGINT, then stop after the running job."""
    stop = threading.Event()

    def on_signal(signum, _frame):
        log.info("received %s: stopping after the running job", signal.Signals(signum).name)
        stop.set()

    # Handlers first: a stop asked for during start-up is honoured, not fatal.
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    with single_scheduler(config):
        scheduler = make_scheduler(config)
        try:
            scheduler.resume()
            for job in scheduler.get_jobs():
                if job.id == "fetch":
                    continue
                names = job.kwargs.get("editions")
                log.info(
                    "scheduler running: fetch every %s, %s at %s %s (next: %s)",
                    _span(config.fetch_interval),
                    f"editions {', '.join(names)}" if names else "edition",
                    job.id.partition("@")[2][:5] or config.edition_time.strftime("%H:%M"),
                    config.timezone,
                    job.next_run_time.isoformat() if job.next_run_time else "none",
                )
            stop.wait()
        finally:
            scheduler.shutdown(wait=True)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    log.info("scheduler stopped")


def run_once(config: config_mod.Config, now: datetime | None = None) -> dict[str, date]:
    """`briefing schedule --once`: fetch, and build and send the editions due now: {edition: day}."""
    with single_scheduler(config):
        fetch(config)
        due = due_editions(config, now or datetime.now(UTC))
        failures = []
        for day, names in due.items():
            try:
                morning(config, day, names)
            except BriefingError as exc:
                failures.append(exc)  # the other day's editions still go out
        if not due:
            log.info(
                "no edition due now (edition time %s %s)",
                ", ".join(when.strftime("%H:%M") for when in edition_times(config)),
                config.timezone,
            )
        if failures:
            raise (
                failures[0]
                if len(failures) == 1
                else BriefingError("; ".join(str(exc) for exc in failures))
            )
        return {name: day for day, names in due.items() for name in names}


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes}m"
