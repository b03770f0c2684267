"""The scheduler: a controllable clock for the rules, short real intervals for APScheduler."""

import signal
import subprocess
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from briefing import config, schedule
from briefing.errors import BriefingError
from tests.conftest import email_config, run_cli

pytestmark = pytest.mark.slow
RIYADH = ZoneInfo("Asia/Riyadh")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    "local, expected",
    [
        ("2024-10-24 05:59", None),
        ("2024-10-24 06:00", date(2024, 10, 24)),
        ("2024-10-24 06:20", date(2024, 10, 24)),  # booted late: still this morning's edition
        ("2024-10-24 07:59", date(2024, 10, 24)),
        ("2024-10-24 14:00", None),  # too late: no stale morning edition
    ],
)
def test_which_edition_is_due_at_a_given_moment(local, expected):
    now = datetime.fromisoformat(local).replace(tzinfo=RIYADH)
    assert schedule.due_edition(now, time(6, 0), RIYADH, timedelta(hours=2)) == expected


def test_a_grace_across_midnight_keeps_yesterdays_date():
    now = datetime(2024, 10, 25, 0, 30, tzinfo=RIYADH)
    assert schedule.due_edition(now, time(23, 30), RIYADH, timedelta(hours=2)) == date(2024, 10, 24)


@pytest.mark.parametrize("edition_time", [time(6, 0), time(2, 30)])
def test_daylight_saving_changes_neither_skip_nor_double_an_edition(edition_time):
    """Step a clock through both 2024 transitions in Berlin, 10 minutes at a time, as cron would."""
    editions = []
    for start in (datetime(2024, 3, 29, tzinfo=UTC), datetime(2024, 10, 25, tzinfo=UTC)):
        sent: set[date] = set()
        now = start
        while now < start + timedelta(days=4):
            day = schedule.due_edition(now, edition_time, BERLIN, timedelta(hours=2))
            if day is not None and day not in sent:
                sent.add(day)
            now += timedelta(minutes=10)
        editions.append(sorted(sent))
    assert [len(days) for days in editions] == [4, 4]
    assert all(len(set(days)) == len(days) for days in editions)


def test_the_cron_trigger_fires_once_a_day_across_a_dst_change():
    from apscheduler.triggers.cron import CronTrigger

    trigger = CronTrigger(hour=6, minute=0, timezone=BERLIN)
    fires, previous, now = [], None, datetime(2024, 10, 25, 12, tzinfo=BERLIN)
    for _ in range(4):
        previous = trigger.get_next_fire_time(previous, now)
        fires.append(previous)
        now = previous + timedelta(seconds=1)
    assert [f.astimezone(BERLIN).strftime("%m-%d %H:%M") for f in fires] == [
        "10-26 06:00",
        "10-27 06:00",
        "10-28 06:00",
        "10-29 06:00",
    ]


def scheduled_config(tmp_path, mailbox, demo_build, extra="misfire_grace: 1h\n"):
    # Today's edition of the 2024 demo feeds has no story; these tests are about
    # when the edition goes out, so an empty one may (deliver/gate.py holds it otherwise).
    path = email_config(tmp_path, mailbox.port, demo_build, "  min_stories: 0\n")
    path.write_text(
        path.read_text().replace("timezone: Asia/Riyadh\n", "timezone: Asia/Riyadh\n" + extra)
    )
    return config.load(path, environ={})


def soon(seconds: float) -> time:
    """A time of day a few seconds ahead (whole seconds: at least `seconds` - 1 away)."""
    return (datetime.now(RIYADH) + timedelta(seconds=seconds)).time().replace(microsecond=0)


def wait_for(predicate, timeout: float) -> bool:
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        if predicate():
            return True
        clock.sleep(0.1)
    return predicate()


def test_the_daily_job_fires_once_and_a_restart_does_not_refire_it(tmp_path, mailbox, demo_build):
    cfg = scheduled_config(tmp_path, mailbox, demo_build)
    at = soon(4)
    scheduler = schedule.make_scheduler(cfg, at=at)
    scheduler.resume()
    try:
        assert wait_for(lambda: len(mailbox.messages) >= 3, 30)
        clock.sleep(1.5)
    finally:
        scheduler.shutdown(wait=True)
    assert len(mailbox.messages) == 3  # one per reader, once
    restarted = schedule.make_scheduler(cfg, at=at)
    restarted.resume()
    clock.sleep(2)
    restarted.shutdown(wait=True)
    assert len(mailbox.messages) == 3


def test_an_edition_missed_within_the_grace_runs_once_on_start(tmp_path, mailbox, demo_build):
    cfg = scheduled_config(tmp_path, mailbox, demo_build)
    at = soon(3)
    down = schedule.make_scheduler(cfg, at=at)
    down.shutdown(wait=False)  # the machine goes off before the edition time...
    clock.sleep(4.5)  # ...and comes back after it
    up = schedule.make_scheduler(cfg, at=at)
    up.resume()
    try:
        assert wait_for(lambda: len(mailbox.messages) >= 3, 30)
        clock.sleep(1.5)
    finally:
        up.shutdown(wait=True)
    assert len(mailbox.messages) == 3


