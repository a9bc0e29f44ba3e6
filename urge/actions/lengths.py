"""Counting a post's length the way X, Bluesky, Threads and Mastodon count it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from urge.actions.twemoji import TWEMOJI_PATTERN
from urge.actions.urldetect import url_spans


@dataclass(frozen=True)
class Limit:
    """The longest post a platform takes, in the platform's own unit (see post_length)."""

    platform: str  # "x", "bluesky", "threads", "mastodon"
    maximum: int


LIMITS: dict[str, Limit] = {
    limit.platform: limit
    for limit in (
        Limit("x", 280),
        Limit("bluesky", 300),
        Limit("threads", 500),
        # Mastodon's own limit; some instances raise it.
        Limit("mastodon", 500),
    )
}


@dataclass(frozen=True)
class WeightRange:
    """Code points start..end (inclusive) weigh `weight` (before dividing by the scale)."""

    start: int
    end: int
    weight: int


@dataclass(frozen=True)
class WeightConfig:
    """One of twitter-text's published weighting configs (config/v2.json, config/v3.json)."""

    version: int
    max_weighted_tweet_length: int
    scale: int
    default_weight: int
    emoji_parsing_enabled: bool
    transformed_url_length: int
    ranges: tuple[WeightRange, ...]

    def weight(self, char: str) -> int:
        code = ord(char)
        for weight_range in self.ranges:
            if weight_range.start <= code <= weight_range.end:
                return weight_range.weight
        return self.default_weight

    def as_json(self) -> dict[str, object]:
        """The config with the key names of twitter-text's JSON files."""
        return {
            "version": self.version,
            "maxWeightedTweetLength": self.max_weighted_tweet_length,
            "scale": self.scale,
            "defaultWeight": self.default_weight,
            "emojiParsingEnabled": self.emoji_parsing_enabled,
            "transformedURLLength": self.transformed_url_length,
            "ranges": [{"start": r.start, "end": r.end, "weight": r.weight} for r in self.ranges],
        }


# Latin, Greek, Cyrillic, Hebrew, Arabic and the other alphabets below U+1100, and some spaces
# and punctuation, weigh half of everything else (CJK, emoji, symbols).
_LIGHT = (
    WeightRange(0, 4351, 100),
    WeightRange(8192, 8205, 100),
    WeightRange(8208, 8223, 100),
    WeightRange(8242, 8247, 100),
)
CONFIG_V2 = WeightConfig(2, 280, 100, 200, False, 23, _LIGHT)
# What X counts with now: v2, except that an emoji twemoji-parser lists (ZWJ family, skin
# tone, flag, keycap) weighs as one character.
CONFIG_V3 = WeightConfig(3, 280, 100, 200, True, 23, _LIGHT)


def weighted_length(text: str, config: WeightConfig = CONFIG_V3) -> int:
    """X's count: a link weighs transformedURLLength, an emoji the default weight, any other
    character the weight of its range; the sum is divided by the scale."""
    text = unicodedata.normalize("NFC", _unify_line_breaks(text))
    urls = dict(url_spans(text, as_javascript=True))
    emoji = dict(_x_emoji_spans(text)) if config.emoji_parsing_enabled else {}
    total = 0
    index = 0
    while index < len(text):
        if index in urls:
            total += config.transformed_url_length * config.scale
            index = urls[index]
        elif index in emoji:
            total += config.default_weight
            index = emoji[index]
        else:
            total += config.weight(text[index])
            index += 1
    return total // config.scale


def grapheme_length(text: str) -> int:
    """Bluesky's count: extended grapheme clusters (a flag, a family emoji or e + accent is 1)."""
    return len(_GRAPHEME.findall(text))


# Remembered: each action page counts the same few hundred posts every time it is rendered
# again (about a tenth of its rendering), and the count depends on the text alone.
@lru_cache(maxsize=4096)
def post_length(platform: str, text: str) -> int:
    """The length of `text` as `platform` counts it against LIMITS[platform]."""
    counter = _COUNTERS.get(platform)
    if counter is None:
        raise ValueError(f"Unknown platform {platform!r}; expected one of {', '.join(LIMITS)}")
    return counter(text)


