"""Mail an edition to its readers: each one claimed, sent and recorded in the ledger.

What a reader gets (docs/deployment.md states it for users):
- at least one copy: a reader is never skipped silently; a run that dies
  mid-send leaves a claim that lapses, and the next run sends;
- a second copy only after an unknown outcome (the connection died after
  DATA, or the sending run died there): SMTP cannot tell whether that message
  arrived (RFC 1047), so it is resent once, with the same Message-ID, and
  logged; an unknown outcome after that resend is reported, not resent;
- never two copies from runs at once: a reader is sent only under a claim
  taken in one transaction (deliver/ledger.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from briefing.config import Config, smtp_password
from briefing.deliver import gate, smtp
from briefing.deliver.addresses import Reader, mailbox, readers
from briefing.deliver.ledger import Claim, Ledger, new_holder
from briefing.deliver.message import WIRE_POLICY, Letter, compose, letter, message_id
from briefing.edition import issue_key
from briefing.errors import BriefingError, ConfigError, MailTransient
from briefing.progress import Progress
from briefing.render import output
from briefing.store import Store

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What one run did, per reader (as first written)."""

    sent: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)  # among `sent`: after an unknown outcome
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reader, why): nothing to do
    failed: list[tuple[str, str]] = field(default_factory=list)  # (reader, why): not reached
    written: list[Path] = field(default_factory=list)  # .eml files of a dry run


def recipients_of(config: Config, override: tuple[str, ...] = ()) -> list[str]:
    """Who gets the edition: `--to` addresses, else the config's to, cc and bcc."""
    if override:
        return list(override)
    if config.email is None:
        raise ConfigError(f"{config.path.name}: email: missing (needed to send the briefing)")
    return [*config.email.to, *config.email.cc, *config.email.bcc]


def send_edition(
    config: Config,
    day: date,
    recipients: list[str],
    *,
    force: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    edition: str | None = None,
) -> Outcome:
    """Send edition `day` (of `edition`, else the config's only one), building it first
    (with a fetch) when its PDF or JSON is missing; `config` is the edition's view."""
    key = issue_key(edition, day.isoformat())
    files = output.paths(config.output_dir, key)
    if not (files["pdf"].is_file() and files["json"].is_file()):
        from briefing import pipeline  # WeasyPrint and the NLP load only when a build is needed

        log.info("edition %s not built yet: building it", key)
        files = pipeline.build(config, day, config.window, progress=progress, edition=edition)
    return send_files(config, files, recipients, force=force, dry_run=dry_run)


