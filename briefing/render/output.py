"""An edition's files on disk: written as one set, read back only as one set.

A build writes each part beside the old one (`briefing.pdf.<nonce>.part` …)
and renames them into place only once all are written, so a build killed
while rendering leaves the previous set whole, and two builds at once never
write into one file. Each part carries the set's fingerprint: the JSON's
top-level `fingerprint` and the PDF's `/BriefingFingerprint` metadata. A set
whose parts disagree (a build killed between two renames, a PDF copied from
another build) is refused by `send`: it would mail one text with another PDF.
"""

from __future__ import annotations

import io
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from briefing.claims import process_alive
from briefing.errors import BriefingError

PDF_KEY = "BriefingFingerprint"  # custom PDF metadata: /BriefingFingerprint in the Info dictionary
FORMATS = ("pdf", "html", "json")


def paths(output_dir: Path, day: str) -> dict[str, Path]:
    """Where the files of edition `day` (YYYY-MM-DD) are, or will be: {format: path}."""
    return {fmt: output_dir / day / f"briefing.{fmt}" for fmt in FORMATS}


class Staging:
    """New parts of one set, beside the files they replace until commit()."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.nonce = f"{os.getpid()}-{secrets.token_hex(3)}"
        self.parts: dict[str, Path] = {}

    def path(self, name: str) -> Path:
        """Where to write the new `name` (e.g. briefing.pdf) before it replaces the old one."""
        part = self.folder / f"{name}.{self.nonce}.part"
        self.parts[name] = part
        return part

    def write(self, name: str, content: bytes) -> None:
        self.path(name).write_bytes(content)

    def commit(self) -> dict[str, Path]:
        done = {}
        for name, part in self.parts.items():
            os.replace(part, self.folder / name)
            done[name] = self.folder / name
        return done

    def discard(self) -> None:
        for part in self.parts.values():
            part.unlink(missing_ok=True)


@contextmanager
def staged(folder: Path) -> Iterator[Staging]:
    """Stage parts inside the block; all are renamed into place after it, none if it fails."""
    folder.mkdir(parents=True, exist_ok=True)
    remove_orphans(folder)
    staging = Staging(folder)
    try:
        yield staging
    except BaseException:
        staging.discard()
        raise


def remove_orphans(folder: Path) -> list[Path]:
    """Remove the parts a build killed with -9 left behind (no clean-up ran in it).

    A part names the process that wrote it (`briefing.pdf.<pid>-<nonce>.part`);
    parts of a process still running, a build beside this one, are left alone.
    """
    removed = []
    for part in folder.glob("*.part"):
        pid = part.name.rsplit(".", 2)[-2].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            part.unlink(missing_ok=True)
            removed.append(part)
    return removed


def pdf_fingerprint(pdf: bytes) -> str | None:
    """The fingerprint stored in a PDF's metadata, or None."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        metadata = PdfReader(io.BytesIO(pdf)).metadata or {}
    except (PyPdfError, ValueError, OSError):
        return None
    value = metadata.get("/" + PDF_KEY)
    return str(value) if value else None


def read_set(json_path: Path, pdf_path: Path) -> tuple[dict[str, Any], bytes]:
    """The edition (its briefing.json) and its PDF, when both belong to one build.

    Raises BriefingError, one line naming the folder and how to mend it, otherwise.
    """
    try:
        edition = json.loads(json_path.read_text(encoding="utf-8"))
        pdf = pdf_path.read_bytes()
    except (OSError, ValueError) as exc:
        raise BriefingError(f"{json_path.parent}: cannot read the edition: {exc}") from None
    day = edition.get("date", json_path.parent.name)
    mend = f"rebuild it: briefing build --date {day}"
    mark = edition.get("fingerprint")
    if not mark:
        raise BriefingError(
            f"{json_path}: no fingerprint (written by an older briefing or by hand); {mend}"
        )
    found = pdf_fingerprint(pdf)
    if found != mark:
        raise BriefingError(
            f"{json_path.parent}: briefing.json and briefing.pdf are from different builds"
            f" (fingerprint {mark[:12]} vs {found[:12] if found else 'none'}); {mend}"
        )
    return edition, pdf
