"""Readers' addresses: one mailbox however it is written.

A config may name a reader twice ("Reader <Reader@Example.org>" in `to`,
"Reader@example.org" in `bcc`); the domain part of an address is
case-insensitive (RFC 5321 §2.4) and a display name is no part of the mailbox,
so both spellings are one reader and get one copy. The local part is kept as
written: the standard leaves its case to the receiving server. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import getaddresses


@dataclass(frozen=True)
class Reader:
    address: str  # the mailbox, normalised: what deliveries are keyed by
    spelling: str  # as first written in the config or on the command line: what the header shows


def mailbox(text: str) -> str:
    """The bare mailbox of `text`, domain in lower case.

    >>> mailbox("Reader <Reader@Example.ORG>")
    'Reader@example.org'
    """
    bare = (getaddresses([text])[0][1] or text).strip()
    local, at, domain = bare.rpartition("@")
    return f"{local}@{domain.lower()}" if at else bare


def readers(spellings: Iterable[str]) -> list[Reader]:
    """One Reader per mailbox, in first-seen order, keeping the first spelling.

    >>> [r.spelling for r in readers(["a@x.org", "A <a@X.org>", "b@x.org"])]
    ['a@x.org', 'b@x.org']
    """
    seen: dict[str, Reader] = {}
    for spelling in spellings:
        address = mailbox(spelling)
        seen.setdefault(address, Reader(address=address, spelling=spelling.strip()))
    return list(seen.values())
