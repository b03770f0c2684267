"""Figures in Arabic text: the reader behind `figures.find` for lang "ar".

Digits (Arabic-Indic ones already folded to ASCII, one for one), decimals
written 6,4 or 4ر6, scales (ألف, مليون, dual and plural forms, 44 ألفا و382),
number words in their spellings (ثلاثة, ثمانى, خمسة عشر, خمسة وعشرون,
ثلاثمئة), duals (يومين, امرأتين), fractions (ثلث, ربع) and one after its noun
(شخص واحد). Not figures: a number next to a month name (22 ديسمبر, 9 تشرين,
15 رمضان, 12 الجاري), clock times (05 صباحا, 11:05 بتوقيت), years (عام
2024), article and phone numbers, ordinals (التاسع عشر) and plural scale words
alone (عشرات, آلاف). The unit is the counted noun after the number (past من,
past من أصل M), or the noun before it («عدد القتلى 2000», «الساعات الـ24»); a
number with neither takes the noun after its range («بين خمس وعشر سنوات») or
of the figure before it in the same sentence («أيده 30 نائبا، ورفضه سبعة»).
"""

from __future__ import annotations

import re

from briefing.analyze import numbers
from briefing.analyze.arabic import fold, strip_diacritics

_NUM = numbers.DIGITS


def _folded_words(listed: str) -> frozenset[str]:
    return frozenset(fold(word) for word in listed.split())


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
_AR_START = r"(?:(?<!\w)|(?<=(?<!\w)[وبلفك])|(?<=(?<!\w)[وبلفك]ـ)|(?<=(?<!\w)الـ))"
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
_AR_STOP = numbers.word_set(
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
    r"\s*(?:صباح|مساء|ظهر|فجر|عصر|ليلا(?!\w)|بالتوقيت|بتوقيت|توقيت|ت\.غ|GMT|UTC)", re.IGNORECASE
)
_AR_ORDINALS = _folded_words(
    "حادي ثاني ثالث رابع خامس سادس سابع ثامن تاسع الحادي الثاني الثالث الرابع الخامس السادس السابع"
    " الثامن التاسع"
)
_AR_FRACTIONS = {"ثلث": 0.333, "ثلثي": 0.667, "ثلثا": 0.667, "ربع": 0.25}
_AR_FRACTION = re.compile(
    rf"(?<!\w)(?:[وب])?(?P<fraction>ثلثي|ثلثا|ثلث|ربع)(?!\w)\s+(?P<unit>(?!من(?!\w)){_AR_WORD})"
)
_SENTENCE_END = re.compile(r"[.؟!\n]")
_RANGE_AHEAD = re.compile(rf"\s*(?:و|إلى|الى|-|–)\s*(?:\d+|{_AR_ONE}|{_AR_TEN})\s+({_AR_WORD})")
_AR_COUNT_BEFORE = re.compile(
    rf"(?:عدد|حصيلة)\s+(?P<unit>[\u0621-\u064A]+)(?:\s+[\u0621-\u064A]+){{0,2}}?"
    rf"\s+(?:إلى\s+|الى\s+|نحو\s+|حوالي\s+)?(?={_NUM})"
)


def read(text: str) -> list[tuple]:
    """(value, unit, approx, start, end) of each figure in `text` (digits already ASCII)."""
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
        if match["words"] == "ست" and start and text[start - 1] in "لبف":
            continue  # «لست»: "I am not", not six
        first = match.start("num") if match["num"] else start
        unit, end = _ar_unit(text, match)
        definite = match["num"] and re.search(r"(?<!\w)الـ?\s*$", text[max(0, first - 5) : first])
        if definite and (unit is None or unit.startswith("ال")):
            unit, start = _ar_unit_before(text, first, start, match.end(), [])  # «الساعات الـ24»
            end = match.end()
        elif match["words"] and numbers.AR_ONES.get(match["words"]) == 1 and not match["wscale"]:
            unit, start = _ar_one_after_noun(text, start, match.end())  # «شخص واحد»
            end = match.end()
        elif unit is None and first in unit_before:
            unit, end = unit_before[first], match.end()
        elif unit is None and (match["num"] or match["words"]):
            unit, start = _ar_unit_before(text, first, start, match.end(), found)
        if unit is None or (match["words"] and re.match(r"\s+ال", text[match.end() :])):
            continue  # «خمس السكان» is a fifth, not five
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


def _ar_unit_before(
    text: str, first: int, start: int, end: int, found: list
) -> tuple[str | None, int]:
    """«الساعات الـ24»: the noun before a definite number; «120 صوتا مقابل 30»: the unit just given."""
    definite = re.search(rf"({_AR_WORD})\s+الـ?\s*$", text[max(0, first - 40) : first])
    if definite and strip_diacritics(definite[1]) not in _AR_STOP:
        return definite[1], first - len(definite.group())
    if found and re.fullmatch(r"\s*(?:مقابل|و|إلى|الى)\s*", text[found[-1][4] : start]):
        return found[-1][1], start
    ahead = _RANGE_AHEAD.match(text, end)
    if ahead and strip_diacritics(ahead[1]) not in _AR_STOP:
        return ahead[1], start  # «بين خمس وعشر سنوات»
    if found and numbers.same_sentence(text, found[-1][4], start, _SENTENCE_END):
        return found[-1][1], start  # «أيده 30 نائبا، ورفضه سبعة»: the same count goes on
    return None, start


def _ar_one_after_noun(text: str, start: int, end: int) -> tuple[str | None, int]:
    """One follows the noun it counts («شخص واحد»); «واحد من» is "one of", not a count."""
    noun = re.search(rf"({_AR_WORD})\s+$", text[max(0, start - 30) : start])
    if (
        noun is None
        or strip_diacritics(noun[1]) in _AR_STOP
        or re.match(r"\s+من(?:ا|هم|ها|هما|كم|هن)?(?!\w)", text[end:])
    ):
        return None, start
    return noun[1], start - len(noun.group())


def _is_number_word(word: str) -> bool:
    """«وعشر» in «بين خمس وعشر سنوات» is the other end of a range, not a unit."""
    word = word.removeprefix("و")
    return word in numbers.AR_ONES or word in numbers.AR_TENS


def _ar_standalone(text: str, start: int, end: int) -> bool:
    """False for numbers inside names and words (كوفيد-19, F-16); a proclitic (و5) is allowed."""
    previous = text[start - 1] if start else " "
    if re.search(r"(?<!\w)(?:الـ?|[وبلفك]ـ)$", text[max(0, start - 4) : start]):
        return True  # «الـ24», «بـ212»
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
    return numbers.plain(written)


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
    bare = strip_diacritics(word)
    if bare in _AR_STOP or bare in numbers.AR_SCALES or bare == "ونصف" or _is_number_word(bare):
        return None, match.end()
    if match["num"] and not match["scale"] and bare.startswith("وال"):
        return None, match.end()  # «سباق إندي 500 والتنس»: a name, then the next item
    unit = _AR_CURRENCY.get(bare.removeprefix("ال"), word)
    return unit, match.end() + tokens[index].end()
