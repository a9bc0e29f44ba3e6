"""The co-host's snippet: the HTML that puts the campaign's action on its own website, with
its referral code in it, and a preview of what its visitors will see.

The snippet names this site by URGE_SITE_URL and its script by an address without a
fingerprint (/static/embed/urge-embed.js), so that a snippet pasted once keeps working
after the site is upgraded. The preview is the embed page itself, in a frame on this page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode, urljoin, urlsplit

from csp.constants import SELF
from csp.decorators import csp_update
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from urge.campaigns.facts import languages_of
from urge.campaigns.models import Campaign, CoHost
from urge.campaigns.names import campaign_title, cohost_name
from urge.core.languages import language_tag
from urge.dashboard.access import Access, Refused, staff_verified

HOST_SCRIPT = "embed/urge-embed.js"
# Tall enough for the lookup and the first legislator; the script fits it to the page.
HEIGHT = 760


@dataclass(frozen=True)
class Snippet:
    language: str  # the BCP 47 tag
    name: str  # the language's own name
    url: str  # the embed page, with the co-host's referral
    html: str  # what the co-host pastes (plain text: the template escapes it for display)


def site_address(path: str) -> str:
    """`path` on this site, as visitors reach it (URGE_SITE_URL)."""
    return urljoin(settings.URGE_SITE_URL.rstrip("/") + "/", path)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def snippets(campaign: Campaign, cohost: CoHost) -> list[Snippet]:
    """One snippet per language the campaign is written in."""
    script = site_address(settings.STATIC_URL + HOST_SCRIPT)
    found = []
    for code in languages_of(campaign):
        with translation.override(code):
            path = reverse("urge-embed", kwargs={"slug": campaign.slug})
        url = site_address(path) + "?" + urlencode({"ref": cohost.slug})
        html = snippet_html(url, campaign_title(campaign, code), script)
        name = translation.get_language_info(code)["name_local"]
        found.append(Snippet(language_tag(code), name, url, html))
    return found


def snippet_html(url: str, title: str, script: str) -> str:
    """The frame and the script that fits it. Its size is in attributes, not only in a style,
    so that a page whose policy refuses inline styles still gives it room; `clipboard-write`
    lets the letter's copy button work inside the frame."""
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="{HEIGHT}" '
        'style="border: 0" allow="clipboard-write" loading="lazy"></iframe>\n'
        f'<script src="{escape(script)}" async></script>'
    )


def cohost_for(access: Access, slug: str) -> CoHost:
    """A co-host whose snippet this person may see: their own, or any for an organiser (a
    snippet holds nobody's details). 404 otherwise, as for one that does not exist."""
    for cohost in access.counted_cohosts():
        if cohost.slug == slug:
            return cohost
    raise Refused(access.campaign.cohosts.filter(slug=slug).first())


@require_GET
@csp_update({"frame-src": [SELF]})  # the preview; every other dashboard page frames nothing
@staff_verified
def embed(request: HttpRequest, access: Access, cohost_slug: str) -> HttpResponse:
    cohost = cohost_for(access, cohost_slug)
    language = translation.get_language()
    preview = reverse("urge-embed", kwargs={"slug": access.campaign.slug})
    website = origin_of(cohost.url)
    context = {
        "access": access,
        "cohost": cohost,
        "name": cohost_name(cohost, language),
        "snippets": snippets(access.campaign, cohost),
        "origins": list(access.campaign.embed_origins),
        "website": website,
        "listed": website in access.campaign.embed_origins,
        "preview": f"{preview}?{urlencode({'ref': cohost.slug})}",
        "title": campaign_title(access.campaign, language),
        "host_script": HOST_SCRIPT,
    }
    return render(request, "dashboard/embed.html", context)
