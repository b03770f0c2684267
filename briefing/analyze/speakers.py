"""Speakers: splitting a role from a name, and resolving names within an article.

"Defense Secretary Lloyd Austin" is Lloyd Austin with the role Defense
Secretary; "وزير الخارجية أيمن الصفدي" is أيمن الصفدي, وزير الخارجية. A
later "Austin" or "أوستن" is the fullest name the article gives for it, and
a bare role ("وتابع وزير الدفاع الأميركي") is the person it introduced.
"""

from __future__ import annotations

import re

from briefing.analyze.arabic import fold

_EN_ROLES = {
    "president",
    "prime",
    "minister",
    "secretary",
    "general",
    "secretary-general",
    "defense",
    "defence",
    "foreign",
    "interior",
    "finance",
    "health",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "executive",
    "governor",
    "ambassador",
    "envoy",
    "king",
    "queen",
    "crown",
    "prince",
    "emir",
    "sheikh",
    "senator",
    "representative",
    "rep.",
    "gov.",
    "sen.",
    "dr",
    "dr.",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "director",
    "commander",
    "lieutenant",
    "colonel",
    "major",
    "captain",
    "admiral",
    "deputy",
    "vice",
    "chairman",
    "chair",
    "ceo",
    "head",
    "mayor",
    "judge",
    "justice",
    "attorney",
    "leader",
    "premier",
    "chancellor",
    "pope",
    "officer",
    "national",
    "security",
    "adviser",
    "advisor",
    "state",
    "us",
    "u.s.",
    "un",
    "nato",
    "who",
    "eu",
}
_AR_ROLE_STARTS = (
    "وزير",
    "وزيرة",
    "رئيس",
    "رئيسة",
    "المتحدث",
    "المتحدثة",
    "الناطق",
    "الناطقة",
    "متحدث",
    "ممثل",
    "ممثلة",
    "محافظ",
    "والي",
    "أمين",
    "الأمين",
    "سفير",
    "السفير",
    "سفيرة",
    "نائب",
    "نائبة",
    "مدير",
    "مديرة",
    "المدير",
    "قائد",
    "القائد",
    "زعيم",
    "الرئيس",
    "الرئيسة",
    "الوزير",
    "الملك",
    "الأمير",
    "ولي",
    "مندوب",
    "المندوب",
    "مبعوث",
    "المبعوث",
    "عضو",
    "مستشار",
    "المستشار",
    "رئيس الوزراء",
    "العاهل",
    "الشيخ",
    "اللواء",
    "العميد",
)
_AR_PREPOSITIONS = {"في", "من", "عن", "على", "إلى", "لدى", "مع", "ب", "باسم"}
# Words that stand before a surname without being a first name: verbs, particles, roles.
_AR_NOT_FIRST_NAME = re.compile(
    r"^(?:قال|قالت|أضاف|أضافت|أوضح|أوضحت|تابع|تابعت|أكد|أكدت|أشار|أشارت|اعتبر|اعتبرت|وصف|وصفت|أعلن|أعلنت"
    r"|حذر|حذرت|صرح|ذكر|كشف|شدد|رأى|يرى|لكن|إن|أن|كان|كانت|فيما|بينما|وزير|رئيس|عام|أمين|مسؤول|ممثلة|ممثل)$"
)
_AR_NOT_NAMES = {
    "الولايات",
    "المتحدة",
    "كوريا",
    "الجنوبية",
    "الشمالية",
    "الأمم",
    "روسيا",
    "أوكرانيا",
    "الناتو",
}


def split_role(phrase: str, lang: str) -> tuple[str, str | None]:
    """(name or the phrase itself, role or None).

    >>> split_role("Defense Secretary Lloyd Austin", "en")
    ('Lloyd Austin', 'Defense Secretary')
    >>> split_role("وزير الخارجية أيمن الصفدي", "ar")
    ('أيمن الصفدي', 'وزير الخارجية')
    """
    phrase = phrase.strip(" ,،:")
    if lang == "ar":
        return _split_ar(phrase)
    return _split_en(phrase)


