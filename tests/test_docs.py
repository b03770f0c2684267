"""The docs cannot drift from the code (in datasette's manner).

Every config key and its default, every command and option, every module and
every template variable is read from the code and looked up in the docs. The
documented defaults are fed back through the real config parser, so a default
changed in the code and not in docs/configuration.md fails here.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import click
import jinja2
import jinja2.meta
import jinja2.nodes
import pytest
import yaml

from briefing import cli, config

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIGURATION = (DOCS / "configuration.md").read_text(encoding="utf-8")
# A YAML key that differs from its dataclass field.
YAML_NAMES = {"sender": "from"}
NOT_KEYS = {"path"}  # Config.path is where the file was read, not a key


def config_keys(cls=config.Config, prefix: str = "") -> list[str]:
    """Every key config.yaml accepts, dotted, from the config dataclasses."""
    keys = []
    for field in dataclasses.fields(cls):
        if field.name in NOT_KEYS:
            continue
        name = prefix + YAML_NAMES.get(field.name, field.name)
        inner = _dataclass_of(field.type)
        if inner is None:
            keys.append(name)
        elif inner is config.FeedConfig:
            keys.extend(f"{name}[].{f.name}" for f in dataclasses.fields(inner))
        elif str(field.type).startswith("tuple["):  # a list of sections (editions:)
            keys.extend(config_keys(inner, name + "[]."))
        else:  # a section (fetch:, email:, theme:): its keys are documented one by one
            keys.extend(config_keys(inner, name + "."))
    return keys


def _dataclass_of(annotation) -> type | None:
    text = str(annotation)
    for candidate in vars(config).values():
        if (
            dataclasses.is_dataclass(candidate)
            and isinstance(candidate, type)
            and re.search(rf"\b{candidate.__name__}\b", text)
        ):
            return candidate
    return None


def documented_rows() -> dict[str, str]:
    """{key: default cell} from the table of docs/configuration.md (a row may name several keys;
    a default cell with one `value` per key gives each key its own)."""
    rows: dict[str, str] = {}
    for line in CONFIGURATION.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([^`]+)`", cells[0])
        # "`email.smtp.username`, `password`" names email.smtp.password too.
        head = names[0].rsplit(".", 1)[0] + "." if "." in names[0] else ""
        values = re.findall(r"`[^`]*`", cells[1])
        each = len(names) > 1 and re.fullmatch(r"`[^`]*`(, `[^`]*`)+", cells[1])
        for i, name in enumerate(names):
            rows[name if i == 0 or "." in name else head + name] = (
                cells[2]  # the feeds row describes its items
                if name == "feeds"
                else values[i]
                if each and len(values) == len(names)
                else cells[1]
            )
    return rows


def test_every_config_key_is_documented():
    rows = documented_rows()
    missing = []
    for key in config_keys():
        if key.startswith("feeds[]."):
            if not re.search(rf"\b{key.rsplit('.', 1)[1]}\b", rows.get("feeds", "")):
                missing.append(key)
        elif key not in rows:
            missing.append(key)
    assert not missing, f"config keys missing from docs/configuration.md: {missing}"


def test_no_documented_key_is_unknown_to_the_code():
    known = set(config_keys()) | {"feeds"}
    assert not [key for key in documented_rows() if key not in known]


@pytest.fixture
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "feed.xml"
    path.write_text("<rss><channel><title>t</title></channel></rss>", encoding="utf-8")
    return path


def _load(tmp_path: Path, feed_file: Path, extra: dict) -> config.Config:
    document = {"feeds": [{"name": "local", "url": str(feed_file)}], **extra}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return config.load(path, environ={})


def _nest(key: str, value) -> dict:
    for part in reversed(key.split(".")):
        value = {part: value}
    return value


def _read(cfg: config.Config, key: str):
    value = cfg
    for part in key.split("."):
        value = getattr(value, {v: k for k, v in YAML_NAMES.items()}.get(part, part))
    return value


EMAIL = {"smtp": {"host": "mail.example.org"}, "from": "a@example.org", "to": ["b@example.org"]}


def test_documented_defaults_are_the_code_defaults(tmp_path, feed_file):
    """Setting each key to its documented default changes nothing: the docs tell the truth."""
    checked = 0
    for key, cell in documented_rows().items():
        base = {"email": EMAIL} if key.startswith("email.") else {}
        if "[]" in key:
            continue  # an edition's keys default to the top level's ("as `theme.title`")
        if cell == "none":  # not set unless given
            assert _read(_load(tmp_path, feed_file, base), key) in (None, ()), key
            checked += 1
            continue
        match = re.fullmatch(r"`([^`]*)`", cell)
        if not match:
            continue  # "(required)", "by security: …", prose: nothing to compare
        written = match[1] if match[1].startswith("#") else yaml.safe_load(match[1])
        plain = _load(tmp_path, feed_file, base)
        given = _merge(base, _nest(key, written))
        assert _read(_load(tmp_path, feed_file, given), key) == _read(plain, key), (
            f"docs/configuration.md says {key} defaults to {match[1]}, the code disagrees"
        )
        checked += 1
    assert checked >= 20  # the table was read


def _merge(left: dict, right: dict) -> dict:
    out = dict(left)
    for key, value in right.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _all_docs() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    )


def test_every_command_and_option_is_documented():
    docs = _all_docs()
    missing = []
    for name, command in cli.cli.commands.items():
        if f"briefing {name}" not in docs:
            missing.append(f"briefing {name}")
        for param in command.params:
            if isinstance(param, click.Option):
                flags = [f for f in param.opts if f.startswith("--")]
                if flags and not any(flag in docs for flag in flags) and "--help" not in flags:
                    missing.append(f"briefing {name} {flags[0]}")
    assert not missing, f"undocumented in README.md or docs/: {missing}"


def test_every_module_is_in_the_architecture_doc():
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path in sorted((ROOT / "briefing").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if path.name == "__init__.py" or path.name == "__main__.py":
            continue
        package_row = next(
            (
                line
                for line in text.splitlines()
                if line.startswith(f"| `{path.parent.relative_to(ROOT).as_posix()}/`")
            ),
            "",
        )
        if f"`{relative}`" not in text and f"`{path.name}`" not in package_row:
            missing.append(relative)
    assert not missing, f"modules missing from docs/architecture.md: {missing}"


# Names a template may use that are not data: loop helpers and Python methods.
TEMPLATE_BUILTINS = {"loop", "first", "last", "index", "length", "items", "get", "join", "format"}


def test_every_template_variable_is_documented():
    from briefing.render import html

    cfg = config.Config(path=ROOT / "config.yaml", feeds=(), output_dir=ROOT, data_dir=ROOT)
    env = html.environment(cfg)
    strings = set(yaml.safe_load((ROOT / "templates" / "strings" / "en.yaml").read_text()))
    doc = (DOCS / "templates.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Za-z_][\w.]*)", doc))
    documented |= {part for name in documented for part in name.split(".")}
    missing = []
    for template in sorted((ROOT / "templates").glob("*.*")):
        if template.suffix not in (".html", ".txt"):
            continue
        tree = env.parse(template.read_text(encoding="utf-8"))
        names = jinja2.meta.find_undeclared_variables(tree)
        names |= {node.attr for node in tree.find_all(jinja2.nodes.Getattr)}
        names |= {
            node.arg.value
            for node in tree.find_all(jinja2.nodes.Getitem)
            if isinstance(node.arg, jinja2.nodes.Const) and isinstance(node.arg.value, str)
        }
        for name in sorted(names - TEMPLATE_BUILTINS - strings):
            if name not in documented:
                missing.append(f"{template.name}: {name}")
    assert not missing, f"template variables missing from docs/templates.md: {missing}"


def test_the_error_tree_drawn_in_errors_py_is_the_class_tree():
    from briefing import errors

    classes = {
        name: value
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, Exception)
    }
    drawn, parents = set(), []
    for line in errors.__doc__.splitlines():
        match = re.match(r"^([│ ]*(?:[├└]── )?)([A-Z]\w+)\s", line + " ")
        if not match or match[2] not in classes:
            continue
        depth = len(match[1])
        parents = [(d, n) for d, n in parents if d < depth]
        if parents:
            assert issubclass(classes[match[2]], classes[parents[-1][1]]), line
        parents.append((depth, match[2]))
        drawn.add(match[2])
    assert drawn == set(classes), f"not drawn in errors.py: {set(classes) - drawn}"
