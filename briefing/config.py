"""Load and validate config.yaml: the one place that knows the config schema.

Every problem is reported as one line naming the file and the key, e.g.
``config.yaml: feeds[2].url: not a URL``. Relative paths (feed files,
output_dir, data_dir, templates_dir) are relative to the config file's folder.

`${ENV}` references are resolved as the file is read, except in the SMTP
password and the `database:` URL: a secret is read where it is used
(`smtp_password` by whatever sends mail, `database_url` where the store is
opened), so a command that does not need it does not need it set.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from briefing.edition import DEFAULT_EDITION
from briefing.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_LANG = re.compile(r"^[a-z]{2,3}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_EDITION_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")  # a folder name on every file system


@dataclass(frozen=True)
class FeedConfig:
    name: str
    url: str  # http(s) URL, or an absolute file:// URL for a local feed file
    lang: str | None = None
    tags: tuple[str, ...] = ()  # an edition may draw on feeds by tag (editions[].feeds)

    @property
    def is_local(self) -> bool:
        return self.url.startswith("file:")


@dataclass(frozen=True)
class FetchConfig:
    allow_private_networks: bool = False
    allow_hosts: tuple[str, ...] = ()  # host names exempt from the SSRF guard (an intranet site)
    timeout: float = 20.0  # seconds for one whole request, all retries included
    max_bytes: int = 10_000_000
    concurrency: int = 32  # requests in flight overall (feeds live on many hosts)
    per_host: int = 2  # requests in flight per host
    host_delay: float = (
        0.2  # seconds between two page requests to one host (robots Crawl-delay wins)
    )
    retries: int = 2
    fetch_pages: bool = True  # fetch each article's page; false keeps feed text only
    # A fetch round (feeds, then pages) ends by this many seconds: what is not done
    # waits for the next round and the feed's own text stands in, so the edition is on time.
    round_deadline: float = 300.0
    # Articles taken per feed and round, newest first; the rest wait for later rounds.
    # Most feeds list under 100 items, so a whole listing fits; 100 pages at the
    # default host_delay take 20 s of a 300 s round.
    pages_per_feed: int = 100


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = None  # as written: ${ENV} references resolve in smtp_password()


@dataclass(frozen=True)
class EmailConfig:
    smtp: SmtpConfig
    sender: str
    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    retries: int = 3  # after a transient failure (connection refused, 4xx)
    retry_wait: float = 5.0  # seconds before the first retry; doubles each time
    min_stories: int = 1  # fewer stories than this: the edition is not mailed (deliver/gate.py)


@dataclass(frozen=True)
class ThemeConfig:
    title: str = "Morning Briefing"
    title_ar: str = "الموجز الصباحي"
    accent: str = "#8a1c1c"
    page_size: str = "A4"
    layout: str = "side-by-side"  # or "stacked"
    top_stories: int = 20
    logo: Path | None = None  # an image shown in the masthead (PNG, JPEG or SVG)


@dataclass(frozen=True)
class StoriesConfig:
    embedder: str = "use-multilingual-v3"  # or st:<local sentence-transformers model>
    # Measured on real news (bench/eval_real.py), chosen in the middle of a plateau.
    # Arabic-English pairs need more cosine than same-language ones once the names
    # they share across scripts count. stories.cluster.Params takes these defaults.
    same_language: float = 0.40  # average similarity two stories in one language need to be one
    cross_language: float = 0.55  # the same between Arabic and English articles


@dataclass(frozen=True)
class TopicsConfig:
    """An edition's topic rules, matched on every article of a story, in any language."""

    include: tuple[str, ...] = ()  # a story passes when one of its articles names one of these
    exclude: tuple[str, ...] = ()  # one article naming one of these leaves the story out
    entities: tuple[str, ...] = ()  # countries, cities, organisations, people (either script)

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude or self.entities)


