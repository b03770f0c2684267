"""Once per reader under faults, against a real SMTP server on 127.0.0.1 (aiosmtpd).

The cases where timing could matter (runs at once, a connection lost after
DATA, a sender killed during DATA, retries) run ten times each.
"""

import json
import logging
import os
import re
import signal
import subprocess
import sys
import time as clock
from datetime import UTC, date, datetime

import pytest

from briefing import config
from briefing.deliver.email import recipients_of, send_files
from briefing.deliver.ledger import Ledger
from briefing.errors import BriefingError, FalseEdition
from briefing.render import output
from briefing.store import Store
from tests.conftest import email_config, invoke

pytestmark = pytest.mark.slow

DAY = "2024-10-24"
READERS = ["hidden@example.org", "reader@example.org", "second@example.org"]
TEN_TIMES = pytest.mark.parametrize("run", range(10))


def no_wait(seconds: float) -> None:
    """The backoff between attempts, skipped (its lengths are checked where it matters)."""


@pytest.fixture
def briefing_log():
    """What the `briefing` logger says during the test, one string per record."""
    records: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: records.append(record.getMessage())
    logger = logging.getLogger("briefing")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(level)


def setup(tmp_path, mailbox, demo_build, extra=""):
    cfg = config.load(email_config(tmp_path, mailbox.port, demo_build, extra), environ={})
    return cfg, output.paths(cfg.output_dir, DAY)


def delivery(cfg, address):
    with Store(cfg.db_path) as store:
        return Ledger(store).get(DAY, address)


def received(mailbox) -> list[str]:
    return sorted(r for rcpts, _ in mailbox.messages for r in rcpts)


def sender(folder, *args) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "send", "--date", DAY, *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@TEN_TIMES
def test_two_sends_at_once_give_each_reader_exactly_one_copy(tmp_path, mailbox, demo_build, run):
    email_config(tmp_path, mailbox.port, demo_build)
    # The first message is held until both runs have connected: they surely overlap.
    mailbox.hold_until_clients = 2
    runs = [sender(tmp_path), sender(tmp_path)]
    results = [process.communicate(timeout=60) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], results
    assert received(mailbox) == READERS
    assert mailbox.clients == 2  # both were at work at once
    said = "".join(err for _, err in results)
    assert said.count(f"sent edition {DAY} to ") == 3
    assert "being sent by another run" in said


def test_the_scheduler_beside_a_running_send_gives_each_reader_one_copy(
    tmp_path, mailbox, demo_build
):
    from briefing import schedule

    cfg, files = setup(tmp_path, mailbox, demo_build)
    with Store(cfg.db_path) as store:  # built, as `briefing build` would record it
        store.save_edition(DAY, *_window(files), {k: str(v) for k, v in files.items()})
    mailbox.hold_until_clients = 2
    mailbox.hold_timeout = 30
    running = sender(tmp_path)
    try:
        deadline = clock.monotonic() + 30
        while clock.monotonic() < deadline and not any(
            row.data_at for row in _rows(cfg)
        ):  # `send` is inside DATA for its first reader
            clock.sleep(0.05)
        schedule.morning(cfg, date.fromisoformat(DAY))
        out, err = running.communicate(timeout=60)
    finally:
        if running.poll() is None:
            running.kill()
    assert running.returncode == 0, err
    assert received(mailbox) == READERS
    assert mailbox.clients == 2


def test_the_scheduler_does_not_rebuild_an_edition_another_run_is_sending(
    tmp_path, mailbox, demo_build
):
    from briefing import schedule
    from briefing.deliver.ledger import new_holder
    from briefing.deliver.message import message_id

    cfg, files = setup(tmp_path, mailbox, demo_build)
    with Store(cfg.db_path) as store:
        store.save_edition(DAY, *_window(files), {k: str(v) for k, v in files.items()})
        # A `send` has read these files and claimed its first reader; DATA has not begun.
        ledger, now = Ledger(store), datetime.now(UTC)
        ledger.open(DAY, [(a, a, message_id(DAY, a, cfg.email.sender)) for a in READERS], now)
        assert ledger.claim(DAY, READERS[0], new_holder(), now).taken
    pdf = files["pdf"].read_bytes()
    schedule.morning(cfg, date.fromisoformat(DAY))
    assert files["pdf"].read_bytes() == pdf  # not rebuilt under the running send
    assert received(mailbox) == READERS[1:]  # the claimed reader is the other run's
    assert all(m.get_payload()[-1].get_content() == pdf for _, m in mailbox.messages)


