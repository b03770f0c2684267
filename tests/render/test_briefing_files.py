"""The demo edition's files, read back: JSON against the contract, PDF text and fonts, HTML."""

import json
import re

import jsonschema
import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, SEED

SCHEMAS = ROOT / "briefing" / "schemas"
CONTRACT = ROOT.parent / "shared" / "contract"

pytestmark = pytest.mark.slow


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_the_demo_json_validates_against_the_contract(demo_build):
    data = json.loads(demo_build["json"].read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads((SCHEMAS / "briefing.schema.json").read_text()))
    assert data["date"] == "2024-10-24"
    assert set(data["languages"]) == {"ar", "en"}
    urls = [a["url"] for s in data["stories"] for a in s["articles"]]
    assert len(urls) == len(set(urls)) == 13  # every article in exactly one story
    assert [s["rank"] for s in data["stories"]] == list(range(1, len(data["stories"]) + 1))


def test_the_shipped_schemas_are_valid_and_are_the_contracts():
    """Runs in a plain clone too: the schemas in the repository are checked as schemas,
    and compared with ../shared/contract wherever that is beside the checkout."""
    for name in ("briefing.schema.json", "analysis.schema.json"):
        shipped = json.loads((SCHEMAS / name).read_text())
        jsonschema.validators.validator_for(shipped).check_schema(shipped)
        if CONTRACT.is_dir():
            assert shipped == json.loads((CONTRACT / name).read_text())


def test_stories_join_outlets_and_languages_and_the_wire_copy_is_marked(demo_build):
    data = json.loads(demo_build["json"].read_text(encoding="utf-8"))
    assert len(data["stories"]) == 4  # 13 articles, 6 outlets, 4 events, each in both languages
    assert all(set(s["languages"]) == {"ar", "en"} for s in data["stories"])
    quake = next(s for s in data["stories"] if "earthquake" in s["headline"].get("en", ""))
    outlets = {a["outlet"]: a for a in quake["articles"]}
    assert set(outlets) == {"AP", "Al Jazeera", "BBC Arabic"}
    assert (
        outlets["Al Jazeera"]["duplicate_of"] == outlets["AP"]["url"]
    )  # AP's wire copy, not a source


def test_the_demo_key_figures_are_the_events_own_and_dispute_nothing(demo_build):
    data = json.loads(demo_build["json"].read_text(encoding="utf-8"))
    shown = [(s, f) for s in data["stories"] for f in s["figures"]]
    quake = next(s for s in data["stories"] if "earthquake" in s["headline"].get("en", ""))
    # The quake pages recall the 2023 earthquakes' toll: background, not this story's figure.
    assert 53000 not in {f["value"] for f in quake["figures"]}
    assert not [f for _, f in shown if f.get("disputed_by")]
    korea = next(s for s in data["stories"] if "North Korean" in s["headline"].get("en", ""))
    assert {1500, 13000, 32} <= {f["value"] for f in korea["figures"]}  # the reference's figures


def test_the_same_words_in_arabic_and_english_are_one_quote(demo_build):
    data = json.loads(demo_build["json"].read_text(encoding="utf-8"))
    korea = next(s for s in data["stories"] if "North Korean" in s["headline"].get("en", ""))
    paired = [q for q in korea["quotes"] if q.get("versions")]
    assert any(
        q["text"].startswith("We see evidence") and q["versions"][0]["text"].startswith("نرى أدلة")
        for q in paired
    )
    troops = next(f for f in korea["figures"] if f["concept"] == "troop")
    assert troops["value"] == 1500 and {"CNN", "Asharq Al-Awsat"} <= {
        x["outlet"] for x in troops["sources"]
    }


def test_the_pdf_reads_back_arabic_of_the_reference_article_in_order(demo_build):
    text = pdf_text(demo_build["pdf"])
    flat = re.sub(r"\s+", " ", text)
    quote = "نرى أدلة على أن هناك قوات كورية شمالية"  # Austin's words in the reference article
    assert quote in SEED.read_text(encoding="utf-8") and quote in flat
    assert (
        "أوستن: لدينا أدلة على إرسال قوات كورية شمالية إلى روسيا" in flat
    )  # its title, among the sources
    assert "Austin says there is evidence North Korean troops are in Russia" in flat


def test_the_pdf_embeds_the_shipped_fonts(demo_build):
    reader = PdfReader(demo_build["pdf"])
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is None:  # a Type0 font keeps its descriptor on the descendant
                descriptor = font.get_object()["/DescendantFonts"][0].get_object()[
                    "/FontDescriptor"
                ]
            descriptor = descriptor.get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), (
                "not embedded"
            )
            fonts.add(str(descriptor["/FontName"]).split("+")[-1])
    # WeasyPrint names an embedded face after its @font-face family: these come
    # from the files shipped in briefing/render/fonts, not from the machine.
    assert {
        "Briefing-Naskh",
        "Briefing-Naskh-Bold",
        "Briefing-Sans",
        "Briefing-Sans-Bold",
    } <= fonts, fonts
    assert fonts <= {
        "Briefing-Naskh",
        "Briefing-Naskh-Bold",
        "Briefing-Sans",
        "Briefing-Sans-Bold",
        "Briefing-Sans-Italic",
    }, fonts


def test_the_pdf_has_pages_and_the_html_is_bilingual(demo_build):
    assert len(PdfReader(demo_build["pdf"]).pages) >= 2
    page = demo_build["html"].read_text(encoding="utf-8")
    assert '<div class="block" lang="ar" dir="rtl">' in page
    assert '<div class="block" lang="en" dir="ltr">' in page
    assert "@font-face" in page and "data:font/ttf;base64," in page
    assert (
        "built-in method" not in page and "bound method" not in page
    )  # no dict method leaked into the page


def test_the_json_and_the_pdf_carry_one_fingerprint(demo_build):
    data = json.loads(demo_build["json"].read_text(encoding="utf-8"))
    metadata = PdfReader(demo_build["pdf"]).metadata
    assert re.fullmatch(r"[0-9a-f]{64}", data["fingerprint"])
    assert metadata["/BriefingFingerprint"] == data["fingerprint"]


def test_an_outlets_name_is_never_broken_across_two_lines(demo_build):
    """Figures and quotes end with their outlets in a narrow column: «(Al» at the end of
    one line and «Jazeera, …» at the start of the next read as two outlets."""
    import subprocess

    data = json.loads(demo_build["json"].read_text(encoding="utf-8"))
    names = {a["outlet"] for s in data["stories"] for a in s["articles"] if " " in a["outlet"]}
    assert names  # the demo has outlets of several words: Al Jazeera, Asharq Al-Awsat, …
    text = subprocess.run(
        ["pdftotext", str(demo_build["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for before, after in zip(lines, lines[1:], strict=False):
        for name in names:
            words = name.split()
            for cut in range(1, len(words)):
                head, tail = " ".join(words[:cut]), " ".join(words[cut:])
                assert not (before.endswith(head) and after.startswith(tail)), (name, before)
