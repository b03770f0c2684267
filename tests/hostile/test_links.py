"""Script through links: only http(s) links are written out, in the page, the PDF and the email."""

import json
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader

from briefing import config, pipeline
from briefing.deliver import message
from tests.conftest import rss, write_config
from tests.hostile.conftest import DAY

HOSTILE = [
    "javascript:alert(document.domain)",
    "data:text/html,<script>1</script>",
    "vbscript:msgbox",
]
STORIES = [
    "The harbour reopened after the storm, and ships queued to unload grain.",
    "Farmers in the valley began the olive harvest two weeks early this year.",
    "The city library extended its opening hours for the exam season.",
]


def test_javascript_data_and_vbscript_links_are_never_written_out(tmp_path, web):
    items = [
        {"title": f"Report {n}: {text}", "link": link, "description": text}
        for n, (link, text) in enumerate(zip(HOSTILE, STORIES, strict=True))
    ]
    items.append(
        {"title": "A fair report on the new bridge", "link": "/fair", "description": "Fair."}
    )
    url = web.add("/f.xml", rss(items))
    cfg = config.load(
        write_config(
            tmp_path,
            f'feeds:\n  - {{name: Evil, url: "{url}"}}\nfetch: {{fetch_pages: false}}\n'
            "email:\n  smtp: {host: 127.0.0.1, port: 2525, security: none}\n"
            '  from: "B <b@example.org>"\n  to: [r@example.org]\n',
        ),
        environ={},
    )
    written = pipeline.build(cfg, date.fromisoformat(DAY), timedelta(hours=24))
    edition = json.loads(written["json"].read_text())
    assert sum(len(story["articles"]) for story in edition["stories"]) == 4  # all kept, as text
    fair = web.url("/fair")
    page = written["html"].read_text(encoding="utf-8")
    assert f'href="{fair}"' in page
    body = page.split("<body", 1)[1].replace("&lt;", "<")
    assert not any(scheme in body for scheme in ("javascript:", "data:text", "vbscript:"))
    uris = [
        annotation.get_object().get("/A", {}).get("/URI")
        for pdf_page in PdfReader(written["pdf"]).pages
        for annotation in pdf_page.get("/Annots") or []
    ]
    assert fair in uris and all(u.startswith("http://") for u in uris if u)
    mail = message.compose(
        edition,
        b"%PDF",
        cfg,
        recipient="r@example.org",
        message_id="<m@example.org>",
        now=datetime.now(UTC),
    )
    html_part = mail.get_body(("html",)).get_content()
    text_part = mail.get_body(("plain",)).get_content()
    assert f'href="{fair}"' in html_part
    assert not any(link in html_part or link in text_part for link in HOSTILE)
