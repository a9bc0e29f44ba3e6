"""Who may open a dashboard page: both factors, and a role in the campaign."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from urge.campaigns.models import Campaign, CoHost
from urge.dashboard.models import StaffRole
from urge.dashboard.queries import counted_cohosts, detailed_cohosts, roles_for

View = Callable[..., HttpResponseBase]


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
        raise Http404


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


def staff_verified(view: View) -> View:
    """For a campaign's pages: both factors, then a role in the campaign, else 404.

    404 rather than 403, so that a stranger cannot tell which campaigns a person works on,
    or which exist.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: str) -> HttpResponseBase:
        user = signed_in_user(request)
        if user is None or not is_verified(user):
            return _to_signin_or_verify(request)
        campaign = get_object_or_404(Campaign, slug=slug)
        roles = roles_for(user, campaign)
        if not roles:
            raise Http404
        response = view(request, Access(user, campaign, roles), **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper
