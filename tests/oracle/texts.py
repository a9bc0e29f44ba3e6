"""Random post texts made to trip a length counter: the scripts a campaign writes in (English,
Traditional Chinese), emoji in every shape X groups differently (skin tones, flags, keycaps,
ZWJ sequences standard or not, variation selectors), links, combining marks and odd spaces.

The texts come from a seeded random.Random, so every run (and CI) counts the same texts.
"""

# Full-width and CJK punctuation are the point of these texts, not look-alikes typed by mistake.
# ruff: noqa: RUF001

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import cache

import regex

ZWJ = "\u200d"
VS15 = "\ufe0e"  # text presentation
VS16 = "\ufe0f"  # emoji presentation
KEYCAP = "\u20e3"
TAG_CANCEL = "\U000e007f"
SKIN_TONES = [chr(code) for code in range(0x1F3FB, 0x1F400)]

WORDS = [
    "Call", "your", "senator", "today", "Vote", "NO", "on", "HR", "1234", "HKETO", "act",
    "#StandWithHongKong", "@alice", "$TSLA", "e.g.", "readme.txt", "foo@example.com", "x",
]  # fmt: skip
PUNCTUATION = list(".,!?;:'\"()[]-–—…/&%*#@$_~|<>")
SPACES = [" ", " ", " ", "\n", "\t", "\xa0", "\u2000", "\u200a", "\u3000", "\u202f"]
# Zero-width and directional characters, which people paste in without seeing them.
INVISIBLE = ["\u200b", "\u200c", ZWJ, "\u200e", "\u200f", "\u2060", "\u2066", "\u2069", "\u202e"]
ZH_HANT = [
    "請支持", "香港經濟貿易辦事處", "認證法案", "立法會", "國會議員", "謝謝您", "自由",
    "人權", "民主", "請投票反對", "「", "」", "『", "』", "，", "。", "！", "？", "、", "：",
    "；", "（", "）", "…", "——", "ＡＢＣ", "１２３", "＃香港", "＠立法會",
]  # fmt: skip
OTHER_SCRIPTS = [
    "café", "naïve", "Ωμέγα", "Привет", "שלום", "مرحبا", "สวัสดี", "नमस्ते", "こんにちは",
    "カタカナ", "한국어", "ㄅㄆㄇ", "Tiếng Việt", "ǅ", "ﬁ", "Ⅻ", "™", "€", "→", "★",
]  # fmt: skip
COMBINING_MARKS = [chr(code) for code in (0x300, 0x301, 0x308, 0x323, 0x338, 0x20DD, 0x20E0)]
PEOPLE = ["\U0001f468", "\U0001f469", "\U0001f9d1", "\U0001f466", "\U0001f467"]
ZWJ_PARTS = [
    "\u2640", "\u2642", "\u2695", "\u2696", "\u2708", "\u2764", "\U0001f48b", "\U0001f308",
    "\u2620", "\U0001f5e8", "\U0001f9b0", "\U0001f9b1", "\U0001f9b2", "\U0001f9b3",
    "\U0001f91d", "\U0001f525", "\U0001f9ba", "\u2744", "\U0001f4bb", "\U0001f680",
    "\U0001f33e", "\U0001f373", "\U0001f393", "\U0001f3a4", "\U0001f3eb", "\U0001f52c",
]  # fmt: skip
# Standard sequences from several Unicode versions, old and new.
ZWJ_SEQUENCES = [
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "\U0001f469\u200d\u2764\ufe0f\u200d\U0001f48b\u200d\U0001f468",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\U0001f3f4\u200d\u2620\ufe0f",
    "\U0001f441\ufe0f\u200d\U0001f5e8\ufe0f",
    "\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1",
    "\u2764\ufe0f\u200d\U0001f525",
    "\U0001f415\u200d\U0001f9ba",
    "\U0001f43b\u200d\u2744\ufe0f",
    "\U0001f3c3\u200d\u2640\ufe0f",
    "\U0001f46e\U0001f3fd\u200d\u2642\ufe0f",
    "\U0001f3cc\ufe0f\u200d\u2640\ufe0f",
    "\u26f9\U0001f3ff\u200d\u2642\ufe0f",
    "\U0001f468\U0001f3fb\u200d\U0001f4bb",
    "\U0001f469\u200d\U0001f9b0",
    "\U0001f9d1\u200d\U0001f384",
]
TAG_FLAGS = ["gbeng", "gbsct", "gbwls", "ustx", "zz"]
LINKS = [
    "https://example.com",
    "http://www.congress.gov/bill/118th-congress/house-bill/1234?format=txt",
    "https://en.wikipedia.org/wiki/Primer_(film)",
    "https://t.co/AbC123xyz",
    "t.co/abc",
    "example.org",
    "congress.gov/members",
    "EXAMPLE.COM/Path",
    "www.hketo.gov.hk",
    "https://example.com:8080/a/b.html#top",
    "https://香港.com/路徑",
    "公司.香港",
    "https://xn--j6w193g.com",
    "bit.ly/3abcDEF",
    "https://example.com/" + "x" * 40,
]


@cache
def pictographs() -> list[str]:
    """Every Extended_Pictographic code point Unicode knows, assigned yet or not."""
    pattern = regex.compile(r"\p{Extended_Pictographic}")
    return [chr(code) for code in range(0x20000) if pattern.match(chr(code))]


@cache
def modifier_bases() -> list[str]:
    pattern = regex.compile(r"\p{Emoji_Modifier_Base}")
    return [chr(code) for code in range(0x20000) if pattern.match(chr(code))]


