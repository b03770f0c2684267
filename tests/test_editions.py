"""Several editions from one crawl: the demo feeds served over loopback, two desks, real SMTP."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing import config, schedule
from briefing.stories.select import keyword_pattern, normalise
from tests.conftest import DEMO, FakeWeb, invoke, write_config

pytestmark = pytest.mark.slow
DAY = "2024-10-24"
RIYADH = ZoneInfo("Asia/Riyadh")
FEEDS = [
    ("CNN", "cnn.xml", "en", "[wires]"),
    ("AP", "ap.xml", "en", "[wires]"),
    ("Asharq Al-Awsat", "aawsat-ar.xml", "ar", "[gulf]"),
    ("Asharq Al-Awsat English", "aawsat-en.xml", "en", "[gulf]"),
    ("Al Jazeera", "aljazeera.xml", "en", "[gulf]"),
    ("BBC Arabic", "bbc-arabic.xml", "ar", "[]"),
]
# English-only rules on purpose: the Arabic coverage must come with the story.
EDITIONS = """editions:
  - name: gulf
    title: Gulf Desk
    title_ar: مكتب الخليج
    feeds: [gulf]
    topics: {include: [desalination]}
    edition_time: "05:30"
    email: {to: [gulf-desk@example.org]}
  - name: asia
    title: Asia Desk
    topics: {entities: [North Korea, Japan]}
    edition_time: "07:00"
    email: {to: [asia-desk@example.org], cc: [editor@example.org], bcc: [archive@example.org]}
"""


def serve_demo(web: FakeWeb) -> None:
    """The demo's feeds and pages on loopback (its relative links resolve to /pages/…)."""
    for folder in ("feeds", "pages"):
        for path in sorted((DEMO / folder).iterdir()):
            kind = "application/xml" if folder == "feeds" else "text/html; charset=utf-8"
            web.add(f"/{folder}/{path.name}", path.read_bytes(), headers={"Content-Type": kind})


def desks_config(folder: Path, web: FakeWeb, *, editions: str = EDITIONS, email: str = "") -> Path:
    feeds = "\n".join(
        f"  - {{name: {name}, url: '{web.url('/feeds/' + file)}', lang: {lang}, tags: {tags}}}"
        for name, file, lang, tags in FEEDS
    )
    return write_config(
        folder,
        f"feeds:\n{feeds}\ntimezone: Asia/Riyadh\n"
        "fetch: {allow_private_networks: true, retries: 0, host_delay: 0}\n"
        f"{email}{editions}",
    )


def mail_settings(port: int) -> str:
    return (
        f"email:\n  smtp: {{host: 127.0.0.1, port: {port}, security: none}}\n"
        '  from: "Briefing <briefing@example.org>"\n  retry_wait: 0.1\n'
    )


@dataclass
class Desks:
    folder: Path
    web: FakeWeb
    config: Path
    hits: dict[str, int]  # requests per path during the build of both editions

    def edition(self, name: str) -> dict:
        path = self.folder / "output" / name / DAY / "briefing.json"
        return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def desks(tmp_path_factory):
    """Two desks built by one `briefing build` over the demo feeds on loopback."""
    web = FakeWeb()
    serve_demo(web)
    folder = tmp_path_factory.mktemp("desks")
    path = desks_config(folder, web, email=mail_settings(1))  # no mail server: build only
    result = invoke("--config", str(path), "build", "--date", DAY)
    assert result.returncode == 0, result.stderr
    hits = {p: web.hits(p) for p in web.routes}
    yield Desks(folder, web, path, hits)
    web.close()


def headlines(edition: dict) -> list[str]:
    return [s["headline"].get("en", "") for s in edition["stories"]]


def test_one_build_writes_each_edition_in_its_own_folder(desks):
    for name in ("gulf", "asia"):
        folder = desks.folder / "output" / name / DAY
        assert {p.name for p in folder.glob("briefing.*")} == {
            "briefing.pdf",
            "briefing.html",
            "briefing.json",
        }
        assert desks.edition(name)["edition"] == name
        # Each edition's archive lists its own issues, in its own folder.
        archive = json.loads((folder.parent / "index.json").read_text(encoding="utf-8"))
        assert [e["date"] for e in archive["editions"]] == [DAY]
        assert archive["editions"][0]["files"]["pdf"] == f"{DAY}/briefing.pdf"
    assert not (desks.folder / "output" / DAY).exists()  # no default edition beside them
    assert not (desks.folder / "output" / "index.html").exists()


