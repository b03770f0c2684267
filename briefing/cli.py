"""The `briefing` command line (contract: ../shared/contract/README.md).

Exit status: 0 when the work was done (even if some feeds failed), 2 for a
usage or configuration error, 1 for any other failure. Paths go to stdout;
progress and logs go to stderr.
"""

from __future__ import annotations

import json
import logging
import shutil
import signal
import sys
import traceback
from datetime import datetime
from pathlib import Path

import click

from briefing import __version__
from briefing import config as config_mod
from briefing.edition import DEFAULT_EDITION, issue_key
from briefing.errors import BriefingError, ConfigError
from briefing.render.output import FORMATS

log = logging.getLogger(__name__)
_state = {"verbose": 0}


class _Formatter(logging.Formatter):
    """`briefing: warning: ...`; with the time in front when stderr is not a terminal (cron logs)."""

    def __init__(self, stamped: bool):
        super().__init__()
        self.stamped = stamped

    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        line = f"briefing: {level}{record.getMessage()}"
        if self.stamped:
            when = datetime.fromtimestamp(record.created).astimezone()
            line = f"{when.isoformat(timespec='seconds')} {line}"
        return line


def _print_paths(ctx: click.Context, paths) -> None:
    """The files written, on stdout; nothing under -q (cron mails whatever a job prints)."""
    if not ctx.obj["quiet"]:
        for path in paths:
            click.echo(path)


def _setup_logging(verbose: int, quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(stamped=not sys.stderr.isatty()))
    # Every module logs under its own name (briefing.ingest.collect, ...) below this one.
    root = logging.getLogger("briefing")
    root.handlers[:] = [handler]
    root.propagate = False
    root.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
    # trafilatura and feedparser talk a lot at INFO about pages they skip.
    logging.getLogger("trafilatura").setLevel(logging.DEBUG if verbose > 1 else logging.ERROR)


def _load_config(ctx: click.Context) -> config_mod.Config:
    return config_mod.load(ctx.obj["config_path"])


def _progress(ctx: click.Context):
    from briefing.progress import Progress

    return Progress(quiet=ctx.obj["quiet"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file (default: $BRIEFING_CONFIG, then ./config.yaml).",
)
@click.option("-v", "--verbose", count=True, help="More detail on stderr; tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.version_option(__version__, prog_name="briefing")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int, quiet: bool) -> None:
    """Turn news feeds into a bilingual (Arabic/English) morning briefing.

    \b
    Example:
        briefing init
        briefing build --date today
    """
    _state["verbose"] = verbose
    _setup_logging(verbose, quiet)
    ctx.obj = {"config_path": config_path or config_mod.default_config_path(), "quiet": quiet}


def edition_option(action: str):
    """`--edition NAME` (repeatable), defined once for every command that takes it."""
    return click.option(
        "--edition",
        "editions",
        multiple=True,
        metavar="NAME",
        help=f"{action} only this edition (config `editions:`; repeatable) [default: every edition].",
    )


# `--date`, defined once for every command that works on one day's edition.
date_option = click.option(
    "--date", "when", default="today", show_default=True, help="today, yesterday or YYYY-MM-DD."
)


def json_option(what: str):
    """`--json`, defined once for every command that can print JSON for a script."""
    return click.option("--json", "as_json", is_flag=True, help=what)


def _print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _chosen_editions(config: config_mod.Config, names: tuple[str, ...]) -> tuple[str, ...]:
    """The editions named by --edition (all when none), or a usage error naming the option."""
    known = [e.name for e in config.all_editions]
    for name in names:
        if name not in known:
            raise click.BadParameter(
                f"no edition named {name!r} (editions: {', '.join(known)})",
                param_hint="'--edition'",
            )
    return tuple(dict.fromkeys(names)) or tuple(known)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing config.yaml and templates.")
def init(directory: Path, force: bool) -> None:
    """Write a starter config.yaml and a templates/ folder to customise.

    \b
    Example:
        briefing init my-briefing && cd my-briefing && briefing build --date today
    """
    from briefing.resources import default_templates_dir, starter_config

    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "config.yaml"
    templates = directory / "templates"
    if target.exists() and not force:
        raise ConfigError(f"{target}: already exists (use --force to overwrite)")
    text = starter_config().replace("# templates_dir: templates", "templates_dir: templates")
    target.write_text(text, encoding="utf-8")
    shutil.copytree(default_templates_dir(), templates, dirs_exist_ok=True)
    click.echo(target)
    click.echo(templates)


@cli.command()
@click.pass_context
def fetch(ctx: click.Context) -> None:
    """Fetch the configured feeds and the pages of new articles.

    \b
    Example:
        briefing fetch && briefing feeds
    """
    from briefing.ingest.collect import fetch_round
    from briefing.ingest.http import HttpClient
    from briefing.store import Store

    config = _load_config(ctx)
    config_mod.check_writable(config, "data_dir")
    progress = _progress(ctx)
    with Store.open(config) as store, HttpClient(config.fetch) as client:
        report = fetch_round(config, store, client, progress)
    log.info(
        "%d feeds (%d failed), %d new articles, %d pages extracted",
        report.feeds,
        report.failed,
        report.new_articles,
        report.extracted,
    )


@cli.command()
@date_option
@click.option(
    "--window",
    default=None,
    help="How far back the edition reaches: 36h, 7d … [default: `window` in config.yaml,"
    f" {config_mod.Config.window.total_seconds() / 3600:g}h]",
)
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    help=f"Comma-separated: {','.join(FORMATS)}.",
)
@click.option("--no-fetch", is_flag=True, help="Use only what is already stored.")
@edition_option("Build")
@click.pass_context
def build(
    ctx: click.Context,
    when: str,
    window: str | None,
    formats: str,
    no_fetch: bool,
    editions: tuple[str, ...],
) -> None:
    """Build the editions of a date (from one crawl) and print the paths written.

    \b
    Example:
        briefing build --date today --format pdf
        briefing build --date today --edition gulf
    """
    from briefing import pipeline

    config = _load_config(ctx)
    day = _resolve_date(config, when)
    try:
        span = config_mod.parse_duration(window) if window else config.window
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--window'") from None
    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(none)'} (choose from {', '.join(FORMATS)})",
            param_hint="'--format'",
        )
    names = _chosen_editions(config, editions)
    config_mod.check_writable(config, "data_dir", "output_dir")
    built = pipeline.build_editions(
        config,
        day,
        span,
        editions=names,
        formats=chosen,
        fetch=not no_fetch,
        progress=_progress(ctx),
    )
    _print_paths(ctx, [path for name in names for path in built[name].values()])


