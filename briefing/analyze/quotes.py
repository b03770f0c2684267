"""Who said what: quotations and reported speech, with their speakers, in Arabic and English.

Direct quotes are words in "…", “…” or «…» with a speech verb before or after
them in the same sentence («وأضاف أوستن: "…"», «"…"، قال المتحدث»,
'"…," said Austin', 'Austin told reporters: "…"'), a partial quote after a
speech verb («اعتبر … أن ذلك يمثل "تصعيداً كبيراً"»), a speaker carried over
(«وتابع: "…"», 'He added: "…"', a second quote right after the first), and
reported sources («نقلت رويترز عن مصدر مطلع قوله إن "…"», 'according to a
senior official, "…"'). A short quoted phrase with no speech verb, or after
"titled", "so-called", «بعنوان», is a title or a scare quote, not a quote.
Reported speech («قال أوستن إن الولايات المتحدة …», 'Austin said the US …')
is kept with direct=False. Speakers are split from their roles and resolved to
the fullest name the article gives. Every kept text is verbatim at its offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefing.analyze import speakers
from briefing.models import Quote

# A quote that runs over several paragraphs leaves its first paragraphs open and
# opens the next with a quote mark again; each paragraph is kept as a part.
# Single quotes count too: curly ‘…’, and straight '…' only between non-letters,
# so that apostrophes (Russia's, don't) never open or close one.
_QUOTED = re.compile(
    r"\"([^\"\n]{2,}?)\"|“([^”\n]{2,}?)”|«([^»\n]{2,}?)»"
    r"|[\"“]([^\"“”\n]{2,}?)(?=\n\s*[\"“])"
    r"|‘([^’\n]{2,}?)’(?!\w)|(?<![\w’'])'([^'\n]{4,}?)'(?![\w'])"
)

_AR_VERBS = (
    "قال|قالت|أضاف|أضافت|أوضح|أوضحت|تابع|تابعت|أكد|أكدت|أشار|أشارت|صرح|صرحت|ذكر|ذكرت|أعلن|أعلنت"
    "|شدد|شددت|حذر|حذرت|كشف|كشفت|اعتبر|اعتبرت|وصف|وصفت|رأى|رأت|أفاد|أفادت|يقول|تقول|يؤكد|تؤكد|يرى|ترى"
    "|قوله|قولها|مضيفا|مضيفاً|مضيفة|مشيرا|مشيراً|مشيرة|متسائلا|متسائلاً|واصفا|واصفاً|واصفة|معتبرا|معتبراً"
    "|مؤكدا|مؤكداً|محذرا|محذراً"
)
_AR_VERB = re.compile(rf"(?:^|(?<=[\s،.:(]))[وف]?(?:{_AR_VERBS})(?=[\s:،]|$)")
_AR_CONNECTIVE = re.compile(
    r"\s(?:(?:من|إلى|على)\s+)?(?:إن|أن|بأن|إنه|أنه|إنها|أنها|بأنه|بأنها)(?=\s|$)"
)
# Where an Arabic speaker phrase ends: punctuation, إن/أن, or the circumstances of the statement.
_AR_SPEAKER_END = re.compile(
    r"[:،,.]|\s(?:(?:من|إلى|على)\s+)?(?:إن|أن|بأن|إنه|أنه|إنها|أنها|بأنه|بأنها)(?:\s|$)"
    r"|\s(?:في|خلال|عبر|أمام|لدى)\s+(?:تصريح|تصريحات|بيان|مؤتمر|حديث|مقابلة|إفادة|كلمة|رسالة|تغريدة|منشور|زيارة|اجتماع|جلسة|حفل|لقاء)"
    r"|\s(?:خلال|يوم|الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأسبوع|أمس|اليوم|للصحفيين|لوكالة|لقناة|لصحيفة)(?:\s|$)"
)
_EN_VERBS = (
    r"said|says|added|adds|told|tells|warned|stated|declared|insisted|noted|wrote|explained|argued|asked"
    r"|described|called|announced|urged|stressed|acknowledged|admitted|claimed|replied|continued"
)
_EN_VERB = re.compile(rf"\b(?:{_EN_VERBS})\b")
_PRONOUNS = {"he", "she", "they", "هو", "هي"}
# A quoted phrase right after these is a name, a title or a term, not speech.
_NAME_CUE = re.compile(
    r"(?:بحسب|حسب|وفق|وفقاً|وفقا|عام|منظمة|حركة|حزب|وكالة|صحيفة|شبكة|عملية|قناة|موقع|بعنوان|عنوان|تسمي|يسمي|تسميه|المسماة|المسمى"
    r"|according to|so-called|dubbed|named|titled|entitled|operation|newspaper|agency|term|as a)\s*$",
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


def find(text: str, lang: str) -> list[Quote]:
    """Quotes and reported speech of `text` in reading order.

    >>> [(q.speaker, q.text) for q in find('قال روته: "سيحدث ذلك قريباً".', "ar")]
    [('روته', 'سيحدث ذلك قريباً')]
    """
    found = _direct(text, lang)
    spans = [(f.start, f.end) for f in found]
    found += [
        f for f in _indirect(text, lang) if not any(a < f.end and f.start < b for a, b in spans)
    ]
    found.sort(key=lambda f: f.start)
    last: str | None = None
    quotes: list[Quote] = []
    for item in found:
        speaker = item.speaker
        if item.carry or (speaker and speaker.casefold() in _PRONOUNS and last):
            speaker = last or speaker
        role = None
        if speaker:
            speaker, role = speakers.split_role(speaker, lang)
            last = speaker
        if text[item.start : item.end] != item.text:
            continue  # never keep words that are not verbatim in the article
        quotes.append(
            Quote(
                text=item.text,
                speaker=speaker,
                direct=item.direct,
                start=item.start,
                end=item.end,
                role=role,
            )
        )
    # Surnames first ("أوستن" -> "لويد أوستن"), then bare roles ("وزير الدفاع الأميركي") to the people they introduced.
    resolved: dict[str | None, str | None] = {}
    for quote in quotes:
        if quote.speaker not in resolved:
            resolved[quote.speaker] = speakers.resolve(quote.speaker, text, lang, {})
    names = sorted({name for name in resolved.values() if name}, key=len, reverse=True)
    roles = speakers.roles_in(text, lang, names)
    for speaker, name in resolved.items():
        resolved[speaker] = speakers.resolve(name, text, lang, roles)
    return [replace(q, speaker=resolved[q.speaker]) for q in quotes]


def _direct(text: str, lang: str) -> list[_Found]:
    found: list[_Found] = []
    previous_end = -1
    for match in _QUOTED.finditer(text):
        group = next(i for i in (1, 2, 3, 4, 5, 6) if match[i] is not None)
        raw = match[group]
        words = raw.strip().rstrip()
        start = match.start(group) + (len(raw) - len(raw.lstrip()))
        end = start + len(words)
        sentence_start = max(
            text.rfind("\n", 0, match.start()) + 1, _sentence_start(text, match.start())
        )
        clause_start = max(
            sentence_start, previous_end + 1 if previous_end >= sentence_start else sentence_start
        )
        before = text[clause_start : match.start()]
        line_end = text.find("\n", match.end())
        after = text[match.end() : line_end if line_end != -1 else len(text)]
        short = len(words.split()) <= 3
        if group >= 5 and len(words.split()) < 3:
            previous_end = match.end()
            continue  # a single-quoted word or two is a term, not speech
        if _NAME_CUE.search(before) or (len(words.split()) <= 2 and _CALLS.search(before)):
            previous_end = match.end()
            continue
        if lang == "ar":
            has_verb, speaker = _speaker_ar(before, after)
        else:
            has_verb, speaker = _speaker_en(before, after)
        carry = False
        if has_verb and speaker is None:
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
            opens_sentence = not before.strip(' \t"“«')
            line_start = text.rfind("\n", 0, match.start()) + 1
            previous_line = text.rfind("\n", 0, max(0, line_start - 1)) + 1
            # A quoted sentence opening its sentence, in the last quote's paragraph or the next one.
            if follows or (opens_sentence and found and found[-1].start >= previous_line):
                carry = True  # '"…," he said. "We need more boats."': the same speaker goes on
            elif short or len(words.split()) < 6:
                previous_end = match.end()
                continue  # a scare quote, a title or a term
        found.append(_Found(start, end, words, speaker, True, carry, continued=group == 4))
        previous_end = match.end()
    # The speaker of a quote running over paragraphs is often named only after its last part.
    for part, following in zip(reversed(found[:-1]), reversed(found[1:]), strict=True):
        if part.continued and part.speaker is None and following.speaker:
            part.speaker, part.carry = following.speaker, False
    return found


def _sentence_start(text: str, position: int) -> int:
    boundary = max(
        text.rfind(". ", 0, position),
        text.rfind("! ", 0, position),
        text.rfind("? ", 0, position),
        text.rfind("؟ ", 0, position),
    )
    return boundary + 2 if boundary >= 0 else 0


def _speaker_ar(before: str, after: str) -> tuple[bool, str | None]:
    verbs = list(_AR_VERB.finditer(before))
    if verbs:
        verb = verbs[-1]
        tail = before[verb.end() :]
        if verb[0].endswith(("قوله", "قولها")):  # «نقلت وكالة رويترز عن مصدر مطلع قوله إن»
            source = re.search(r"\sعن\s+(.+?)\s*$", before[: verb.start()])
            return True, source[1].strip() if source else None
        cut = _AR_SPEAKER_END.search(tail)
        speaker = (tail[: cut.start()] if cut else tail).strip(" \t:،")
        if re.match(r"^[وف]?وصف", verb[0]) and len(speaker.split()) >= 2:
            speaker = speaker.split()[
                0
            ]  # «ووصفت المعارضة الخطة بأنها»: the subject, not the object
        if re.match(r"^(?:واصف|مضيف|مشير|معتبر|مؤكد|محذر|متسائل)", verb[0]):
            speaker = ""  # a participle: the speaker is the sentence's subject, named earlier
        if not speaker or _AR_CONNECTIVE.match(" " + tail.strip()):
            speaker = _subject_before_ar(before[: verb.start()])
        if speaker and len(speaker.split()) > 8:
            speaker = None
        return True, speaker or None
    following = re.match(rf"^\s*[،,]?\s*[وف]?(?:{_AR_VERBS})\s+([^،.:\n]+)", after)
    if following:
        return True, following[1].strip()
    return False, None


def _subject_before_ar(text: str) -> str | None:
    """«لكن نائب السفير الأميركي لدى الأمم المتحدة، روبرت وود، قال إنه …»: the named subject before the verb."""
    segments = [s.strip() for s in re.split(r"[،,]", text) if s.strip()]
    if len(segments) >= 2 and 1 <= len(segments[-1].split()) <= 3:
        return segments[-1]
    kana = re.search(r"(?:كان|كانت)\s+(.{2,60}?)\s*$", text)
    return kana[1].strip() if kana else None


def _speaker_en(before: str, after: str) -> tuple[bool, str | None]:
    clause = before.strip().lstrip(",.;: ")
    according = re.search(r"\b[Aa]ccording to (.+?),?\s*$", clause)
    if according:
        return True, according[1].strip(" ,")
    verbs = list(_EN_VERB.finditer(clause))
    if verbs:
        subject = clause[: verbs[-1].start()].strip(" ,")
        if "," in subject:  # 'had been recorded, a figure WHO officials called "…"'
            subject = subject.rsplit(",", 1)[1].strip()
            subject = re.sub(
                r"^(?:an?|the)\s+(?:figure|number|move|step|claim|decision|plan|term)\s+",
                "",
                subject,
            )
        subject = re.sub(r"^(?:But|And|So|Yet|Still|However,?|Then)\s+", "", subject)
        subject = re.sub(r"\s+(?:also|later|then|had|has|have|was|is)$", "", subject)
        if subject and len(subject.split()) <= 10 and not re.search(r"[.;]", subject):
            return True, subject
        if not subject:  # 'said Austin: "…"'
            named = re.match(r"\s*([^,:;]{2,60}?)\s*[:,]?\s*$", clause[verbs[-1].end() :])
            return True, named[1] if named else None
        return True, None
    following = re.match(
        rf"^\s*[,.]?\s*(?:{_EN_VERBS})\s+([^.;:\"“”]+?)\s*(?:[.;:]|$|,\s*[\"“])", after
    )
    if following:
        return True, _trim_en(following[1])
    following = re.match(rf"^\s*[,.]?\s*([^.;:\"“”]{{2,90}}?)\s+(?:{_EN_VERBS})\b", after)
    if following and len(following[1].split()) <= 10:
        return True, _trim_en(following[1])
    return False, None


def _trim_en(phrase: str) -> str:
    phrase = re.sub(
        r"\s+(?:on|in|at|during|after|before)\s+(?:\w+day|Rome|a|an|the)\b.*$",
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
    r"\s+(?:said|says|added|told\s+\w+)\.?(?=\s|$)"
)
_AR_DAYS = r"الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|أمس|اليوم|الليلة"
_AR_INDIRECT = re.compile(
    rf"(?:^|(?<=[\s.،]))[وف]?(?:{_AR_VERBS})\s+(?P<speaker>[^،.:\"«»\n]{{2,80}}?)"
    rf"(?:\s*،\s*(?:{_AR_DAYS})\s*،)?"
    rf"\s+(?:(?:من|إلى|على)\s+)?(?:إن|أن|بأن)\s+(?P<clause>[^\"«».\n]+?)(?=[.،]|$|\s*[\"«])"
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
