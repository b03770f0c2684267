from datetime import UTC, datetime

import pytest

from briefing.config import FeedConfig, FetchConfig
from briefing.ingest import feeds
from briefing.ingest.http import HttpClient
from tests.conftest import rss

NOW = datetime(2024, 10, 23, 12, tzinfo=UTC)
ITEMS = [
    {
        "title": "First",
        "link": "/news/1",
        "guid": "id-1",
        "date": "Wed, 23 Oct 2024 09:00:00 +0300",
    },
    {"title": "Second", "link": "http://example.org/news/2"},
]


@pytest.fixture
def client():
    with HttpClient(FetchConfig(timeout=5, retries=0)) as c:
        yield c


def test_entries_get_a_stable_key_a_utc_time_and_absolute_links(web, client):
    url = web.add("/feed.xml", rss(ITEMS), headers={"Content-Type": "application/rss+xml"})
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert result.status == "ok" and result.error is None
    first, second = result.entries
    assert first.key == "id-1" and first.url == web.url("/news/1")
    assert first.published == datetime(2024, 10, 23, 6, tzinfo=UTC)
    assert second.key == "http://example.org/news/2"


def test_a_second_fetch_is_conditional_and_a_304_costs_no_parsing(web, client):
    url = web.add(
        "/feed.xml", rss(ITEMS), etag='"v1"', last_modified="Wed, 23 Oct 2024 10:00:00 GMT"
    )
    first = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert first.etag == '"v1"' and first.last_modified == "Wed, 23 Oct 2024 10:00:00 GMT"
    second = feeds.fetch(
        client,
        FeedConfig("T", url),
        etag=first.etag,
        last_modified=first.last_modified,
        last_unconditional=NOW,
        now=NOW,
    )
    assert second.status == "not_modified" and second.entries == ()
    sent = web.requests[-1][1]
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == first.last_modified


def test_an_unconditional_fetch_happens_once_a_day(web, client):
    url = web.add("/feed.xml", rss(ITEMS), etag='"v1"')
    stale = datetime(2024, 10, 22, 11, tzinfo=UTC)
    result = feeds.fetch(
        client, FeedConfig("T", url), etag='"v1"', last_unconditional=stale, now=NOW
    )
    assert result.status == "ok" and result.unconditional
    assert "if-none-match" not in web.requests[-1][1]


def test_a_windows_1256_arabic_feed_is_decoded(web, client):
    items = [{"title": "قال وزير الدفاع إن القوات وصلت", "link": "/ar/1"}]
    url = web.add(
        "/ar.xml",
        rss(items, lang="ar", encoding="windows-1256"),
        headers={"Content-Type": "application/rss+xml; charset=windows-1256"},
    )
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert result.entries[0].title == "قال وزير الدفاع إن القوات وصلت"


def test_blank_lines_before_the_xml_declaration_are_no_fault():
    entries, warning = feeds.parse(b"\n\n\n" + rss(ITEMS), "http://example.org/f.xml")
    assert [e.title for e in entries] == ["First", "Second"] and warning is None


def test_malformed_xml_keeps_the_entries_it_recovered_with_a_warning(web, client):
    broken = rss(ITEMS).replace(b"</channel></rss>", b"<item><title>Broken & unescaped</title>")
    url = web.add("/broken.xml", broken)
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert result.status == "ok"
    assert result.error.startswith("malformed feed")
    assert [e.title for e in result.entries][:2] == ["First", "Second"]


def test_an_html_page_instead_of_a_feed_is_a_clear_error(web, client):
    url = web.add(
        "/page",
        "<!DOCTYPE html><html><body><p>Welcome</p></body></html>",
        headers={"Content-Type": "text/html"},
    )
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert result.status == "error" and "HTML page" in result.error


def test_http_errors_are_reported_not_raised(web, client):
    result = feeds.fetch(client, FeedConfig("T", web.url("/gone")), now=NOW)
    assert (result.status, result.http_status, result.error) == ("error", 404, "HTTP 404 Not Found")


def test_a_local_feed_file_resolves_relative_links_against_itself(tmp_path, client):
    (tmp_path / "feeds").mkdir()
    path = tmp_path / "feeds" / "f.xml"
    path.write_bytes(rss([{"title": "Local", "link": "../pages/a.html"}]))
    result = feeds.fetch(client, FeedConfig("T", path.as_uri()), now=NOW)
    assert result.entries[0].url == (tmp_path / "pages" / "a.html").as_uri()
