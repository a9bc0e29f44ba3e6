"""The action page, and the one endpoint every send, copy and call outcome goes through."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from urge.actions.links import bluesky_intent, mastodon_share, threads_intent, x_intent
from urge.actions.messages import NAME_BLANK, TOWN_BLANK, context_for
from urge.actions.models import Channel
from urge.actions.panels import Panel, build_panel, in_order
from urge.actions.recording import record
from urge.actions.targets import rules_for, targets_for
from urge.campaigns.facts import campaign_or_404, languages_of, templates_of, wordings
from urge.campaigns.models import Campaign
from urge.campaigns.page import campaign_page
from urge.core.caching import shared_by_everyone
from urge.core.csrf import sent_from_another_site, sent_from_this_site
from urge.core.languages import Alternate, alternates
from urge.core.ratelimit import address_key, hit, limit
from urge.legislators.index import LookupIndex, index_holder
from urge.legislators.records import LegislatorRecord
from urge.legislators.states import STATE_NAMES

# The query of an action page: the targets (t=A,B), the state and the chosen wordings;
# nothing about the person.
PAGE_PARAMS = ("t", "state", "post", "email", "call")
MAX_TARGETS = 5
# What the page says after a call: the outcome and whose call it was.
OUTCOME_PARAMS = ("done", "done_for")


@require_GET
def act(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
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
        "campaign_title": campaign_title(campaign),
        "alternates": in_other_languages(request, campaign),
        "name_blank": NAME_BLANK,
        "town_blank": TOWN_BLANK,
        "panels": panels_for(request, campaign, index, own, state if state in STATE_NAMES else ""),
        "page_query": page_query(request.GET),
        "page_params": [(name, request.GET[name]) for name in PAGE_PARAMS if name in request.GET],
        "done": request.GET.get("done", ""),
        "done_for": request.GET.get("done_for", ""),
    }
    # Everything it shows comes from its URL: the same page for everyone who asks for it.
    return shared_by_everyone(render(request, "actions/act.html", context))


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
    templates = templates_of(campaign)
    chosen = {channel: request.GET.get(channel, "") for channel in ("post", "email", "call")}
    return in_order(
        [build_panel(target, templates, message_context, language, chosen) for target in targets]
    )


def campaign_title(campaign: Campaign) -> str:
    """The campaign's title in the page's language, else in the site's."""
    page = campaign_page(campaign, translation.get_language())
    page = page or campaign_page(campaign, settings.LANGUAGE_CODE)
    return page.text.title if page else campaign.slug


def in_other_languages(request: HttpRequest, campaign: Campaign) -> list[Alternate]:
    """The language switcher's links: this page with the same query (rebuilt from known
    parameters only) in each language the campaign is written in."""
    names = (*PAGE_PARAMS, *OUTCOME_PARAMS)
    query = urlencode([(name, request.GET[name]) for name in names if name in request.GET])
    found = alternates(request, "urge-act", {"slug": campaign.slug}, languages_of(campaign))
    return [replace(item, url=f"{item.url}?{query}" if query else item.url) for item in found]


def page_query(params: Any) -> str:
    """The action page's own query, rebuilt from known parameters only."""
    return urlencode([(name, params[name]) for name in PAGE_PARAMS if name in params])


@csrf_exempt  # counts are anonymous and change nothing a visitor owns; no cookie is needed
@require_POST
def go(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
    try:
        checked = check_action(
            campaign, index_holder.get(), request.POST, own_page=sent_from_this_site(request)
        )
    except ActionRefused as refusal:
        return HttpResponseBadRequest(str(refusal), content_type="text/plain; charset=utf-8")
    counted = counts(request.META)
    if counted:
        record(
            campaign,
            checked.channel,
            checked.member.bioguide,
            checked.variant,
            checked.member.state,
        )
    if "application/json" in request.headers.get("Accept", ""):
        return HttpResponse(status=204)
    if checked.destination.startswith("/"):
        return HttpResponseRedirect(checked.destination, status=303)
    # The page's Content-Security-Policy allows forms to post only to this site, and browsers
    # apply that to a redirect after the post too: so the way out is a page that moves on.
    return going(request, checked.destination, counted)


def going(request: HttpRequest, destination: str, counted: bool) -> HttpResponse:
    """The page on the way out. It names where it leads, and claims a count only when there
    was one. Sent here by another site's page, the visitor moves on only by pressing the
    button: this site must not bounce people onward for whoever made their browser post."""
    context = {
        "destination": destination,
        "host": urlsplit(destination).hostname or "",  # none for mailto:
        "counted": counted,
        "moves_on": not sent_from_another_site(request.META),
    }
    return render(request, "actions/going.html", context)


class ActionRefused(ValueError):
    """What was posted cannot be counted honestly; the message says why."""


@dataclass(frozen=True)
class CheckedAction:
    channel: Channel
    member: LegislatorRecord
    variant: str
    destination: str


def check_action(
    campaign: Campaign, index: LookupIndex | None, fields: Mapping[str, str], own_page: bool
) -> CheckedAction:
    """The action a post describes, with where it sends the person; ActionRefused if unsound.

    Only a post from this site's own page (`own_page`) may name a Mastodon server: any other
    could send visitors through this site to a host of its choosing."""
    try:
        channel = Channel(fields.get("channel", ""))
    except ValueError:
        raise ActionRefused("Unknown channel.") from None
    member = index.members.get(fields.get("target", "")) if index else None
    if member is None:
        raise ActionRefused("Unknown target.")
    variant = fields.get("variant", "")
    if (channel.kind, variant) not in wordings(campaign):
        raise ActionRefused("Unknown wording.")
    try:
        destination = _destination(campaign, channel, member, fields, own_page)
    except ValueError as error:
        raise ActionRefused(str(error)) from None
    return CheckedAction(channel, member, variant, destination)


def counts(meta: Mapping[str, Any]) -> bool:
    """Whether this action goes into the totals. Posts another site makes a browser send, and
    floods from one connection, still reach their destination; they just are not counted."""
    if sent_from_another_site(meta):
        return False
    return hit(limit("action"), address_key(meta))


COMPOSE_CHANNELS = frozenset({Channel.EMAIL_MAILTO, Channel.EMAIL_GMAIL, Channel.EMAIL_OUTLOOK})


def _destination(
    campaign: Campaign, channel: Channel, member: Any, fields: Mapping[str, str], own_page: bool
) -> str:
    text = fields.get("text", "")
    # Otherwise joinmastodon.org asks the person for their server.
    instance = (fields.get("instance", "").strip().lower() or None) if own_page else None
    builders = {
        Channel.POST_X: lambda: x_intent(text),
        Channel.POST_BLUESKY: lambda: bluesky_intent(text),
        Channel.POST_THREADS: lambda: threads_intent(text),
        Channel.POST_MASTODON: lambda: mastodon_share(text, instance),
    }
    if channel in COMPOSE_CHANNELS:
        # A compose window with an empty To: leads nowhere, and would be counted as an email.
        raise ValueError("Members of Congress publish no email address: use the contact form.")
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
    query = "&".join(part for part in (page_query(fields), done) if part)
    return f"{back}?{query}#target-{member.bioguide}"
