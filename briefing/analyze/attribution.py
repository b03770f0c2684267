"""Attribution: the speaker of a quote, as a noun phrase, with references resolved.

The quote finder hands over the words next to a speech verb ("in a statement,
he", «في خطاب متلفز», "the president"). Three steps make them a speaker:

- `noun_phrase` keeps the noun phrase and refuses what is not one: a
  prepositional phrase, a clause, an adverb, a verb. From "Lakeside. He" or
  "in the south, he" it keeps "He"; from "The leader of the group, a former
  militia, " it keeps the head, not the apposition.
- `is_reference` tells a pronoun or a bare role or body ("he", "the
  president", "the statement", «البيان», «المكتب», «الرئيس البرازيلي») from a
  name: a reference stands for someone named nearby.
- `Resolver` maps a reference to the nearest compatible name or body the
  article gives before it: a pronoun or "the statement" to the last speaker,
  a role to the person it introduced ("President Jane Carter" for "the
  president"), a bare body to its full name («مكتب رئيس الوزراء» for
  «المكتب»), and a paragraph that is only a label ("Name, role:") to the
  quotes under it.

Everything is pure: strings in, strings out.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from briefing.analyze import entities, speakers
from briefing.analyze.arabic import fold, strip_diacritics

EN_PRONOUNS = {"he", "she", "they", "we", "i", "it"}
AR_PRONOUNS = {"هو", "هي", "هم", "هن"}
# Words that never stand for a speaker of their own: the speaker is named nearby.
_EN_STANDINS = re.compile(
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
_EN_PREPOSITIONS = re.compile(
    r"^(?:in|on|at|with|during|after|before|from|for|via|through|to|into|by|according|under|amid"
    r"|while|when|as|about|since|outside|inside|near|also|then|later|earlier|again|who|which|that"
    r"|sometime|moments?|minutes|hours|shortly|soon|meanwhile|afterwards|late|early|speaking"
    r"|although|though|whereas|unless|despite|once|even"
    r"|what|whom|whose|where|if|because|yet|so|and|but|or|not|there|this|these|those|reports?)\b",
    re.IGNORECASE,
)
_EN_LEADING = re.compile(
    r"^(?:(?:but|and|so|yet|still|however|then|meanwhile|later|earlier|also|now|instead|separately"
    r")[,\s]+)+",
    re.IGNORECASE,
)
_EN_TRAILING = re.compile(
    r"(?:\s+(?:also|later|then|had|has|have|was|is|were|would|will|once|again|previously|earlier"
    r"|recently|repeatedly|separately|further|simply|himself|herself|themselves))+$",
    re.IGNORECASE,
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
_EN_VERBISH = re.compile(
    r"\b(?:has|had|have|is|was|were|are|did|does|do|been|being|will|would|could|should|can"
    r"|may|might|must)\b",
    re.IGNORECASE,
)
# «تصريحاته», «مكتبه», «حزبها»: a noun owned by someone named before, never a speaker of its own.
_AR_POSSESSED = re.compile(
    r"^(?:تصريحات|تصريح|كلمت|كلام|حديث|قول|أقوال|مكتب|حزب|وزارت|حكومت|بيان|رسالت|منشور|تغريدت|حساب)"
    r"(?:ه|ها|هم)$"
)
_AR_PREPOSITIONS = re.compile(
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
_AR_VERB_START = re.compile(
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
            or _AR_PREPOSITIONS.match(words[0])
            or _AR_VERB_START.match(words[0])
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
    if low in EN_PRONOUNS or _EN_STANDINS.match(phrase) or pronoun(phrase, lang):
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


class Resolver:
    """References of one article resolved to the nearest compatible named speaker."""

    def __init__(self, text: str, lang: str, quoted: list[tuple[int, int]] = ()) -> None:
        self.text = text
        self.lang = lang
        self.quoted = list(quoted)  # a role named inside a quote introduces nobody
        self.labels = _labels(text)
        self._folded: str | None = None
        self._introduced_by: dict[str, list[tuple[int, str]]] = {}  # head -> introductions

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded

    def label_for(self, position: int) -> str | None:
        """The label paragraph ("Name, role:") that the paragraph at `position` stands under."""
        line_start = self.text.rfind("\n", 0, position) + 1
        previous_start = self.text.rfind("\n", 0, max(0, line_start - 1)) + 1
        return self.labels.get(previous_start) if line_start > 0 else None

    def resolve(
        self, reference: str | None, position: int, history: list[tuple[int, str]]
    ) -> str | None:
        """The named speaker `reference` (None: the one who spoke last) stands for at `position`."""
        lang = self.lang
        before = [name for at, name in history if at < position and not is_reference(name, lang)]
        label = self.label_for(position)
        if reference is None or pronoun(reference, lang) or _standin(reference, lang):
            if label:
                return label
            body = (
                self._body(reference, position)
                if reference and not pronoun(reference, lang)
                else None
            )
            if body:
                return body
            if reference is not None and _qualified(reference, lang):
                return reference  # "the Israeli military": a body named as it is, not a stand-in
            if (
                reference is not None
                and pronoun(reference, lang)
                and reference.casefold()
                not in {
                    "they",
                    "it",
                    "we",
                }
            ):
                before = [name for name in before if _person_like(name, lang)]
            if before:
                return before[-1]
            if reference is not None and _standin(reference, lang) and not _never(reference, lang):
                return reference  # "the ministry" with nothing fuller: the body as written
            if reference is None or reference.casefold() in {"they", "it", "هم"}:
                return self._nearest_body(position)
            return None
        # A role: the person it introduced, else the role as written.
        if label and _compatible(reference, label, lang):
            return label
        person = self._introduced(reference, position)
        if person:
            return person
        for name in reversed(before):
            if _compatible(reference, name, lang):
                return name
        if _unique_role(reference, lang):
            # "the Chilean president" never introduced as such: the person the text is about.
            people = [name for name in before if _person_like(name, lang)]
            if people:
                return people[-1]
        return reference

    def _introduced(self, reference: str, position: int) -> str | None:
        """The person the role of `reference` introduced: the last one before `position`, else
        the first one after it."""
        head = _head(reference, self.lang)
        if not head:
            return None
        introductions = self._introductions(head)
        before = bisect_left(introductions, position, key=lambda hit: hit[0])
        if before:
            return introductions[before - 1][1]
        return introductions[0][1] if introductions else None

    def _introductions(self, head: str) -> list[tuple[int, str]]:
        """(position, name) of every introduction by role `head` outside quotes, found once per article.

        Arabic: «نائب الرئيس الكيني، السيد علي بن عمر»: the role, its adjectives, then the name.
        """
        if head in self._introduced_by:
            return self._introduced_by[head]
        hits = []
        for match in _introduction_pattern(head, self.lang).finditer(self.text):
            if self._inside_quote(match.start()):
                continue
            if self.lang == "ar":
                name = self._name_in(match.start(), match.end())
            else:
                name = match[1].strip()
                if not (speakers.is_name(name, "en") and len(name.split()) >= 2):
                    name = None
            if name:
                hits.append((match.start(), name))
        self._introduced_by[head] = hits
        return hits

    def _inside_quote(self, position: int) -> bool:
        return any(a <= position < b for a, b in self.quoted)

    def _name_in(self, start: int, end: int) -> str | None:
        """The first name after a role in text[start:end] («وزير الخارجية الكيني جون موانغي»)."""
        words = self.text[start:end].replace("،", " ").split()
        for i, word in enumerate(words[1:], 1):  # the name ends where a particle or a verb begins
            if _AR_PREPOSITIONS.match(word) or _AR_VERB_START.match(word):
                words = words[:i]
                break
        for size in range(3, len(words) + 1):
            name, role = speakers.split_role(" ".join(words[:size]), "ar")
            if (
                role
                and speakers.is_name(name, "ar")
                and not name.startswith("ال")
                and not any(
                    re.match(r"^(?:بال|بإ|بأ|لل|وال|فال)|.*[^\w-]", w) for w in name.split()
                )
            ):
                if name.split()[-1] in {"بن", "ابن", "أبو", "عبد"} and size < len(words):
                    name = f"{name} {words[size]}"
                return name
        return None

    def _body(self, reference: str, position: int) -> str | None:
        """«المكتب» -> «مكتب رئيس الوزراء …», "the ministry" -> "the Foreign Ministry", before `position`."""
        head = _head(reference, self.lang)
        if not head or head.casefold() in {
            "statement",
            "بيان",
            "مصدر",
            "مصادر",
            "report",
            "source",
        }:
            return None
        if self.lang == "ar":
            best = construct = None
            for match in _body_pattern(head, "ar").finditer(self.text, 0, position):
                words = match[1].split()  # «لحزب العمال الوطني»: without its preposition
                # «مكتب رئيس الوزراء الكندي جون سميث»: up to the end of the name.
                for i, word in enumerate(words[1:], 1):
                    # «… الكندي بيانا»: an indefinite object after the definite body ends it.
                    if (
                        words[i - 1].startswith("ال")
                        and not word.startswith("ال")
                        and re.search(r"(?:اً|ًا|ا)$", word)
                    ):
                        words = words[:i]
                        break
                while words and (
                    _AR_PREPOSITIONS.match(words[-1]) or _AR_VERB_START.match(words[-1])
                ):
                    words.pop()
                if len(words) >= 2 and not words[0].startswith("ال"):
                    construct = extent_ar(
                        " ".join(words)
                    )  # «حزب العمال الوطني»: the body's own name
                elif len(words) >= 2 and _AR_ADJECTIVE.match(words[1]):
                    # «المحكمة الدستورية», «الجيش الكيني»: the body with its adjectives
                    # (but not the object after it: «الجيش الكيني المواطنين»).
                    adjectives = [words[0]]
                    for word in words[1:]:
                        if not _AR_ADJECTIVE.match(word):
                            break
                        adjectives.append(word)
                    best = " ".join(adjectives)
            return construct or best
        best = None
        for match in _body_pattern(head, "en").finditer(self.text, 0, position):
            words = match[1].split()
            if any(w[:1].isupper() for w in words if w.casefold() != "the"):
                best = match[1]
        return best

    def _nearest_body(self, position: int) -> str | None:
        """The last organisation the gazetteer knows named before `position` («الناتو», "Red Cross")."""
        names = entities.gazetteer()
        best = None
        window = self.text[max(0, position - 600) : position]
        words = re.findall(r"[\w'’-]+", window)
        for i in range(len(words)):
            for size in (3, 2, 1):
                chunk = " ".join(words[i : i + size])
                key = fold(chunk).casefold()
                hit = names.get(key)
                if hit is None and self.lang == "ar" and chunk[:1] in "وفبل" and len(chunk) > 4:
                    chunk, key = chunk[1:], key[1:]  # «للناتو» -> «الناتو»
                    hit = names.get(key)
                if hit and hit[1] == "organisation":
                    best = chunk
                    break
        return best


@lru_cache(maxsize=1024)
def _introduction_pattern(head: str, lang: str) -> re.Pattern:
    """A role `head` followed by the words that may name its holder."""
    if lang == "ar":
        return re.compile(
            rf"(?:^|[\s،(])(?:ال|و|وال)?{_ar_pattern(head)}[ةه]?((?:\s*،?\s+[^\s،.:«»\"“”()]+){{1,7}})"
        )
    return re.compile(
        rf"\b(?i:{re.escape(head)})s?\b((?:\s+(?:[A-Z][\w'’.-]*|al-\w+|bin|de|von|van)){{1,4}})"
    )


@lru_cache(maxsize=1024)
def _body_pattern(head: str, lang: str) -> re.Pattern:
    """A body's head noun with the words around it that may name it in full."""
    if lang == "ar":
        return re.compile(
            rf"(?:^|[\s،(])(?:[وفبل]|لل)?((?:ال)?{_ar_pattern(head)}[ةه]?(?:\s+[^\s،.:«»\"“”()]+){{1,5}})"
        )
    return re.compile(rf"\b((?:[Tt]he\s+)?(?:[A-Z][\w'’.-]*\s+){{1,4}}(?i:{re.escape(head)}))\b")


