"""The hostile web of issue #13, one test per case, against real servers on 127.0.0.1.

- Stalls (test_stalls, test_sizes): headers dripped a byte at a time; the
  round deadline; a 10,000-entry feed; a 9.5 MB page; `analyze` on 20 MB.
- SSRF through redirects (test_redirects): a feed redirecting to another
  loopback port or to 169.254.169.254; article links that redirect there.
- Script through links (test_links): javascript:, data:, vbscript:.
- Arabic garbled (test_charsets): a bad byte in UTF-8; windows-1256 and
  ISO-8859-6 without a declaration.
- Silent loss (test_feed_shapes): items sharing a GUID; a truncated feed;
  test_realweb_feeds runs the real feeds of ../shared/realweb (several malformed).
- Errors that name the key (test_errors); `--window` too long and `send --to`
  are rows of tests/test_cli.py::test_usage_errors_exit_2_naming_the_argument.
- Leftovers (test_leftovers): kill -9 and SIGTERM during extraction.
- Quietly thin editions: the per-feed warning for refused links is
  tests/test_pipeline.py::test_article_links_to_private_addresses_are_refused_by_default.
"""
