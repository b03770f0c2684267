"""The contract's command line, through the console script's `main(argv)`.

Most tests run it in-process (`invoke`); the ones about what only a real
process shows (exit status, stdout kept apart from stderr, a traceback) run
the real subprocess (`run_cli`).
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, SEED, article_page, invoke, rss, run_cli, write_config

SCHEMAS = ROOT / "briefing" / "schemas"


@pytest.fixture
def site(tmp_path: Path, web) -> Path:
    """A config with one healthy local feed and one feed whose server fails."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(
        article_page(
            "Austin says troops are in Russia",
            ["US Defense Secretary Lloyd Austin said on Wednesday that " * 8],
        ),
        encoding="utf-8",
    )
    (tmp_path / "feed.xml").write_bytes(
        rss(
            [
                {
                    "title": "Austin says troops are in Russia",
                    "link": "pages/a.html",
                    "date": "Wed, 23 Oct 2024 12:00:00 GMT",
                }
            ]
        )
    )
    web.add("/broken.xml", b"oops", status=500)
    write_config(
        tmp_path,
        f"""
feeds:
  - {{name: Local, url: feed.xml, lang: en}}
  - {{name: Broken, url: "{web.url("/broken.xml")}"}}
fetch: {{retries: 0, timeout: 5}}
""",
    )
    return tmp_path


def test_build_exits_0_with_a_failing_feed_and_reports_it(site):
    result = run_cli("build", "--date", "2024-10-24", "--format", "json", cwd=site)
    assert result.returncode == 0, result.stderr
    written = result.stdout.split()
    assert written == [str(site / "output" / "2024-10-24" / "briefing.json")]
    data = json.loads(Path(written[0]).read_text(encoding="utf-8"))
    feeds = {f["name"]: f for f in data["feeds"]}
    assert feeds["Broken"]["status"] == "error" and "500" in feeds["Broken"]["error"]
    assert feeds["Local"]["status"] == "ok"
    assert [s["headline"]["en"] for s in data["stories"]] == ["Austin says troops are in Russia"]
    assert "Broken" in result.stderr  # the failure is reported, not hidden


def test_build_honours_the_window_of_the_config_unless_given(site):
    config = site / "config.yaml"
    config.write_text(config.read_text() + "window: 12h\n")  # opens after the article's noon
    invoke("fetch", cwd=site)
    narrow = invoke("build", "--date", "2024-10-24", "--no-fetch", "--format", "json", cwd=site)
    edition = site / "output" / "2024-10-24" / "briefing.json"
    assert narrow.returncode == 0 and json.loads(edition.read_text())["stories"] == []
    wide = invoke(
        "build",
        "--date",
        "2024-10-24",
        "--no-fetch",
        "--format",
        "json",
        "--window",
        "24h",
        cwd=site,
    )
    assert wide.returncode == 0 and len(json.loads(edition.read_text())["stories"]) == 1


def test_quiet_build_prints_nothing_when_all_went_well(site):
    invoke("fetch", cwd=site)
    (site / "config.yaml").write_text(
        (site / "config.yaml").read_text().replace("  - {name: Broken", "  # - {name: Broken")
    )
    result = invoke("-q", "build", "--date", "2024-10-24", "--no-fetch", cwd=site)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    assert (site / "output" / "2024-10-24" / "briefing.pdf").is_file()


def test_build_writes_all_three_formats_by_default(site):
    result = invoke("build", "--date", "2024-10-24", "--no-fetch", cwd=site)
    assert result.returncode == 0, result.stderr
    assert [Path(p).name for p in result.stdout.split()] == [
        "briefing.pdf",
        "briefing.html",
        "briefing.json",
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "--date", "tomorrow"], "not a date: 'tomorrow'"),
        (["build", "--date", "2024-02-30"], "not a date"),
        (["build", "--window", "forever"], "not a duration"),
        (
            ["build", "--window", "99999999999w"],
            "'--window': not a duration: '99999999999w' (too long)",
        ),
        (["send", "--to", "not-an-email"], "'--to': not an email address: 'not-an-email'"),
        (["build", "--format", "docx"], "unknown format docx"),
        (["bild"], "No such command"),
    ],
)
def test_usage_errors_exit_2_naming_the_argument(site, args, message):
    result = invoke(*args, cwd=site)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_config_key_exits_2_with_one_line(tmp_path):
    (tmp_path / "feed.xml").write_bytes(rss([]))
    write_config(
        tmp_path, "feeds:\n  - {name: A, url: feed.xml}\n  - {name: B, url: 'ftp://x.org/f'}\n"
    )
    result = run_cli("build", "--date", "today", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "briefing: config.yaml: feeds[1].url: not a URL: 'ftp://x.org/f' (use http://, https:// or a file path)"
    )


