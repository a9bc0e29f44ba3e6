"""Signed links in supporters' emails: confirm (expiring), leave a co-host's list, erase.

A link names the supporter by their random `ref`, never by row id or email address, and is
signed with SECRET_KEY and a salt per purpose, so a link for one purpose cannot be used for
another. Opening a link changes nothing: each leads to a page whose button does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CONFIRM = "urge.supporters.confirm"
UNSUBSCRIBE = "urge.supporters.unsubscribe"
ERASE = "urge.supporters.erase"

# Leaving every co-host's list at once, as the List-Unsubscribe header asks. No slug can
# be this, and mail apps keep "~" inside the links they detect.
ALL_COHOSTS = "~all"
# Between the supporter's ref and a co-host's slug: neither holds a dot, and a dot keeps
# the token one path segment.
SEPARATOR = "."


@dataclass(frozen=True)
class LinkTarget:
    ref: str
    cohost: str = ""  # a co-host's slug, ALL_COHOSTS, or empty when the purpose has none
    submission: str = ""  # a confirm link's own submission: it confirms that one alone


def make_token(purpose: str, target: LinkTarget) -> str:
    extra = target.submission if purpose == CONFIRM else target.cohost
    value = f"{target.ref}{SEPARATOR}{extra}" if extra else target.ref
    return signing.TimestampSigner(salt=purpose).sign(value)


def read_token(purpose: str, token: str) -> LinkTarget | None:
    """The supporter (and co-host) a token names, or None if forged, mangled or expired."""
    max_age = timedelta(days=settings.URGE_CONFIRM_LINK_DAYS) if purpose == CONFIRM else None
    try:
        value = signing.TimestampSigner(salt=purpose).unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    ref, _dot, extra = value.partition(SEPARATOR)
    if purpose == CONFIRM:
        return LinkTarget(ref=ref, submission=extra)
    return LinkTarget(ref=ref, cohost=extra)


_URL_NAMES = {
    CONFIRM: "urge-confirm",
    UNSUBSCRIBE: "urge-unsubscribe",
    ERASE: "urge-erase",
}


def absolute_link(purpose: str, target: LinkTarget, slug: str, language: str) -> str:
    """The full URL of a link page, in the supporter's language."""
    with translation.override(language):
        path = reverse(_URL_NAMES[purpose], args=[slug, make_token(purpose, target)])
    return settings.URGE_SITE_URL.rstrip("/") + path
