import pytest

from briefing.analyze import quotes
from tests.conftest import SEED


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        (
            'وقال روته: "سيحدث ذلك في أوائل الأسبوع المقبل".',
            "ar",
            [("روته", "سيحدث ذلك في أوائل الأسبوع المقبل")],
        ),
        (
            'وأوضح أوستن أن الولايات المتحدة "لا تزال تحاول تحديد الدور".',
            "ar",
            [("أوستن", "لا تزال تحاول تحديد الدور")],
        ),
        (
            "وقال مسؤول كبير في رئاسة كوريا الجنوبية، في إفادة صحفية، إن «الخطوات المحتملة تشمل خيارات عدة»",
            "ar",
            [("مسؤول كبير في رئاسة كوريا الجنوبية", "الخطوات المحتملة تشمل خيارات عدة")],
        ),
        ('بحسب "أسوشيتد برس".', "ar", []),
        (
            'Austin told reporters in Rome: "We see evidence that there are troops in Russia."',
            "en",
            [("Austin", "We see evidence that there are troops in Russia.")],
        ),
        (
            '"It is a very serious issue," said Lloyd Austin.',
            "en",
            [("Lloyd Austin", "It is a very serious issue,")],
        ),
        ('The so-called "special military operation" went on.', "en", []),
    ],
)
def test_quotes_with_their_speakers(text, lang, expected):
    assert [(q.speaker, q.text) for q in quotes.find(text, lang)] == expected


def test_a_speaker_carries_over_to_the_next_quote():
    text = 'قال أوستن: "نرى أدلة على وجود قوات".\nوتابع: "إنها قضية خطيرة للغاية".'
    assert [q.speaker for q in quotes.find(text, "ar")] == ["أوستن", "أوستن"]


def test_every_quote_is_verbatim_at_its_offsets():
    text = SEED.read_text(encoding="utf-8")
    found = quotes.find(text, "ar")
    assert found
    for quote in found:
        assert text[quote.start : quote.end] == quote.text


def test_the_reference_article_quotes():
    found = quotes.find(SEED.read_text(encoding="utf-8"), "ar")
    direct = [(q.speaker, q.text[:20]) for q in found if q.direct]
    speakers = [speaker for speaker, _ in direct]
    assert (
        speakers.count("لويد أوستن") >= 3
    )  # "أوستن" and "وزير الدفاع الأميركي" resolve to the full name
    assert "مارك روته" in speakers
    assert "مسؤول كبير في رئاسة كوريا الجنوبية" in speakers  # a role, not a name
    reported = [q for q in found if not q.direct]
    assert any(
        q.speaker == "لويد أوستن" and q.text.startswith("كوريا الشمالية أرسلت قوات")
        for q in reported
    )


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            'Asked what the city would gain from the deal, Okafor said the council was "still '
            'working out the numbers this week."',
            "Okafor",
        ),
        (
            'Asked about the strike, the minister said: "We are not there yet at all."',
            "the minister",
        ),
        (
            'Speaking to reporters in Lagos, Adeyemi said "the road will reopen before the rains."',
            "Adeyemi",
        ),
    ],
)
def test_a_participle_clause_before_the_subject_is_not_the_speaker(text, speaker):
    found = quotes.find(text, "en")
    assert [(q.speaker, q.direct) for q in found] == [(speaker, True)]


def test_a_clause_before_said_is_reported_speech_only_when_said_ends_the_sentence():
    ended = quotes.find("The bridge will reopen next month, the mayor said on Monday.", "en")
    assert [(q.speaker, q.text, q.direct) for q in ended] == [
        ("the mayor", "The bridge will reopen next month", False)
    ]
    going_on = quotes.find(
        "Asked what the port would handle, Okafor said the terminal could take larger ships.", "en"
    )
    assert all(q.text != "Asked what the port would handle" for q in going_on)
