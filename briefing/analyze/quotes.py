"""Who said what: direct quotations and their speakers, in Arabic and English.

A first, rule-based version: a quotation in "…", “…” or «…» with a speech
verb before or after it in the same paragraph. A short quoted phrase with no
speech verb is a scare quote or a title, not a quote. Every kept quote's text
occurs verbatim in the article at its offsets.
"""

from __future__ import annotations

import re

from briefing.models import Quote

_QUOTED = re.compile(r"\"([^\"\n]{2,}?)\"|“([^”\n]{2,}?)”|«([^»\n]{2,}?)»")

_AR_VERBS = (
    "قال|قالت|أضاف|أضافت|أوضح|أوضحت|تابع|تابعت|أكد|أكدت|أشار|أشارت|صرح|صرحت|ذكر|ذكرت|أعلن|أعلنت"
    "|شدد|شددت|حذر|حذرت|كشف|كشفت|اعتبر|اعتبرت|وصف|وصفت|رأى|رأت|قوله|قولها"
)
_AR_VERB = re.compile(rf"(?:^|(?<=[\s،.:]))[وف]?(?:{_AR_VERBS})(?=[\s:،])")
# Where an Arabic speaker phrase ends: punctuation, إن/أن, or a circumstance.
_AR_SPEAKER_END = re.compile(
    r"[:،,.]|\s(?:إن|أن|بأن|إنه|أنه)(?:\s|$)|\s(?:في|خلال|عبر|أمام)\s+(?:تصريح|تصريحات|بيان|مؤتمر|حديث|مقابلة|إفادة|كلمة|رسالة|تغريدة|منشور|زيارة|اجتماع|جلسة)"
    r"|\s(?:خلال|يوم|الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأسبوع|أمس|اليوم)(?:\s|$)"
)
_EN_VERBS = (
    r"said|says|added|told|warned|stated|declared|insisted|noted|wrote|explained|argued|asked"
)
_EN_NAME = r"(?:[A-Z](?:\.|[\w'’-]+))(?:\s+(?:[A-Z](?:\.|[\w'’-]+)|of|the|for|bin))*"
_EN_BEFORE = re.compile(
    rf"(?P<speaker>{_EN_NAME}|[Hh]e|[Ss]he|[Tt]hey|[Aa]n? [a-z ]*?(?:official|spokesperson|spokesman|spokeswoman|minister|diplomat|source))"
    rf"\s+(?:{_EN_VERBS})(?:\s+[\w-]+){{0,4}}\s*[:,]?\s*$"
)
_EN_AFTER = re.compile(
    rf"^[,.]?\s*(?:(?:{_EN_VERBS})\s+(?P<s1>{_EN_NAME})|(?P<s2>{_EN_NAME}|he|she|they)\s+(?:{_EN_VERBS}))"
)
_PRONOUNS = {"he", "she", "they"}
# A short quoted phrase right after these is a name or a source, not speech:
# «بحسب "أسوشيتد برس"», «أمين عام "الناتو"», 'the so-called "special operation"'.
_NAME_CUE = re.compile(
    r"(?:بحسب|حسب|وفق|وفقاً|وفقا|عام|منظمة|حركة|حزب|وكالة|صحيفة|شبكة|عملية|قناة|موقع"
    r"|according to|so-called|dubbed|called|named|titled|operation|newspaper|agency)\s*$",
    re.IGNORECASE,
)


def find(text: str, lang: str) -> list[Quote]:
    """Direct quotes of `text` in reading order.

    >>> [(q.speaker, q.text) for q in find('قال روته: "سيحدث ذلك قريباً".', "ar")]
    [('روته', 'سيحدث ذلك قريباً')]
    """
    found: list[Quote] = []
    last_speaker: str | None = None
    for match in _QUOTED.finditer(text):
        group = next(i for i in (1, 2, 3) if match[i] is not None)
        words, start, end = match[group].strip(), match.start(group), match.end(group)
        # Keep offsets on the stripped words.
        start += match[group].index(words[:1]) if words else 0
        end = start + len(words)
        paragraph_start = text.rfind("\n", 0, match.start()) + 1
        before = text[paragraph_start : match.start()]
        after_end = text.find("\n", match.end())
        after = text[match.end() : after_end if after_end != -1 else len(text)]
        if lang == "ar":
            has_verb, speaker = _speaker_ar(before)
        else:
            has_verb, speaker = _speaker_en(before, after)
        short = len(words.split()) <= 3
        if short and _NAME_CUE.search(before):
            continue
        if not has_verb:
            if len(words.split()) < 6:
                continue  # a scare quote, a title or a term
            speaker = None
        if speaker and speaker.lower() in _PRONOUNS:
            speaker = last_speaker or speaker
        if speaker is None and has_verb:
            speaker = last_speaker  # «وتابع: "…"» carries the speaker over
        if speaker:
            last_speaker = speaker
        if text[start:end] != words:
            continue  # never keep words that are not verbatim in the article
        found.append(Quote(text=words, speaker=speaker, direct=True, start=start, end=end))
    return found


def _speaker_ar(before: str) -> tuple[bool, str | None]:
    verbs = list(_AR_VERB.finditer(before))
    if not verbs:
        return False, None
    tail = before[verbs[-1].end() :]
    cut = _AR_SPEAKER_END.search(tail)
    speaker = (tail[: cut.start()] if cut else tail).strip(" \t:،")
    if not speaker or len(speaker.split()) > 8:
        return True, None
    return True, speaker


def _speaker_en(before: str, after: str) -> tuple[bool, str | None]:
    found = _EN_BEFORE.search(before)
    if found:
        return True, found["speaker"].strip()
    found = _EN_AFTER.search(after)
    if found:
        return True, (found["s1"] or found["s2"]).strip()
    if re.search(rf"\b(?:{_EN_VERBS})\b[^.]*$", before):
        return True, None
    return False, None
