from pathlib import Path

import pytest

from briefing import config
from briefing.errors import ConfigError
from tests.conftest import write_config

GOOD = """
feeds:
  - name: Local
    url: feed.xml
    lang: ar
  - name: Remote
    url: https://example.org/rss.xml
output_dir: out
timezone: Asia/Riyadh
edition_time: "07:30"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "feed.xml").write_text("<rss/>")
    return tmp_path


def load_text(folder: Path, text: str, environ=None) -> config.Config:
    return config.load(write_config(folder, text), environ=environ or {})


def error_of(folder: Path, text: str, environ=None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_text(folder, text, environ)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_valid_config_resolves_paths_against_its_folder(folder):
    cfg = load_text(folder, GOOD)
    assert cfg.feeds[0].url == (folder / "feed.xml").as_uri()
    assert cfg.feeds[0].is_local and cfg.feeds[0].lang == "ar"
    assert cfg.feeds[1].url == "https://example.org/rss.xml" and cfg.feeds[1].lang is None
    assert cfg.output_dir == folder / "out"
    assert cfg.data_dir == folder / ".briefing"
    assert cfg.timezone == "Asia/Riyadh"
    assert (cfg.edition_time.hour, cfg.edition_time.minute) == (7, 30)


def test_defaults_follow_the_contract(folder):
    cfg = load_text(folder, "feeds:\n  - {name: A, url: feed.xml}\n")
    assert cfg.timezone == "UTC"
    assert cfg.edition_time.strftime("%H:%M") == "06:00"
    assert cfg.fetch.allow_private_networks is False
    assert cfg.output_dir == folder / "output"
    assert cfg.window.total_seconds() == 24 * 3600 and cfg.fetch_interval.total_seconds() == 1800


@pytest.mark.parametrize(
    "text, expected",
    [
        ("feeds:\n  - {name: A, url: feed.xml}\ncolour: red\n", "config.yaml: colour: unknown key"),
        ("feeds:\n  - {name: A, url: feed.xml}\noutput_dri: x\n", "did you mean `output_dir`?"),
        (
            "feeds:\n  - {name: A, url: feed.xml}\n  - {name: B, url: feed.xml}\n  - {name: C, url: 'not a url'}\n",
            "config.yaml: feeds[1].url: the same feed as feeds[0]",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\n  - {name: C, url: 'htp://x.org/f'}\n",
            "config.yaml: feeds[1].url: not a URL",
        ),
        ("feeds:\n  - {name: A, url: 'https:///nohost'}\n", "feeds[0].url: not a URL"),
        ("feeds:\n  - {name: A, url: missing.xml}\n", "feeds[0].url: not a URL, and no such file"),
        (
            "feeds:\n  - {name: A, url: feed.xml, lang: Arabic}\n",
            "feeds[0].lang: not a language code",
        ),
        ("feeds:\n  - {url: feed.xml}\n", "feeds[0].name: missing"),
        ("feeds: []\n", "config.yaml: feeds: expected a non-empty list"),
        (
            "feeds:\n  - {name: A, url: feed.xml}\ntimezone: Mars/Olympus\n",
            "timezone: unknown time zone 'Mars/Olympus'",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nedition_time: '25:00'\n",
            "edition_time: not a time of day",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nfetch: {timeout: fast}\n",
            "fetch.timeout: expected a number",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nfetch: {allow_private_networks: 'yes'}\n",
            "fetch.allow_private_networks: expected true or false",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\ntheme: {page_size: A5}\n",
            "theme.page_size: expected A4 or Letter",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nemail: {smtp: {host: h, security: tls}, from: a@b.org, to: [c@d.org]}\n",
            "email.smtp.security: expected starttls, ssl or none",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nemail: {smtp: {host: h}, from: a@b.org, to: [nobody]}\n",
            "email.to[0]: not an email address",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nemail: {smtp: {host: h}, from: a@b.org, to: [c@d.org], min_stories: -1}\n",
            "email.min_stories: must be at least 0, got -1",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nemail: {smtp: {host: h}, from: a@b.org, to: [c@d.org], min_stories: 0}\n",
            None,
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nwindow: 3 days\n",
            "config.yaml: window: not a duration: '3 days'",
        ),
        (
            "feeds:\n  - {name: A, url: feed.xml}\nfetch_interval: often\n",
            "fetch_interval: not a duration",
        ),
        ("feeds:\n  - {name: A, url: feed.xml}\nfetch: {allow_hosts: [intranet.local, 5]}\n", None),
        ("", "the file is empty"),
        ("feeds: [\n", "config.yaml: "),
    ],
)
def test_bad_configs_name_the_key_at_fault(folder, text, expected):
    if expected is None:  # a valid variant of the row above, to show the check is not blanket
        load_text(folder, text)
        return
    assert expected in error_of(folder, text)


def test_environment_references_are_substituted(folder):
    text = (
        GOOD
        + "email:\n  smtp: {host: '${SMTP_HOST}', password: '${SMTP_PASSWORD}'}\n  from: a@example.org\n  to: b@example.org\n"
    )
    environ = {"SMTP_HOST": "smtp.example.org", "SMTP_PASSWORD": "s3cret"}
    cfg = load_text(folder, text, environ)
    assert cfg.email.smtp.host == "smtp.example.org"
    # The secret is read where it is used (sending mail), not with the file.
    assert cfg.email.smtp.password == "${SMTP_PASSWORD}"
    assert config.smtp_password(cfg, environ) == "s3cret"
    assert cfg.email.smtp.port == 587
    assert cfg.email.to == ("b@example.org",)
    assert cfg.email.min_stories == 1  # an edition without a single story is not mailed


def test_a_missing_environment_variable_is_named(folder):
    text = (
        GOOD
        + "email:\n  smtp: {host: '${SMTP_HOST}', password: '${SMTP_PASSWORD}'}\n  from: a@example.org\n  to: [b@example.org]\n"
    )
    assert (
        error_of(folder, text)
        == "config.yaml: email.smtp.host: environment variable SMTP_HOST is not set"
    )
    cfg = load_text(folder, text, {"SMTP_HOST": "h.org"})  # the password is not needed yet
    with pytest.raises(ConfigError) as caught:
        config.smtp_password(cfg, {})
    assert (
        str(caught.value)
        == "config.yaml: email.smtp.password: environment variable SMTP_PASSWORD is not set"
    )


def test_a_missing_config_file_says_how_to_make_one(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        config.load(tmp_path / "config.yaml")


@pytest.mark.parametrize(
    "text, hours", [("24h", 24), ("36h", 36), ("7d", 168), ("90m", 1.5), ("2w", 336)]
)
def test_durations_parse(text, hours):
    assert config.parse_duration(text).total_seconds() == hours * 3600


@pytest.mark.parametrize("text", ["", "24", "h", "-3h", "0h", "3 days", "3y"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError, match="not a duration"):
        config.parse_duration(text)


def test_the_shipped_configs_are_valid():
    root = Path(__file__).resolve().parent.parent
    real = config.load(root / "config.yaml", environ={})
    assert {f.name for f in real.feeds} >= {
        "CNN",
        "AP",
        "Asharq Al-Awsat",
        "Al Jazeera",
        "BBC Arabic",
    }
    assert all(f.url.startswith(("http://", "https://")) for f in real.feeds)
    demo = config.load(root / "examples" / "demo" / "config.yaml", environ={})
    assert len(demo.feeds) >= 3 and all(f.is_local for f in demo.feeds)
    desks = config.load(root / "examples" / "desks" / "config.yaml", environ={})
    assert [e.name for e in desks.editions] == ["gulf", "asia"]
    # The desks reuse the demo's feed files, not copies of them.
    assert {f.url for f in desks.feeds} == {f.url for f in demo.feeds}


FEEDS_AB = """feeds:
  - {name: A, url: feed.xml, tags: [gulf]}
  - {name: B, url: https://example.org/rss.xml, lang: en}
email: {smtp: {host: h}, from: a@b.org, to: [all@example.org]}
"""


@pytest.mark.parametrize(
    "editions, expected",
    [
        ("editions: []\n", "config.yaml: editions: expected a non-empty list"),
        ("editions:\n  - {title: X}\n", "config.yaml: editions[0].name: missing (required)"),
        (
            "editions:\n  - {name: Gulf Desk}\n",
            "config.yaml: editions[0].name: not an edition name: 'Gulf Desk'",
        ),
        (
            "editions:\n  - {name: gulf}\n  - {name: gulf}\n",
            "config.yaml: editions[1].name: the same name as editions[0]",
        ),
        (
            "editions:\n  - {name: gulf}\n  - {name: asia, feeds: [X]}\n",
            "config.yaml: editions[1].feeds[0]: no feed named 'X', nor a feed tagged so",
        ),
        ("editions:\n  - {name: gulf, feeds: [gulff]}\n", "(did you mean `gulf`?)"),
        ("editions:\n  - {name: gulf, feeds: []}\n", "editions[0].feeds: names no feed"),
        (
            "editions:\n  - {name: gulf, topics: {inclde: [oil]}}\n",
            "editions[0].topics.inclde: unknown key (did you mean `include`?)",
        ),
        (
            "editions:\n  - {name: gulf, topics: {include: [oil, '']}}\n",
            "editions[0].topics.include[1]: must not be empty",
        ),
        (
            "editions:\n  - {name: gulf, topics: {exclude: ['*']}}\n",
            "editions[0].topics.exclude[0]: not a word to look for",
        ),
        (
            "editions:\n  - {name: gulf, languages: [arabic]}\n",
            "editions[0].languages[0]: not a language code",
        ),
        (
            "editions:\n  - {name: gulf, top_stories: 0}\n",
            "editions[0].top_stories: must be at least 1",
        ),
        (
            "editions:\n  - {name: gulf, edition_time: '5.30'}\n",
            "editions[0].edition_time: not a time of day",
        ),
        (
            "editions:\n  - {name: gulf, email: {to: [desk]}}\n",
            "editions[0].email.to[0]: not an email address: 'desk'",
        ),
        (
            "editions:\n  - {name: gulf, email: {smtp: {host: h}}}\n",
            "editions[0].email.smtp: unknown key",
        ),
        ("editions:\n  - {name: gulf, colour: red}\n", "editions[0].colour: unknown key"),
    ],
)
def test_bad_editions_name_the_key_at_fault(folder, editions, expected):
    assert expected in error_of(folder, FEEDS_AB + editions)


def test_edition_readers_need_the_top_level_mail_server(folder):
    text = "feeds:\n  - {name: A, url: feed.xml}\neditions:\n  - {name: gulf, email: {to: [d@x.org]}}\n"
    assert error_of(folder, text) == (
        "config.yaml: editions[0].email: readers need the top-level `email:`"
        " (its smtp server and from address)"
    )


def test_an_edition_takes_what_it_does_not_say_from_the_top_level(folder):
    cfg = load_text(
        folder,
        FEEDS_AB
        + 'edition_time: "06:30"\ntheme: {title: Briefing, top_stories: 7}\n'
        + "editions:\n  - {name: gulf, feeds: [gulf], email: {to: [g@example.org]}}\n"
        + "  - {name: all, title: Everything, edition_time: '05:00', languages: [AR]}\n",
    )
    gulf, everything = cfg.editions
    assert gulf.feeds == ((folder / "feed.xml").as_uri(),)
    assert (gulf.title, gulf.top_stories, gulf.edition_time.hour) == ("Briefing", 7, 6)
    assert gulf.readers == ("g@example.org",)
    assert everything.feeds == () and everything.languages == ("ar",)
    assert everything.readers == ("all@example.org",)  # the top-level readers
    assert (everything.title, everything.edition_time.hour) == ("Everything", 5)
    view = cfg.for_edition(gulf)
    assert [f.name for f in view.feeds] == ["A"] and view.email.to == ("g@example.org",)
    assert view.theme.top_stories == 7 and view.output_dir == cfg.output_dir
    assert cfg.for_edition(everything).feeds == cfg.feeds
    assert view.for_edition(gulf) == view  # a view of a view is the same view


def test_with_editions_the_top_level_readers_are_optional(folder):
    text = FEEDS_AB.replace(", to: [all@example.org]", "") + "editions:\n  - {name: gulf}\n"
    assert load_text(folder, text).editions[0].readers == ()
    assert "email.to: missing (required)" in error_of(
        folder, FEEDS_AB.replace(", to: [all@example.org]", "")
    )


def test_without_editions_there_is_one_default_edition_of_the_top_level_keys(folder):
    cfg = load_text(folder, FEEDS_AB)
    [default] = cfg.all_editions
    assert cfg.editions == () and default.name == "default"
    assert default.feeds == () and default.readers == ("all@example.org",)
    assert cfg.for_edition(default) is cfg


def test_the_database_password_is_read_where_the_store_is_opened_and_may_hold_any_character(
    tmp_path,
):
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss><channel><title>t</title></channel></rss>", encoding="utf-8")
    path = tmp_path / "config.yaml"
    path.write_text(
        f"feeds: [{{name: F, url: '{feed}'}}]\n"
        "database: postgresql://briefing:${PG_PASSWORD}@db.example.org:5433/news\n",
        encoding="utf-8",
    )
    cfg = config.load(path, environ={})  # not needed to read the file
    assert cfg.database == "postgresql://briefing:${PG_PASSWORD}@db.example.org:5433/news"
    url = config.database_url(cfg, environ={"PG_PASSWORD": "p@ss/w:rd"})
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "briefing",
        "p@ss/w:rd",
        "db.example.org",
        5433,
        "news",
    )
    with pytest.raises(ConfigError, match="database: environment variable PG_PASSWORD"):
        config.database_url(cfg, environ={})
