"""Attribution: a reference next to a quote resolved to the speaker it stands for.

`phrases` gives the speaker's noun phrase and tells a reference ("he", "the
president", "the statement", «البيان», «المكتب», «الرئيس البرازيلي») from a
name. `Resolver` maps a reference to the nearest compatible name or body the
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

from briefing.analyze import entities, phrases, speakers
from briefing.analyze.arabic import fold, strip_diacritics


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
        before = [
            name for at, name in history if at < position and not phrases.is_reference(name, lang)
        ]
        label = self.label_for(position)
        if (
            reference is None
            or phrases.pronoun(reference, lang)
            or phrases.is_standin(reference, lang)
        ):
            if label:
                return label
            body = (
                self._body(reference, position)
                if reference and not phrases.pronoun(reference, lang)
                else None
            )
            if body:
                return body
            if reference is not None and phrases.is_qualified_body(reference, lang):
                return reference  # "the Israeli military": a body named as it is, not a stand-in
            if (
                reference is not None
                and phrases.pronoun(reference, lang)
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
            if (
                reference is not None
                and phrases.is_standin(reference, lang)
                and not phrases.never_a_speaker(reference, lang)
            ):
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
            if phrases.AR_PREPOSITIONS.match(word) or phrases.AR_VERB_START.match(word):
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
                    phrases.AR_PREPOSITIONS.match(words[-1])
                    or phrases.AR_VERB_START.match(words[-1])
                ):
                    words.pop()
                if len(words) >= 2 and not words[0].startswith("ال"):
                    construct = phrases.extent_ar(
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
        """The last organisation the gazetteer knows named before `position` («الناتو», "Red Cross"),
        or the one "the latter" («الأخير») stands for, named before it, in its sentence or the
        next: in «…على حزب الله، رحب الأخير بقرار المنظمة الدولية. ودعا في بيان…» the statement
        is Hezbollah's."""
        names = entities.gazetteer()
        best = latter = None
        window = self.text[max(0, position - 600) : position]
        words = re.findall(r"[\w'’-]+|[.!?؟\n]+", window)  # words and sentence breaks
        breaks = 0  # since "the latter"
        i = 0
        while i < len(words):
            if _BREAK.fullmatch(words[i]):
                breaks += 1
                latter = latter if breaks < 2 else None
                i += 1
                continue
            if best and _the_latter(words, i, self.lang):
                latter, breaks = best, 0
            step = 1
            for size in (3, 2, 1):
                chunk = " ".join(words[i : i + size])
                key = fold(chunk).casefold()
                hit = names.get(key)
                if hit is None and self.lang == "ar" and chunk[:1] in "وفبل" and len(chunk) > 4:
                    chunk, key = chunk[1:], key[1:]  # «للناتو» -> «الناتو»
                    hit = names.get(key)
                if hit and hit[1] == "organisation":
                    best, step = chunk, size  # the whole name, not its tail («الصحة العالمية»)
                    break
            i += step
        return latter or best


_BREAK = re.compile(r"[.!?؟\n]+")
# Arabic: the article with a clitic before it («للمرة», «والمرحلة», «بالمرحلة»).
_AR_DEFINITE = (*entities.ARTICLE_PREFIXES, "فلل")
_AR_POSSESSED = ("ه", "ها", "هما", "هم", "هن", "كم", "نا")
_EN_LATTER_VERBS = frozenset(
    [
        "said",
        "says",
        "has",
        "had",
        "have",
        "was",
        "is",
        "were",
        "are",
        "will",
        "would",
        "also",
        "told",
        "took",
        "gave",
        "made",
        "sent",
    ]
)


def _the_latter(words: list[str], i: int, lang: str) -> bool:
    """Whether `words[i]` is "the latter" standing for a name («رحب الأخير», "the latter
    said"), not the adjective of a noun («للمرة الأخيرة», «أيامه الأخيرة», "the latter stages")."""
    if i == 0:
        return False
    if lang == "ar":
        if not re.fullmatch(r"[وف]?الاخير[ةه]?", fold(words[i])):
            return False
        before = fold(words[i - 1])
        return not before.startswith(_AR_DEFINITE) and not before.endswith(_AR_POSSESSED)
    after = words[i + 1] if i + 1 < len(words) else "."
    return (
        words[i].casefold() == "latter"
        and words[i - 1].casefold() == "the"
        and (
            bool(_BREAK.fullmatch(after))
            or after.endswith("ed")
            or after.casefold() in _EN_LATTER_VERBS
        )
    )


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
        or phrases.EN_STANDINS.match(last)
        or re.match(
            r"(?i)^(?:department|agency|service|court|commission|authority|police|forces?)$", last
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
