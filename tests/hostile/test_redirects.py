"""SSRF through redirects: where a configured feed or an article link redirects is not trusted."""

import pytest

from briefing import config
from briefing.store import Store
from tests.conftest import FakeWeb, article_page, ingest, rss, write_config
from tests.hostile.conftest import report_paragraphs


def load(tmp_path, feed_url: str, fetch: str = "retries: 0, host_delay: 0"):
    return config.load(
        write_config(tmp_path, f'feeds:\n  - {{name: W, url: "{feed_url}"}}\nfetch: {{{fetch}}}\n'),
        environ={},
    )


@pytest.fixture
def internal():
    """A second server on 127.0.0.1, another port: the machine's own internal service."""
    server = FakeWeb()
    server.add("/internal", rss([{"title": "Internal secret", "link": "/s"}]))
    yield server
    server.close()


@pytest.mark.parametrize(
    "target", ["{internal}/internal", "http://169.254.169.254/latest/meta-data/"]
)
def test_a_configured_feed_that_redirects_to_another_loopback_port_is_refused(
    tmp_path, web, internal, target
):
    # The configured URL is trusted even on loopback; where it redirects to goes
    # through the SSRF guard like any article link.
    url = web.add("/f.xml", status=302, headers={"Location": target.format(internal=internal.base)})
    cfg = load(tmp_path, url)
    assert ingest(cfg) == []
    assert internal.hits("/internal") == 0
    with Store(cfg.db_path) as store:
        [health] = store.feed_health([(url, "W")])
    assert health.status == "error" and "SSRF guard" in health.error


def test_an_article_link_that_redirects_to_loopback_and_one_to_the_metadata_address_are_refused(
    tmp_path, web
):
    # The fake web stands in for a public site through allow_hosts; "localhost" is not allowed.
    port = web.server.server_address[1]
    web.add("/jump", status=302, headers={"Location": f"http://localhost:{port}/secret"})
    web.add("/secret", article_page("Internal admin page", report_paragraphs(1)))
    url = web.add(
        "/f.xml",
        rss(
            [
                {"title": "Jump", "link": "/jump", "description": "Jump text."},
                {
                    "title": "Metadata",
                    "link": "http://169.254.169.254/latest/meta-data/",
                    "description": "Metadata text.",
                },
            ]
        ),
    )
    cfg = load(tmp_path, url, "retries: 0, host_delay: 0, allow_hosts: [127.0.0.1]")
    rows = {r["title"]: r for r in ingest(cfg)}
    assert web.hits("/jump") == 1 and web.hits("/secret") == 0
    assert (
        "SSRF guard" in rows["Jump"]["extract_error"]
        and "127.0.0.1" in rows["Jump"]["extract_error"]
    )
    assert "169.254.169.254" in rows["Metadata"]["extract_error"]
    assert rows["Jump"]["text"] == "Jump text."  # the feed's text is kept
