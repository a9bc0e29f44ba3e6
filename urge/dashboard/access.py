"""Who may open a dashboard page: both factors, and a role in the campaign; who runs the site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from urge.campaigns.models import Campaign, CoHost
from urge.dashboard import audit
from urge.dashboard.models import StaffRole
from urge.dashboard.queries import counted_cohosts, detailed_cohosts, roles_for

View = Callable[..., HttpResponseBase]


def is_site_admin(user: User | AnonymousUser) -> bool:
    """The site-admin role: runs the whole site in the admin (accounts, roles, devices,
    campaigns), every change there in the audit log. Made only on purpose, with
    `urge addstaff NAME --site-admin`; it opens no campaign's supporters by itself."""
    return bool(user.is_active and user.is_superuser)


class Refused(Http404):
    """A page that exists but that the person's roles do not open. Answered exactly as a page
    that does not exist, and written to the audit log (by the decorators below)."""

    def __init__(self, cohost: CoHost | None = None) -> None:
        super().__init__()
        self.cohost = cohost


@dataclass(frozen=True)
class Access:
    """A verified person's roles in one campaign, and what those let them see."""

    user: User
    campaign: Campaign
    roles: list[StaffRole]

    @property
    def is_organiser(self) -> bool:
        return any(role.role == StaffRole.ORGANISER for role in self.roles)

    def counted_cohosts(self) -> list[CoHost]:
        return counted_cohosts(self.campaign, self.roles)

    def cohosts(self) -> list[CoHost]:
        """The co-hosts whose supporters' details this person may see."""
        return detailed_cohosts(self.campaign, self.roles)

    def cohost(self, slug: str) -> CoHost:
        """One co-host whose details this person may see; 404, as for one that does not exist."""
        for cohost in self.cohosts():
            if cohost.slug == slug:
                return cohost
        raise Refused(self.campaign.cohosts.filter(slug=slug).first())


def signed_in_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def is_verified(user: User | AnonymousUser) -> bool:
    """Signed in with a password and a code (django-otp's middleware sets otp_device)."""
    return user.is_authenticated and getattr(user, "otp_device", None) is not None


def _to_signin_or_verify(request: HttpRequest) -> HttpResponseBase:
    step = "urge-verify" if request.user.is_authenticated else "urge-signin"
    return redirect_to_login(request.get_full_path(), reverse(step))


def verified(view: View) -> View:
    """For pages that need both factors but no campaign: the view gets the user."""

    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: str) -> HttpResponseBase:
        user = signed_in_user(request)
        if user is None or not is_verified(user):
            return _to_signin_or_verify(request)
        response = view(request, user, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


def _access(user: User, campaign: Campaign | None) -> Access:
    roles = roles_for(user, campaign) if campaign is not None else []
    if campaign is None or not roles:
        raise Refused
    return Access(user, campaign, roles)


def staff_verified(view: View) -> View:
    """For a campaign's pages: both factors, then a role in the campaign, else 404.

    404 rather than 403, so that a stranger cannot tell which campaigns a person works on,
    or which exist. Each refusal (no role in the campaign, or a page or co-host the roles do
    not open) is written to the audit log, as is a campaign that does not exist.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: str) -> HttpResponseBase:
        user = signed_in_user(request)
        if user is None or not is_verified(user):
            return _to_signin_or_verify(request)
        campaign = Campaign.objects.filter(slug=slug).first()
        try:
            response = view(request, _access(user, campaign), **kwargs)
        except Refused as refusal:
            audit.refused(request, user, campaign, refusal.cohost)
            raise
        add_never_cache_headers(response)
        return response

    return wrapper
