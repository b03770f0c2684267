"""The stages together on real files and a real local HTTP server."""

import json
from datetime import date, timedelta

from briefing import config, pipeline
from briefing.progress import Progress
from briefing.store import Store
from tests.conftest import article_page, corpus_article, query, rss, write_config

DAY = date(2024, 10, 24)
SPAN = timedelta(hours=24)


def make_site(web, items):
    """Serve a feed of `items` (path, corpus id, optional date) and their article pages."""
    feed = []
    for item in items:
        article = corpus_article(item["id"])
        web.add(item["path"], article_page(article["title"], [article["text"]]))
        date = item.get("date", "Wed, 23 Oct 2024 12:00:00 GMT")
        feed.append({"title": article["title"], "link": item["path"], "date": date})
    return web.add("/feed.xml", rss(feed), etag='"v1"')


def load(tmp_path, feed_url, database_key=""):
    """A config of one feed, its store on the engine `database_key` names (conftest.database)."""
    path = write_config(
        tmp_path,
        f'feeds:\n  - {{name: Wire, url: "{feed_url}", lang: en}}\nfetch: {{allow_private_networks: true, retries: 0}}\n'
        + database_key,
    )
    return config.load(path, environ={})


def stories_of(written):
    return json.loads(written["json"].read_text(encoding="utf-8"))["stories"]


def test_a_rebuild_keeps_story_ids_and_does_no_work_twice(tmp_path, web, database_key):
    url = make_site(web, [{"path": "/a", "id": "a001"}, {"path": "/b", "id": "a022"}])
    cfg = load(tmp_path, url, database_key)
    first = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    page_hits = web.hits("/a") + web.hits("/b")
    with Store.open(cfg) as store:
        counts = store.counts()
    second = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    assert len(first) == 2 and {s["id"] for s in first} == {s["id"] for s in second}
    assert web.hits("/a") + web.hits("/b") == page_hits == 2  # pages fetched once
    with Store.open(cfg) as store:
        assert store.counts() == counts  # nothing extracted, analysed or embedded twice
        assert store.feed_health([(url, "Wire")])[0].status == "not_modified"


def test_new_articles_join_old_stories_without_renaming_them(tmp_path, web, database_key):
    url = make_site(
        web, [{"path": "/a", "id": "a001"}]
    )  # Austin: North Korean troops in Russia (CNN)
    cfg = load(tmp_path, url, database_key)
    [old] = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    # Then: the same event from AP and in Arabic, and an unrelated earthquake.
    make_site(
        web,
        [
            {"path": "/a", "id": "a001"},
            {"path": "/c", "id": "a002"},
            {"path": "/ar", "id": "a004"},
            {"path": "/d", "id": "a022"},
        ],
    )
    web.routes["/feed.xml"].etag = '"v2"'
    after = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    same = next(s for s in after if s["id"] == old["id"])
    assert len(same["articles"]) == 3 and set(same["languages"]) == {"ar", "en"}
    assert len(after) == 2


def test_a_continuing_story_keeps_its_id_the_next_day_and_is_developing(
    tmp_path, web, database_key
):
    url = make_site(web, [{"path": "/day1", "id": "a013", "date": "Thu, 24 Oct 2024 21:30:00 GMT"}])
    cfg = load(tmp_path, url, database_key)
    [first] = stories_of(pipeline.build(cfg, date(2024, 10, 25), SPAN, formats=("json",)))
    assert first["developing"] is False
    make_site(
        web,
        [
            {"path": "/day1", "id": "a013", "date": "Thu, 24 Oct 2024 21:30:00 GMT"},
            {"path": "/day2", "id": "a017", "date": "Fri, 25 Oct 2024 08:30:00 GMT"},
        ],
    )
    web.routes["/feed.xml"].etag = '"v2"'
    [second] = stories_of(pipeline.build(cfg, date(2024, 10, 26), SPAN, formats=("json",)))
    assert second["id"] == first["id"]  # the Arabic follow-up joined yesterday's story
    assert second["developing"] is True and second["first_seen"] == first["first_seen"]
    assert second["updated"] is True  # it has an article first seen since the previous edition
    assert [a["lang"] for a in second["articles"]] == [
        "ar"
    ]  # only the window's articles are listed


