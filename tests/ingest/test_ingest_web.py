"""Ingestion against a real local web server: the hostile and careless web of issue #3."""

import json
import resource
import time
from datetime import date, timedelta

import pytest

from briefing import config, pipeline
from briefing.config import FeedConfig, FetchConfig
from briefing.ingest import articles, feeds
from briefing.ingest.collect import extract_pending, fetch_feeds
from briefing.ingest.http import HttpClient
from briefing.progress import Progress
from briefing.store import Store
from tests.conftest import Route, article_page, ingest, invoke, query, rss, write_config

NOW = feeds.datetime(2024, 10, 23, 12, tzinfo=feeds.UTC)
QUIET = Progress(quiet=True)
BODY = [
    f"Paragraph {n} of the wire report: officials said on Wednesday that 1,500 troops had crossed the border "
    f"near checkpoint {n * 7}, and that talks would resume in Geneva next week."
    for n in range(6)
]


def load(
    tmp_path,
    feeds_yaml: str,
    fetch_yaml: str = "allow_private_networks: true, retries: 0, host_delay: 0",
):
    return config.load(
        write_config(tmp_path, f"feeds:\n{feeds_yaml}\nfetch: {{{fetch_yaml}}}\n"), environ={}
    )


def test_last_modified_alone_makes_the_second_fetch_a_304(web):
    url = web.add(
        "/f.xml", rss([{"title": "A", "link": "/a"}]), last_modified="Wed, 23 Oct 2024 10:00:00 GMT"
    )
    with HttpClient(FetchConfig(retries=0)) as client:
        first = feeds.fetch(client, FeedConfig("T", url), now=NOW)
        second = feeds.fetch(
            client,
            FeedConfig("T", url),
            last_modified=first.last_modified,
            last_unconditional=NOW,
            now=NOW,
        )
    assert (first.status, second.status) == ("ok", "not_modified")


def test_a_50_mb_body_is_cut_at_the_10_mb_default_limit(web):
    web.add("/huge.xml", b"<rss>" + b"x" * 50_000_000)
    with HttpClient(FetchConfig(retries=0)) as client:
        response = client.get(web.url("/huge.xml"))
        result = feeds.fetch(client, FeedConfig("T", web.url("/huge.xml")), now=NOW)
    assert response.truncated and len(response.content) == 10_000_000
    assert result.status == "error" and "limit" in result.error


@pytest.mark.parametrize(
    "encoding, declared",
    [("iso-8859-6", "iso-8859-6"), ("windows-1256", None), ("utf-8-sig", "utf-8")],
)
def test_arabic_feeds_in_legacy_encodings_and_with_a_bom(web, encoding, declared):
    title = "قال المتحدث إن الاجتماع انتهى"
    xml = rss([{"title": title, "link": "/ar/1"}], lang="ar", encoding=encoding.replace("-sig", ""))
    if encoding == "utf-8-sig":
        xml = "\ufeff".encode() + xml
    headers = (
        {"Content-Type": f"application/rss+xml; charset={declared}"}
        if declared
        else {"Content-Type": "text/xml"}
    )
    url = web.add("/ar.xml", xml, headers=headers)
    with HttpClient(FetchConfig(retries=0)) as client:
        result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    assert [e.title for e in result.entries] == [title]


def test_an_entity_expansion_bomb_does_not_blow_up_memory(web):
    bomb = [
        '<?xml version="1.0"?>',
        "<!DOCTYPE rss [",
        '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">',
    ]
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        bomb.append(f'<!ENTITY {chr(ord("a") + level)} "{("&" + previous + ";") * 10}">')
    bomb.append(
        ']><rss version="2.0"><channel><title>&j;</title><item><title>&j;</title><link>/x</link></item></channel></rss>'
    )
    url = web.add("/bomb.xml", "\n".join(bomb))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with HttpClient(FetchConfig(retries=0)) as client:
        result = feeds.fetch(client, FeedConfig("T", url), now=NOW)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert time.monotonic() - started < 5
    assert grown_mb < 200  # fully expanded, the title alone would be 40 GB
    assert all(len(e.title) < 100_000 for e in result.entries)


def test_robots_txt_that_disallows_the_article_path_is_obeyed(tmp_path, web):
    web.add(
        "/robots.txt", "User-agent: *\nDisallow: /news/\n", headers={"Content-Type": "text/plain"}
    )
    web.add("/news/a", article_page("Blocked story", BODY))
    web.add(
        "/open/b", article_page("Open story", BODY[:3] + ["A different report altogether. " * 12])
    )
    url = web.add(
        "/f.xml",
        rss(
            [
                {"title": "Blocked story", "link": "/news/a", "description": "Feed text."},
                {"title": "Open story", "link": "/open/b"},
            ]
        ),
    )
    rows = ingest(load(tmp_path, f'  - {{name: W, url: "{url}"}}'))
    assert web.hits("/news/a") == 0 and web.hits("/open/b") == 1 and web.hits("/robots.txt") == 1
    blocked = next(r for r in rows if r["title"] == "Blocked story")
    assert blocked["extract_source"] == "feed" and "robots.txt" in blocked["extract_error"]
    assert blocked["text"] == "Feed text."


