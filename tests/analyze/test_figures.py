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
