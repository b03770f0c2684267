"""Key figures: numbers with what they count, in Arabic and English.

What is a figure follows the realnews conventions: counts, money, percentages,
measures, durations and ages, in digits (Arabic-Indic too: ١٥٠٠, ١٣٬٠٠٠, ٢٫٥,
6,4 and 4ر6 as Arabic decimals, 7 000), in words (ثلاثة آلاف, ثمانى, خمسة
وعشرون, three thousand, five-and-a-half), in duals (يومين, امرأتين), with a
scale (ألف, مليون, million, bn), a currency ($, US$, €, £, دولار) or a percent
(%, في المئة), and in compounds (69-year-old, 1,200-metre, four-storey). Both
ends of a range count (between 10 and 12; ما بين 40 إلى 50; a 150-42 vote).
Qualifiers (more than, about, up to, أكثر من, نحو) set `approx`.

Not figures: years and dates (a number next to a month name, before or after
it: 22 ديسمبر, 25 تشرين الأول, 12 March), clock times (05 صباحا, 11:05,
0600 GMT), ordinals (التاسع عشر), numbers inside names (G7, F-16, Boeing 737,
Resolution 2231), phone numbers, and plural scale words with no number
(dozens, thousands of, عشرات, آلاف): they say "many", not how many.

The unit is the counted noun after the number (past من, past "North Korean"),
a capitalised plural demonym ("41 Canadians"), the predicate of a bare count
("40 were women"), or a measure noun before it («عدد القتلى 2000», "magnitude
6.1", "aged 25"). Pure: a string in, Figures out, offsets into the original text.

The readers are `figures_en` and `figures_ar` (one per language); number words
and digit forms are in `numbers`; what a unit counts across languages is here.
"""

from __future__ import annotations

from briefing.analyze import figures_ar, figures_en, numbers
from briefing.analyze.arabic import digits, fold
from briefing.models import Figure


def find(text: str, lang: str) -> list[Figure]:
    """Figures of `text` in reading order.

    >>> [(f.value, f.unit, f.approx) for f in find("أرسلت أكثر من 13 ألف حاوية", "ar")]
    [(13000.0, 'حاوية', True)]
    """
    normalised = digits(text)  # one character for one: offsets stay valid
    found = (figures_ar if lang == "ar" else figures_en).read(normalised)
    out = []
    for value, unit, approx, start, end in sorted(found, key=lambda f: (f[3], f[4])):
        out.append(
            Figure(
                value=float(value),
                unit=unit,
                text=text[start:end].strip(),
                approx=approx,
                start=start,
                end=end,
                sentence=numbers.sentence_at(text, start),
                salience=_salience(value, unit, approx, start, len(text)),
            )
        )
    return out


def _salience(value: float, unit: str, approx: bool, start: int, length: int) -> float:
    """How likely a figure is one of the story's key figures: early, large, about people or money."""
    score = 1.0 - 0.5 * (start / max(length, 1))
    score += 0.3 if concept(unit) in _KEY_CONCEPTS else 0.0
    score += 0.2 if value >= 1000 else 0.0
    return round(score, 3)


_KEY_CONCEPTS = {
    "troop",
    "person",
    "dead",
    "injured",
    "family",
    "usd",
    "eur",
    "gbp",
    "container",
    "truck",
    "country",
}
# What a unit counts, the same key in Arabic and English, so that "1500 جندي"
# and "1,500 soldiers" are recognised as one fact.
_CONCEPTS = {
    "troop": "troop troops soldier soldiers forces fighters servicemen جندي جنود عسكري عسكريين مقاتل مقاتلين قوات",
    "container": "container containers حاوية حاويات",
    "country": "country countries nation nations state states دولة دول بلد بلدان",
    "person": "people person persons residents civilians شخص أشخاص نسمة مواطن مواطنين مدني مدنيين",
    "dead": "dead killed deaths قتيل قتلى وفاة وفيات",
    "injured": "injured wounded hurt جريح جرحى مصاب مصابين إصابة إصابات",
    "family": "family families عائلة عائلات أسرة أسر",
    "truck": "truck trucks lorries lorry شاحنة شاحنات",
    "building": "building buildings مبنى مباني",
    "passenger": "passenger passengers traveller travellers مسافر مسافرين راكب ركاب",
    "barrel": "barrel barrels برميل براميل",
    "case": "case cases حالة حالات",
    "dose": "dose doses جرعة جرعات",
    "kilometre": "kilometre kilometres kilometer kilometers km كيلومتر كيلومترات كلم كم",
    "year": "year years year-old عام أعوام سنة سنوات عامين سنتين",
    "month": "month months شهر أشهر شهور شهرين",
    "week": "week weeks أسبوع أسابيع أسبوعين",
    "day": "day days يوم أيام يومين",
    "hour": "hour hours ساعة ساعات ساعتين",
    "child": "child children طفل أطفال",
    "woman": "woman women امرأة نساء",
    "member": "member members عضو أعضاء",
    "vote": "vote votes صوت أصوات",
    "lawmaker": "lawmaker lawmakers mp mps نائب نواب",
    "survivor": "survivor survivors ناج ناجي ناجين ناجيا",
    "magnitude": "magnitude درجة درجات",
}
_CONCEPT_OF = {
    fold(word).casefold(): key for key, words in _CONCEPTS.items() for word in words.split()
}


def concept(unit: str) -> str:
    """The language-independent key of what a unit counts.

    >>> concept("جنود") == concept("soldiers") == "troop"
    True
    """
    key = fold(unit).casefold()
    words = key.split()
    if len(words) > 1 and _known(key) is None:
        # The head noun decides: English puts it last ("special forces soldiers"), Arabic first.
        head = words[-1] if key.isascii() else words[0]
        if _known(head):
            return _known(head)
    bare = key.removeprefix("ال")
    return _known(key) or (bare.removesuffix("s") if bare.isascii() else bare)


def _known(key: str) -> str | None:
    """The concept of a word as written, without the article, the accusative ending
    (شخصًا, قتيلا) or a hyphenated tail (year-old)."""
    bare = key.removeprefix("ال")
    for form in (key, bare, bare.removesuffix("ا"), key.split("-")[0]):
        if form in _CONCEPT_OF:
            return _CONCEPT_OF[form]
    return None