def fits(platform: str, text: str) -> bool:
    """Whether `text` is short enough for `platform` (only the length: an empty text fits)."""
    return post_length(platform, text) <= LIMITS[platform].maximum


def _emoji_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _emoji_pattern().finditer(text)]


def _x_emoji_spans(text: str) -> list[tuple[int, int]]:
    """The emoji X weighs as one character: only the ones twemoji-parser lists, so that an
    unlisted sequence (U+FE0F after an emoji that has no text form, a skin tone on a
    non-person, a ZWJ sequence newer than its list or made up) weighs each of its parts,
    as X weighs them; counting it as one would let through posts X refuses."""
    return [match.span() for match in _twemoji_pattern().finditer(text)]


def _unify_line_breaks(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the composer a post lands in holds LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _threads_length(text: str) -> int:
    """Threads: characters, an emoji as its UTF-8 byte count (Threads API, "Posts")."""
    text = _unify_line_breaks(text)
    emoji = dict(_emoji_spans(text))
    total = 0
    index = 0
    while index < len(text):
        if index in emoji:
            total += len(text[index : emoji[index]].encode("utf-8"))
            index = emoji[index]
        else:
            total += 1
            index += 1
    return total


def _mastodon_length(text: str) -> int:
    """Mastodon (StatusLengthValidator): grapheme clusters, an http(s) link as 23 and a remote
    mention as its @user part; a link without protocol counts in full."""
    text = _unify_line_breaks(text)
    entities = [
        (start, end, "x" * _MASTODON_URL_LENGTH)
        for start, end in url_spans(text, without_protocol=False)
    ]
    entities += [(m.start(), m.end(), "@" + m[1]) for m in _MASTODON_MENTION.finditer(text)]
    pieces: list[str] = []
    position = 0
    # Of overlapping entities the one that starts first counts, as in Mastodon.
    for start, end, replacement in sorted(entities):
        if start < position:
            continue
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return grapheme_length("".join(pieces))


_COUNTERS: dict[str, Callable[[str], int]] = {
    "x": weighted_length,
    # The Bluesky app counts a long link as the shortened form it shows; counting links in
    # full may over-count, but never lets through a post the app would refuse.
    "bluesky": grapheme_length,
    "threads": _threads_length,
    "mastodon": _mastodon_length,
}

_GRAPHEME = regex.compile(r"\X")
_MASTODON_URL_LENGTH = 23
# Mastodon's Account::MENTION_RE: @user or @user@domain, not inside a word or a link path.
_MASTODON_MENTION = regex.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@\w+(?:[.-]+\w+)*)?", regex.IGNORECASE
)

# Emoji as an emoji-aware counter groups them (Threads): a keycap, a flag, a subdivision
# flag, or up to four pictographs joined by ZWJ (no standard sequence has more), each with an
# optional skin tone or emoji presentation selector. X groups only the emoji twemoji-parser
# lists (TWEMOJI_PATTERN).
# A lone pictograph weighs the default weight either way, except (c) and (r), whose code
# points are light: they are emoji only with the presentation selector U+FE0F.
_PICTOGRAPH = r"(?:(?![\xa9\xae])[\p{Extended_Pictographic}\p{Emoji_Presentation}])"
_EMOJI_ELEMENT = (
    r"(?:\p{Emoji_Modifier_Base}\p{Emoji_Modifier}|" + _PICTOGRAPH + r"\ufe0f?|[\xa9\xae]\ufe0f)"
)
_EMOJI = (
    r"[#*0-9]\ufe0f?\u20e3"
    r"|\p{Regional_Indicator}{2}"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    r"|" + _EMOJI_ELEMENT + r"(?:\u200d" + _EMOJI_ELEMENT + r"){0,3}"
)


@cache
def _emoji_pattern() -> regex.Pattern[str]:
    return regex.compile(_EMOJI)


@cache
def _twemoji_pattern() -> regex.Pattern[str]:
    # Tried in order, first match wins, as in JavaScript: the generated pattern relies on it.
    return regex.compile(TWEMOJI_PATTERN)
