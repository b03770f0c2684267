"""Reading a rendered PDF back: words with their boxes (poppler) and the tag tree (pypdf)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass(frozen=True)
class Word:
    page: int  # 1-based
    text: str
    x0: float
    y0: float  # from the top of the page, in points
    x1: float
    y1: float


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def words(pdf: Path) -> list[Word]:
    """Every word of the PDF with its box, as poppler's `pdftotext -bbox` places it."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = []
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in WORD.findall(page):
            found.append(Word(number, unescape(text), float(x0), float(y0), float(x1), float(y1)))
    return found


@dataclass
class Element:
    """One structure element of a tagged PDF: its type, language, page and children."""

    kind: str  # H2, P, BlockQuote, Div …
    lang: str | None  # its own /Lang, or the nearest ancestor's
    page: int | None  # 1-based
    children: list[Element]


def structure(pdf: Path) -> Element:
    """The tag tree (/StructTreeRoot) of `pdf`, languages inherited as PDF readers do."""
    reader = PdfReader(pdf)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    root = reader.trailer["/Root"]
    lang = str(root.get("/Lang")) if root.get("/Lang") is not None else None

    def element(node: DictionaryObject, inherited: str | None) -> Element:
        own = node.get("/Lang")
        here = str(own) if own is not None else inherited
        page_ref = node.get("/Pg")
        page = pages.get(page_ref.idnum) if isinstance(page_ref, IndirectObject) else None
        return Element(str(node.get("/S", "")).lstrip("/"), here, page, list(kids(node, here)))

    def kids(node: DictionaryObject, here: str | None) -> Iterator[Element]:
        k = node.get("/K")
        items = k if isinstance(k, ArrayObject) else [k]
        for item in items:
            item = item.get_object() if isinstance(item, IndirectObject) else item
            if isinstance(item, DictionaryObject) and item.get("/Type") != "/OBJR" and "/S" in item:
                yield element(item, here)

    tree = root["/StructTreeRoot"].get_object()
    return Element("StructTreeRoot", lang, None, list(kids(tree, lang)))


def walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element.children:
        yield from walk(child)