def _split_en(phrase: str) -> tuple[str, str | None]:
    # Appositive: "the authority's chief executive, Khalid Al-Rashed" / "Karim Haddad, a civil defence officer"
    parts = [p.strip() for p in phrase.split(",") if p.strip()]
    if len(parts) == 2:
        first, second = parts
        if _is_name_en(second) and not _is_name_en(first):
            return second, first
        if _is_name_en(first) and not _is_name_en(second):
            return first, second
    words = phrase.split()
    if len(words) >= 3 and words[0].lower() in _EN_ROLES:
        last_role = max(i for i, w in enumerate(words) if w.lower().strip(".,") in _EN_ROLES)
        name = words[last_role + 1 :]
        if name and _is_name_en(" ".join(name)):
            return " ".join(name), " ".join(words[: last_role + 1])
    return phrase, None


def _is_name_en(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 4
        and all(w[:1].isupper() or _NAME_PARTICLE.match(w) for w in words)
        and words[0].lower() not in _EN_ROLES | {"the", "a", "an"}
    )


_NAME_PARTICLE = re.compile(r"^(?:al|el|bin|ibn|abu|de|van|von|da|di|le)(?:-|$)")


def _split_ar(phrase: str) -> tuple[str, str | None]:
    words = phrase.split()
    joined = " ".join(words)
    # «ووزير الخارجية …»: a leading conjunction و is not part of the role.
    if joined.startswith("و") and any(joined[1:].startswith(start) for start in _AR_ROLE_STARTS):
        joined = joined[1:]
    if len(words) < 3 or not any(joined.startswith(start) for start in _AR_ROLE_STARTS):
        return phrase, None
    name = words[-2:]
    before = words[-3]
    if (
        before in _AR_PREPOSITIONS
        or name[0] in _AR_PREPOSITIONS
        or name[0].startswith("ال")
        or any(w in _AR_NOT_NAMES for w in name)
    ):
        return phrase, None
    return " ".join(name), " ".join(words[:-2])


def resolve(speaker: str | None, text: str, lang: str, known_roles: dict[str, str]) -> str | None:
    """The fullest form of `speaker` in the article: a surname gets its first name, a role its person."""
    if not speaker:
        return speaker
    key = fold(speaker).casefold()
    if key in known_roles:
        return known_roles[key]
    if len(speaker.split()) != 1:
        return speaker
    word = re.escape(speaker)
    if lang == "ar":
        match = re.search(rf"(?:^|\s)([^\s،.:«»\"()]+)\s+{word}(?=[\s،.:]|$)", text)
        if (
            match
            and match[1] not in _AR_PREPOSITIONS
            and not match[1].startswith(("ال", "و", "ف"))
            and not _AR_NOT_FIRST_NAME.match(match[1])
        ):
            return f"{match[1]} {speaker}"
        return speaker
    match = re.search(rf"\b([A-Z][a-z'’.-]+)\s+{word}\b", text)
    if match and match[1].lower() not in _EN_ROLES | {
        "the",
        "a",
        "an",
        "said",
        "and",
        "but",
        "as",
        "if",
    }:
        return f"{match[1]} {speaker}"
    return speaker


def roles_in(text: str, lang: str, names: list[str]) -> dict[str, str]:
    """Roles that introduce a known name in the text: {folded role: name}."""
    found: dict[str, str] = {}
    for name in names:
        if len(name.split()) < 2:
            continue
        position = text.find(name)
        while position != -1:
            clause = re.split(r"[\n.،:\"«»]", text[max(0, position - 80) : position])[-1].split()
            for skip in range(
                len(clause)
            ):  # "قال وزير الدفاع الأميركي": the role starts after the verb
                person, role = split_role(" ".join([*clause[skip:], name]), lang)
                if person == name and role:
                    found.setdefault(fold(role).casefold(), name)
                    break
            position = text.find(name, position + len(name))
    return found