def test_the_window_is_decided_by_published_time(tmp_path, web, database_key):
    url = make_site(
        web,
        [
            {"path": "/in", "id": "a022", "date": "Wed, 23 Oct 2024 20:00:00 GMT"},
            {"path": "/old", "id": "a031", "date": "Mon, 21 Oct 2024 20:00:00 GMT"},
        ],
    )
    cfg = load(tmp_path, url, database_key)
    stories = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    assert [s["headline"]["en"] for s in stories] == [corpus_article("a022")["title"]]
    wider = stories_of(pipeline.build(cfg, DAY, timedelta(days=4), formats=("json",)))
    assert len(wider) == 2


def test_a_feed_that_breaks_later_loses_nothing_already_stored(tmp_path, web, database_key):
    url = make_site(web, [{"path": "/a", "id": "a001"}])
    cfg = load(tmp_path, url, database_key)
    pipeline.build(cfg, DAY, SPAN, formats=("json",))
    web.add("/feed.xml", b"<html>gateway error</html>", status=502)
    stories = stories_of(
        pipeline.build(cfg, DAY, SPAN, formats=("json",), progress=Progress(quiet=True))
    )
    assert [s["headline"]["en"] for s in stories] == [corpus_article("a001")["title"]]


def test_a_page_that_fails_falls_back_to_the_feed_text(tmp_path, web, database_key):
    feed = rss(
        [
            {
                "title": "Paywalled",
                "link": "/paywall",
                "description": "The feed's own summary of the story.",
            }
        ]
    )
    url = web.add("/feed.xml", feed)
    web.add("/paywall", "Subscribe to read", status=403)
    cfg = load(tmp_path, url, database_key)
    pipeline.build(cfg, DAY, SPAN, formats=("json",))
    with Store.open(cfg) as store:
        [row] = query(store, "SELECT text, extract_source, extract_error FROM articles")
    assert tuple(row) == ("The feed's own summary of the story.", "feed", "HTTP 403")


def test_article_links_to_private_addresses_are_refused_by_default(
    tmp_path, web, caplog, database_key
):
    url = make_site(web, [{"path": "/a", "id": "a001"}])
    path = write_config(
        tmp_path,
        f'feeds:\n  - {{name: Wire, url: "{url}"}}\nfetch: {{retries: 0}}\n' + database_key,
    )
    cfg = config.load(path, environ={})
    with caplog.at_level("WARNING", logger="briefing"):
        pipeline.build(cfg, DAY, SPAN, formats=("json",))
    assert web.hits("/a") == 0  # the feed is configured, so allowed; its loopback links are not
    with Store.open(cfg) as store:
        [[error]] = query(store, "SELECT extract_error FROM articles")
    assert "SSRF guard" in error
    # A thinner edition says why, once per feed, without -v, naming the keys that allow it.
    [warning] = [r.getMessage() for r in caplog.records if "SSRF guard" in r.getMessage()]
    assert warning.startswith("Wire: 1 article link refused") and "fetch.allow_hosts" in warning


def test_a_rebuild_with_nothing_new_keeps_the_pdf_and_a_change_redraws_it(
    tmp_path, web, database_key
):
    url = make_site(web, [{"path": "/a", "id": "a001"}])
    cfg = load(tmp_path, url, database_key)
    first = pipeline.build(cfg, DAY, SPAN)
    pdf_bytes, pdf_time = first["pdf"].read_bytes(), first["pdf"].stat().st_mtime_ns
    again = pipeline.build(cfg, DAY, SPAN)
    assert again["pdf"].stat().st_mtime_ns == pdf_time  # not redrawn
    assert (
        json.loads(again["json"].read_text())["feeds"][0]["status"] == "not_modified"
    )  # JSON is fresh
    make_site(web, [{"path": "/a", "id": "a001"}, {"path": "/b", "id": "a022"}])
    web.routes["/feed.xml"].etag = '"v2"'
    changed = pipeline.build(cfg, DAY, SPAN)
    assert changed["pdf"].read_bytes() != pdf_bytes


