"""The action, compact, for other sites to show in a frame: the lookup, then the action page.

These are routes of their own (/c/<slug>/embed/ and /c/<slug>/embed/act/), not a parameter
on the full pages, because both what they look like and who may frame them belong to the
address: each URL is one entry in the HTTP cache (urge/core/httpcache.py), so a compact page
and a full one never share an entry, and only these routes carry the campaign's
`frame-ancestors`; every other page keeps `'none'` and X-Frame-Options: DENY.

What they show comes from their URL alone, the co-host's `?ref=` included (carried on in
links and hidden fields, so the cache keys it too). They set no cookie, load nothing from
another origin, and their one script (static/embed/frame.js) tells the page around them
their height and nothing else.
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from urge.actions.views import action_page
from urge.campaigns.facts import campaign_or_404, languages_of
from urge.campaigns.models import Campaign
from urge.campaigns.page import campaign_page
from urge.core.caching import shared_by_everyone
from urge.core.csp import may_be_framed_by
from urge.core.languages import Alternate, alternates
from urge.legislators.forms import LookupForm
from urge.legislators.index import index_holder
from urge.pages.views import answer_lookup, page_view
from urge.sharing.referrals import known_ref, with_ref

LOOKUP_PAGE = "urge-embed"


@csrf_exempt  # as the campaign page's ZIP form: it changes nothing, so it needs no cookie
@page_view
def lookup(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
    page = campaign_page(campaign, translation.get_language())
    ref = known_ref(campaign, request.GET.get("ref", ""))  # an unknown code is dropped
    if page is None:
        # Not written in this language: the site's own, with the same referral.
        with translation.override(settings.LANGUAGE_CODE):
            return framed(HttpResponseRedirect(lookup_url(campaign, ref)), campaign)

    def languages() -> list[Alternate]:
        found = alternates(request, LOOKUP_PAGE, {"slug": slug}, languages_of(campaign))
        return [replace(item, url=with_ref(item.url, ref)) for item in found]

    if request.method == "POST":
        return framed(answer_lookup(request, page, languages, embedded=True), campaign)
    context = {
        "page": page,
        "campaign": campaign,
        "alternates": languages(),
        "embedded": True,
        "ref": ref,
        "lookup_form": LookupForm(),
        "index": index_holder.get(),
    }
    # The same for everyone who asks for this URL: the referral is in its query string.
    return framed(shared_by_everyone(render(request, "pages/embed.html", context)), campaign)


@require_GET
def act(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
    return framed(action_page(request, campaign, "pages/embed_act.html", embedded=True), campaign)


def framed(response: HttpResponse, campaign: Campaign) -> HttpResponse:
    may_be_framed_by(response, list(campaign.embed_origins))
    return response


def lookup_url(campaign: Campaign, ref: str = "") -> str:
    """The compact lookup page, in the active language, with the referral code if any."""
    return with_ref(reverse(LOOKUP_PAGE, kwargs={"slug": campaign.slug}), ref)
