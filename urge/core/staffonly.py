"""Django's session, sign-in and messages middleware, idle on the public pages.

The public pages (a campaign's pages, its forms and the links emailed to supporters, all
under /c/, and the JSON API) set no cookie and read no session, user or message: those are
the staff's, at /manage/ and /admin/. Yet each of the three middleware did its work on every
request, a tenth of what a form post costs. Here each stays in MIDDLEWARE and passes a public
request on untouched; every other request, staff pages and any path not named below
included, gets all of it. (CSRF checks are not among them: they apply everywhere.)

On a public page, `request.session`, `request.user` and Django's messages are therefore not
set; Django's context processors do without them.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponseBase


def _public_prefixes() -> tuple[str, ...]:
    campaigns = ["/c/", *(f"/{code}/c/" for code, _name in settings.LANGUAGES)]
    return (*campaigns, "/api/")


PUBLIC = _public_prefixes()


def public(request: HttpRequest) -> bool:
    """Whether the request is for a public page, which no staff middleware is for."""
    return request.path_info.startswith(PUBLIC)


class _IdleOnPublicPages:
    """Put before a middleware class: its work is skipped for public requests."""

    get_response: Any  # the middleware's own, set by its __init__

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if public(request):
            return cast(HttpResponseBase, self.get_response(request))
        return cast(HttpResponseBase, super().__call__(request))  # type: ignore[misc]


class StaffSessions(_IdleOnPublicPages, SessionMiddleware):
    pass


class StaffAuthentication(_IdleOnPublicPages, AuthenticationMiddleware):
    pass


class StaffMessages(_IdleOnPublicPages, MessageMiddleware):
    pass