def test_two_editions_get_the_stories_their_rules_ask_for(desks):
    gulf, asia = desks.edition("gulf"), desks.edition("asia")
    assert [h for h in headlines(gulf) if "desalination" in h.lower()] == headlines(gulf)
    assert len(gulf["stories"]) == 1
    assert len(asia["stories"]) == 1 and "North Korean" in headlines(asia)[0]
    assert not {s["id"] for s in gulf["stories"]} & {s["id"] for s in asia["stories"]}
    # The earthquake and the cholera stories match neither desk.
    assert not any("earthquake" in h.lower() or "cholera" in h.lower() for h in headlines(asia))


def test_an_english_only_rule_keeps_the_arabic_articles_of_the_story(desks):
    [story] = desks.edition("gulf")["stories"]
    arabic = [a for a in story["articles"] if a["lang"] == "ar"]
    assert [a["outlet"] for a in arabic] == ["Asharq Al-Awsat"]
    # On its own the Arabic article fails the rule: it is there because its story passed.
    with sqlite3.connect(config.load(desks.config, environ={}).db_path) as db:
        title, text = db.execute(
            "SELECT title, text FROM articles WHERE url=?", (arabic[0]["url"],)
        ).fetchone()
    assert len(text) > 200
    assert keyword_pattern(["desalination"]).search(normalise(f"{title}\n{text}")) is None
    assert "ar" in story["headline"] and "en" in story["headline"]


def test_an_edition_shows_only_the_articles_of_its_feeds(desks):
    gulf_feeds = {"Asharq Al-Awsat", "Asharq Al-Awsat English", "Al Jazeera"}
    gulf = desks.edition("gulf")
    assert {f["name"] for f in gulf["feeds"]} == gulf_feeds
    assert {a["outlet"] for s in gulf["stories"] for a in s["articles"]} <= gulf_feeds
    # Asia draws on every feed: the BBC Arabic and AP reports of the troops are in it.
    [story] = desks.edition("asia")["stories"]
    assert {"AP", "BBC Arabic", "CNN", "Asharq Al-Awsat"} <= {
        a["outlet"] for a in story["articles"]
    }


def test_a_page_is_fetched_once_for_two_editions(desks):
    pages = {p: n for p, n in desks.hits.items() if p.startswith("/pages/")}
    feeds = {p: n for p, n in desks.hits.items() if p.startswith("/feeds/")}
    # Each feed answered once, and each page linked from it was fetched once, for both desks.
    assert feeds == {f"/feeds/{file}": 1 for _, file, _, _ in FEEDS}
    assert set(pages.values()) == {1} and len(pages) == len(list((DEMO / "pages").iterdir()))


def test_building_one_edition_again_fetches_its_feeds_and_no_page(desks):
    before = {p: desks.web.hits(p) for p in desks.web.routes}
    result = invoke("--config", str(desks.config), "build", "--date", DAY, "--edition", "gulf")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(desks.folder / "output" / "gulf" / DAY / f"briefing.{fmt}")
        for fmt in ("pdf", "html", "json")
    ]
    grown = {p for p in desks.web.routes if desks.web.hits(p) != before[p]}
    assert grown == {"/feeds/aawsat-ar.xml", "/feeds/aawsat-en.xml", "/feeds/aljazeera.xml"}


def test_an_unknown_edition_is_a_usage_error_naming_the_option(desks):
    result = invoke("--config", str(desks.config), "build", "--edition", "europe", "--no-fetch")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "briefing: Invalid value for '--edition': no edition named 'europe' (editions: gulf, asia)"
    )