_AR_UNIQUE_ROLES = frozenset(
    fold(w) for w in ("رئيس", "وزير", "ملك", "أمير", "مستشار", "أمين", "ولي")
)
_EN_UNIQUE_ROLES = frozenset(
    {"president", "chancellor", "premier", "minister", "secretary-general", "king", "pope"}
)


def _unique_role(reference: str, lang: str) -> bool:
    """A role one person holds at a time ("the president", «الرئيس الجورجي»), unlike "the official"."""
    head = _head(reference, lang)
    if not head:
        return False
    if lang == "ar":
        return fold(head) in _AR_UNIQUE_ROLES
    return head in _EN_UNIQUE_ROLES


def _person_like(name: str, lang: str) -> bool:
    """A name that "he" or "she" could stand for: not a body («الجيش الكيني», "the Weather Department")."""
    if fold(name).casefold() in entities.gazetteer():
        return False  # a country, a city or an organisation
    if lang == "ar":
        return not name.startswith(("ال", "وزارة", "حزب", "حركة", "مكتب", "هيئة", "وكالة"))
    last = name.split()[-1]
    return not (
        name.casefold().startswith("the ")
        or _EN_STANDINS.match(last)
        or re.match(
            r"(?i)^(?:department|agency|service|court|commission|authority|police|forces?)$", last
        )
    )