@dataclass(frozen=True)
class ReadersConfig:
    """An edition's own readers; the server and sender stay those of the top-level `email:`."""

    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditionConfig:
    """One edition (a desk's briefing), resolved: what it does not say, the top level says."""

    name: str = DEFAULT_EDITION  # its folder under output_dir (the default edition: none)
    title: str = ThemeConfig.title
    title_ar: str = ThemeConfig.title_ar
    feeds: tuple[str, ...] = ()  # URLs of the feeds it draws on (given as names or tags); () all
    topics: TopicsConfig = field(default_factory=TopicsConfig)
    languages: tuple[str, ...] = ()  # the languages it shows; () shows every language
    top_stories: int = ThemeConfig.top_stories
    edition_time: time = time(6, 0)
    email: ReadersConfig = field(default_factory=ReadersConfig)

    @property
    def readers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.email.to, *self.email.cc, *self.email.bcc]))


@dataclass(frozen=True)
class Config:
    path: Path
    feeds: tuple[FeedConfig, ...]
    output_dir: Path = Path("output")  # relative to the config file's folder
    data_dir: Path = Path(".briefing")
    timezone: str = "UTC"
    edition_time: time = EditionConfig.edition_time
    window: timedelta = timedelta(hours=24)  # how far back an edition reaches
    fetch_interval: timedelta = timedelta(minutes=30)  # the scheduler's fetch cadence
    misfire_grace: timedelta = timedelta(hours=2)  # a later start still sends the morning edition
    fetch: FetchConfig = field(default_factory=FetchConfig)
    templates_dir: Path | None = None
    email: EmailConfig | None = None
    theme: ThemeConfig = field(default_factory=ThemeConfig)
    stories: StoriesConfig = field(default_factory=StoriesConfig)
    editions: tuple[EditionConfig, ...] = ()  # as listed; none: one default edition
    # A PostgreSQL URL as written (its ${ENV} references resolve in database_url(), where
    # the store is opened); none: SQLite in data_dir.
    database: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "briefing.sqlite3"

    @property
    def all_editions(self) -> tuple[EditionConfig, ...]:
        """The editions listed, or the one default edition the top-level keys describe."""
        if self.editions:
            return self.editions
        email = self.email
        return (
            EditionConfig(
                title=self.theme.title,
                title_ar=self.theme.title_ar,
                top_stories=self.theme.top_stories,
                edition_time=self.edition_time,
                email=ReadersConfig(email.to, email.cc, email.bcc) if email else ReadersConfig(),
            ),
        )

    def edition(self, name: str) -> EditionConfig:
        """The edition called `name`; KeyError when there is none."""
        for edition in self.all_editions:
            if edition.name == name:
                return edition
        raise KeyError(name)

    def for_edition(self, edition: EditionConfig) -> Config:
        """This config as one edition sees it: its titles, feeds, time and readers.

        The default edition of a config without `editions:` is the config
        itself. Applying it twice changes nothing more; output_dir stays the
        top folder (an issue's folder below it is edition.issue_key).
        """
        if not self.editions:
            return self
        theme = dataclasses.replace(
            self.theme,
            title=edition.title,
            title_ar=edition.title_ar,
            top_stories=edition.top_stories,
        )
        email = self.email
        if email is not None:
            email = dataclasses.replace(
                email, to=edition.email.to, cc=edition.email.cc, bcc=edition.email.bcc
            )
        return dataclasses.replace(
            self,
            edition_time=edition.edition_time,
            theme=theme,
            email=email,
            feeds=tuple(f for f in self.feeds if not edition.feeds or f.url in edition.feeds),
            editions=(edition,),
        )


def default_config_path() -> Path:
    """`--config` default: $BRIEFING_CONFIG, then ./config.yaml."""
    return Path(os.environ.get("BRIEFING_CONFIG") or "config.yaml")


def load(path: Path | str, environ: dict[str, str] | None = None) -> Config:
    """Read and validate a config file; raise ConfigError naming the key at fault."""
    path = Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such config file (use --config or `briefing init`)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    try:
        raw = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}: {problem}{where}") from None
    return parse(raw, path, os.environ if environ is None else environ)