@cli.command()
@click.argument("source")
@json_option("Print analysis.schema.json instead of a report.")
def analyze(source: str, as_json: bool) -> None:
    """Analyse one article: a URL, a saved HTML page or a plain-text file.

    \b
    Example:
        briefing analyze article.html --json
    """
    from briefing.source import analyse_source, report

    result = analyse_source(source)
    if as_json:
        _print_json(result)
    else:
        click.echo(report(result))


@cli.command()
@json_option("Print the feeds' health as JSON.")
@click.pass_context
def feeds(ctx: click.Context, as_json: bool) -> None:
    """Show each configured feed's last fetch: status, items, failures, error.

    A line also says when a feed moved permanently (update config.yaml) and
    how many of its articles wait for the next round (fetch.round_deadline).

    \b
    Example:
        briefing feeds
    """
    from briefing.render.export import feed_json
    from briefing.store import Store

    config = _load_config(ctx)
    config_mod.check_writable(config, "data_dir")
    with Store.open(config) as store:
        health = store.feed_health((f.url, f.name) for f in config.feeds)
    if as_json:
        _print_json([feed_json(h) for h in health])
        return
    for h in health:
        when = h.last_attempt.strftime("%Y-%m-%d %H:%M") if h.last_attempt else "never"
        line = f"{h.status:<12} {h.items:>4} items  {when:<16}  {h.name}"
        if h.consecutive_failures:
            line += f"  ({h.consecutive_failures} failures in a row)"
        if h.error:
            line += f"  — {h.error}"
        if h.moved_to:
            line += f"  (moved permanently to {h.moved_to})"
        if h.pages_waiting:
            line += f"  ({h.pages_waiting:,} articles wait for the next round)"
        click.echo(line)