def _qualified(reference: str, lang: str) -> bool:
    """A body with a qualifier ("the Israeli military", "the foreign ministry") names itself."""
    if lang == "ar" or _never(reference, lang) or not _EN_STANDINS.match(reference.split()[-1]):
        return False
    words = [w for w in reference.split() if w.casefold() not in {"the", "his", "her", "their"}]
    return len(words) >= 2


def _never(reference: str, lang: str) -> bool:
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


# A definite adjective: a nisba («الكيني», «الدولية») or a participle («المستقلة»).
_AR_ADJECTIVE = re.compile(
    r"^(?!الذي|التي|الذين|اللذ|اللت|اللا)ال(?:\S+(?:ي|ية|يه|يين|يون|ا|ى)|م\S+)$"
)


def _ar_pattern(word: str) -> str:
    """A pattern for an Arabic word in any spelling of its alef, yaa and taa marbuta."""
    classes = {
        "ا": "[اأإآ]",
        "أ": "[اأإآ]",
        "إ": "[اأإآ]",
        "آ": "[اأإآ]",
        "ي": "[يىئ]",
        "ى": "[يى]",
    }
    classes |= {"ة": "[ةه]", "ه": "[ةه]", "ئ": "[ئي]", "ؤ": "[ؤو]"}
    word = strip_diacritics(word)
    return "".join(classes.get(c, re.escape(c)) for c in word)


