import pytest

from briefing.analyze import figures
from tests.conftest import SEED


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("زعمت فيها إرسال بيونج يانج أكثر من 1500 جندي", "ar", [(1500, "جندي", True)]),
        ("بإرسال أكثر من 13 ألف حاوية من المدفعية", "ar", [(13000, "حاوية", True)]),
        ("التحالف العسكري المكون من 32 دولة", "ar", [(32, "دولة", False)]),
        ("أرسلت ١٥٠٠ جندي إلى روسيا", "ar", [(1500, "جندي", False)]),
        ("بقيمة 2.5 مليار دولار", "ar", [(2.5e9, "USD", False)]),
        ("منذ أغسطس 2023", "ar", []),
        ("more than 1,500 soldiers were sent", "en", [(1500, "soldiers", True)]),
        ("a $2.5 billion contract", "en", [(2.5e9, "USD", False)]),
        ("about 70% of demand", "en", [(70, "%", True)]),
        ("since August 2023, and in 2024 too", "en", []),
        ("the G7 and F-16 jets and COVID-19", "en", []),
    ],
)
def test_figures_with_their_units(text, lang, expected):
    found = [(f.value, f.unit, f.approx) for f in figures.find(text, lang)]
    assert found == [(float(v), u, a) for v, u, a in expected]


def test_figure_offsets_point_at_the_original_text():
    text = "وأرسلت ١٣ ألف حاوية"
    [figure] = figures.find(text, "ar")
    assert text[figure.start : figure.end] == figure.text == "١٣ ألف حاوية"


def test_the_reference_article_figures():
    found = {
        (f.value, f.unit, f.approx) for f in figures.find(SEED.read_text(encoding="utf-8"), "ar")
    }
    assert {(1500.0, "جندي", True), (13000.0, "حاوية", True), (32.0, "دولة", False)} <= found


def test_units_map_to_one_concept_across_languages():
    assert (
        figures.concept("جنود")
        == figures.concept("soldiers")
        == figures.concept("troops")
        == "troop"
    )
    assert figures.concept("حاوية") == figures.concept("containers") == "container"
    assert figures.concept("الشاحنات") == "truck"
    assert (
        figures.concept("special forces soldiers") == figures.concept("جندي") == "troop"
    )  # the head noun


def _found(text, lang):
    return [(f.value, f.unit) for f in figures.find(text, lang)]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("وعقد الاجتماع في 22 ديسمبر الماضي", "ar"),
        ("منذ 9 تشرين الثاني من العام الماضي", "ar"),
        ("اعتبارا من 15 من شهر يناير", "ar"),
        ("the talks resumed on 12 March 2021 in Doha", "en"),
        ("talks resumed March 12 after a pause", "en"),
    ],
)
def test_a_number_next_to_a_month_name_is_a_date(text, lang):
    assert _found(text, lang) == []


@pytest.mark.parametrize(
    "text, lang",
    [
        ("وقع الانفجار عند 05 صباحا", "ar"),
        ("رصد الزلزال عند 11:52 بالتوقيت المحلي", "ar"),
        ("وقع ذلك عند 11 ليلاً", "ar"),
        ("the plane left at 0600 GMT on Sunday", "en"),
        ("the quake struck at 11:05 local time", "en"),
    ],
)
def test_clock_times_are_not_figures(text, lang):
    assert _found(text, lang) == []


