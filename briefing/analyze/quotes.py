"""Who said what: quotations and reported speech, with their speakers, in Arabic and English.

Direct quotes are words of at least four words in "…", “…”, «…» or ‘…’ with a
speech verb before or after them in the same sentence («وأضاف أوستن: "…"»,
«"…"، قال المتحدث», '"…," said Austin', 'Austin told reporters: "…"'), a
partial quote after a speech verb («اعتبر … أن ذلك يمثل "تصعيداً خطيراً جداً"»),
a participle or a colon that leaves the speaking to the sentence's subject
(«مضيفاً: "…"», 'stating, "…"'), a speaker carried over («وتابع: "…"», 'He
added: "…"', a second quote in the same sentence), and reported sources
(«نقلت رويترز عن مصدر مطلع قوله إن "…"», 'according to a senior official,
"…"'). Shorter quoted text, or text after "titled", "so-called", «بعنوان», is
a term, a title or a scare quote, not a quote. Reported speech («قال أوستن إن
الولايات المتحدة …», 'Austin said the US …') is kept with direct=False.
Who speaks is settled by `phrases` (the speaker phrase must be a noun
phrase) and `attribution` (references such as "he", "the president",
«المكتب» resolve to the nearest compatible name). Every kept text is verbatim at its offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass, replace
from functools import lru_cache

from briefing.analyze import attribution, phrases, speakers
from briefing.analyze.arabic import strip_diacritics
from briefing.models import Quote

# A quote that runs over several paragraphs leaves its first paragraphs open and
# opens the next with a quote mark again; each paragraph is kept as a part.
# Single quotes count too: curly ‘…’, and straight '…' only between non-letters,
# so that apostrophes (Russia's, don't) never open or close one.
_QUOTED = re.compile(
    # Straight quotes may hold one quoted term of their own ("… "term" …"): an inner mark
    # opens after a space before a letter, and a mark that could open one never closes.
    r"\"((?:[^\"\n]|(?<=\s)\"(?=\w)[^\"\n]{1,60}?\"(?=[\s,.،:;!?)]))+?)(?:(?<!\s)\"|\"(?!\w))"
    r"|“([^”\n]{2,}?)”|«([^»\n]{2,}?)»"
    r"|[\"“]([^\"“”\n]{2,}?)(?=\n\s*[\"“])"
    r"|‘([^’\n]{2,}?)’(?!\w)|(?<![\w’'])'([^'\n]{4,}?)'(?![\w'])"
    # Arabic text often opens with ” too: a ” before a letter, after a space, ـ or a prefix.
    r"|(?:(?<=[\sـ:(])|(?<=\sب)|(?<=^))”(?=\w)([^”“\n]{2,}?)”"
)

_AR_VERBS = (
    "قال|قالت|أضاف|أضافت|أوضح|أوضحت|تابع|تابعت|أكد|أكدت|أشار|أشارت|صرح|صرحت|ذكر|ذكرت|أعلن|أعلنت"
    "|شدد|شددت|حذر|حذرت|كشف|كشفت|اعتبر|اعتبرت|وصف|وصفت|رأى|رأت|أفاد|أفادت|يقول|تقول|يؤكد|تؤكد|يرى|ترى"
    "|قوله|قولها|مضيفا|مضيفاً|مضيفة|مشيرا|مشيراً|مشيرة|متسائلا|متسائلاً|واصفا|واصفاً|واصفة|معتبرا|معتبراً"
    "|مؤكدا|مؤكداً|محذرا|محذراً|مؤكدة|محذرة|معتبرة|قائلا|قائلاً|قائلة|متعهدا|متعهداً|متعهدة|مشددا|مشدداً|مشددة"
    "|داعيا|داعياً|داعية|متابعا|متابعاً|متابعة|مردفا|مردفاً"
    "|كتب|كتبت|دعا|دعت|أعرب|أعربت|ندد|نددت|اتهم|اتهمت|أردف|أردفت|أكمل|أكملت|ختم|ختمت|استطرد|استطردت"
    "|لفت|لفتت|نوه|نوهت|تساءل|تساءلت|طالب|طالبت|أشاد|أشادت|أدان|أدانت|علق|علقت|غرد|غردت"
    "|يضيف|تضيف|يتابع|تتابع|جاء|حث|حثت"
)
_AR_PARTICIPLE = re.compile(rf"^{phrases.AR_PARTICIPLE}")
_AR_VERB = re.compile(rf"(?:^|(?<=[\s،.:(]))[وف]?(?:{_AR_VERBS})(?=[\s:،]|$)")
_AR_CONNECTIVE = re.compile(
    r"\s(?:(?:من|إلى|على)\s+)?(?:إن|أن|بأن|إنه|أنه|إنها|أنها|بأنه|بأنها)(?=\s|$)"
)
# Where an Arabic speaker phrase ends: punctuation, إن/أن, or the circumstances of the statement.
_AR_SPEAKER_END = re.compile(
    r"[:،,.]|\s(?:(?:من|إلى|على)\s+)?(?:إن|أن|بأن|إنه|أنه|إنها|أنها|بأنه|بأنها)(?:\s|$)"
    r"|\s(?:في|خلال|عبر|أمام|لدى)\s+(?:تصريح|تصريحات|بيان|مؤتمر|حديث|مقابلة|إفادة|كلمة|رسالة|تغريدة|منشور|زيارة|اجتماع|جلسة|حفل|لقاء"
    r"|خطاب|سجل|مقطع|فيديو|اتصال|منصة|حسابه|حسابها|تدوينة|برنامج)"
    r"|\s(?:خلال|يوم|الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأسبوع|أمس|اليوم|للصحفيين|لوكالة|لقناة|لصحيفة)(?:\s|$)"
)
_EN_VERBS = (
    r"said|says|added|adds|told|tells|warned|stated|declared|insisted|noted|wrote|explained|argued|asked"
    r"|described|called|announced|urged|stressed|acknowledged|admitted|claimed|replied|continued"
    r"|vowed|pledged|promised|accused|tweeted|posted|shouted|chanted|recalled|remarked"
    r"|conceded|countered|responded|commented|cautioned|demanded|emphasi[sz]ed|reiterated"
    r"|affirmed|confirmed|denied|condemned|praised|hailed|dismissed|branded|labell?ed"
)
_EN_PARTICIPLES = (
    r"saying|adding|stating|writing|declaring|calling|describing|warning|noting|telling|urging"
    r"|insisting|arguing|accusing|vowing|promising|posting|asking|explaining|tweeting|shouting"
    r"|chanting|branding|labell?ing|dubbing"
)
_EN_PARTICIPLE = re.compile(rf"\b(?:{_EN_PARTICIPLES})\b[^.\"“”]*$")
_EN_VERB = re.compile(rf"\b(?:{_EN_VERBS})\b")
_PRONOUNS = {"he", "she", "they", "هو", "هي"}
# A quoted phrase right after these is a name, a title or a term, not speech.
_NAME_CUE = re.compile(
    r"(?:بحسب|حسب|وفق|وفقاً|وفقا|عام|منظمة|حركة|حزب|وكالة|صحيفة|شبكة|عملية|قناة|موقع|بعنوان|عنوان|تسمي|يسمي|تسميه|المسماة|المسمى"
    r"|according to|so-called|dubbed|named|titled|entitled|operation|newspaper|agency|term)\s*$",
    re.IGNORECASE,
)
_CALLS = re.compile(
    r"\b(?:call|calls|called|describe|describes|described)\b[^.\"“”«»]*$", re.IGNORECASE
)


@dataclass
class _Found:
    start: int
    end: int
    text: str
    speaker: str | None
    direct: bool
    carry: bool = False  # take the last speaker named before it
    continued: bool = False  # a paragraph of a quote that goes on in the next paragraph
    sentence: int = -1  # where its sentence starts
    subject: str | None = None  # the subject of its sentence, for «مضيفاً» / "stating, …"
    short: bool = False  # under four words: a term, not a quote, but its speaker carries on


_MIN_WORDS = 4


def find(text: str, lang: str) -> list[Quote]:
    """Quotes and reported speech of `text` in reading order.

    >>> [(q.speaker, q.text) for q in find('قال روته: "سيحدث ذلك قريباً جداً".', "ar")]
    [('روته', 'سيحدث ذلك قريباً جداً')]
    """
    found = _direct(text, lang)
    spans = [(f.start, f.end) for f in found]
    found += [
        f for f in _indirect(text, lang) if not any(a < f.end and f.start < b for a, b in spans)
    ]
    found.sort(key=lambda f: f.start)
    resolver = attribution.Resolver(text, lang, spans)
    # Who each sentence is about: the antecedents of "he", «وتابع» and "the president".
    history: list[tuple[int, str]] = _subjects(text, lang, spans)
    kept: list[tuple[_Found, str | None, str | None]] = []
    for item in found:
        speaker = phrases.noun_phrase(item.speaker, lang)
        if speaker is None and item.subject:
            speaker = phrases.noun_phrase(item.subject, lang)
        if speaker is None and not item.carry and item.speaker is not None:
            item.carry = True  # the phrase by the verb was no speaker: the one before goes on
        role = None
        if speaker and not phrases.pronoun(speaker, lang):
            speaker, role = speakers.split_role(speaker, lang)
        if speaker is None or phrases.is_reference(speaker, lang):
            if speaker is None and not item.carry:
                label = resolver.label_for(item.start)
                speaker = label
            else:
                speaker = resolver.resolve(speaker, item.start, history)
            if speaker:
                speaker, label_role = speakers.split_role(speaker, lang)
                role = role or label_role
        if speaker:
            # after any entry at the same position, as a stable sort would put it
            insort(history, (item.start, speaker), key=lambda entry: entry[0])
        if item.short or text[item.start : item.end] != item.text:
            continue  # a term, or words that are not verbatim in the article
        kept.append((item, speaker, role))
    quotes = [
        Quote(
            text=item.text,
            speaker=speaker,
            direct=item.direct,
            start=item.start,
            end=item.end,
            role=role,
        )
        for item, speaker, role in kept
    ]
    # Surnames first ("أوستن" -> "لويد أوستن"), then bare roles ("وزير الدفاع الأميركي") to the people they introduced.
    # Names are looked up outside quotes: "Free Omar Said" gives Said no first name.
    plain = list(text)
    for start, end in spans:
        plain[start:end] = " " * (end - start)
    narrative = "".join(plain)
    resolved: dict[str | None, str | None] = {}
    for quote in quotes:
        if quote.speaker not in resolved:
            resolved[quote.speaker] = speakers.resolve(quote.speaker, narrative, lang, {})
    names = sorted({name for name in resolved.values() if name}, key=len, reverse=True)
    roles = speakers.roles_in(narrative, lang, names)
    for speaker, name in resolved.items():
        resolved[speaker] = speakers.resolve(name, narrative, lang, roles)
    # "Park" after "Park Ji-won" spoke: one word of a fuller speaker's name is that speaker.
    fuller = [name for name in set(resolved.values()) if name and len(name.split()) >= 2]
    for speaker, name in resolved.items():
        if name and " " not in name and not phrases.is_known_place_or_body(name):
            matches = {full for full in fuller if name in full.split()}
            if len(matches) == 1:
                resolved[speaker] = matches.pop()
    return [replace(q, speaker=resolved[q.speaker]) for q in quotes]


def _direct(text: str, lang: str) -> list[_Found]:
    found: list[_Found] = []
    previous_end = -1
    for match in _QUOTED.finditer(text):
        group = next(i for i in (1, 2, 3, 4, 5, 6, 7) if match[i] is not None)
        raw = match[group]
        words = raw.strip().rstrip()
        start = match.start(group) + (len(raw) - len(raw.lstrip()))
        end = start + len(words)
        count = len([w for w in words.split() if re.search(r"\w", w)])
        sentence_start = max(
            text.rfind("\n", 0, match.start()) + 1, _sentence_start(text, match.start())
        )
        if found and found[-1].start <= sentence_start < found[-1].end:
            sentence_start = found[
                -1
            ].sentence  # a full stop inside the last quote ends no sentence
        clause_start = max(
            sentence_start, previous_end + 1 if previous_end >= sentence_start else sentence_start
        )
        before = text[clause_start : match.start()]
        line_end = text.find("\n", match.end())
        after = text[match.end() : line_end if line_end != -1 else len(text)]
        if _NAME_CUE.search(before) or (count <= 2 and _CALLS.search(before)):
            continue  # a name or a term: the words before it still belong to the next quote
        if group in (5, 6) and count < 3:
            continue  # a single-quoted word or two is a term, not speech
        if lang == "ar":  # «قائلًا», «واصفًا»: diacritics never hide a speech verb
            has_verb, speaker = _speaker_ar(strip_diacritics(before), strip_diacritics(after))
        else:
            has_verb, speaker = _speaker_en(before, after, words)
        # «مضيفاً: "…"», 'stating, "…"': the sentence's subject speaks; it also stands in
        # when the words by the verb are no speaker («قال في كلمة مصورة: "…"»).
        subject = (
            _subject(strip_diacritics(text[sentence_start : match.start()]), lang)
            if has_verb
            else None
        )
        if has_verb == "subject":
            has_verb = True
        carry = False
        same_sentence = bool(found) and found[-1].sentence == sentence_start
        if has_verb and speaker is None and not phrases.noun_phrase(subject, lang):
            carry = True  # «وتابع: "…"»
        elif not has_verb:
            follows = previous_end >= 0 and not re.search(
                r"\w", text[previous_end : match.start()].replace("\n", " ")
            )
            follows = follows or (
                previous_end >= sentence_start - 3
                and previous_end >= 0
                and not re.search(r"[^\s.،,]", text[previous_end : match.start()])
            )
            opens_sentence = not before.strip(' \t"“«”')
            line_start = text.rfind("\n", 0, match.start()) + 1
            previous_line = text.rfind("\n", 0, max(0, line_start - 1)) + 1
            # A quoted sentence opening its sentence, in the last quote's paragraph or the next one.
            if (
                follows
                or same_sentence
                or (opens_sentence and found and found[-1].start >= previous_line)
            ):
                carry = True  # '"…," he said. "We need more boats."': the same speaker goes on
            elif count < 6:
                continue  # a scare quote, a title or a term: the clause around it goes on
            else:
                # A long quotation with no speech verb: the sentence's subject
                # ("The mayor offered the "thanks of …"").
                subject = _subject(strip_diacritics(text[sentence_start : match.start()]), lang)
        found.append(
            _Found(
                start,
                end,
                words,
                speaker,
                True,
                carry,
                continued=group == 4,
                sentence=sentence_start,
                subject=subject,
                short=count < _MIN_WORDS,
            )
        )
        previous_end = match.end()
    # The speaker of a quote running over paragraphs, or split by its attribution, is often named
    # only after its last part.
    for part, following in zip(reversed(found[:-1]), reversed(found[1:]), strict=True):
        if (
            part.speaker is None
            and following.speaker
            and part.subject is None
            and (part.continued or (part.sentence == following.sentence and not part.carry))
        ):
            part.speaker, part.carry = following.speaker, False
    return found


def _subjects(text: str, lang: str, quoted: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(position, name) of the sentences whose subject is a name: «وأكد سامر أن …», "Carter expressed …"."""
    found = []
    for paragraph in re.finditer(r"[^\n]+", text):
        starts = [paragraph.start()] + [
            m.end() for m in _SENTENCE_END.finditer(text, paragraph.start(), paragraph.end())
        ]
        for start, end in zip(starts, [*starts[1:], paragraph.end()], strict=True):
            if any(a - 1 <= start < b for a, b in quoted):
                continue  # a sentence inside a quote is about what the speaker says
            sentence = strip_diacritics(text[start : min(start + 200, end)])
            body_only = False
            if lang == "ar" and not _AR_VERB.match(sentence):
                if not re.match(r"^[وف]?[أاتين]\S{2,}\s", sentence) or sentence.startswith("ال"):
                    continue
                body_only = (
                    True  # «وأصدر الجيش بياناً»: an antecedent if its subject is a body or a role
                )
            raw = _subject(sentence, lang, main=True)
            subject = phrases.noun_phrase(
                phrases.extent_ar(raw) if lang == "ar" and raw else raw, lang
            )
            if body_only and not (
                subject and (speakers.starts_with_role(subject) or phrases.is_body(subject, lang))
            ):
                continue
            if not subject or phrases.is_reference(subject, lang):
                continue
            name, _ = speakers.split_role(subject, lang)
            if lang == "ar" or (
                speakers.is_name(name, lang)
                # "Nurses were …": a lone word is a person only if the article gives it a first name.
                and (" " in name or re.search(rf"[A-Z][\w'’-]+\s+{re.escape(name)}\b", text))
            ):
                found.append((start, name))
    return found


