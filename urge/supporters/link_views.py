"""The pages behind the links in supporters' emails (confirm, leave a list, erase) and resending.

Mail scanners open every link in an email, so opening a link changes nothing: each page
explains what its button does, and only the button's POST does it. The signed token in the
URL is the authority, not a session, so these pages take no CSRF token and set no cookie;
a post that the browser says came from another site is refused instead. Every answer is
marked no-store: the token in the URL must not linger in a shared cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urge.campaigns.models import Campaign
from urge.campaigns.names import campaign_title, cohost_names
from urge.core.csrf import sent_from_another_site
from urge.core.hashing import keyed_hash
from urge.core.languages import alternates
from urge.core.ratelimit import client_key, hit, limit
from urge.sharing.share import share_step
from urge.supporters import erasure, signup
from urge.supporters.crypto import UndecryptableError, normalise_email
from urge.supporters.emails import pending_choices, resend_confirmation
from urge.supporters.links import ALL_COHOSTS, CONFIRM, ERASE, UNSUBSCRIBE, LinkTarget, read_token
from urge.supporters.models import Supporter

View = Callable[..., HttpResponse]


def link_page(view: View) -> View:
    return csrf_exempt(never_cache(require_http_methods(["GET", "HEAD", "POST"])(view)))


@link_page
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    target = read_token(CONFIRM, token)
    campaign = Campaign.objects.filter(slug=slug).first()
    if target is None or campaign is None:
        return _bad_link(request, campaign, expired=target is None and _expired(token))
    supporter = _supporter(target, campaign)
    if supporter is None:
        return _page(request, campaign, "supporters/link_gone.html", status=404)
    try:
        if request.method == "POST":
            if sent_from_another_site(request.META):
                return _refused(request, campaign)
            applied = signup.confirm(supporter, target.submission)
            supporter.refresh_from_db()
            if applied or (not supporter.pending and supporter.confirmed_at):
                # Pressed twice, the answer is the same.
                # The share step names no referral: a code kept with this sign-up would say
                # which link this one person came by.
                done = {**_contacts(supporter), "share": share_step(campaign)}
                return _page(request, campaign, "supporters/link_confirmed.html", done)
        waiting = _waiting(supporter, target)
    except UndecryptableError:
        # The sign-up's key is gone (erased meanwhile, or a key folder not this one's):
        # nothing can be confirmed, as for a sign-up that is gone.
        return _page(request, campaign, "supporters/link_gone.html", status=404)
    return _page(request, campaign, "supporters/link_confirm.html", waiting)


def _waiting(supporter: Supporter, target: LinkTarget) -> dict[str, Any]:
    """What pressing the button would store, shown before it is pressed; or why it would not."""
    pending = signup.pending_submission(supporter)
    if pending is None:
        return {"waiting": False}
    if pending.get("submission", "") != target.submission:
        return {"waiting": False, "superseded": True}
    names = cohost_names(supporter.campaign, translation.get_language())
    return {
        "waiting": True,
        "chosen": [names[cohost] for cohost in pending_choices(supporter) if cohost in names],
        "name": f"{pending['first_name']} {pending['last_name']}".strip(),
        "zip_code": pending["zip_code"],
        "phone_end": _last_digits(str(pending.get("phone", ""))),
    }


def _last_digits(phone: str) -> str:
    """Enough of a phone number to recognise it, not enough to read it from a screen."""
    digits = [c for c in phone if c.isdigit()]
    return "".join(digits[-2:]) if len(digits) > 2 else ""


@link_page
def unsubscribe(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    target = read_token(UNSUBSCRIBE, token)
    campaign = Campaign.objects.filter(slug=slug).first()
    if target is None or campaign is None:
        return _bad_link(request, campaign)
    names = cohost_names(campaign, translation.get_language())
    if target.cohost != ALL_COHOSTS and target.cohost not in names:
        return _bad_link(request, campaign)
    context = {"everyone": target.cohost == ALL_COHOSTS, "cohost": names.get(target.cohost, "")}
    if request.method != "POST":
        return _page(request, campaign, "supporters/link_leave.html", context)
    # RFC 8058 one-click: the mail provider posts this from its own servers, not a page.
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    if sent_from_another_site(request.META) and not one_click:
        return _refused(request, campaign)
    # Leaving works the same when the sign-up is already gone: either way, nobody writes.
    supporter = _supporter(target, campaign)
    if supporter is not None:
        signup.withdraw(supporter, target.cohost)
    return _page(request, campaign, "supporters/link_left.html", context)


@link_page
def erase(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    target = read_token(ERASE, token)
    campaign = Campaign.objects.filter(slug=slug).first()
    if target is None or campaign is None:
        return _bad_link(request, campaign)
    if request.method != "POST":
        return _page(request, campaign, "supporters/link_erase.html")
    if sent_from_another_site(request.META):
        return _refused(request, campaign)
    supporter = _supporter(target, campaign)
    if supporter is not None:
        erasure.erase(supporter)
    return _page(request, campaign, "supporters/link_erased.html")


class ResendForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )


@link_page
def resend(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    if request.method != "POST":
        return _resend_page(request, campaign, ResendForm())
    if sent_from_another_site(request.META):
        return _refused(request, campaign)
    form = ResendForm(request.POST)
    if not form.is_valid():
        return _resend_page(request, campaign, form, status=400)
    email = form.cleaned_data["email"]
    resends = limit("resend")
    # Its own hash, not the supporter's email_hash: a counter cannot be joined to a row.
    address_key = keyed_hash("resend:" + normalise_email(email))
    if not (hit(resends, client_key(request)) and hit(resends, address_key)):
        return _resend_page(request, campaign, form, status=429, over_limit=True)
    resend_confirmation(campaign, email)
    # The same answer whether or not the address signed up: it must not tell.
    return _page(request, campaign, "supporters/link_resent.html")


def _resend_page(
    request: HttpRequest,
    campaign: Campaign,
    form: ResendForm,
    status: int = 200,
    over_limit: bool = False,
) -> HttpResponse:
    context = {"form": form, "over_limit": over_limit}
    return _page(request, campaign, "supporters/link_resend.html", context, status)


def _supporter(target: LinkTarget, campaign: Campaign) -> Supporter | None:
    # Personal fields are opened only when a page needs them: leaving a list or erasing
    # works even when a row's key cannot be found.
    try:
        return (
            Supporter.objects.filter(ref=target.ref, campaign=campaign, anonymised_at__isnull=True)
            .defer("email", "first_name", "last_name", "zip_code", "phone", "pending")
            .first()
        )
    except ValidationError:  # not a UUID: signed by us, so only after a change of format
        return None


def _contacts(supporter: Supporter) -> dict[str, Any]:
    names = cohost_names(supporter.campaign, translation.get_language())
    slugs = set(signup.active_consents(supporter).values_list("cohost__slug", flat=True))
    return {"contacts": [name for slug, name in names.items() if slug in slugs]}


def _expired(token: str) -> bool:
    """Whether the token is a genuine confirm link that is merely too old."""
    try:
        signing.TimestampSigner(salt=CONFIRM).unsign(token)
    except signing.BadSignature:
        return False
    return True


def _bad_link(
    request: HttpRequest, campaign: Campaign | None, expired: bool = False
) -> HttpResponse:
    context = {"expired": expired, "confirm_days": settings.URGE_CONFIRM_LINK_DAYS}
    template = "supporters/link_bad.html"
    return _page(request, campaign, template, context, status=410 if expired else 400)


def _refused(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    return _page(request, campaign, "supporters/link_refused.html", status=403)


def _page(
    request: HttpRequest,
    campaign: Campaign | None,
    template: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    language = translation.get_language()
    page: dict[str, Any] = {
        "campaign": campaign,
        "title": campaign_title(campaign, language) if campaign else "",
        "unconfirmed_days": settings.URGE_UNCONFIRMED_DAYS,
        **(context or {}),
    }
    match = request.resolver_match
    if campaign is not None and match is not None and match.url_name:
        # The other language's page keeps the token in its URL: whoever sees this page
        # already holds the link.
        kwargs = {key: str(value) for key, value in match.kwargs.items()}
        page["alternates"] = alternates(request, match.url_name, kwargs, campaign.languages())
    response = render(request, template, page, status=status)
    # Django logs the path of every 4xx answer, and this path holds a working token (a
    # refused cross-site post, say): whoever read the log could use it. The answer says
    # everything there is to know anyway.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
