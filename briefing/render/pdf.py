"""Render the edition's HTML to PDF with WeasyPrint, loading only our own assets."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
from weasyprint import HTML
from weasyprint.pdf import tags
from weasyprint.urls import URLFetcher

from briefing.errors import BriefingError

# WeasyPrint logs every CSS property it ignores; a reader of our logs needs none of it.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class AssetsOnly(URLFetcher):
    """A URL fetcher that serves files under the given folders and nothing else.

    A hostile feed can put `<img src="file:///etc/passwd">` or a CSS url() in
    an article; neither the network nor any other local file is reachable.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"refused to load {url}: only the theme's own files")
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"refused to load {url}: outside the theme and fonts folders")
        return super().fetch(url, headers)


def _tag_languages() -> None:
    """Carry each HTML element's `lang` onto its PDF structure element (/Lang).

    WeasyPrint (70) writes a tagged PDF but sets /Lang only on the catalog,
    from <html lang>; a screen reader would then read the Arabic blocks with
    the English voice. Its structure builder is wrapped so that every element
    with a `lang` attribute gives its language to the structure element made
    for it (children inherit it, as PDF 32000 §14.9.2 says). When a future
    WeasyPrint renames the builder, the PDF stays tagged, without the languages,
    and tests/render/test_pdf_pages.py says so.
    """
    build = getattr(tags, "_build_box_tree", None)
    if build is None or getattr(build, "sets_lang", False):
        return

    def build_with_lang(box, parent, *args, **kwargs):
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and hasattr(element, "get") else None
        for structure in build(box, parent, *args, **kwargs):
            if lang and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    build_with_lang.sets_lang = True
    tags._build_box_tree = build_with_lang


_tag_languages()


def write(
    html: str, target: Path, asset_roots: list[Path], metadata: dict[str, str] | None = None
) -> Path:
    """Write `html` as a tagged PDF to `target`, resolving relative URLs against the first asset root.

    Tagged (`pdf_tags`): a screen reader gets headings, lists, quotes and links
    in reading order, each block in its own language, not one stream of text.

    `metadata` goes into the PDF's document information as custom keys
    (the edition's fingerprint: render/output.py).
    """
    try:
        document = HTML(
            string=html,
            base_url=asset_roots[0].as_uri() + "/",
            url_fetcher=AssetsOnly(asset_roots),
        ).render()
        document.metadata.custom.update(metadata or {})
        document.write_pdf(target, pdf_tags=True, custom_metadata=bool(metadata))
    except OSError as exc:
        raise BriefingError(f"{target}: cannot write the PDF: {exc}") from None
    return target
