"""Key figures: numbers with what they count, in Arabic and English.

What is a figure follows the realnews conventions: counts, money, percentages,
measures, durations and ages, in digits (Arabic-Indic too: ١٥٠٠, ١٣٬٠٠٠, ٢٫٥,
6,4 and 4ر6 as Arabic decimals, 7 000), in words (ثلاثة آلاف, ثمانى, خمسة
وعشرون, three thousand, five-and-a-half), in duals (يومين, امرأتين), with a
scale (ألف, مليون, million, bn), a currency ($, US$, €, £, دولار) or a percent
(%, في المئة), and in compounds (69-year-old, 1,200-metre, four-storey). Both
ends of a range count (between 10 and 12; ما بين 40 إلى 50; a 150-42 vote).
Qualifiers (more than, about, up to, أكثر من, نحو) set `approx`.

Not figures: years and dates (a number next to a month name, before or after
it: 22 ديسمبر, 25 تشرين الأول, 12 March), clock times (05 صباحا, 11:05,
0600 GMT), ordinals (التاسع عشر), numbers inside names (G7, F-16, Boeing 737,
Resolution 2231), phone numbers, and plural scale words with no number
(dozens, thousands of, عشرات, آلاف): they say "many", not how many.

The unit is the counted noun after the number (past من, past "North Korean"),
a capitalised plural demonym ("41 Canadians"), the predicate of a bare count
("40 were women"), or a measure noun before it («عدد القتلى 2000», "magnitude
6.1", "aged 25"). Pure: a string in, Figures out, offsets into the original text.
"""

from __future__ import annotations

import re

from briefing.analyze import numbers
from briefing.analyze.arabic import digits, fold
from briefing.models import Figure

# Thousands by commas, by (thin, no-break) spaces ("7 000"), or none.
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:\.\d+)?"


def _words(listed: str) -> frozenset[str]:
    return frozenset(listed.split())


def _folded_words(listed: str) -> frozenset[str]:
    return frozenset(fold(word) for word in listed.split())


# -- English -------------------------------------------------------------