def test_robots_crawl_delay_and_the_host_delay_space_page_requests(tmp_path, web):
    web.add("/robots.txt", "User-agent: *\nCrawl-delay: 1\n")
    items = []
    for n in range(3):
        web.add(f"/p{n}", article_page(f"Story {n}", [f"Story {n} unique text {n * 13} " * 30]))
        items.append({"title": f"Story {n}", "link": f"/p{n}"})
    url = web.add("/f.xml", rss(items))
    started = time.monotonic()
    ingest(load(tmp_path, f'  - {{name: W, url: "{url}"}}'))
    assert time.monotonic() - started >= 2.0  # three pages, one second apart


def test_tracking_parameters_do_not_make_two_articles(tmp_path, web):
    web.add("/story", article_page("One story", BODY))
    one = web.add(
        "/one.xml", rss([{"title": "One story", "link": "/story?utm_source=rss&utm_medium=feed"}])
    )
    two = web.add("/two.xml", rss([{"title": "One story", "link": "/story?fbclid=abc#comments"}]))
    cfg = load(tmp_path, f'  - {{name: One, url: "{one}"}}\n  - {{name: Two, url: "{two}"}}')
    rows = ingest(cfg)
    originals = [r for r in rows if r["duplicate_of"] is None]
    assert len(rows) == 2 and len(originals) == 1
    assert web.hits("/story?utm_source=rss&utm_medium=feed") + web.hits("/story?fbclid=abc") == 1


def test_link_rel_canonical_joins_two_links_of_one_article(tmp_path, web):
    page = article_page("Canonical story", BODY).replace(
        "<head>", f'<head><link rel="canonical" href="{web.url("/canonical")}">'
    )
    web.add("/amp/x", page)
    web.add(
        "/mobile/x", page.replace("Paragraph", "Section")
    )  # different enough text, same canonical
    url = web.add(
        "/f.xml",
        rss(
            [
                {"title": "Canonical story", "link": "/amp/x"},
                {"title": "Canonical story (mobile)", "link": "/mobile/x"},
            ]
        ),
    )
    rows = ingest(load(tmp_path, f'  - {{name: W, url: "{url}"}}'))
    assert [r["duplicate_of"] is None for r in rows] == [True, False]


def test_a_syndicated_wire_copy_is_one_article_with_two_outlets(tmp_path, web):
    web.add("/ap/quake", article_page("Quake hits the east", BODY))
    web.add(
        "/other/quake",
        article_page("Strong quake hits the east", BODY + ["Copyright 2024 The Associated Press."]),
    )
    web.add(
        "/other/own",
        article_page(
            "Own reporting",
            [f"Our correspondent {n} saw ruins in the old town." * 3 for n in range(6)],
        ),
    )
    ap = web.add(  # AP's feed answers last, so the republication gets the lower id
        "/ap.xml",
        rss(
            [
                {
                    "title": "Quake hits the east",
                    "link": "/ap/quake",
                    "date": "Wed, 23 Oct 2024 09:00:00 GMT",
                }
            ]
        ),
        delay=0.5,
    )
    other = web.add(
        "/other.xml",
        rss(
            [
                {
                    "title": "Strong quake hits the east",
                    "link": "/other/quake",
                    "date": "Wed, 23 Oct 2024 10:00:00 GMT",
                },
                {"title": "Own reporting", "link": "/other/own"},
            ]
        ),
    )
    cfg = load(tmp_path, f'  - {{name: AP, url: "{ap}"}}\n  - {{name: Other, url: "{other}"}}')
    written = pipeline.build(cfg, date(2024, 10, 24), timedelta(hours=24), formats=("json",))
    stories = json.loads(written["json"].read_text())["stories"]
    quake = next(s for s in stories if any("Quake" in a["title"] for a in s["articles"]))
    assert sorted(a["outlet"] for a in quake["articles"]) == ["AP", "Other"]
    copy = next(a for a in quake["articles"] if a["outlet"] == "Other")
    assert copy["duplicate_of"] == web.url("/ap/quake")
    assert len(stories) == 2  # the outlet's own reporting stays its own story


