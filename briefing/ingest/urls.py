"""Canonical article URLs: one article seen through two links is one article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say who sent the reader, not what the page is.
_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|ocid|cmpid|ncid|smid|"
    r"at_medium|at_campaign|at_custom\d*|ref_src|ref_url|_ga|_gl|__twitter_impression|ito|"
    r"taid|utm)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical(url: str) -> str:
    """The link with tracking parameters, the fragment and default ports removed.

    >>> canonical("HTTPS://Example.org:443/a?id=3&utm_source=x&fbclid=y#top")
    'https://example.org/a?id=3'
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return url.strip()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{parts.port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def web_link(url: str | None) -> str | None:
    """`url` if a reader may be sent there (http or https), else None.

    Feeds are other people's data: an item linking to javascript:, data: or
    vbscript: must never become a link in the briefing, the email or the PDF.

    >>> web_link("https://example.org/a"), web_link("javascript:alert(1)")
    ('https://example.org/a', None)
    """
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None
