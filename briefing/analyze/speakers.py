"""Speakers: splitting a role from a name, and resolving names within an article.

"Defense Secretary Lloyd Austin" is Lloyd Austin with the role Defense
Secretary; "وزير الخارجية أيمن الصفدي" is أيمن الصفدي, وزير الخارجية. A
later "Austin" or "أوستن" is the fullest name the article gives for it, and
a bare role ("وتابع وزير الدفاع الأميركي") is the person it introduced.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.analyze import entities
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
AR_ROLE_STARTS = (
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
    "حاكم",
    "الحاكم",
    "القيادي",
    "قيادي",
    "مستشارة",
    "المستشارة",
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
    r"|حذر|حذرت|صرح|ذكر|كشف|شدد|رأى|يرى|لكن|إن|أن|كان|كانت|فيما|بينما|وزير|رئيس|عام|أمين|مسؤول|ممثلة|ممثل"
    r"|كتب|كتبت|دعا|دعت|ندد|اتهم|أعرب|طالب|أشاد|حث|أردف|ختم|علق|أكمل|نقل|نقلت|أفاد|أفادت"
    r"|يدعى|تدعى|اسمه|اسمها|يقول|تقول|يضيف|تضيف|قائلا|قائلة)$"
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


@lru_cache(maxsize=4096)
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
    honorific = re.match(r"^(?:Mr|Mrs|Ms|Dr|Mr\.|Mrs\.|Ms\.|Dr\.)\s+([A-Z][\w'’-]+)$", phrase)
    if honorific:  # "Mr Carter": the surname, to be given its first name
        return honorific[1], None
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
    # "Defense Secretary Lloyd Austin", "The island's newly elected President Ana Ruiz".
    roles = [i for i, w in enumerate(words) if w.lower().strip(".,") in _EN_ROLES]
    if (
        len(words) >= 3
        and roles
        and (words[0].lower() in _EN_ROLES or words[roles[-1]][:1].isupper())
    ):
        name = words[roles[-1] + 1 :]
        if name and _is_name_en(" ".join(name)) and name[-1].lower() not in _EN_BODIES:
            return " ".join(name), " ".join(words[: roles[-1] + 1])
    # "the delegate Omar Said", "aviation consultant X": a common noun right before the name.
    start = len(words)
    while start > 0 and (words[start - 1][:1].isupper() or _NAME_PARTICLE.match(words[start - 1])):
        start -= 1
    if (
        0 < start < len(words)
        and start <= 4
        and words[start - 1][:1].islower()
        and not _NAME_PARTICLE.match(words[start - 1])
        and not any(w.lower() in {"of", "for", "and", "to", "with", "by"} for w in words[:start])
        and any(w.lower() not in {"the", "a", "an"} for w in words[:start])
        and words[-1].lower() not in _EN_BODIES
        and _is_name_en(" ".join(words[start:]))
        and len(words) - start >= 2
    ):
        return " ".join(words[start:]), " ".join(words[:start])
    return phrase, None


# "the Interior Ministry" is a body, not a ministry called "Ministry".
_EN_BODIES = {
    "ministry",
    "office",
    "court",
    "council",
    "department",
    "agency",
    "army",
    "military",
    "police",
    "government",
    "party",
    "commission",
    "committee",
    "house",
    "embassy",
    "forces",
    "service",
    "command",
}


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
    if joined.startswith("و") and any(joined[1:].startswith(start) for start in AR_ROLE_STARTS):
        joined = joined[1:]
    if len(words) < 3:
        return phrase, None
    if not any(joined.startswith(start) for start in AR_ROLE_STARTS):
        return _split_descriptor_ar(words) or (phrase, None)
    name = words[-2:]
    before = words[-3]
    if (
        before in _AR_PREPOSITIONS
        or name[0] in _AR_PREPOSITIONS
        or name[0].startswith("ال")
        or any(w in _AR_NOT_NAMES for w in name)
    ):
        return phrase, None
    # «رئيس الوزراء الماليزي أحمد زاهد حميدي», «نائب الرئيس الأمير علي بن عمر»: a name of
    # three or four words runs back to the end of the role (a definite word or a title).
    start = len(words) - 2
    while start > 1 and len(words) - start < 4:
        previous, earlier = words[start - 1], words[start - 2]
        if (
            previous.startswith(("ال", "و", "لل", "بال"))
            or previous in _AR_PREPOSITIONS
            or _is_place_ar(previous)
            or starts_with_role(previous)
            or _is_known_after_prefix(previous)  # «القيادي بحماس …»: "in Hamas", not a name
        ):
            break
        if (
            not (earlier.startswith("ال") or starts_with_role(earlier) or words[start] in _AR_KIN)
            and previous not in _AR_KIN
        ):
            break
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def _split_descriptor_ar(words: list[str]) -> tuple[str, str] | None:
    """«المحامي خالد يوسف», «الباحثة في الشؤون الأفريقية منى عبد الفتاح»: a definite descriptor, then a name."""
    if not words[0].startswith("ال") or any(w in {"عن", "من"} for w in words):
        return None
    start = len(words) - 2
    while start > 1 and len(words) - start < 4:
        previous, earlier = words[start - 1], words[start - 2]
        if previous.startswith(("ال", "و", "ل", "ب")) or previous in _AR_PREPOSITIONS:
            break
        if not earlier.startswith("ال") and words[start] not in _AR_KIN and previous not in _AR_KIN:
            break
        start -= 1
    name = words[start:]
    if (
        start < 1
        or not words[start - 1].startswith("ال")
        or name[0].startswith(("ال", "ل", "ب", "و", "ف"))
        or name[0] in _AR_PREPOSITIONS
        or any(w in _AR_NOT_NAMES for w in name)
        or _is_place_ar(name[0])
        or not is_name(" ".join(name), "ar")
    ):
        return None
    return " ".join(name), " ".join(words[:start])


_AR_KIN = {"بن", "ابن", "بنت", "أبو", "أبي", "أم", "عبد"}


def _is_known_after_prefix(word: str) -> bool:
    return word[:1] in "بل" and fold(word[1:]).casefold() in entities.gazetteer()


def _is_place_ar(word: str) -> bool:
    hit = entities.gazetteer().get(fold(word).casefold())
    return bool(hit) and hit[1] == "place"


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
        # The first place the article gives the surname a first name («وأضاف كاتس» gives none).
        for match in re.finditer(rf"(?:^|\s)([^\s،.:«»\"“”()]+)\s+{word}(?=[\s،.:]|$)", text):
            first = match[1]
            if (
                first not in _AR_PREPOSITIONS
                and not first.startswith(("ال", "و", "ف"))
                and not _AR_NOT_FIRST_NAME.match(first)
                and not _AR_ROLE_WORD.match(first)
            ):
                return f"{first} {speaker}"
        return speaker
    for match in re.finditer(rf"\b([A-Z][a-z'’-]+\.?)[ \t]+{word}\b", text):
        if match[1].lower().rstrip(".") not in _EN_ROLES | {
            "the",
            "a",
            "an",
            "said",
            "and",
            "but",
            "as",
            "if",
            "mr",
            "mrs",
            "ms",
            "dr",
            "when",
            "while",
            "after",
        }:
            return f"{match[1]} {speaker}"
    return speaker


_AR_ROLE_WORD = re.compile(
    r"^(?:وزير|وزيرة|رئيس|رئيسة|الرئيس|الرئيسة|الوزير|المستشار|الأمير|الملك|الشيخ|السيد|السيدة"
    r"|الدكتور|د\.|النائب|القائد|الجنرال|اللواء|العميد)$"
)


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


def is_name(text: str, lang: str) -> bool:
    """Whether `text` looks like a proper name (of a person or a body), not a role or a clause."""
    words = text.split()
    if not 1 <= len(words) <= 5:
        return False
    if lang != "ar":
        return _is_name_en(text)
    if starts_with_role(text):
        return False
    return not (
        words[0] in _AR_PREPOSITIONS
        or _AR_NOT_FIRST_NAME.match(words[0])
        or (words[0].startswith("ال") and len(words) == 1)
    )


# Words that open the name of a body or of an unnamed source, not a person's name: «وزارة
# الداخلية», «تقارير إعلامية», «فصائل المعارضة», «مصادر مطلعة».
_AR_NOT_PEOPLE = frozenset(
    fold(word)
    for word in (
        # unnamed sources, singular, feminine and plural
        "مسؤول",
        "مسؤولة",
        "مسؤولون",
        "مسؤولين",
        "دبلوماسي",
        "دبلوماسيون",
        "دبلوماسيين",
        "مصدر",
        "مصادر",
        "متحدث",
        "متحدثة",
        "ناطق",
        "ناطقة",
        "خبير",
        "خبراء",
        "محلل",
        "محللون",
        "شاهد",
        "شهود",
        "سكان",
        "ناشط",
        "ناشطون",
        "ناشطين",
        # roles before a name or alone
        "وزير",
        "وزيرة",
        "رئيس",
        "رئيسة",
        "نائب",
        "سفير",
        "سفيرة",
        "محافظ",
        "ممثل",
        "ممثلة",
        # bodies
        "وزارة",
        "شرطة",
        "تقارير",
        "تقرير",
        "فصائل",
        "معارضة",
        "حزب",
        "وكالة",
        "إذاعة",
        "هيئة",
        "وسائل",
        "قوات",
        "جيش",
        "مجلس",
        "حكومة",
        "رئاسة",
        "مكتب",
        "صحيفة",
        "قناة",
        "موقع",
        "منظمة",
        "جماعة",
        "حركة",
        "لجنة",
        "محكمة",
        "سلطات",
        "بيان",
        "كتائب",
        "سرايا",
        "شركة",
        "إدارة",
        "مستشفى",
        "سفارة",
        "بلدية",
        "نقابة",
        "مركز",
        "بنك",
    )
)


_OWNER = re.compile(r"^\S+['’]s\s+")  # "Russia's Vladimir Putin"


def person_name(speaker: str, lang: str) -> str | None:
    """The person's name a speaker gives (Mark Rutte, «مارك روته»; Vladimir Putin in "Russia's
    Vladimir Putin"), or None for a body, a role or an unnamed source ("Freedonia's Electoral
    Court", «وزارة الداخلية», «تقارير إعلامية», «مسؤولون إسرائيليون»).

    >>> person_name("Russia's Vladimir Putin", "en"), person_name("The Interior Ministry", "en")
    ('Vladimir Putin', None)
    >>> person_name("مارك روته", "ar"), person_name("وزارة الداخلية", "ar")
    ('مارك روته', None)
    """
    name = _OWNER.sub("", speaker) if lang != "ar" else speaker
    words = name.split()
    if not 2 <= len(words) <= 4:
        return None
    if lang != "ar":
        person = (
            _is_name_en(name)
            and not any(w.lower().strip(".,") in _EN_BODIES for w in words)
            and not any(
                w.endswith(("'s", "’s", ",")) or (len(w) > 3 and w.endswith(".")) for w in words
            )
        )
        return name if person else None
    first = fold(words[0])
    body = (
        words[0].startswith("ال")  # not أل/إل: «إلون ماسك», «ألكسندر لوكاشينكو»
        or first in _AR_NOT_PEOPLE
        or (first.startswith("و") and first[1:] in _AR_NOT_PEOPLE)
    )
    return None if body else name


def starts_with_role(phrase: str) -> bool:
    """Whether an Arabic phrase opens with a role word («وزير», «الرئيس», «والمتحدث»), as a whole word."""
    words = phrase.split()
    if not words:
        return False
    first = words[0]
    forms = {first, first.removeprefix("و")}
    return any(form in AR_ROLE_STARTS for form in forms)
