"""The database not answering gets a 503 page in the page's language, never a blank 500.

A view that queries a database that is down (a stopped server, a full disk, a file that
cannot be opened) raises OperationalError or InterfaceError. The middleware answers those
with a page that says to try again in a few minutes, and, for a form that was sent, keeps
what the person typed in the page with a button that sends it again: nothing they typed is
lost. `server_error` (handler500) does the same for one raised outside a view, in another
middleware. The log says so once per outage, by the error's class: its message can quote a
query's values.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.defaults import server_error as django_server_error

from urge.core.caching import for_this_visitor_only
from urge.core.memo import forgettable

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
# The log says the database is down at most once in this many seconds, per process.
LOG_EVERY_SECONDS = 60.0
_last_logged = -LOG_EVERY_SECONDS


class DatabaseDownMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_DOWN):
            return None
        return unavailable(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the same page for a database error that a middleware raised."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        return unavailable(request, error)
    return django_server_error(request)


def unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    """A 503 that says to try again, keeping what a sent form held."""
    _log(error)
    context = {"kept": kept_fields(request), "action": request.get_full_path()}
    response = render(request, "core/unavailable.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Django would log the path of this 5xx, and on the pages behind the links in emails
    # the path holds a working token; the line above says what happened.
    response._has_been_logged = True  # type: ignore[attr-defined]
    # It may hold what the person typed: no cache keeps it.
    return for_this_visitor_only(response)


def kept_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """What a sent form held, to send again; never a password or a sign-in code, which a page
    must not hold."""
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if "password" not in name and name not in SECRET_FIELDS
    ]


# Sign-in codes: the authenticator's and the recovery codes (urge/dashboard/views.py verify).
SECRET_FIELDS = {"code", "recovery"}


def _log(error: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.error("The database did not answer (%s): pages answer 503.", type(error).__name__)


def forget() -> None:
    """As a new process: the next outage is logged at once (for tests)."""
    global _last_logged
    _last_logged = -LOG_EVERY_SECONDS


forgettable(forget)
