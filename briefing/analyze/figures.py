"""Key figures: numbers with what they count, in Arabic and English.

A first, rule-based version: digits (Arabic-Indic included) with a scale word,
a currency or a percent, and the counted noun that follows. Years, dates and
times are not figures.
"""

from __future__ import annotations

import re

from briefing.analyze.arabic import digits, fold
from briefing.models import Figure

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

_EN = re.compile(
    rf"""(?:(?P<qual>more\ than|over|about|around|nearly|almost|up\ to|some|at\ least|roughly|approximately)\s+)?
    (?P<cur>[$€£])?(?P<num>{_NUM})
    (?:\s*(?P<scale>million|billion|trillion|thousand|bn|m|k)\b)?
    (?:\s*(?P<pct>%|percent\b|per\ cent\b))?
    (?:[ \t]+(?P<unit>(?:[A-Za-z][A-Za-z-]+)))?""",
    re.VERBOSE | re.IGNORECASE,
)
_EN_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_EN_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}
_EN_NOT_UNITS = {
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "and",
    "or",
    "to",
    "for",
    "by",
    "from",
    "with",
    "was",
    "were",
    "is",
    "are",
    "has",
    "had",
    "have",
    "per",
    "pm",
    "am",
    "gmt",
    "utc",
    "that",
    "this",
    "as",
    "after",
    "before",
    "since",
    "when",
    "which",
    "who",
    "will",
    "would",
}
_MONTHS_EN = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE
)

_AR = re.compile(
    rf"""(?:(?P<qual>أكثر\ من|اكثر\ من|نحو|حوالي|حوالى|قرابة|ما\ يصل\ إلى|ما\ يزيد\ على|ما\ يزيد\ عن|زهاء|أقل\ من)\s+)?
    (?P<num>{_NUM})
    (?:\s*(?P<scale>آلاف|ألفا|ألفاً|ألف|ملايين|مليون|مليارات|مليار))?
    (?:\s*(?P<pct>%|٪|في\ المئة|في\ المائة|بالمئة|بالمائة))?
    (?:\s+(?:من\s+)?(?P<unit>[\u0621-\u064A\u0671-\u06D3]+))?""",
    re.VERBOSE,
)
_AR_SCALE = {
    "ألف": 1e3,
    "آلاف": 1e3,
    "ألفا": 1e3,
    "ألفاً": 1e3,
    "مليون": 1e6,
    "ملايين": 1e6,
    "مليار": 1e9,
    "مليارات": 1e9,
}
_AR_CURRENCY = {"دولار": "USD", "يورو": "EUR", "جنيه": "GBP", "ريال": "SAR", "درهم": "AED"}
_AR_NOT_UNITS = {"و", "في", "من", "إلى", "على", "عن", "مع", "أو", "ثم", "حتى", "منذ", "عام", "سنة"}
_MONTHS_AR = re.compile(
    r"(?:يناير|فبراير|مارس|أبريل|إبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين)\s*$"
)
_YEAR_CUE_AR = re.compile(r"(?:عام|العام|سنة|منذ)\s*$")


def find(text: str, lang: str) -> list[Figure]:
    """Figures of `text` in reading order.

    >>> [(f.value, f.unit, f.approx) for f in find("أرسلت أكثر من 13 ألف حاوية", "ar")]
    [(13000.0, 'حاوية', True)]
    """
    normalised = digits(text)  # one character for one: offsets stay valid
    if lang == "ar":
        return _find(normalised, text, _AR, _AR_SCALE, _AR_NOT_UNITS, _is_date_ar, _unit_ar)
    return _find(normalised, text, _EN, _EN_SCALE, _EN_NOT_UNITS, _is_date_en, _unit_en)


def _find(normalised, original, pattern, scales, not_unit, is_date, unit_of) -> list[Figure]:
    found = []
    for match in pattern.finditer(normalised):
        number = match["num"]
        if _inside_word(normalised, match.start("num"), match.end("num")):
            continue  # G7, F-16, COVID-19
        value = float(number.replace(",", ""))
        scale = match["scale"]
        if scale:
            value *= scales.get(scale.lower(), scales.get(scale, 1))
        unit = unit_of(match, not_unit)
        if unit is None:
            continue
        if is_date(normalised, match) and not scale and not match["pct"]:
            continue
        end = match.end("unit") if match["unit"] and unit == match["unit"] else match.end()
        end = end if unit != "%" else match.end("pct")
        start = match.start()
        found.append(
            Figure(
                value=value,
                unit=unit,
                text=original[start:end].strip(),
                approx=bool(match["qual"]),
                start=start,
                end=end,
            )
        )
    return found


def _inside_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return (
        before.isalpha()
        or before == "-"
        or after.isalpha()
        or (after == "-" and end + 1 < len(text) and text[end + 1].isalnum())
    )


def _unit_en(match, not_unit) -> str | None:
    if match["pct"]:
        return "%"
    if match["cur"]:
        return _EN_CURRENCY[match["cur"]]
    unit = match["unit"]
    if not unit or unit.lower() in not_unit:
        return None
    return unit


def _unit_ar(match, not_unit) -> str | None:
    if match["pct"]:
        return "%"
    unit = match["unit"]
    if not unit or unit in not_unit:
        return None
    return _AR_CURRENCY.get(unit.removeprefix("ال"), unit)


def _is_date_en(text: str, match) -> bool:
    number = match["num"]
    before = text[max(0, match.start() - 12) : match.start()]
    if _MONTHS_EN.search(before):
        return True
    return bool(re.fullmatch(r"(1[89]|20)\d\d", number))


def _is_date_ar(text: str, match) -> bool:
    number = match["num"]
    before = text[max(0, match.start() - 12) : match.start()]
    if _MONTHS_AR.search(before) or _YEAR_CUE_AR.search(before):
        return True
    return bool(re.fullmatch(r"(1[89]|20)\d\d", number)) and not match["unit"]


# What a unit counts, the same key in Arabic and English, so that "1500 جندي"
# and "1,500 soldiers" are recognised as one fact.
_CONCEPTS = {
    "troop": "troop troops soldier soldiers fighters servicemen جندي جنود عسكري عسكريين مقاتل مقاتلين",
    "container": "container containers حاوية حاويات",
    "country": "country countries nation nations state states دولة دول بلد بلدان",
    "person": "people person persons residents civilians شخص أشخاص نسمة مواطن مواطنين مدني مدنيين",
    "dead": "dead killed deaths قتيل قتلى وفاة وفيات",
    "injured": "injured wounded hurt جريح جرحى مصاب مصابين إصابة إصابات",
    "family": "family families عائلة عائلات أسرة أسر",
    "truck": "truck trucks lorries lorry شاحنة شاحنات",
    "building": "building buildings مبنى مباني",
    "passenger": "passenger passengers traveller travellers مسافر مسافرين",
    "barrel": "barrel barrels برميل براميل",
    "case": "case cases حالة حالات",
    "dose": "dose doses جرعة جرعات",
    "kilometre": "kilometre kilometres kilometer kilometers km كيلومتر كيلومترات",
}
_CONCEPT_OF = {
    fold(word).casefold(): key for key, words in _CONCEPTS.items() for word in words.split()
}


def concept(unit: str) -> str:
    """The language-independent key of what a unit counts.

    >>> concept("جنود") == concept("soldiers") == "troop"
    True
    """
    key = fold(unit).casefold()
    if key in _CONCEPT_OF:
        return _CONCEPT_OF[key]
    bare = key.removeprefix("ال") if key.startswith("ال") else key
    return _CONCEPT_OF.get(bare, bare.removesuffix("s") if bare.isascii() else bare)
