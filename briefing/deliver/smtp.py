"""One SMTP connection and one reader's transaction on it, told apart by what the server last said.

    connect()   -> smtplib.SMTP                 SendError (login refused, 5xx, TLS)
                                                MailTransient (refused, timeout, 4xx greeting)
    transact()  -> Reply("accepted", 250 …)     the server took the message
                   Reply("refused", 4xx/5xx …)  it said no (at MAIL, RCPT, DATA or after it)
                   Reply("unknown", …)          the connection died after the message began
                                                to go over: it may or may not have arrived
                                                (RFC 1047)
                                                MailTransient: lost before DATA, nothing handed over

smtplib's `data()` hides the moment the message starts to go over, which is
exactly the moment that splits "safe to retry" from "maybe delivered"; so
DATA is spoken here in its two halves.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from briefing.config import SmtpConfig
from briefing.errors import MailTransient, SendError

TIMEOUT = 30.0  # seconds for each step of a conversation


@dataclass(frozen=True)
class Reply:
    outcome: str  # accepted | refused | unknown
    text: str  # "250 2.0.0 Message accepted", or why there is no reply

    @property
    def permanent(self) -> bool:
        return self.outcome == "refused" and self.text.startswith("5")


def connect(server: SmtpConfig, password: str | None) -> smtplib.SMTP:
    """A logged-in connection; `password` is resolved by the caller (config.smtp_password)."""
    try:
        if server.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
            smtp.ehlo()
            if server.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if server.username:
            smtp.login(server.username, password or "")
        return smtp
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"mail server {where(server)} refused the login: {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(f"mail server {where(server)}: {exc}") from None
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise MailTransient(f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
        raise SendError(
            f"mail server {where(server)} answered {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except ssl.SSLError as exc:
        raise SendError(f"mail server {where(server)}: TLS failed: {exc.reason or exc}") from None
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise MailTransient(_reason(exc)) from None


def transact(
    smtp: smtplib.SMTP,
    sender: str,
    recipient: str,
    message: bytes,
    handing_over: Callable[[], None],
) -> Reply:
    """MAIL, RCPT, DATA for one recipient; `handing_over()` runs just before the message goes."""
    try:
        for command in (
            lambda: smtp.mail(sender),
            lambda: smtp.rcpt(recipient),
            lambda: smtp.docmd("DATA"),
        ):
            code, reply = command()
            if code >= 400 or code < 200:
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    smtp.rset()
                return Reply("refused", f"{code} {_text(reply)}")
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise MailTransient(
            f"connection lost before the message was sent: {_reason(exc)}"
        ) from None
    if code != 354:
        return Reply("refused", f"{code} {_text(reply)}")
    handing_over()
    try:
        smtp.send(_dot_stuffed(message))
        code, reply = smtp.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        return Reply("unknown", f"no reply after DATA: {_reason(exc)}")
    return Reply("accepted" if code < 400 else "refused", f"{code} {_text(reply)}")


def _dot_stuffed(message: bytes) -> bytes:
    """The message as DATA carries it: leading dots doubled, CRLF line ends, ending with CRLF.CRLF."""
    body = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r?\n", b"\r\n", message))
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def where(server: SmtpConfig) -> str:
    return f"{server.host}:{server.port}"


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.timeout):
        return "timed out"
    return str(exc) or type(exc).__name__
