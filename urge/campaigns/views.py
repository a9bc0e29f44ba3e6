"""The public campaign page."""

from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urge.actions.recording import totals
from urge.actions.targets import rules_for, targets_for
from urge.campaigns.facts import campaign_or_404, default_campaign, languages_of
from urge.campaigns.models import Campaign
from urge.campaigns.page import campaign_page
from urge.core.languages import alternates
from urge.core.microcache import cache_briefly
from urge.legislators.answers import page_context
from urge.legislators.forms import LookupForm
from urge.legislators.index import LookupIndex, index_holder
from urge.legislators.lookup import Answer
from urge.supporters.views import is_open, signup_form

# The ZIP form posts back to the page it is on. It changes nothing, so it needs no CSRF
# token, and without one the page sets no cookie at all.
page_view = require_http_methods(["GET", "HEAD", "POST"])


@csrf_exempt
@page_view
def home(request: HttpRequest) -> HttpResponse:
    campaign = default_campaign()
    if campaign is None:
        return render(request, "campaigns/no_campaign.html", status=404)
    return _render_campaign(request, campaign, "urge-home", {})


@csrf_exempt
@page_view
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    found = campaign_or_404(slug)
    return _render_campaign(request, found, "urge-campaign", {"slug": slug})


def _render_campaign(
    request: HttpRequest, campaign: Campaign, url_name: str, kwargs: dict[str, str]
) -> HttpResponse:
    language = translation.get_language()
    page = campaign_page(campaign, language)
    if page is None:
        # Not written in this language: send the reader to the site's own language.
        with translation.override(settings.LANGUAGE_CODE):
            return redirect(reverse(url_name, kwargs=kwargs))
    context = {
        "page": page,
        "alternates": alternates(request, url_name, kwargs, languages_of(campaign)),
        "signup_open": is_open(campaign),
        # Built only when the page's cached parts are rendered again, not on every request.
        "signup_form": partial(signup_form, campaign, request),
        **_lookup(request, campaign),
    }
    response = render(request, "campaigns/campaign.html", context)
    # The page as first shown is the same for everyone; an answer to a lookup is not.
    if request.method == "GET":
        cache_briefly(response, settings.URGE_PAGE_CACHE_SECONDS)
    return response


def _lookup(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    index = index_holder.get()
    form = LookupForm(request.POST if request.method == "POST" else None)
    answer = form.answer(index) if index is not None and form.is_valid() else None
    return {
        "lookup_form": form,
        "answer": answer,
        "index": index,
        "act_url": act_url(campaign, answer, index) if answer and index else "",
        "totals": totals(campaign),
        **page_context(answer, campaign.targets_house),
    }


def act_url(campaign: Campaign, answer: Answer, index: LookupIndex) -> str:
    """The action page for this answer's targets: Bioguide IDs and the state, nothing more."""
    own = [*answer.senators, *(seat.member for seat in answer.house if seat.member)]
    targets = targets_for(rules_for(campaign), own, index, translation.get_language())
    if not targets:
        return ""
    query = [("t", ",".join(target.member.bioguide for target in targets))]
    if answer.state:
        query.append(("state", answer.state))
    return reverse("urge-act", kwargs={"slug": campaign.slug}) + "?" + urlencode(query)