@TEN_TIMES
@pytest.mark.parametrize("delivered", [True, False], ids=["kept", "lost"])
def test_a_connection_lost_after_data_is_resent_once_with_the_same_message_id(
    tmp_path, mailbox, demo_build, briefing_log, run, delivered
):
    cfg, files = setup(tmp_path, mailbox, demo_build)
    mailbox.drop_after_data = 1
    mailbox.keep_dropped = delivered  # whether the server delivered the message it did not confirm
    outcome = send_files(cfg, files, ["reader@example.org"], sleep=no_wait)
    assert outcome.sent == outcome.resent == ["reader@example.org"] and not outcome.failed
    assert mailbox.replies == ["", "250"]
    ids = {message["Message-ID"] for _, message in mailbox.messages}
    assert len(mailbox.messages) == (2 if delivered else 1) and len(ids) == 1
    [mid] = ids
    assert any("the outcome is unknown" in line and mid in line for line in briefing_log)
    assert any(f"resending edition {DAY} to reader@example.org" in line for line in briefing_log)
    row = delivery(cfg, "reader@example.org")
    assert (row.state, row.resends, row.message_id) == ("accepted", 1, mid)
    assert row.reply.startswith("250 2.0.0")
    again = send_files(cfg, files, ["reader@example.org"], sleep=no_wait)
    assert again.skipped == [("reader@example.org", "already sent")]
    assert len(mailbox.messages) == (2 if delivered else 1)


@TEN_TIMES
def test_an_unknown_outcome_after_the_resend_is_reported_not_resent_a_third_time(
    tmp_path, mailbox, demo_build, run
):
    cfg, files = setup(tmp_path, mailbox, demo_build)
    mailbox.drop_after_data = 2
    outcome = send_files(cfg, files, ["reader@example.org"], sleep=no_wait)
    [(who, why)] = outcome.failed
    assert who == "reader@example.org" and "outcome unknown again" in why
    assert len(mailbox.messages) == 2 and delivery(cfg, "reader@example.org").state == "unknown"
    later = send_files(cfg, files, ["reader@example.org"], sleep=no_wait)
    assert later.failed and not later.sent and len(mailbox.messages) == 2
    forced = send_files(cfg, files, ["reader@example.org"], force=True, sleep=no_wait)
    assert forced.sent == ["reader@example.org"] and len(mailbox.messages) == 3
    assert len({message["Message-ID"] for _, message in mailbox.messages}) == 1


@TEN_TIMES
def test_a_sender_killed_during_data_before_acceptance_is_not_skipped_later(
    tmp_path, mailbox, demo_build, briefing_log, run
):
    cfg, files = setup(tmp_path, mailbox, demo_build)
    process = sender(tmp_path, "--to", "reader@example.org")
    mailbox.drop_after_data = 1
    mailbox.keep_dropped = False  # the server had not accepted it: nothing arrives
    mailbox.on_data = lambda: os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL and mailbox.messages == []
    left = delivery(cfg, "reader@example.org")
    assert left.state == "claimed" and left.data_at is not None  # by a run that is gone
    mailbox.on_data = None
    restart = send_files(cfg, files, ["reader@example.org"], sleep=no_wait)
    assert restart.sent == ["reader@example.org"] and received(mailbox) == ["reader@example.org"]
    assert any("stopped during DATA" in line for line in briefing_log)
    [(_, message)] = mailbox.messages
    assert message["Message-ID"] == left.message_id