def test_each_editions_readers_get_only_their_edition(desks, mailbox, tmp_path):
    # The same store and output, with a mail server: the editions are built already.
    path = desks_config(desks.folder, desks.web, email=mail_settings(mailbox.port))
    first = invoke("--config", str(path), "send", "--date", DAY, "--edition", "asia")
    assert first.returncode == 0, first.stderr
    assert sorted(to for rcpt, _ in mailbox.messages for to in rcpt) == [
        "archive@example.org",
        "asia-desk@example.org",
        "editor@example.org",
    ]
    every = invoke("--config", str(path), "send", "--date", DAY)
    assert every.returncode == 0, every.stderr
    by_reader = {rcpt[0]: message for rcpt, message in mailbox.messages}
    assert len(mailbox.messages) == 4  # asia's readers were not sent asia again
    gulf = by_reader["gulf-desk@example.org"]
    assert "Gulf Desk" in gulf["Subject"] and gulf["To"] == "gulf-desk@example.org"
    body = gulf.get_body(("plain",)).get_content()
    assert "desalination" in body and "North Korean" not in body
    asia = by_reader["asia-desk@example.org"]
    assert "Asia Desk" in asia["Subject"] and asia["Cc"] == "editor@example.org"
    asia_body = asia.get_body(("plain",)).get_content()
    assert "North Korean" in asia_body and "desalination" not in asia_body
    # The edition's bcc reader gets the same edition, and no header names them.
    archive = by_reader["archive@example.org"]
    assert "Asia Desk" in archive["Subject"] and archive["Bcc"] is None
    assert (archive["To"], archive["Cc"]) == ("asia-desk@example.org", "editor@example.org")
    assert "archive@example.org" not in asia.as_string()
    [attachment] = [p for p in gulf.iter_attachments()]
    assert attachment.get_filename() == f"briefing-gulf-{DAY}.pdf"
    assert gulf["Message-ID"] != asia["Message-ID"]
    # `briefing deliveries` keeps each edition's rows apart.
    rows = json.loads(invoke("--config", str(path), "deliveries", "--date", DAY, "--json").stdout)
    assert sorted((r["edition"], r["address"], r["state"]) for r in rows) == [
        ("asia", "archive@example.org", "accepted"),
        ("asia", "asia-desk@example.org", "accepted"),
        ("asia", "editor@example.org", "accepted"),
        ("gulf", "gulf-desk@example.org", "accepted"),
    ]
    one = invoke("--config", str(path), "deliveries", "--date", DAY, "--edition", "gulf")
    assert (
        one.stdout.startswith("gulf  accepted  gulf-desk@example.org") and "asia" not in one.stdout
    )
    # `briefing editions` tells what was built and sent.
    listing = invoke("--config", str(path), "editions", "--json")
    assert listing.returncode == 0, listing.stderr
    rows = {row["name"]: row for row in json.loads(listing.stdout)}
    assert rows["gulf"]["last_build"]["date"] == DAY
    assert rows["gulf"]["last_delivery"] == {
        "date": DAY,
        "at": rows["gulf"]["last_delivery"]["at"],
        "readers": 1,
    }
    assert rows["asia"]["last_delivery"]["readers"] == 3
    assert rows["asia"]["edition_time"] == "07:00" and len(rows["asia"]["feeds"]) == 6
    text = invoke("--config", str(path), "editions").stdout.splitlines()
    assert text[0].startswith("gulf  05:30    3 feeds    1 readers  built 2024-10-24 (")


def test_an_edition_without_readers_is_named_when_send_asks_for_it(desks, mailbox):
    editions = EDITIONS.replace("    email: {to: [gulf-desk@example.org]}\n", "")
    path = desks_config(
        desks.folder, desks.web, email=mail_settings(mailbox.port), editions=editions
    )
    result = invoke("--config", str(path), "send", "--date", DAY, "--edition", "gulf")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "briefing: config.yaml: editions[0].email.to: edition 'gulf' has no readers"
        " (give it some, or the top-level email.to)"
    )
    assert mailbox.messages == []


def test_a_config_error_in_an_edition_is_one_line_naming_the_key(tmp_path, web):
    serve_demo(web)
    bad = EDITIONS.replace("feeds: [gulf]", "feeds: [gulf, Reuters]")
    path = desks_config(tmp_path, web, editions=bad, email=mail_settings(1))
    result = invoke("--config", str(path), "build", "--date", DAY)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "briefing: config.yaml: editions[0].feeds[1]: no feed named 'Reuters', nor a feed tagged so"
    )
    assert web.requests == []  # nothing fetched


