"""People, places and organisations, in Arabic and English, and the same name across scripts.

Places come from Babel's CLDR data (country names and the cities of the
time-zone database, in Arabic and English) and the short names news uses
for countries (السعودية, U.S.), organisations from a curated list
with their Arabic names, people from the speakers the quote finder named.
Every entity is reported under one name, the English one where the
gazetteer knows it, so «الناتو» and "NATO" are one entity. `skeleton` maps
a transliterated name to its consonants, so Austin = أوستن and Rutte = روته.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.analyze.arabic import fold
from briefing.models import Entity, Quote

# English name: Arabic names and abbreviations.
_ORGANISATIONS = {
    "NATO": ["الناتو", "حلف شمال الأطلسي", "حلف الناتو", "North Atlantic Treaty Organization"],
    "United Nations": ["الأمم المتحدة", "UN", "U.N."],
    "UN Security Council": ["مجلس الأمن", "مجلس الأمن الدولي", "Security Council"],
    "World Health Organization": ["منظمة الصحة العالمية", "الصحة العالمية", "WHO"],
    "World Food Programme": ["برنامج الأغذية العالمي", "الأغذية العالمي", "WFP"],
    "European Union": ["الاتحاد الأوروبي", "EU"],
    "OPEC": ["أوبك", "OPEC+", "أوبك بلس", "أوبك+"],
    "Arab League": ["الجامعة العربية", "جامعة الدول العربية"],
    "African Union": ["الاتحاد الأفريقي"],
    "International Monetary Fund": ["صندوق النقد الدولي", "IMF"],
    "World Bank": ["البنك الدولي"],
    "Red Cross": ["الصليب الأحمر", "ICRC"],
    "Red Crescent": ["الهلال الأحمر"],
    "Hezbollah": ["حزب الله"],
    "Hamas": ["حماس", "حركة حماس"],
    "Pentagon": ["البنتاغون", "البنتاجون"],
    "Kremlin": ["الكرملين"],
    "White House": ["البيت الأبيض"],
    "Gulf Cooperation Council": ["مجلس التعاون الخليجي", "GCC"],
    "Reuters": ["رويترز", "وكالة رويترز"],
    "Associated Press": ["أسوشيتد برس", "AP"],
    "CNN": ["سي إن إن"],
    "International Atomic Energy Agency": ["الوكالة الدولية للطاقة الذرية", "IAEA"],
    "UNRWA": ["الأونروا", "وكالة الأونروا"],
    "UNICEF": ["اليونيسف", "يونيسف"],
    "UNHCR": ["مفوضية اللاجئين", "مفوضية الأمم المتحدة للاجئين"],
    "UNESCO": ["اليونسكو"],
    "International Criminal Court": ["المحكمة الجنائية الدولية", "الجنائية الدولية"],
    "International Court of Justice": ["محكمة العدل الدولية", "العدل الدولية", "ICJ"],
    "Amnesty International": ["منظمة العفو الدولية", "العفو الدولية"],
    "Human Rights Watch": ["هيومن رايتس ووتش"],
    "FIFA": ["الفيفا", "فيفا", "الاتحاد الدولي لكرة القدم"],
    "International Olympic Committee": ["اللجنة الأولمبية الدولية"],
    "ASEAN": ["آسيان"],
    "BRICS": ["بريكس", "مجموعة بريكس"],
    # Armed and political groups, by the names news gives them (طالبان alone is also
    # "two students", الحوثي alone a family name: only the unambiguous forms).
    "Houthis": ["الحوثيين", "الحوثيون", "جماعة الحوثي", "Houthi"],
    "Islamic State": ["داعش", "تنظيم داعش", "تنظيم الدولة الإسلامية", "ISIS", "ISIL"],
    "Taliban": ["حركة طالبان"],
    "Hayat Tahrir al-Sham": ["هيئة تحرير الشام"],
}
# Places whose usual Arabic spelling differs from CLDR's, or that CLDR lacks.
_PLACES = {
    "Pyongyang": ["بيونج يانج", "بيونغيانغ", "بيونغ يانغ"],
    "Kyiv": ["كييف", "Kiev"],
    "Kursk": ["كورسك"],
    "Gaza": ["غزة", "قطاع غزة", "Gaza Strip"],
    "West Bank": ["الضفة الغربية"],
    "Beirut": ["بيروت"],
    "Amman": ["العاصمة الأردنية عمان"],
    "Tyre": ["مدينة صور"],  # «صور» alone is "pictures"
    "Kassala": ["كسلا"],
    "Basra": ["البصرة"],
    "Jubail": ["الجبيل"],
    "Elazig": ["إلازيغ"],
    "Latakia": ["اللاذقية"],
    "Deir al-Balah": ["دير البلح"],
    "Kerem Shalom": ["كرم أبو سالم"],
    "Far East": ["الشرق الأقصى"],
    "Indo-Pacific": ["المحيطين الهندي والهادئ"],
    # Regions, seas and straits in the news that are neither countries nor cities; only
    # the forms nothing else shares (not «الجولان» alone, Maghrebi for "movement", as in
    # «حظر الجولان»; not "Golan", a family name; not "Sinai", as in Mount Sinai Hospital).
    "Golan Heights": ["هضبة الجولان", "مرتفعات الجولان"],
    "Sinai Peninsula": ["سيناء", "شبه جزيرة سيناء"],
    "Crimea": ["القرم", "شبه جزيرة القرم"],
    "Donbas": ["دونباس", "Donbass"],
    "Kashmir": ["كشمير"],
    "Darfur": ["دارفور"],
    "Tigray": ["تيغراي"],
    "Red Sea": ["البحر الأحمر"],
    "Strait of Hormuz": ["مضيق هرمز"],
    "Bab el-Mandeb": ["باب المندب", "مضيق باب المندب"],
    "South China Sea": ["بحر الصين الجنوبي"],
}
# The names news uses for countries, where CLDR gives only the formal one (المملكة العربية
# السعودية, not السعودية) or an annotated one (Myanmar (Burma)): keyed by CLDR's English name,
# which stays the entity's name. (Hong Kong and the Vatican are time-zone cities already.)
_COUNTRIES = {
    "Saudi Arabia": ["السعودية", "المملكة السعودية"],
    "United Arab Emirates": ["الإمارات", "دولة الإمارات", "UAE", "U.A.E."],
    "United Kingdom": ["بريطانيا", "UK", "U.K.", "Britain", "Great Britain"],
    "United States": ["أمريكا", "أميركا", "US", "U.S.", "USA", "U.S.A."],
    "Türkiye": ["Turkey"],
    "Palestinian Territories": ["فلسطين", "Palestine"],
    "Myanmar (Burma)": ["ميانمار", "Myanmar", "Burma"],
    "Congo - Kinshasa": [
        "الكونغو الديمقراطية",
        "Democratic Republic of the Congo",
        "Democratic Republic of Congo",
        "DR Congo",
        "DRC",
    ],
    "Congo - Brazzaville": ["Republic of the Congo", "Republic of Congo", "الكونغو برازافيل"],
    "Bosnia & Herzegovina": ["Bosnia and Herzegovina", "Bosnia"],
    "Czechia": ["Czech Republic"],
    "Côte d’Ivoire": ["Ivory Coast", "Côte d'Ivoire"],
    "Oman": ["سلطنة عمان"],  # «عمان» alone is Oman or Amman: one spelling once folded
    "Mali": ["جمهورية مالي", "دولة مالي"],  # «مالي» alone is mostly "financial"
    "Benin": ["جمهورية بنين"],  # «بنين» alone is also "boys"
}
# Forms CLDR gives that news mostly uses for something else, so never a name on their own:
# Arabic words (ترك "left", نوم "sleep", العيون "the eyes", مالي "financial", ديلي as in
# «ديلي ميل», ماهي "what is", كريسماس Christmas, not the island), a folded spelling two places
# share (عمان), بنين "boys", أورال the Urals, people's names before they are small towns
# (Stanley, Regina, Dawson), "Oral" opening "Oral arguments".
_NOT_ALONE = frozenset(
    {
        "ترك",
        "نوم",
        "العيون",
        "مالي",
        "عمان",
        "ديلي",
        "ماهي",
        "كريسماس",
        "سمراء",
        "سنتر",
        "بلم",
        "جوني",
        "كانتون",
        "جيرسي",
        "بنين",
        "اورال",
        "ريجينا",
        "استانلي",
        "داوسان",
        "ريزولوت",
        "كريستون",
        "oral",
        "stanley",
        "regina",
        "dawson",
        "resolute",
        "creston",
        "jersey",
    }
)
# Abbreviations that, written as a word, are a common word ("Who will pay?", "Give us"):
# read only in capitals.
_CAPITALS_ONLY = frozenset({"who", "us"})
_POSSESSIVE = re.compile(r"['’]s$")
# Names the article never precedes: «الحماس» is "the enthusiasm", not Hamas.
_NEVER_WITH_ARTICLE = frozenset({"حماس"})
_AR_PREFIXES = ("وال", "بال", "ولل", "لل", "فال", "كال", "ال", "وب", "ول", "و", "ب", "ل", "ف")
# The clitics that carry the article (لل = ل + ال): «الحماس», «بالحماس», «للحماس».
ARTICLE_PREFIXES = tuple(p for p in _AR_PREFIXES if "ال" in p or p.endswith("لل"))

# Arabic letters and Latin letters to shared consonant classes (vowels and weak letters dropped).
_AR_SKELETON = str.maketrans(
    {
        "ب": "b",
        "ت": "t",
        "ث": "s",
        "ج": "j",
        "ح": "h",
        "خ": "k",
        "د": "d",
        "ذ": "z",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "s",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "ع": "",
        "غ": "g",
        "ف": "f",
        "ق": "k",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "",
        "ة": "",
        "و": "",
        "ي": "",
        "ى": "",
        "ا": "",
        "أ": "",
        "إ": "",
        "آ": "",
        "ء": "",
        "ئ": "",
        "ؤ": "",
        "پ": "b",
        "ڤ": "f",
        "گ": "g",
        " ": " ",
    }
)
_LATIN_CLASSES = str.maketrans(
    {
        "p": "b",
        "v": "f",
        "c": "k",
        "q": "k",
        "x": "k",
        "g": "j",
        "y": "",
        "w": "",
        "h": "",
        "a": "",
        "e": "",
        "i": "",
        "o": "",
        "u": "",
        "'": "",
        "-": " ",
    }
)


@lru_cache(maxsize=8192)
def skeleton(name: str) -> str:
    """The consonant skeleton of a name, comparable across Arabic and Latin script.

    >>> skeleton("Lloyd Austin") == skeleton("لويد أوستن")
    True
    """
    if re.search(r"[\u0600-\u06FF]", name):
        text = fold(name).translate(_AR_SKELETON)
    else:
        text = (
            name.casefold()
            .replace("th", "t")
            .replace("ph", "f")
            .replace("sh", "s")
            .replace("ch", "s")
        )
        text = text.translate(_LATIN_CLASSES)
    text = text.replace("g", "j")
    words = [re.sub(r"(.)\1+", r"\1", w) for w in re.findall(r"[a-z]+", text)]
    return " ".join(w for w in words if w)


def same_name(a: str, b: str) -> bool:
    """Whether two names, in any script, are the same name (Rutte = روته, Pyongyang = بيونغ يانغ)."""
    if fold(a).casefold() == fold(b).casefold():
        return True
    left, right = skeleton(a), skeleton(b)
    return bool(left) and (left == right or left.replace(" ", "") == right.replace(" ", ""))


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, str]]:
    """{folded name: (canonical English name, kind)} for places and organisations."""
    from babel import Locale
    from babel.dates import get_timezone_location

    entries: dict[str, tuple[str, str]] = {}
    english, arabic = Locale("en"), Locale("ar")
    for code, name in english.territories.items():
        if len(code) != 2 or not code.isalpha():
            continue
        for variant in (name, arabic.territories.get(code)):
            if variant:
                entries.setdefault(fold(variant).casefold(), (name, "place"))
    import zoneinfo

    # Not Antarctica's research stations (Davis, Casey, Troll): surnames and words in news.
    for zone in sorted(zoneinfo.available_timezones()):
        if "/" not in zone or zone.startswith(
            ("Etc/", "SystemV/", "US/", "Canada/", "Antarctica/")
        ):
            continue
        try:
            city = get_timezone_location(zone, locale="en", return_city=True)
            city_ar = get_timezone_location(zone, locale="ar", return_city=True)
        except (LookupError, ValueError, KeyError):
            continue
        for variant in (city, city_ar):
            if variant and len(variant) > 2:
                entries.setdefault(fold(variant).casefold(), (city, "place"))
    for name, variants in (*_PLACES.items(), *_COUNTRIES.items()):
        for variant in (name, *variants):
            entries[fold(variant).casefold().rstrip(".")] = (name, "place")
    for name, variants in _ORGANISATIONS.items():
        for variant in (name, *variants):
            entries[fold(variant).casefold().rstrip(".")] = (name, "organisation")
    for form in _NOT_ALONE:
        entries.pop(form, None)
    return entries


def find(text: str, lang: str, quotes: tuple[Quote, ...] = ()) -> list[Entity]:
    """Entities of `text`: places and organisations from the gazetteer, people from the speakers."""
    names = gazetteer()
    words = _words(fold(text).casefold() if lang == "ar" else text)
    found: dict[str, Entity] = {}
    i = 0
    while i < len(words):
        longest = _longest_from(words[i], lang)
        for size in range(longest, 0, -1):
            chunk = words[i : i + size]
            if len(chunk) < size:
                continue
            hit = _lookup(chunk, lang, names)
            if hit:
                found.setdefault(hit[0], Entity(text=hit[0], kind=hit[1]))
                i += size - 1
                break
        i += 1
    from briefing.analyze.speakers import person_name  # speakers reads the gazetteer

    for quote in quotes:
        person = quote.speaker and person_name(quote.speaker, lang)
        if (
            person
            and fold(person).casefold() not in names
            and not any(same_name(person, e.text) for e in found.values())
        ):
            found[person] = Entity(text=person, kind="person")
    return list(found.values())


@lru_cache(maxsize=1)
def _first_words() -> dict[str, int]:
    """{first word of a gazetteer name: words in the longest name it begins}."""
    longest: dict[str, int] = {}
    for key in gazetteer():
        words = key.split()
        if words and words == _words(key):  # not "st. helena, …": no text reads as that
            longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


def _words(text: str) -> list[str]:
    """The words find() reads: letters, digits and . + ' -, without a final dot."""
    return [w.rstrip(".") for w in re.findall(r"[\w.+'-]+", text)]


