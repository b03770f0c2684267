"""Email delivery against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

import io
import os
import subprocess
import sys
import time
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import Mailbox, email_config, invoke

pytestmark = pytest.mark.slow


def send(folder, *args, env=None):
    """`briefing send` in this process, through main(argv); the server-down test runs a real one."""
    return invoke("send", "--date", "2024-10-24", *args, cwd=folder, env=env)


def test_the_edition_arrives_once_per_reader_with_text_html_and_the_pdf(
    tmp_path, mailbox, demo_build
):
    email_config(tmp_path, mailbox.port, demo_build)
    result = send(tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(r for rcpts, _ in mailbox.messages for r in rcpts) == [
        "hidden@example.org",
        "reader@example.org",
        "second@example.org",
    ]
    rcpts, message = mailbox.messages[0]
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Morning Briefing — 2024-10-24 · الموجز الصباحي"
    assert (
        "=?utf-8?" in message.as_string().split("Subject:", 1)[1].splitlines()[0].lower()
    )  # encoded on the wire
    assert message["From"] == "Morning Briefing <briefing@example.org>"
    assert "hidden@example.org" not in message.as_string()  # Bcc never shows
    assert message["Message-ID"].startswith("<briefing.2024-10-24.") and message["Date"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Austin says there is evidence North Korean troops are in Russia" in text
    assert "كوري" in text and "كوري" in html  # the Arabic side of the North Korea story
    assert "<style" not in html and 'style="' in html  # inline CSS only
    # The demo's pages are local files: each source is named, never linked (http(s) only).
    assert "CNN" in html and "href=" not in html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "briefing-2024-10-24.pdf"
    assert len(PdfReader(io.BytesIO(attachment.get_content())).pages) >= 2

    again = send(tmp_path)
    assert again.returncode == 0 and len(mailbox.messages) == 3  # nothing sent twice
    assert "already sent" in again.stderr
    forced = send(tmp_path, "--force", "--to", "reader@example.org")
    assert forced.returncode == 0 and len(mailbox.messages) == 4


def test_dry_run_writes_eml_files_next_to_the_edition(tmp_path, mailbox, demo_build):
    email_config(tmp_path, mailbox.port, demo_build)
    result = send(tmp_path, "--dry-run", "--to", "someone@example.org")
    assert result.returncode == 0, result.stderr
    [path] = result.stdout.split()
    assert path.endswith("2024-10-24/email-someone@example.org.eml")
    assert b"Content-Type: application/pdf" in Path(path).read_bytes()
    assert mailbox.messages == []


def test_a_server_down_then_up_is_retried_until_it_succeeds(tmp_path, demo_build):
    box = Mailbox()
    email_config(tmp_path, box.port, demo_build, "  retries: 6\n")
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CONFIG"}
    command = [sys.executable, "-m", "briefing", "send", "--date", "2024-10-24"]
    process = subprocess.Popen(
        [*command, "--to", "reader@example.org"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The server starts only once the command has found the port closed and
        # said it will retry: the real condition, not a timer racing its start-up.
        seen = []
        for line in process.stderr:
            seen.append(line)
            if "retrying" in line:
                break
        box.start()
        out, rest = process.communicate(timeout=120)
        stderr = "".join(seen) + rest
        assert process.returncode == 0, stderr
        assert "connection refused" in stderr and "retrying" in stderr
        assert len(box.messages) == 1
    finally:
        if process.poll() is None:
            process.kill()
        box.stop()


def test_a_550_for_one_reader_still_delivers_to_the_others(tmp_path, mailbox, demo_build):
    mailbox.reject["second@example.org"] = "550 5.1.1 <second@example.org>: no such user"
    email_config(tmp_path, mailbox.port, demo_build)
    result = send(tmp_path)
    assert result.returncode == 1
    assert sorted(r for rcpts, _ in mailbox.messages for r in rcpts) == [
        "hidden@example.org",
        "reader@example.org",
    ]
    assert "second@example.org" in result.stderr and "550 5.1.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_password_stops_at_once_with_the_servers_reply(tmp_path, demo_build):
    box = Mailbox(password="right").start()
    try:
        email_config(tmp_path, box.port, demo_build).write_text(
            (tmp_path / "config.yaml")
            .read_text()
            .replace(
                "security: none}",
                "security: none, username: briefing, password: '${SMTP_PASSWORD}'}",
            )
        )
        started = time.monotonic()
        result = send(tmp_path, env={"SMTP_PASSWORD": "wrong"})
        assert result.returncode == 1
        assert f"127.0.0.1:{box.port} refused the login: 535" in result.stderr
        assert "retrying" not in result.stderr and time.monotonic() - started < 10
        assert box.messages == []
        ok = send(tmp_path, env={"SMTP_PASSWORD": "right"})
        assert ok.returncode == 0, ok.stderr
        assert len(box.messages) == 3
    finally:
        box.stop()


def test_starttls_with_a_trusted_certificate_and_a_refused_untrusted_one(tmp_path, demo_build):
    from tests.conftest import self_signed_certificate

    cert, key = self_signed_certificate(tmp_path)
    box = Mailbox(tls=(cert, key)).start()
    try:
        path = email_config(tmp_path, box.port, demo_build)
        path.write_text(path.read_text().replace("security: none}", "security: starttls}"))
        untrusted = send(tmp_path, "--to", "reader@example.org")
        assert untrusted.returncode == 1 and "TLS failed" in untrusted.stderr and box.messages == []
        trusted = send(
            tmp_path, "--to", "reader@example.org", env={"SSL_CERT_FILE": str(cert)}
        )  # the reader's machine trusts this server
        assert trusted.returncode == 0, trusted.stderr
        assert len(box.messages) == 1
    finally:
        box.stop()
