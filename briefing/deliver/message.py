"""Compose the email of an edition: plain text and inlined-CSS HTML, both bilingual, PDF attached.

Built from the edition's own briefing.json, so what is mailed is exactly what
was built. Pure apart from reading templates.
"""

from __future__ import annotations

import email.policy
import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from briefing.config import Config
from briefing.deliver.addresses import mailbox, readers
from briefing.edition import issue_key
from briefing.ingest.urls import web_link
from briefing.render import html as html_render
from briefing.render.context import direction

# Python < 3.15 folds a long non-ASCII header between two encoded words and
# drops the space there (CPython gh-144156): "الموجز الصباحي" would arrive as
# "الموجزالصباحي". Not folding keeps each header one encoded run, which every
# mail client reads; our headers stay far below SMTP's 998-character limit.
WIRE_POLICY = email.policy.SMTP.clone(max_line_length=None)


def message_id(date: str, address: str, sender: str) -> str:
    """A Message-ID derived from edition and mailbox: the same email always has the same id.

    `date` is the issue's key (edition.issue_key): two editions of one day
    mailed to one reader are two messages, never folded into one.

    >>> message_id("2024-10-24", "a@x.org", "Briefing <b@y.org>")
    '<briefing.2024-10-24.907d7bf93d60cbe6@y.org>'
    >>> message_id("gulf/2024-10-24", "a@x.org", "Briefing <b@y.org>")
    '<briefing.gulf.2024-10-24.907d7bf93d60cbe6@y.org>'
    """
    domain = mailbox(sender).rpartition("@")[2] or "briefing.invalid"
    digest = hashlib.sha256(mailbox(address).encode()).hexdigest()[:16]
    return f"<briefing.{date.replace('/', '.')}.{digest}@{domain}>"


def context(edition: dict[str, Any], config: Config) -> dict[str, Any]:
    """What the email templates receive (docs/templates.md)."""
    langs = edition.get("languages") or ["en"]
    strings = html_render.strings(config, langs)
    stories = []
    for story in edition["stories"][: config.theme.top_stories]:
        blocks = [
            {
                "lang": lang,
                "dir": direction(lang),  # the page's rule: Persian, Urdu, Hebrew too
                "headline": story["headline"][lang],
                "summary": (story.get("summary") or {}).get(lang),
            }
            for lang in sorted(story["headline"], key=lambda x: (x != "ar", x))
        ]
        sources = [
            {
                "outlet": a["outlet"],
                "title": a["title"],
                "url": web_link(a["url"]),
                "lang": a["lang"],
            }
            for a in story["articles"]
            if not a.get("duplicate_of")
        ]
        stories.append({"rank": story["rank"], "blocks": blocks, "sources": sources})
    failed = [f for f in edition["feeds"] if f["status"] == "error"]
    return {
        "theme": config.theme,
        "t": strings,
        "date": edition["date"],
        "stories": stories,
        "count": len(edition["stories"]),
        "failed_feeds": failed,
        "cut_short": [f for f in edition["feeds"] if f.get("pages_waiting") and f not in failed],
    }


@dataclass(frozen=True)
class Letter:
    """What every reader of one edition gets alike: the subject and both bodies."""

    subject: str
    text: str
    html: str


def letter(edition: dict[str, Any], config: Config) -> Letter:
    """The edition's templates rendered once, however many readers it goes to."""
    env = html_render.environment(config)
    ctx = context(edition, config)
    return Letter(
        subject=" ".join(env.get_template("email_subject.txt").render(ctx).split()),
        text=env.get_template("email.txt").render(ctx),
        html=env.get_template("email.html").render(ctx),
    )


def compose(
    edition: dict[str, Any],
    pdf: bytes,
    config: Config,
    *,
    recipient: str,
    message_id: str,
    now: datetime,
    written: Letter | None = None,
) -> EmailMessage:
    """The message for one recipient (To/Cc show the configured lists; Bcc never appears).

    Each mailbox appears once in To and Cc, as it was first written. `written`
    is the edition's `letter()`, when the caller keeps it for all its readers.
    """
    email = config.email
    written = written or letter(edition, config)
    message = EmailMessage()
    message["Subject"] = written.subject
    message["From"] = email.sender
    to = readers(email.to)
    cc = [r for r in readers(email.cc) if r.address not in {t.address for t in to}]
    listed = mailbox(recipient) in {r.address for r in readers((*email.to, *email.cc, *email.bcc))}
    # `send --to` reaches one reader outside the lists: the header names only them.
    message["To"] = ", ".join(r.spelling for r in to) if listed else recipient
    if cc and listed:
        message["Cc"] = ", ".join(r.spelling for r in cc)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["Content-Language"] = ", ".join(edition.get("languages") or ["en"])
    message.set_content(written.text)
    message.add_alternative(written.html, subtype="html")
    message.add_attachment(
        pdf,
        maintype="application",
        subtype="pdf",
        filename=f"briefing-{issue_key(edition.get('edition'), edition['date']).replace('/', '-')}.pdf",
    )
    return message
