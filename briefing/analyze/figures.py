"""Key figures: numbers with what they count, in Arabic and English.

Digits (Arabic-Indic too: ١٥٠٠, ١٣٬٠٠٠, ٢٫٥) with a scale word (ألف, مليون,
million, bn), a currency ($, €, £, دولار) or a percent (%, في المئة); number
words and their dual and plural forms (ثلاثة آلاف, ألفي, مئتا, عشرات الآلاف,
مليار ونصف, three thousand, tens of thousands, a dozen); ranges (between
10,000 and 12,000; ما بين 10 و12 ألفاً) counted at their lower bound and marked
approximate; qualifiers (more than, about, up to, أكثر من, نحو, قرابة, ما يصل
إلى) set `approx`. The unit is the counted noun after the number (past من, past
"North Korean"), or before it («عدد القتلى 2000»). Years, dates, times,
article and phone numbers, ages and numbers inside names (G7, F-16) are not
figures. Pure: a string in, Figures out, offsets into the original text.
"""

from __future__ import annotations

import re

from briefing.analyze.arabic import digits, fold
from briefing.models import Figure

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

# -- English -------------------------------------------------------------

_EN_WORD_VALUES = {
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
_EN_SCALES = {
    "hundred": 100,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "bn": 1e9,
}
_EN_QUAL = (
    r"more\ than|over|about|around|nearly|almost|up\ to|some|at\ least|roughly|approximately|an\ estimated"
    r"|close\ to|fewer\ than|less\ than|as\ many\ as|upwards\ of"
)
_EN_WORD = "|".join(sorted(_EN_WORD_VALUES, key=len, reverse=True))
_EN = re.compile(
    rf"""(?<!\w)(?:(?P<qual>{_EN_QUAL})\s+)?
    (?:
      (?P<range>between\s+)?(?P<cur>[$€£])?(?P<num>{_NUM})(?:\s*(?P<scale>million|billion|trillion|thousand|bn|m|k)\b)?
        (?:\s*(?:to|and|-|–)\s*[$€£]?(?P<num2>{_NUM})(?:\s*(?:million|billion|trillion|thousand|bn|m|k)\b)?)?
      | (?P<vague>tens\ of\ thousands|hundreds\ of\ thousands|thousands|hundreds|dozens|millions|tens)(?=\s+of\b)
      | (?P<dozen>a\ dozen|half\ a\ million)
      | (?P<words>(?:{_EN_WORD})(?:[\s-](?:{_EN_WORD}))?)(?:\s+(?P<wscale>hundred|thousand|million|billion))?
    )
    (?:\s*(?P<pct>%|percent\b|per\ cent\b))?""",
    re.VERBOSE | re.IGNORECASE,
)
_EN_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}
_EN_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "riyals": "SAR",
    "dirhams": "AED",
}
_EN_STOP = {
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
    "p",
    "a.m",
    "p.m",
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
    "than",
    "more",
    "less",
    "a.m.",
    "p.m.",
    "it",
    "its",
    "their",
    "his",
    "her",
    "be",
    "been",
    "being",
    "said",
    "says",
    "a day",
    "day",
    "percent",
    "times",
    "so",
    "but",
    "while",
    "if",
    "into",
    "over",
    "about",
    "up",
    "out",
    "off",
    "last",
    "next",
    "each",
}
# Words that qualify the counted noun and belong to the unit: "basis points", "police officers".
_EN_MODIFIERS = {
    "special",
    "forces",
    "member",
    "basis",
    "police",
    "suspected",
    "cubic",
    "square",
    "civil",
    "military",
    "armed",
    "security",
    "additional",
    "foreign",
    "local",
    "registered",
    "confirmed",
    "displaced",
    "active",
    "government",
    "regular",
    "reserve",
    "health",
    "aid",
    "relief",
    "rescue",
    "combat",
    "new",
    "fresh",
    "young",
    "elderly",
}
_EN_NOT_AFTER = re.compile(
    r"(?:article|resolution|route|highway|flight|room|no\.|number|page|chapter|section|call|dial|phone|tel\.?"
    r"|gate|platform|terminal|apollo|boeing|airbus|model|version|level|grade|class|week|day|year|season)\s*$",
    re.IGNORECASE,
)
_MONTHS_EN = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$|\b(?:since|in|of)\s+$",
    re.IGNORECASE,
)

