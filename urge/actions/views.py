"""The action page's panels (urge/pages/act.py and embed.py serve the page), and the one
endpoint every send, copy and call outcome goes through."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from urge.actions.lengths import fits
from urge.actions.links import (
    bluesky_intent,
    facebook_share,
    mailto,
    mastodon_share,
    telegram_share,
    threads_intent,
    whatsapp_share,
    x_intent,
)
from urge.actions.messages import NAME_BLANK, TOWN_BLANK, context_for
from urge.actions.models import SHARES, Channel
from urge.actions.panels import Panel, build_panel, in_order
from urge.actions.recording import record
from urge.actions.targets import rules_for, targets_for
from urge.campaigns.facts import campaign_or_404, languages_of, templates_of, wordings
from urge.campaigns.models import Campaign
from urge.campaigns.page import campaign_page
from urge.core import prerender
from urge.core.caching import shared_by_everyone
from urge.core.csrf import sent_from_another_site, sent_from_this_site
from urge.core.languages import Alternate, alternates
from urge.core.memo import forgettable
from urge.core.ratelimit import address_key, hit, limit
from urge.legislators.index import LookupIndex, index_holder
from urge.legislators.records import LegislatorRecord
from urge.legislators.states import STATE_NAMES
from urge.sharing.referrals import known_ref
from urge.sharing.share import ShareMessage, share_message, share_step
from urge.sharing.tags import link_preview

# The query of an action page: the targets (t=A,B), the state, the chosen wordings and the
# referral code of the link that brought the supporter; nothing about the person.
PAGE_PARAMS = ("t", "state", "post", "email", "call", "ref")
MAX_TARGETS = 5
MAX_REF = 64  # as the sign-up form keeps it
# What the page says after a call: the outcome and whose call it was.
OUTCOME_PARAMS = ("done", "done_for")
# The action page, and its compact twin that other sites show in a frame (urge/pages/embed.py);
# a post from the twin says so in a hidden field, and comes back to it.
ACT_PAGE = "urge-act"
EMBEDDED_ACT_PAGE = "urge-embed-act"


def action_page(
    request: HttpRequest,
    campaign: Campaign,
    template: str,
    embedded: bool,
    extra: Mapping[str, object] | None = None,
) -> HttpResponse:
    """The action page for the targets in the URL, made from the URL alone; `extra` is what
    the page composing it adds (urge/pages/act.py: where the bill stands)."""
    index = index_holder.get()
    if index is None:
        # Still the campaign's page: its title in the header, its languages in the switcher.
        context = {
            "campaign": campaign,
            "campaign_title": campaign_title(campaign),
            "alternates": in_other_languages(request, campaign, embedded),
        }
        return render(request, "actions/no_data.html", context, status=503)
    own = [
        index.members[bioguide]
        for bioguide in request.GET.get("t", "").split(",")[:MAX_TARGETS]
        if bioguide in index.members
    ]
    state = request.GET.get("state", "")
    params = known_params(campaign, request.GET)
    ref = params.get("ref", "")
    context = {
        "campaign": campaign,
        "campaign_title": campaign_title(campaign),
        "alternates": in_other_languages(request, campaign, embedded),
        "embedded": embedded,
        "ref": ref,
        "name_blank": NAME_BLANK,
        "town_blank": TOWN_BLANK,
        "panels": panels_for(request, campaign, index, own, state if state in STATE_NAMES else ""),
        "page_query": page_query(params),
        "page_params": list(params.items()),
        "done": request.GET.get("done", ""),
        "done_for": request.GET.get("done_for", ""),
        "link_preview": link_preview(campaign, ref),
        "share": share_step(campaign, ref),
        **(extra or {}),
    }
    # Everything it shows comes from its URL: the same page for everyone who asks for it.
    return shared_by_everyone(render(request, template, context))


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


def in_other_languages(
    request: HttpRequest, campaign: Campaign, embedded: bool = False
) -> list[Alternate]:
    """The language switcher's links: this page with the same query (rebuilt from known
    parameters only) in each language the campaign is written in."""
    outcome = [(name, request.GET[name]) for name in OUTCOME_PARAMS if name in request.GET]
    query = urlencode([*known_params(campaign, request.GET).items(), *outcome])
    route = EMBEDDED_ACT_PAGE if embedded else ACT_PAGE
    found = alternates(request, route, {"slug": campaign.slug}, languages_of(campaign))
    return [replace(item, url=f"{item.url}?{query}" if query else item.url) for item in found]


def known_params(campaign: Campaign, query: Mapping[str, str]) -> dict[str, str]:
    """The page's own parameters from `query`, in order; the referral code only when it is
    one of the campaign's (urge/sharing/referrals.py): an unknown one is neither counted nor
    carried on."""
    params = {name: query[name] for name in PAGE_PARAMS if name in query}
    ref = known_ref(campaign, params.pop("ref", ""))
    return {**params, "ref": ref} if ref else params


def page_query(params: Any) -> str:
    """The action page's own query, rebuilt from known parameters only."""
    return urlencode([(name, params[name]) for name in PAGE_PARAMS if name in params])