def test_a_sender_killed_after_the_server_kept_the_message_resends_it_once_by_the_same_id(
    tmp_path, mailbox, demo_build
):
    email_config(tmp_path, mailbox.port, demo_build)
    process = sender(tmp_path, "--to", "reader@example.org")
    # The server keeps the message, then the sender dies before it can hear the 250.
    mailbox.on_data = lambda: os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL and len(mailbox.messages) == 1
    mailbox.on_data = None
    restart = invoke("send", "--date", DAY, "--to", "reader@example.org", cwd=tmp_path)
    assert restart.returncode == 0, restart.stderr
    assert "resending edition 2024-10-24 to reader@example.org with the same Message-ID" in (
        restart.stderr
    )
    first, second = (message["Message-ID"] for _, message in mailbox.messages)
    assert first == second
    third = invoke("send", "--date", DAY, "--to", "reader@example.org", cwd=tmp_path)
    assert third.returncode == 0 and "already sent" in third.stderr
    assert len(mailbox.messages) == 2


@TEN_TIMES
def test_one_mailbox_written_four_ways_gets_one_copy_under_its_first_spelling(
    tmp_path, mailbox, demo_build, run
):
    cfg, files = setup(tmp_path, mailbox, demo_build)
    path = cfg.path
    path.write_text(
        path.read_text()
        .replace(
            'to: [reader@example.org, "قارئ <second@example.org>"]',
            'to: ["Reader <reader@example.org>", reader@EXAMPLE.org]',
        )
        .replace(
            "bcc: [hidden@example.org]",
            'bcc: ["R. Eader <reader@Example.Org>", reader@example.org]',
        )
    )
    cfg = config.load(path, environ={})
    outcome = send_files(cfg, files, recipients_of(cfg), sleep=no_wait)
    assert outcome.sent == ["Reader <reader@example.org>"]
    [(rcpts, message)] = mailbox.messages
    assert rcpts == ["reader@example.org"]
    assert message["To"] == "Reader <reader@example.org>"
    again = send_files(cfg, files, ["READER <reader@EXAMPLE.ORG>"], sleep=no_wait)
    assert again.skipped == [("READER <reader@EXAMPLE.ORG>", "already sent")]
    assert len(mailbox.messages) == 1


@TEN_TIMES
def test_a_busy_mailbox_is_retried_with_backoff_and_a_refused_one_fails_with_its_reply(
    tmp_path, mailbox, demo_build, run
):
    cfg, files = setup(tmp_path, mailbox, demo_build)
    mailbox.busy["reader@example.org"] = 2
    mailbox.reject["second@example.org"] = "550 5.1.1 <second@example.org>: no such user"
    waits: list[float] = []
    outcome = send_files(cfg, files, recipients_of(cfg), sleep=waits.append)
    assert waits == [0.3, 0.6]  # email.retry_wait, doubling
    assert sorted(outcome.sent) == ["hidden@example.org", "reader@example.org"]
    assert outcome.failed == [
        ("قارئ <second@example.org>", "550 5.1.1 <second@example.org>: no such user")
    ]
    busy, refused = delivery(cfg, "reader@example.org"), delivery(cfg, "second@example.org")
    assert (busy.state, busy.attempts) == ("accepted", 3)
    assert (refused.state, refused.reply) == (
        "failed",
        "550 5.1.1 <second@example.org>: no such user",
    )
    later = send_files(cfg, files, recipients_of(cfg), sleep=waits.append)
    assert [why for _, why in later.failed] == [
        "refused by the server earlier (550 5.1.1 <second@example.org>: no such user);"
        " --force to retry"
    ]
    assert received(mailbox) == ["hidden@example.org", "reader@example.org"]


