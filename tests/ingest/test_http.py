import pytest

from briefing.config import FetchConfig
from briefing.errors import FetchError, Refused
from briefing.ingest.http import HttpClient, check_public


@pytest.fixture
def client():
    with HttpClient(FetchConfig(timeout=5, retries=2, max_bytes=1000)) as c:
        yield c


def test_a_500_is_retried_until_it_succeeds(web, client):
    from tests.conftest import Route

    url = web.add("/flaky", b"boom", status=500, then=[Route(body=b"fine")])
    response = client.get(url)
    assert response.status == 200 and response.content == b"fine"
    assert web.hits("/flaky") == 2


def test_a_404_is_not_retried(web, client):
    response = client.get(web.url("/missing"))
    assert response.status == 404
    assert web.hits("/missing") == 1


def test_retry_after_is_honoured_on_429(web, client):
    import time

    from tests.conftest import Route

    url = web.add("/busy", b"", status=429, headers={"Retry-After": "1"}, then=[Route(body=b"ok")])
    started = time.monotonic()
    assert client.get(url).content == b"ok"
    assert time.monotonic() - started >= 0.9


def test_a_server_that_never_answers_times_out_within_the_deadline(web):
    import time

    url = web.add("/slow", b"late", delay=5)
    with HttpClient(FetchConfig(timeout=1, retries=3)) as client:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out"):
            client.get(url)
        assert time.monotonic() - started < 2.5


def test_bodies_are_cut_at_the_size_limit(web, client):
    url = web.add("/big", b"x" * 50_000)
    response = client.get(url)
    assert response.truncated and len(response.content) == 1000


def test_gzip_bodies_are_decompressed(web, client):
    url = web.add("/zipped", b"<rss>hello</rss>", gzip=True)
    assert client.get(url).content == b"<rss>hello</rss>"


def test_permanent_redirect_chains_report_where_they_settle(web, client):
    web.add("/a", status=301, headers={"Location": "/b"})
    web.add("/b", status=308, headers={"Location": "/c"})
    web.add("/c", b"here")
    response = client.get(web.url("/a"))
    assert response.content == b"here"
    assert response.permanent_url == web.url("/c")


def test_a_temporary_hop_means_no_permanent_move(web, client):
    web.add("/a", status=302, headers={"Location": "/b"})
    web.add("/b", status=301, headers={"Location": "/c"})
    web.add("/c", b"here")
    assert client.get(web.url("/a")).permanent_url is None


def test_redirect_loops_and_long_chains_are_errors(web, client):
    web.add("/x", status=301, headers={"Location": "/y"})
    web.add("/y", status=301, headers={"Location": "/x"})
    with pytest.raises(FetchError, match="redirect loop"):
        client.get(web.url("/x"))
    for i in range(8):
        web.add(f"/hop{i}", status=302, headers={"Location": f"/hop{i + 1}"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client.get(web.url("/hop0"))


def test_the_user_agent_names_the_tool(web, client):
    client.get(web.add("/ua", b"ok"))
    assert web.requests[-1][1]["user-agent"].startswith("briefing/")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://localhost/",
        "http://0.0.0.0/",
        "file:///etc/passwd",
    ],
)
def test_the_ssrf_guard_refuses_non_public_addresses(url):
    with pytest.raises(Refused, match="refused"):
        check_public(url)


def test_the_guard_applies_after_a_redirect(web, client):
    # The first hop is refused already: the fake web itself is on loopback.
    web.add("/go", status=302, headers={"Location": "http://169.254.169.254/"})
    with pytest.raises(Refused):
        client.get(web.url("/go"), guard=True)
