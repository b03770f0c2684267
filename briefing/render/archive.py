"""The archive beside the editions: `<output_dir>/index.html` and `index.json`.

Rebuilt after every build from the editions on disk (each `<date>/briefing.json`),
so it is always what the folder holds: static files that any web server, or a
file browser, serves. Newest edition first; each with its story count, top three
headlines in every language it has, and links to its HTML and PDF. A story
already in an earlier edition links back to the edition where it began
("developing since 23 Oct"). index.json follows briefing/schemas/index.schema.json.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from briefing.config import Config
from briefing.errors import BriefingError
from briefing.render import colours, context, html
from briefing.render.hijri import hijri_ar

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
TOP = 3  # headlines shown per edition
EDITION_FOLDER = re.compile(r"\d{4}-\d{2}-\d{2}")
FILES = {"html": "briefing.html", "pdf": "briefing.pdf", "json": "briefing.json"}


@dataclass(frozen=True)
class StoredEdition:
    """One edition folder as found on disk: its date, its JSON (when readable), its files."""

    date: str
    data: dict[str, Any] | None
    files: dict[str, str] = field(default_factory=dict)  # format -> path relative to output_dir


def read_editions(output_dir: Path) -> list[StoredEdition]:
    """Every `<YYYY-MM-DD>/` folder of `output_dir` that holds at least one edition file."""
    found = []
    if not output_dir.is_dir():
        return found
    for folder in sorted(output_dir.iterdir()):
        if not (folder.is_dir() and EDITION_FOLDER.fullmatch(folder.name)):
            continue
        files = {
            fmt: f"{folder.name}/{name}" for fmt, name in FILES.items() if (folder / name).is_file()
        }
        if not files:
            continue
        data = None
        if "json" in files:
            try:
                data = json.loads((folder / FILES["json"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                # One damaged edition must not cost the reader the whole archive.
                log.warning(
                    "archive: %s/%s unreadable (%s): listed without its stories",
                    folder,
                    FILES["json"],
                    exc,
                )
        found.append(StoredEdition(folder.name, data if isinstance(data, dict) else None, files))
    return found


def index(
    editions: list[StoredEdition], *, shown: int, tz: ZoneInfo, generated_at: datetime
) -> dict[str, Any]:
    """The archive as plain data (index.json): pure, newest edition first.

    `shown` is how many stories an edition's HTML shows (theme.top_stories): a
    story ranked below it has no anchor there, so its link is the page itself.
    """
    began: dict[str, StoredEdition] = {}  # story id -> the oldest edition that has it
    for edition in sorted(editions, key=lambda e: e.date):
        for story in _stories(edition):
            began.setdefault(story["id"], edition)
    entries = []
    for edition in sorted(editions, key=lambda e: e.date, reverse=True):
        stories = sorted(_stories(edition), key=lambda s: s.get("rank", 0))
        entries.append(
            {
                "date": edition.date,
                "generated_at": (edition.data or {}).get("generated_at"),
                "stories": len(stories) if edition.data is not None else None,
                "languages": (edition.data or {}).get("languages", []),
                "files": edition.files,
                "top": [_headline(s, edition, began, shown, tz) for s in stories[:TOP]],
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "editions": entries,
    }


def _stories(edition: StoredEdition) -> list[dict[str, Any]]:
    stories = (edition.data or {}).get("stories") or []
    return [s for s in stories if isinstance(s, dict) and s.get("id") and s.get("headline")]


def _link(edition: StoredEdition, story: dict[str, Any], shown: int) -> str | None:
    """The story in `edition`: its card in the HTML when shown there, else the HTML or the PDF."""
    if "html" in edition.files:
        anchored = story.get("rank", shown + 1) <= shown
        return edition.files["html"] + (f"#{story['id']}" if anchored else "")
    return edition.files.get("pdf")


def _headline(
    story: dict[str, Any],
    edition: StoredEdition,
    began: dict[str, StoredEdition],
    shown: int,
    tz: ZoneInfo,
) -> dict[str, Any]:
    first = began[story["id"]]
    since = None
    if first.date < edition.date:
        # Find the story where it began, by id, in that edition's own list.
        earlier = next(s for s in _stories(first) if s["id"] == story["id"])
        since = {"date": first.date, "edition": first.date, "link": _link(first, earlier, shown)}
    elif story.get("developing") and story.get("first_seen"):
        # Begun before the oldest edition kept here: said, not linked.
        seen = datetime.fromisoformat(story["first_seen"].replace("Z", "+00:00"))
        since = {"date": seen.astimezone(tz).date().isoformat(), "edition": None, "link": None}
    return {
        "id": story["id"],
        "rank": story.get("rank"),
        "headline": {
            lang: text for lang, text in story["headline"].items() if isinstance(text, str)
        },
        "link": _link(edition, story, shown),
        "developing_since": since,
    }


def page_context(data: dict[str, Any], config: Config) -> dict[str, Any]:
    """What templates/archive.html receives (docs/templates.md): pure."""
    editions = []
    for entry in data["editions"]:
        day = date.fromisoformat(entry["date"])
        editions.append(
            {
                **entry,
                "hijri": hijri_ar(day),
                "day": {"en": context.short_date(day, "en"), "ar": context.short_date(day, "ar")},
                "top": [
                    {
                        **story,
                        "blocks": [
                            {"lang": lang, "dir": context.direction(lang), "headline": text}
                            for lang, text in sorted(
                                story["headline"].items(),
                                key=lambda kv: (kv[0] in context.RTL, kv[0]),
                            )
                        ],
                        "since": _since_text(story["developing_since"]),
                    }
                    for story in entry["top"]
                ],
            }
        )
    return {
        "theme": config.theme,
        "colours": colours.palette(config.theme.accent),
        "t": html.strings(config, ["ar", "en"]),
        "editions": editions,
        "fonts_css": html.font_css(embed=True),
    }


def _since_text(since: dict[str, Any] | None) -> dict[str, Any] | None:
    if since is None:
        return None
    day = date.fromisoformat(since["date"])
    return {
        "en": context.short_date(day, "en"),
        "ar": context.short_date(day, "ar"),
        "link": since["link"],
    }


def write(config: Config, now: datetime, folder: Path | None = None) -> dict[str, Path]:
    """Rebuild `index.json` and `index.html` from the editions in `folder` (default: output_dir;
    a named edition's archive is in its own folder, `<output_dir>/<name>/`)."""
    out = folder or config.output_dir
    data = index(read_editions(out), shown=config.theme.top_stories, tz=config.tz, generated_at=now)
    env = html.environment(config)
    try:
        page = env.get_template("archive.html").render(page_context(data, config))
    except jinja2.TemplateError as exc:
        raise BriefingError(f"archive.html: template error: {exc}") from None
    try:
        return {
            "json": _replace(out / "index.json", json.dumps(data, ensure_ascii=False, indent=2)),
            "html": _replace(out / "index.html", page),
        }
    except OSError as exc:
        raise BriefingError(f"{out}: cannot write the archive: {exc}") from None


def _replace(path: Path, text: str) -> Path:
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path
