"""Every text and link colour of the theme reaches WCAG AA (4.5:1) on its background, in both schemes.

The ratios are computed from the CSS the pages actually carry: the variables of
:root (light) and of the dark scheme's :root, and every rule that sets a colour.
"""

from __future__ import annotations

import re

import pytest
import tinycss2

from briefing.progress import Progress
from briefing.render import archive, colours
from briefing.render.edition import write_edition
from tests.render.editions import config_in, edition, story

DARK = "prefers-color-scheme: dark"
VAR = re.compile(r"^var\((--[\w-]+)\)$")


def style_of(page: str) -> str:
    return "\n".join(re.findall(r"<style>(.*?)</style>", page, re.S))


def declarations(block) -> dict[str, str]:
    found = {}
    for item in tinycss2.parse_declaration_list(block, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            found[item.lower_name] = tinycss2.serialize(item.value).strip()
    return found


def rules(css: str, media: str = ""):
    """(media, selector, declarations) for every style rule, inside @media too; @page apart."""
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            yield media, tinycss2.serialize(rule.prelude).strip(), declarations(rule.content)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media":
            yield from rules(tinycss2.serialize(rule.content), tinycss2.serialize(rule.prelude))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page":
            # Margin boxes (@top-center …) nest inside @page: their colours are literal.
            for inner in tinycss2.parse_blocks_contents(rule.content, skip_comments=True):
                if inner.type == "at-rule" and inner.content:
                    yield "page", "@" + inner.lower_at_keyword, declarations(inner.content)


def schemes(css: str) -> dict[str, dict[str, str]]:
    """The variables of each scheme: light from :root, dark = light overridden by the dark :root."""
    light, dark = {}, {}
    for media, selector, decls in rules(css):
        if selector != ":root":
            continue
        target = dark if DARK in media else light
        target.update({k: v for k, v in decls.items() if k.startswith("--")})
    return {"light": light, "dark": {**light, **dark}}


def pairs(css: str) -> list[tuple[str, str, str, str]]:
    """(where, scheme, text colour, background) for every rule that colours text."""
    variables = schemes(css)
    found = []
    for media, selector, decls in rules(css):
        if "color" not in decls or selector == ":root":
            continue
        where = f"{media} {selector}".strip()
        if media == "page":  # printed on white paper only
            found.append((where, "print", decls["color"], colours.LIGHT_PAPER))
            continue
        for scheme in ("light", "dark"):
            if scheme == "light" and DARK in media:
                continue
            if media.startswith("print") and scheme == "dark":
                continue
            found.append((where, scheme, *_resolve(decls, variables[scheme], where)))
    return found


def _resolve(decls: dict[str, str], variables: dict[str, str], where: str) -> tuple[str, str]:
    def value(text: str) -> str:
        if text == "inherit":
            return "inherit"
        match = VAR.match(text)
        assert match, f"{where}: colour {text!r} is not one of the palette's variables"
        return variables[match.group(1)]

    text = value(decls["color"])
    background = decls.get("background") or decls.get("background-color") or "var(--paper)"
    return text, value(background)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("contrast")
    cfg = config_in(folder)
    written = write_edition(edition([story(1)]), cfg, ("html",), Progress(quiet=True))
    index = archive.write(cfg, edition([]).generated_at)
    return {
        "edition": written["html"].read_text(encoding="utf-8"),
        "archive": index["html"].read_text(encoding="utf-8"),
    }


@pytest.mark.parametrize("page", ["edition", "archive"])
def test_every_text_colour_reaches_aa_contrast_in_both_schemes(pages, page):
    css = style_of(pages[page])
    found = [p for p in pairs(css) if p[2] != "inherit"]
    assert {scheme for _, scheme, _, _ in found} >= {"light", "dark"}
    assert len(found) >= 8 if page == "edition" else len(found) >= 5
    weak = [
        (where, scheme, text, background, round(colours.contrast(text, background), 2))
        for where, scheme, text, background in found
        if colours.contrast(text, background) < colours.AA
    ]
    assert not weak, weak


@pytest.mark.parametrize("page", ["edition", "archive"])
def test_links_and_body_text_read_on_the_dark_paper(pages, page):
    dark = schemes(style_of(pages[page]))["dark"]
    for name in ("--ink", "--muted", "--link", "--accent", "--error", "--warn", "--new"):
        assert colours.contrast(dark[name], dark["--paper"]) >= colours.AA, name
    assert colours.contrast(dark["--on-accent"], dark["--accent"]) >= colours.AA


def test_a_users_dark_accent_is_lightened_until_it_reads_on_black(tmp_path):
    cfg = config_in(tmp_path, "accent: '#400000'")
    page = write_edition(edition([story(1)]), cfg, ("html",), Progress(quiet=True))["html"]
    variables = schemes(style_of(page.read_text(encoding="utf-8")))
    assert variables["light"]["--accent"] == "#400000"
    dark_accent = variables["dark"]["--accent"]
    assert dark_accent != "#400000"
    assert colours.contrast(dark_accent, variables["dark"]["--paper"]) >= colours.AA


@pytest.mark.parametrize(
    ("text", "background", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48)],
)
def test_contrast_is_the_wcag_ratio(text, background, ratio):
    assert round(colours.contrast(text, background), 2) == ratio


def test_a_light_accent_too_pale_for_white_paper_is_darkened():
    assert colours.contrast(colours.readable("#ffcccc", "#ffffff"), "#ffffff") >= colours.AA
    assert colours.readable("#8a1c1c", "#ffffff") == "#8a1c1c"  # the default already reads