@cli.command()
@date_option
@click.option(
    "--to",
    "to",
    multiple=True,
    help="Send to this address instead of the configured readers (repeatable).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Write the message as .eml files next to the edition instead of sending.",
)
@click.option(
    "--force", is_flag=True, help="Send again to readers who already received this edition."
)
@edition_option("Send")
@click.pass_context
def send(
    ctx: click.Context,
    when: str,
    to: tuple[str, ...],
    dry_run: bool,
    force: bool,
    editions: tuple[str, ...],
) -> None:
    """Email the editions of a date (building them first if missing), once per reader.

    Each edition goes to its own readers (`editions[].email`).

    \b
    Example:
        briefing send --date today --dry-run
        briefing send --date today --edition gulf
    """
    from briefing.deliver.email import log_outcome, raise_for, recipients_of, send_edition

    bad = [address for address in to if not config_mod.is_email_address(address)]
    if bad:
        raise click.BadParameter(f"not an email address: {bad[0]!r}", param_hint="'--to'")
    config = _load_config(ctx)
    if config.email is None:
        raise ConfigError(f"{config.path.name}: email: missing (needed by `briefing send`)")
    if not dry_run:
        config_mod.smtp_password(config)  # a missing secret is said now, not after the build
    config_mod.check_writable(config, "data_dir", "output_dir")
    day = _resolve_date(config, when)
    names = _chosen_editions(config, editions)
    readers = {}
    for name in names:
        readers[name] = recipients_of(config.for_edition(config.edition(name)), to)
        if not readers[name] and (editions or len(names) == 1):
            raise ConfigError(_no_readers(config, name))
        if not readers[name]:
            log.info("edition %s has no readers (editions[].email): not sent", name)
    names = tuple(name for name in names if readers[name])
    if not names:
        raise ConfigError(f"{config.path.name}: email.to: no edition has readers")
    if len(names) > 1:  # the editions not built yet are built together, from one crawl
        # Imported here: WeasyPrint and the NLP cost a second at start, and a send
        # of editions already built needs neither (deliver/email.py builds one lazily too).
        from briefing.pipeline import ensure_editions

        ensure_editions(config, day, names, progress=_progress(ctx))
    failures: list[BriefingError] = []
    for name in names:
        view = config.for_edition(config.edition(name))
        outcome = send_edition(
            view,
            day,
            readers[name],
            force=force,
            dry_run=dry_run,
            progress=_progress(ctx),
            edition=name,
        )
        _print_paths(ctx, outcome.written)
        log_outcome(outcome, issue_key(name, day.isoformat()))
        try:  # every edition is tried; the failures are said together at the end
            raise_for(outcome, len(outcome.sent) + len(outcome.skipped) + len(outcome.failed))
        except BriefingError as exc:
            failures.append(exc)
    if failures:
        raise (
            failures[0]
            if len(failures) == 1
            else BriefingError("; ".join(f"{exc}" for exc in failures))
        )


def _no_readers(config: config_mod.Config, name: str) -> str:
    """The one-line error for an edition `send` was asked to mail with nobody to mail it to."""
    listed = [e.name for e in config.editions]
    if name in listed:
        return (
            f"{config.path.name}: editions[{listed.index(name)}].email.to: edition {name!r} has"
            " no readers (give it some, or the top-level email.to)"
        )
    return f"{config.path.name}: email.to: needs at least one address"


@cli.command()
@json_option("Print the editions as JSON.")
@click.pass_context
def editions(ctx: click.Context, as_json: bool) -> None:
    """List the editions: folder, time, feeds, readers, last build and last delivery.

    \b
    Example:
        briefing editions
    """
    config = _load_config(ctx)
    rows = _edition_rows(config)
    if as_json:
        _print_json(rows)
        return
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        built, delivered = row["last_build"], row["last_delivery"]
        sent = "never"
        if delivered:
            sent = f"{_when(delivered, config)} to {delivered['readers']}"
        click.echo(
            f"{row['name']:<{width}}  {row['edition_time']}  {len(row['feeds']):>3} feeds"
            f"  {row['readers']:>3} readers  built {_when(built, config) if built else 'never'}"
            f"  sent {sent}  {row['title']}"
        )


def _edition_rows(config: config_mod.Config) -> list[dict]:
    """What `editions` shows of each edition, as `--json` prints it."""
    from briefing.deliver.ledger import Ledger
    from briefing.store import Store

    rows = []
    with Store.open(config) as store:
        for edition in config.all_editions:
            named = None if edition.name == DEFAULT_EDITION else edition.name
            built, delivered = store.last_issue(named), Ledger(store).last_accepted(named)
            rows.append(
                {
                    "name": edition.name,
                    "title": edition.title,
                    "title_ar": edition.title_ar,
                    "folder": str(config.output_dir / issue_key(edition.name, "YYYY-MM-DD")),
                    "edition_time": edition.edition_time.strftime("%H:%M"),
                    "feeds": [f.name for f in config.for_edition(edition).feeds],
                    "readers": len(edition.readers),
                    "last_build": {"date": _day(built.key), "at": built.generated_at.isoformat()}
                    if built
                    else None,
                    "last_delivery": {
                        "date": _day(delivered[0]),
                        "at": delivered[1].isoformat(),
                        "readers": delivered[2],
                    }
                    if delivered
                    else None,
                }
            )
    return rows


def _day(key: str) -> str:
    return key.rpartition("/")[2]


def _when(record: dict, config: config_mod.Config) -> str:
    """`2024-10-24 (10-24 05:58)`: the issue's date, and when (local time) it was built or sent."""
    moment = datetime.fromisoformat(record["at"]).astimezone(config.tz)
    return f"{record['date']} ({moment:%m-%d %H:%M})"


