"""One mailbox however it is written."""

import pytest

from briefing.deliver.addresses import mailbox, readers


@pytest.mark.parametrize(
    "written, expected",
    [
        ("reader@example.org", "reader@example.org"),
        ("Reader <reader@example.org>", "reader@example.org"),
        ("reader@EXAMPLE.org", "reader@example.org"),
        ('"Eader, R." <reader@Example.Org>', "reader@example.org"),
        ("  <reader@example.org>  ", "reader@example.org"),
        ("Reader@example.org", "Reader@example.org"),  # the local part is the server's to fold
        ("قارئ <second@example.org>", "second@example.org"),
    ],
)
def test_a_mailbox_is_compared_without_its_display_name_and_with_its_domain_lower(
    written, expected
):
    assert mailbox(written) == expected


def test_readers_keep_the_first_spelling_of_each_mailbox():
    found = readers(["Reader <reader@example.org>", "reader@EXAMPLE.org", "b@example.org"])
    assert [(r.address, r.spelling) for r in found] == [
        ("reader@example.org", "Reader <reader@example.org>"),
        ("b@example.org", "b@example.org"),
    ]