_EN_QUAL = (
    r"more\ than|over|about|around|nearly|almost|up\ to|some|at\ least|roughly|approximately|an\ estimated"
    r"|close\ to|fewer\ than|less\ than|as\ many\ as|upwards\ of|at\ most|just\ over|just\ under|only"
)
_EN_SCALE = r"million|billion|trillion|thousand|bn|m|k"
_EN_WORD = numbers.alternation(numbers.EN_WORDS)
_EN = re.compile(
    rf"""(?<![\w$€£])(?:(?P<qual>{_EN_QUAL})\s+)?
    (?:
      (?P<range>between\s+)?(?P<cur>(?:US|A|C|HK|NZ|S)?[$€£])?(?P<num>{_NUM})
        (?:(?P<glued>km|kms|mph|kph|kg|mm|cm|ft|GW|MW|kW|°C|°F|C)(?![\w/])|\s*(?P<scale>{_EN_SCALE})\b)?
        (?:(?P<orso>\s+or\s+so)|(?P<link>\s*(?:to|and|or|-|–)\s*)[$€£]?(?P<num2>{_NUM})(?:\s*(?:{_EN_SCALE})\b)?)?
      | (?P<vague>(?:tens\ of\ |hundreds\ of\ )?(?:thousands|hundreds|dozens|millions|billions|scores|tens))(?=\s+of\b)
      | (?P<dozen>a\ dozen|half\ a\ million)
      | (?P<words>(?:{_EN_WORD})(?:[\s-](?:{_EN_WORD}))?)(?P<half>[\s-]and[\s-]a[\s-]half)?
        (?:\s+(?P<wscale>hundred|thousand|million|billion))?
    )
    (?:(?P<compound>-(?!(?:way|fold|off|sided|time)\b)[a-z]{{2,}}(?:-old)?)(?![\w-])|\s*(?P<pct>%|percent\b|per\ cent\b))?""",
    re.VERBOSE | re.IGNORECASE,
)
_EN_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}
_EN_DOLLARS = {"US": "USD", "A": "AUD", "C": "CAD", "HK": "HKD", "NZ": "NZD", "S": "SGD"}
_EN_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "riyals": "SAR",
    "dirhams": "AED",
}
_EN_STOP = _words(
    """a an the of in on at and or to for by from with was were is are has had have per pm am p a.m p.m
    gmt utc that this as after before since when which who will would than more less a.m. p.m. it its
    their his her be been being said says day percent times so but while if into over about up out off
    last next each another whom whose them those these us which against between among under o'clock"""
)
# Words that qualify the counted noun and belong to the unit: "basis points", "police officers".
_EN_MODIFIERS = _words(
    """special forces member basis police suspected cubic square civil military armed security
    additional foreign local registered confirmed displaced active government regular reserve health
    aid relief rescue combat new fresh young elderly crew assembly percentage"""
)
# A bare count followed by these is the subject of a clause: "40 were women", "12 were hurt".
# An adverb or adjective before the counted noun: "badly wounded", "daily rates", "senior officials".
_ADJECTIVE = re.compile(r"(?:ly|ing|ous|al|ic|ful|ive|ior|ary)$|^(?:major|senior|junior)$")
_EN_PREDICATE = {"were", "are", "have", "had", "remain", "remained", "died", "survived"}
_FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
}
_TOLL_BEFORE = re.compile(
    r"(?:\btoll|\bnumber\s+of\s+(?P<unit>[a-z]+))\b[^.;]{0,30}?"
    rf"\b(?:to|at|of|reached|hit|was|is|stands\s+at)\s+(?:(?:{_EN_QUAL})\s+)?$",
    re.IGNORECASE,
)
_VOTE = re.compile(r"\bvot|\bballot", re.IGNORECASE)
_CASUALTY_BEFORE = re.compile(
    r"\b(?:killing|killed|kills|injuring|injured|wounding|wounded|leaving|left|rescued|evacuated)"
    rf"\s+(?:(?:{_EN_QUAL})\s+)?$",
    re.IGNORECASE,
)
_EN_BEFORE_UNIT = re.compile(r"\b(magnitude|aged|age)(?:\s+of)?\s+$", re.IGNORECASE)
_EN_NOT_AFTER = re.compile(
    r"(?:article|resolution|route|highway|flight|room|no\.|number|page|chapter|section|call|dial|phone|tel\.?"
    r"|gate|platform|terminal|apollo|boeing|airbus|model|version|level|grade|class|week|day|year|season"
    r"|category|phase|vision|formula)\s*$",
    re.IGNORECASE,
)
_MONTH_EN = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
)
_MONTH_BEFORE_EN = re.compile(rf"{_MONTH_EN}\s*$", re.IGNORECASE)
_MONTH_AFTER_EN = re.compile(rf"\s*(?:of\s+)?{_MONTH_EN}")
_WEEKDAYS_EN = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_TIME_AFTER_EN = re.compile(
    r"\s*(?:o['’]clock|a\.?m\b|p\.?m\b|GMT|UTC|BST|CET|EST|EDT|ET\b|hrs\b|h\b|local\s+time)",
    re.IGNORECASE,
)
_AGE_AFTER_NAME = re.compile(r"(?:[A-Z][a-z]+\s+\(|[A-Za-z]{2,},\s*)$")

# -- Arabic --------------------------------------------------------------

