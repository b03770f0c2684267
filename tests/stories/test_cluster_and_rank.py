from datetime import UTC, datetime, timedelta

import numpy as np

from briefing.models import Analysis, Article, Figure, Quote
from briefing.stories import cluster, rank
from briefing.stories.compose import compose, key_figures, lead

T0 = datetime(2024, 10, 23, 12, tzinfo=UTC)


def article(i, title, outlet="X", lang="en", hours=0, duplicate_of=None):
    return Article(
        id=i,
        url=f"http://x.org/{i}",
        title=title,
        outlet=outlet,
        lang=lang,
        text="Body.",
        published=T0 + timedelta(hours=hours),
        first_seen=T0,
        duplicate_of=duplicate_of,
    )


def unit(*values):
    v = np.array(values + (0.0,) * (8 - len(values)), dtype=np.float32)
    return v / np.linalg.norm(v)


def item(i, vector, lang="en", hours=0, story=None, numbers=()):
    return cluster.Item(
        id=i,
        lang=lang,
        when=T0 + timedelta(hours=hours),
        vector=vector,
        numbers=frozenset(numbers),
        story=story,
    )


def test_close_articles_join_and_distant_ones_start_stories():
    a, b = unit(1, 0.1), unit(1, 0.2)  # cosine ~0.995
    c = unit(0, 1)
    assigned = cluster.assign([item(1, a), item(2, b, hours=1), item(3, c, hours=2)])
    assert assigned[1] == assigned[2] != assigned[3]
    assert assigned[1] == cluster.story_id_for(1)


def test_a_cross_language_pair_needs_less_similarity_than_a_same_language_pair():
    base, other = unit(1, 0), unit(0.55, 0.835)  # cosine 0.55
    params = cluster.Params(same_language=0.6, cross_language=0.5)
    assert len(set(cluster.assign([item(1, base), item(2, other)], params).values())) == 2
    assert (
        len(set(cluster.assign([item(1, base), item(2, other, lang="ar")], params).values())) == 1
    )


def test_time_apart_lowers_the_link_and_the_horizon_ends_it():
    base, close = unit(1, 0), unit(0.62, 0.785)  # cosine 0.62: just above 0.60
    params = cluster.Params(same_language=0.6, decay_per_day=0.04)
    assert len(set(cluster.assign([item(1, base), item(2, close, hours=2)], params).values())) == 1
    assert len(set(cluster.assign([item(1, base), item(2, close, hours=30)], params).values())) == 2
    same = unit(1, 0)
    assert (
        len(set(cluster.assign([item(1, base), item(2, same, hours=24 * 4)], params).values())) == 2
    )


def test_shared_figures_tip_a_borderline_pair():
    base, close = unit(1, 0), unit(0.57, 0.82)  # cosine 0.57: below 0.60 alone
    params = cluster.Params(same_language=0.6, number_bonus=0.04)
    apart = cluster.assign([item(1, base), item(2, close)], params)
    joined = cluster.assign(
        [item(1, base, numbers=[1500.0]), item(2, close, numbers=[1500.0])], params
    )
    assert len(set(apart.values())) == 2 and len(set(joined.values())) == 1


def test_assigned_articles_keep_their_story_and_new_ones_join_it():
    a, b = unit(1, 0.1), unit(1, 0.15)
    assigned = cluster.assign([item(1, a, story="s-old"), item(2, b, hours=1)])
    assert assigned == {1: "s-old", 2: "s-old"}


def test_salient_numbers_leave_out_years_and_small_counts():
    assert cluster.salient_numbers([1500.0, 2023.0, 3.0, 13000.0, 32.0]) == frozenset(
        {1500.0, 13000.0, 32.0}
    )


def test_ranking_prefers_independent_outlets_then_recency():
    wide = compose("wide", [article(1, "A", "CNN"), article(2, "A", "AP")], {})
    copied = compose(
        "copied",
        [article(7, "E", "AP", hours=6), article(8, "E", "AJ", hours=6, duplicate_of=7)],
        {},
    )
    bilingual = compose("bi", [article(3, "B", "CNN"), article(4, "ب", "BBC", "ar")], {})
    recent = compose("recent", [article(5, "C", "CNN", hours=5)], {})
    old = compose("old", [article(6, "D", "CNN", hours=1)], {})
    ranked = rank.rank([old, recent, wide, bilingual, copied])
    assert [s.id for s in ranked] == ["bi", "wide", "copied", "recent", "old"]
    assert [s.rank for s in ranked] == [1, 2, 3, 4, 5]


def test_the_most_central_article_gives_the_headline():
    arts = [
        article(1, "Outlier angle", "A"),
        article(2, "Central title", "B"),
        article(3, "Another", "C"),
    ]
    vectors = {1: unit(1, 0), 2: unit(1, 1), 3: unit(0, 1)}
    assert compose("s", arts, {}, vectors=vectors).headline == {"en": "Central title"}


def test_a_headline_per_language_present():
    story = compose(
        "s", [article(1, "English title", lang="en"), article(2, "عنوان عربي", "BBC", "ar")], {}
    )
    assert story.headline == {"en": "English title", "ar": "عنوان عربي"}
    assert story.languages == ["ar", "en"]


def test_figures_merge_across_languages_and_disagreements_are_named():
    cnn, asharq, ap = article(1, "t", "CNN"), article(2, "t", "Asharq", "ar"), article(3, "t", "AP")
    analyses = {
        1: Analysis("en", figures=(Figure(1500, "soldiers", "1,500 soldiers"),)),
        2: Analysis("ar", figures=(Figure(1500, "جندي", "1500 جندي"),)),
        3: Analysis("en", figures=(Figure(3000, "troops", "3,000 troops"),)),
    }
    [shown] = key_figures(
        [cnn, asharq, ap], analyses
    )  # AP's 3,000 is shown as the dispute, not again
    assert (shown.figure.value, shown.concept, [a.outlet for a in shown.sources]) == (
        1500,
        "troop",
        ["Asharq"],
    )
    assert [(f.value, a.outlet) for f, a in shown.disputed] == [(3000, "AP")]


def test_the_same_quote_from_two_outlets_is_shown_once_with_both():
    cnn, ap = article(1, "t", "CNN"), article(2, "t", "AP")
    words = "We see evidence that there are troops in Russia"
    analyses = {
        1: Analysis("en", quotes=(Quote(words, "Austin"),)),
        2: Analysis("en", quotes=(Quote(words + ".", "Austin"),)),
    }
    [quote] = compose("s", [cnn, ap], analyses).quotes
    assert quote.article.outlet == "CNN" and [a.outlet for a in quote.sources] == ["AP"]


def test_the_lead_stops_at_a_sentence_within_the_limit():
    text = "First sentence here. Second one follows. " + "Third goes on and on. " * 30
    assert lead(text, 60) == "First sentence here. Second one follows."