def is_known_place_or_body(name: str) -> bool:
    """A country, a city or an organisation the gazetteer knows ("Israel", «حماس»)."""
    return fold(name).casefold() in entities.gazetteer()


def is_body(phrase: str, lang: str) -> bool:
    """Whether a phrase names a body: «الجيش الكيني», «وزارة الصحة», "Red Cross"."""
    if fold(phrase).casefold() in entities.gazetteer():
        return entities.gazetteer()[fold(phrase).casefold()][1] == "organisation"
    first = phrase.split()[0]
    if lang == "ar":
        return bool(_AR_STANDINS.match(first)) and not _never(first, lang)
    return bool(_EN_STANDINS.match(phrase.split()[-1]))


def _standin(reference: str, lang: str) -> bool:
    if lang == "ar" and _AR_POSSESSED.match(reference):
        return True
    if lang == "ar":
        return bool(_AR_STANDINS.match(reference.split()[0])) and len(reference.split()) == 1
    return bool(_EN_STANDINS.match(reference))


def _head(reference: str, lang: str) -> str | None:
    words = reference.split()
    if lang == "ar":
        head = words[0]
        for prefix in ("وال", "ال"):
            if head.startswith(prefix) and len(head) > len(prefix) + 1:
                head = head[len(prefix) :]
                break
        return head.removesuffix("ة") if len(head) > 3 else head
    content = [w for w in words if w.casefold() not in {"the", "a", "an"}]
    return content[-1].casefold() if content else None


def _compatible(reference: str, name: str, lang: str) -> bool:
    """Whether a role reference could be the speaker `name` (which came with its role)."""
    head = _head(reference, lang)
    return bool(head) and fold(head).casefold() in fold(name).casefold().split()


def _labels(text: str) -> dict[int, str]:
    """Paragraphs that only name who speaks next ("Name, role:"), by their start: {start: speaker}."""
    labels: dict[int, str] = {}
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.endswith(":") and 1 <= len(stripped.split()) <= 12 and '"' not in stripped:
            phrase = stripped[:-1].strip()
            if not re.search(r"[.،,;؟?!]\s", phrase):
                labels[position] = phrase
        position += len(line) + 1
    return labels