# -- Arabic --------------------------------------------------------------

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
# Scale words with the multiplier they stand for alone (dual forms count two).
_AR_SCALES = {
    "مئة": (100, 100),
    "مائة": (100, 100),
    "مئات": (100, 100),
    "مئتا": (100, 200),
    "مئتي": (100, 200),
    "مئتان": (100, 200),
    "ألف": (1e3, 1e3),
    "ألفا": (1e3, 1e3),
    "ألفاً": (1e3, 1e3),
    "آلاف": (1e3, 1e3),
    "ألفي": (1e3, 2e3),
    "ألفان": (1e3, 2e3),
    "مليون": (1e6, 1e6),
    "مليونا": (1e6, 1e6),
    "ملايين": (1e6, 1e6),
    "مليوني": (1e6, 2e6),
    "مليونان": (1e6, 2e6),
    "مليار": (1e9, 1e9),
    "مليارا": (1e9, 1e9),
    "مليارات": (1e9, 1e9),
    "ملياري": (1e9, 2e9),
    "ملياران": (1e9, 2e9),
}
_AR_SCALE = "|".join(sorted(_AR_SCALES, key=len, reverse=True))
_AR_ONE = "|".join(sorted(_AR_ONES, key=len, reverse=True))
_AR_QUAL = (
    r"أكثر\ من|اكثر\ من|نحو|حوالي|حوالى|قرابة|ما\ يصل\ إلى|ما\ يزيد\ على|ما\ يزيد\ عن|زهاء|أقل\ من|ما\ لا\ يقل\ عن"
    r"|أكثر\ من|قرابة|ما\ يقارب|ما\ يناهز|يناهز|يقارب|يربو\ على"
)
_AR = re.compile(
    rf"""(?<!\w)(?:(?P<qual>{_AR_QUAL})\s+)?
    (?:
      (?P<range>(?:ما\s+)?بين\s+)?(?P<num>{_NUM})(?:\s+و\s*(?P<num2>{_NUM}))?(?:\s*(?P<scale>{_AR_SCALE})(?!\w))?
        (?:\s+(?P<half>ونصف)(?:\s+(?:{_AR_SCALE}))?)?
      | (?P<vague>عشرات\s+الآلاف|مئات\s+الآلاف|عشرات|مئات|آلاف|ملايين)(?!\w)
      | (?P<words>{_AR_ONE})(?:\s+(?P<wscale>{_AR_SCALE}))?(?!\w)(?:\s+(?P<whalf>ونصف)(?:\s+(?:{_AR_SCALE}))?)?
      | (?P<bare>{_AR_SCALE})(?!\w)(?:\s+(?P<bhalf>ونصف)(?:\s+(?:{_AR_SCALE}))?)?
    )
    (?:\s*(?P<pct>%|٪|في\ المئة|في\ المائة|بالمئة|بالمائة))?""",
    re.VERBOSE,
)
_AR_CURRENCY = {
    "دولار": "USD",
    "دولارا": "USD",
    "دولاراً": "USD",
    "يورو": "EUR",
    "جنيه": "EGP",
    "ريال": "SAR",
    "درهم": "AED",
    "دينار": "دينار",
    "ليرة": "ليرة",
}
_AR_STOP = {
    "و",
    "في",
    "من",
    "إلى",
    "على",
    "عن",
    "مع",
    "أو",
    "ثم",
    "حتى",
    "منذ",
    "عام",
    "العام",
    "سنة",
    "بين",
    "خلال",
    "فقط",
    "قبل",
    "بعد",
    "هذا",
    "هذه",
    "التي",
    "الذي",
    "إن",
    "أن",
    "كما",
    "ما",
    "لا",
}
_AR_NOT_AFTER = re.compile(
    r"(?:المادة|مادة|رقم|البند|الفقرة|القرار|قرار|الطريق|طريق|شارع|الساعة|الصفحة|الفصل|اتصل\s+على|الهاتف|هاتف|الرقم|عام|العام|سنة|منذ|الدورة|النسخة)\s*$"
)
_MONTHS_AR = re.compile(
    r"(?:يناير|فبراير|مارس|أبريل|إبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|كانون\s+\S+|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين\s+\S+)\s*$"
)
_AR_COUNT_BEFORE = re.compile(
    rf"عدد\s+(?P<unit>[\u0621-\u064A]+)\s+(?:إلى\s+|نحو\s+|حوالي\s+)?(?={_NUM})"
)


def find(text: str, lang: str) -> list[Figure]:
    """Figures of `text` in reading order.

    >>> [(f.value, f.unit, f.approx) for f in find("أرسلت أكثر من 13 ألف حاوية", "ar")]
    [(13000.0, 'حاوية', True)]
    """
    normalised = digits(text)  # one character for one: offsets stay valid
    found = _find_ar(normalised) if lang == "ar" else _find_en(normalised)
    out = []
    for value, unit, approx, start, end in found:
        sentence = _sentence_at(text, start)
        out.append(
            Figure(
                value=float(value),
                unit=unit,
                text=text[start:end].strip(),
                approx=approx,
                start=start,
                end=end,
                sentence=sentence,
                salience=_salience(value, unit, approx, start, len(text)),
            )
        )
    return out


