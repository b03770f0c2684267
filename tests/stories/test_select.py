"""An edition's topic rules: keywords and entities in both languages, decided per story."""

from datetime import UTC, datetime, timedelta

import pytest

from briefing import analyze
from briefing.config import TopicsConfig
from briefing.models import Article, Story
from briefing.stories import compose
from briefing.stories.select import Rules, Texts, keyword_pattern, normalise, select

T0 = datetime(2024, 10, 23, 12, tzinfo=UTC)


def article(i, text, lang="en", title="", feed_id=1, duplicate_of=None, hours=0):
    return Article(
        id=i,
        url=f"http://x.org/{i}",
        title=title,
        outlet=f"Outlet {feed_id}",
        lang=lang,
        text=text,
        published=T0,
        first_seen=T0 + timedelta(hours=hours),
        duplicate_of=duplicate_of,
        feed_id=feed_id,
    )


def story(story_id, *articles):
    return compose.compose(story_id, list(articles), {})


def texts_for(*stories):
    """Texts with the analyses the pipeline would have stored (entities included)."""
    return Texts({a.id: analyze.analyse(a.text, a.lang) for s in stories for a in s.articles})


def found(keyword, text):
    return bool(keyword_pattern([keyword]).search(normalise(text)))


@pytest.mark.parametrize(
    "keyword, text, expected",
    [
        # English: case folded, whole words only, phrases across any spacing.
        ("oil", "OIL prices rose on Monday.", True),
        ("oil", "The water was boiling by noon.", False),
        ("oil", "Oil-rich states met in the capital.", True),
        ("North Korea", "Troops from north   Korea crossed the border.", True),
        ("Korea", "North Korean troops crossed the border.", False),
        ("desalinat*", "The desalination plant opens next year.", True),
        ("desalinat*", "A plant to desalinate sea water.", True),
        # Arabic: alef forms, taa marbuta, final yaa and diacritics folded on both sides.
        ("تحليه", "أعلنت الشركة إنشاء محطة تحلية جديدة", True),
        ("إعادة الإعمار", "بدأت اعادة الاعمار في المدينة", True),
        ("مستشفى", "نقل الجرحى إلى مستشفي المدينة", True),
        ("الكوليرا", "تفشّي الكُوليرا في المخيمات", True),
        # Arabic clitics written onto the word: و ف ب ك ل and the article.
        ("تحلية", "وقعت الوزارة عقدا لتحلية مياه البحر", True),
        ("تحلية", "قال المسؤول إن والتحلية مكلفة", True),
        ("السعودية", "وصل الوفد إلى السعودية أمس", True),
        ("السعودية", "صادرات للسعودية وبالسعودية", True),
        ("السعودية", "الشركة السعوديون في المعرض", False),
        ("نفط", "ارتفعت أسعار النفط صباح اليوم", True),
        ("نفط", "قال إن النفطيين غاضبون", False),
    ],
)
def test_keywords_match_whole_words_of_normalised_text(keyword, text, expected):
    assert found(keyword, text) is expected


def test_a_story_passes_when_any_article_in_any_language_matches():
    english = article(1, "The kingdom signed a contract for a desalination plant.")
    arabic = article(2, "وقعت المملكة عقدا لإنشاء محطة لمعالجة المياه.", lang="ar", feed_id=2)
    plant = story("s1", english, arabic)
    other = story("s2", article(3, "An earthquake shook the east of the country.", hours=1))
    rules = Rules.of(TopicsConfig(include=("desalination",)))
    kept = select([plant, other], rules, texts_for(plant, other))
    assert [s.id for s in kept] == ["s1"]
    # The Arabic report of the same story stays, though it never says the English word.
    assert {a.lang for a in kept[0].articles} == {"ar", "en"}


def test_one_excluded_article_leaves_the_story_out_in_every_language():
    english = article(1, "The football final drew a record crowd to the stadium.")
    arabic = article(2, "حضر جمهور قياسي المباراة النهائية في الملعب.", lang="ar", feed_id=2)
    match = story("s1", english, arabic)
    rules = Rules.of(TopicsConfig(include=("الملعب",), exclude=("football",)))
    assert select([match], rules, texts_for(match)) == []
    assert select([match], Rules.of(TopicsConfig(include=("الملعب",))), texts_for(match))


