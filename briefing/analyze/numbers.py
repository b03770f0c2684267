"""Numbers written in words, in English and Arabic, and their values.

Tables (and the spellings they accept): `figures` builds its patterns from
them. Arabic words are accepted in their common spellings (أربعة/اربعة,
ثماني/ثمانى, مئة/مائة), each mapped to one value. At the end, the few text
helpers both figure readers share (`word_set`, `sentence_at`, `same_sentence`).
"""

from __future__ import annotations

import re

EN_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
EN_SCALES = {
    "hundred": 100,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "bn": 1e9,
}

_AR_ONES = {
    "واحد": 1,
    "واحدة": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثلاث": 3,
    "ثلاثة": 3,
    "أربع": 4,
    "أربعة": 4,
    "خمس": 5,
    "خمسة": 5,
    "ست": 6,
    "ستة": 6,
    "سبع": 7,
    "سبعة": 7,
    "ثماني": 8,
    "ثمانية": 8,
    "ثمان": 8,
    "تسع": 9,
    "تسعة": 9,
    "عشر": 10,
    "عشرة": 10,
}
# The first word of 11 and 12, which stands only before عشر/عشرة.
_AR_TEEN_FIRST = {"أحد": 1, "إحدى": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
_AR_TENS = {
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "أربعون": 40,
    "أربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
}
_AR_HUNDREDS = {
    f"{stem}{hundred}": value * 100
    for stem, value in (
        ("ثلاث", 3),
        ("أربع", 4),
        ("خمس", 5),
        ("ست", 6),
        ("سبع", 7),
        ("ثمان", 8),
        ("تسع", 9),
    )
    for hundred in ("مئة", "مائة")
}
# Scale words with the multiplier they stand for alone (dual forms count two).
_AR_SCALES = {
    "مئة": (100, 100),
    "مائة": (100, 100),
    "مئتا": (100, 200),
    "مئتي": (100, 200),
    "مئتان": (100, 200),
    "مئتين": (100, 200),
    "مائتا": (100, 200),
    "مائتي": (100, 200),
    "مائتان": (100, 200),
    "مائتين": (100, 200),
    "ألف": (1e3, 1e3),
    "ألفا": (1e3, 1e3),
    "ألفاً": (1e3, 1e3),
    "آلاف": (1e3, 1e3),
    "ألفي": (1e3, 2e3),
    "ألفان": (1e3, 2e3),
    "ألفين": (1e3, 2e3),
    "مليون": (1e6, 1e6),
    "مليونا": (1e6, 1e6),
    "ملايين": (1e6, 1e6),
    "مليوني": (1e6, 2e6),
    "مليونان": (1e6, 2e6),
    "مليونين": (1e6, 2e6),
    "مليار": (1e9, 1e9),
    "مليارا": (1e9, 1e9),
    "مليارات": (1e9, 1e9),
    "ملياري": (1e9, 2e9),
    "ملياران": (1e9, 2e9),
    "مليارين": (1e9, 2e9),
}
# Plural scale words alone say "many", not how many: عشرات, مئات, آلاف الجنود.
AR_VAGUE = ("عشرات", "مئات", "آلاف", "الاف", "ملايين", "مليارات")


def _spellings(word: str) -> set[str]:
    """The spellings a word is written in: with and without hamza on alef, final ى for ي."""
    forms = {word}
    for form in list(forms):
        forms.add(form.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا"))
    for form in list(forms):
        if form.endswith("ي"):
            forms.add(form[:-1] + "ى")
        if form.endswith("ى"):
            forms.add(form[:-1] + "ي")
        if form.endswith("ة"):
            forms.add(form[:-1] + "ه")
    return forms


def _with_spellings(table: dict) -> dict:
    return {form: value for word, value in table.items() for form in _spellings(word)}


AR_ONES = _with_spellings(_AR_ONES)
AR_TEEN_FIRST = _with_spellings(_AR_TEEN_FIRST)
AR_TENS = _with_spellings(_AR_TENS)
AR_HUNDREDS = _with_spellings(_AR_HUNDREDS)
AR_SCALES = _with_spellings(_AR_SCALES)


def alternation(words) -> str:
    """A regex alternation of `words`, longest first so that a longer word wins."""
    return "|".join(sorted(words, key=len, reverse=True))


# Duals say "two" in one word: يومين (two days), شخصين (two persons), امرأتين.
# Feminine duals (…تين, …تان) are regular enough to read from the ending; the
# masculine ending (…ين, …ان) is also a plural's, so only common counted nouns.
AR_DUAL_STEMS = (
    "يوم",
    "شهر",
    "أسبوع",
    "اسبوع",
    "عام",
    "عقد",
    "قرن",
    "شخص",
    "طفل",
    "رجل",
    "جندي",
    "راكب",
    "ناجي",
    "قتيل",
    "جريح",
    "شهيد",
    "بلد",
    "سنت",
    "مرت",
)

# Digits with thousands grouped by commas, by (thin, no-break) spaces ("7 000"), or not at all.
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:\.\d+)?"


def plain(written: str) -> float:
    """The value of digits written with thousands separators: 13,000 and 7 000."""
    return float(re.sub(r"[,\s]", "", written))


def word_set(listed: str) -> frozenset[str]:
    """A space-separated word list as a set."""
    return frozenset(listed.split())


def sentence_at(text: str, position: int) -> str:
    """The sentence around `position`.

    From just after the last ". ", "؟ " or line break to the next ". " (its full
    stop included) or line break, stripped.
    """
    start = max(
        text.rfind(". ", 0, position), text.rfind("\n", 0, position), text.rfind("؟ ", 0, position)
    )
    start = start + 1 if start >= 0 else 0
    ends = [i for i in (text.find(". ", position), text.find("\n", position)) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def same_sentence(text: str, end: int, start: int, stops: re.Pattern) -> bool:
    """Whether `start` is close after `end` (under 100 characters) with none of `stops` between."""
    return start - end < 100 and not stops.search(text, end, start)