def test_deliveries_lists_each_readers_state_and_the_servers_last_words(
    tmp_path, mailbox, demo_build
):
    cfg, files = setup(tmp_path, mailbox, demo_build)
    mailbox.reject["second@example.org"] = "550 5.1.1 <second@example.org>: no such user"
    send_files(cfg, files, ["reader@example.org", "قارئ <second@example.org>"], sleep=no_wait)
    shown = invoke("deliveries", "--date", DAY, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = [re.split(r"\s{2,}", line) for line in shown.stdout.splitlines()]
    assert [(line[0], line[1]) for line in lines] == [
        ("accepted", "reader@example.org"),
        ("failed", "second@example.org"),
        ("pending", "hidden@example.org"),  # configured, not tried yet
    ]
    assert lines[0][-1] == "250 2.0.0 Message accepted"
    assert lines[1][-1] == "550 5.1.1 <second@example.org>: no such user"
    as_json = json.loads(invoke("deliveries", "--date", DAY, "--json", cwd=tmp_path).stdout)
    assert [(d["address"], d["state"]) for d in as_json] == [
        ("reader@example.org", "accepted"),
        ("second@example.org", "failed"),
        ("hidden@example.org", "pending"),
    ]
    assert as_json[1]["recipient"] == "قارئ <second@example.org>"


@pytest.mark.parametrize("linked", [False, True], ids=["demo", "links-and-a-failed-feed"])
def test_the_text_part_has_its_blocks_apart_and_sources_on_a_line_of_their_own(
    tmp_path, mailbox, demo_build, linked
):
    cfg, files = setup(tmp_path, mailbox, demo_build)
    edition = json.loads(files["json"].read_text(encoding="utf-8"))
    if linked:  # the demo's sources are local files (never linked) and all its feeds answered
        for n, article in enumerate(a for s in edition["stories"] for a in s["articles"]):
            article["url"] = f"https://example.org/news/{n}"
        edition["feeds"][0].update(status="error", error="HTTP 503 Service Unavailable")
        text = json.dumps(edition, ensure_ascii=False)  # the fingerprint is kept: one set still
        files["json"].write_text(text, encoding="utf-8")
    send_files(cfg, files, ["reader@example.org"], sleep=no_wait)
    [(_, message)] = mailbox.messages
    lines = message.get_body(("plain",)).get_content().splitlines()
    expected = [f"{cfg.theme.title} — {DAY}", cfg.theme.title_ar, "=" * 40]
    for story in edition["stories"]:
        expected += ["", f"{story['rank']}."]
        for i, lang in enumerate(sorted(story["headline"], key=lambda x: (x != "ar", x))):
            expected += [""] * bool(i) + [story["headline"][lang]]
            expected += [story["summary"][lang]] if story.get("summary", {}).get(lang) else []
        expected += ["", "Sources / المصادر:"]
        for article in story["articles"]:
            if not article.get("duplicate_of"):
                expected.append(f"  - {article['outlet']}: {article['title']}")
                expected += [f"    {article['url']}"] if linked else []
    if linked:
        failed = edition["feeds"][0]
        expected += [
            "",
            "Feeds this briefing could not read:",
            f"  - {failed['name']}: {failed['error']}",
        ]
    expected += ["", "The full briefing is attached as a PDF.", "الموجز الكامل مرفق بصيغة PDF."]
    assert lines == expected
    assert len(edition["stories"]) == 4 and {"ar", "en"} <= set(edition["stories"][0]["headline"])


def test_a_build_killed_mid_render_leaves_the_last_set_whole_and_send_mails_it(
    tmp_path, mailbox, demo_build
):
    cfg, files = setup(tmp_path, mailbox, demo_build)
    before = {fmt: path.read_bytes() for fmt, path in files.items()}
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
    build = subprocess.Popen(
        [sys.executable, "-m", "briefing", "build", "--date", DAY],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    folder = files["json"].parent
    try:
        # The new JSON is staged first; while it waits beside the old one, the
        # HTML and the PDF are being rendered: kill the build there.
        deadline = clock.monotonic() + 120
        while not list(folder.glob("briefing.json.*.part")) and clock.monotonic() < deadline:
            assert build.poll() is None, "the build ended before it was caught rendering"
            clock.sleep(0.01)
        build.kill()
        build.wait(timeout=30)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == -signal.SIGKILL
    assert {fmt: path.read_bytes() for fmt, path in files.items()} == before
    outcome = send_files(cfg, files, ["reader@example.org"], sleep=no_wait)
    assert outcome.sent == ["reader@example.org"]
    [(_, message)] = mailbox.messages
    [attachment] = message.iter_attachments()
    assert attachment.get_content() == before["pdf"]  # the PDF of the text it came with
    edition = json.loads(before["json"])
    assert edition["stories"][0]["headline"]["en"] in message.get_body(("plain",)).get_content()


def test_a_set_whose_parts_differ_is_refused_in_one_line(tmp_path, mailbox, demo_build):
    email_config(tmp_path, mailbox.port, demo_build)
    json_path = tmp_path / "output" / DAY / "briefing.json"
    edition = json.loads(json_path.read_text(encoding="utf-8"))
    edition["fingerprint"] = "0" * 64  # a newer build's JSON beside the older PDF
    json_path.write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
    result = invoke("send", "--date", DAY, cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "briefing.json and briefing.pdf are from different builds" in line
    assert "briefing build --date 2024-10-24" in line
    del edition["fingerprint"]
    json_path.write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
    older = invoke("send", "--date", DAY, cwd=tmp_path)
    assert older.returncode == 1 and "no fingerprint" in older.stderr
    assert mailbox.messages == []


def test_fewer_stories_than_min_stories_are_not_sent_nor_recorded(tmp_path, mailbox, demo_build):
    cfg, files = setup(tmp_path, mailbox, demo_build, "  min_stories: 50\n")
    with pytest.raises(FalseEdition, match=r"fewer than email.min_stories \(50\)$"):
        send_files(cfg, files, recipients_of(cfg))
    assert mailbox.messages == [] and _rows(cfg) == []


def test_an_edition_built_while_no_feed_answers_is_not_sent(tmp_path, mailbox, demo_build):
    path = email_config(tmp_path, mailbox.port, demo_build)
    for name in ("briefing.json", "briefing.pdf", "briefing.html"):
        (tmp_path / "output" / DAY / name).unlink()  # `send` builds it, with every feed down
    closed = iter(f"url: 'http://127.0.0.1:{_closed_port()}/{n}.xml'" for n in range(2))
    path.write_text(
        re.sub(r"url: '[^']*'", lambda _: next(closed), path.read_text()) + "fetch: {retries: 0}\n"
    )
    result = invoke("-q", "send", "--date", DAY, cwd=tmp_path)
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith("briefing: error: edition 2024-10-24 not sent: none of its 2 feeds")
    assert "Traceback" not in result.stderr and mailbox.messages == []
    assert _rows(config.load(path, environ={})) == []  # nothing recorded: the next run tries again


def test_held_back_by_the_scheduler_then_sent_when_the_feeds_answer(
    tmp_path, mailbox, demo_build, web
):
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from briefing import schedule
    from tests.conftest import rss, write_config

    riyadh = ZoneInfo("Asia/Riyadh")
    now = datetime.combine(datetime.now(riyadh).date(), time(6, 20), tzinfo=riyadh)
    feed = web.add("/feed.xml", b"down", status=503)
    cfg = config.load(
        write_config(
            tmp_path,
            f"""feeds: [{{name: Wire, url: "{feed}", lang: en}}]
timezone: Asia/Riyadh
misfire_grace: 1h
fetch: {{retries: 0, fetch_pages: false}}
email:
  smtp: {{host: 127.0.0.1, port: {mailbox.port}, security: none}}
  from: briefing@example.org
  to: [reader@example.org]
""",
        ),
        environ={},
    )
    with pytest.raises(BriefingError, match="none of its 1 feeds could be read"):
        schedule.run_once(cfg, now)
    assert mailbox.messages == []
    published = (now - timedelta(hours=3)).strftime("%a, %d %b %Y %H:%M:%S %z")
    items = [
        {
            "title": f"Port reopens after storm number {n}",
            "link": f"http://example.org/{n}",
            "date": published,
            "description": f"The harbour reopened on the {n}th day after the storm passed.",
        }
        for n in (1, 2)
    ]
    web.add("/feed.xml", rss(items))
    assert schedule.run_once(cfg, now + timedelta(minutes=30)) == {"default": now.date()}
    assert received(mailbox) == ["reader@example.org"]


def _rows(cfg):
    with Store(cfg.db_path) as store:
        return Ledger(store).rows(DAY)


def _window(files):
    from datetime import datetime

    edition = json.loads(files["json"].read_text(encoding="utf-8"))
    return (
        datetime.fromisoformat(edition["generated_at"]),
        datetime.fromisoformat(edition["window"]["start"]),
        datetime.fromisoformat(edition["window"]["end"]),
    )


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
