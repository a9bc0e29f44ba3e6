"""The sign-up form's own page, where it posts, and the thank-you page.

The form posts without a CSRF cookie: public pages set none. Signing up is what a
cross-site forger could do anyway by filling the form, and browsers that say a post came
from another site are refused. Every answer keeps what the person typed, except the
thank-you page, which a bot also gets, so that it cannot tell it was caught.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Mapping
from typing import Any

from django.db import DatabaseError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from urge.campaigns.facts import campaign_or_404, languages_of, last_seen
from urge.campaigns.models import Campaign
from urge.campaigns.names import campaign_title, cohost_names
from urge.core import prerender
from urge.core.csrf import sent_from_another_site
from urge.core.groupcommit import GroupCommitTimeout
from urge.core.languages import alternates
from urge.core.memo import per_version
from urge.core.ratelimit import client_key, hit, limit
from urge.core.unavailable import DATABASE_DOWN
from urge.sharing.referrals import known_ref, with_ref
from urge.sharing.share import share_step
from urge.supporters import bots, signup
from urge.supporters.context_processors import signup as signup_context
from urge.supporters.forms import CoHostChoice, SignupForm

logger = logging.getLogger(__name__)


# Remembered per campaign version, as the co-host choices are: the form can then come back
# with what was typed even while the database does not answer.
@per_version
def title_of(campaign: Campaign, language: str) -> str:
    return campaign_title(campaign, language)


@per_version
def cohost_choices(campaign: Campaign, language: str) -> list[CoHostChoice]:
    names = cohost_names(campaign, language)
    return [CoHostChoice(slug=slug, name=name) for slug, name in names.items()]


@per_version
def _fresh_pages(campaign: Campaign) -> dict[Hashable, str]:
    """This campaign version's fresh-form pages, rendered once with marks for the values of
    each visitor (urge/core/prerender.py)."""
    return {}


def _fresh_form_page(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    """The form with a new stamp, carrying the referral code of the link that brought the
    visitor, if any: the same page for everyone but for those two values."""
    language = translation.get_language()

    def render(marks: Mapping[str, str]) -> str:
        initial = {"stamp": marks["stamp"], "ref": marks["ref"]}
        form = SignupForm(cohost_choices(campaign, language), initial=initial)
        return _page(request, campaign, form).content.decode()

    values = {"stamp": bots.new_stamp(), "ref": request.GET.get("ref", "")[:64]}
    # What else the page prints: the language links' site address, and the settings the
    # form's notices quote (urge/supporters/context_processors.py).
    key = (language, request.build_absolute_uri("/"), *signup_context(request).values())
    return HttpResponse(prerender.filled(_fresh_pages(campaign), key, values, render))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        campaign = campaign_or_404(slug)
    except DATABASE_DOWN:
        # A sign-up sent while the database is down comes back as the form, with what was
        # typed (the 503 of _submitted), when this process knows the campaign; otherwise
        # the site's 503 page keeps it (urge/core/unavailable.py).
        known = last_seen(slug)
        if known is None or request.method != "POST":
            raise
        campaign = known
    if request.method != "POST":
        if campaign.is_open():
            return _fresh_form_page(request, campaign)
        return _page(request, campaign, None)
    if sent_from_another_site(request.META):
        return HttpResponseForbidden()
    if not campaign.is_open():
        return _page(request, campaign, None, status=410)
    return _submitted(request, campaign)


def _submitted(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    language = translation.get_language()
    form = SignupForm(cohost_choices(campaign, language), request.POST)
    if not hit(limit("signup"), client_key(request)):
        problem = _("Too many sign-ups have come from your connection in the last while.")
        return _again(request, campaign, form, problem, status=429)
    verdict = bots.judge(
        request.POST.get("stamp", ""),
        request.POST.get(bots.HONEYPOT, ""),
        request.POST.get("email", ""),
        request.POST.get("work", ""),
    )
    if verdict is bots.Verdict.BOT:
        return _thanks_redirect(campaign, request)
    if verdict is bots.Verdict.TOO_FAST:
        problem = _("Please check your details, then press Sign up once more.")
        return _again(request, campaign, form, problem, status=400)
    if verdict is bots.Verdict.STALE:
        problem = _("This form was open for a long time. Check your details and send it again.")
        return _again(request, campaign, form, problem, status=400)
    if verdict is bots.Verdict.NEEDS_WORK:
        problem = _(
            "Because of a flood of automated sign-ups, this form needs JavaScript for now. "
            "Turn it on and send the form again, or come back later."
        )
        return _again(request, campaign, form, problem, status=400)
    if not form.is_valid():
        return _page(request, campaign, form, status=400)
    if not bots.spend(request.POST.get("stamp", "")):
        # Nothing said of the first sending: it may have been refused, or never stored.
        problem = _(
            "This form was sent once already. If you meant to send it again, check your "
            "details and press Sign up once more."
        )
        return _again(request, campaign, form, problem, status=400)
    try:
        signup.submit(campaign, form.submission(language))
    except GroupCommitTimeout:
        # The one answer that cannot be sure: say so, rather than "nothing was stored".
        logger.error("A sign-up's outcome was not known in time.")
        problem = _(
            "We could not tell just now whether your sign-up was saved. If no email reaches "
            "you within the hour, please send the form again."
        )
        return _again(request, campaign, form, problem, status=503)
    except DatabaseError as error:
        # The class only: the message could quote what the person typed.
        logger.error("A sign-up was not stored: %s", type(error).__name__)
        problem = _(
            "We could not save your sign-up just now, and nothing was stored. "
            "Please send the form again in a few minutes."
        )
        return _again(request, campaign, form, problem, status=503)
    return _thanks_redirect(campaign, request)


def _again(
    request: HttpRequest, campaign: Campaign, form: SignupForm, problem: str, status: int
) -> HttpResponse:
    """The form as typed, with a new stamp, and what went wrong above it."""
    data: QueryDict = request.POST.copy()
    data["stamp"] = bots.new_stamp()
    again = SignupForm(form.cohosts, data)
    again.full_clean()
    again.errors.clear()  # show the problem, not field errors for a form they did not fix
    return _page(request, campaign, again, status=status, problem=problem)


def _page(
    request: HttpRequest,
    campaign: Campaign,
    form: SignupForm | None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    context: dict[str, Any] = {
        "campaign": campaign,
        "title": title_of(campaign, translation.get_language()),
        "signup_form": form,
        "signup_open": campaign.is_open(),
        "problem": problem,
        "alternates": alternates(
            request, "urge-join", {"slug": campaign.slug}, languages_of(campaign)
        ),
    }
    return render(request, "supporters/join.html", context, status=status)


def _thanks_redirect(campaign: Campaign, request: HttpRequest) -> HttpResponse:
    """303: the browser fetches the thank-you page, and reloading it sends nothing again. It
    keeps the form's referral code, if a known one, for the page's share step."""
    url = reverse("urge-join-thanks", args=[campaign.slug])
    response = HttpResponseRedirect(with_ref(url, known_ref(campaign, request.POST.get("ref"))))
    response.status_code = 303
    return response


@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    context = {
        "campaign": campaign,
        "alternates": alternates(
            request, "urge-join-thanks", {"slug": campaign.slug}, campaign.languages()
        ),
        "share": share_step(campaign, known_ref(campaign, request.GET.get("ref"))),
    }
    return render(request, "supporters/thanks.html", context)
