"""The links a supporter's browser opens to post or write: built here, never fetched here.

Phone (tel:) links are built in urge/legislators/phones.py."""

from __future__ import annotations

import re
from urllib.parse import quote

SAFE_LINK_LENGTH = 2000  # longer compose links get cut by some clients


def x_intent(text: str) -> str:
    return f"https://x.com/intent/tweet?text={_encode(text)}"


def bluesky_intent(text: str) -> str:
    return f"https://bsky.app/intent/compose?text={_encode(text)}"


def threads_intent(text: str) -> str:
    return f"https://www.threads.com/intent/post?text={_encode(text)}"


def mastodon_share(text: str, instance: str | None = None) -> str:
    """The share page of the person's own server, or without one the page that asks for it.

    `instance` is a bare host name such as mastodon.social; anything else (a scheme, a
    path, a port, an account) raises ValueError rather than send the text elsewhere.
    """
    if instance is None:
        return f"https://share.joinmastodon.org/?text={_encode(text)}"
    if not _is_host_name(instance):
        raise ValueError(f"{instance!r} is not a server name such as mastodon.social")
    return f"https://{instance}/share?text={_encode(text)}"


def facebook_share(url: str) -> str:
    """Facebook's sharer takes a link only: the post's picture and words come from the
    page's link-preview tags (urge/sharing/tags.py)."""
    return f"https://www.facebook.com/sharer/sharer.php?u={_encode(url)}"


def whatsapp_share(text: str) -> str:
    return f"https://wa.me/?text={_encode(text)}"


def telegram_share(url: str, text: str) -> str:
    return f"https://t.me/share/url?url={_encode(url)}&text={_encode(text)}"


def mailto(subject: str, body: str, to: str = "") -> str:
    """A mailto: link (RFC 6068): spaces as %20, line breaks in the body as %0D%0A."""
    return f"mailto:{_address(to)}?subject={_encode(subject)}&body={_encode(_crlf(body))}"


def gmail_compose(subject: str, body: str, to: str = "") -> str:
    return (
        f"https://mail.google.com/mail/?view=cm&fs=1&to={_address(to)}"
        f"&su={_encode(subject)}&body={_encode(body)}"
    )


def outlook_compose(subject: str, body: str, to: str = "") -> str:
    return (
        f"https://outlook.live.com/mail/0/deeplink/compose?to={_address(to)}"
        f"&subject={_encode(subject)}&body={_encode(body)}"
    )


def is_safe_length(url: str) -> bool:
    return len(url) <= SAFE_LINK_LENGTH


def _encode(value: str) -> str:
    # Nothing left as is, so that &, #, +, %, line breaks and emoji arrive as written.
    return quote(value, safe="")


def _address(to: str) -> str:
    # @ and the comma between addresses may stay; a + in an address must not become a space.
    return quote(to, safe="@,")


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def _is_host_name(name: str) -> bool:
    labels = name.split(".")
    return (
        len(name) <= _MAX_HOST_LENGTH
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        # A top-level domain is never all digits: that would be an IP address.
        and not labels[-1].isdigit()
    )


_MAX_HOST_LENGTH = 253
# Letters, digits and inner hyphens, at most 63: one label of a host name (ASCII; an
# internationalised name is written in its xn-- form).
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
