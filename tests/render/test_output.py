"""An edition's files as one set: what a killed build leaves behind is cleared."""

import os
import subprocess
import sys

from briefing.render import output


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_parts_of_a_killed_build_are_removed_and_those_of_a_running_one_kept(tmp_path):
    orphan = tmp_path / f"briefing.pdf.{_dead_pid()}-a1b2c3.part"
    orphan.write_bytes(b"%PDF half written")
    beside = tmp_path / f"briefing.json.{os.getpid()}-d4e5f6.part"  # a build running now
    beside.write_text("{}")
    (tmp_path / "briefing.pdf").write_bytes(b"%PDF whole")

    with output.staged(tmp_path) as staging:
        staging.write("briefing.html", b"<html></html>")
        staging.commit()
    assert not orphan.exists()
    assert beside.exists()
    assert (tmp_path / "briefing.pdf").read_bytes() == b"%PDF whole"
    assert (tmp_path / "briefing.html").read_bytes() == b"<html></html>"
    assert sorted(p.name for p in tmp_path.glob("*.part")) == [beside.name]
