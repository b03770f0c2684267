"""The delivery ledger: one row per edition and reader, and the states it moves through.

    pending ──claim──▶ claimed ──250 after DATA──▶ accepted
       ▲                 │ ├───5xx───────────────▶ failed
       │  4xx, or lost   │ └──no reply after DATA─▶ unknown ──claim (once)──▶ claimed
       └──before DATA────┘

A claim is taken in one write transaction, and only from `pending`, from
`unknown` that was not resent yet, or from a `claimed` row whose holder is
gone (its lease ran out, or its process no longer exists on this machine).
So two runs at once (`send` twice, or `schedule --once` beside `send`) never
hold one reader together, and a run killed mid-send does not strand its
reader. A holder that dies after the message started to go over (DATA) leaves
an unknown outcome, like a connection lost there: the next claim resends it
once, with the stored Message-ID. An unknown outcome that follows that resend
is not resent again without `--force`: it is reported instead.
"""

from __future__ import annotations

import os
import secrets
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from briefing.edition import issues_glob
from briefing.store import Store, from_iso, utc_iso

# Longer than one SMTP transaction can take (each step times out after 30 s; a
# large PDF on a slow link takes minutes); renewed when DATA starts. On this
# machine a dead holder is noticed at once by its process id.
LEASE = timedelta(minutes=10)
RESENDS = 1  # copies sent again after an unknown outcome, without --force

STATES = ("pending", "claimed", "accepted", "unknown", "failed")


@dataclass(frozen=True)
class Delivery:
    edition_date: str
    address: str
    recipient: str
    message_id: str
    state: str
    attempts: int
    resends: int
    claimed_by: str | None
    lease_until: datetime | None
    data_at: datetime | None
    reply: str | None
    updated_at: datetime
    accepted_at: datetime | None


@dataclass(frozen=True)
class Claim:
    delivery: Delivery  # the row as it was before the claim
    taken: bool
    state: str  # the row's state now
    resend: bool = False  # the previous attempt's outcome is unknown: this is its one resend
    why: str = ""  # when not taken: why not; for a resend: the unknown outcome it follows


