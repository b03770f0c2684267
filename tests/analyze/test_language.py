import pytest

from briefing.analyze.language import detect


@pytest.mark.parametrize(
    "text, declared, expected",
    [
        ("قال وزير الدفاع الأميركي إن القوات وصلت إلى المنطقة الحدودية", None, "ar"),
        ("The defense secretary said the troops had reached the border", None, "en"),
        ("The defense secretary said the troops had reached the border", "en-US", "en"),
        (
            "قال وزير الدفاع الأميركي إن القوات وصلت إلى المنطقة الحدودية",
            "en",
            "ar",
        ),  # the feed is wrong
        ("Le ministre a dit que les troupes étaient arrivées à la frontière", "fr", "fr"),
        ("CNN", "ar", "ar"),  # too little text to overrule the feed
    ],
)
def test_language_trusts_the_feed_unless_the_script_disagrees(text, declared, expected):
    assert detect(text, declared) == expected


def test_an_undeclared_latin_text_is_identified_among_the_languages_in_play():
    french = "Le ministre a déclaré que les troupes étaient arrivées à la frontière mercredi soir."
    assert detect(french, None, ("ar", "en", "fr")) == "fr"
    assert detect(french, None, ("ar", "en")) == "en"  # French is not in play: the script decides
    english = "The minister said the troops had reached the border on Wednesday night."
    assert detect(english, None, ("ar", "en", "fr")) == "en"