def _subject(sentence: str, lang: str, main: bool = False) -> str | None:
    """The subject of a sentence: «وأكد سامر أن …» -> سامر; "Mayor X condemned it, stating," -> Mayor X.

    With `main`, that of the sentence's main verb; else that of the verb nearest its end.
    """
    if lang == "ar":
        # The nearest speech verb whose subject is a noun phrase: «وأكد سامر أن … إذ قال في كلمة».
        # …and failing one, the verb the sentence opens with («وعبّر المستشار عن صدمته، قائلاً»).
        verbs = list(re.finditer(r"^\s*[وف]?[^\s:،\"“”«»]+", sentence)) + list(
            _AR_VERB.finditer(sentence)
        )
        order = verbs[1:] + verbs[:1] if main else list(reversed(verbs))
        for verb in order:
            if _AR_PARTICIPLE.match(verb[0].strip()):
                continue  # «واصفاً الحادث»: a participle's subject is the main verb's
            if re.search(r"(?:^|\s)[وفب]?(?:أن|إن)(?:ه|ها|هم)?\s*$", sentence[: verb.start()]):
                continue  # «قال إنه رأى جثثاً»: the verb of what was said has no subject here
            tail = re.split(r"[\"“”«»]", sentence[verb.end() :])[0]
            cut = _AR_SPEAKER_END.search(tail)
            subject = (tail[: cut.start()] if cut else tail).strip(" \t:،")
            subject = _with_apposition_ar(subject, tail, cut)
            if _AR_TRANSITIVE.match(verb[0].strip()):
                subject = _subject_of_transitive_ar(subject)
            subject = phrases.extent_ar(subject)
            if phrases.noun_phrase(subject, "ar"):
                return subject
        return None
    clause = re.sub(
        r"^\s*(?:[A-Z]?[a-z]+ing\b[^,]*|(?:In|On|At|Although|Though|While|When|After|Before"
        r"|Because|Since|As|If|Despite)\s[^,]*),\s*",
        "",
        sentence,
    )
    verb = re.search(
        rf"\s(?:{_EN_VERBS}|[a-z]+ed|has|had|have|is|was|were|will|would|made|took|put|gave|went|came|sought|met|spoke|wrote|left)\b",
        clause,
    )
    return clause[: verb.start()].strip(" ,") if verb else None


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding `position` starts: after ". ", or after '." ' when a quote closed it."""
    starts = _sentence_starts(text)
    return starts[bisect_right(starts, position) - 1]


@lru_cache(maxsize=64)
def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


_SENTENCE_END = re.compile(r"[.!?؟][\"”»’']?\s+(?=[^\sa-z,;])")


def _speaker_ar(before: str, after: str) -> tuple[bool | str, str | None]:
    verbs = list(_AR_VERB.finditer(before))
    if verbs:
        verb = verbs[-1]
        tail = before[verb.end() :]
        if verb[0].endswith(("قوله", "قولها")):  # «نقلت وكالة رويترز عن مصدر مطلع قوله إن»
            source = re.search(r"\sعن\s+(.+?)\s*$", before[: verb.start()])
            return True, re.split(r"[\"“”«»(]", source[1])[0].strip() if source else None
        if _AR_PARTICIPLE.match(verb[0]):
            return "subject", None  # a participle: the speaker is the sentence's subject
        source = re.search(r"(?:^|\s)(?:نقلا|نقلاً)\s+عن\s+(.+)$", tail)
        if source:  # «وذكرت الصحيفة نقلا عن مسؤول محلي: "…"»: the source speaks
            tail = source[1]
        cut = _AR_SPEAKER_END.search(tail)
        speaker = (tail[: cut.start()] if cut else tail).strip(" \t:،")
        speaker = _with_apposition_ar(speaker, tail, cut)
        named_before = _name_before_ar(before[: verb.start()])
        if named_before:
            return (
                True,
                named_before,
            )  # «سارة العلي وصفت القرار بأنه "…"»: the subject came first
        if _AR_TRANSITIVE.match(verb[0]):
            speaker = _subject_of_transitive_ar(speaker)
        if not speaker or _AR_CONNECTIVE.match(" " + tail.strip()):
            speaker = _subject_before_ar(before[: verb.start()])
        if speaker and len(speaker.split()) > 8:
            speaker = None
        return True, speaker or None
    following = re.match(
        rf"^\s*[،,]?\s*(?:هكذا\s+|بهذه الكلمات\s+)?([وف]?(?:{_AR_VERBS}))\s+([^،.:\n]+)", after
    )
    if following:
        speaker = following[2].strip()
        if _AR_TRANSITIVE.match(following[1]):  # «"…"، هكذا وصف المدير الأوضاع»
            speaker = _subject_of_transitive_ar(speaker)
        return True, speaker
    return False, None


# Verbs with an object after their subject: «اتهم الرئيس الحكومة بـ…», «ووصفت المعارضة الخطة بأنها».
_AR_TRANSITIVE = re.compile(r"^[وف]?(?:وصف|اتهم|دعا|دعت|طالب|حث|حثت|ندد|أدان|حمل|حملت)")


def _with_apposition_ar(speaker: str, tail: str, cut: re.Match | None) -> str:
    """«رئيس البلدية، سامي فارس، …»: a role with the name set in apposition after it."""
    if cut and cut[0] in "،," and speakers.starts_with_role(speaker):
        apposition = re.match(
            r"\s*(?:(?:الدكتور|الدكتورة|الشيخ|السيد|السيدة|المهندس|اللواء|العميد|العقيد)\s+)?"
            r"([^،,:.\"“”«»]+?)\s*[،,]",
            tail[cut.end() :],
        )
        if (
            apposition
            and speakers.is_name(apposition[1], "ar")
            and not apposition[1].startswith("ال")
        ):
            return f"{speaker} {apposition[1]}"
    return speaker


def _subject_of_transitive_ar(phrase: str) -> str:
    """The subject of a verb-subject-object phrase: a role with its complement and name, or one word."""
    words = phrase.split()
    cut = next((i for i, w in enumerate(words) if i and w.startswith("ب")), len(words))
    words = words[:cut]
    if not words:
        return ""
    if any(words[0].startswith(start) for start in speakers.AR_ROLE_STARTS):
        kept = words[:2]
        for word in words[2:]:
            if word.startswith("ال"):
                break
            kept.append(word)
        return " ".join(kept)
    return words[0] if len(words) >= 2 else " ".join(words)


def _name_before_ar(text: str) -> str | None:
    """A name standing right before the verb, as its subject: «… في حين سارة العلي وصفت»."""
    segment = re.split(r"[،,.:\n]|\s(?:و|في حين|بينما|فيما|لكن)\s", text)[-1].strip()
    words = segment.split()
    if not 2 <= len(words) <= 4 or any(
        re.match(r"^(?:[وف]?(?:أن|إن|لأن|ما|لا|لم|قد|كان|كانت|ورغم|رغم|إذ|حيث|كما|ثم)|[وف]ي)$", w)
        for w in words
    ):
        return None
    if words[0].startswith(("و", "ف", "ال")) or _AR_VERB.match(words[0]):
        return None
    return segment if speakers.is_name(segment, "ar") else None


def _subject_before_ar(text: str) -> str | None:
    """«لكن نائب السفير الأميركي لدى الأمم المتحدة، روبرت وود، قال إنه …»: the named subject before the verb."""
    segments = [s.strip() for s in re.split(r"[،,]", text) if s.strip()]
    if len(segments) >= 2 and 1 <= len(segments[-1].split()) <= 3:
        return segments[-1]
    kana = re.search(r"(?:كان|كانت)\s+(.{2,60}?)\s*$", text)
    return kana[1].strip() if kana else None


def _speaker_en(before: str, after: str, words: str = "") -> tuple[bool | str, str | None]:
    clause = before.strip().lstrip(",.;: ")
    according = re.search(r"\b[Aa]ccording to (.+?),?\s*$", clause)
    if according:
        return True, according[1].strip(" ,")
    passive = re.search(
        r"\b[a-z]+(?:ed|en)\s+by\s+([^,;:]{3,80}?)\s+as(?:\s+(?:an?|the))?\s*$", clause
    )
    if passive:  # 'was condemned by rights groups as a "…"'
        return True, passive[1]
    participle = _EN_PARTICIPLE.search(clause)
    verbs = list(_EN_VERB.finditer(clause))
    if participle and (not verbs or verbs[-1].start() < participle.start()):
        return "subject", None  # 'X condemned it, stating, "…"'
    if not verbs and re.search(r"[a-z]\s*:\s*$", clause) and len(clause.split()) >= 3:
        return "subject", None  # 'The delegate X summed it up: "…"'
    if verbs:
        subject = clause[: verbs[-1].start()].strip(" ,")
        subject = re.sub(r"^(?:But|And|So|Yet|Still|However,?|Then)\s+", "", subject)
        subject = re.sub(r"\s+(?:also|later|then|had|has|have|was|is)$", "", subject)
        if subject:  # phrases.noun_phrase picks the subject out of the clause
            return True, subject
        # 'said Austin: "…"'
        named = re.match(r"\s*([^,:;]{2,60}?)\s*[:,]?\s*$", clause[verbs[-1].end() :])
        return True, named[1] if named else None
    following = re.match(
        rf"^\s*[,.]?\s*(?:{_EN_VERBS})\s+((?:[^.;:\"“”]|{_ABBREVIATION})+?)\s*(?:[.;:,]|$)", after
    )
    if following:
        speaker = _cut_tail_en(following[1])
        # '"…," said one resident, Amina Yusuf, standing …': the name in apposition.
        named = re.match(
            r"\s*,\s*([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){1,3})\s*(?:[,.;]|$)",
            after[following.end(1) :],
        )
        if named and not re.match(r"(?i)^(?:the|a|an)\s", speaker) and speaker[:1].islower():
            speaker = f"{speaker}, {named[1]}"
        return True, speaker
    following = re.match(
        rf"^\s*[,.]?\s*((?:[^.;:\"“”]|{_ABBREVIATION}){{2,90}}?)\s+(?:{_EN_VERBS})\b", after
    )
    if following and len(following[1].split()) <= 10:
        return True, _cut_tail_en(following[1])
    if words.endswith((",", "?", "!")):
        # '"…," shouted the delegate X.' / '"…," the delegate X shouted.': any verb in -ed.
        following = re.match(r"^\s*([a-z]+ed)\s+([^.;:\"“”]+?)\s*(?:[.;:]|$|,)", after)
        if following:
            return True, _cut_tail_en(following[2])
        following = re.match(r"^\s*([^.;:,\"“”]{2,80}?)\s+[a-z]+ed\b", after)
        if following and len(following[1].split()) <= 6:
            return True, _cut_tail_en(following[1])
    return False, None


# "U.N.", "U.S.": a full stop inside an abbreviation ends nothing.
_ABBREVIATION = r"(?<=\b[A-Z])\."


def _cut_tail_en(phrase: str) -> str:
    """A speaker phrase after a quote without its tail: "on Tuesday …", ", adding …", "who …"."""
    phrase = re.sub(
        r"\s+(?:on|in|at|during|after|before)\s+(?:\w+day|[A-Z][a-z]+|a|an|the)\b.*$",
        "",
        phrase.strip(" ,"),
    )
    return re.sub(r",?\s+(?:adding|saying|noting|who)\b.*$", "", phrase)


_EN_INDIRECT = re.compile(
    r"(?:^|(?<=[.!?;]\s)|(?<=,\s(?:but|and)\s)|(?<=,\swhile\s))"
    r"(?P<speaker>[A-Z][^,;\"“”.]{1,80}?|[Tt]he [^,;\"“”.]{2,60}?|[Hh]e|[Ss]he|[Tt]hey)"
    r"\s+(?:said|says|told\s+\w+|added|warned|announced|stated)"
    r"(?:\s+(?:on\s+\w+day|last\s+week|in\s+a\s+statement|on\s+Wednesday))?(?:\s+that)?\s+"
    r"(?P<clause>(?:[^\"“”,;]|,(?=\d)|,(?!\s+(?:adding|saying|but|while|and|as|an?|according)\b))+?)"
    r"(?=\s*[\"“]|,\s+(?:adding|saying|but|while|and|as|an?|according)\b|;|[.!?](?:\s|$)|$)"
)
_EN_INDIRECT_AFTER = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<clause>[A-Z][^\"“”]{15,}?),\s+(?P<speaker>(?:the|a|an)\s[^,;\"“”.]{2,60}?|[A-Z][^,;\"“”.]{1,60}?)"
    # "…, the minister said." ends the sentence; "…, Austin said Washington was …" is not this.
    r"\s+(?:said|says|added|told\s+\w+)(?:\s+on\s+\w+day|\s+\w+day)?(?=[.!?]|\s*$)"
)
_AR_DAYS = r"الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|أمس|اليوم|الليلة"
_AR_INDIRECT = re.compile(
    rf"(?:^|(?<=[\s.،]))[وف]?(?:{_AR_VERBS})\s+(?P<speaker>[^،.:\"«»\n]{{2,80}}?)"
    rf"(?:\s*،\s*(?:{_AR_DAYS})\s*،)?"
    rf"\s*،?\s+(?:(?:من|إلى|على)\s+)?(?:إن|أن|بأن)\s+(?P<clause>[^\"«».\n]+?)(?=[.،]|$|\s*[\"«])"
)
_AR_INDIRECT_KANA = re.compile(
    r"(?:كان|كانت)\s+(?P<speaker>[^،.:\"«»\n]{2,60}?)\s+(?:قال|قالت|أعلن|أعلنت|ذكر|ذكرت|أكد|أكدت)"
    r"[^\"«».\n]*?\s+(?:إن|أن)\s+(?P<clause>[^\"«».\n]+?)(?=[.،]|$|\s*[\"«])"
)


def _indirect(text: str, lang: str) -> list[_Found]:
    found = []
    patterns = (
        (_AR_INDIRECT, _AR_INDIRECT_KANA) if lang == "ar" else (_EN_INDIRECT, _EN_INDIRECT_AFTER)
    )
    for pattern in patterns:
        for match in pattern.finditer(text):
            clause = match["clause"].strip()
            if len(clause.split()) < 3 or re.match(r"^(?:a|an|the)?\s*\w+$", clause):
                continue
            rest = text[match.end("clause") : match.end("clause") + 3]
            if re.match(r"\s*[\"“«]", rest):
                continue  # the clause leads into a direct quote: that quote is the statement
            speaker = match["speaker"].strip()
            if lang == "en" and re.match(r"(?i)^(?:according|it|this|that|there)\b", speaker):
                continue
            if lang == "ar" and match.re is _AR_INDIRECT:
                cut = _AR_SPEAKER_END.search(speaker)
                speaker = speaker[: cut.start()].strip() if cut else speaker
            start = match.start("clause") + match["clause"].index(clause)
            if any(f.start < start + len(clause) and start < f.end for f in found):
                continue
            found.append(_Found(start, start + len(clause), clause, speaker or None, False))
    return found