@csrf_exempt  # counts are anonymous and change nothing a visitor owns; no cookie is needed
@require_POST
def go(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
    ref = known_ref(campaign, request.POST.get("ref", ""))
    own_page = sent_from_this_site(request)
    try:
        if request.POST.get("channel", "") in SHARES:
            checked = check_share(campaign, request.POST, ref, own_page)
        else:
            checked = check_action(campaign, index_holder.get(), request.POST, own_page)
    except ActionRefused as refusal:
        return HttpResponseBadRequest(str(refusal), content_type="text/plain; charset=utf-8")
    counted = not only_a_step(checked, request.POST) and counts(request.META)
    if counted:
        member = checked.member
        record(
            campaign,
            checked.channel,
            member.bioguide if member else "",
            checked.variant,
            member.state if member else "",
            ref=ref,
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
    moves_on = not sent_from_another_site(request.META)
    values = {
        "destination": destination,
        "host": urlsplit(destination).hostname or "",  # none for mailto:
    }

    def page(marks: Mapping[str, str]) -> str:
        context = {**marks, "counted": counted, "moves_on": moves_on}
        return render(request, "actions/going.html", context).content.decode()

    # The same page for every post but for where it leads (urge/core/prerender.py).
    key = (translation.get_language(), counted, moves_on)
    return HttpResponse(prerender.filled(_going_pages, key, values, page))


_going_pages: dict[Hashable, str] = {}
forgettable(_going_pages.clear)


class ActionRefused(ValueError):
    """What was posted cannot be counted honestly; the message says why."""


@dataclass(frozen=True)
class CheckedAction:
    channel: Channel
    member: LegislatorRecord | None  # None for a share: nobody is contacted
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


def check_share(
    campaign: Campaign, fields: Mapping[str, str], ref: str, own_page: bool
) -> CheckedAction:
    """A share of the campaign (urge/sharing/share.py). Its text and link are made here, in
    the page's language, from the campaign and the known `ref` alone: of what was posted,
    only the channel, the code and (from this site's own page) a Mastodon server count."""
    channel = Channel(fields.get("channel", ""))
    message = share_message(campaign, ref)
    instance = (fields.get("instance", "").strip().lower() or None) if own_page else None
    try:
        destination = share_destination(channel, message, instance)
    except ValueError as error:
        raise ActionRefused(str(error)) from None
    return CheckedAction(channel, None, "", destination)


def share_destination(channel: Channel, message: ShareMessage, instance: str | None) -> str:
    def post(platform: str) -> str:
        # A title too long for the platform leaves the link alone, which always fits.
        return message.text if fits(platform, message.text) else message.url

    builders: dict[Channel, Callable[[], str]] = {
        Channel.SHARE_X: lambda: x_intent(post("x")),
        Channel.SHARE_BLUESKY: lambda: bluesky_intent(post("bluesky")),
        Channel.SHARE_THREADS: lambda: threads_intent(post("threads")),
        Channel.SHARE_MASTODON: lambda: mastodon_share(post("mastodon"), instance),
        Channel.SHARE_FACEBOOK: lambda: facebook_share(message.url),
        Channel.SHARE_WHATSAPP: lambda: whatsapp_share(message.text),
        Channel.SHARE_TELEGRAM: lambda: telegram_share(message.url, message.title),
        Channel.SHARE_EMAIL: lambda: mailto(message.subject, message.body),
        # Counted for the copy button (share.js asks for JSON); otherwise, the campaign page.
        Channel.SHARE_COPY: lambda: urlsplit(message.url)._replace(scheme="", netloc="").geturl(),
    }
    return builders[channel]()


def only_a_step(checked: CheckedAction, fields: Mapping[str, str]) -> bool:
    """Whether this is a step of a letter already counted, or to be counted, as one email.

    One letter to one office is one email. Where the office has a contact form, copying the
    letter is a step towards it and the form's opening is the email; where it has none,
    copying is the letter's one way out and is the email. And act.js marks (`again=1`) a
    second send of the same letter from the same page visit, say the form opened twice.
    """
    if fields.get("again") == "1":
        return True
    member = checked.member
    return checked.channel == Channel.EMAIL_COPY and bool(member and member.contact_form)


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
    route = EMBEDDED_ACT_PAGE if fields.get("embedded") == "1" else ACT_PAGE
    back = reverse(route, kwargs={"slug": campaign.slug})
    done = urlencode({"done": channel.value, "done_for": member.bioguide})
    query = "&".join(part for part in (page_query(fields), done) if part)
    return f"{back}?{query}#target-{member.bioguide}"