def send_files(
    config: Config,
    files: dict[str, Path],
    recipients: list[str],
    *,
    force: bool = False,
    dry_run: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Send a built edition, if its files are one set and it is news, with the config's retry policy."""
    if config.email is None:
        raise ConfigError(f"{config.path.name}: email: missing (needed to send the briefing)")
    edition, pdf = output.read_set(files["json"], files["pdf"])
    gate.check(edition, config.email.min_stories)
    with Store.open(config) as store:
        return deliver(
            config,
            store,
            edition,
            pdf,
            files["json"].parent,
            recipients,
            force=force,
            dry_run=dry_run,
            sleep=sleep,
        )


def deliver(
    config: Config,
    store: Store,
    edition: dict,
    pdf: bytes,
    folder: Path,
    recipients: list[str],
    *,
    force: bool = False,
    dry_run: bool = False,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Send `edition` (its briefing.json) with `pdf` attached to each reader who still needs it,
    retrying as email.retries and email.retry_wait say."""
    if config.email is None:
        raise ConfigError(f"{config.path.name}: email: missing (needed to send the briefing)")
    run = _Run(config, Ledger(store), edition, pdf, recipients, clock, force)
    if dry_run:
        for reader in run.readers:
            path = folder / f"email-{_safe(reader.address)}.eml"
            mid = message_id(run.day, reader.address, config.email.sender)
            path.write_bytes(run.message(reader, mid))
            run.outcome.written.append(path)
        return run.outcome
    run.password = smtp_password(config)  # a missing ${VARIABLE} is a one-line ConfigError
    run.ledger.open(
        run.day,
        [(r.address, r.spelling, message_id(run.day, r.address, run.sender)) for r in run.readers],
        clock(),
    )
    for attempt in range(config.email.retries + 1):
        if attempt:
            pause = config.email.retry_wait * 2 ** (attempt - 1)
            log.warning(
                "mail server %s: %s; retrying in %.0fs",
                smtp.where(config.email.smtp),
                run.last_error,
                pause,
            )
            sleep(pause)
        if not run.attempt():
            break
    for reader in run.waiting:
        row = run.ledger.get(run.day, reader.address)
        why = (row.reply if row else None) or run.last_error
        if row is not None and row.state == "unknown":
            why = f"outcome unknown ({why}); the next run resends it once, same Message-ID"
        run.outcome.failed.append((reader.spelling, why))
    return run.outcome


class _Run:
    """One `deliver` call: its readers, its claim holder, what is left to do."""

    def __init__(self, config: Config, ledger: Ledger, edition, pdf, recipients, clock, force):
        self.config, self.ledger, self.edition, self.pdf = config, ledger, edition, pdf
        self.clock = clock
        self.day = issue_key(edition.get("edition"), edition["date"])  # each edition its own rows
        self.sender = mailbox(config.email.sender)
        self.holder = new_holder()
        self.readers = readers(recipients)
        self.waiting: list[Reader] = list(self.readers)
        self.forced = {r.address for r in self.readers} if force else set()
        self.outcome = Outcome()
        self.last_error = ""
        self.password: str | None = None  # read where it is used: a build never needs it
        self.letter: Letter | None = None  # the templates, rendered for the first reader

    def message(self, reader: Reader, mid: str) -> bytes:
        if self.letter is None:
            self.letter = letter(self.edition, self.config)
        composed = compose(
            self.edition,
            self.pdf,
            self.config,
            recipient=reader.spelling,
            message_id=mid,
            now=self.clock(),
            written=self.letter,
        )
        return composed.as_bytes(policy=WIRE_POLICY)

    def attempt(self) -> bool:
        """One pass over the readers still waiting; False when nothing is left to try."""
        # A look first (claims rolled back): no connection when every reader is done.
        due = [r for r in list(self.waiting) if self._claim(r, peek=True)]
        if not due:
            return False
        try:
            with smtp.connect(self.config.email.smtp, self.password) as connection:
                for reader in due:
                    claim = self._claim(reader) if reader in self.waiting else None
                    if claim is not None:
                        self._send(connection, reader, claim)
        except MailTransient as exc:
            self.last_error = str(exc)
        return bool(self.waiting)

    def _claim(self, reader: Reader, *, peek: bool = False) -> Claim | None:
        claim = self.ledger.claim(
            self.day,
            reader.address,
            self.holder,
            self.clock(),
            force=reader.address in self.forced,
            peek=peek,
        )
        if claim.taken:
            if not peek:
                self.forced.discard(reader.address)
            return claim
        self.waiting.remove(reader)
        if claim.state in ("failed", "unknown"):
            self.outcome.failed.append((reader.spelling, claim.why))
        else:
            self.outcome.skipped.append((reader.spelling, claim.why))
        return None

    def _send(self, connection, reader: Reader, claim: Claim) -> None:
        day, holder, address = self.day, self.holder, reader.address
        mid = claim.delivery.message_id
        if claim.resend:
            log.warning(
                "resending edition %s to %s with the same Message-ID %s: the outcome of the last"
                " attempt is unknown (%s)",
                day,
                reader.spelling,
                mid,
                claim.why,
            )
        handed_over = []

        def handing_over() -> None:
            self.ledger.handing_over(day, address, holder, self.clock())
            handed_over.append(True)

        try:
            payload = self.message(reader, mid)
            reply = smtp.transact(connection, self.sender, address, payload, handing_over)
        except MailTransient as exc:  # nothing handed over: the reader waits for the next attempt
            self.ledger.release(day, address, holder, self.clock(), str(exc), claim.resend)
            raise
        except BaseException as exc:  # not ours to handle; leave the row telling the truth
            why = f"interrupted: {type(exc).__name__}"
            if handed_over:
                self.ledger.unknown(day, address, holder, self.clock(), why)
            else:
                self.ledger.release(day, address, holder, self.clock(), why, claim.resend)
            raise
        now = self.clock()
        if reply.outcome == "accepted":
            self._settled(reader, self.ledger.accepted(day, address, holder, now, reply.text))
            self.outcome.sent.append(reader.spelling)
            if claim.resend:
                self.outcome.resent.append(reader.spelling)
        elif reply.permanent:
            self._settled(reader, self.ledger.failed(day, address, holder, now, reply.text))
            self.outcome.failed.append((reader.spelling, reply.text))
        elif reply.outcome == "refused":  # 4xx: try again after the backoff
            self.ledger.release(day, address, holder, now, reply.text, claim.resend)
            self.last_error = reply.text
        else:
            self.ledger.unknown(day, address, holder, now, reply.text)
            log.warning(
                "edition %s to %s: %s; the outcome is unknown: it will be resent once, with"
                " the same Message-ID %s",
                day,
                reader.spelling,
                reply.text,
                mid,
            )
            raise MailTransient(reply.text)  # the connection is gone

    def _settled(self, reader: Reader, recorded: bool) -> None:
        self.waiting.remove(reader)
        if not recorded:
            log.warning(
                "the claim on %s lapsed while sending edition %s; another run may send it too",
                reader.spelling,
                self.day,
            )


def log_outcome(outcome: Outcome, day: str) -> None:
    for recipient in outcome.sent:
        log.info("sent edition %s to %s", day, recipient)
    for recipient, why in outcome.skipped:
        log.info("not sent to %s: %s", recipient, why)
    for recipient, why in outcome.failed:
        log.error("could not send edition %s to %s: %s", day, recipient, why)


def raise_for(outcome: Outcome, total: int) -> None:
    """The run's failure as one line (exit 1), when some reader was not reached."""
    if not outcome.failed:
        return
    if outcome.sent or outcome.skipped:
        raise BriefingError(
            f"{len(outcome.failed)} of {total} recipients not reached (see above); the others were sent"
        )
    raise BriefingError(f"no recipient reached: {outcome.failed[0][1]}")


def _safe(address: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "@.-_" else "_" for ch in address)