def parse(raw: Any, path: Path, environ: dict[str, str] | os._Environ) -> Config:
    """Validate the parsed YAML document `raw` read from `path`."""
    v = _Validator(path, environ)
    base = path.resolve().parent
    top = v.mapping(raw, "", required=("feeds",))
    v.known_keys(top, "", {f.name for f in dataclasses.fields(Config)} - {"path"})
    feeds = v.feeds(top.get("feeds"), base)
    fetch = v.fetch(top.get("fetch", {}))
    # A key not given takes the dataclass's default: Config is the one place defaults live.
    defaults = {f.name: f.default for f in dataclasses.fields(Config)}
    timezone = (
        v.timezone(top["timezone"], "timezone") if "timezone" in top else defaults["timezone"]
    )
    edition_time = (
        v.clock_time(top["edition_time"], "edition_time")
        if "edition_time" in top
        else defaults["edition_time"]
    )
    window, fetch_interval, misfire_grace = (
        v.duration(top[name], name) if name in top else defaults[name]
        for name in ("window", "fetch_interval", "misfire_grace")
    )
    output_dir, data_dir = (
        v.path(top.get(name, str(defaults[name])), name, base)
        for name in ("output_dir", "data_dir")
    )
    templates_dir = None
    if top.get("templates_dir") is not None:
        templates_dir = v.path(top["templates_dir"], "templates_dir", base)
        if not templates_dir.is_dir():
            v.fail("templates_dir", f"no such folder: {templates_dir}")
    listed = top.get("editions") is not None
    email = (
        v.email(top["email"], readers_required=not listed) if top.get("email") is not None else None
    )
    theme = v.theme(top.get("theme", {}), base)
    stories = v.stories(top.get("stories", {}))
    editions = v.editions(top["editions"], feeds, theme, edition_time, email) if listed else ()
    database = v.database(top["database"]) if top.get("database") is not None else None
    return Config(
        path=path,
        feeds=feeds,
        output_dir=output_dir,
        data_dir=data_dir,
        timezone=timezone,
        edition_time=edition_time,
        window=window,
        fetch_interval=fetch_interval,
        misfire_grace=misfire_grace,
        fetch=fetch,
        templates_dir=templates_dir,
        email=email,
        theme=theme,
        stories=stories,
        editions=editions,
        database=database,
    )


def smtp_password(config: Config, environ: dict[str, str] | None = None) -> str | None:
    """The SMTP password with its ${ENV} references resolved now, where mail is sent;
    a missing variable is a ConfigError naming email.smtp.password."""
    if config.email is None or config.email.smtp.password is None:
        return None
    validator = _Validator(config.path, os.environ if environ is None else environ)
    return validator._substitute(config.email.smtp.password, "email.smtp.password")


def database_url(config: Config, environ: dict[str, str] | None = None) -> URL | None:
    """The `database:` URL with its ${ENV} references resolved now, where the store is
    opened (None: SQLite in data_dir); a missing variable is a ConfigError naming the key.

    Each part is resolved on its own, so a password may hold @, / or : unescaped.
    """
    if config.database is None:
        return None
    validator = _Validator(config.path, os.environ if environ is None else environ)
    url = _database_url(config.database)

    def resolve(part):
        return validator._substitute(part, "database") if isinstance(part, str) else part

    return url.set(
        drivername="postgresql+psycopg",
        username=resolve(url.username),
        password=resolve(url.password),
        host=resolve(url.host),
        database=resolve(url.database),
        query={name: resolve(value) for name, value in url.query.items()},
    )


def _database_url(text: str) -> URL:
    """`text` read as a PostgreSQL URL, its ${ENV} references kept; ValueError says why not."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise ValueError("not a URL") from None
    if url.get_backend_name() not in ("postgresql", "postgres") or url.drivername not in (
        "postgresql",
        "postgres",
        "postgresql+psycopg",
    ):
        raise ValueError(f"not a PostgreSQL URL (it says {url.drivername}://)")
    if not url.database:
        raise ValueError("names no database (postgresql://user@host/NAME)")
    if not url.host and "host" not in url.query:
        raise ValueError("names no host (postgresql://user@HOST/name)")
    return url


def check_writable(config: Config, *keys: str) -> None:
    """Raise ConfigError naming the key when a folder a command writes to cannot be
    written (read-only file system, permissions, a file in the way): said before
    any work is done, not after a whole fetch.
    """
    for key in keys:
        if key == "data_dir" and config.database is not None:
            continue  # the store is PostgreSQL: nothing is written there
        folder: Path = getattr(config, key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder, prefix=".write-test-"):
                pass
            store = folder / "briefing.sqlite3"
            if key == "data_dir" and store.exists() and not os.access(store, os.W_OK):
                raise PermissionError(13, f"{store.name} is read-only")
        except OSError as exc:
            raise ConfigError(
                f"{config.path.name}: {key}: cannot write to {folder}: {exc.strerror or exc}"
            ) from None


def parse_duration(text: str) -> timedelta:
    """Parse a window length such as ``36h`` or ``7d``.

    >>> parse_duration("36h")
    datetime.timedelta(days=1, seconds=43200)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", str(text))
    if not match:
        raise ValueError(f"not a duration: {text!r} (use a number and a unit: 90m, 36h, 7d, 2w)")
    amount = float(match[1])
    unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[match[2]]
    try:
        span = timedelta(**{unit: amount})
    except OverflowError:
        raise ValueError(f"not a duration: {text!r} (too long)") from None
    if span <= timedelta(0):
        raise ValueError(f"not a duration: {text!r} (must be longer than zero)")
    return span


