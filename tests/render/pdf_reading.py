"""Reading a rendered PDF back: words with their boxes (poppler), the tag tree and the text each tag holds (pypdf)."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject


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


@dataclass(frozen=True)
class Tagged:
    """Text as a screen reader meets it: the structure element that holds it and the language it reads it in."""

    kind: str
    lang: str | None
    page: int
    text: str


def tagged_text(pdf: Path) -> tuple[list[Tagged], list[str]]:
    """Every piece of marked text with its tag and inherited /Lang; and the marked texts no tag holds.

    Text in a tagged PDF sits in marked-content sequences (`/P <</MCID 3>> BDC … EMC`);
    the structure tree points at them by page and MCID.
    """
    reader = PdfReader(pdf)
    marked: dict[tuple[int, int], str] = defaultdict(str)
    for number, page in enumerate(reader.pages, start=1):
        open_sequences: list[int | None] = []

        def before(operator, operands, cm, tm, open_sequences=open_sequences):
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if operator == b"BDC" and len(operands) > 1 else None
                mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
                open_sequences.append(int(mcid) if mcid is not None else None)
            elif operator == b"EMC" and open_sequences:
                open_sequences.pop()

        def text(chunk, cm, tm, font, size, number=number, open_sequences=open_sequences):
            mcid = next((m for m in reversed(open_sequences) if m is not None), None)
            if chunk and mcid is not None:
                marked[(number, mcid)] += chunk

        page.extract_text(visitor_operand_before=before, visitor_text=text)

    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    root = reader.trailer["/Root"]
    found: list[Tagged] = []
    held: set[tuple[int, int]] = set()

    def visit(node: DictionaryObject, lang: str | None, page: int | None) -> None:
        own = node.get("/Lang")
        lang = str(own) if own is not None else lang
        page_ref = node.get("/Pg")
        page = pages.get(page_ref.idnum) if isinstance(page_ref, IndirectObject) else page
        k = node.get("/K")
        for item in k if isinstance(k, ArrayObject) else [k]:
            item = item.get_object() if isinstance(item, IndirectObject) else item
            where = None
            if isinstance(item, NumberObject):
                where = (page, int(item))
            elif isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
                ref = item.get("/Pg")
                where = (pages.get(ref.idnum) if ref is not None else page, int(item["/MCID"]))
            elif isinstance(item, DictionaryObject) and "/S" in item:
                visit(item, lang, page)
            if where is not None and where[0] is not None:
                held.add(where)
                if marked.get(where, "").strip():
                    found.append(
                        Tagged(str(node.get("/S")).lstrip("/"), lang, where[0], marked[where])
                    )

    lang = str(root["/Lang"]) if root.get("/Lang") is not None else None
    visit(root["/StructTreeRoot"].get_object(), lang, None)
    loose = [t for where, t in marked.items() if where not in held and t.strip()]
    return found, loose
