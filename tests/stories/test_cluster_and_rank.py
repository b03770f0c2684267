from datetime import UTC, datetime, timedelta

from briefing.models import Article
from briefing.stories import cluster, rank
from briefing.stories.compose import compose, lead

T0 = datetime(2024, 10, 23, 12, tzinfo=UTC)


def article(i, title, outlet="X", lang="en", hours=0):
    return Article(
        id=i,
        url=f"http://x.org/{i}",
        title=title,
        outlet=outlet,
        lang=lang,
        text="Body.",
        published=T0 + timedelta(hours=hours),
        first_seen=T0,
    )


def test_identical_titles_after_normalisation_are_one_story():
    groups = cluster.group(
        [
            article(1, "Quake shakes eastern Turkey"),
            article(2, "Quake shakes eastern Turkey!"),
            article(3, "زلزال يضرب شرق تركيا"),
            article(4, "زلزالٌ يضرب شرقَ تركيا"),
            article(5, "Another story"),
        ]
    )
    assert [[a.id for a in members] for _, members in groups] == [[1, 2], [3, 4], [5]]


def test_story_ids_are_stable_for_a_key():
    assert cluster.new_story_id("a b") == cluster.new_story_id("a b") != cluster.new_story_id("a c")


def test_ranking_prefers_breadth_then_recency():
    wide = compose("wide", [article(1, "A", "CNN"), article(2, "A", "AP")], {})
    bilingual = compose("bi", [article(3, "B", "CNN"), article(4, "ب", "BBC", "ar")], {})
    recent = compose("recent", [article(5, "C", "CNN", hours=5)], {})
    old = compose("old", [article(6, "D", "CNN", hours=1)], {})
    ranked = rank.rank([old, recent, wide, bilingual])
    assert [(s.id, s.rank) for s in ranked] == [("bi", 1), ("wide", 2), ("recent", 3), ("old", 4)]


def test_a_headline_per_language_present():
    story = compose(
        "s", [article(1, "English title", lang="en"), article(2, "عنوان عربي", "BBC", "ar")], {}
    )
    assert story.headline == {"en": "English title", "ar": "عنوان عربي"}
    assert story.languages == ["ar", "en"]


def test_the_lead_stops_at_a_sentence_within_the_limit():
    text = "First sentence here. Second one follows. " + "Third goes on and on. " * 30
    assert lead(text, 60) == "First sentence here. Second one follows."
