"""An edition rendered into its folder: briefing.json, .html and .pdf, written as one set.

The parts are staged and renamed into place together (render/output.py), and
all carry one fingerprint of what the pages depend on, so a rebuild with
nothing new keeps the HTML and PDF it already wrote.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from briefing import __version__, analyze
from briefing.config import Config
from briefing.edition import issue_key
from briefing.models import Edition
from briefing.progress import Progress
from briefing.render import export, html, output, pdf
from briefing.render.output import FORMATS
from briefing.resources import default_templates_dir, fonts_dir

log = logging.getLogger(__name__)


def write_edition(
    edition: Edition, config: Config, formats: tuple[str, ...], progress: Progress
) -> dict[str, Path]:
    """Render the requested formats into <output_dir>/[<edition>/]<date>/ as one set (render/output.py)."""
    folder = config.output_dir / issue_key(edition.edition, edition.date)
    # A rebuild with nothing new keeps the HTML and PDF it already wrote: the
    # JSON (feed statuses, generated_at) is rewritten, the pages would not change.
    stamp = folder / ".fingerprint"
    fingerprint = _fingerprint(edition, config)
    unchanged = stamp.is_file() and stamp.read_text() == fingerprint
    pages = tuple(fmt for fmt in formats if fmt != "json")
    kept = unchanged and all((folder / f"briefing.{fmt}").is_file() for fmt in pages)
    with progress.step("render", len(formats)) as advance, output.staged(folder) as staging:
        if "json" in formats:
            data = {**export.to_json(edition), "fingerprint": fingerprint}
            text = json.dumps(data, ensure_ascii=False, indent=2)
            staging.write("briefing.json", text.encode("utf-8"))
            advance(1)
        if kept:
            log.info("nothing new since the last build of %s: HTML and PDF kept", edition.date)
        if "html" in formats and not kept:
            staging.write("briefing.html", html.render(edition, config).encode("utf-8"))
            advance(1)
        if "pdf" in formats and not kept:
            document = html.render(edition, config, for_pdf=True)
            roots = [*html.template_dirs(config), default_templates_dir(), fonts_dir()]
            if config.theme.logo:
                roots.append(config.theme.logo)  # that one file, not its folder
            pdf.write(document, staging.path("briefing.pdf"), roots, {output.PDF_KEY: fingerprint})
            advance(1)
    # Every part is written: now the renames. Without the stamp, a build killed
    # among them redraws everything next time instead of trusting a mixed set.
    if not kept:
        stamp.unlink(missing_ok=True)
    staging.commit()
    if not kept and {"html", "pdf"} <= set(formats):
        stamp.write_text(fingerprint)
    return {fmt: folder / f"briefing.{fmt}" for fmt in FORMATS if fmt in formats}


def _fingerprint(edition: Edition, config: Config) -> str:
    """What the HTML and PDF depend on: stories, their articles and analyses, failed feeds, theme, templates."""
    digest = hashlib.sha256()
    digest.update(repr((analyze.VERSION, __version__, config.theme, config.templates_dir)).encode())
    for story in edition.stories:
        digest.update(
            repr(
                (
                    story.id,
                    story.rank,
                    story.updated,
                    story.developing,
                    [a.id for a in story.articles],
                    story.headline,
                    len(story.quotes),
                    len(story.figures),
                )
            ).encode()
        )
    digest.update(
        repr([(f.name, f.error) for f in edition.feeds if f.status in ("error", "never")]).encode()
    )
    digest.update(repr([(f.name, f.pages_waiting) for f in edition.feeds]).encode())
    for folder in html.template_dirs(config):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()