def _find_en(text: str) -> list[tuple]:
    found = []
    for match in _EN.finditer(text):
        if not match.group(0).strip() or (
            match["words"] is None
            and match["num"] is None
            and match["vague"] is None
            and match["dozen"] is None
        ):
            continue
        start = match.start()
        number_end = match.end("scale") if match["scale"] else match.end("num")
        if match["num"] and _inside_word(text, match.start("num"), number_end):
            continue  # G7, F-16, COVID-19, 45-year-old
        if match["words"] and (_inside_word(text, match.start("words"), match.end("words"))):
            continue
        value, approx = _en_value(match)
        if value is None:
            continue
        before = text[max(0, start - 16) : start]
        if _EN_NOT_AFTER.search(before):
            continue
        if match["num"] and text[match.end("num") : match.end("num") + 1] == ":":
            continue  # a time: 3:40
        unit, unit_end = _en_unit(text, match)
        if unit is None:
            continue
        is_year = (
            match["num"]
            and re.fullmatch(r"(1[89]|20)\d\d", match["num"])
            and not (match["scale"] or match["cur"])
        )
        dated = match["num"] and _MONTHS_EN.search(before) and not match["scale"]
        if (is_year or dated) and unit != "%" and (is_year or not match["cur"]):
            continue  # a year, or a day of a month
        if match["words"] and value < 2 and not match["wscale"]:
            continue  # "one of the …" is not a figure
        if match["vague"] and unit in _EN_CURRENCY.values():
            continue  # "millions of dollars" is colour, not a figure
        approx = approx or bool(match["qual"]) or bool(match["range"]) or bool(match["num2"])
        found.append((value, unit, approx, start, max(unit_end, match.end())))
    return found


def _en_value(match) -> tuple[float | None, bool]:
    if match["num"]:
        value = float(match["num"].replace(",", ""))
        if match["scale"]:
            value *= _EN_SCALES[match["scale"].lower()]
        return value, False
    if match["vague"]:
        vague = match["vague"].lower()
        return {
            "tens of thousands": 1e4,
            "hundreds of thousands": 1e5,
            "thousands": 1e3,
            "hundreds": 100,
            "dozens": 12,
            "millions": 1e6,
            "tens": 10,
        }[vague], True
    if match["dozen"]:
        return (12.0, False) if match["dozen"].lower() == "a dozen" else (5e5, False)
    words = re.split(r"[\s-]+", match["words"].lower())
    value = sum(_EN_WORD_VALUES[w] for w in words)
    if match["wscale"]:
        value *= _EN_SCALES[match["wscale"].lower()]
    return float(value), False


def _en_unit(text: str, match) -> tuple[str | None, int]:
    if match["pct"]:
        return "%", match.end()
    if match["cur"]:
        return _EN_CURRENCY[match["cur"]], match.end()
    rest = text[match.end() : match.end() + 80]
    tokens = list(re.finditer(r"[A-Za-z][A-Za-z'-]*", rest))
    index = 0
    if tokens and tokens[0].group().lower() == "of" and tokens[0].start() <= 1:
        index = 1
    # Skip proper adjectives ("North Korean soldiers"), at most three.
    skipped = 0
    while index < len(tokens) and tokens[index].group()[:1].isupper() and skipped < 3:
        index += 1
        skipped += 1
    if index >= len(tokens) or _gap(rest, tokens, index):
        return None, match.end()
    words, end = [], match.end()
    while index < len(tokens):
        word = tokens[index].group()
        lower = word.lower()
        if word[:1].isupper() or lower in _EN_STOP:
            break
        words.append(lower)
        end = match.end() + tokens[index].end()
        if (
            lower in _EN_MODIFIERS
            and index + 1 < len(tokens)
            and not _gap(rest, tokens, index + 1)
            and tokens[index + 1].group()[:1].islower()
            and tokens[index + 1].group().lower() not in _EN_STOP
        ):
            index += 1
            continue
        break
    if not words:
        return None, match.end()
    unit = " ".join(words)
    return _EN_CURRENCY_WORDS.get(unit, unit), end


def _gap(rest: str, tokens, index: int) -> bool:
    """True when punctuation separates token `index` from what precedes it."""
    previous_end = tokens[index - 1].end() if index else 0
    return bool(re.search(r"[.,;:!?()\"“”]", rest[previous_end : tokens[index].start()]))


