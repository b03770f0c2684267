"""Worker threads and processes that never outlive the run that started them.

A spawned extraction worker waits on its parent's pipe; when the parent is
killed (kill -9, a crash, the OOM killer) nothing would tell the worker, and
it would sit on the task queue, or finish a long extraction, for nobody.
A thread pool left by an exception (SIGTERM, a failed save) would go on
running every queued download before the process could exit.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager


def die_with_parent() -> None:
    """Worker initializer: exit at once when the parent process is gone.

    `multiprocessing.parent_process()` holds the read end of a pipe only the
    parent writes to; the kernel closes it when the parent dies, however it dies.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def processes(count: int) -> ProcessPoolExecutor:
    """A pool of `count` spawned worker processes that die with this one."""
    return ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=die_with_parent,
    )


def stop(pool: ProcessPoolExecutor) -> None:
    """Shut `pool` down without waiting for the work in progress: its workers are
    terminated and reaped. Python 3.14 adds `terminate_workers()` for this
    (python/cpython#128041), without the reaping; until then only a private
    attribute lists the workers."""
    running = list((pool._processes or {}).values())  # shutdown() forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in running:
        if process.is_alive():
            process.terminate()
    for process in running:
        process.join()


@contextmanager
def threads(count: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool whose queued work is dropped when the block is left early;
    only the tasks already running are waited for."""
    pool = ThreadPoolExecutor(max_workers=count)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
