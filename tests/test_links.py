"""The links a supporter's browser opens: where they lead, and that the text arrives as written."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from urge.actions.links import (
    SAFE_LINK_LENGTH,
    bluesky_intent,
    gmail_compose,
    is_safe_length,
    mailto,
    mastodon_share,
    outlook_compose,
    threads_intent,
    x_intent,
)
from urge.legislators.phones import tel

# Everything a query string could swallow or mangle: separators, a plus that could turn into a
# space, a percent that could be decoded twice, line breaks, emoji, Chinese.
TRICKY = (
    "Vote NO on H.R. 1234 & S. 56 #StopTheBill +1 100% done?=yes\n"
    "Second line 😀 👨\u200d👩\u200d👧 中文 é"
)
TEXTS = ["Call your senator", TRICKY, "a+b%20c&d=e#f"]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)


@pytest.mark.parametrize(
    ("build", "host", "path"),
    [
        (x_intent, "x.com", "/intent/tweet"),
        (bluesky_intent, "bsky.app", "/intent/compose"),
        (threads_intent, "www.threads.com", "/intent/post"),
        (mastodon_share, "share.joinmastodon.org", "/"),
    ],
)
@pytest.mark.parametrize("text", TEXTS)
def test_it_opens_the_post_intent_with_the_text_exactly(
    build: Callable[[str], str], host: str, path: str, text: str
) -> None:
    url = build(text)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == ("https", host, path, "")
    assert query(url) == {"text": [text]}


def test_it_encodes_spaces_and_reserved_characters_in_intents() -> None:
    assert x_intent("a b&c#d+e") == "https://x.com/intent/tweet?text=a%20b%26c%23d%2Be"


@pytest.mark.parametrize("text", TEXTS)
def test_it_shares_to_the_persons_own_mastodon_server(text: str) -> None:
    url = mastodon_share(text, "hachyderm.io")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hachyderm.io", "/share")
    assert query(url) == {"text": [text]}


@pytest.mark.parametrize(
    "instance",
    ["mastodon.social", "social.example-org.net", "Mastodon.Social", "xn--80ak6aa92e.com"],
)
def test_it_accepts_a_bare_host_name_as_mastodon_server(instance: str) -> None:
    assert urlsplit(mastodon_share("hi", instance)).netloc == instance


@pytest.mark.parametrize(
    "instance",
    [
        "https://mastodon.social",
        "mastodon.social/",
        "mastodon.social/@alice",
        "@alice@mastodon.social",
        "mastodon.social:443",
        "mastodon.social?x=1",
        "mastodon.social#top",
        "mastodon",
        "",
        ".mastodon.social",
        "mastodon.social.",
        "mastodon..social",
        "-mastodon.social",
        "mastodon-.social",
        "masto_don.social",
        "masto don.social",
        " mastodon.social",
        "evil.example\\@mastodon.social",
        "192.168.0.1",
        "мастодон.рф",
        "a" * 64 + ".social",
    ],
)
def test_it_refuses_a_mastodon_server_that_is_not_a_bare_host_name(instance: str) -> None:
    with pytest.raises(ValueError, match="server name"):
        mastodon_share("hi", instance)


@pytest.mark.parametrize(
    ("subject", "body"), [("Vote no", "Dear Senator,\nPlease vote no."), (TRICKY, TRICKY)]
)
def test_it_writes_a_mailto_link_that_carries_subject_and_body(subject: str, body: str) -> None:
    url = mailto(subject, body, to="senator@example.senate.gov")
    parts = urlsplit(url)
    assert (parts.scheme, parts.path) == ("mailto", "senator@example.senate.gov")
    # RFC 6068: a line break in the body is CRLF.
    assert query(url) == {"subject": [subject], "body": [body.replace("\n", "\r\n")]}


def test_it_percent_encodes_mailto_the_rfc_6068_way() -> None:
    url = mailto("Vote no", "Line one\nLine two\r\nLine three")
    assert url == ("mailto:?subject=Vote%20no&body=Line%20one%0D%0ALine%20two%0D%0ALine%20three")
    assert "+" not in url


def test_it_keeps_a_plus_in_an_address() -> None:
    url = mailto("s", "b", to="a+b@example.com")
    assert urlsplit(url).path == "a%2Bb@example.com"


@pytest.mark.parametrize(
    ("subject", "body"), [("Vote no", "Dear Senator,\nPlease vote no."), (TRICKY, TRICKY)]
)
def test_it_opens_gmail_compose_with_the_letter(subject: str, body: str) -> None:
    url = gmail_compose(subject, body, to="a+b@example.com")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "mail.google.com", "/mail/")
    assert query(url) == {
        "view": ["cm"],
        "fs": ["1"],
        "to": ["a+b@example.com"],
        "su": [subject],
        "body": [body],
    }


@pytest.mark.parametrize(
    ("subject", "body"), [("Vote no", "Dear Senator,\nPlease vote no."), (TRICKY, TRICKY)]
)
def test_it_opens_outlook_compose_with_the_letter(subject: str, body: str) -> None:
    url = outlook_compose(subject, body, to="senator@example.senate.gov")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "outlook.live.com",
        "/mail/0/deeplink/compose",
    )
    assert query(url) == {
        "to": ["senator@example.senate.gov"],
        "subject": [subject],
        "body": [body],
    }


@pytest.mark.parametrize("build", [mailto, gmail_compose, outlook_compose])
def test_it_leaves_the_recipient_empty_when_there_is_none(build: Callable[[str, str], str]) -> None:
    url = build("s", "b")
    assert query(url).get("to", [""]) == [""]
    assert urlsplit(url).path in ("", "/mail/", "/mail/0/deeplink/compose")


def test_it_calls_a_compose_link_safe_up_to_2000_characters() -> None:
    assert SAFE_LINK_LENGTH == 2000
    assert is_safe_length("x" * 2000)
    assert not is_safe_length("x" * 2001)
    assert is_safe_length(mailto("Vote no", "Please vote no."))
    assert not is_safe_length(gmail_compose("Vote no", "Please vote no. " * 150))


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("202-224-3441", "tel:+12022243441"),
        ("(202) 224 3441 ext 5", "tel:+12022243441"),
        ("(202) 224-3441 x5", "tel:+12022243441"),
        ("202.224.3441", "tel:+12022243441"),
        ("2022243441", "tel:+12022243441"),
        ("1-202-224-3441", "tel:+12022243441"),
        ("+1 (202) 224-3441", "tel:+12022243441"),
    ],
)
def test_it_makes_a_tel_link_for_a_us_number(phone: str, expected: str) -> None:
    assert tel(phone) == expected


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "224-3441",  # no area code
        "202-224-34411",  # 11 digits not starting with 1
        "2-202-224-3441",
        "1-800-FLOWERS",
        "+44 20 7946 0958",  # not a US number
        "102-224-3441",  # no area code starts with 0 or 1
        "202-124-3441",  # nor does an exchange
        "call 202-224-3441",
    ],
)
def test_it_refuses_what_is_not_a_us_phone_number(phone: str) -> None:
    with pytest.raises(ValueError, match="not a US phone number"):
        tel(phone)
