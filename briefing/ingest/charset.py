"""Feed and page bytes to text as a reader would see them: declared charset, bad bytes alone replaced.

feedparser guesses again when a document does not decode cleanly: one invalid
byte in a UTF-8 Arabic feed made it fall back to a Latin code page and every
title was stored as mojibake. Here the bytes are decoded once, by the BOM,
else the HTTP charset, else the document's own (XML declaration or
<meta charset>), else UTF-8, else the Arabic
code page (windows-1256 or ISO-8859-6) or Latin one (windows-1252) whose
reading is the most plausible. A Latin label (ISO-8859-1, windows-1252) over
bytes an Arabic code page reads more plausibly is a careless server: the
Arabic reading is taken. Bad bytes are replaced one by one and counted, and
every guess is named in the encoding returned, so the caller can say so.
"""

from __future__ import annotations

import codecs
import re

_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_LATIN_ACCENTED = re.compile(r"[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_PAGES = ("iso8859-1", "cp1252", "iso8859-15")  # as codecs.lookup names them
_ARABIC_PAGES = ("windows-1256", "iso-8859-6")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(content: bytes, content_type: str | None = None) -> tuple[str, int, str]:
    """(text, bytes replaced, encoding used) of a feed or a page.

    >>> decode(b'<rss>\\xd9\\x82\\xd8\\xa7\\xd9\\x84 \\xff</rss>', "text/xml; charset=utf-8")
    ('<rss>قال \\ufffd</rss>', 1, 'utf-8')
    """
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return _decode(content[len(bom) :] if encoding == "utf-8" else content, encoding)
    declared = _declared(content, content_type)
    if declared and declared != "utf-8":
        try:
            text = content.decode(declared)
        except UnicodeDecodeError:
            return _decode(content, declared)
        # A Latin code page declared over valid UTF-8 Arabic is a careless server.
        if not _LATIN_ACCENTED.search(text) or not _is_utf8(content):
            return _mislabelled(content, text, declared)
        declared = "utf-8"
    if _is_utf8(content):
        return content.decode("utf-8"), 0, "utf-8"
    text, bad, _ = _decode(content, "utf-8")
    if declared == "utf-8" or bad <= max(2, len(content) // 1000):
        return text, bad, "utf-8"  # a few stray bytes in UTF-8: only they are lost
    text, bad, encoding = max(
        (_decode(content, name) for name in (*_ARABIC_PAGES, "windows-1252")),
        key=lambda found: _plausibility(found[0]) - 10 * found[1],
    )
    return text, bad, f"{encoding} (guessed: no charset declared)"


def _mislabelled(content: bytes, text: str, declared: str) -> tuple[str, int, str]:
    """The declared reading, unless the label is Latin and an Arabic code page reads
    the bytes more plausibly: a careless server labels every feed it serves
    ISO-8859-1, and a windows-1256 feed read so is stored as «ÃÚáäÊ»."""
    if declared not in _LATIN_PAGES:
        return text, 0, declared
    arabic, bad, encoding = max(
        (_decode(content, name) for name in _ARABIC_PAGES),
        key=lambda found: _plausibility(found[0]) - 10 * found[1],
    )
    if bad or _plausibility(arabic) <= _plausibility(text):
        return text, 0, declared
    return arabic, 0, f"{encoding} (guessed: the declared {declared} reads as garbled text)"


def _declared(content: bytes, content_type: str | None) -> str | None:
    for found in (
        _CHARSET.search(content_type or ""),
        _XML_DECLARATION.match(content[:200]),
        _META_CHARSET.search(content[:4096]),
    ):
        if found:
            name = found[1].decode("ascii", "ignore") if isinstance(found[1], bytes) else found[1]
            try:
                return codecs.lookup(name.strip().lower()).name.replace("_", "-")
            except LookupError:
                continue
    return None


def _decode(content: bytes, encoding: str) -> tuple[str, int, str]:
    text = content.decode(encoding, "replace")
    return text, text.count("\ufffd"), encoding


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _plausibility(text: str) -> int:
    """How readable a decoding is: words in one script count, mojibake words cost.

    A wrong code page shows as words mixing Arabic and Latin letters («عltimas»
    from Portuguese read as windows-1256) or Latin words made mostly of accented
    letters («ÞÇá» from Arabic read as windows-1252).
    """
    score = 0
    for word in _WORD.findall(text):
        arabic = len(_ARABIC_LETTER.findall(word))
        latin = len(_LATIN_LETTER.findall(word))
        accented = len(_LATIN_ACCENTED.findall(word))
        if arabic and latin:
            score -= 5
        elif latin and accented * 5 > latin * 2:
            score -= 3
        else:
            score += 1
    return score