@lru_cache(maxsize=65536)
def _longest_from(word: str, lang: str) -> int:
    """Words in the longest gazetteer name that may begin with this word, 0 if none: a cheap
    test before the n-gram lookups, and the longest read there ("Democratic Republic of the
    Congo", not "Republic of the Congo", another country).

    Cached: news repeats its words, and a text's thousand words are a few hundred forms.
    """
    starts = _first_words()
    if lang != "ar":
        forms = [fold(word).casefold(), fold(_POSSESSIVE.sub("", word)).casefold()]
    else:
        forms = [word] + [
            word[len(p) :] for p in _AR_PREFIXES if word.startswith(p) and len(word) > len(p) + 1
        ]
        forms += ["ال" + f for f in forms]
    return max(starts.get(f, 0) for f in forms)


def _lookup(chunk: list[str], lang: str, names: dict) -> tuple[str, str] | None:
    phrase = " ".join(chunk)
    if lang == "ar":
        candidates = [phrase] + [
            phrase[len(p) :]
            for p in _AR_PREFIXES
            if phrase.startswith(p)
            and len(phrase) > len(p) + 2
            and not (p in ARTICLE_PREFIXES and phrase[len(p) :] in _NEVER_WITH_ARTICLE)
        ]
        candidates += ["ال" + c for c in list(candidates) if not c.startswith("ال")]
        for candidate in candidates:
            if candidate in names:
                return names[candidate]
        return None
    if not phrase[:1].isupper() and phrase not in ("UN", "EU"):
        return None
    bare = _POSSESSIVE.sub("", phrase)  # Israel's, WHO's, Who's
    if fold(bare).casefold() in _CAPITALS_ONLY and not bare.isupper():
        return None
    # The whole word first: "Hamas" is not "Hama" with an s.
    return names.get(fold(phrase).casefold()) or names.get(fold(bare).casefold())
