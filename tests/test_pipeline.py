"""The stages together on real files and a real local HTTP server."""

import json
from datetime import date, timedelta

from briefing import config, pipeline
from briefing.progress import Progress
from briefing.store import Store
from tests.conftest import article_page, rss, write_config

DAY = date(2024, 10, 24)
SPAN = timedelta(hours=24)


def body_for(path: str) -> list[str]:
    """Distinct text per page (identical text would make them one wire copy)."""
    return [
        f"Report {path} paragraph {n}: the defense secretary said more than 1,500 troops had moved."
        for n in range(8)
    ]


def make_site(web, items):
    for item in items:
        web.add(item["path"], article_page(item["title"], body_for(item["path"])))
    feed = [
        {
            "title": i["title"],
            "link": i["path"],
            "date": i.get("date", "Wed, 23 Oct 2024 12:00:00 GMT"),
        }
        for i in items
    ]
    return web.add("/feed.xml", rss(feed), etag='"v1"')


def load(tmp_path, feed_url):
    path = write_config(
        tmp_path,
        f'feeds:\n  - {{name: Wire, url: "{feed_url}", lang: en}}\nfetch: {{allow_private_networks: true, retries: 0}}\n',
    )
    return config.load(path, environ={})


def stories_of(written):
    return json.loads(written["json"].read_text(encoding="utf-8"))["stories"]


def test_a_rebuild_keeps_story_ids_and_does_no_work_twice(tmp_path, web):
    url = make_site(
        web,
        [{"path": "/a", "title": "Troops sent to Russia"}, {"path": "/b", "title": "Port reopens"}],
    )
    cfg = load(tmp_path, url)
    first = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    page_hits = web.hits("/a") + web.hits("/b")
    with Store(cfg.db_path) as store:
        counts = store.counts()
    second = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    assert {s["id"] for s in first} == {s["id"] for s in second}
    assert web.hits("/a") + web.hits("/b") == page_hits == 2  # pages fetched once
    with Store(cfg.db_path) as store:
        assert store.counts()["articles"] == counts["articles"] == 2
        assert store.feed_health([(url, "Wire")])[0].status == "not_modified"


def test_new_articles_join_without_renaming_old_stories(tmp_path, web):
    url = make_site(web, [{"path": "/a", "title": "Troops sent to Russia"}])
    cfg = load(tmp_path, url)
    [old] = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    make_site(
        web,
        [
            {"path": "/a", "title": "Troops sent to Russia"},
            {"path": "/c", "title": "Troops sent to Russia"},
            {"path": "/d", "title": "A different story"},
        ],
    )
    web.routes["/feed.xml"].etag = '"v2"'
    after = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    same = next(s for s in after if s["id"] == old["id"])
    assert len(same["articles"]) == 2 and len(after) == 2


def test_the_window_is_decided_by_published_time(tmp_path, web):
    url = make_site(
        web,
        [
            {"path": "/in", "title": "Inside the window", "date": "Wed, 23 Oct 2024 20:00:00 GMT"},
            {"path": "/old", "title": "Two days old", "date": "Mon, 21 Oct 2024 20:00:00 GMT"},
        ],
    )
    cfg = load(tmp_path, url)
    stories = stories_of(pipeline.build(cfg, DAY, SPAN, formats=("json",)))
    assert [s["headline"]["en"] for s in stories] == ["Inside the window"]
    wider = stories_of(pipeline.build(cfg, DAY, timedelta(days=4), formats=("json",)))
    assert len(wider) == 2


def test_a_feed_that_breaks_later_loses_nothing_already_stored(tmp_path, web):
    url = make_site(web, [{"path": "/a", "title": "Troops sent to Russia"}])
    cfg = load(tmp_path, url)
    pipeline.build(cfg, DAY, SPAN, formats=("json",))
    web.add("/feed.xml", b"<html>gateway error</html>", status=502)
    stories = stories_of(
        pipeline.build(cfg, DAY, SPAN, formats=("json",), progress=Progress(quiet=True))
    )
    assert [s["headline"]["en"] for s in stories] == ["Troops sent to Russia"]


def test_a_page_that_fails_falls_back_to_the_feed_text(tmp_path, web):
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
    cfg = load(tmp_path, url)
    pipeline.build(cfg, DAY, SPAN, formats=("json",))
    with Store(cfg.db_path) as store:
        [row] = store.db.execute(
            "SELECT text, extract_source, extract_error FROM articles"
        ).fetchall()
    assert tuple(row) == ("The feed's own summary of the story.", "feed", "HTTP 403")


def test_article_links_to_private_addresses_are_refused_by_default(tmp_path, web):
    url = make_site(web, [{"path": "/a", "title": "Troops sent to Russia"}])
    path = write_config(
        tmp_path, f'feeds:\n  - {{name: Wire, url: "{url}"}}\nfetch: {{retries: 0}}\n'
    )
    cfg = config.load(path, environ={})
    pipeline.build(cfg, DAY, SPAN, formats=("json",))
    assert web.hits("/a") == 0  # the feed is configured, so allowed; its loopback links are not
    with Store(cfg.db_path) as store:
        [error] = store.db.execute("SELECT extract_error FROM articles").fetchone()
    assert "SSRF guard" in error
