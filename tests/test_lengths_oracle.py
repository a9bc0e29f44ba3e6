"""X's count checked against X's own code: Urge's weighted_length and the official
twitter-text JavaScript library (npm "twitter-text" with its "twemoji-parser", as
package-lock.json pins them) on thousands of generated texts (tests/oracle/texts.py).

These tests need node and the npm packages (`make test` runs `npm ci`); without them they
fail rather than skip, so that CI always compares the counts. The generated texts hold no
carriage returns: Urge counts a browser's CRLF as the one line break X's composer holds.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import regex

from tests.oracle.texts import generated_texts
from tests.oracle.twemoji_pattern import MODULE, ROOT, locked_pattern, module_text
from urge.actions.lengths import weighted_length

ORACLE = ROOT / "tests" / "oracle" / "twitter_length.js"
TEXTS = 4000
SEED = 13  # the number: any fixed seed does, so that every run counts the same texts

# Texts Urge once weighed differently from twitter-text, and twitter-text's weight.
ONCE_MISCOUNTED: list[tuple[str, str, int]] = [
    ("emoji-presentation-emoji-plus-fe0f", "\U0001f600\ufe0f", 4),
    ("zwj-sequence-newer-than-twemoji-11", "\u2764\ufe0f\u200d\U0001f525", 5),
    ("people-holding-hands", "\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1", 8),
    ("made-up-zwj-sequence", "\U0001f600\u200d\U0001f600", 5),
    ("listed-sequence-plus-fe0f", "\U0001f469\U0001f3fd\u200d\U0001f9b2\ufe0f", 4),
    ("eye-in-speech-bubble-qualified", "\U0001f441\ufe0f\u200d\U0001f5e8\ufe0f", 5),
    ("regional-indicators-of-no-country", "\U0001f1e6\U0001f1e6", 4),
    ("texas-tag-flag", "\U0001f3f4\U000e0075\U000e0073\U000e0074\U000e0078\U000e007f", 12),
    ("skier-with-skin-tone", "\u26f7\U0001f3ff", 2),
    ("fe0f-before-skin-tone", "\u261d\ufe0f\U0001f3ff", 2),
    ("zh-hant-around-new-emoji", "請支持\u2764\ufe0f\u200d\U0001f525立法會", 17),
    ("link-after-ideographic-full-stop", "\u3002-e.org", 25),
    ("host-starting-with-ideographic-full-stop", " \u3002w.hk", 26),
    ("link-from-second-half-of-emoji", "t.ly/\U0001f600-o.gov", 48),
    ("path-of-dot-and-parentheses", "example.com/.(a)", 27),
    ("host-past-its-ascii-domain", "e.公司.香港/", 28),
    # 4079 characters, under 4096 as written though not once the host is punycode-encoded.
    ("long-link-with-cjk-host", "https://例子例子例子.com/" + "a" * 4060, 23),
]


def twitter_text_lengths(texts: list[str]) -> list[int]:
    """twitter-text's weightedLength of each text, from one node process for the batch."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is not installed, so X's count cannot be checked against twitter-text: "
            "install nodejs and npm (apt-get install nodejs npm) and run make test",
            pytrace=False,
        )
    if not (ROOT / "node_modules" / "twitter-text").is_dir():
        pytest.fail("twitter-text is not installed: run npm ci (make test does)", pytrace=False)
    result = subprocess.run(
        [node, str(ORACLE)],
        input="".join(json.dumps(text) + "\n" for text in texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"{ORACLE.name} failed:\n{result.stderr}", pytrace=False)
    lengths = [int(line) for line in result.stdout.split()]
    assert len(lengths) == len(texts)
    return lengths


def test_it_counts_thousands_of_generated_texts_as_twitter_text_does() -> None:
    texts = generated_texts(TEXTS, SEED)
    expected = twitter_text_lengths(texts)
    wrong = [
        f"{text!a}: Urge {weighted_length(text)}, twitter-text {length}"
        for text, length in zip(texts, expected, strict=True)
        if weighted_length(text) != length
    ]
    assert not wrong, f"{len(wrong)} of {len(texts)} texts counted differently:\n" + "\n".join(
        wrong[:20]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, weight, id=name) for name, text, weight in ONCE_MISCOUNTED],
)
def test_it_weighs_the_texts_it_once_miscounted_as_twitter_text_does(
    text: str, expected: int
) -> None:
    assert weighted_length(text) == expected


def test_twitter_text_weighs_the_once_miscounted_texts_as_this_file_says() -> None:
    texts = [text for _, text, _ in ONCE_MISCOUNTED]
    assert twitter_text_lengths(texts) == [weight for _, _, weight in ONCE_MISCOUNTED]


def test_it_generates_every_kind_of_text_that_was_miscounted() -> None:
    # The comparison only means something if the texts hold what counters get wrong.
    joined = "\n".join(generated_texts(TEXTS, SEED))
    kinds = {
        "Traditional Chinese": "立法會",
        "CJK beyond the BMP": r"[\U00020000-\U0002a6df]",
        "skin tone": r"[\U0001f3fb-\U0001f3ff]",
        "U+FE0F": "\ufe0f",
        "U+FE0E": "\ufe0e",
        "ZWJ sequence": r"\p{Extended_Pictographic}\ufe0f?\u200d\p{Extended_Pictographic}",
        "flag": r"\p{Regional_Indicator}{2}",
        "tag flag": "\U0001f3f4[\U000e0061-\U000e007a]+\U000e007f",
        "keycap": "[0-9#*]\ufe0f\u20e3",
        "link": "https://",
        "combining mark": "[a-z][\u0300-\u036f]",
    }
    missing = [kind for kind, pattern in kinds.items() if not regex.search(pattern, joined)]
    assert missing == []


def test_it_matches_emoji_with_the_twemoji_parser_package_lock_json_pins() -> None:
    if shutil.which("node") is None:
        pytest.fail("node is not installed: install nodejs and npm", pytrace=False)
    assert MODULE.read_text(encoding="utf-8") == module_text(locked_pattern()), (
        "urge/actions/twemoji.py is not twemoji-parser's pattern: run "
        ".venv/bin/python -m tests.oracle.twemoji_pattern > urge/actions/twemoji.py"
    )


def test_it_fails_rather_than_skips_without_node(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pytest.fail.Exception, match="node is not installed"):
        twitter_text_lengths(["text"])