@pytest.mark.parametrize(
    "text, lang",
    [
        ("dozens of tanks crossed the river", "en"),
        ("Thousands of farmers filled the square", "en"),
        ("tens of thousands of workers went on strike", "en"),
        ("سقطت عشرات القذائف على المدينة", "ar"),
        ("وخرج آلاف الطلاب إلى الشوارع", "ar"),
        ("شاهدها ملايين المشاهدين", "ar"),
    ],
)
def test_vague_amounts_without_a_number_have_no_value(text, lang):
    assert _found(text, lang) == []


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("a 62-year-old teacher was hurt", "en", [(62, "year-old")]),
        ("a 1,200-meter runway", "en", [(1200, "meter")]),
        ("a six-storey block collapsed", "en", [(6, "storey")]),
        ("the 6.1-magnitude quake", "en", [(6.1, "magnitude")]),
        ("the 120-seat chamber", "en", [(120, "seat")]),
        ("after a five-and-a-half year wait", "en", [(5.5, "year")]),
    ],
)
def test_a_number_joined_to_its_unit_by_a_hyphen_is_a_figure(text, lang, expected):
    assert _found(text, lang) == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("among them 41 Canadians and 9 Germans", [(41, "Canadians"), (9, "Germans")]),
        ("the crew included three Lebanese, the airline said", [(3, "Lebanese")]),
        ("Of the dead, 40 were women and 12 were children", [(40, "women"), (12, "children")]),
        ("at least 30 were in hospital on Monday", [(30, "people")]),
        ("only one witness came forward", [(1, "witness")]),
    ],
)
def test_a_count_of_people_without_a_common_noun_is_still_a_figure(text, expected):
    assert _found(text, "en") == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("the bill passed in a 150-42 vote", "en", [(150, "vote"), (42, "vote")]),
        ("between 3,000 and 4,000 homes", "en", [(3000, "homes"), (4000, "homes")]),
        ("ما بين 40 إلى 50 شخصا", "ar", [(40, "شخصا"), (50, "شخصا")]),
    ],
)
def test_both_ends_of_a_range_or_a_tally_are_figures(text, lang, expected):
    assert _found(text, lang) == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("a pledge of US$250 billion", "en", [(250e9, "USD")]),
        ("a road 40km long", "en", [(40, "km")]),
        ("some 7 000 people were moved", "en", [(7000, "people")]),
        ("the storm lasted more than 40 years of records", "en", [(40, "years")]),
        ("a total of 52 people died", "en", [(52, "people")]),
        ("the Tupolev 154 jet", "en", []),
        ("Resolution 1701 and the G20", "en", []),
        ("سجلت الهزة 6,4 درجات", "ar", [(6.4, "درجات")]),
        ("زلزال بلغت قوته 4ر6 درجة", "ar", [(6.4, "درجة")]),
        ("وأصيب 9 أشخاص و12 آخرين", "ar", [(9, "أشخاص"), (12, "آخرين")]),
        ("وأحرقت ثمانى سيارات", "ar", [(8, "سيارات")]),
        ("قتل خمسة عشر جنديا", "ar", [(15, "جنديا")]),
        ("نجا خمسة وعشرون شخصا", "ar", [(25, "شخصا")]),
        ("توفي عن 81 عامًا", "ar", [(81, "عامًا")]),
        ("في القرن الحادي عشر", "ar", []),
        ("وأكثر من 2000 جندي شاركوا", "ar", [(2000, "جندي")]),
    ],
)
def test_numbers_in_their_many_written_forms(text, lang, expected):
    assert _found(text, lang) == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("استمرت المفاوضات يومين", [(2, "يومين")]),
        ("وقتل شخصين في الحادث", [(2, "شخصين")]),
        ("ونجت امرأتين من الركاب", [(2, "امرأتين")]),
        ("ومن بين المصابين امرأة واحدة", [(1, "امرأة")]),
        ("التقى بوتين نظيره في باكستان", []),
    ],
)
def test_an_arabic_dual_counts_two(text, expected):
    assert _found(text, "ar") == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the bill passed by 120 votes to 40", [(120, "votes"), (40, "votes")]),
        ("lawmakers voted 150-42 in favour on Friday", [(150, "votes"), (42, "votes")]),
        ("the home side won 3-1 on Sunday", []),
        ("the blast hit a market, killing at least 12.", [(12, "people")]),
        ("three of the five hostages were freed", [(3, "hostages"), (5, "hostages")]),
        ("roughly one-third of the budget", [(0.333, "budget")]),
        ("one of them spoke", []),
        ("a two-way street and a one-off payment", []),
        ("one nurse and one doctor stayed", [(1, "nurse"), (1, "doctor")]),
    ],
)
def test_counts_whose_unit_is_elsewhere_in_the_clause(text, expected):
    assert _found(text, "en") == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("أقوى إعصار منذ 40 عاما", [(40, "عاما")]),
        ("قال واحد منهم إن الوضع صعب", []),
        ("بعد جولتين سابقتين من المحادثات", [(2, "جولتين")]),
    ],
)
def test_arabic_durations_pronouns_and_agreeing_adjectives(text, expected):
    assert _found(text, "ar") == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("The death toll climbed to 3,400 on Friday.", "en", [(3400, "dead")]),
        ("the number of arrests rose to 85.", "en", [(85, "arrests")]),
        ("One resident said the water was gone.", "en", []),
        ("the Thursday meeting starts at 9 o'clock", "en", []),
        ("City won 3-1 against United", "en", []),
        ("Nearly 400,000 Sudanese fled to Chad", "en", [(400000, "Sudanese")]),
        ("the mayor, 58, resigned", "en", [(58, "years")]),
        ("وصلت حصيلة قتلى الفيضانات إلى 340 قتيلا", "ar", [(340, "قتيلا")]),
        ("وبلغ عدد الجرحى 75 حتى الآن", "ar", [(75, "الجرحى")]),
        ("وتستأنف الجلسات في 12 الجاري", "ar", []),
        ("وأصيب جندي واحد في الاشتباك", "ar", [(1, "جندي")]),
        ("وبلغ عدد المهجرين مليون ونصف المليون نازح", "ar", [(1.5e6, "نازح")]),
        ("وغادر قرابة ثلث أهالي المدينة", "ar", [(0.333, "أهالي")]),
    ],
)
def test_units_before_the_number_and_what_is_not_a_count(text, lang, expected):
    assert _found(text, lang) == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("ارتفع عدد الضحايا إلى 12 ألفا و250 قتيلا", "ar", [(12250, "قتيلا")]),
        ("أقر المجلس القانون بأغلبية 98 صوتا مقابل 12", "ar", [(98, "صوتا"), (12, "صوتا")]),
        ("خلال الأيام الـ10 الماضية", "ar", [(10, "الأيام")]),
        ("خلال الـ 72 ساعة المقبلة", "ar", [(72, "ساعة")]),
        ("He retired at the age of 87.", "en", [(87, "age")]),
        ("a 0.5 point drop in the index", "en", [(0.5, "point")]),
        ("one nominee’s campaign drew scrutiny", "en", []),
    ],
)
def test_compound_numbers_tallies_and_definite_numbers(text, lang, expected):
    assert _found(text, lang) == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("30 critically injured patients", "en", [(30, "critically injured patients")]),
        ("some 900 suspected typhoid cases so far", "en", [(900, "suspected typhoid cases")]),
        ("4,000 troop convoys crossed", "en", [(4000, "troop convoys")]),
        ("after three gruelling days of talks", "en", [(3, "gruelling days")]),
        ("the 9/11 attacks", "en", []),
        ("أقنعت المعارضة 9 من أصل 50 من نواب الحزب", "ar", [(9, "نواب"), (50, "نواب")]),
        ("تبدأ العطلة في 15 رمضان", "ar", []),
        ("في اليوم 100 من الحرب", "ar", []),
    ],
)
def test_modifiers_stay_with_their_noun_and_more_dates(text, lang, expected):
    assert _found(text, lang) == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وقال لست متأكدا من النتيجة", []),
        ("وسافر لستة أشهر", [(6, "أشهر")]),
        ("ويعيش خمس السكان في المخيمات", []),
        ("ونجا اثنان من الركاب", [(2, "الركاب")]),
    ],
)
def test_arabic_words_that_look_like_numbers(text, expected):
    assert _found(text, "ar") == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A million refugees crossed the border", [(1e6, "refugees")]),
        ("a hundred doctors signed the letter", [(100, "doctors")]),
        ("I have said it a thousand times", []),
        ("he was arrested three times", [(3, "times")]),
    ],
)
def test_a_scale_word_after_a_is_one_of_it(text, expected):
    assert _found(text, "en") == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "صوّت 120 نائبا لصالح القانون، ورفضه 35 نائبا، وامتنع ستة عن التصويت.",
            [(120, "نائبا"), (35, "نائبا"), (6, "نائبا")],
        ),
        ("قتل 12 شخصا. وفي 5 مناطق أخرى", [(12, "شخصا"), (5, "مناطق")]),
        ("قتل 12 شخصا. وفي المدينة نجا 3", [(12, "شخصا")]),
    ],
)
def test_an_arabic_count_without_a_noun_goes_on_counting_the_last_noun_of_its_sentence(
    text, expected
):
    assert _found(text, "ar") == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Of the 40 dead, nine died at the port and seven at the market.",
            [(40, "dead"), (9, "people"), (7, "people")],
        ),
        ("most were in their 50s (14), then 40s (9)", []),
        ("The fund lent $5 billion. In 12 cases it", [(5e9, "USD"), (12, "cases")]),
        ("The fund lent $5 billion. The 12 were", [(5e9, "USD")]),
    ],
)
def test_an_english_count_without_a_noun_goes_on_counting_within_its_sentence(text, expected):
    assert _found(text, "en") == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("between 10 and 12 million people", [(10e6, "people"), (12e6, "people")]),
        ("a 5 m wall", [(5, "m")]),
        ("a $5m grant", [(5e6, "USD")]),
        ("Today 5 people died", [(5, "people")]),
        ("No 10 Downing Street", []),
    ],
)
def test_scales_ranges_and_names_in_english(text, expected):
    assert _found(text, "en") == [(float(v), u) for v, u in expected]


