"""Silent loss: items sharing a GUID, and feeds cut off by a server error, keep what they hold."""

import pytest

from briefing import config
from briefing.ingest import feeds
from briefing.store import Store
from tests.conftest import ingest, rss, write_config

ITEMS = [
    {"title": "First report", "link": "/news/1", "description": "The first summary."},
    {"title": "Second report", "link": "/news/2", "description": "The second summary."},
    {"title": "Third report", "link": "/news/3", "description": "The third summary."},
]
SERVER_ERROR = (
    b"<!--Property passed to loop is null--><!-- Exception rendering module on server -->"
)


def load(tmp_path, feed_url: str):
    return config.load(
        write_config(
            tmp_path,
            f'feeds:\n  - {{name: W, url: "{feed_url}"}}\nfetch: {{retries: 0, fetch_pages: false}}\n',
        ),
        environ={},
    )


def test_items_sharing_one_guid_with_different_links_are_all_kept(tmp_path, web):
    items = [
        {"title": f"Story {n}", "link": f"/s{n}", "guid": "same-guid", "description": "Text."}
        for n in range(5)
    ]
    items.append(dict(items[0]))  # the same item listed twice is one article
    cfg = load(tmp_path, web.add("/f.xml", rss(items)))
    assert sorted(r["title"] for r in ingest(cfg)) == [f"Story {n}" for n in range(5)]
    assert len(ingest(cfg)) == 5  # and a second fetch adds none


def test_a_feed_cut_off_by_a_server_error_keeps_the_items_before_the_cut(tmp_path, web):
    whole = rss(ITEMS)
    cut = whole[: whole.index(b"<item>", whole.index(b"Second report"))] + SERVER_ERROR
    url = web.add("/f.xml", cut, headers={"Content-Type": "application/rss+xml"})
    cfg = load(tmp_path, url)
    assert [r["title"] for r in ingest(cfg)] == ["First report", "Second report"]
    with Store(cfg.db_path) as store:
        [health] = store.feed_health([(url, "W")])
    assert health.status == "ok" and health.error.startswith("malformed feed")  # said, not silent


def test_a_feed_cut_off_before_its_items_is_one_clear_error():
    head = rss(ITEMS).split(b"<item>")[0] + SERVER_ERROR
    with pytest.raises(ValueError, match="^not a feed: the document is cut off before any item$"):
        feeds.parse(head, "http://example.org/f.xml")
