"""Figures in English text: the reader behind `figures.find` for lang "en".

Digits (1,500; 7 000; 2.4), number words (three thousand, five-and-a-half),
scales (million, bn, m), currencies ($, US$, €, £), percents, glued units
(25km) and hyphenated compounds (69-year-old, four-storey, one-third). Not
figures: years, dates (12 March, Dec. 7), clock times (3:40, 0600 GMT,
10 o'clock), numbers inside names (G7, F-16, Boeing 737, Resolution 2231),
vague plurals (dozens, thousands of), scores (won 3-1) and the pronoun "one"
(one of them, one official said). The unit is the counted noun after the
number, a plural demonym (41 Canadians), the predicate of a bare count
(40 were women), or a noun before it (magnitude 6.1, the death toll rose to
1,200, aged 25); a number with none of these takes it from its context: the
other end of its range, a vote tally, a casualty verb (killing at least 12),
or the figure before it in the same sentence (six died here, four there).
"""

from __future__ import annotations

import re

from briefing.analyze import numbers

_NUM = numbers.DIGITS


_EN_QUAL = (
    r"more\ than|over|about|around|nearly|almost|up\ to|some|at\ least|roughly|approximately|an\ estimated"
    r"|close\ to|fewer\ than|less\ than|as\ many\ as|upwards\ of|at\ most|just\ over|just\ under|only"
)
# Abbreviated scales glued to the number only: "$5m", "3k" (but "a 5 m wall" is metres).
_EN_SCALE = r"\s*(?:million|billion|trillion|thousand|bn)\b|(?:m|k)\b"
_EN_WORD = numbers.alternation(numbers.EN_WORDS)
_EN = re.compile(
    rf"""(?<![\w$€£])(?:(?P<qual>{_EN_QUAL})\s+)?
    (?:
      (?P<range>between\s+)?(?P<cur>(?:US|A|C|HK|NZ|S)?[$€£])?(?P<num>{_NUM})
        (?:(?P<glued>km|kms|mph|kph|kg|mm|cm|ft|GW|MW|kW|°C|°F|C)(?![\w/])|(?P<scale>{_EN_SCALE}))?
        (?:(?P<orso>\s+or\s+so)|(?P<link>\s*(?:to|and|or|-|–)\s*)[$€£]?(?P<num2>{_NUM})(?P<scale2>{_EN_SCALE})?)?
      | (?P<vague>(?:tens\ of\ |hundreds\ of\ )?(?:thousands|hundreds|dozens|millions|billions|scores|tens))(?=\s+of\b)
      | (?P<dozen>a\ dozen|half\ a\ million|a\ (?:hundred|thousand|million|billion)(?!\s+(?:times|percent)\b))
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
_EN_STOP = numbers.word_set(
    """a an the of in on at and or to for by from with was were is are has had have per pm am p a.m p.m
    gmt utc that this as after before since when which who will would than more less a.m. p.m. it its
    their his her be been being said says day percent so but while if into over about up out off
    last next each another whom whose them those these us which against between among under o'clock"""
)
# Words that qualify the counted noun and belong to the unit: "basis points", "police officers".
_EN_MODIFIERS = numbers.word_set(
    """special forces member basis police suspected cubic square civil military armed security
    additional foreign local registered confirmed displaced active government regular reserve health
    aid relief rescue combat new fresh young elderly crew assembly percentage"""
)
# An adverb or adjective before the counted noun: "badly wounded", "daily rates", "senior officials".
_ADJECTIVE = re.compile(r"(?:ly|ing|ous|al|ic|ful|ive|ior|ary)$|^(?:major|senior|junior)$")
# A bare count followed by these is the subject of a clause: "40 were women", "12 were hurt".
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
_RANGE_AHEAD = re.compile(
    rf"\s*(?:to|and|or|-|–)\s*(?:{_NUM}|{_EN_WORD})\s+([a-z]+)", re.IGNORECASE
)
_TOLL_BEFORE = re.compile(
    r"(?:\btoll|\bnumber\s+of\s+(?P<unit>[a-z]+)|\b(?P<people>population))\b[^.;]{0,30}?"
    rf"\b(?:to|at|of|reached|hit|was|is|stands\s+at)\s+(?:(?:{_EN_QUAL})\s+)?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_VOTE = re.compile(r"\bvot|\bballot|\b(?:passed|approved|adopted|rejected)\b", re.IGNORECASE)
_CASUALTY_BEFORE = re.compile(
    r"\b(?:killing|killed|kills|injuring|injured|wounding|wounded|leaving|left|rescued|evacuated)"
    rf"\s+(?:(?:{_EN_QUAL})\s+)?$",
    re.IGNORECASE,
)
_EN_BEFORE_UNIT = re.compile(r"\b(magnitude|aged|age)(?:\s+of)?\s+$", re.IGNORECASE)
_EN_NOT_AFTER = re.compile(
    r"\b(?:article|resolution|route|highway|flight|room|no\.?|number|page|chapter|section|call|dial|phone|tel\.?"
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


def read(text: str) -> list[tuple]:
    """(value, unit, approx, start, end) of each figure in `text`."""
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
        hyphened = match["link"] and match["link"].strip() in ("-", "–") and value2 is not None
        if hyphened and value2 <= value and not _VOTE.search(numbers.sentence_at(text, start)):
            continue  # "won 3-1": a score
        if unit is None:
            unit, unit_end = _unit_from_context(text, match, before, found), match.end()
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


def _unit_from_context(text: str, match, before: str, found: list) -> str | None:
    """The unit of a number with no noun after it, from the words around it."""
    start = match.start()
    ahead = _RANGE_AHEAD.match(text, match.end())
    if ahead and ahead[1].lower() not in _EN_STOP:
        return ahead[1]  # "between five and 10 years"
    if re.match(r"\s+on\s+the\s+Richter\b", text[match.end() :]):
        return "magnitude"
    if found and re.fullmatch(r"\s*(?:to|against|and|or)\s*", text[found[-1][4] : start]):
        return found[-1][1]  # "120 votes to 40"
    if match["link"] and "-" in match["link"] and _VOTE.search(numbers.sentence_at(text, start)):
        return "votes"  # "passed the bill 150-42"
    if _CASUALTY_BEFORE.search(before):
        return "people"  # "killing at least 12"
    toll = _TOLL_BEFORE.search(text[max(0, start - 60) : start])
    if toll:
        return toll["unit"] or (
            "people" if toll["people"] else "dead"
        )  # "the death toll rose to 1,200"
    if found and numbers.same_sentence(text, found[-1][4], start, _SENTENCE_END):
        return found[-1][1]  # "nine died at the port, seven at the market"
    return None


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
    tally = match["link"] and "-" in match["link"]
    if match["num"] and not (match["qual"] or match["range"] or match["cur"] or tally):
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


def _scale(word: str | None) -> float:
    return numbers.EN_SCALES[word.strip().lower()] if word else 1.0


def _en_values(match) -> tuple[float, float | None]:
    if match["num"]:
        # "10 and 12 million": a scale said once counts for both ends.
        scale = _scale(match["scale"] or match["scale2"])
        second = (
            numbers.plain(match["num2"]) * _scale(match["scale2"] or match["scale"])
            if match["num2"]
            else None
        )
        return numbers.plain(match["num"]) * scale, second
    if match["dozen"]:
        single = match["dozen"].lower()
        if single == "a dozen":
            return 12.0, None
        return (5e5 if single.startswith("half") else numbers.EN_SCALES[single[2:]]), None
    words = re.split(r"[\s-]+", match["words"].lower())
    value = float(sum(numbers.EN_WORDS[w] for w in words))
    if match["compound"] and match["compound"][1:].lower() in _FRACTIONS:
        return round(value / _FRACTIONS[match["compound"][1:].lower()], 3), None  # one-third
    if match["half"]:
        value += 0.5
    if match["wscale"]:
        value *= numbers.EN_SCALES[match["wscale"].lower()]
    return value, None


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
        following = tokens[index + 1].group() if index + 1 < len(tokens) else ""
        # A singular noun before a plural one modifies it: "cholera cases", "troop convoys".
        compound = not lower.endswith("s") and following.endswith("s") and len(following) > 3
        if (
            (lower in _EN_MODIFIERS or _ADJECTIVE.search(lower) or compound)
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
