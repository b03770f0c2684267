"""Where the files that ship with briefing are: default theme, fonts, starter config.

In a wheel the theme is inside the package (briefing/templates); in a
checkout it is the repository's top-level templates/ folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def default_templates_dir() -> Path:
    inside = PACKAGE / "templates"
    return inside if inside.is_dir() else PACKAGE.parent / "templates"


def fonts_dir() -> Path:
    return PACKAGE / "render" / "fonts"


def starter_config() -> str:
    """The text of the starter config.yaml written by `briefing init`.

    It is the repository's own config.yaml (real outlets), shipped in the
    wheel as briefing/starter-config.yaml.
    """
    inside = PACKAGE / "starter-config.yaml"
    path = inside if inside.is_file() else PACKAGE.parent / "config.yaml"
    return path.read_text(encoding="utf-8")