@cli.command()
@date_option
@json_option("Print the deliveries as JSON.")
@edition_option("Show")
@click.pass_context
def deliveries(ctx: click.Context, when: str, as_json: bool, editions: tuple[str, ...]) -> None:
    """Show each reader's delivery of an edition: state, attempts and the server's last words.

    \b
    States: pending, claimed (a run is sending it now), accepted (the server
    said 250 after DATA), unknown (no reply after DATA: resent once), failed (5xx).

    \b
    Example:
        briefing deliveries --date today
    """

    config = _load_config(ctx)
    day = _resolve_date(config, when).isoformat()
    listed = []
    for name in _chosen_editions(config, editions):
        view = config.for_edition(config.edition(name))
        listed += _deliveries(
            view, issue_key(name, day), as_json, name if config.editions else None
        )
    if as_json:
        _print_json(listed)


def _deliveries(config: config_mod.Config, key: str, as_json: bool, edition: str | None) -> list:
    """One edition's deliveries: printed, or returned as JSON rows (with `edition` when named)."""
    from briefing.deliver.addresses import readers
    from briefing.deliver.email import recipients_of
    from briefing.deliver.ledger import Ledger
    from briefing.store import Store

    with Store.open(config) as store:
        rows = Ledger(store).rows(key)
    known = {row.address for row in rows}
    configured = readers(recipients_of(config)) if config.email else []
    waiting = [r for r in configured if r.address not in known]  # not tried yet
    named = {"edition": edition} if edition else {}
    if as_json:
        return [
            {
                **named,
                "address": row.address,
                "recipient": row.recipient,
                "state": row.state,
                "attempts": row.attempts,
                "resends": row.resends,
                "message_id": row.message_id,
                "updated_at": row.updated_at.isoformat(),
                "accepted_at": row.accepted_at.isoformat() if row.accepted_at else None,
                "reply": row.reply,
            }
            for row in rows
        ] + [
            {
                **named,
                "address": r.address,
                "recipient": r.spelling,
                "state": "pending",
                "attempts": 0,
            }
            for r in waiting
        ]
    if not rows and not waiting:
        log.info("no deliveries of edition %s", key)
    width = max((len(row.address) for row in rows), default=0)
    width = max([width, *(len(r.address) for r in waiting)])
    prefix = f"{edition}  " if edition else ""
    for row in rows:
        when_text = row.updated_at.astimezone(config.tz).strftime("%Y-%m-%d %H:%M")
        line = f"{prefix}{row.state:<8}  {row.address:<{width}}  {when_text}  {row.attempts} attempt{'s' if row.attempts != 1 else ''}"
        if row.reply:
            line += f"  {row.reply}"
        click.echo(line)
    for reader in waiting:
        click.echo(f"{prefix}{'pending':<8}  {reader.address:<{width}}  not tried yet")
    return []


@cli.command()
@click.option(
    "--once",
    is_flag=True,
    help="Run what is due now (fetch; the edition if its time has come) and exit.",
)
@click.pass_context
def schedule(ctx: click.Context, once: bool) -> None:
    """Run unattended: fetch every fetch_interval, build and email at edition_time.

    \b
    Example:
        briefing schedule            # foreground, for systemd or a container
        briefing schedule --once     # from cron, every 30 minutes
    """
    from briefing import schedule as scheduler

    config = _load_config(ctx)
    config_mod.check_writable(config, "data_dir", "output_dir")
    if once:
        due = scheduler.run_once(config)
        _print_paths(
            ctx,
            [
                config.output_dir / issue_key(name, day.isoformat()) / "briefing.pdf"
                for name, day in due.items()
            ],
        )
        return
    if config.email is not None:
        config_mod.smtp_password(config)  # the morning's send would fail on it hours from now
    scheduler.run_forever(config)


def _resolve_date(config: config_mod.Config, when: str):
    from briefing.edition import resolve_date

    try:
        return resolve_date(when, datetime.now(config.tz), config.tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--date'") from None


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that every `finally` runs: worker
    pools shut down (no "leaked semaphore" warnings), the store closes."""


def _terminate(signum, frame) -> None:
    raise _Terminated


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and maps failures to the contract's exit statuses."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = cli.main(args=argv, prog_name="briefing", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("briefing: interrupted", err=True)
        sys.exit(1)
    except click.UsageError as exc:  # one line naming the argument; exit 2
        hint = "" if isinstance(exc, click.BadParameter) else " (see briefing --help)"
        click.echo(f"briefing: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"briefing: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except ConfigError as exc:
        click.echo(f"briefing: {exc}", err=True)
        sys.exit(2)
    except BriefingError as exc:
        click.echo(f"briefing: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("briefing: interrupted", err=True)
        sys.exit(130)
    except _Terminated:
        click.echo("briefing: terminated", err=True)
        sys.exit(128 + signal.SIGTERM)
    except Exception as exc:
        if _state["verbose"]:
            traceback.print_exc()
        message = str(exc).splitlines()[0] if str(exc) else ""
        click.echo(
            f"briefing: error: {type(exc).__name__}: {message} (run with -v for details)", err=True
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