def test_without_editions_the_one_edition_keeps_todays_paths_and_json(tmp_path, web):
    serve_demo(web)
    path = desks_config(tmp_path, web, editions="")
    result = invoke("--config", str(path), "build", "--date", DAY, "--format", "json")
    assert result.returncode == 0, result.stderr
    written = tmp_path / "output" / DAY / "briefing.json"
    assert result.stdout.split() == [str(written)]
    edition = json.loads(written.read_text(encoding="utf-8"))
    assert "edition" not in edition and len(edition["stories"]) == 4
    listing = invoke("--config", str(path), "editions")
    assert listing.stdout.startswith("default  06:00    6 feeds    0 readers  built 2024-10-24 (")


def test_the_scheduler_runs_each_edition_at_its_own_time(tmp_path, web, mailbox):
    serve_demo(web)
    path = desks_config(tmp_path, web, email=mail_settings(mailbox.port))
    cfg = config.load(path, environ={})
    today = date.fromisoformat(DAY)  # the demo's day: editions with stories to send

    def at(hour: int, minute: int) -> datetime:
        return datetime.combine(today, time(hour, minute), tzinfo=RIYADH)

    assert schedule.run_once(cfg, at(5, 20)) == {}
    assert schedule.run_once(cfg, at(5, 40)) == {"gulf": today}
    assert [rcpt for rcpt, _ in mailbox.messages] == [["gulf-desk@example.org"]]
    assert schedule.run_once(cfg, at(6, 50)) == {"gulf": today}  # still in its grace: nothing new
    assert len(mailbox.messages) == 1
    assert schedule.run_once(cfg, at(7, 10)) == {"gulf": today, "asia": today}
    assert sorted(r for rcpt, _ in mailbox.messages for r in rcpt) == [
        "archive@example.org",
        "asia-desk@example.org",
        "editor@example.org",
        "gulf-desk@example.org",
    ]
    assert (tmp_path / "output" / "asia" / today.isoformat() / "briefing.pdf").is_file()


def test_the_scheduler_has_one_job_per_edition_time(tmp_path, web):
    serve_demo(web)
    cfg = config.load(desks_config(tmp_path, web, email=mail_settings(1)), environ={})
    both = replace(cfg.editions[1], edition_time=cfg.editions[0].edition_time)
    scheduler = schedule.make_scheduler(cfg)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"edition@05:30:00", "edition@07:00:00", "fetch"}
        assert jobs["edition@05:30:00"].kwargs == {"editions": ["gulf"]}
    finally:
        scheduler.shutdown(wait=False)
    # Two editions at one time share one job (one crawl); the job of 07:00 is gone.
    merged = replace(cfg, editions=(cfg.editions[0], both))
    scheduler = schedule.make_scheduler(merged)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"edition@05:30:00", "fetch"}
        assert jobs["edition@05:30:00"].kwargs == {"editions": ["gulf", "asia"]}
        fire = jobs["edition@05:30:00"].next_run_time.astimezone(RIYADH)
        assert (fire.hour, fire.minute) == (5, 30)
    finally:
        scheduler.shutdown(wait=False)


def test_an_edition_job_whose_editions_left_the_config_builds_and_sends_nothing(
    tmp_path, web, mailbox
):
    # The job of 05:30 was made for `europe`; the config was edited under the running
    # scheduler. Asia (07:00) must not go out at 05:30 in its place.
    serve_demo(web)
    path = desks_config(tmp_path, web, email=mail_settings(mailbox.port))
    schedule.edition_job(str(path), DAY, editions=["europe"])
    assert web.requests == [] and mailbox.messages == []
    assert not (tmp_path / "output").exists()


def test_due_times_do_not_depend_on_the_day(tmp_path, web):
    """A cheap check of edition_times: the grouping used by the scheduler and `--once`."""
    serve_demo(web)
    cfg = config.load(desks_config(tmp_path, web, email=mail_settings(1)), environ={})
    assert schedule.edition_times(cfg) == {time(5, 30): ("gulf",), time(7, 0): ("asia",)}
    assert schedule.edition_times(cfg, time(6, 0)) == {time(6, 0): ("gulf", "asia")}
    now = datetime(2024, 10, 24, 4, 0, tzinfo=UTC)  # 07:00 in Riyadh
    assert schedule.due_edition(now, time(7, 0), RIYADH, timedelta(hours=2)) == date(2024, 10, 24)
