"""Every failure briefing raises on purpose, as one tree (the CLI maps it to exit statuses).

    BriefingError                a failure the user can act on: one line on stderr, exit 1
    ├── ConfigError              the config or an argument is wrong, naming the key: exit 2
    ├── FetchError               a request failed (`url`, `status` when the server answered)
    │   ├── Refused              the private-network guard will not fetch this URL
    │   ├── RoundOver            fetch.round_deadline came before the request could finish
    │   └── FetchTransient       no answer: timeout, refused or dropped connection, no DNS
    ├── SendError                the mail server refused for good: the login, a 5xx
    ├── FalseEdition             an edition not fit to mail (no feed read, too few stories)
    └── TransientError           worth another try after a pause; the HTTP client and the
        │                        mailer retry on this branch and on nothing else
        ├── FetchTransient       (a FetchError too)
        └── MailTransient        connection refused or lost before the message went over, 4xx

Anything else that escapes is a bug: the CLI prints its type and first line and
exits 1 (with the traceback under -v).
"""

from __future__ import annotations


class BriefingError(Exception):
    """A failure the user can act on; the CLI prints it on one line and exits 1."""


class ConfigError(BriefingError):
    """A configuration or usage error naming the key; the CLI exits 2."""


class TransientError(BriefingError):
    """A failure another attempt may not meet: retried with backoff where retries are allowed."""


class FetchError(BriefingError):
    """A request that failed; `str()` is a one-line reason."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(reason)
        self.url = url
        self.status = status


class Refused(FetchError):
    """A URL the SSRF guard will not fetch."""


class RoundOver(FetchError):
    """The fetch round's deadline came before this request could be made or finish."""

    def __init__(self, url: str):
        super().__init__(url, "left for the next round: fetch.round_deadline came first")


class FetchTransient(FetchError, TransientError):
    """No answer from the server (timeout, connection refused or reset, name not resolved)."""


class SendError(BriefingError):
    """A permanent failure of the mail server (authentication, 5xx): no retry helps."""


class MailTransient(TransientError):
    """A mail failure worth retrying, nothing handed over: refused or dropped connection, 4xx."""


class FalseEdition(BriefingError):
    """The edition is not fit to mail; the message says why in one line."""
