"""Contact details organisers add are checked per platform, so nothing odd reaches a post."""

import datetime
import re

import pytest
from django.utils import translation

from urge.legislators.handles import InvalidContact, clean, clean_date


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("x", "@PattyMurray", "PattyMurray"),
        ("x", "Sen_Murray_2026", "Sen_Murray_2026"),
        ("bluesky", "@PattyMurray.bsky.social", "pattymurray.bsky.social"),
        ("bluesky", "senator.example.gov", "senator.example.gov"),
        ("threads", "@patty.murray_", "patty.murray_"),
        ("mastodon", "@Patty@Mastodon.Social", "Patty@mastodon.social"),
        ("mastodon", "patty@mastodon.social", "patty@mastodon.social"),
        ("contact_form", "https://www.murray.senate.gov/write-to-patty/", None),
        ("phone", "202-224-2621", None),
        ("phone", "(202) 224-3441 ext 5", None),
    ],
)
def test_it_accepts_each_platforms_handles_and_stores_them_without_the_at(
    field: str, typed: str, stored: str | None
) -> None:
    assert clean(field, f"  {typed} ") == (stored or typed)


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("x", "Patty Murray"),
        ("x", "SixteenCharsLong"),
        ("x", "https://x.com/PattyMurray"),
        ("x", "@@PattyMurray"),
        ("x", "Pätty"),
        ("bluesky", "pattymurray"),  # not a domain
        ("bluesky", "@patty@bsky.social"),
        ("bluesky", "192.168.0.1"),
        ("bluesky", "patty-.bsky.social"),
        ("threads", "patty..murray"),
        ("threads", "patty."),
        ("threads", "patty-murray"),
        ("threads", "a" * 31),
        ("mastodon", "@patty"),
        ("mastodon", "@patty@localhost"),
        ("mastodon", "@pat ty@mastodon.social"),
        ("mastodon", "https://mastodon.social/@patty"),
        ("contact_form", "http://www.murray.senate.gov/"),
        ("contact_form", "javascript:alert(1)"),
        ("contact_form", "https://exa mple.org/"),
        ("phone", "call the office"),
        ("phone", "123-456-7890"),
        ("x", "   "),
        ("x", "x" * 400),
    ],
)
def test_it_refuses_what_would_not_be_a_mention_there(field: str, typed: str) -> None:
    with pytest.raises(InvalidContact):
        clean(field, typed)


def test_the_reason_says_what_a_handle_looks_like() -> None:
    with (
        translation.override("en"),
        pytest.raises(InvalidContact, match=re.escape("such as @senator@mastodon.social")),
    ):
        clean("mastodon", "@patty")
    with translation.override("zh-hant"), pytest.raises(InvalidContact, match="Mastodon 帳號"):
        clean("mastodon", "@patty")


def test_a_checked_date_is_iso_and_not_in_the_future() -> None:
    assert clean_date("2026-01-10") == datetime.date(2026, 1, 10)
    for bad in ("10/01/2026", "soon", 20260110, datetime.date.today() + datetime.timedelta(days=3)):
        with pytest.raises(InvalidContact):
            clean_date(bad)