def generated_texts(count: int, seed: int) -> list[str]:
    """`count` texts of 1 to 12 fragments each, the same ones for the same seed."""
    rng = random.Random(seed)  # noqa: S311 (the same texts every run, not secrets)
    return [_text(rng) for _ in range(count)]


def _text(rng: random.Random) -> str:
    pieces: list[str] = []
    for _ in range(rng.randint(1, 12)):
        pieces.append(_pick_fragment(rng)(rng))
        pieces.append(rng.choice(["", "", " ", " ", "\n"]))
    return "".join(pieces)


def _pick_fragment(rng: random.Random) -> Callable[[random.Random], str]:
    makers = [maker for maker, _ in _FRAGMENTS]
    return rng.choices(makers, weights=[weight for _, weight in _FRAGMENTS])[0]


def _ascii(rng: random.Random) -> str:
    return rng.choice(WORDS) + rng.choice(["", "", *PUNCTUATION])


def _space(rng: random.Random) -> str:
    return rng.choice(SPACES + INVISIBLE)


def _zh_hant(rng: random.Random) -> str:
    if rng.random() < 0.3:
        # Any CJK ideograph, in the basic block or (non-BMP) extension B.
        block = rng.choice([(0x4E00, 0x9FFF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF)])
        return "".join(chr(rng.randint(*block)) for _ in range(rng.randint(1, 4)))
    return rng.choice(ZH_HANT)


def _other_script(rng: random.Random) -> str:
    return rng.choice(OTHER_SCRIPTS)


def _combining(rng: random.Random) -> str:
    base = rng.choice(["e", "A", "o", "中", "1", "\u2764", "\U0001f600", "ㄱ", " "])
    marks = "".join(rng.choice(COMBINING_MARKS) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.2:
        # Conjoining jamo, which NFC composes into one Hangul syllable.
        return "\u1100\u1161" + rng.choice(["", "\u11a8"])
    return base + marks


def _emoji_element(rng: random.Random) -> str:
    """One pictograph, maybe with a skin tone or a variation selector (fitting or not)."""
    base = rng.choice(modifier_bases()) if rng.random() < 0.3 else rng.choice(pictographs())
    if rng.random() < 0.1:
        base = rng.choice(["\xa9", "\xae", "\u2122", "\u265f", "\u203c", "\u2139", "\u3030"])
    suffix = rng.choices(
        ["", VS16, VS15, "tone", VS16 + "tone", "tone" + VS16, VS16 + VS16],
        weights=[40, 25, 8, 18, 3, 3, 3],
    )[0]
    return base + suffix.replace("tone", rng.choice(SKIN_TONES))


def _emoji(rng: random.Random) -> str:
    return _emoji_element(rng)


def _zwj_sequence(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        sequence = rng.choice(ZWJ_SEQUENCES)
        # A skin tone added to a person in a standard sequence, as keyboards do.
        if rng.random() < 0.3 and sequence[0] in PEOPLE:
            sequence = sequence[0] + rng.choice(SKIN_TONES) + sequence[1:]
        return sequence
    if roll < 0.7:
        # Person + component in the shapes of real sequences, not all of them standard.
        first = rng.choice(PEOPLE) + rng.choice(["", "", rng.choice(SKIN_TONES)])
        parts = [first] + [
            rng.choice(ZWJ_PARTS) + rng.choice(["", VS16, VS16]) for _ in range(rng.randint(1, 3))
        ]
        return ZWJ.join(parts)
    # Anything joined to anything, and stray joiners at either end.
    parts = [_emoji_element(rng) for _ in range(rng.randint(2, 6))]
    text = ZWJ.join(parts)
    return rng.choice(["", "", ZWJ]) + text + rng.choice(["", "", ZWJ])


def _flag(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        letters = rng.choice(["US", "HK", "TW", "CN", "GB", "JP", "UA", "AA", "ZZ", "QX"])
        if rng.random() < 0.3:
            letters = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(2))
        return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in letters)
    if roll < 0.8:
        # An odd run of regional indicators pairs up from the left.
        return "".join(chr(rng.randint(0x1F1E6, 0x1F1FF)) for _ in range(rng.randint(1, 5)))
    tags = "".join(chr(0xE0000 + ord(letter)) for letter in rng.choice(TAG_FLAGS))
    return "\U0001f3f4" + tags + rng.choice([TAG_CANCEL, TAG_CANCEL, ""])


def _keycap(rng: random.Random) -> str:
    base = rng.choice("0123456789#*" * 3 + "aX中\u2764")
    return base + rng.choice(["", VS16, VS16, VS15]) + rng.choice([KEYCAP, KEYCAP, ""])


def _link(rng: random.Random) -> str:
    link = rng.choice(LINKS)
    # Links run into what is around them when people leave out the spaces.
    before = rng.choice(["", "", "(", "「", "中文", "\U0001f449", "-"])
    after = rng.choice(["", "", ".", ")", "」", "中文", "\U0001f64f", "/\U0001f600"])
    return before + link + after


def _selectors(rng: random.Random) -> str:
    """Variation selectors, joiners and skin tones standing alone or after plain letters."""
    return rng.choice(["a", "中", " ", "", "1"]) + "".join(
        rng.choice([VS16, VS15, ZWJ, rng.choice(SKIN_TONES), KEYCAP])
        for _ in range(rng.randint(1, 3))
    )


_FRAGMENTS: Sequence[tuple[Callable[[random.Random], str], int]] = [
    (_ascii, 30),
    (_space, 6),
    (_zh_hant, 20),
    (_other_script, 6),
    (_combining, 5),
    (_emoji, 18),
    (_zwj_sequence, 10),
    (_flag, 6),
    (_keycap, 5),
    (_link, 8),
    (_selectors, 4),
]