def new_holder() -> str:
    """Who holds a claim: host, process id and a nonce (so one process's runs differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def holder_alive(holder: str) -> bool:
    """False only when the holder ran on this machine and its process is gone."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: only its lease can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Ledger:
    """The `deliveries` table of the store; every change is committed before the next SMTP step."""

    def __init__(self, store: Store):
        self.db = store.db

    def open(self, date: str, readers: list[tuple[str, str, str]], now: datetime) -> None:
        """Make sure each (address, spelling, message id) has a row; an existing row is kept as it is."""
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO deliveries (edition_date, address, recipient, message_id,"
                " state, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)",
                [(date, a, s, m, utc_iso(now)) for a, s, m in readers],
            )

    def get(self, date: str, address: str) -> Delivery | None:
        row = self.db.execute(
            "SELECT * FROM deliveries WHERE edition_date=? AND address=?", (date, address)
        ).fetchone()
        return _delivery(row) if row else None

    def rows(self, date: str) -> list[Delivery]:
        return [
            _delivery(row)
            for row in self.db.execute(
                "SELECT * FROM deliveries WHERE edition_date=? ORDER BY rowid", (date,)
            )
        ]

    def last_accepted(self, edition: str | None) -> tuple[str, datetime, int] | None:
        """The latest issue of an edition (None: the default one) a reader accepted:
        (its key, when last accepted, how many readers)."""
        row = self.db.execute(
            "SELECT edition_date, max(accepted_at), count(*) FROM deliveries"
            " WHERE state='accepted' AND edition_date GLOB ?"
            " GROUP BY edition_date ORDER BY edition_date DESC LIMIT 1",
            (issues_glob(edition),),
        ).fetchone()
        return (row[0], from_iso(row[1]), row[2]) if row else None

    def claim(
        self,
        date: str,
        address: str,
        holder: str,
        now: datetime,
        *,
        force: bool = False,
        peek: bool = False,
        alive: Callable[[str], bool] = holder_alive,
        lease: timedelta = LEASE,
    ) -> Claim:
        """Take `address` for `holder`, atomically, if nobody holds it and it still needs sending.

        With `peek`, only say whether it could be taken now (the transaction is rolled back).
        """
        self.db.execute("BEGIN IMMEDIATE")  # the write lock first: no other run reads in between
        try:
            claim = self._claim(date, address, holder, now, force, alive, lease)
        except BaseException:
            self.db.rollback()
            raise
        if peek:
            self.db.rollback()
        else:
            self.db.commit()
        return claim

    def _claim(self, date, address, holder, now, force, alive, lease) -> Claim:
        found = self.get(date, address)
        if found is None:
            raise KeyError(f"no delivery of {date} to {address}: open() it first")
        state, resend, last_words = found.state, False, found.reply or ""
        if state == "claimed":
            if found.lease_until and found.lease_until > now and alive(found.claimed_by or ""):
                return Claim(
                    found, False, "claimed", why="being sent by another run at this moment"
                )
            # The holder is gone. Before DATA nothing was handed over; after, nobody knows.
            state = "pending" if found.data_at is None else "unknown"
            if state == "unknown":
                last_words = "no reply: the run sending it stopped during DATA"
                self._set(date, address, now, state="unknown", reply=last_words)
        if state == "unknown":
            if found.resends >= RESENDS and not force:
                return Claim(
                    found,
                    False,
                    "unknown",
                    why=f"outcome unknown again after its resend ({last_words}); not resent without --force",
                )
            resend = True
        elif state == "accepted" and not force:
            return Claim(found, False, state, why="already sent")
        elif state == "failed" and not force:
            return Claim(
                found,
                False,
                state,
                why=f"refused by the server earlier ({found.reply}); --force to retry",
            )
        self.db.execute(
            "UPDATE deliveries SET state='claimed', claimed_by=?, lease_until=?, data_at=NULL,"
            " attempts=attempts+1, resends=resends+?, updated_at=? WHERE edition_date=? AND address=?",
            (holder, utc_iso(now + lease), int(resend), utc_iso(now), date, address),
        )
        return Claim(found, True, "claimed", resend=resend, why=last_words if resend else "")

    def handing_over(
        self, date: str, address: str, holder: str, now: datetime, lease: timedelta = LEASE
    ) -> bool:
        """DATA is about to go: from here a lost holder means an unknown outcome. Renews the lease."""
        return self._as_holder(
            date, address, holder, now, data_at=utc_iso(now), lease_until=utc_iso(now + lease)
        )

    def accepted(self, date: str, address: str, holder: str, now: datetime, reply: str) -> bool:
        return self._as_holder(
            date, address, holder, now, state="accepted", reply=reply, accepted_at=utc_iso(now)
        )

    def unknown(self, date: str, address: str, holder: str, now: datetime, reply: str) -> bool:
        return self._as_holder(date, address, holder, now, state="unknown", reply=reply)

    def failed(self, date: str, address: str, holder: str, now: datetime, reply: str) -> bool:
        return self._as_holder(date, address, holder, now, state="failed", reply=reply)

    def release(
        self, date: str, address: str, holder: str, now: datetime, reply: str, resend: bool = False
    ) -> bool:
        """Nothing was handed over (4xx, connection lost before DATA): back to where it was.

        A claimed resend goes back to `unknown`, its resend not spent, its unknown outcome kept.
        """
        if resend:
            with self.db:
                cursor = self.db.execute(
                    "UPDATE deliveries SET state='unknown', resends=resends-1, claimed_by=NULL,"
                    " lease_until=NULL, data_at=NULL, updated_at=?"
                    " WHERE edition_date=? AND address=? AND state='claimed' AND claimed_by=?",
                    (utc_iso(now), date, address, holder),
                )
            return cursor.rowcount == 1
        return self._as_holder(date, address, holder, now, state="pending", reply=reply)

    def _as_holder(self, date, address, holder, now, **values) -> bool:
        """Apply `values` if `holder` still holds the claim; False when it lapsed meanwhile."""
        if values.get("state", "claimed") != "claimed":
            values.update(claimed_by=None, lease_until=None, data_at=None)
        columns = ", ".join(f"{name}=?" for name in values)
        with self.db:
            cursor = self.db.execute(
                f"UPDATE deliveries SET {columns}, updated_at=?"
                " WHERE edition_date=? AND address=? AND state='claimed' AND claimed_by=?",
                (*values.values(), utc_iso(now), date, address, holder),
            )
        return cursor.rowcount == 1

    def _set(self, date, address, now, **values) -> None:
        values.update(claimed_by=None, lease_until=None, data_at=None)
        columns = ", ".join(f"{name}=?" for name in values)
        self.db.execute(
            f"UPDATE deliveries SET {columns}, updated_at=? WHERE edition_date=? AND address=?",
            (*values.values(), utc_iso(now), date, address),
        )


def settled(delivery: Delivery | None) -> bool:
    """Whether a reader needs no more work without --force: accepted, refused, or unknown twice."""
    if delivery is None:
        return False
    return delivery.state in ("accepted", "failed") or (
        delivery.state == "unknown" and delivery.resends >= RESENDS
    )


def _delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(
        edition_date=row["edition_date"],
        address=row["address"],
        recipient=row["recipient"],
        message_id=row["message_id"],
        state=row["state"],
        attempts=row["attempts"],
        resends=row["resends"],
        claimed_by=row["claimed_by"],
        lease_until=from_iso(row["lease_until"]),
        data_at=from_iso(row["data_at"]),
        reply=row["reply"],
        updated_at=from_iso(row["updated_at"]),
        accepted_at=from_iso(row["accepted_at"]),
    )
