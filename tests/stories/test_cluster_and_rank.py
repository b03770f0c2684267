from dataclasses import replace
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


def test_one_close_pair_does_not_glue_two_events():
    # Two events of three Arabic and English reports; one report of each leans
    # towards the other event (0.64 between the two), 0.6 to its own. Linked
    # by their closest pair (single link) the two events would be one story.
    x, y = unit(1, 0, 0), unit(0, 1, 0)
    event_x = [item(i, x, lang="ar", hours=i) for i in range(1, 4)]
    event_y = [item(i, y, hours=i) for i in range(11, 14)]
    leaning_x = item(4, unit(0.6, 0, 0.8), hours=4)
    leaning_y = item(14, unit(0, 0.6, 0.8), lang="ar", hours=4)
    assert float(leaning_x.vector @ leaning_y.vector) > 0.6
    assigned = cluster.assign([*event_x, *event_y, leaning_x, leaning_y])
    assert assigned[1] == assigned[2] == assigned[3]
    assert assigned[11] == assigned[12] == assigned[13]
    assert assigned[1] != assigned[11]


def test_a_report_joins_the_story_it_matches_as_a_whole_not_its_closest_member():
    # The newcomer is closest to one report of story A (0.75) but, on average,
    # nearer story B, whose three reports it all resembles.
    a_core, a_odd = unit(1, 0, 0), unit(0.6, 0, 0.8)
    b_core = unit(0, 1, 0.3)
    newcomer = unit(0.25, 1, 0.9)
    items = [
        item(1, a_core, story="story-a"),
        item(2, a_core, story="story-a"),
        item(3, a_odd, story="story-a"),
        item(4, b_core, story="story-b"),
        item(5, b_core, story="story-b"),
        item(6, b_core, story="story-b"),
        item(7, newcomer, hours=1),
    ]
    assert max(float(newcomer @ v) for v in (a_core, a_odd)) > 0.6  # single link would pick A
    assert cluster.assign(items)[7] == "story-b"


def test_two_stored_stories_that_turn_out_one_event_merge_under_the_older_id():
    same = unit(1, 0.1)
    items = [
        item(1, same, hours=0, story="s-older"),
        item(2, same, hours=2, story="s-newer"),
        item(3, same, hours=3),
    ]
    assert set(cluster.assign(items).values()) == {"s-older"}


def test_stored_stories_only_loosely_alike_keep_their_own_ids():
    base, loose = unit(1, 0), unit(0.42, 0.9075)  # cosine 0.42: above the threshold, not absorb
    params = cluster.Params(same_language=0.4, decay_per_day=0.0, absorb=0.05)
    items = [item(1, base, story="s-one"), item(2, loose, hours=1, story="s-two")]
    assert cluster.assign(items, params) == {1: "s-one", 2: "s-two"}


def test_shared_names_tip_a_borderline_pair():
    base, close = unit(1, 0), unit(0.57, 0.82)  # cosine 0.57: below 0.60 alone
    params = cluster.Params(same_language=0.6, entity_bonus=0.08, decay_per_day=0.0)
    apart = cluster.assign([item(1, base), item(2, close)], params)
    named = [
        cluster.Item(id=i, lang="en", when=T0, vector=v, entities=frozenset({"Mayotte"}))
        for i, v in ((1, base), (2, close))
    ]
    assert len(set(apart.values())) == 2
    assert len(set(cluster.assign(named, params).values())) == 1


def named_story(first, vector, names, lang="en"):
    """Three reports of one event, each giving `names`."""
    return [
        cluster.Item(
            id=i, lang=lang, when=T0 + timedelta(hours=i), vector=vector, entities=frozenset(names)
        )
        for i in range(first, first + 3)
    ]


def test_grown_stories_whose_core_names_disagree_stay_apart():
    # A storm over one island and an earthquake on another, three reports each:
    # alike enough (0.65 against 0.60) to merge on their text alone.
    storm, quake = unit(1, 0), unit(0.65, 0.76)
    items = named_story(1, storm, {"Ile Verte"}) + named_story(11, quake, {"Port Sable"})
    params = cluster.Params(same_language=0.6, decay_per_day=0.0, entity_bonus=0.0)
    assert len(set(cluster.assign(items, replace(params, contrast=0.0)).values())) == 1
    assigned = cluster.assign(items, params)
    assert assigned[1] == assigned[3] != assigned[11] == assigned[13]