def test_nights_are_a_duration_not_a_clock_time():
    assert _found("أمضى 11 ليلة في المستشفى", "ar") == [(11.0, "ليلة")]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("jailed for between five and 10 years", "en", [(5, "years"), (10, "years")]),
        ("a quake measuring 5.9 on the Richter scale", "en", [(5.9, "magnitude")]),
        ("The country's population is about 6.1 million.", "en", [(6.1e6, "people")]),
        ("The bill passed the Senate 51-49 on Friday.", "en", [(51, "votes"), (49, "votes")]),
        ("بالسجن بين ثلاث وسبع سنوات", "ar", [(3, "سنوات"), (7, "سنوات")]),
        ("وفاز الحزب بـ88 مقعدا من أصل 150، وفق النتائج", "ar", [(88, "مقعدا"), (150, "مقعدا")]),
    ],
)
def test_the_unit_of_a_bare_number_comes_from_its_range_or_its_clause(text, lang, expected):
    assert _found(text, lang) == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "arabic, english",
    [
        ("شخصًا", "people"),
        ("قتيلا", "killed"),
        ("عامًا", "year-old"),
        ("كيلومترا", "km"),
        ("راكبا", "passengers"),
        ("أطفال", "children"),
    ],
)
def test_the_accusative_and_hyphenated_forms_of_a_unit_share_its_concept(arabic, english):
    assert figures.concept(arabic) == figures.concept(english)
