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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select, update

from briefing.claims import holder_alive, new_holder
from briefing.models import Delivery
from briefing.schema import deliveries
from briefing.store import Store, from_iso, issues_of, utc_iso
from briefing.store.rows import dataclass_of

__all__ = ["Claim", "Delivery", "Ledger", "holder_alive", "new_holder", "settled"]

# Longer than one SMTP transaction can take (each step times out after 30 s; a
# large PDF on a slow link takes minutes); renewed when DATA starts. On this
# machine a dead holder is noticed at once by its process id.
LEASE = timedelta(minutes=10)
RESENDS = 1  # copies sent again after an unknown outcome, without --force

STATES = ("pending", "claimed", "accepted", "unknown", "failed")


@dataclass(frozen=True)
class Claim:
    delivery: Delivery  # the row as it was before the claim
    taken: bool
    state: str  # the row's state now
    resend: bool = False  # the previous attempt's outcome is unknown: this is its one resend
    why: str = ""  # when not taken: why not; for a resend: the unknown outcome it follows


class Ledger:
    """The `deliveries` table of the store; every change is committed before the next SMTP step."""

    def __init__(self, store: Store):
        self.store = store

    def open(self, date: str, readers: list[tuple[str, str, str]], now: datetime) -> None:
        """Make sure each (address, spelling, message id) has a row; an existing row is kept as it is."""
        if not readers:
            return
        with self.store.transaction() as c:
            c.execute(
                self.store.insert(deliveries).on_conflict_do_nothing(),
                [
                    {
                        "edition_date": date,
                        "address": a,
                        "recipient": s,
                        "message_id": m,
                        "state": "pending",
                        "updated_at": utc_iso(now),
                        "position": i,
                    }
                    for i, (a, s, m) in enumerate(readers)
                ],
            )

    def get(self, date: str, address: str) -> Delivery | None:
        return _get(self.store.connection, date, address)

    def rows(self, date: str) -> list[Delivery]:
        return [
            _delivery(row)
            for row in self.store.connection.execute(
                select(deliveries)
                .where(deliveries.c.edition_date == date)
                .order_by(deliveries.c.position, deliveries.c.address)
            )
        ]

    def last_accepted(self, edition: str | None) -> tuple[str, datetime, int] | None:
        """The latest issue of an edition (None: the default one) a reader accepted:
        (its key, when last accepted, how many readers)."""
        row = self.store.connection.execute(
            select(
                deliveries.c.edition_date,
                func.max(deliveries.c.accepted_at),
                func.count(),
            )
            .where(deliveries.c.state == "accepted", issues_of(deliveries.c.edition_date, edition))
            .group_by(deliveries.c.edition_date)
            .order_by(deliveries.c.edition_date.desc())
            .limit(1)
        ).first()
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
        # SQLite's write lock, or the row's lock on PostgreSQL: no other run reads in between.
        with self.store.transaction(keep=not peek) as c:
            return self._claim(c, date, address, holder, now, force, alive, lease)

    def _claim(self, c, date, address, holder, now, force, alive, lease) -> Claim:
        found = _get(c, date, address, lock=True)
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
                _set(c, date, address, now, state="unknown", reply=last_words)
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
        c.execute(
            _one(date, address).values(
                state="claimed",
                claimed_by=holder,
                lease_until=utc_iso(now + lease),
                data_at=None,
                attempts=deliveries.c.attempts + 1,
                resends=deliveries.c.resends + int(resend),
                updated_at=utc_iso(now),
            )
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
            return self._as_holder(
                date, address, holder, now, state="unknown", resends=deliveries.c.resends - 1
            )
        return self._as_holder(date, address, holder, now, state="pending", reply=reply)

    def _as_holder(self, date, address, holder, now, **values) -> bool:
        """Apply `values` if `holder` still holds the claim; False when it lapsed meanwhile."""
        if values.get("state", "claimed") != "claimed":
            values.update(claimed_by=None, lease_until=None, data_at=None)
        with self.store.transaction() as c:
            result = c.execute(
                _one(date, address)
                .where(deliveries.c.state == "claimed", deliveries.c.claimed_by == holder)
                .values(**values, updated_at=utc_iso(now))
            )
        return result.rowcount == 1


def _one(date: str, address: str):
    return update(deliveries).where(
        deliveries.c.edition_date == date, deliveries.c.address == address
    )


def _get(c: Connection, date: str, address: str, lock: bool = False) -> Delivery | None:
    query = select(deliveries).where(
        deliveries.c.edition_date == date, deliveries.c.address == address
    )
    row = c.execute(query.with_for_update() if lock else query).first()
    return _delivery(row) if row else None


def _set(c: Connection, date, address, now, **values) -> None:
    values.update(claimed_by=None, lease_until=None, data_at=None)
    c.execute(_one(date, address).values(**values, updated_at=utc_iso(now)))


def settled(delivery: Delivery | None) -> bool:
    """Whether a reader needs no more work without --force: accepted, refused, or unknown twice."""
    if delivery is None:
        return False
    return delivery.state in ("accepted", "failed") or (
        delivery.state == "unknown" and delivery.resends >= RESENDS
    )


def _delivery(row) -> Delivery:
    return dataclass_of(Delivery, row)
