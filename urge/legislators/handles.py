"""Social media handles and the other contact details organisers may add, checked per kind.

A handle ends up inside a post a supporter sends, so each platform's rule is strict:
anything that would not be a real mention there (a link, a space, a stray @) is refused
rather than passed on.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.utils.translation import gettext, gettext_lazy

from urge.legislators.phones import tel
from urge.legislators.records import LegislatorRecord
from urge.legislators.untrusted import is_web_url

# The contact details an organiser may add or correct, in the order pages show them.
X, BLUESKY, THREADS, MASTODON, CONTACT_FORM, PHONE = (
    "x",
    "bluesky",
    "threads",
    "mastodon",
    "contact_form",
    "phone",
)
FIELDS = (X, BLUESKY, THREADS, MASTODON, CONTACT_FORM, PHONE)
PLATFORMS = (X, BLUESKY, THREADS, MASTODON)

# The LegislatorRecord attribute holding each detail (the data calls X "twitter").
ATTRIBUTES = {
    X: "twitter",
    BLUESKY: "bluesky",
    THREADS: "threads",
    MASTODON: "mastodon",
    CONTACT_FORM: "contact_form",
    PHONE: "phone",
}

LABELS = {
    X: gettext_lazy("X handle"),
    BLUESKY: gettext_lazy("Bluesky handle"),
    THREADS: gettext_lazy("Threads handle"),
    MASTODON: gettext_lazy("Mastodon handle"),
    CONTACT_FORM: gettext_lazy("contact form"),
    PHONE: gettext_lazy("phone number"),
}


class InvalidContact(ValueError):
    """A value that is not a valid detail of its kind; the message says what is expected."""


def _x(value: str) -> str:
    handle = value.removeprefix("@")
    if not _X.fullmatch(handle):
        raise InvalidContact(
            gettext("An X handle is 1 to 15 letters, digits or underscores, such as @PattyMurray.")
        )
    return handle


def _bluesky(value: str) -> str:
    handle = value.removeprefix("@").lower()
    if not _is_domain(handle):
        raise InvalidContact(
            gettext("A Bluesky handle is a domain name, such as @name.bsky.social.")
        )
    return handle


def _threads(value: str) -> str:
    handle = value.removeprefix("@").lower()
    if not _INSTAGRAM.fullmatch(handle) or ".." in handle or handle.endswith("."):
        raise InvalidContact(
            gettext(
                "A Threads handle is its Instagram user name: 1 to 30 letters, digits, "
                "underscores or inner full stops, such as @pattymurray."
            )
        )
    return handle


def _mastodon(value: str) -> str:
    user, at, server = value.removeprefix("@").partition("@")
    if not at or not _MASTODON_USER.fullmatch(user) or not _is_domain(server.lower()):
        raise InvalidContact(
            gettext(
                "A Mastodon handle names the account and its server, such as "
                "@senator@mastodon.social."
            )
        )
    return f"{user}@{server.lower()}"


def _contact_form(value: str) -> str:
    if not value.startswith("https://") or not is_web_url(value):
        raise InvalidContact(gettext("A contact form is a web address starting with https://."))
    return value


def _phone(value: str) -> str:
    try:
        tel(value)
    except ValueError:
        raise InvalidContact(
            gettext("A phone number is a US number, such as 202-224-2621.")
        ) from None
    return value


CHECKS: dict[str, Callable[[str], str]] = {
    X: _x,
    BLUESKY: _bluesky,
    THREADS: _threads,
    MASTODON: _mastodon,
    CONTACT_FORM: _contact_form,
    PHONE: _phone,
}


def clean(field: str, value: str) -> str:
    """The value as stored (handles without their leading @), or InvalidContact."""
    value = value.strip()
    if not value:
        raise InvalidContact(gettext("The %(what)s is empty.") % {"what": LABELS[field]})
    if len(value) > MAX_LENGTH:
        raise InvalidContact(
            gettext("The %(what)s is longer than %(most)d characters.")
            % {"what": LABELS[field], "most": MAX_LENGTH}
        )
    return CHECKS[field](value)


def is_valid(field: str, value: str) -> bool:
    try:
        clean(field, value)
    except InvalidContact:
        return False
    return True


def handle_on(member: LegislatorRecord, platform: str | None) -> str:
    """The member's handle on `platform` without its leading @ ("user@server" on Mastodon),
    or "" where there is none or what the data holds is not a valid handle there."""
    if platform not in PLATFORMS:
        return ""
    value = str(getattr(member, ATTRIBUTES[platform]))
    try:
        return clean(platform, value) if value else ""
    except InvalidContact:
        return ""


def clean_date(value: object) -> datetime.date:
    """A date a source was checked: a date, or text in the form 2026-01-31; not in the future
    (beyond tomorrow, for time zones)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidContact(gettext("A date is written as 2026-01-31.")) from None
    if not isinstance(value, datetime.date):
        raise InvalidContact(gettext("A date is written as 2026-01-31."))
    if value > datetime.date.today() + datetime.timedelta(days=1):
        raise InvalidContact(gettext("The date is in the future."))
    return value


MAX_LENGTH = 300
_X = re.compile(r"\w{1,15}", re.ASCII)
_INSTAGRAM = re.compile(r"[a-z0-9_](?:[a-z0-9_.]{0,29})", re.ASCII)
_MASTODON_USER = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?", re.ASCII)
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.ASCII)


def _is_domain(name: str) -> bool:
    """A host name of two labels or more whose last starts with a letter (atproto's rule for
    handles, which also keeps IP addresses out)."""
    labels = name.split(".")
    return (
        len(name) <= 253
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and labels[-1][0].isalpha()
    )
