"""Requests Django cannot read get a 400 or 413 page in the page's language, never a 500.

Django parses the Host header, the query string and the body lazily, wherever they are first
read: in CsrfViewMiddleware, in a view, or in its own error handling. Some failures it turns
into a 400 (and logs with a traceback); others escape as a 500: a urlencoded body in another
charset raises BadRequest again each time request.POST is read, and a multipart body in a
charset that is not a text codec raises LookupError. Reading all of it in the middleware,
once, before anything else does, answers every such request the same way, with no traceback
in the logs. One failure comes before any middleware runs: the request's constructor decodes
the query string with the Content-Type's charset; `WSGIHandler` defers that one to the
middleware too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.handlers import wsgi
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import ResolverMatch, get_resolver

from urge.core import routes
from urge.core.caching import for_this_visitor_only
from urge.core.staffonly import public

logger = logging.getLogger(__name__)

TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
# What Django's parsers raise on input they cannot read; LookupError is a charset that
# names no text codec, ValueError includes UnicodeDecodeError.
UNREADABLE = (
    SuspiciousOperation,
    BadRequest,
    MultiPartParserError,
    UnreadablePostError,
    LookupError,
    ValueError,
)


class WSGIRequest(wsgi.WSGIRequest):
    """Django's request, except that what it cannot decode while it is being built is left
    for the middleware to refuse: setting the Content-Type's charset parses the query string
    with it, there and then."""

    unreadable = ""  # why, when it could not be read: the exception's class
    _valid_host: str | None = None  # get_host()'s answer, once asked

    def _set_content_type_params(self, meta: dict[str, Any]) -> None:
        try:
            super()._set_content_type_params(meta)  # type: ignore[misc]  # not in the stubs
        except UNREADABLE as error:
            self.unreadable = type(error).__name__
        charset = self.content_params.get("charset") if self.content_params else None
        if charset is not None and not decodes_forms(charset):
            self.unreadable = self.unreadable or "LookupError"
        if self.unreadable:
            self._encoding = None  # None: Django's default charset

    def get_host(self) -> str:
        """Django's answer, worked out once per request. UnreadableRequestMiddleware,
        CommonMiddleware, the CSRF check and some views each ask, and each time Django parses
        the Host header and matches it against ALLOWED_HOSTS afresh (each about 1% of a small
        form post); neither changes within a request. A host Django refuses is not kept: each
        asking raises DisallowedHost again."""
        if self._valid_host is None:
            self._valid_host = super().get_host()
        return self._valid_host


class WSGIHandler(wsgi.WSGIHandler):
    """The application `urge serve` runs (urge/wsgi.py), with the request above, and the
    public pages' views found once per path (urge/core/routes.py)."""

    request_class = WSGIRequest

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        if hasattr(request, "urlconf") or not public(request):
            return super().resolve_request(request)
        match = routes.resolve(get_resolver(), request.path_info)
        request.resolver_match = match
        return match


def decodes_forms(charset: str) -> bool:
    """Whether Django can decode a query string or form with this charset. Python has codecs
    that are no text encoding ("hex", "zlib"), and some that refuse any input ("undefined")
    or the "replace" error handler Django decodes with ("idna")."""
    try:
        b"a=\xff".decode(charset, "replace")
        parse_qsl("a=%FF", encoding=charset)
    except (LookupError, ValueError):
        return False
    return True


class UnreadableRequestMiddleware:
    """Placed after the locale middleware (the page's language is known) and before anything
    that reads the request's host, query or body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        status = refusal_status(request)
        if status is not None:
            return refusal(request, status)
        return self.get_response(request)


def refusal_status(request: HttpRequest) -> int | None:
    """The status to refuse this request with, or None when Django can read all of it."""
    if getattr(request, "unreadable", ""):
        return _refused(request.unreadable, 400)  # type: ignore[attr-defined]
    try:
        request.get_host()
        request.GET  # noqa: B018 (parsed on first access)
    except UNREADABLE as error:
        return _refused(type(error).__name__, 400)
    if request.method != "POST":
        return None
    try:
        request.POST  # noqa: B018
        request.FILES  # noqa: B018
    except TOO_LARGE as error:
        return _refused(type(error).__name__, 413)
    except UNREADABLE as error:
        return _refused(type(error).__name__, 400)
    return None


def _refused(why: str, status: int) -> int:
    # The exception's class only: its message may quote what was sent.
    logger.warning("Refused a request Django could not read: %s", why)
    return status


def refusal(request: HttpRequest, status: int) -> HttpResponse:
    """The page that says why, marked for no cache to keep."""
    response = render(request, "core/unreadable.html", {"too_large": status == 413}, status=status)
    # Django would log the path of this 4xx, and on the pages behind the links in emails the
    # path holds a working token; the warning above says what happened.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return for_this_visitor_only(response)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a SuspiciousOperation or BadRequest a view raises, on the same page."""
    return refusal(request, _refused(type(exception).__name__, 400))