def test_an_entity_rule_in_english_finds_the_country_named_in_arabic():
    arabic = article(1, "وصل رئيس الوزراء إلى اليابان في زيارة رسمية تستمر يومين.", lang="ar")
    tokyo = story("s1", arabic)
    elsewhere = story("s2", article(2, "وصل الوزير إلى البرازيل في زيارة رسمية.", lang="ar"))
    rules = Rules.of(TopicsConfig(entities=("Japan",)))
    assert [s.id for s in select([tokyo, elsewhere], rules, texts_for(tokyo, elsewhere))] == ["s1"]
    # And the other way round: the Arabic name finds the English article.
    english = story("s3", article(3, "The prime minister landed in Japan on Monday."))
    rules = Rules.of(TopicsConfig(entities=("اليابان",)))
    assert [s.id for s in select([english], rules, texts_for(english))] == ["s3"]


def test_an_organisation_rule_finds_its_arabic_name_and_an_acronym_only_in_capitals():
    arabic = story("s1", article(1, "أعلن حلف الناتو تعزيز قواته في الشرق.", lang="ar"))
    lower = story("s2", article(2, "Officials who spoke to reporters said little more."))
    rules = Rules.of(TopicsConfig(entities=("NATO", "World Health Organization")))
    assert [s.id for s in select([arabic, lower], rules, texts_for(arabic, lower))] == ["s1"]


def test_a_person_rule_finds_the_name_across_scripts_and_in_its_fuller_form():
    text = 'وقال وزير الدفاع لويد أوستن للصحافيين: "لدينا أدلة على وصول القوات إلى المنطقة".'
    arabic = story("s1", article(1, text, lang="ar"))
    rules = Rules.of(TopicsConfig(entities=("Austin",)))
    assert texts_for(arabic).names(arabic.articles[0])  # the analyser named the speaker
    assert [s.id for s in select([arabic], rules, texts_for(arabic))] == ["s1"]
    unrelated = story("s2", article(2, "وقال المتحدث إن الاجتماع انتهى دون اتفاق.", lang="ar"))
    assert select([unrelated], rules, texts_for(unrelated)) == []


def test_an_edition_shows_the_articles_of_its_feeds_and_languages_only():
    english = article(1, "The plant will desalinate sea water for two cities.", feed_id=1)
    arabic = article(2, "ستعالج المحطة مياه البحر لمدينتين.", lang="ar", feed_id=2)
    copy = article(3, "The plant will desalinate sea water for two cities.", feed_id=3)
    copy = Article(**{**copy.__dict__, "duplicate_of": 1})
    plant = story("s1", english, arabic, copy)
    texts = texts_for(plant)
    recomposed = []

    def recompose(s: Story, articles):
        recomposed.append([a.id for a in articles])
        return compose.compose(s.id, articles, {})

    [arabic_only] = select([plant], Rules(), texts, languages=("ar",), recompose=recompose)
    assert [a.id for a in arabic_only.articles] == [2] and set(arabic_only.headline) == {"ar"}
    # A copy whose original is not in the edition's feeds is the report the edition has.
    [from_feed_3] = select([plant], Rules(), texts, feed_ids=frozenset({3}), recompose=recompose)
    assert [(a.id, a.duplicate_of) for a in from_feed_3.articles] == [(3, None)]
    assert select([plant], Rules(), texts, feed_ids=frozenset({9})) == []
    assert recomposed == [[2], [3]]
    # Every article shown: the story is the window's own, not composed again.
    assert select([plant], Rules(), texts, recompose=recompose) == [plant]
    assert len(recomposed) == 2


def test_updated_is_decided_against_the_editions_own_previous_issue():
    plant = story("s1", article(1, "Work began on the desalination plant.", hours=0))
    [before] = select([plant], Rules(), texts_for(plant), since=T0 - timedelta(hours=1))
    [after] = select([plant], Rules(), texts_for(plant), since=T0 + timedelta(hours=1))
    assert before.updated is True and after.updated is False
