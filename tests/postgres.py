"""A throwaway PostgreSQL server for the tests and the benches: `initdb` in a temporary
folder, `pg_ctl` on a loopback port, a fresh database per test.

Debian's `postgresql` package provides the programs (scripts/system-deps.sh
installs it). initdb refuses to run as root, so as root the cluster belongs
to the `postgres` user the package creates. Durability is switched off
(fsync, synchronous_commit, full_page_writes): the data lives for one run.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from glob import glob
from pathlib import Path


def bindir() -> Path | None:
    """Where initdb and pg_ctl are: Debian's versioned folder (newest first), else PATH."""
    for found in sorted(glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(found).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """One PostgreSQL server on 127.0.0.1, its data in a temporary folder; `stop()` removes it."""

    def __init__(self, programs: Path):
        self.programs = programs
        self.folder = Path(tempfile.mkdtemp(prefix="briefing-pg-"))
        self.owner = "postgres" if os.geteuid() == 0 else None  # initdb refuses root
        self.port = 0
        self._names = itertools.count()
        if self.owner:
            shutil.chown(self.folder, self.owner)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @classmethod
    def start_new(cls) -> Cluster:
        """A new cluster, started; RuntimeError when PostgreSQL is not installed."""
        programs = bindir()
        if programs is None:
            raise RuntimeError("PostgreSQL is not installed (scripts/system-deps.sh installs it)")
        cluster = cls(programs)
        try:
            cluster._run(
                "initdb",
                "-D",
                str(cluster.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            )
            cluster._start()
        except BaseException:
            shutil.rmtree(cluster.folder, ignore_errors=True)
            raise
        return cluster

    def _start(self) -> None:
        for attempt in range(5):  # the free port may be taken between the probe and the start
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories=''"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                " -c max_connections=200"
            )
            try:
                self._run(
                    "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                    "-o", options, "start",
                )  # fmt: skip
                return
            except subprocess.CalledProcessError:
                if attempt == 4:
                    log = (self.folder / "log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"PostgreSQL did not start:\n{log}") from None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database's name."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self._sql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(statement)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.programs / program), *args]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
