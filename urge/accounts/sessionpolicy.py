"""Staff sessions end after URGE_STAFF_IDLE_MINUTES without a request, and in any case
URGE_STAFF_SESSION_HOURS after the password was given.

Django's sessions have one fixed age; an idle limit needs the time of the last request, kept
in the session and written at most once a minute (a write per request would cost every
dashboard page a database write). Public pages carry no session cookie and skip all this.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from urge.accounts.authlog import SEEN, STARTED, record
from urge.accounts.models import AuthEvent
from urge.core.staffonly import public

TOUCH_SECONDS = 60


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Public pages have no request.user (urge/core/staffonly.py): nothing to apply there.
        if (
            not public(request)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
        ):
            self._apply(request, time.time())
        return self.get_response(request)

    def _apply(self, request: HttpRequest, now: float) -> None:
        session = request.session
        started = float(session.get(STARTED, 0))
        seen = float(session.get(SEEN, 0))
        idle = now - seen > settings.URGE_STAFF_IDLE_MINUTES * 60
        too_old = now - started > settings.URGE_STAFF_SESSION_HOURS * 3600
        if idle or too_old:
            record(AuthEvent.SESSION_ENDED, request, request.user)
            request.urge_session_ended = True  # type: ignore[attr-defined]
            logout(request)  # the page then asks for a sign-in, as for anyone
        elif now - seen > TOUCH_SECONDS:
            session[SEEN] = now
