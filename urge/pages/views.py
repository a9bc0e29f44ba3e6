"""The public campaign page, and the answer to its ZIP form: where campaigns, legislators,
actions and sign-ups meet."""

from collections.abc import Callable
from dataclasses import replace
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
from urge.actions.views import ACT_PAGE, EMBEDDED_ACT_PAGE, MAX_REF
from urge.bills.status import tracked_status
from urge.campaigns.facts import campaign_or_404, default_campaign, languages_of
from urge.campaigns.models import Campaign
from urge.campaigns.page import CampaignPage, campaign_page
from urge.core.caching import for_this_visitor_only, shared_by_everyone
from urge.core.csrf import sent_from_another_site
from urge.core.languages import Alternate, alternates
from urge.core.ratelimit import client_key
from urge.legislators.answers import page_context
from urge.legislators.forms import LookupForm
from urge.legislators.index import LookupIndex, index_holder
from urge.legislators.lookup import Answer, Status
from urge.sharing.counting import LOOKUP, count
from urge.sharing.referrals import known_ref, with_ref
from urge.sharing.tags import link_preview

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
            ref = known_ref(campaign, request.GET.get("ref", ""))
            return redirect(with_ref(reverse(url_name, kwargs=kwargs), ref))

    def languages() -> list[Alternate]:
        return alternates(request, url_name, kwargs, languages_of(campaign))

    if request.method == "POST":
        return answer_lookup(request, page, languages)
    ref = known_ref(campaign, request.GET.get("ref", ""))
    context = {
        "page": page,
        # The switcher keeps the referral; the canonical and hreflang links do not.
        "alternates": [replace(item, url=with_ref(item.url, ref)) for item in languages()],
        "page_alternates": languages(),
        "ref": ref,
        "link_preview": link_preview(campaign, ref),
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
    return f"{url}?{urlencode({'ref': ref[:MAX_REF]})}" if ref else url


def answer_lookup(
    request: HttpRequest,
    page: CampaignPage,
    languages: Callable[[], list[Alternate]],
    embedded: bool = False,
) -> HttpResponse:
    """A plain answer goes straight to the (cacheable) action page; one that needs a choice,
    a correction or a note is shown on a page of its own. `embedded`: asked from the compact
    page other sites frame (urge/pages/embed.py), so answered in its compact pages."""
    campaign = page.campaign
    ref = known_ref(campaign, referral(request))
    index = index_holder.get()
    fields = request.POST.copy()
    if not campaign.targets_house:
        # Senators need only the ZIP code: no street address goes anywhere.
        fields.pop("address", None)
    form = LookupForm(fields)
    answer = None
    if index is not None and form.is_valid():
        answer = form.answer(index, client_key(request))
    url = act_url(campaign, answer, index, embedded, ref) if answer and index else ""
    shown = page_context(answer, campaign.targets_house)
    if url and not sent_from_another_site(request.META):
        count(campaign, ref, LOOKUP)  # per referral code and day only: nothing of the answer
    if answer and url and _plain(answer, campaign, shown):
        return HttpResponseRedirect(url, status=303)
    context = {
        "page": page,
        "alternates": languages(),
        "lookup_form": form,
        "answer": answer,
        "index": index,
        "act_url": url,
        "campaign": campaign,
        "embedded": embedded,
        "ref": ref,
        **shown,
    }
    status = 429 if form.too_many_addresses else 200
    template = "pages/embed_find.html" if embedded else "pages/find.html"
    return for_this_visitor_only(render(request, template, context, status=status))


def referral(request: HttpRequest) -> str:
    """The referral code a lookup carries: a hidden field, or the query of the page it was
    sent from (its form posts back to that very URL)."""
    return (request.POST.get("ref") or request.GET.get("ref", ""))[:MAX_REF]


def _plain(answer: Answer, campaign: Campaign, shown: dict[str, Any]) -> bool:
    """Nothing to choose and nothing to say: the supporter's legislators are known."""
    if answer.status != Status.FOUND or shown.get("answer_messages"):
        return False
    if not campaign.targets_house:
        return True
    return answer.exact and all(seat.member for seat in answer.house)


def act_url(
    campaign: Campaign, answer: Answer, index: LookupIndex, embedded: bool = False, ref: str = ""
) -> str:
    """The action page for this answer's targets: Bioguide IDs and the state, nothing more
    about the person; and the referral code the lookup carried."""
    own = [*answer.senators, *(seat.member for seat in answer.house if seat.member)]
    targets = targets_for(rules_for(campaign), own, index, translation.get_language())
    if not targets:
        return ""
    query = [("t", ",".join(target.member.bioguide for target in targets))]
    if answer.state:
        query.append(("state", answer.state))
    if ref:
        query.append(("ref", ref))
    route = EMBEDDED_ACT_PAGE if embedded else ACT_PAGE
    return reverse(route, kwargs={"slug": campaign.slug}) + "?" + urlencode(query)