# Arabic decimals: 6,4 (a comma before one or two digits) and 4ر6 (the press's
# reversed form: fraction first), before the English-style forms.
_AR_NUM = rf"\d+ر\d+|\d+,\d{{1,2}}(?![\d,])|{_NUM}"
_AR_SCALE = numbers.alternation(numbers.AR_SCALES)
_AR_VAGUE = numbers.alternation(numbers.AR_VAGUE)
_AR_ONE = numbers.alternation(numbers.AR_ONES)
_AR_TEN = numbers.alternation(numbers.AR_TENS)
_AR_TEEN = numbers.alternation({**numbers.AR_ONES, **numbers.AR_TEEN_FIRST})
_AR_HUNDRED = numbers.alternation(numbers.AR_HUNDREDS)
_AR_WORD = r"[\u0621-\u064A\u0671-\u06D3][\u0621-\u0652\u0670-\u06D3]*"
_AR_QUAL = (
    r"أكثر\ من|اكثر\ من|نحو|بنحو|حوالي|حوالى|قرابة|ما\ يصل\ إلى|ما\ يزيد\ على|ما\ يزيد\ عن|زهاء|أقل\ من"
    r"|ما\ لا\ يقل\ عن|لا\ يقل\ عن|ما\ يقارب|ما\ يناهز|يناهز|يقارب|يربو\ على|أزيد\ من|ما\ يفوق|يفوق"
)
# A number may carry one proclitic: و5, ب300, لأربعة.
_AR_START = r"(?:(?<!\w)|(?<=(?<!\w)[وبلفك])|(?<=(?<!\w)الـ))"
_AR = re.compile(
    rf"""{_AR_START}(?:(?P<qual>{_AR_QUAL})\s+)?
    (?:
      (?P<range>(?:ما\s+)?بين\s+)?(?P<num>{_AR_NUM})
        (?:(?P<link>\s*(?:و|إلى|الى|-|–)\s*)(?P<num2>{_AR_NUM}))?(?:\s*(?P<scale>{_AR_SCALE})(?!\w)
          (?:\s+و\s?(?P<plus>\d{{1,3}})(?![\d,.]|\s*(?:{_AR_SCALE})))?)?
        (?:\s+(?P<half>ونصف)(?:\s+(?:ال)?(?:{_AR_SCALE}))?)?
      | (?P<vague>(?:{_AR_VAGUE})(?:\s+(?:الآلاف|الالاف|الملايين))?)(?!\w)
      | (?P<words>(?:{_AR_TEEN})\s+(?:عشر|عشرة)|(?:{_AR_ONE})\s+و\s?(?:{_AR_TEN})|{_AR_HUNDRED}|{_AR_TEN}|{_AR_ONE})
        (?:\s+(?P<wscale>{_AR_SCALE}))?(?!\w)(?:\s+(?P<whalf>ونصف)(?:\s+(?:ال)?(?:{_AR_SCALE}))?)?
      | (?P<bare>{_AR_SCALE})(?!\w)(?:\s+(?P<bhalf>ونصف)(?:\s+(?:ال)?(?:{_AR_SCALE}))?)?
    )
    (?:\s*(?P<pct>%|٪|في\ المئة|في\ المائة|بالمئة|بالمائة))?""",
    re.VERBOSE,
)
_AR_DUAL = re.compile(
    rf"""{_AR_START}(?:ال|لل)?
    (?:(?:{numbers.alternation(numbers.AR_DUAL_STEMS)})(?:ين|ان)
      |(?!\w*ستان(?!\w))[\u0621-\u064A]{{3,}}(?:تين|تان))(?!\w)""",
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
_AR_STOP = _words(
    "و في من إلى على عن مع أو ثم حتى منذ بين خلال فقط قبل بعد هذا هذه التي الذي إن أن كما ما لا"
    " منا منهم منهما منها منهن منكم عنه عنها فيها فيه نحو حوالي حوالى قرابة أكثر اكثر أقل زهاء"
)
_AR_NOT_AFTER = re.compile(
    fold(
        r"(?:المادة|مادة|رقم|البند|الفقرة|القرار|قرار|الطريق|طريق|شارع|الساعة|الصفحة|الفصل|اتصل\s+على|الهاتف"
        r"|هاتف|الرقم|عام|العام|سنة|الدورة|النسخة|رؤية|اليوم|الأسبوع|الجولة|المرحلة|المرتبة|المركز"
        r"|الطابق|الكيلو)\s*$"
    )
)
_MONTHS_AR = (
    r"(?:يناير|فبراير|مارس|ابريل|مايو|ماي|يونيو|يونيه|يوليو|يوليه|يوليوز|اغسطس|غشت|سبتمبر|شتنبر|اكتوبر"
    r"|نوفمبر|نونبر|ديسمبر|دجنبر|جانفي|فيفري|افريل|جوان|جويلية|اوت|كانون|شباط|اذار|نيسان|ايار|حزيران"
    r"|تموز|اب|ايلول|تشرين|محرم|صفر|ربيع|جمادي|رجب|شعبان|رمضان|شوال|ذو|ذي)(?!\w)"
)
_MONTH_BEFORE_AR = re.compile(rf"{_MONTHS_AR}(?:\s+(?:الاول|الثاني))?\s*$")
_MONTH_AFTER_AR = re.compile(
    rf"\s*(?:من\s+)?(?:(?:شهر\s+)?{_MONTHS_AR}|(?:الشهر\s+)?(?:الجاري|الماضي|المقبل)(?!\w))"
)
_TIME_AFTER_AR = re.compile(
    r"\s*(?:صباح|مساء|ظهر|فجر|عصر|ليل|بالتوقيت|بتوقيت|توقيت|ت\.غ|GMT|UTC)", re.IGNORECASE
)
_AR_ORDINALS = _folded_words(
    "حادي ثاني ثالث رابع خامس سادس سابع ثامن تاسع الحادي الثاني الثالث الرابع الخامس السادس السابع"
    " الثامن التاسع"
)
_AR_FRACTIONS = {"ثلث": 0.333, "ثلثي": 0.667, "ثلثا": 0.667, "ربع": 0.25}
_AR_FRACTION = re.compile(
    rf"(?<!\w)(?:[وب])?(?P<fraction>ثلثي|ثلثا|ثلث|ربع)(?!\w)\s+(?P<unit>(?!من(?!\w)){_AR_WORD})"
)
_AR_COUNT_BEFORE = re.compile(
    rf"(?:عدد|حصيلة)\s+(?P<unit>[\u0621-\u064A]+)(?:\s+[\u0621-\u064A]+){{0,2}}?"
    rf"\s+(?:إلى\s+|الى\s+|نحو\s+|حوالي\s+)?(?={_NUM})"
)


def find(text: str, lang: str) -> list[Figure]:
    """Figures of `text` in reading order.

    >>> [(f.value, f.unit, f.approx) for f in find("أرسلت أكثر من 13 ألف حاوية", "ar")]
    [(13000.0, 'حاوية', True)]
    """
    normalised = digits(text)  # one character for one: offsets stay valid
    found = _find_ar(normalised) if lang == "ar" else _find_en(normalised)
    out = []
    for value, unit, approx, start, end in sorted(found, key=lambda f: (f[3], f[4])):
        out.append(
            Figure(
                value=float(value),
                unit=unit,
                text=text[start:end].strip(),
                approx=approx,
                start=start,
                end=end,
                sentence=_sentence_at(text, start),
                salience=_salience(value, unit, approx, start, len(text)),
            )
        )
    return out


def _find_en(text: str) -> list[tuple]:
    found = []
    for match in _EN.finditer(text):
        if match["vague"] or not (match["num"] or match["words"] or match["dozen"]):
            continue  # "thousands of": many, not how many
        start = match.start()
        before = text[max(0, start - 24) : start]
        if not _en_standalone(text, match) or _EN_NOT_AFTER.search(before):
            continue
        tail = text[match.end() : match.end() + 12]
        plain = match["num"] and not (match["cur"] or match["pct"] or match["scale"])
        if plain and _is_date_or_time_en(text, match, before, tail):
            continue
        value, value2 = _en_values(match)
        unit, unit_end = _en_unit(text, match, before)
        hyphened = match["link"] and match["link"].strip() in "-–" and value2 is not None
        if hyphened and value2 <= value and not _VOTE.search(_sentence_at(text, start)):
            continue  # "won 3-1": a score
        if (
            unit is None
            and found
            and re.fullmatch(r"\s*(?:to|against|and|or)\s*", text[found[-1][4] : start])
        ):
            unit, unit_end = found[-1][1], match.end()  # "120 votes to 40"
        if (
            unit is None
            and match["link"]
            and "-" in match["link"]
            and _VOTE.search(_sentence_at(text, start))
        ):
            unit, unit_end = "votes", match.end()  # "passed the bill 150-42"
        if unit is None and _CASUALTY_BEFORE.search(before):
            unit, unit_end = "people", match.end()  # "killing at least 12"
        toll = _TOLL_BEFORE.search(text[max(0, start - 60) : start])
        if unit is None and toll:
            unit, unit_end = (toll["unit"] or "dead"), match.end()  # "the death toll rose to 1,200"
        if unit is None:
            continue
        lone_one = value < 2 and match["words"] and not (match["wscale"] or match["compound"])
        if lone_one and (
            re.search(r"\b(?:no|any|every|each|which|the)\s+$", before, re.I)
            or re.match(r"\s+of\b", text[match.end() :])
            or re.fullmatch(
                r"[a-z]+(?:ed|ing)|way|hand|side|thing|point|reason|time", unit.split()[0]
            )
            or re.match(r"\w*['’]s\b", text[unit_end:])
            or re.match(
                r"(?:\s+[A-Za-z-]+){1,3}?\s+(?:said|says|told|added)\b", text[match.end() :]
            )
        ):
            continue  # "no one", "one of them", "one used": a pronoun, not a count
        approx = bool(match["qual"] and match["qual"].lower() != "only")
        approx = approx or bool(match["range"] or match["num2"] or match["orso"])
        end = max(unit_end, match.end())
        found.append((value, unit, approx, start, end))
        if value2 is not None:
            found.append((value2, unit, approx, match.start("num2"), end))
    return found


def _en_standalone(text: str, match) -> bool:
    """False for numbers inside names and words: G7, F-16, COVID-19, Boeing 737."""
    group = "num" if match["num"] else "words" if match["words"] else None
    if group is None:
        return True
    first, end = match.start(group), match.end(group)
    if match["cur"]:
        first = match.start("cur")
    previous = text[first - 1] if first else " "
    if previous.isalpha() or previous in "-/":
        return False
    last = max([end] + [match.end(g) for g in ("scale", "glued", "half", "wscale") if match[g]])
    if not (match["compound"] or match["glued"] or match["num2"] or match["pct"]):
        following = text[last : last + 2]
        if (
            following[:1].isalpha()
            or following[:1] == "/"
            or (following[:1] == "-" and following[1:2].isalnum())
        ):
            return False
    if match["num"] and not (match["qual"] or match["range"] or match["cur"]):
        # "Boeing 737", "Tupolev 154": a capitalised word inside a sentence names a model.
        name = re.search(r"[a-z0-9,]\s([A-Z][A-Za-z]+)\s$", text[max(0, first - 40) : first])
        if name and name[1].lower() not in _WEEKDAYS_EN and not _MONTH_BEFORE_EN.search(name[1]):
            return False
    return True


def _is_date_or_time_en(text: str, match, before: str, tail: str) -> bool:
    number = match["num"]
    if re.fullmatch(r"(1[89]|20)\d\d", number) and not match["qual"] and not match["compound"]:
        return True  # a year
    if _MONTH_BEFORE_EN.search(before) or _MONTH_AFTER_EN.match(text, match.end("num")):
        return True  # December 21, 12 March
    if text[match.end("num") : match.end("num") + 1] in (":", ".") and tail[1:2].isdigit():
        return True  # 3:40
    return before.endswith(":") or bool(_TIME_AFTER_EN.match(text, match.end("num")))  # 0600 GMT


def _en_values(match) -> tuple[float, float | None]:
    if match["num"]:
        scale = numbers.EN_SCALES[match["scale"].lower()] if match["scale"] else 1.0
        second = _plain(match["num2"]) * scale if match["num2"] else None
        return _plain(match["num"]) * scale, second
    if match["dozen"]:
        return (12.0 if match["dozen"].lower() == "a dozen" else 5e5), None
    words = re.split(r"[\s-]+", match["words"].lower())
    value = float(sum(numbers.EN_WORDS[w] for w in words))
    if match["compound"] and match["compound"][1:].lower() in _FRACTIONS:
        return round(value / _FRACTIONS[match["compound"][1:].lower()], 3), None  # one-third
    if match["half"]:
        value += 0.5
    if match["wscale"]:
        value *= numbers.EN_SCALES[match["wscale"].lower()]
    return value, None


def _plain(written: str) -> float:
    """A number in digits with its thousands separators: 13,000 and 7 000."""
    return float(re.sub(r"[,\s]", "", written))


def _en_unit(text: str, match, before: str) -> tuple[str | None, int]:
    if match["pct"]:
        return "%", match.end()
    if match["cur"]:
        prefix, symbol = match["cur"][:-1], match["cur"][-1]
        return _EN_DOLLARS.get(prefix) or _EN_CURRENCY[symbol], match.end()
    if match["glued"]:
        return match["glued"].lower(), match.end()
    if match["compound"] and match["compound"][1:].lower() in _FRACTIONS:
        whole = re.match(r"\s+of\s+(?:the\s+|its\s+|their\s+|all\s+)?([a-z]+)", text[match.end() :])
        return (whole[1], match.end() + whole.end()) if whole else (None, match.end())
    if match["compound"]:
        return match["compound"][1:].lower(), match.end()
    measure = _EN_BEFORE_UNIT.search(before)
    if measure:
        return measure[1].lower(), match.end()
    rest = text[match.end() : match.end() + 80]
    tokens = list(re.finditer(r"[A-Za-z][A-Za-z'-]*", rest))
    if tokens and _gap(rest, tokens, 0):
        return _age_after_name(text, match, before)
    index = 0
    if tokens and tokens[0].group().lower() == "of" and tokens[0].start() <= 1:
        index = 1
        partitive = re.match(
            rf"\s*(?:out\s+)?of\s+(?:the|its|their|all)\s+(?:{_NUM}\s+|(?:{_EN_WORD})\s+)?", rest
        )
        if partitive and tokens[1].group().lower() in ("the", "its", "their", "all"):
            index = next(
                i for i, t in enumerate(tokens) if t.start() >= partitive.end()
            )  # "three of the ten workers"
    if index < len(tokens) and tokens[index].group().lower() in _EN_PREDICATE:
        return _en_predicate(rest, tokens, index, match.end())
    # Skip proper adjectives ("North Korean soldiers"), at most three.
    skipped = 0
    while index < len(tokens) and tokens[index].group()[:1].isupper() and skipped < 3:
        if _gap(rest, tokens, index) and skipped:
            break
        index += 1
        skipped += 1
    if skipped and (
        index >= len(tokens)
        or _gap(rest, tokens, index)
        or _ends_noun_phrase(tokens[index])
        or (
            skipped == 1
            and re.fullmatch(r"[a-z]+ed|face|live|need|remain|fled|left", tokens[index].group())
        )
    ):
        demonym = tokens[index - 1].group()
        if re.fullmatch(r"[A-Z][a-z]+(?:s|ese)", demonym) and not _gap(rest, tokens, index - 1):
            return demonym, match.end() + tokens[index - 1].end()  # "41 Canadians"
        return None, match.end()
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
            (lower in _EN_MODIFIERS or _ADJECTIVE.search(lower))
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


def _ends_noun_phrase(token) -> bool:
    return token.group().lower() in _EN_STOP or token.group().lower() in _EN_PREDICATE


def _en_predicate(rest: str, tokens, index: int, offset: int) -> tuple[str | None, int]:
    """The unit of a bare count that is a clause's subject: "40 were women", "12 were Dutch"."""
    verb = tokens[index].group().lower()
    if verb in ("died", "survived"):
        return "people", offset + tokens[index].end()
    index += 1
    while index < len(tokens) and tokens[index].group().lower() in ("been", "also", "still", "all"):
        index += 1
    if index >= len(tokens) or _gap(rest, tokens, index):
        return None, offset
    word = tokens[index].group()
    if word.lower() in _EN_STOP and word.lower() not in ("in", "on", "among"):
        return None, offset
    if word.lower() in ("in", "on", "among") or word.lower().endswith("ing"):
        return "people", offset + tokens[index - 1].end()
    return word, offset + tokens[index].end()


def _age_after_name(text: str, match, before: str) -> tuple[str | None, int]:
    """ "Ana Ruiz, 59," and "Mr. Ruiz (41)": an age after a name."""
    if (
        match["num"]
        and not match["qual"]
        and _AGE_AFTER_NAME.search(before)
        and float(match["num"]) < 120
        and text[match.end() : match.end() + 1] in (",", ")")
    ):
        return "years", match.end()
    return None, match.end()


def _gap(rest: str, tokens, index: int) -> bool:
    """True when punctuation separates token `index` from what precedes it."""
    previous_end = tokens[index - 1].end() if index else 0
    return bool(re.search(r"[.,;:!?()\"“”]", rest[previous_end : tokens[index].start()]))


def _find_ar(text: str) -> list[tuple]:
    found = []
    unit_before = {m.end(): m["unit"] for m in _AR_COUNT_BEFORE.finditer(text)}
    for match in _AR.finditer(text):
        if match["vague"] or not (match["num"] or match["words"] or match["bare"]):
            continue  # عشرات، آلاف: many, not how many
        start = match.start()
        if match["num"] and not _ar_standalone(text, match.start("num"), match.end("num")):
            continue
        if match["words"] and _after_ordinal(text, match.start("words")):
            continue  # القرن الحادي عشر
        first = match.start("num") if match["num"] else start
        unit, end = _ar_unit(text, match)
        definite = match["num"] and re.search(r"(?<!\w)الـ?\s*$", text[max(0, first - 5) : first])
        if definite and (unit is None or unit.startswith("ال")):
            unit, start = _ar_unit_before(text, first, start, [])  # «الساعات الـ24 الماضية»
            end = match.end()
        elif match["words"] and numbers.AR_ONES.get(match["words"]) == 1 and not match["wscale"]:
            unit, start = _ar_one_after_noun(text, start, match.end())  # «شخص واحد»
            end = match.end()
        elif unit is None and first in unit_before:
            unit, end = unit_before[first], match.end()
        elif unit is None and match["num"]:
            unit, start = _ar_unit_before(text, first, start, found)
        if unit is None:
            continue
        before = fold(text[max(0, start - 20) : start])
        plain = match["num"] and not (match["scale"] or match["pct"]) and first not in unit_before
        if plain and _is_date_or_time_ar(text, match, before):
            continue
        value, value2 = _ar_values(match)
        if value is None or value < 1:
            continue
        approx = bool(match["qual"] or match["range"] or match["num2"])
        found.append((value, unit, approx, start, max(end, match.end())))
        if value2 is not None:
            found.append((value2, unit, approx, match.start("num2"), max(end, match.end())))
    taken = [(f[3], f[4]) for f in found]
    previous_dual = None
    for match in _AR_DUAL.finditer(text):
        agrees = previous_dual is not None and not text[previous_dual : match.start()].strip()
        previous_dual = match.end()
        if agrees:
            continue  # «جولتين سابقتين»: the adjective agrees with the dual before it
        if not any(s < match.end() and match.start() < e for s, e in taken):
            found.append((2.0, match.group(), False, match.start(), match.end()))
    for match in _AR_FRACTION.finditer(text):
        approx = bool(
            re.search(rf"(?:{_AR_QUAL})\s+$", text[max(0, match.start() - 16) : match.start()])
        )
        found.append(
            (_AR_FRACTIONS[match["fraction"]], match["unit"], approx, match.start(), match.end())
        )
    return found


def _ar_unit_before(text: str, first: int, start: int, found: list) -> tuple[str | None, int]:
    """«الساعات الـ24»: the noun before a definite number; «120 صوتا مقابل 30»: the unit just given."""
    definite = re.search(rf"({_AR_WORD})\s+الـ?\s*$", text[max(0, first - 40) : first])
    if definite and _DIACRITIC.sub("", definite[1]) not in _AR_STOP:
        return definite[1], first - len(definite.group())
    if found and re.fullmatch(r"\s*(?:مقابل|و|إلى|الى)\s*", text[found[-1][4] : start]):
        return found[-1][1], start
    return None, start


def _ar_one_after_noun(text: str, start: int, end: int) -> tuple[str | None, int]:
    """One follows the noun it counts («شخص واحد»); «واحد من» is "one of", not a count."""
    noun = re.search(rf"({_AR_WORD})\s+$", text[max(0, start - 30) : start])
    if (
        noun is None
        or _DIACRITIC.sub("", noun[1]) in _AR_STOP
        or re.match(r"\s+من(?:ا|هم|ها|هما|كم|هن)?(?!\w)", text[end:])
    ):
        return None, start
    return noun[1], start - len(noun.group())


def _ar_standalone(text: str, start: int, end: int) -> bool:
    """False for numbers inside names and words (كوفيد-19, F-16); a proclitic (و5) is allowed."""
    previous = text[start - 1] if start else " "
    if re.search(r"(?<!\w)الـ?$", text[max(0, start - 4) : start]):
        return True  # «الـ24»
    if previous in "-/:" or (
        previous.isalpha() and not re.search(r"(?:^|\W)[وبلفك]$", text[max(0, start - 2) : start])
    ):
        return False
    following = text[end : end + 2]
    return not (following[:1] in (":", "/") or (following[:1] == "-" and following[1:2].isalnum()))


def _after_ordinal(text: str, start: int) -> bool:
    previous = re.search(r"(\S+)\s+$", text[max(0, start - 16) : start])
    return bool(previous) and fold(previous[1]) in _AR_ORDINALS


def _is_date_or_time_ar(text: str, match, before: str) -> bool:
    number = match["num"]
    if _AR_NOT_AFTER.search(before) or _MONTH_BEFORE_AR.search(before):
        return True
    after = fold(text[match.end("num") : match.end("num") + 24])
    if _MONTH_AFTER_AR.match(after) or _TIME_AFTER_AR.match(after):
        return True  # 3 ديسمبر، 7 تشرين، 10 صباحا
    if re.fullmatch(r"(1[89]|20)\d\d", number) and not match["qual"]:
        return True  # a year
    return len(number) >= 7 and "," not in number  # a phone number


def _ar_values(match) -> tuple[float | None, float | None]:
    half = bool(match["half"] or match["whalf"] or match["bhalf"])
    if match["num"]:
        value = _ar_number(match["num"])
        second = _ar_number(match["num2"]) if match["num2"] else None
        if match["scale"]:
            multiplier = numbers.AR_SCALES[match["scale"]][0]
            value *= multiplier
            second = second * multiplier if second is not None else None
            if half:
                value += multiplier / 2
            if match["plus"]:
                value += float(match["plus"])  # 44 ألفا و382
        return value, second
    if match["words"]:
        value = _ar_words_value(match["words"])
        if match["wscale"]:
            value *= numbers.AR_SCALES[match["wscale"]][0]
            if half:
                value += numbers.AR_SCALES[match["wscale"]][0] / 2
        return float(value), None
    multiplier, alone = numbers.AR_SCALES[match["bare"]]
    return float(alone + (multiplier / 2 if half else 0)), None


def _ar_number(written: str) -> float:
    if "ر" in written:  # 4ر6 is 6.4
        fraction, whole = written.split("ر")
        return float(f"{whole}.{fraction}")
    if re.fullmatch(r"\d+,\d{1,2}", written):
        return float(written.replace(",", "."))
    return _plain(written)


def _ar_words_value(words: str) -> float:
    parts = [w.removeprefix("و") if w not in numbers.AR_ONES else w for w in words.split()]
    parts = [w for w in parts if w]
    if len(parts) == 2 and parts[1] in ("عشر", "عشرة"):
        first = numbers.AR_ONES.get(parts[0]) or numbers.AR_TEEN_FIRST[parts[0]]
        return 10 + first
    table = {**numbers.AR_ONES, **numbers.AR_TENS, **numbers.AR_HUNDREDS}
    return float(sum(table[w] for w in parts))


def _ar_unit(text: str, match) -> tuple[str | None, int]:
    if match["pct"]:
        return "%", match.end()
    rest = text[match.end() : match.end() + 60]
    tokens = list(re.finditer(_AR_WORD, rest))
    index = 0
    if tokens and tokens[0].group() == "من" and not re.search(r"[،.,:]", rest[: tokens[0].start()]):
        index = 1  # «40 ألفاً من المقاتلين»
        if len(tokens) > 2 and tokens[1].group() == "أصل":
            index = (
                3 if len(tokens) > 3 and tokens[2].group() == "من" else 2
            )  # «9 من أصل 50 من النواب»
    if index >= len(tokens) or re.search(r"[،.,:;()«»\"]", rest[: tokens[index].start()]):
        return None, match.end()
    word = tokens[index].group()
    bare = _DIACRITIC.sub("", word)
    if bare in _AR_STOP or bare in numbers.AR_SCALES or bare == "ونصف":
        return None, match.end()
    if match["num"] and not match["scale"] and bare.startswith("وال"):
        return None, match.end()  # «سباق إندي 500 والتنس»: a name, then the next item
    unit = _AR_CURRENCY.get(bare.removeprefix("ال"), word)
    return unit, match.end() + tokens[index].end()


_DIACRITIC = re.compile(r"[\u064B-\u0652\u0670\u0640]")


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
