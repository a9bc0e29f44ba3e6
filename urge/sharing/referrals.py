"""Which `ref` values a campaign knows: its co-hosts' slugs and the codes organisers made.

A ref travels in URLs and hidden fields (the campaign page, the lookup, the action page and
its forms, the sign-up form, the embed). Anyone can type one, so it is checked against these
before it is counted or carried on: an unknown ref counts nowhere and is dropped.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from urge.campaigns.models import Campaign, CoHost
from urge.core.memo import per_version
from urge.sharing.models import ReferralCode

MAX_LENGTH = 64


@per_version
def known_codes(campaign: Campaign) -> frozenset[str]:
    """Every ref the campaign counts. A new code or co-host makes a new campaign version
    (urge/sharing/signals.py), so this is read once per version and process."""
    cohosts = CoHost.objects.filter(campaign=campaign).values_list("slug", flat=True)
    codes = ReferralCode.objects.filter(campaign=campaign).values_list("code", flat=True)
    return frozenset([*cohosts, *codes])


def known_ref(campaign: Campaign, ref: object) -> str:
    """`ref` when it names one of the campaign's codes, else ""."""
    if not isinstance(ref, str) or not ref or len(ref) > MAX_LENGTH:
        return ""
    return ref if ref in known_codes(campaign) else ""


def with_ref(path: str, ref: str) -> str:
    """`path` with `?ref=` added when there is a code to carry."""
    return f"{path}?{urlencode({'ref': ref})}" if ref else path


def site_url(path: str) -> str:
    """An absolute URL on the site's public address (URGE_SITE_URL), whatever Host the
    request came with: what link previews and shared links must name."""
    return settings.URGE_SITE_URL.rstrip("/") + path


def campaign_link(campaign: Campaign, ref: str = "") -> str:
    """The campaign page's public address in the active language, with the code if any."""
    return site_url(with_ref(reverse("urge-campaign", kwargs={"slug": campaign.slug}), ref))
