"""Sizes: a huge page or text is cut, never keeps the pipeline busy for minutes."""

import json
from datetime import date, timedelta

from briefing import analyze, config, pipeline
from briefing.ingest.collect import fetch_round
from briefing.ingest.http import HttpClient
from briefing.progress import Progress
from briefing.store import Store
from tests.conftest import article_page, invoke, query, rss, write_config
from tests.hostile.conftest import report_site

SENTENCE = (
    'The harbour master said: "Ships will wait outside the port until the storm passes." '
    "About 1,200 containers were unloaded on Tuesday.\n"
)


def test_analyze_on_a_20_mb_text_reads_its_first_part_and_says_so(tmp_path):
    source = tmp_path / "huge.txt"
    source.write_text(SENTENCE * (20_000_000 // len(SENTENCE)), encoding="utf-8")
    result = invoke("analyze", str(source), "--json")
    assert result.returncode == 0, result.stderr
    assert "only the first 100,000 analysed" in result.stderr
    found = json.loads(result.stdout)
    assert len(found["text"]) <= analyze.MAX_CHARS and found["text"].endswith("Tuesday.")
    assert found["quotes"] and found["figures"]


def test_a_10000_entry_feed_gives_its_newest_pages_and_the_rest_wait(tmp_path, web, caplog):
    url = report_site(web, 10_000)
    cfg = config.load(
        write_config(
            tmp_path,
            f'feeds:\n  - {{name: Endless, url: "{url}"}}\n'
            "fetch: {allow_private_networks: true, retries: 0, host_delay: 0, pages_per_feed: 5}\n",
        ),
        environ={},
    )
    with (
        caplog.at_level("WARNING", logger="briefing"),
        Store(cfg.db_path) as store,
        HttpClient(cfg.fetch) as client,
    ):
        report = fetch_round(cfg, store, client, Progress(quiet=True))
        [health] = store.feed_health([(url, "Endless")])
    assert report.new_articles == 10_000 and report.extracted == 5
    asked = [path for path, _ in web.requests if path.startswith("/p/") and path[3:].isdigit()]
    assert sorted(asked) == [f"/p/{n}" for n in range(5)]  # the newest five
    assert health.pages_waiting == 9_995
    assert (
        "Endless: 10,000 articles to fetch; the newest 5 taken this round (fetch.pages_per_feed), "
        "the other 9,995 wait for the next rounds"
    ) in caplog.messages


def test_a_9_5_mb_page_is_read_and_its_analysis_cut_short(tmp_path, web, caplog):
    # Heavy the way real pages are: a large inline state script around a long text.
    state = "<script>window.state = " + json.dumps(["x" * 80] * 110_000) + ";</script>"
    body = [f"Paragraph {n}. {SENTENCE}" for n in range(1_600)]  # about 200,000 characters
    page = article_page("A very long report", body).replace("</head>", state + "</head>")
    assert 9_400_000 < len(page) < 9_600_000
    web.add("/long", page)
    url = web.add("/f.xml", rss([{"title": "A very long report", "link": "/long"}]))
    cfg = config.load(
        write_config(
            tmp_path,
            f'feeds:\n  - {{name: Heavy, url: "{url}"}}\n'
            "fetch: {allow_private_networks: true, retries: 0}\n",
        ),
        environ={},
    )
    with caplog.at_level("WARNING", logger="briefing"):
        written = pipeline.build(cfg, date(2024, 10, 24), timedelta(hours=24), formats=("json",))
    [story] = json.loads(written["json"].read_text())["stories"]
    assert story["articles"][0]["title"] == "A very long report"
    assert story["quotes"] and story["figures"]
    [warning] = [m for m in caplog.messages if "analysed" in m]
    assert warning.endswith("characters; only the first 100,000 analysed")
    with Store(cfg.db_path) as store:
        [(source, length)] = query(store, "SELECT extract_source, length(text) FROM articles")
    assert source == "page" and length > analyze.MAX_CHARS  # stored whole, analysed in part