def test_an_edition_missed_beyond_the_grace_is_not_sent(tmp_path, mailbox, demo_build):
    cfg = scheduled_config(tmp_path, mailbox, demo_build, extra="misfire_grace: 1m\n")
    cfg = config.Config(**{**cfg.__dict__, "misfire_grace": timedelta(seconds=1)})
    at = soon(3)
    schedule.make_scheduler(cfg, at=at).shutdown(wait=False)
    clock.sleep(5.5)
    up = schedule.make_scheduler(cfg, at=at)
    up.resume()
    clock.sleep(2)
    up.shutdown(wait=True)
    assert mailbox.messages == []


def test_once_sends_the_due_edition_and_only_once(tmp_path, mailbox, demo_build):
    cfg = scheduled_config(tmp_path, mailbox, demo_build)
    now = datetime.combine(datetime.now(RIYADH).date(), time(6, 20), tzinfo=RIYADH)
    assert schedule.run_once(cfg, now) == {"default": now.date()}
    assert len(mailbox.messages) == 3
    assert schedule.run_once(cfg, now + timedelta(minutes=30)) == {"default": now.date()}
    assert len(mailbox.messages) == 3
    assert schedule.run_once(cfg, now.replace(hour=14)) == {}


def test_a_second_scheduler_on_the_same_data_dir_refuses(tmp_path, mailbox, demo_build):
    scheduled_config(tmp_path, mailbox, demo_build)
    first = subprocess.Popen(
        [sys.executable, "-m", "briefing", "schedule"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(
            lambda: (
                (tmp_path / ".briefing" / "scheduler.lock").exists()
                and (tmp_path / ".briefing" / "scheduler.lock").read_text().strip()
                == str(first.pid)
            ),
            20,
        )
        second = run_cli("schedule", cwd=tmp_path)
        assert second.returncode == 1
        assert (
            f"another scheduler is already running on {tmp_path / '.briefing'} (pid {first.pid})"
            in second.stderr
        )
        with pytest.raises(BriefingError), schedule.single_instance(tmp_path / ".briefing"):
            pass
    finally:
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=30)
    assert first.returncode == 0, err
    assert "scheduler running" in err and "scheduler stopped" in err


def test_quiet_once_from_cron_prints_nothing_when_the_edition_goes_out(
    tmp_path, mailbox, demo_build
):
    # The crontab line of docs/deployment.md: cron mails whatever the job prints.
    path = scheduled_config(tmp_path, mailbox, demo_build).path
    due = (datetime.now(RIYADH) - timedelta(minutes=5)).strftime("%H:%M")
    path.write_text(path.read_text() + f'edition_time: "{due}"\n')
    sent = run_cli("-q", "schedule", "--once", cwd=tmp_path)
    assert (sent.returncode, sent.stdout, sent.stderr) == (0, "", "")
    assert len(mailbox.messages) == 3  # it did build and send the edition
    again = run_cli("-q", "schedule", "--once", cwd=tmp_path)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert len(mailbox.messages) == 3


def test_one_scheduler_per_database_and_desk_with_its_jobs_in_that_database(tmp_path, postgres):
    """On PostgreSQL the guard is an advisory lock (any machine), the job store a table."""
    import dataclasses

    import psycopg

    from tests.conftest import DEMO, write_config

    name = postgres.create_database()
    try:
        path = write_config(
            tmp_path,
            f"feeds: [{{name: CNN, url: '{DEMO / 'feeds' / 'cnn.xml'}'}}]\n"
            f"database: {postgres.url(name)}\n",
        )
        cfg = config.load(path, environ={})
        desk = dataclasses.replace(cfg, editions=(config.EditionConfig("gulf"),))
        with schedule.single_scheduler(cfg):
            with (
                pytest.raises(BriefingError) as refused,
                schedule.single_scheduler(cfg),
            ):
                pass
            with schedule.single_scheduler(desk):
                pass  # another desk's builder runs beside it
        assert str(refused.value).startswith(
            f"another scheduler of default is already running on {postgres.url(name)} (briefing "
        )
        with schedule.single_scheduler(cfg):
            pass  # let go when the first one stopped
        schedule.make_scheduler(cfg).shutdown(wait=False)
        schedule.make_scheduler(desk).shutdown(wait=False)
        with psycopg.connect(postgres.url(name)) as connection:
            jobs = connection.execute("SELECT id FROM scheduler_jobs_default ORDER BY id")
            assert [row[0] for row in jobs] == ["edition", "fetch"]
            jobs = connection.execute("SELECT id FROM scheduler_jobs_gulf ORDER BY id")
            assert [row[0] for row in jobs] == ["edition@06:00:00", "fetch"]
        assert not (tmp_path / ".briefing").exists()  # nothing of the scheduler is local
    finally:
        postgres.drop_database(name)