def test_a_permanent_redirect_moves_the_feed_and_is_reported(tmp_path, web):
    web.add("/old.xml", status=301, headers={"Location": "/new.xml"})
    web.add("/new.xml", rss([{"title": "A", "link": "/a"}]))
    cfg = load(
        tmp_path,
        f'  - {{name: W, url: "{web.url("/old.xml")}"}}',
        "retries: 0, fetch_pages: false, allow_hosts: [127.0.0.1]",  # a public site stand-in
    )
    ingest(cfg)
    ingest(cfg)
    assert web.hits("/old.xml") == 1 and web.hits("/new.xml") == 2
    result = invoke("feeds", cwd=tmp_path)
    assert f"moved permanently to {web.url('/new.xml')}" in result.stdout


def test_an_arabic_page_in_windows_1256_is_extracted(tmp_path, web):
    text = [
        "قال وزير الخارجية في مؤتمر صحفي إن المحادثات ستستأنف الأسبوع المقبل في جنيف بمشاركة الطرفين. "
        * 3
    ]
    page = article_page("المحادثات تستأنف", text, lang="ar").replace('<meta charset="utf-8">', "")
    web.routes["/ar"] = Route(
        body=page.encode("cp1256"), headers={"Content-Type": "text/html; charset=windows-1256"}
    )
    url = web.add("/f.xml", rss([{"title": "المحادثات تستأنف", "link": "/ar"}], lang="ar"))
    [row] = ingest(load(tmp_path, f'  - {{name: W, url: "{url}"}}'))
    assert (
        row["extract_source"] == "page"
        and "قال وزير الخارجية" in row["text"]
        and row["lang"] == "ar"
    )


def test_fetching_twice_stores_nothing_new_and_requests_no_article(tmp_path, web):
    web.add("/a", article_page("A story", BODY))
    url = web.add("/f.xml", rss([{"title": "A story", "link": "/a"}]), etag='"1"')
    load(tmp_path, f'  - {{name: W, url: "{url}"}}')
    first = invoke("fetch", cwd=tmp_path)
    requests_after_first = len(web.requests)
    second = invoke("fetch", cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert "1 new articles" in first.stderr and "0 new articles, 0 pages extracted" in second.stderr
    assert [p for p, _ in web.requests[requests_after_first:]] == [
        "/f.xml"
    ]  # one conditional GET, answered 304
    assert web.requests[-1][1].get("if-none-match") == '"1"'


def test_extraction_keeps_page_metadata():
    page = article_page("Title here", BODY).replace(
        "<head>",
        '<head><meta name="author" content="Jane Reporter"><meta property="og:image" content="http://x.org/i.jpg">',
    )
    found = articles.extract(page, "http://x.org/a")
    assert (
        found.title == "Title here"
        and found.author == "Jane Reporter"
        and found.image == "http://x.org/i.jpg"
    )
    assert found.published is not None and found.text.startswith("Paragraph 0")


@pytest.mark.parametrize(
    "title, lead",
    [
        (
            "Floods cut the coastal road north of the port city",
            "Floods cut the coastal road north of the port city. Some 2,400 families left their homes.",
        ),
        (
            "Floods cut the coastal road north of the port city on Monday.",
            "Floods cut the coastal road north of the port city on Monday.",
        ),
        (
            "أغلقت السيول الطريق الساحلي شمال المدينة",
            "أغلقت السيول الطريق الساحلي شمال المدينة. وغادرت نحو 2400 عائلة منازلها.",
        ),
    ],
)
def test_a_headline_that_is_the_leads_first_sentence_stays_in_the_body(title, lead):
    # The headline stands in a header apart from the body, which trafilatura leaves out.
    page = article_page(title, [lead, *BODY]).replace(
        f"<article><h1>{title}</h1>", f"<header><h1>{title}</h1></header><article>"
    )
    found = articles.extract(page, "http://x.org/a")
    assert found.text.startswith(lead)


def test_extraction_in_worker_processes_stores_the_same_as_in_process(tmp_path, web):
    items = []
    for n in range(6):
        web.add(
            f"/p{n}",
            article_page(
                f"Story {n}",
                [f"Paragraph {k} of story {n}, with details {n * k}." * 3 for k in range(5)],
            ),
        )
        items.append({"title": f"Story {n}", "link": f"/p{n}"})
    url = web.add("/f.xml", rss(items))
    results = []
    for parallel_from, folder in ((1, tmp_path / "workers"), (10_000, tmp_path / "inline")):
        folder.mkdir()
        cfg = load(folder, f'  - {{name: W, url: "{url}"}}')
        with Store(cfg.db_path) as store, HttpClient(cfg.fetch) as client:
            fetch_feeds(cfg, store, client, QUIET)
            extract_pending(cfg, store, client, QUIET, parallel_from=parallel_from)
            results.append(
                sorted(
                    tuple(r)
                    for r in query(store, "SELECT url, text, lang, extract_source FROM articles")
                )
            )
    assert results[0] == results[1] and all(row[3] == "page" for row in results[0])
