"""Stalls: a server that drips its answer cannot hold a request past fetch.timeout."""

import time

import pytest

from briefing.config import FetchConfig
from briefing.ingest.http import FetchError, HttpClient


def test_headers_dripped_one_byte_at_a_time_end_at_the_request_deadline(drip):
    with HttpClient(FetchConfig(timeout=1, retries=0)) as client:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out after 1s"):
            client.get(drip.url("/feed.xml"))
        assert time.monotonic() - started < 3  # a per-read timeout would wait forever