def _find_ar(text: str) -> list[tuple]:
    found = []
    unit_before = {m.end(): m["unit"] for m in _AR_COUNT_BEFORE.finditer(text)}
    for match in _AR.finditer(text):
        if not match.group(0).strip() or not any(
            match[g] for g in ("num", "vague", "words", "bare")
        ):
            continue
        start = match.start()
        if match["num"] and _inside_word(text, match.start("num"), match.end("num")):
            continue
        first = match.start("num") if match["num"] else start
        if first in unit_before:
            unit, end = unit_before[first], match.end()
        else:
            unit, end = _ar_unit(text, match)
        if unit is None:
            continue
        before = text[max(0, start - 16) : start]
        if match["num"] and not match["scale"] and not match["pct"] and first not in unit_before:
            if _AR_NOT_AFTER.search(before) or _MONTHS_AR.search(before):
                continue
            if re.fullmatch(r"(1[89]|20)\d\d", match["num"]) or (
                len(match["num"]) >= 7 and "," not in match["num"]
            ):
                continue  # a year, a phone number
        value, approx = _ar_value(match)
        if value is None or value < 1:
            continue
        approx = approx or bool(match["qual"]) or bool(match["range"]) or bool(match["num2"])
        found.append((value, unit, approx, start, max(end, match.end())))
    return found


def _ar_value(match) -> tuple[float | None, bool]:
    half = bool(match["half"] or match["whalf"] or match["bhalf"])
    if match["num"]:
        value = float(match["num"].replace(",", ""))
        if match["scale"]:
            value *= _AR_SCALES[match["scale"]][0]
            if half:
                value += _AR_SCALES[match["scale"]][0] / 2
        return value, False
    if match["vague"]:
        vague = re.sub(r"\s+", " ", match["vague"])
        return {
            "عشرات الآلاف": 1e4,
            "مئات الآلاف": 1e5,
            "عشرات": 10,
            "مئات": 100,
            "آلاف": 1e3,
            "ملايين": 1e6,
        }[vague], True
    if match["words"]:
        value = _AR_ONES[match["words"]]
        if match["wscale"]:
            value *= _AR_SCALES[match["wscale"]][0]
            if half:
                value += _AR_SCALES[match["wscale"]][0] / 2
        return float(value), False
    multiplier, alone = _AR_SCALES[match["bare"]]
    if match["bare"] in ("مئات", "آلاف", "ملايين", "مليارات"):
        return float(alone), True
    return float(alone + (multiplier / 2 if half else 0)), False


def _ar_unit(text: str, match) -> tuple[str | None, int]:
    if match["pct"]:
        return "%", match.end()
    rest = text[match.end() : match.end() + 60]
    tokens = list(re.finditer(r"[\u0621-\u064A\u0671-\u06D3]+", rest))
    index = 0
    if tokens and tokens[0].group() == "من" and not re.search(r"[،.,:]", rest[: tokens[0].start()]):
        index = 1  # «40 ألفاً من المقاتلين»
    if index >= len(tokens) or re.search(r"[،.,:;()«»\"]", rest[: tokens[index].start()]):
        return None, match.end()
    word = tokens[index].group()
    if word in _AR_STOP or word in _AR_SCALES or word == "ونصف":
        return None, match.end()
    unit = _AR_CURRENCY.get(word.removeprefix("ال"), word)
    return unit, match.end() + tokens[index].end()


def _inside_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    joined_after = after == "-" and end + 1 < len(text) and text[end + 1].isalnum()
    return before.isalpha() or before == "-" or after.isalpha() or joined_after


def _sentence_at(text: str, position: int) -> str:
    start = max(
        text.rfind(". ", 0, position), text.rfind("\n", 0, position), text.rfind("؟ ", 0, position)
    )
    start = start + 1 if start >= 0 else 0
    ends = [i for i in (text.find(". ", position), text.find("\n", position)) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def _salience(value: float, unit: str, approx: bool, start: int, length: int) -> float:
    """How likely a figure is one of the story's key figures: early, large, about people or money."""
    score = 1.0 - 0.5 * (start / max(length, 1))
    score += 0.3 if concept(unit) in _KEY_CONCEPTS else 0.0
    score += 0.2 if value >= 1000 else 0.0
    return round(score, 3)


_KEY_CONCEPTS = {
    "troop",
    "person",
    "dead",
    "injured",
    "family",
    "usd",
    "eur",
    "gbp",
    "container",
    "truck",
    "country",
}
# What a unit counts, the same key in Arabic and English, so that "1500 جندي"
# and "1,500 soldiers" are recognised as one fact.
_CONCEPTS = {
    "troop": "troop troops soldier soldiers forces fighters servicemen جندي جنود عسكري عسكريين مقاتل مقاتلين قوات",
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
    words = key.split()
    if len(words) > 1:
        # The head noun decides: English puts it last ("special forces soldiers"), Arabic first.
        head = words[-1] if key.isascii() else words[0]
        if head in _CONCEPT_OF:
            return _CONCEPT_OF[head]
    bare = key.removeprefix("ال") if key.startswith("ال") else key
    return _CONCEPT_OF.get(bare, bare.removesuffix("s") if bare.isascii() else bare)
