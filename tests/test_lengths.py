"""Post lengths as each platform counts them, and X's count against twitter-text's own cases.

The conformance cases are read from $URGE_DATA_DIR/twitter-text/validate.yml when it is there;
the cases of this file run everywhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from urge.actions.lengths import (
    CONFIG_V2,
    CONFIG_V3,
    LIMITS,
    WeightConfig,
    fits,
    grapheme_length,
    post_length,
    weighted_length,
)
from urge.actions.urldetect import url_spans

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # man, woman, girl, boy
FLAG_US = "\U0001f1fa\U0001f1f8"
THUMBS_UP_MEDIUM = "\U0001f44d\U0001f3fd"
KEYCAP_ONE = "1\ufe0f\u20e3"
E_ACUTE_DECOMPOSED = "e\u0301"


def twitter_text_folder() -> Path | None:
    folder = os.environ.get("URGE_DATA_DIR")
    return Path(folder) / "twitter-text" if folder else None


def test_it_counts_ascii_one_per_character_on_every_platform() -> None:
    text = "Call your senator today!"
    assert {platform: post_length(platform, text) for platform in LIMITS} == {
        "x": 24,
        "bluesky": 24,
        "threads": 24,
        "mastodon": 24,
    }


def test_it_counts_cjk_as_two_on_x_and_one_elsewhere() -> None:
    assert weighted_length("中文字") == 6
    assert weighted_length("abc中文") == 7
    assert grapheme_length("中文字") == 3


def test_it_counts_latin_greek_cyrillic_hebrew_and_arabic_as_one_on_x() -> None:
    assert weighted_length("éßΩЖשع") == 6


@pytest.mark.parametrize(
    "emoji", ["\U0001f600", FAMILY, FLAG_US, THUMBS_UP_MEDIUM, KEYCAP_ONE, "\u2764\ufe0f"]
)
def test_it_counts_an_emoji_sequence_as_two_on_x(emoji: str) -> None:
    assert weighted_length(emoji) == 2
    assert weighted_length(f"Vote {emoji}") == 7


def test_it_counted_each_code_point_of_an_emoji_under_the_older_v2_config() -> None:
    # man 2 + ZWJ 1 + woman 2 + ZWJ 1 + girl 2 + ZWJ 1 + boy 2
    assert weighted_length(FAMILY, CONFIG_V2) == 11


def test_it_counts_copyright_sign_as_a_letter_unless_it_is_shown_as_emoji() -> None:
    assert weighted_length("\u00a9") == 1
    assert weighted_length("\u00a9\ufe0f") == 2


@pytest.mark.parametrize(
    "link",
    [
        "https://www.congress.gov/bill/118th-congress/house-bill/1234/text?format=txt",
        "http://example.com",
        "congress.gov/bill/118th-congress/house-bill/1234",
        "example.com",
        "t.co",
    ],
)
def test_it_counts_a_link_as_23_with_or_without_protocol(link: str) -> None:
    assert weighted_length(link) == 23
    assert weighted_length(f"Read {link} now") == 5 + 23 + 4


def test_it_leaves_the_sentence_punctuation_after_a_link_outside_it() -> None:
    assert weighted_length("See https://example.com/path.") == 4 + 23 + 1
    assert weighted_length("(see example.org/a)") == 5 + 23 + 1


@pytest.mark.parametrize(
    "text",
    [
        "readme.txt",  # not a top-level domain
        "e.g. this",
        "foo@example.com",  # an email address is not a link
        "$example.com",  # a cashtag-like word is not a link either
        "http://localhost",
    ],
)
def test_it_does_not_count_what_x_does_not_link_as_a_link(text: str) -> None:
    assert weighted_length(text) == len(text)


def test_it_does_not_link_a_host_label_longer_than_63_characters() -> None:
    host = "a" * 64 + ".com"
    assert url_spans(host) == []
    assert url_spans("a" * 63 + ".com") == [(0, 67)]


def test_it_finds_where_links_are() -> None:
    text = "Go to https://example.org/act and congress.gov."
    assert [text[start:end] for start, end in url_spans(text)] == [
        "https://example.org/act",
        "congress.gov",
    ]
    assert [text[start:end] for start, end in url_spans(text, without_protocol=False)] == [
        "https://example.org/act"
    ]


def test_it_normalises_to_nfc_so_e_with_a_combining_accent_counts_once() -> None:
    assert weighted_length(E_ACUTE_DECOMPOSED) == 1
    assert weighted_length("caf" + E_ACUTE_DECOMPOSED) == 4


def test_it_counts_a_crlf_line_break_as_one_character() -> None:
    assert weighted_length("one\r\ntwo") == weighted_length("one\ntwo") == 7
    assert post_length("threads", "one\r\ntwo") == 7


def test_it_fits_x_up_to_exactly_280() -> None:
    assert weighted_length("a" * 280) == 280
    assert fits("x", "a" * 280)
    assert not fits("x", "a" * 281)
    assert fits("x", "中" * 140)
    assert not fits("x", "中" * 140 + "a")


def test_it_fits_a_post_with_a_long_link_that_x_shortens() -> None:
    text = "a" * 256 + " https://example.org/" + "x" * 300
    assert weighted_length(text) == 280
    assert fits("x", text)
    assert not fits("bluesky", text)


def test_it_counts_graphemes_for_bluesky() -> None:
    assert grapheme_length(FAMILY) == 1
    assert grapheme_length(FLAG_US + KEYCAP_ONE) == 2
    assert grapheme_length(E_ACUTE_DECOMPOSED) == 1
    assert post_length("bluesky", f"Hi {FAMILY}") == 4


def test_it_fits_bluesky_up_to_exactly_300_graphemes() -> None:
    assert fits("bluesky", FAMILY * 300)
    assert not fits("bluesky", FAMILY * 301)


def test_it_counts_emoji_by_their_utf8_bytes_on_threads() -> None:
    assert post_length("threads", "Hi \U0001f600") == 3 + 4
    assert post_length("threads", THUMBS_UP_MEDIUM) == 8
    assert post_length("threads", FAMILY) == 25
    assert post_length("threads", "中文") == 2


def test_it_counts_links_as_23_and_remote_mentions_without_their_server_on_mastodon() -> None:
    link = "https://www.congress.gov/bill/118th-congress/house-bill/1234/text"
    assert post_length("mastodon", f"Read {link}") == 5 + 23
    assert post_length("mastodon", "Thanks @alice@mastodon.social and @bob") == len(
        "Thanks @alice and @bob"
    )
    # Mastodon only shortens links with a protocol.
    assert post_length("mastodon", "see congress.gov/bill/118th-congress") == 36
    assert post_length("mastodon", FLAG_US) == 1


def test_it_refuses_a_platform_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="facebook"):
        post_length("facebook", "text")
    with pytest.raises(ValueError, match="facebook"):
        fits("facebook", "text")


def test_it_knows_each_platform_limit() -> None:
    assert {name: (limit.platform, limit.maximum) for name, limit in LIMITS.items()} == {
        "x": ("x", 280),
        "bluesky": ("bluesky", 300),
        "threads": ("threads", 500),
        "mastodon": ("mastodon", 500),
    }


def test_it_counts_a_long_pathological_text_quickly() -> None:
    # Backtracking regular expressions take minutes over these; the counter is linear.
    for text in ("a." * 5000, "日本語" * 3000 + ".", "a_" * 5000 + ".com", "x" + "-a" * 5000):
        assert weighted_length(text) >= len(text)


def test_it_weighs_like_the_published_v3_config() -> None:
    folder = twitter_text_folder()
    if folder is None:
        pytest.skip("URGE_DATA_DIR is not set: no twitter-text config-v3.json to compare with")
    if not (folder / "config-v3.json").is_file():
        pytest.skip(f"{folder / 'config-v3.json'} does not exist")
    assert CONFIG_V3.as_json() == json.loads((folder / "config-v3.json").read_text())


# Which config each section of validate.yml is meant for: the v3 section and the directional
# marker cases that follow it are what X counts with now.
SECTIONS = {
    "WeightedTweetsCounterTest": CONFIG_V2,
    "WeightedTweetsWithDiscountedEmojiCounterTest": CONFIG_V3,
    "UnicodeDirectionalMarkerCounterTest": CONFIG_V3,
}


def conformance_cases() -> list[Any]:
    folder = twitter_text_folder()
    if folder is None or not (folder / "validate.yml").is_file():
        reason = (
            "URGE_DATA_DIR is not set"
            if folder is None
            else f"{folder / 'validate.yml'} does not exist"
        )
        return [
            pytest.param(
                "",
                CONFIG_V3,
                0,
                id="no-conformance-data",
                marks=pytest.mark.skip(reason=f"twitter-text conformance cases: {reason}"),
            )
        ]
    tests = yaml.safe_load((folder / "validate.yml").read_text(encoding="utf-8"))["tests"]
    return [
        pytest.param(
            case["text"],
            config,
            case["expected"]["weightedLength"],
            id=f"v{config.version}-{section}-{case['description']}",
        )
        for section, config in SECTIONS.items()
        for case in tests[section]
    ]


@pytest.mark.parametrize(("text", "config", "expected"), conformance_cases())
def test_it_counts_like_twitter_text_conformance(
    text: str, config: WeightConfig, expected: int
) -> None:
    assert weighted_length(text, config) == expected
