"""Leftovers: a killed run leaves no worker behind and keeps the pages it finished."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from briefing import config
from tests.conftest import ingest, write_config
from tests.hostile.conftest import report_site

PAGES = 70  # above collect.PARALLEL_FROM: extraction goes to worker processes


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc (Linux)."""
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":  # a zombie is dead, only not reaped yet
            out.add(pid)
    return out


def wait_until(condition, timeout: float = 30.0, every: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not reached within {timeout}s")


def start_fetch(folder: Path, feed_url: str) -> subprocess.Popen:
    write_config(
        folder,
        f'feeds:\n  - {{name: Slow, url: "{feed_url}"}}\n'
        "fetch: {allow_private_networks: true, host_delay: 0, per_host: 2, pages_per_feed: 500}\n",
    )
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "fetch"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def pages_saved(folder: Path) -> int:
    try:
        with sqlite3.connect(folder / ".briefing" / "briefing.sqlite3", timeout=1) as db:
            return db.execute(
                "SELECT count(*) FROM articles WHERE extract_source='page'"
            ).fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_during_extraction_leaves_no_worker_and_a_rerun_fetches_only_the_rest(tmp_path, web):
    process = start_fetch(tmp_path, report_site(web, PAGES, delay=0.1))
    try:
        wait_until(lambda: pages_saved(tmp_path) >= 3 and len(descendants(process.pid)) >= 2)
        children = descendants(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        wait_until(lambda: not alive(children), timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    saved = pages_saved(tmp_path)
    assert 3 <= saved < PAGES  # killed midway, and what was finished is stored
    for route in web.routes.values():
        route.delay = 0
    asked_before = len(web.requests)
    ingest(config.load(tmp_path / "config.yaml", environ={}))  # the rerun
    pages_asked = [p for p, _ in web.requests[asked_before:] if p[3:].isdigit()]
    assert len(pages_asked) <= PAGES - saved and pages_saved(tmp_path) == PAGES


def test_sigterm_stops_cleanly_without_leaked_semaphore_warnings(tmp_path, web):
    process = start_fetch(tmp_path, report_site(web, PAGES, delay=0.1))
    try:
        wait_until(lambda: pages_saved(tmp_path) >= 3 and len(descendants(process.pid)) >= 2)
        children = descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 143, err
    assert "leaked semaphore" not in err and "Traceback" not in err
    assert err.strip().splitlines()[-1] == "briefing: terminated"
    wait_until(lambda: not alive(children), timeout=10)
