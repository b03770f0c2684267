"""Errors that do not name what to fix: each is one line naming the key or argument.

`--window 99999999999w` and `send --to not-an-email` are rows of
tests/test_cli.py::test_usage_errors_exit_2_naming_the_argument.
"""

import os
from datetime import date, timedelta

from briefing import config, pipeline
from tests.conftest import DEMO, invoke, write_config
from tests.hostile.conftest import DAY, run_cli_with_read_only

FEED = DEMO / "feeds" / "cnn.xml"


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_read_only_output_dir_stops_the_build_before_anything_is_fetched(tmp_path, web):
    url = web.add("/f.xml", b"<rss version='2.0'><channel><title>T</title></channel></rss>")
    (tmp_path / "out").mkdir()
    write_config(tmp_path, f'feeds:\n  - {{name: W, url: "{url}"}}\noutput_dir: out\n')
    result = run_cli_with_read_only(
        tmp_path / "out", "build", "--date", DAY, "--format", "json", cwd=tmp_path
    )
    assert result.returncode == 2
    assert one_line(result) == (
        f"briefing: config.yaml: output_dir: cannot write to {tmp_path / 'out'}: "
        + ("Read-only file system" if os.geteuid() == 0 else "Permission denied")
    )
    assert web.requests == []  # said before the fetch, not after it


def test_an_output_dir_blocked_by_a_file_is_named(tmp_path):
    (tmp_path / "out").write_text("a file where the folder should be")
    write_config(tmp_path, f"feeds:\n  - {{name: W, url: '{FEED}'}}\noutput_dir: out/briefings\n")
    result = invoke("build", "--date", DAY, "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result).startswith("briefing: config.yaml: output_dir: cannot write to ")


def test_a_read_only_data_dir_is_named_by_its_key(tmp_path):
    write_config(
        tmp_path, f"feeds:\n  - {{name: W, url: '{FEED}'}}\nfetch: {{fetch_pages: false}}\n"
    )
    assert invoke("fetch", cwd=tmp_path).returncode == 0  # the store exists, then turns read-only
    result = run_cli_with_read_only(tmp_path / ".briefing", "fetch", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result).startswith(
        f"briefing: config.yaml: data_dir: cannot write to {tmp_path / '.briefing'}: "
    )


def test_an_unset_smtp_password_stops_only_sending(tmp_path):
    path = write_config(
        tmp_path,
        f"feeds:\n  - {{name: W, url: '{FEED}'}}\nfetch: {{fetch_pages: false}}\n"
        "email:\n  smtp: {host: 127.0.0.1, port: 9, username: u, password: '${SMTP_PASSWORD}'}\n"
        "  from: b@example.org\n  to: [r@example.org]\n",
    )
    cfg = config.load(path, environ={})  # what `build` reads first: no password needed
    written = pipeline.build(cfg, date(2024, 10, 24), timedelta(hours=24), formats=("json",))
    assert written["json"].is_file()
    sent = invoke("send", "--date", "2024-10-24", cwd=tmp_path)
    assert sent.returncode == 2
    assert one_line(sent) == (
        "briefing: config.yaml: email.smtp.password: environment variable SMTP_PASSWORD is not set"
    )


def test_analyze_refuses_a_directory_and_a_binary_file_in_one_line(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    for source, message in ((tmp_path, "a directory"), (tmp_path / "photo.jpg", "binary content")):
        result = invoke("analyze", str(source), "--json", cwd=tmp_path)
        assert result.returncode == 2 and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