class _Validator:
    """Walks the YAML tree, substituting ${ENV} and naming the key of each error."""

    def __init__(self, path: Path, environ):
        self.file = path
        self.environ = environ

    def fail(self, key: str, problem: str):
        raise ConfigError(
            f"{self.file.name}: {key}: {problem}" if key else f"{self.file.name}: {problem}"
        )

    # -- shapes -----------------------------------------------------------

    def mapping(self, value, key, required=()) -> dict:
        if value is None and not key:
            self.fail("", "the file is empty (it needs at least a `feeds:` list)")
        if not isinstance(value, dict):
            self.fail(key, f"expected a mapping of keys, got {_kind(value)}")
        for name in required:
            if name not in value:
                self.fail(_join(key, name), "missing (required)")
        return value

    def known_keys(self, value: dict, key: str, allowed: set[str]):
        for name in value:
            if name not in allowed:
                hint = _closest(str(name), allowed)
                self.fail(
                    _join(key, str(name)),
                    "unknown key" + (f" (did you mean `{hint}`?)" if hint else ""),
                )

    def string(self, value, key, allow_empty=False, substitute=True) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(key, f"expected text, got {_kind(value)}")
        text = (self._substitute(str(value), key) if substitute else str(value)).strip()
        if not text and not allow_empty:
            self.fail(key, "must not be empty")
        return text

    def boolean(self, value, key) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_kind(value)}")
        return value

    def number(self, value, key, kind: Callable = int, minimum=0):
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"expected a number, got {_kind(value)}")
        if kind is int and not float(value).is_integer():
            self.fail(key, f"expected a whole number, got {value}")
        if value < minimum:
            self.fail(key, f"must be at least {minimum}, got {value}")
        return kind(value)

    def string_list(self, value, key) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {_kind(value)}")
        return tuple(self.string(item, f"{key}[{i}]") for i, item in enumerate(value))

    def _substitute(self, text: str, key: str) -> str:
        def replace(match: re.Match) -> str:
            name = match[1]
            if name not in self.environ:
                self.fail(key, f"environment variable {name} is not set")
            return self.environ[name]

        return _ENV_REF.sub(replace, text)

    # -- values ----------------------------------------------------------

    def path(self, value, key, base: Path) -> Path:
        text = self.string(value, key)
        return (base / Path(text).expanduser()).resolve()

    def timezone(self, value, key) -> str:
        name = self.string(value, key)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(key, f"unknown time zone {name!r} (use an IANA name such as Asia/Riyadh)")
        return name

    def database(self, value) -> str:
        text = self.string(value, "database", substitute=False)
        try:
            _database_url(text)
        except ValueError as exc:
            shown = re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", text)  # never a password in a message
            self.fail(
                "database",
                f"{exc}: {shown!r} (use postgresql://user:${{PASSWORD}}@host:5432/name,"
                " or leave it out for SQLite in data_dir)",
            )
        return text

    def duration(self, value, key) -> timedelta:
        try:
            return parse_duration(self.string(value, key))
        except ValueError as exc:
            self.fail(key, str(exc))

    def clock_time(self, value, key) -> time:
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 06:00 as the sexagesimal number 360.
            value = f"{value // 60:02d}:{value % 60:02d}"
        text = self.string(value, key)
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            self.fail(key, f'not a time of day: {text!r} (use HH:MM, e.g. "06:00")')
        return time(int(match[1]), int(match[2]))

    def url(self, value, key, base: Path) -> str:
        text = self.string(value, key)
        if re.search(r"\s", text):
            self.fail(key, "not a URL (it contains spaces)")
        scheme = urlsplit(text).scheme.lower() if "://" in text else ""
        if scheme in ("http", "https"):
            parts = urlsplit(text)
            if not parts.hostname:
                self.fail(key, f"not a URL: {text!r} (no host)")
            try:
                parts.port  # noqa: B018 - raises on a malformed port
            except ValueError:
                self.fail(key, f"not a URL: {text!r} (bad port)")
            return text
        if scheme == "file":
            local = Path(urlsplit(text).path)
        elif scheme:
            self.fail(key, f"not a URL: {text!r} (use http://, https:// or a file path)")
        else:
            local = base / Path(text).expanduser()
        local = local.resolve()
        if not local.is_file():
            self.fail(key, f"not a URL, and no such file: {text}")
        return local.as_uri()

    def feeds(self, value, base: Path) -> tuple[FeedConfig, ...]:
        if not isinstance(value, list) or not value:
            self.fail("feeds", "expected a non-empty list of feeds (name, url, lang)")
        feeds, seen = [], {}
        for i, item in enumerate(value):
            key = f"feeds[{i}]"
            item = self.mapping(item, key, required=("name", "url"))
            self.known_keys(item, key, {"name", "url", "lang", "tags"})
            name = self.string(item["name"], f"{key}.name")
            url = self.url(item["url"], f"{key}.url", base)
            lang = None
            if item.get("lang") is not None:
                lang = self.string(item["lang"], f"{key}.lang").lower()
                if not _LANG.match(lang):
                    self.fail(
                        f"{key}.lang", f"not a language code: {lang!r} (use ISO 639-1, e.g. ar, en)"
                    )
            if url in seen:
                self.fail(f"{key}.url", f"the same feed as feeds[{seen[url]}]")
            seen[url] = i
            tags = self.string_list(item.get("tags", []), f"{key}.tags")
            feeds.append(FeedConfig(name=name, url=url, lang=lang, tags=tags))
        return tuple(feeds)

    def fetch(self, value) -> FetchConfig:
        value = self.mapping(value, "fetch")
        defaults = FetchConfig()
        allowed = set(defaults.__dataclass_fields__)
        self.known_keys(value, "fetch", allowed)
        out = {}
        for name, given in value.items():
            key = f"fetch.{name}"
            default = getattr(defaults, name)
            if isinstance(default, bool):
                out[name] = self.boolean(given, key)
            elif isinstance(default, tuple):
                out[name] = tuple(host.lower() for host in self.string_list(given, key))
            elif isinstance(default, float):
                out[name] = self.number(
                    given, key, float, minimum=0.0 if name == "host_delay" else 0.1
                )
            else:
                out[name] = self.number(given, key, int, minimum=0 if name == "retries" else 1)
        return FetchConfig(**out)

    def email(self, value, readers_required: bool = True) -> EmailConfig:
        # With `editions:`, each edition may name its own readers: `to` is then optional here.
        value = self.mapping(
            value,
            "email",
            required=("smtp", "from", "to") if readers_required else ("smtp", "from"),
        )
        self.known_keys(
            value,
            "email",
            {"smtp", "from", "to", "cc", "bcc", "retries", "retry_wait", "min_stories"},
        )
        smtp = self.mapping(value["smtp"], "email.smtp", required=("host",))
        self.known_keys(smtp, "email.smtp", {"host", "port", "security", "username", "password"})
        security = self.string(
            smtp.get("security", SmtpConfig.security), "email.smtp.security"
        ).lower()
        if security not in ("starttls", "ssl", "none"):
            self.fail("email.smtp.security", f"expected starttls, ssl or none, got {security!r}")
        default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
        port = self.number(smtp.get("port", default_port), "email.smtp.port", int, minimum=1)
        if port > 65535:
            self.fail("email.smtp.port", f"not a port number: {port}")
        username = smtp.get("username")
        password = smtp.get("password")
        recipients = self.readers(value, "email")
        if readers_required and not recipients["to"]:
            self.fail("email.to", "needs at least one address")
        sender = self.string(value["from"], "email.from")
        if not is_email_address(sender):
            self.fail("email.from", f"not an email address: {sender!r}")
        return EmailConfig(
            smtp=SmtpConfig(
                host=self.string(smtp["host"], "email.smtp.host"),
                port=port,
                security=security,
                username=self.string(username, "email.smtp.username")
                if username is not None
                else None,
                password=self.string(
                    password, "email.smtp.password", allow_empty=True, substitute=False
                )
                if password is not None
                else None,
            ),
            sender=sender,
            retries=self.number(
                value.get("retries", EmailConfig.retries), "email.retries", int, minimum=0
            ),
            retry_wait=self.number(
                value.get("retry_wait", EmailConfig.retry_wait),
                "email.retry_wait",
                float,
                minimum=0.0,
            ),
            min_stories=self.number(
                value.get("min_stories", EmailConfig.min_stories),
                "email.min_stories",
                int,
                minimum=0,
            ),
            **recipients,
        )

    def readers(self, value: dict, key: str) -> dict[str, tuple[str, ...]]:
        recipients = {}
        for name in ("to", "cc", "bcc"):
            addresses = self.string_list(value.get(name, []), f"{key}.{name}")
            for i, address in enumerate(addresses):
                if not is_email_address(address):
                    self.fail(f"{key}.{name}[{i}]", f"not an email address: {address!r}")
            recipients[name] = addresses
        return recipients

    def editions(
        self,
        value,
        feeds: tuple[FeedConfig, ...],
        theme: ThemeConfig,
        edition_time: time,
        email: EmailConfig | None,
    ) -> tuple[EditionConfig, ...]:
        if not isinstance(value, list) or not value:
            self.fail("editions", "expected a non-empty list of editions (name, feeds, topics …)")
        allowed = {f.name for f in dataclasses.fields(EditionConfig)}
        editions, seen = [], {}
        for i, item in enumerate(value):
            key = f"editions[{i}]"
            item = self.mapping(item, key, required=("name",))
            self.known_keys(item, key, allowed)
            name = self.string(item["name"], f"{key}.name")
            if not _EDITION_NAME.match(name):
                self.fail(
                    f"{key}.name",
                    f"not an edition name: {name!r} (lower-case letters, digits, - and _, "
                    "starting with a letter: it names a folder)",
                )
            if name in seen:
                self.fail(f"{key}.name", f"the same name as editions[{seen[name]}]")
            seen[name] = i
            out: dict[str, Any] = {"name": name}
            out["title"] = self.string(item.get("title", theme.title), f"{key}.title")
            out["title_ar"] = self.string(item.get("title_ar", theme.title_ar), f"{key}.title_ar")
            out["feeds"] = self.edition_feeds(item.get("feeds"), f"{key}.feeds", feeds)
            out["topics"] = self.topics(item.get("topics", {}), f"{key}.topics")
            languages = self.string_list(item.get("languages", []), f"{key}.languages")
            for j, lang in enumerate(languages):
                if not _LANG.match(lang.lower()):
                    self.fail(
                        f"{key}.languages[{j}]",
                        f"not a language code: {lang!r} (use ISO 639-1, e.g. ar, en)",
                    )
            out["languages"] = tuple(dict.fromkeys(lang.lower() for lang in languages))
            out["top_stories"] = self.number(
                item.get("top_stories", theme.top_stories), f"{key}.top_stories", int, minimum=1
            )
            out["edition_time"] = (
                self.clock_time(item["edition_time"], f"{key}.edition_time")
                if "edition_time" in item
                else edition_time
            )
            if item.get("email") is not None:
                if email is None:
                    self.fail(
                        f"{key}.email",
                        "readers need the top-level `email:` (its smtp server and from address)",
                    )
                given = self.mapping(item["email"], f"{key}.email")
                self.known_keys(given, f"{key}.email", {"to", "cc", "bcc"})
                out["email"] = ReadersConfig(**self.readers(given, f"{key}.email"))
            elif email is not None:
                out["email"] = ReadersConfig(email.to, email.cc, email.bcc)
            editions.append(EditionConfig(**out))
        return tuple(editions)

    def edition_feeds(self, value, key: str, feeds: tuple[FeedConfig, ...]) -> tuple[str, ...]:
        """The URLs of the feeds an edition names (a feed's name, or a tag of several); () for all."""
        if value is None:
            return ()
        chosen: set[str] = set()
        for i, name in enumerate(self.string_list(value, key)):
            found = {f.url for f in feeds if f.name == name or name in f.tags}
            if not found:
                known = {f.name for f in feeds} | {t for f in feeds for t in f.tags}
                hint = _closest(name, known)
                self.fail(
                    f"{key}[{i}]",
                    f"no feed named {name!r}, nor a feed tagged so"
                    + (f" (did you mean `{hint}`?)" if hint else ""),
                )
            chosen |= found
        if not chosen:
            self.fail(key, "names no feed (leave it out to draw on every feed)")
        return tuple(f.url for f in feeds if f.url in chosen)  # in config order

    def topics(self, value, key: str) -> TopicsConfig:
        value = self.mapping(value, key)
        self.known_keys(value, key, {f.name for f in dataclasses.fields(TopicsConfig)})
        out = {}
        for name, given in value.items():
            words = self.string_list(given if given is not None else [], f"{key}.{name}")
            for i, word in enumerate(words):
                if name != "entities" and not re.search(r"\w", word.rstrip("*")):
                    self.fail(f"{key}.{name}[{i}]", f"not a word to look for: {word!r}")
            out[name] = words
        return TopicsConfig(**out)

    def stories(self, value) -> StoriesConfig:
        value = self.mapping(value, "stories")
        self.known_keys(value, "stories", set(StoriesConfig.__dataclass_fields__))
        out = {}
        if "embedder" in value:
            out["embedder"] = self.string(value["embedder"], "stories.embedder")
            if out["embedder"] != "use-multilingual-v3" and not out["embedder"].startswith("st:"):
                self.fail(
                    "stories.embedder",
                    f"unknown embedder {out['embedder']!r} (use-multilingual-v3 or st:<model>)",
                )
        for name in ("same_language", "cross_language"):
            if name in value:
                out[name] = self.number(value[name], f"stories.{name}", float, minimum=0.0)
                if out[name] > 1:
                    self.fail(f"stories.{name}", f"a similarity between 0 and 1, got {out[name]}")
        return StoriesConfig(**out)

    def theme(self, value, base: Path) -> ThemeConfig:
        value = self.mapping(value, "theme")
        defaults = ThemeConfig()
        self.known_keys(value, "theme", set(defaults.__dataclass_fields__))
        out = {}
        for name, given in value.items():
            key = f"theme.{name}"
            if name == "top_stories":
                out[name] = self.number(given, key, int, minimum=1)
            elif name == "logo":
                out[name] = self.path(given, key, base)
                if not out[name].is_file():
                    self.fail(key, f"no such file: {out[name]}")
                if out[name].suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
                    self.fail(key, "expected a .png, .jpg or .svg image")
            else:
                out[name] = self.string(given, key)
        if "page_size" in out and out["page_size"] not in ("A4", "Letter"):
            self.fail("theme.page_size", f"expected A4 or Letter, got {out['page_size']!r}")
        if "layout" in out and out["layout"] not in ("side-by-side", "stacked"):
            self.fail("theme.layout", f"expected side-by-side or stacked, got {out['layout']!r}")
        if "accent" in out and not re.fullmatch(
            r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", out["accent"]
        ):
            self.fail("theme.accent", f"expected a colour like #8a1c1c, got {out['accent']!r}")
        return ThemeConfig(**out)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _kind(value) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def is_email_address(text: str) -> bool:
    """Whether `text` is one mailbox, with or without a display name.

    >>> is_email_address("Reader <reader@example.org>"), is_email_address("not-an-email")
    (True, False)
    """
    return bool(_EMAIL.match(_bare_address(text)))


def _bare_address(text: str) -> str:
    match = re.search(r"<([^>]*)>\s*$", text)
    return match[1] if match else text


def _closest(name: str, choices: set[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.7)
    return found[0] if found else None
