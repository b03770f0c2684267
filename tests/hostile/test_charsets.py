"""Arabic garbled for good: a bad byte, or no declared charset, spoils nothing else."""

from datetime import UTC, datetime

import pytest

from briefing.config import FeedConfig, FetchConfig
from briefing.ingest import feeds
from briefing.ingest.http import HttpClient
from tests.conftest import rss

NOW = datetime(2024, 10, 23, 12, tzinfo=UTC)
ARABIC_ITEMS = [
    {"title": "أعلنت الحكومة خطة جديدة للمياه", "link": "/ar/1", "description": "تفاصيل الخطة"},
    {"title": "افتتاح جسر يربط ضفتي النهر", "link": "/ar/2", "description": "حضر الوزير الافتتاح"},
]


@pytest.fixture
def client():
    with HttpClient(FetchConfig(timeout=5, retries=0)) as c:
        yield c


def test_one_bad_byte_in_a_utf8_arabic_feed_spoils_only_itself(web, client):
    body = rss(ARABIC_ITEMS, lang="ar").replace("تفاصيل".encode(), "تفاصيل".encode() + b"\xff")
    url = web.add("/ar.xml", body, headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert [e.title for e in result.entries] == [i["title"] for i in ARABIC_ITEMS]
    assert result.status == "ok" and "1 byte not valid utf-8, replaced" in result.error


@pytest.mark.parametrize("encoding", ["windows-1256", "iso-8859-6"])
def test_an_undeclared_arabic_code_page_is_recognised(web, client, encoding):
    body = rss(ARABIC_ITEMS, lang="ar", encoding=encoding).replace(
        f' encoding="{encoding}"'.encode(), b""
    )
    url = web.add("/ar.xml", body, headers={"Content-Type": "application/rss+xml"})
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert [e.title for e in result.entries] == [i["title"] for i in ARABIC_ITEMS]
    assert "no charset declared" in result.error  # a guess is said, never silent


def test_an_undeclared_latin_feed_is_not_read_as_arabic(web, client):
    items = [{"title": "Últimas notícias da região", "link": "/pt/1"}]
    body = rss(items, lang="pt", encoding="latin-1").replace(b' encoding="latin-1"', b"")
    url = web.add("/pt.xml", body, headers={"Content-Type": "application/rss+xml"})
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert [e.title for e in result.entries] == ["Últimas notícias da região"]


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252"])
def test_an_arabic_feed_labelled_latin_by_its_server_is_read_as_arabic_and_said(
    web, client, declared
):
    # A careless server labels every feed it serves with one Latin code page.
    body = rss(ARABIC_ITEMS, lang="ar", encoding="windows-1256").replace(
        b' encoding="windows-1256"', b""
    )
    url = web.add(
        "/ar.xml", body, headers={"Content-Type": f"application/rss+xml; charset={declared}"}
    )
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert [e.title for e in result.entries] == [i["title"] for i in ARABIC_ITEMS]
    assert "windows-1256" in result.error and "declared" in result.error  # said, not silent


def test_a_latin_feed_declared_latin_is_read_as_declared_without_a_word(web, client):
    items = [{"title": "Últimas notícias da região: café e pão", "link": "/pt/1"}]
    body = rss(items, lang="pt", encoding="latin-1")
    url = web.add("/pt.xml", body, headers={"Content-Type": "application/rss+xml; charset=latin-1"})
    result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert [e.title for e in result.entries] == [items[0]["title"]]
    assert result.error is None
