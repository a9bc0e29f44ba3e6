"""Dashboard pages: sign-in with a second factor, campaign counts, supporter lists and exports."""

from __future__ import annotations

from itertools import groupby

import django_otp
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from urge.accounts import recovery
from urge.accounts.authlog import record
from urge.accounts.models import AuthEvent
from urge.accounts.throttle import remember_device, within_signin_limit
from urge.campaigns.models import Campaign
from urge.campaigns.names import campaign_title, cohost_name
from urge.dashboard import audit
from urge.dashboard.access import (
    Access,
    Refused,
    is_verified,
    signed_in_user,
    staff_verified,
    verified,
)
from urge.dashboard.devices import Device, check_code, device_for_code, qr_svg, secret_text
from urge.dashboard.models import AuditEntry
from urge.dashboard.queries import (
    all_roles,
    cohost_counts,
    exportable,
    unconfirmed_count,
    unsent_count,
)
from urge.dashboard.tallies import MINIMUM, Shown, shown
from urge.supporters.crypto import UndecryptableError

PAGE_SIZE = 50


def next_url(request: HttpRequest) -> str:
    """Where to go after signing in: `next` if it stays on this site, else the dashboard."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse("urge-dashboard")


def with_next(url: str, after: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: after})}"


def too_many_tries(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/too_many.html", status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    after = next_url(request)
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        # Counted before the password is checked, and the same for names that do not
        # exist: the answer reveals nothing about the account.
        if not within_signin_limit(request, "signin", request.POST.get("username", "")):
            return too_many_tries(request)
        if form.is_valid():
            auth_login(request, form.get_user())
            return redirect(with_next(reverse("urge-verify"), after))
    return render(request, "dashboard/signin.html", {"form": form, "next": after})


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    after = next_url(request)
    if user is None:
        return redirect(with_next(reverse("urge-signin"), after))
    if is_verified(user):
        return redirect(after)
    device = device_for_code(user)
    wrong = wrong_recovery = False
    if request.method == "POST":
        if not within_signin_limit(request, "verify", user.get_username()):
            return too_many_tries(request)
        if "recovery" in request.POST and device.confirmed:
            if recovery.use(user, request.POST["recovery"]):
                trust(request, user, device, AuthEvent.RECOVERY_USED)
                return with_device_cookie(redirect(reverse("urge-recovery")), user)
            record(AuthEvent.CODE_FAILED, request, user)
            wrong_recovery = True
        else:
            enrolling = not device.confirmed
            checked = check_code(device, request.POST.get("code", ""))
            if checked is not None:
                trust(request, user, checked, AuthEvent.SIGNED_IN)
                if enrolling:  # the first authenticator: the recovery codes, shown once
                    return with_device_cookie(show_new_codes(request, user, after), user)
                return with_device_cookie(redirect(after), user)
            record(AuthEvent.CODE_FAILED, request, user)
            wrong = True
    context = {
        "next": after,
        "wrong": wrong,
        "wrong_recovery": wrong_recovery,
        "enrolling": not device.confirmed,
    }
    if not device.confirmed:
        context.update(qr=qr_svg(device), secret=secret_text(device))
    return render(request, "dashboard/verify.html", context)


def trust(request: HttpRequest, user: User, device: Device, kind: str) -> None:
    """The second factor is proven: the session is trusted, under a new id."""
    django_otp.login(request, device)
    request.session.cycle_key()
    record(kind, request, user)


def with_device_cookie(response: HttpResponse, user: User) -> HttpResponse:
    remember_device(response, user.get_username())
    return response


def show_new_codes(request: HttpRequest, user: User, after: str) -> HttpResponse:
    codes = recovery.make(user)
    record(AuthEvent.RECOVERY_MADE, request, user)
    return render(request, "dashboard/recovery_codes.html", {"codes": codes, "next": after})


@never_cache
@require_http_methods(["GET", "POST"])
@verified
def recovery_codes(request: HttpRequest, user: User) -> HttpResponse:
    """How many recovery codes are left; a button to replace them all with new ones."""
    if request.method == "POST":
        return show_new_codes(request, user, reverse("urge-dashboard"))
    return render(request, "dashboard/recovery.html", {"left": recovery.remaining(user)})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("urge-signin")


@never_cache
@require_http_methods(["GET", "POST"])
@verified
def change_password(request: HttpRequest, user: User) -> HttpResponse:
    """Every staff member's own password: the current one, then a new one twice."""
    form = PasswordChangeForm(user, data=request.POST or None)
    changed = False
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # this session stays signed in
        record(AuthEvent.PASSWORD_CHANGED, request, user)
        form, changed = PasswordChangeForm(user), True
    return render(request, "dashboard/password.html", {"form": form, "changed": changed})


@require_GET
@verified
def home(request: HttpRequest, user: User) -> HttpResponse:
    language = translation.get_language()
    campaigns = [
        (campaign, campaign_title(campaign, language), list(roles))
        for campaign, roles in groupby(all_roles(user), key=lambda role: role.campaign)
    ]
    return render(request, "dashboard/home.html", {"campaigns": campaigns})


@require_GET
@staff_verified
def campaign(request: HttpRequest, access: Access) -> HttpResponse:
    language = translation.get_language()
    context = {
        "access": access,
        "title": campaign_title(access.campaign, language),
        "counts": cohost_counts(access.counted_cohosts(), language),
        "detailed": {cohost.slug for cohost in access.cohosts()},
        # Live, and under the dashboard's minimum like every count: one sign-up more a
        # minute ago, and a consent on a co-host's list soon after, would name a person.
        "unconfirmed": shown(unconfirmed_count(access.campaign)) if access.is_organiser else None,
        "minimum": MINIMUM,
        # Said whenever there are any (the mail server needs looking at), counted as above.
        "unsent": shown_unsent(access.campaign) if access.is_organiser else None,
    }
    return render(request, "dashboard/campaign.html", context)


def shown_unsent(campaign: Campaign) -> Shown | None:
    """Sign-ups whose confirmation email never went: None when there are none."""
    count = unsent_count(campaign)
    return shown(count) if count else None


@require_GET
@staff_verified
def supporters(request: HttpRequest, access: Access, cohost_slug: str) -> HttpResponse:
    cohost = access.cohost(cohost_slug)
    page = Paginator(exportable(cohost), PAGE_SIZE).get_page(request.GET.get("page"))
    try:
        shown = list(page.object_list)
    except KEYS_DO_NOT_OPEN:
        return keys_do_not_open(request, access)
    audit.record(
        access.user, access.campaign, AuditEntry.LIST_VIEWED, cohost=cohost, rows=len(shown)
    )
    context = {
        "access": access,
        "cohost": cohost,
        "name": cohost_name(cohost, translation.get_language()),
        "page": page,
        "shown": shown,
    }
    return render(request, "dashboard/supporters.html", context)


KEYS_DO_NOT_OPEN = (UndecryptableError, ImproperlyConfigured)


def keys_do_not_open(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "dashboard/keys.html", {"access": access}, status=503)


@require_GET
@staff_verified
def audit_log(request: HttpRequest, access: Access) -> HttpResponse:
    if not access.is_organiser:
        raise Refused
    page = Paginator(audit.entries_for(access.campaign), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "dashboard/audit.html", {"access": access, "page": page})