def test_config_comes_from_the_environment_when_not_given(site, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = invoke("feeds", cwd=elsewhere, env={"BRIEFING_CONFIG": str(site / "config.yaml")})
    assert result.returncode == 0, result.stderr
    assert "Local" in result.stdout and "Broken" in result.stdout


def test_another_failure_exits_1_with_a_message_and_no_traceback(site):
    (site / "output").mkdir()
    (site / "output" / "2024-10-24").write_text("a file where the edition's folder should be")
    result = invoke("build", "--date", "2024-10-24", "--no-fetch", "--format", "json", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("briefing: error:") and "output" in last


def test_verbose_shows_the_traceback(site):
    (site / "output").mkdir()
    (site / "output" / "2024-10-24").write_text("not a folder")
    result = run_cli(
        "-v", "build", "--date", "2024-10-24", "--no-fetch", "--format", "json", cwd=site
    )
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_feeds_shows_each_feeds_last_status(site):
    invoke("fetch", cwd=site)
    result = invoke("feeds", "--json", cwd=site)
    health = {f["name"]: f for f in json.loads(result.stdout)}
    assert health["Local"]["status"] == "ok" and health["Local"]["items"] == 1
    assert health["Broken"]["status"] == "error" and health["Broken"]["consecutive_failures"] == 1


def test_analyze_json_follows_the_contract():
    result = invoke("analyze", str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads((SCHEMAS / "analysis.schema.json").read_text()))
    assert data["lang"] == "ar"
    assert any(f["value"] == 1500 and f["unit"] == "جندي" for f in data["figures"])
    assert any(
        q["speaker"] == "مارك روته" for q in data["quotes"]
    )  # "روته", resolved to the full name


def test_analyze_reads_a_saved_html_page():
    page = ROOT / "examples" / "demo" / "pages" / "cnn-austin-north-korea-troops-russia.html"
    result = invoke("analyze", str(page))
    assert result.returncode == 0, result.stderr
    assert "Austin says there is evidence North Korean troops are in Russia" in result.stdout
    assert "~1,500 soldiers" in result.stdout and "~13,000 containers" in result.stdout


def test_analyze_of_a_missing_file_exits_2():
    result = invoke("analyze", "/no/such/article.txt", "--json")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_init_writes_a_config_and_the_templates_to_customise(tmp_path):
    result = invoke("init", str(tmp_path / "mine"))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "mine" / "config.yaml").read_text(encoding="utf-8")
    assert "\ntemplates_dir: templates" in text
    assert (tmp_path / "mine" / "templates" / "briefing.html").is_file()
    again = invoke("init", str(tmp_path / "mine"))
    assert again.returncode == 2 and "already exists" in again.stderr
    from briefing import config

    assert (
        config.load(tmp_path / "mine" / "config.yaml", environ={}).templates_dir
        == tmp_path / "mine" / "templates"
    )


def test_version_and_help():
    assert invoke("--version").stdout.startswith("briefing, version ")
    helped = invoke("--help").stdout
    for command in ("init", "fetch", "build", "analyze", "feeds"):
        assert command in helped


def test_analyze_fetches_a_url_with_the_pipelines_client(web):
    url = web.add(
        "/story",
        article_page(
            "Rutte warns of escalation",
            [
                'NATO chief Mark Rutte said: "If they send troops to Ukraine, '
                'that would be a significant escalation." ' * 2,
                "Seoul says more than 1,500 soldiers were sent.",
            ],
        ),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    result = invoke("analyze", url, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (
        data["source"] == url
        and data["lang"] == "en"
        and data["title"] == "Rutte warns of escalation"
    )
    assert any(q["speaker"] == "Mark Rutte" for q in data["quotes"])
    assert any(f["value"] == 1500 and f["unit"] == "soldiers" for f in data["figures"])
    assert web.requests[-1][1]["user-agent"].startswith("briefing/")


def test_analyze_of_a_missing_page_exits_1_with_the_reason(web):
    result = invoke("analyze", web.url("/gone"), "--json")
    assert (
        result.returncode == 1 and "HTTP 404" in result.stderr and "Traceback" not in result.stderr
    )


def test_log_lines_carry_the_time_when_stderr_is_not_a_terminal(site):
    result = invoke("fetch", cwd=site)  # stderr is captured, as under cron
    lines = result.stderr.strip().splitlines()
    assert lines and all(
        re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d briefing: ", line) for line in lines
    ), lines


def test_every_module_logs_under_its_own_name():
    """Each module's logger is named by the module, so one stage's level can be raised
    alone (`logging.getLogger("briefing.ingest.collect")`); cli.py configures the root."""
    named = {
        path.relative_to(ROOT).as_posix(): found
        for path in sorted((ROOT / "briefing").rglob("*.py"))
        for found in re.findall(r"^log = logging\.getLogger\((.*)\)$", path.read_text(), re.M)
    }
    assert len(named) >= 5 and {f: n for f, n in named.items() if n != "__name__"} == {}
