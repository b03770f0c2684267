"""Send an edition by SMTP, once per edition and recipient, and record it.

How a crash cannot send twice: each recipient gets a Message-ID derived
from edition and recipient, and the store records the recipient's state
before each SMTP step: `sending` before MAIL FROM (safe to retry: nothing was
handed over yet), `submitting` just before DATA, `sent` after the server's
250. A recipient left in `submitting` by a crash may have received the mail,
so a later `send` skips it (and says so) unless `--force`; the stable
Message-ID lets mail clients fold a forced resend into the first copy.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import getaddresses
from pathlib import Path

from briefing.config import Config, SmtpConfig, smtp_password
from briefing.deliver.message import WIRE_POLICY, compose, message_id
from briefing.errors import BriefingError, ConfigError
from briefing.store import Store

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 30.0


class SendError(BriefingError):
    """A permanent failure of the mail server (authentication, 5xx): no retry helps."""


class _Transient(Exception):
    """A failure worth retrying: connection refused or dropped, timeout, 4xx reply."""


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (recipient, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (recipient, server reply)
    written: list[Path] = field(default_factory=list)  # .eml files of a dry run


def recipients_of(config: Config, override: tuple[str, ...] = ()) -> list[str]:
    if override:
        return list(dict.fromkeys(override))
    if config.email is None:
        raise ConfigError(f"{config.path.name}: email: missing (needed to send the briefing)")
    return list(dict.fromkeys([*config.email.to, *config.email.cc, *config.email.bcc]))


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
    retries: int = 3,
    wait: float = 5.0,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Outcome:
    """Send edition `edition` (its briefing.json) with `pdf` attached to each recipient not yet served."""
    if config.email is None:
        raise ConfigError(f"{config.path.name}: email: missing (needed to send the briefing)")
    day = edition["date"]
    outcome = Outcome()
    pending = []
    for recipient in recipients:
        done = store.delivery(day, recipient)
        if done is not None and not force and not dry_run:
            if done["status"] == "sent":
                outcome.skipped.append((recipient, "already sent"))
                continue
            if done["status"] == "submitting":
                outcome.skipped.append(
                    (
                        recipient,
                        "may already have been delivered (interrupted during sending); --force to resend",
                    )
                )
                continue
        pending.append(recipient)
    messages = {r: compose(edition, pdf, config, recipient=r, now=clock()) for r in pending}
    if dry_run:
        for recipient, message in messages.items():
            path = folder / f"email-{_safe(recipient)}.eml"
            path.write_bytes(message.as_bytes(policy=WIRE_POLICY))
            outcome.written.append(path)
        return outcome

    server = config.email.smtp
    password = smtp_password(config)  # read now, where it is used: a build never needs it
    last_error = ""
    for attempt in range(retries + 1):
        if not pending:
            break
        if attempt:
            pause = wait * 2 ** (attempt - 1)
            log.warning("mail server %s: %s; retrying in %.0fs", _where(server), last_error, pause)
            time.sleep(pause)
        try:
            with _connect(server, password) as smtp:
                for recipient in list(pending):
                    result = _transact(
                        smtp, store, day, recipient, messages[recipient], config, clock
                    )
                    if result is None:
                        outcome.sent.append(recipient)
                        pending.remove(recipient)
                    elif result.startswith("5"):
                        outcome.failed.append((recipient, result))
                        pending.remove(recipient)
                    else:
                        last_error = result  # 4xx for this recipient: try again later
        except _Transient as exc:
            last_error = str(exc)
    outcome.failed += [(r, last_error) for r in pending]
    return outcome


def send_files(
    config: Config,
    files: dict[str, Path],
    recipients: list[str],
    *,
    force: bool = False,
    dry_run: bool = False,
) -> Outcome:
    """Send a built edition (its briefing.json and briefing.pdf) with the config's retry policy."""
    import json

    edition = json.loads(files["json"].read_text(encoding="utf-8"))
    with Store(config.db_path) as store:
        return deliver(
            config,
            store,
            edition,
            files["pdf"].read_bytes(),
            files["json"].parent,
            recipients,
            force=force,
            dry_run=dry_run,
            retries=config.email.retries,
            wait=config.email.retry_wait,
        )


def log_outcome(outcome: Outcome, day: str, config: Config) -> None:
    for recipient in outcome.sent:
        log.info("sent edition %s to %s", day, recipient)
    for recipient, why in outcome.skipped:
        log.info("not sent to %s: %s", recipient, why)
    for recipient, reply in outcome.failed:
        log.error(
            "could not send edition %s to %s: %s replied %s",
            day,
            recipient,
            config.email.smtp.host,
            reply,
        )


def _transact(
    smtp: smtplib.SMTP, store: Store, day: str, recipient: str, message, config: Config, clock
) -> str | None:
    """One recipient's SMTP transaction; None when sent, else the server's reply."""
    mid = message_id(day, recipient, config.email.sender)
    sender = getaddresses([config.email.sender])[0][1]
    store.record_delivery(day, recipient, mid, "sending", clock())
    try:
        code, reply = smtp.mail(sender)
        if code >= 400:
            return _refused(smtp, store, day, recipient, mid, code, reply, clock)
        code, reply = smtp.rcpt(getaddresses([recipient])[0][1])
        if code >= 400:
            return _refused(smtp, store, day, recipient, mid, code, reply, clock)
        store.record_delivery(day, recipient, mid, "submitting", clock())
        code, reply = smtp.data(message.as_bytes(policy=WIRE_POLICY))
    except smtplib.SMTPServerDisconnected as exc:
        raise _Transient(f"connection lost: {exc}") from None
    except smtplib.SMTPResponseException as exc:
        code, reply = exc.smtp_code, exc.smtp_error
    except (OSError, smtplib.SMTPException) as exc:
        raise _Transient(str(exc) or type(exc).__name__) from None
    if code >= 400:
        return _refused(smtp, store, day, recipient, mid, code, reply, clock)
    store.record_delivery(day, recipient, mid, "sent", clock())
    return None


def _refused(smtp, store, day, recipient, mid, code, reply, clock) -> str:
    text = f"{code} {_text(reply)}"
    # 4xx: nothing was delivered; back to "sending" so a retry is safe. 5xx: failed for good.
    store.record_delivery(
        day, recipient, mid, "failed" if code >= 500 else "sending", clock(), error=text
    )
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.rset()
    return text


def _connect(server: SmtpConfig, password: str | None) -> smtplib.SMTP:
    try:
        if server.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT)
            smtp.ehlo()
            if server.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if server.username:
            smtp.login(server.username, password or "")
        return smtp
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"mail server {_where(server)} refused the login: {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(f"mail server {_where(server)}: {exc}") from None
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise _Transient(f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
        raise SendError(
            f"mail server {_where(server)} answered {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except ssl.SSLError as exc:
        raise SendError(f"mail server {_where(server)}: TLS failed: {exc.reason or exc}") from None
    except (TimeoutError, ConnectionRefusedError, smtplib.SMTPServerDisconnected) as exc:
        raise _Transient(_reason(exc)) from None
    except OSError as exc:
        raise _Transient(_reason(exc)) from None


def _where(server: SmtpConfig) -> str:
    return f"{server.host}:{server.port}"


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.timeout):
        return "timed out"
    return str(exc) or type(exc).__name__


def _safe(address: str) -> str:
    return "".join(
        ch if ch.isalnum() or ch in "@.-_" else "_"
        for ch in getaddresses([address])[0][1] or address
    )
