"""Who holds a claim on a row (a feed, a page, a reader), and when that claim is over.

Workers share the work through the store, never through a queue of their own:
a row is taken in one transaction by a holder (host, process id, nonce) with a
lease. The claim is over when the holder lets it go, when its lease runs out,
or at once when the holder ran on this machine and its process is gone.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime


def new_holder() -> str:
    """Who holds a claim: host, process id and a nonce (so one process's runs differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def holder_alive(holder: str) -> bool:
    """False only when the holder ran on this machine and its process is gone."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: only its lease can tell
    return process_alive(int(pid))


def process_alive(pid: int) -> bool:
    """Whether process `pid` of this machine is running (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_free(
    claimed_by: str | None,
    lease_until: datetime | None,
    now: datetime,
    holder: str,
    alive: Callable[[str], bool] = holder_alive,
) -> bool:
    """Whether `holder` may take a row claimed so: nobody's, its own, lapsed, or its holder gone."""
    if claimed_by is None or claimed_by == holder:
        return True
    return lease_until is None or lease_until <= now or not alive(claimed_by)
