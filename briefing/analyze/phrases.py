"""Phrases next to a speech verb: the speaker's noun phrase, and what kind of phrase it is.

The quote finder hands over the words next to a speech verb ("in a statement,
he", «في خطاب متلفز», "the president"):

- `noun_phrase` keeps the noun phrase and refuses what is not one: a
  prepositional phrase, a clause, an adverb, a verb. From "Lakeside. He" or
  "in the south, he" it keeps "He"; from "The leader of the group, a former
  militia, " it keeps the head, not the apposition.
- `is_reference` tells a pronoun or a bare role or body ("he", "the
  president", "the statement", «البيان», «المكتب», «الرئيس البرازيلي») from a
  name: a reference stands for someone named nearby; `attribution.Resolver`
  finds who.
- `pronoun`, `is_standin`, `is_qualified_body`, `never_a_speaker`, `is_body`
  and `is_known_place_or_body` sort the phrases further.

Everything is pure: strings in, strings out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.analyze import entities, speakers
from briefing.analyze.arabic import fold, strip_diacritics

EN_PRONOUNS = {"he", "she", "they", "we", "i", "it"}
AR_PRONOUNS = {"هو", "هي", "هم", "هن"}
# Words that never stand for a speaker of their own: the speaker is named nearby.
EN_STANDINS = re.compile(
    r"^(?:the\s+|his\s+|her\s+|their\s+)?(?:statement|report|text|post|message|letter|document|communique|decree|release"
    r"|group|organi[sz]ation|movement|party|ministry|office|agency|body|court|council"
    r"|government|militia|army|military|company|airline|embassy|department|source)s?$",
    re.IGNORECASE,
)
_AR_STANDINS = re.compile(
    r"^(?:ال)?(?:بيان|مصدر|مصادر|نص|رسالة|منشور|تقرير|حزب|حركة|جماعة|مكتب|وزارة|الوزارة|وكالة|هيئة|محكمة"
    r"|حكومة|جيش|مجلس|منظمة|شركة|سفارة|بعثة|رئاسة|المجموعة|مجموعة|الإذاعة|إذاعة|المنظمة"
    r"|قوات|شرطة|سلطات|سلطة|لجنة|بلدية|نقابة|جمعية|مؤسسة|اتحاد|جامعة|مركز|إدارة|فصائل|معارضة"
    r"|مفوضية|هيئات|دائرة|خارجية|داخلية|برلمان|كتلة|تحالف|ائتلاف|جبهة|كتائب|بنك|مصرف)$"
)


def _any_word(pattern: str, words: str) -> re.Pattern:
    """`pattern` with `{}` standing for any of the space-separated `words`, case ignored."""
    return re.compile(pattern.format("|".join(words.split())), re.IGNORECASE)


_EN_PREPOSITIONS = _any_word(
    r"^(?:{})\b",
    "in on at with during after before from for via through to into by according under amid"
    " while when as about since outside inside near also then later earlier again who which that"
    " sometime moments? minutes hours shortly soon meanwhile afterwards late early speaking"
    " although though whereas unless despite once even"
    " what whom whose where if because yet so and but or not there this these those reports?",
)
_EN_LEADING = _any_word(
    r"^(?:(?:{})[,\s]+)+",
    "but and so yet still however then meanwhile later earlier also now instead separately",
)
_EN_TRAILING = _any_word(
    r"(?:\s+(?:{}))+$",
    "also later then had has have was is were would will once again previously earlier"
    " recently repeatedly separately further simply himself herself themselves",
)
# Where an English speaker phrase stops: a clause or the circumstances of the statement.
_EN_CUT = re.compile(
    r"\s+(?:who|whom|what|which|whose|that|when|while|as|after|before|because)\b.*$"
    r"|\s+(?:in|on|at|during|via|through|from)\s+(?:a|an|the|his|her|their|its|\w+day|social|state"
    r"|X|television|TV|radio|camera|parliament)\b.*$"
    r"|\s+in\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?$"
    r"|\s+(?:on|last|this|late|early)\s+(?:\w+day|night|week|month|year|morning|evening)\b.*$"
    r"|\s+(?:\w+day|yesterday|today|tonight)$",
    re.IGNORECASE,
)
_EN_VERBISH = _any_word(
    r"\b(?:{})\b",
    "has had have is was were are did does do been being will would could should can may might must",
)
# «تصريحاته», «مكتبه», «حزبها»: a noun owned by someone named before, never a speaker of its own.
_AR_POSSESSED = re.compile(
    r"^(?:تصريحات|تصريح|كلمت|كلام|حديث|قول|أقوال|مكتب|حزب|وزارت|حكومت|بيان|رسالت|منشور|تغريدت|حساب)"
    r"(?:ه|ها|هم)$"
)
AR_PREPOSITIONS = re.compile(
    r"^(?:في|خلال|عبر|من|على|إلى|الى|عن|أمام|لدى|مع|بعد|قبل|منذ|حول|ضمن|بسبب|وفق|وفقا|وفقاً|بحسب|حسب"
    r"|أن|إن|بأن|أنه|إنه|أنها|إنها|ما|الذي|التي|الذين|كما|لكن|إذ|حيث|بينما|فيما|عندما|لأن|كي|لا|لم|لن|قد"
    r"|هذا|هذه|ذلك|تلك|اليوم|أمس|يوم|مساء|صباح)$"
)
# «قائلاً», «مضيفاً»: a participle goes with the subject; it never is one.
AR_PARTICIPLE = (
    r"[وف]?(?:مضيف|مشير|متسائل|واصف|معتبر|مؤكد|محذر|قائل|متعهد|مشدد|داعي|متابع|مردف)(?:ا|اً|ة|ين)?"
)
_AR_CUT = re.compile(
    rf"\s{AR_PARTICIPLE}(?:\s.*)?$"
    r"|\s(?:على|عبر)\s+(?:منصة|حساب|صفحة|موقع|تطبيق|قناة)\S*(?:\s.*)?$|"
    r"\s(?:خلال|عبر|أمام|بعد|قبل|عقب|أثناء|إثر)\s.*$"
    r"|\s(?:في|لدى)\s+(?:تصريح|تصريحات|بيان|مؤتمر|حديث|مقابلة|إفادة|كلمة|رسالة|تغريدة|منشور|خطاب"
    r"|سجل|مقطع|فيديو|اتصال|لقاء|اجتماع|جلسة|حفل|زيارة)\S*(?:\s.*)?$"
    r"|\s(?:الذي|التي|الذين|والذي|والتي|لم|لا|لن|قد|لقد)(?:\s.*)?$"
    r"|\sلـ?(?:\s.*)?$|\s(?:عن|على|من|إلى|ب)$"
    # «ختمت البعثة بيانها بالقول»: the statement it made and the manner are no part of it.
    r"|\s(?:بيان|تصريح|تصريحات|كلمت|حديث|رسالت|قرار|موقف|تقرير)(?:ه|ها|هم)(?:\s.*)?$"
    r"|\sبالقول(?:\s.*)?$"
    r"|\sل(?:رويترز|وكالة|قناة|صحيفة|موقع|شبكة|إذاعة|تلفزيون|لتلفزيون|لصحفيين|لصحافيين|لإذاعة)\S*.*$"
    r"|\s(?:يوم|اليوم|أمس|مساء|صباح|الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت)(?:\s.*)?$"
)
# A verb that starts an Arabic phrase: the phrase is a clause, not a speaker.
AR_VERB_START = re.compile(
    r"^[وف]?(?:أصدر|أصدرت|أعلن|أعلنت|قال|قالت|أكد|أكدت|أضاف|أضافت|ذكر|ذكرت|كان|كانت|تم|جاء|جاءت"
    r"|يمكن|ليس|ليست|أشار|أشارت|وصف|وصفت|اعتبر|اعتبرت|دعا|دعت|كشف|كشفت)$"
)


@lru_cache(maxsize=4096)
def noun_phrase(phrase: str | None, lang: str) -> str | None:
    """The speaker noun phrase in `phrase`, or None when it holds none.

    >>> noun_phrase("in a statement", "en") is None
    True
    >>> noun_phrase("in the south of the country, he", "en")
    'he'
    >>> noun_phrase("في خطاب متلفز", "ar") is None
    True
    """
    if not phrase:
        return None
    phrase = " ".join(phrase.split()).strip(" ,،:;.-–—\"“”«»'")
    if not phrase:
        return None
    if lang == "ar":
        return _noun_phrase_ar(phrase)
    return _noun_phrase_en(phrase)


def _noun_phrase_en(phrase: str) -> str | None:
    # "Lakeside. He", '" he': only the last sentence speaks.
    phrase = re.split(r"[.;!?]\s+(?=[A-Z])|[\"“”«»]", phrase)[-1].strip()
    # "a statement from the Interior Ministry": who issued it speaks.
    issuer = re.match(
        r"(?i)^(?:an?|the)\s+(?:\w+\s+)?(?:statement|report|post|message|letter|communique)"
        r"\s+(?:from|by|of|issued by)\s+(.+)$",
        phrase,
    )
    if issuer:
        phrase = issuer[1]
    # "the Red Lion statement": the body that issued it speaks.
    issued = re.match(
        r"^[Tt]he\s+([A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,3})\s+(?:statement|report|post|message|letter)$",
        phrase,
    )
    if issued and issued[1][:1].isupper():
        phrase = issued[1]
    if re.search(r"\s[A-Za-z]{3,}\.$", phrase):
        phrase = phrase[:-1]  # "… Tribune." but "Omar K."
    if not re.search(r"[A-Za-z]{2}", phrase):
        return None
    segments = [s.strip() for s in phrase.split(",") if s.strip()]
    if not segments:
        return None
    last = segments[-1]
    if last.casefold() in EN_PRONOUNS:
        return last
    # "…, as a young organiser": the subject of the clause next to the verb.
    clause = re.match(
        r"(?i)^(?:as|while|when|whereas|because|since|after|before|although|though|but|and|so)\s+(.+)$",
        last,
    )
    if clause and not _is_time_en(clause[1]):
        subject = _noun_phrase_en(clause[1])
        if subject:
            return subject
    # "Asked what Seoul would get, Austin": a participle clause before the subject is no speaker.
    segments = [s for s in segments if not re.match(r"^[A-Z][a-z]+(?:ed|ing)\s+[a-z]", s)]
    kept = [_trim_segment_en(s) for s in segments]
    kept = [
        s
        for s in kept
        if s
        and not _EN_PREPOSITIONS.match(s)
        and not _is_time_en(s)
        and not _EN_VERBISH.search(s)
        # "praised the plan and", "handed to journalists"
        and not re.match(r"^[a-z]+(?:ed|ing)\b", s)
    ]
    if not kept:
        return None
    if len(kept) > 1:
        # "Dana Orr, an analyst at ..." / "The bloc's envoy, Tom Reyes": the name, with its role.
        named = [s for s in kept if speakers.is_name(s, "en")]
        if named and len(kept) == 2:
            return ", ".join(kept)
        chosen = named[0] if named else kept[0]
    else:
        chosen = kept[0]
    if _EN_VERBISH.search(chosen) or len(chosen.split()) > 12:
        return None
    words = chosen.split()
    # "also", "quickly", "said": an adverb or a verb alone is no speaker.
    if (
        len(words) == 1
        and words[0][:1].islower()
        and words[0].casefold() not in EN_PRONOUNS
        and not _EN_GROUPS.match(words[0])
    ):
        return None
    if re.match(r"^[a-z]+ly$", words[0]) or re.match(r"^(?:said|says|told|added)$", words[0]):
        return None
    return chosen


_EN_GROUPS = re.compile(
    r"^(?:officials?|residents?|protesters|witnesses|people|police|lawmakers|analysts|experts"
    r"|sources|critics|rescuers|activists|demonstrators|doctors)$"
)


def _trim_segment_en(segment: str) -> str:
    """One comma segment of a subject without its linking words ("But", "also", "has")
    and without the clause or circumstances after the speaker ("who …", "on Tuesday …").
    """
    segment = _EN_LEADING.sub("", segment.strip())
    segment = _EN_CUT.sub("", segment)
    segment = _EN_TRAILING.sub("", segment)
    return segment.strip(" ,")


def _is_time_en(segment: str) -> bool:
    return bool(
        re.match(
            r"(?i)^(?:on\s+)?(?:\w+day|yesterday|today|tonight|last\s+\w+|this\s+\w+|earlier|later)"
            r"(?:\s+\w+)?$",
            segment,
        )
    )


def _noun_phrase_ar(phrase: str) -> str | None:
    phrase = strip_diacritics(phrase)  # «أنّ» is «أن»
    # «الصحيفة عن مصدر في الوزارة»: the paper only passes on what its source said.
    source = re.match(
        r"^\S+(?:\s\S+){0,2}\s+عن\s+((?:مصدر|مصادر|مسؤول|متحدث|شهود|دبلوماسي)\S*.*)$", phrase
    )
    if source:
        phrase = source[1]
    # «أحد السكان ويدعى حسن»: the name given.
    named = re.match(r"^.+?\s+و?(?:يدعى|تدعى|اسمه|اسمها)\s+(\S+(?:\s\S+)?)$", phrase)
    if named:
        phrase = named[1]
    # «لمكتب الشؤون …»: the preposition is not part of the body.
    phrase = re.sub(
        r"^ل(?=(?:مكتب|وزارة|حكومة|هيئة|وكالة|منظمة|حركة|حزب|جيش|مجلس)\S*\s)", "", phrase
    )
    segments = [s.strip() for s in re.split(r"[،,]", phrase) if s.strip()]
    kept = []
    for segment in segments:
        segment = _AR_CUT.sub("", segment).strip()
        words = segment.split()
        if (
            not words
            or AR_PREPOSITIONS.match(words[0])
            or AR_VERB_START.match(words[0])
            or re.match(r"^(?:بال|بإ|بأ|بب|لل|كال)", words[0])  # «ببدء», «بالسيطرة»: a complement
            or re.fullmatch(AR_PARTICIPLE, words[0])
        ):
            continue
        kept.append(segment)
    if not kept:
        return None
    chosen = kept[0]
    if len(chosen.split()) > 10 or re.search(r"\s(?:أن|إن|بأن|أنه|إنه)(?:\s|$)", chosen):
        return None
    return chosen


@lru_cache(maxsize=4096)
def extent_ar(phrase: str) -> str:
    """The Arabic noun phrase at the start of `phrase`, without the object after it.

    A head, its complements and adjectives, and a name only after a role or a
    nisba: «وزارة الصحة الفلسطينية ارتفاع عدد الضحايا» -> «وزارة الصحة الفلسطينية»,
    but «المتحدث باسم الخارجية ماريا زاخاروفا» keeps the name.
    """
    words = phrase.split()
    if not words:
        return phrase
    names_allowed = speakers.starts_with_role(phrase) or bool(re.match(r"^ال\S+ي$", words[0]))
    kept = [words[0]]
    seen_definite = words[0].startswith(("ال", "لل"))
    for word in words[1:]:
        definite = word.startswith(("ال", "لل", "بال")) or word in {"باسم"}
        if seen_definite and not definite and not names_allowed:
            break
        kept.append(word)
        seen_definite = seen_definite or definite
    return " ".join(kept)


@lru_cache(maxsize=4096)
def is_reference(phrase: str | None, lang: str) -> bool:
    """A pronoun, or a bare role or body that stands for someone named nearby."""
    if not phrase:
        return False
    if lang == "ar":
        words = phrase.split()
        if phrase in AR_PRONOUNS or (len(words) == 1 and _AR_POSSESSED.match(phrase)):
            return True
        if speakers.starts_with_role(phrase):
            # «نائب الرئيس الكيني», «رئيس البلاد»: a role with no name after it.
            return speakers.split_role(phrase, "ar")[1] is None and not any(
                speakers.is_name(" ".join(words[i:]), "ar") and not words[i].startswith("ال")
                for i in range(1, len(words))
                if len(words) - i == 2
            )
        if not words[0].startswith(("ال", "وال")):
            return False
        # «المكتب», «البيان»: a definite noun alone; «الرئيس البرازيلي»: a role and its adjectives.
        # «النقابة المستقلة الموحدة» is a body named in full.
        if len(words) == 1:
            return True
        return (
            speakers.starts_with_role(phrase)
            and all(w.startswith(("ال", "لل")) for w in words)
            and len(words) <= 4
        )
    low = phrase.casefold()
    if low in EN_PRONOUNS or EN_STANDINS.match(phrase) or pronoun(phrase, lang):
        return True
    words = phrase.split()
    # "the president", "the Chilean president", "the 41-year-old": a determiner and no capitalised name.
    return (
        words[0].casefold() == "the"
        and len(words) <= 4
        and not any(w[:1].isupper() and not _NATIONALITY.match(w) for w in words[1:])
    ) or (words[0].casefold() == "the" and len(words) <= 3 and _has_role_head(words[-1]))


# "the French president", "the U.S. envoy": a nationality is no name.
_NATIONALITY = re.compile(
    r"^(?:[A-Z][a-z]+(?:an|ian|ean|ese|ish|i|ic|ch|sh)|US|U\.S\.|UN|U\.N\.|EU)$"
)


def _has_role_head(word: str) -> bool:
    return word.casefold().rstrip("s") in {w.rstrip("s") for w in _EN_ROLE_HEADS}


_EN_ROLE_HEADS = {
    "president",
    "minister",
    "secretary",
    "secretary-general",
    "chancellor",
    "premier",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "envoy",
    "commander",
    "leader",
    "chief",
    "king",
    "prince",
    "governor",
    "mayor",
    "prosecutor",
    "speaker",
    "senator",
    "general",
    "director",
    "chairman",
    "head",
    "pope",
    "emir",
    "official",
    "agent",
    "officer",
    "lawmaker",
    "judge",
    "captain",
}


def pronoun(phrase: str | None, lang: str) -> bool:
    """He, she, «هو», and descriptions that only stand for a person: "the 61-year-old", "the man"."""
    if not phrase:
        return False
    if lang == "ar":
        return phrase in AR_PRONOUNS
    return phrase.casefold() in EN_PRONOUNS or bool(
        re.match(r"(?i)^the\s+(?:\d+-year-old|man|woman|boy|girl|mother|father)$", phrase)
    )


def is_qualified_body(reference: str, lang: str) -> bool:
    """A body with a qualifier ("the Israeli military", "the foreign ministry") names itself."""
    if (
        lang == "ar"
        or never_a_speaker(reference, lang)
        or not EN_STANDINS.match(reference.split()[-1])
    ):
        return False
    words = [w for w in reference.split() if w.casefold() not in {"the", "his", "her", "their"}]
    return len(words) >= 2


def never_a_speaker(reference: str, lang: str) -> bool:
    """ "The statement", «البيان», «المصدر», «تصريحاته»: words that never name a speaker."""
    if lang == "ar":
        return bool(
            _AR_POSSESSED.match(reference)
            or re.match(r"^(?:ال)?(?:بيان|مصدر|مصادر|نص|رسالة|منشور|تقرير)$", reference)
        )
    return bool(
        re.match(
            r"(?i)^(?:the\s+)?(?:statement|report|text|post|message|letter|document|communique"
            r"|release|source|group)s?$",
            reference,
        )
    )


def is_known_place_or_body(name: str) -> bool:
    """A country, a city or an organisation the gazetteer knows ("Israel", «حماس»)."""
    return fold(name).casefold() in entities.gazetteer()


def is_body(phrase: str, lang: str) -> bool:
    """Whether a phrase names a body: «الجيش الكيني», «وزارة الصحة», "Red Cross"."""
    if fold(phrase).casefold() in entities.gazetteer():
        return entities.gazetteer()[fold(phrase).casefold()][1] == "organisation"
    first = phrase.split()[0]
    if lang == "ar":
        return bool(_AR_STANDINS.match(first)) and not never_a_speaker(first, lang)
    return bool(EN_STANDINS.match(phrase.split()[-1]))


def is_standin(reference: str, lang: str) -> bool:
    """A bare stand-in for a speaker named nearby: "the ministry", «المكتب», «تصريحاته»."""
    if lang == "ar" and _AR_POSSESSED.match(reference):
        return True
    if lang == "ar":
        return bool(_AR_STANDINS.match(reference.split()[0])) and len(reference.split()) == 1
    return bool(EN_STANDINS.match(reference))
