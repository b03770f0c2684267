"""The archive beside the editions: index.json and index.html, rebuilt after every build."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from briefing.progress import Progress
from briefing.render import archive
from briefing.render.edition import write_edition
from tests.conftest import ROOT
from tests.render.editions import NAMES, config_in, edition, story

SCHEMA = json.loads((ROOT / "briefing" / "schemas" / "index.schema.json").read_text())
NOW = datetime(2024, 10, 26, 3, tzinfo=UTC)


def build_days(folder: Path, days: dict[str, list], formats=("html", "pdf", "json"), theme=""):
    """Write each day's edition as the pipeline does, then the archive; returns (config, index data)."""
    cfg = config_in(folder, theme)
    for day, stories in days.items():
        write_edition(edition(stories, day), cfg, formats, Progress(quiet=True))
    written = archive.write(cfg, NOW)
    return cfg, json.loads(written["json"].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def three_days(tmp_path_factory):
    """Three days; the harbour story (same id) runs from the 23rd to the 25th."""
    harbour = "s-harbour"
    days = {
        "2024-10-23": [story(0, rank=1, story_id=harbour), story(1, rank=2)],
        "2024-10-24": [story(2, rank=1), story(0, rank=2, story_id=harbour), story(3, rank=3)],
        "2024-10-25": [
            story(4, rank=1),
            story(5, rank=2),
            story(0, rank=3, story_id=harbour),
            story(6, rank=4),
        ],
    }
    folder = tmp_path_factory.mktemp("archive")
    cfg, data = build_days(folder, days, formats=("html", "json"))
    return cfg, data


def test_the_index_lists_editions_newest_first_with_counts_and_files(three_days):
    cfg, data = three_days
    jsonschema.validate(data, SCHEMA)
    assert [e["date"] for e in data["editions"]] == ["2024-10-25", "2024-10-24", "2024-10-23"]
    assert [e["stories"] for e in data["editions"]] == [4, 3, 2]
    newest = data["editions"][0]
    assert newest["files"] == {
        "html": "2024-10-25/briefing.html",
        "json": "2024-10-25/briefing.json",
    }
    for files in (e["files"] for e in data["editions"]):
        assert all((cfg.output_dir / path).is_file() for path in files.values())


def test_the_top_three_headlines_come_in_both_languages(three_days):
    _, data = three_days
    newest = data["editions"][0]
    assert [s["rank"] for s in newest["top"]] == [1, 2, 3]  # the fourth story is left out
    assert all(set(s["headline"]) == {"ar", "en"} for s in newest["top"])
    assert newest["top"][0]["headline"]["en"].startswith(NAMES[4])
    assert newest["top"][0]["link"] == f"2024-10-25/briefing.html#{newest['top'][0]['id']}"


def test_a_continuing_story_links_back_to_the_edition_where_it_began(three_days):
    _, data = three_days
    by_date = {e["date"]: e for e in data["editions"]}
    harbour_25 = next(s for s in by_date["2024-10-25"]["top"] if s["id"] == "s-harbour")
    harbour_24 = next(s for s in by_date["2024-10-24"]["top"] if s["id"] == "s-harbour")
    began = {
        "date": "2024-10-23",
        "edition": "2024-10-23",
        "link": "2024-10-23/briefing.html#s-harbour",
    }
    assert harbour_25["developing_since"] == began and harbour_24["developing_since"] == began
    assert by_date["2024-10-23"]["top"][0]["developing_since"] is None  # where it began
    others = [s for e in data["editions"] for s in e["top"] if s["id"] != "s-harbour"]
    assert all(s["developing_since"] is None for s in others)


def test_the_archive_page_shows_the_same_with_working_relative_links(three_days):
    cfg, _ = three_days
    page = (cfg.output_dir / "index.html").read_text(encoding="utf-8")
    dates = re.findall(r'<time datetime="([\d-]+)">', page)
    assert dates == ["2024-10-25", "2024-10-24", "2024-10-23"]
    links = re.findall(r'href="([^"]+)"', page)
    assert links and all((cfg.output_dir / link.split("#")[0]).is_file() for link in links)
    assert 'href="2024-10-23/briefing.html#s-harbour"' in page
    assert "Developing since 23 Oct" in page and "قصة متطورة منذ 23 أكتوبر" in page
    assert '<div class="headline" lang="ar" dir="rtl">' in page
    # Each edition links back to the archive it sits in.
    edition_page = (cfg.output_dir / "2024-10-24" / "briefing.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in edition_page


def test_a_story_ranked_below_what_the_page_shows_links_to_the_page_not_a_missing_card(tmp_path):
    days = {"2024-10-24": [story(n) for n in range(1, 4)]}
    _, data = build_days(tmp_path, days, formats=("html", "json"), theme="top_stories: 2")
    links = [s["link"] for s in data["editions"][0]["top"]]
    assert links == [
        "2024-10-24/briefing.html#s0001",
        "2024-10-24/briefing.html#s0002",
        "2024-10-24/briefing.html",
    ]


def test_a_story_begun_before_the_oldest_edition_says_its_first_day_without_a_link(tmp_path):
    first = datetime(2024, 10, 20, 22, tzinfo=UTC)  # 21 Oct in Riyadh
    days = {"2024-10-24": [story(1, first_seen=first)]}
    _, data = build_days(tmp_path, days, formats=("json",))
    since = data["editions"][0]["top"][0]["developing_since"]
    assert since == {"date": "2024-10-21", "edition": None, "link": None}
    jsonschema.validate(data, SCHEMA)


def test_a_damaged_edition_is_listed_without_stories_and_the_others_survive(tmp_path, caplog):
    cfg, _ = build_days(tmp_path, {"2024-10-24": [story(1)]}, formats=("html", "json"))
    broken = cfg.output_dir / "2024-10-23"
    broken.mkdir()
    (broken / "briefing.json").write_text("{not json", encoding="utf-8")
    (cfg.output_dir / "notes").mkdir()  # not an edition folder: ignored
    data = json.loads(archive.write(cfg, NOW)["json"].read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert [(e["date"], e["stories"]) for e in data["editions"]] == [
        ("2024-10-24", 1),
        ("2024-10-23", None),
    ]
    assert "2024-10-23/briefing.json unreadable" in caplog.text


def test_an_empty_output_folder_gets_an_archive_that_says_so(tmp_path):
    cfg = config_in(tmp_path)
    cfg.output_dir.mkdir()
    written = archive.write(cfg, NOW)
    assert json.loads(written["json"].read_text())["editions"] == []
    assert "No edition has been built yet." in written["html"].read_text(encoding="utf-8")


def test_index_is_pure_and_orders_by_date_not_by_folder_listing():
    def stored(day, ids):
        stories = [{"id": i, "rank": r, "headline": {"en": i}} for r, i in enumerate(ids, start=1)]
        return archive.StoredEdition(day, {"stories": stories}, {"json": f"{day}/briefing.json"})

    data = archive.index(
        [stored("2024-10-25", ["b", "a"]), stored("2024-10-23", ["a"])],
        shown=20,
        tz=UTC,
        generated_at=NOW - timedelta(hours=1),
    )
    assert [e["date"] for e in data["editions"]] == ["2024-10-25", "2024-10-23"]
    a = data["editions"][0]["top"][1]
    assert a["developing_since"] == {"date": "2024-10-23", "edition": "2024-10-23", "link": None}
    assert data["generated_at"] == "2024-10-26T02:00:00Z"


@pytest.mark.slow
def test_every_build_rewrites_the_archive(demo_build):
    output = demo_build["json"].parent.parent
    data = json.loads((output / "index.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["editions"][0]["date"] == "2024-10-24" and data["editions"][0]["stories"] == 4
    assert (output / "index.html").is_file()
