"""Real feeds from the web (../shared/realweb/feeds, several malformed): items or a clear error.

The files are other people's writing and stay in ../shared; a plain clone
without it skips this module.
"""

import json

import pytest

from briefing.ingest import feeds
from tests.conftest import ROOT

REALWEB = ROOT.parent / "shared" / "realweb" / "feeds"
INDEX = (
    [json.loads(line) for line in (REALWEB / "index.jsonl").read_text().splitlines() if line]
    if (REALWEB / "index.jsonl").is_file()
    else []
)

pytestmark = pytest.mark.skipif(not INDEX, reason="../shared/realweb is not beside the repository")


@pytest.mark.parametrize("feed", INDEX, ids=lambda feed: feed["file"])
def test_every_real_feed_yields_its_items_or_one_clear_error(feed):
    content = (REALWEB / feed["file"]).read_bytes()
    try:
        entries, warning = feeds.parse(content, "https://example.org/feed.xml", {})
    except ValueError as exc:
        assert str(exc).startswith("not a feed: ") and "\n" not in str(exc)
        assert feed["items"] is None  # only a feed a strict parser could not read either
        return
    assert entries and all(e.title and e.url.startswith(("http://", "https://")) for e in entries)
    if feed["items"] is not None:
        # Every item a strict parser finds, less the same link listed twice.
        assert len({e.url for e in entries}) == len(entries) <= feed["items"]
        assert len(entries) >= feed["items"] - 1
    titles = " ".join(e.title for e in entries)
    assert "\ufffd" not in titles and "Ã" not in titles  # no mojibake in what is stored
