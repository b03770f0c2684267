"""Render an edition to HTML with Jinja2 (autoescaped), using the user's templates first."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import jinja2
import markupsafe
import tinycss2
import yaml

from briefing.config import Config
from briefing.errors import BriefingError
from briefing.models import Edition
from briefing.render import context
from briefing.resources import default_templates_dir, fonts_dir

FONT_FACES = [
    ("Briefing Naskh", "NotoNaskhArabic-Regular.ttf", "normal", "normal"),
    ("Briefing Naskh", "NotoNaskhArabic-Bold.ttf", "bold", "normal"),
    ("Briefing Sans", "NotoSans-Regular.ttf", "normal", "normal"),
    ("Briefing Sans", "NotoSans-Bold.ttf", "bold", "normal"),
    ("Briefing Sans", "NotoSans-Italic.ttf", "normal", "italic"),
]


def template_dirs(config: Config) -> list[Path]:
    """Where templates are looked up, first match wins: the user's folder, then the default theme."""
    dirs = [config.templates_dir] if config.templates_dir else []
    return [*dirs, default_templates_dir()]


def environment(config: Config) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(config)]),
        # Article text is hostile input: escape everything, CSS included; only
        # plain-text templates (email.txt, the subject) are left unescaped.
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    env.globals["lang_attrs"] = lang_attrs
    env.globals["name_lang"] = context.name_lang
    return env


def lang_attrs(name: object) -> markupsafe.Markup:
    """` lang="ar" dir="rtl"` for a name in Arabic script, ` lang="en" dir="ltr"` otherwise.

    Outlet and feed names come without a language; a screen reader and the
    bidi algorithm still need one on every block that shows them.
    """
    lang = context.name_lang(str(name or ""))
    return markupsafe.Markup(f' lang="{lang}" dir="{context.direction(lang)}"')


def css_string(value: object) -> markupsafe.Markup:
    """A quoted CSS string that cannot close the string, the rule or the <style> element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;·-_/()" else f"\\{ord(ch):x} " for ch in str(value)
    )
    return markupsafe.Markup(f'"{escaped}"')


def strings(config: Config, langs: list[str]) -> dict[str, dict[str, str]]:
    """Interface strings per language from strings/<lang>.yaml (English fills gaps)."""
    out = {}
    english = _catalog(config, "en")
    for lang in {"en", "ar", *langs}:
        out[lang] = {**english, **_catalog(config, lang)}
    return out


def _catalog(config: Config, lang: str) -> dict[str, str]:
    """strings/<lang>.yaml of the default theme, overridden key by key by the user's copy."""
    merged: dict[str, str] = {}
    for folder in reversed(template_dirs(config)):
        path = folder / "strings" / f"{lang}.yaml"
        if not path.is_file():
            continue
        try:
            found = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise BriefingError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(found, dict):
            raise BriefingError(f"{path}: expected `key: text` lines")
        merged.update({str(k): str(v) for k, v in found.items()})
    return merged


def font_css(embed: bool) -> str:
    """@font-face rules for the shipped fonts.

    The PDF loads them from the package; the standalone HTML embeds the
    Arabic faces (browsers refuse file:// fonts) and names the Latin ones.
    """
    rules = []
    for family, file, weight, style in FONT_FACES:
        path = fonts_dir() / file
        if embed and family == "Briefing Naskh":
            src = "url(data:font/ttf;base64," + base64.b64encode(path.read_bytes()).decode() + ")"
        elif embed:
            src = f"local('{'Noto Sans Bold' if weight == 'bold' else 'Noto Sans'}')"
        else:
            src = f"url('{path.as_uri()}')"
        rules.append(
            f"@font-face {{ font-family: '{family}'; src: {src}; font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def logo_src(path: Path, *, embed: bool) -> str:
    """The logo as the PDF loads it (its file) or as the standalone HTML carries it (data URI)."""
    if not embed:
        return path.as_uri()
    kind = {".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix.lower(), "image/jpeg")
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode()


def render(edition: Edition, config: Config, *, for_pdf: bool = False) -> str:
    """The edition as one standalone HTML document."""
    env = environment(config)
    ctx = context.build(edition, config.theme, strings(config, edition.languages))
    ctx["fonts_css"] = font_css(embed=not for_pdf)
    ctx["for_pdf"] = for_pdf
    ctx["logo_src"] = logo_src(config.theme.logo, embed=not for_pdf) if config.theme.logo else None
    try:
        page = env.get_template("briefing.html").render(ctx)
        return STYLE.sub(lambda m: m[1] + inline_variables(m[2]) + m[3], page) if for_pdf else page
    except jinja2.TemplateSyntaxError as exc:
        raise BriefingError(
            f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}"
        ) from None
    except jinja2.TemplateError as exc:
        where = _template_line(exc)
        raise BriefingError(f"{where}template error: {exc}") from None


STYLE = re.compile(r"(<style>)(.*?)(</style>)", re.S)
VARIABLE = re.compile(r"var\(\s*(--[\w-]+)\s*\)")


def inline_variables(css: str) -> str:
    """`css` with each `var(--name)` replaced by its value in the top-level `:root` rules.

    The PDF is printed in the light scheme only, and WeasyPrint resolves
    variables for every box it lays out and draws: inlined, the 40-story
    PDF renders about a quarter of a second faster (bench/render.py).
    """
    values: dict[str, str] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True):
                if item.type == "declaration" and item.name.startswith("--"):
                    values[item.name] = tinycss2.serialize(item.value).strip()
    return VARIABLE.sub(lambda m: values.get(m[1], m[0]), css)


def _template_line(exc: Exception) -> str:
    """file:line of the template frame an error came from, when Jinja left one."""
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".css", ".j2")):
            where = f"{name}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return where
