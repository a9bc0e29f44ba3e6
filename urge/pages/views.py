"""The public campaign page, and the answer to its ZIP form: where campaigns, legislators,
actions and sign-ups meet."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urge.actions.recording import totals
from urge.actions.targets import rules_for, targets_for
from urge.bills.status import tracked_status
from urge.campaigns.facts import campaign_or_404, default_campaign, languages_of
from urge.campaigns.models import Campaign
from urge.campaigns.page import CampaignPage, campaign_page
from urge.core.caching import for_this_visitor_only, shared_by_everyone
from urge.core.languages import Alternate, alternates
from urge.core.ratelimit import client_key
from urge.legislators.answers import page_context
from urge.legislators.forms import LookupForm
from urge.legislators.index import LookupIndex, index_holder
from urge.legislators.lookup import Answer, Status

# The ZIP form posts back to the page it is on. It changes nothing, so it needs no CSRF
# token, and without one the page sets no cookie at all.
page_view = require_http_methods(["GET", "HEAD", "POST"])


@csrf_exempt
@page_view
def home(request: HttpRequest) -> HttpResponse:
    campaign = default_campaign()
    if campaign is None:
        return render(request, "pages/no_campaign.html", status=404)
    return _campaign_or_answer(request, campaign, "urge-home", {})


@csrf_exempt
@page_view
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    found = campaign_or_404(slug)
    return _campaign_or_answer(request, found, "urge-campaign", {"slug": slug})


def _campaign_or_answer(
    request: HttpRequest, campaign: Campaign, url_name: str, kwargs: dict[str, str]
) -> HttpResponse:
    page = campaign_page(campaign, translation.get_language())
    if page is None:
        # Not written in this language: send the reader to the site's own language.
        with translation.override(settings.LANGUAGE_CODE):
            return redirect(reverse(url_name, kwargs=kwargs))

    def languages() -> list[Alternate]:
        return alternates(request, url_name, kwargs, languages_of(campaign))

    if request.method == "POST":
        return _answer(request, page, languages)
    context = {
        "page": page,
        "alternates": languages(),
        "signup_open": campaign.is_open(),
        "join_url": join_url(campaign, request.GET.get("ref", "")),
        "lookup_form": LookupForm(),
        "index": index_holder.get(),
        "totals": totals(campaign),
        "tracked": tracked_status(campaign),
    }
    # The same for everyone who asks for this URL: the referral is in its query string.
    return shared_by_everyone(render(request, "pages/campaign.html", context))


def join_url(campaign: Campaign, ref: str) -> str:
    """The sign-up page, carrying the campaign page's referral code if it has one."""
    url = reverse("urge-join", kwargs={"slug": campaign.slug})
    return f"{url}?{urlencode({'ref': ref[:64]})}" if ref else url


def _answer(
    request: HttpRequest, page: CampaignPage, languages: Callable[[], list[Alternate]]
) -> HttpResponse:
    """A plain answer goes straight to the (cacheable) action page; one that needs a choice,
    a correction or a note is shown on a page of its own."""
    campaign = page.campaign
    index = index_holder.get()
    fields = request.POST.copy()
    if not campaign.targets_house:
        # Senators need only the ZIP code: no street address goes anywhere.
        fields.pop("address", None)
    form = LookupForm(fields)
    answer = None
    if index is not None and form.is_valid():
        answer = form.answer(index, client_key(request))
    url = act_url(campaign, answer, index) if answer and index else ""
    shown = page_context(answer, campaign.targets_house)
    if answer and url and _plain(answer, campaign, shown):
        return HttpResponseRedirect(url, status=303)
    context = {
        "page": page,
        "alternates": languages(),
        "lookup_form": form,
        "answer": answer,
        "index": index,
        "act_url": url,
        **shown,
    }
    status = 429 if form.too_many_addresses else 200
    return for_this_visitor_only(render(request, "pages/find.html", context, status=status))


def _plain(answer: Answer, campaign: Campaign, shown: dict[str, Any]) -> bool:
    """Nothing to choose and nothing to say: the supporter's legislators are known."""
    if answer.status != Status.FOUND or shown.get("answer_messages"):
        return False
    if not campaign.targets_house:
        return True
    return answer.exact and all(seat.member for seat in answer.house)


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
