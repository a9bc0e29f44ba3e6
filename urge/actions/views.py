"""The action page, and the one endpoint every send, copy and call outcome goes through."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from urge.actions.links import (
    bluesky_intent,
    gmail_compose,
    mailto,
    mastodon_share,
    outlook_compose,
    threads_intent,
    x_intent,
)
from urge.actions.messages import context_for
from urge.actions.models import Channel
from urge.actions.panels import Panel, build_panel
from urge.actions.recording import record
from urge.actions.targets import rules_for, targets_for
from urge.campaigns.facts import campaign_or_404, wordings
from urge.campaigns.models import Campaign
from urge.core.ratelimit import Limit, client_key, hit
from urge.legislators.index import LookupIndex, index_holder
from urge.legislators.records import LegislatorRecord
from urge.legislators.states import STATE_NAMES

# The query of an action page: the targets (t=A,B), the state and the chosen wordings;
# nothing about the person.
PAGE_PARAMS = ("t", "state", "post", "email", "call")
MAX_TARGETS = 5


@require_GET
def act(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    index = index_holder.get()
    if index is None:
        return render(request, "actions/no_data.html", {"campaign": campaign}, status=503)
    own = [
        index.members[bioguide]
        for bioguide in request.GET.get("t", "").split(",")[:MAX_TARGETS]
        if bioguide in index.members
    ]
    state = request.GET.get("state", "")
    context = {
        "campaign": campaign,
        "panels": panels_for(request, campaign, index, own, state if state in STATE_NAMES else ""),
        "page_query": page_query(request.GET),
        "page_params": [(name, request.GET[name]) for name in PAGE_PARAMS if name in request.GET],
        "done": request.GET.get("done", ""),
        "done_for": request.GET.get("done_for", ""),
    }
    return render(request, "actions/act.html", context)


def panels_for(
    request: HttpRequest,
    campaign: Campaign,
    index: LookupIndex,
    own: list[LegislatorRecord],
    supporter_state: str,
) -> list[Panel]:
    language = translation.get_language()
    targets = targets_for(rules_for(campaign), own, index, language)
    campaign_url = request.build_absolute_uri(
        reverse("urge-campaign", kwargs={"slug": campaign.slug})
    )
    message_context = context_for(campaign, campaign_url, supporter_state)
    templates = list(campaign.templates.all())
    chosen = {channel: request.GET.get(channel, "") for channel in ("post", "email", "call")}
    return [build_panel(target, templates, message_context, language, chosen) for target in targets]


def page_query(params: Any) -> str:
    """The action page's own query, rebuilt from known parameters only."""
    return urlencode([(name, params[name]) for name in PAGE_PARAMS if name in params])


@csrf_exempt  # counts are anonymous and change nothing a visitor owns; no cookie is needed
@require_POST
def go(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
    index = index_holder.get()
    try:
        channel = Channel(request.POST.get("channel", ""))
    except ValueError:
        return HttpResponseBadRequest("Unknown channel.")
    member = index.members.get(request.POST.get("target", "")) if index else None
    if member is None:
        return HttpResponseBadRequest("Unknown target.")
    variant = request.POST.get("variant", "")
    if (channel.kind, variant) not in wordings(campaign.pk):
        return HttpResponseBadRequest("Unknown wording.")
    try:
        destination = _destination(request, campaign, channel, member)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    if counts(request):
        record(campaign, channel, member.bioguide, variant, member.state)
    if "application/json" in request.headers.get("Accept", ""):
        return HttpResponse(status=204)
    if destination.startswith("/"):
        return HttpResponseRedirect(destination, status=303)
    # The page's Content-Security-Policy allows forms to post only to this site, and browsers
    # apply that to a redirect after the post too: so the way out is a page that moves on.
    return render(request, "actions/going.html", {"destination": destination})


def counts(request: HttpRequest) -> bool:
    """Whether this action goes into the totals. Posts another site makes a browser send, and
    floods from one connection, still reach their destination; they just are not counted."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    return hit(Limit.from_setting("action", "URGE_RATE_ACTION"), client_key(request))


def _destination(request: HttpRequest, campaign: Campaign, channel: Channel, member: Any) -> str:
    text = request.POST.get("text", "")
    subject = request.POST.get("subject", "")
    instance = request.POST.get("instance", "").strip().lower() or None
    builders = {
        Channel.POST_X: lambda: x_intent(text),
        Channel.POST_BLUESKY: lambda: bluesky_intent(text),
        Channel.POST_THREADS: lambda: threads_intent(text),
        Channel.POST_MASTODON: lambda: mastodon_share(text, instance),
        Channel.EMAIL_MAILTO: lambda: mailto(subject, text),
        Channel.EMAIL_GMAIL: lambda: gmail_compose(subject, text),
        Channel.EMAIL_OUTLOOK: lambda: outlook_compose(subject, text),
    }
    if channel in builders:
        if not text.strip():
            raise ValueError("The message is empty.")
        return builders[channel]()
    if channel == Channel.EMAIL_FORM:
        if not member.contact_form:
            raise ValueError("This legislator has no contact form.")
        return str(member.contact_form)
    back = reverse("urge-act", kwargs={"slug": campaign.slug})
    done = urlencode({"done": channel.value, "done_for": member.bioguide})
    query = "&".join(part for part in (page_query(request.POST), done) if part)
    return f"{back}?{query}#target-{member.bioguide}"