def test_an_older_story_absorbs_a_newer_one_with_its_earlier_articles(tmp_path, database_key):
    """Two stored stories of one event meet when today's report links them: one id, all moved."""
    from datetime import UTC, datetime

    import numpy as np

    from briefing.edition import Window
    from briefing.models import Entry
    from briefing.stories import embed

    cfg = load(tmp_path, "http://127.0.0.1:9/feed.xml", database_key)
    day_before = datetime(2024, 10, 22, 12, tzinfo=UTC)
    today = datetime(2024, 10, 23, 20, tzinfo=UTC)
    entries = [
        Entry(key="1", url="http://x.org/1", title="Dam breaks upstream", published=day_before),
        Entry(key="2", url="http://x.org/2", title="Valley flooded", published=day_before),
        Entry(key="3", url="http://x.org/3", title="Dam break floods valley", published=today),
    ]
    same_event = np.zeros(512, dtype=np.float32)
    same_event[0] = 1.0
    with Store.open(cfg) as store:
        feed = store.feed_id("http://127.0.0.1:9/feed.xml", "Wire", "en")
        store.add_entries(feed, "Wire", "en", entries, day_before)
        ids = [row.id for row in store.articles_to_extract()]
        for article_id in ids:
            store.save_extraction(
                article_id, text="Body.", lang="en", source="feed", error=None, when=day_before
            )
        key = embed.vector_key(embed.embedder_for(cfg.stories.embedder))
        store.save_vectors(key, {i: same_event for i in ids})  # no model is loaded
        store.save_stories(
            [("s-older", [ids[0]], day_before), ("s-newer", [ids[1]], day_before.replace(hour=13))]
        )
        window = Window(
            start=datetime(2024, 10, 23, 6, tzinfo=UTC), end=datetime(2024, 10, 24, 6, tzinfo=UTC)
        )
        [story] = pipeline.stories_for(cfg, store, window, Progress(quiet=True))
        assert story.id == "s-older" and story.developing
        assert store.story_ids(ids) == {i: "s-older" for i in ids}


def test_a_build_that_fails_while_rendering_leaves_the_previous_set_whole(tmp_path, web):
    import pytest

    from briefing.errors import BriefingError
    from briefing.render import output
    from briefing.resources import default_templates_dir

    url = make_site(web, [{"path": "/a", "id": "a001"}])
    cfg = load(tmp_path, url)
    first = pipeline.build(cfg, DAY, SPAN)
    before = {fmt: path.read_bytes() for fmt, path in first.items()}
    edition, _ = output.read_set(first["json"], first["pdf"])  # one set: fingerprints agree
    # A theme whose PDF rendering breaks: the JSON and the HTML are written first.
    theme = tmp_path / "theme"
    theme.mkdir()
    page = (default_templates_dir() / "briefing.html").read_text(encoding="utf-8")
    (theme / "briefing.html").write_text(
        page.replace("</body>", "{% if for_pdf %}{{ missing.part }}{% endif %}</body>"),
        encoding="utf-8",
    )
    cfg.path.write_text(cfg.path.read_text() + "templates_dir: theme\n")
    with pytest.raises(BriefingError, match="template error"):
        pipeline.build(config.load(cfg.path, environ={}), DAY, SPAN)
    assert {fmt: path.read_bytes() for fmt, path in first.items()} == before
    assert sorted(p.name for p in first["json"].parent.iterdir()) == [
        ".fingerprint",
        "briefing.html",
        "briefing.json",
        "briefing.pdf",
    ]  # nothing half-written left beside them
    assert edition["fingerprint"] == output.pdf_fingerprint(before["pdf"])