def test_a_story_that_lists_names_is_not_thereby_another_event():
    # One story's reports all list four countries the other's never name; the
    # stories are close (0.72 against 0.60). Four names at full cost would part them.
    bid, other = unit(1, 0), unit(0.72, 0.694)
    listed = {"Arland", "Borvia", "Celmark", "Dovena"}
    items = named_story(1, bid, listed) + named_story(11, other, set())
    params = cluster.Params(same_language=0.6, decay_per_day=0.0, entity_bonus=0.0)
    assert len(set(cluster.assign(items, params).values())) == 1


def test_a_core_name_one_report_of_the_other_story_gives_is_no_disagreement():
    storm, quake = unit(1, 0), unit(0.65, 0.76)
    items = named_story(1, storm, {"Ile Verte"}) + named_story(11, quake, {"Port Sable"})
    items[2] = replace(items[2], entities=frozenset({"Ile Verte", "Port Sable"}))
    items[3] = replace(items[3], entities=frozenset({"Port Sable", "Ile Verte"}))
    params = cluster.Params(same_language=0.6, decay_per_day=0.0, entity_bonus=0.0)
    assert len(set(cluster.assign(items, params).values())) == 1


def test_a_name_never_found_in_a_language_is_no_evidence_against_its_reports():
    # English reports name a town the Arabic reports of the same event spell in a
    # way the gazetteer does not know: its absence there says nothing.
    english, arabic = unit(1, 0), unit(0.65, 0.76)
    items = named_story(1, english, {"Port Sable"}) + named_story(11, arabic, set(), lang="ar")
    params = cluster.Params(cross_language=0.6, decay_per_day=0.0, entity_bonus=0.0)
    assert len(set(cluster.assign(items, params).values())) == 1
    # Once an Arabic report elsewhere does give the name, its absence counts.
    elsewhere = cluster.Item(
        id=30, lang="ar", when=T0, vector=unit(0, 0, 1), entities=frozenset({"Port Sable"})
    )
    assigned = cluster.assign([*items, elsewhere], params)
    assert assigned[1] != assigned[11]


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


def test_a_figure_of_an_earlier_event_is_background_not_a_key_figure():
    ap, bbc = article(1, "t", "AP"), article(2, "t", "BBC", "ar")
    earlier = "The region was struck in March 2019 by floods that killed more than 900 people."
    earlier_ar = "وكانت المنطقة قد شهدت في مارس 2019 فيضانات أودت بحياة أكثر من 900 شخص."
    today = "At least 41 people died when the river burst its banks on Monday."
    analyses = {
        1: Analysis(
            "en",
            figures=(
                Figure(900, "people", "more than 900 people", sentence=earlier, salience=1.2),
                Figure(41, "people", "41 people", sentence=today, salience=1.0),
            ),
        ),
        2: Analysis(
            "ar",
            figures=(Figure(900, "شخص", "أكثر من 900 شخص", sentence=earlier_ar, salience=1.2),),
        ),
    }
    assert [k.figure.value for k in key_figures([ap, bbc], analyses)] == [41]


def test_a_running_total_since_a_past_year_is_the_storys_own_and_two_in_words_is_not_key():
    cnn = article(1, "t", "CNN")
    since = "Seoul says the North has sent over 13,000 containers since August 2023."
    analyses = {
        1: Analysis(
            "en",
            figures=(
                Figure(13000, "containers", "over 13,000 containers", sentence=since),
                Figure(2, "countries", "the two countries", sentence="The two countries met."),
            ),
        )
    }
    assert [k.figure.value for k in key_figures([cnn], analyses)] == [13000]


def test_a_large_count_stated_with_two_nouns_is_one_fact():
    en, ar = article(1, "t", "AJ"), article(2, "t", "BBC", "ar")
    analyses = {
        1: Analysis("en", figures=(Figure(24000, "suspected cholera cases", "24,000 cases"),)),
        2: Analysis("ar", figures=(Figure(24000, "إصابة", "24 ألف إصابة"),)),
    }
    [shown] = key_figures([en, ar], analyses)
    assert [a.outlet for a in shown.sources] == ["BBC"]


def test_different_groups_of_people_are_not_a_disagreement():
    ap, aj = article(1, "t", "AP"), article(2, "t", "AJ")
    analyses = {
        1: Analysis("en", figures=(Figure(1_400_000, "people", "1.4 million people"),)),
        2: Analysis("en", figures=(Figure(1_200_000, "people", "1.2 million people"),)),
    }
    assert all(not k.disputed for k in key_figures([ap, aj], analyses))


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
