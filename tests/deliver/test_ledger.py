"""The delivery ledger's states on a real SQLite file and a real PostgreSQL, with the clock and
process liveness given."""

import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest

from briefing.deliver.ledger import LEASE, Ledger, holder_alive, new_holder, settled
from briefing.store import Store

DAY = "2024-10-24"
T0 = datetime(2024, 10, 24, 3, 0, tzinfo=UTC)
ADDRESS = "reader@example.org"


@pytest.fixture
def ledger(database):
    with Store(database) as store:
        book = Ledger(store)
        book.open(DAY, [(ADDRESS, "Reader <reader@example.org>", "<m1@example.org>")], T0)
        yield book


def alive(holder: str) -> bool:
    return not holder.startswith("dead")


def test_one_claim_at_a_time_and_an_accepted_reader_is_done(ledger):
    first = ledger.claim(DAY, ADDRESS, "run-a", T0, alive=alive)
    second = ledger.claim(DAY, ADDRESS, "run-b", T0 + timedelta(seconds=5), alive=alive)
    assert first.taken and not first.resend
    assert not second.taken and second.why == "being sent by another run at this moment"
    assert ledger.accepted(DAY, ADDRESS, "run-a", T0, "250 2.0.0 OK")
    row = ledger.get(DAY, ADDRESS)
    assert (row.state, row.reply, row.claimed_by, row.attempts) == (
        "accepted",
        "250 2.0.0 OK",
        None,
        1,
    )
    assert (
        settled(row) and ledger.claim(DAY, ADDRESS, "run-b", T0, alive=alive).why == "already sent"
    )


def test_a_lapsed_lease_before_data_is_taken_over_as_a_first_send(ledger):
    assert ledger.claim(DAY, ADDRESS, "run-a", T0, alive=alive).taken
    still = ledger.claim(DAY, ADDRESS, "run-b", T0 + LEASE - timedelta(seconds=1), alive=alive)
    later = ledger.claim(DAY, ADDRESS, "run-b", T0 + LEASE + timedelta(seconds=1), alive=alive)
    assert not still.taken
    assert later.taken and not later.resend
    assert not ledger.accepted(DAY, ADDRESS, "run-a", T0, "250 late")  # run-a's claim lapsed
    assert ledger.get(DAY, ADDRESS).claimed_by == "run-b"


def test_a_holder_dead_after_data_began_means_one_resend_then_a_report(ledger):
    assert ledger.claim(DAY, ADDRESS, "dead-1", T0, alive=alive).taken
    assert ledger.handing_over(DAY, ADDRESS, "dead-1", T0)
    resend = ledger.claim(DAY, ADDRESS, "run-b", T0 + timedelta(seconds=1), alive=alive)
    assert resend.taken and resend.resend and "stopped during DATA" in resend.why
    assert ledger.handing_over(DAY, ADDRESS, "run-b", T0)
    assert ledger.unknown(DAY, ADDRESS, "run-b", T0, "no reply after DATA: connection reset")
    again = ledger.claim(DAY, ADDRESS, "run-c", T0 + timedelta(seconds=2), alive=alive)
    assert (
        not again.taken and again.state == "unknown" and "not resent without --force" in again.why
    )
    assert settled(ledger.get(DAY, ADDRESS))
    forced = ledger.claim(DAY, ADDRESS, "run-c", T0, force=True, alive=alive)
    assert forced.taken and forced.delivery.message_id == "<m1@example.org>"


def test_a_resend_that_never_reached_data_keeps_its_turn(ledger):
    assert ledger.claim(DAY, ADDRESS, "run-a", T0, alive=alive).taken
    assert ledger.unknown(DAY, ADDRESS, "run-a", T0, "no reply after DATA: timed out")
    resend = ledger.claim(DAY, ADDRESS, "run-b", T0, alive=alive)
    assert resend.resend and ledger.release(DAY, ADDRESS, "run-b", T0, "refused", resend=True)
    row = ledger.get(DAY, ADDRESS)
    assert (row.state, row.resends, row.reply) == ("unknown", 0, "no reply after DATA: timed out")
    assert ledger.claim(DAY, ADDRESS, "run-c", T0, alive=alive).resend


def test_a_peek_takes_nothing(ledger):
    assert ledger.claim(DAY, ADDRESS, "run-a", T0, peek=True, alive=alive).taken
    assert ledger.get(DAY, ADDRESS).state == "pending"


def test_many_connections_racing_for_one_reader_give_it_to_exactly_one(database):
    path = database
    with Store(path) as store:
        Ledger(store).open(DAY, [(ADDRESS, ADDRESS, "<m@example.org>")], T0)
    start, wins = threading.Barrier(12), []

    def race(n: int) -> None:
        with Store(path) as store:
            start.wait()
            if Ledger(store).claim(DAY, ADDRESS, f"run-{n}", T0, alive=alive).taken:
                wins.append(n)

    threads = [threading.Thread(target=race, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1


def test_this_process_is_alive_and_a_finished_one_is_not():
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    assert holder_alive(new_holder())
    assert not holder_alive(f"{socket.gethostname()}:{done.stdout.strip()}:ab12")
    assert holder_alive(f"another-host:{done.stdout.strip()}:ab12")  # only its lease can tell
