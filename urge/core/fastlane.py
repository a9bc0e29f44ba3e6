"""A fast lane in front of Django for the few requests a spike is made of, answered the same.

A route answers a request it fully understands (e.g. `/api/lookup?zip=98104`, or an action
posted by the page's script) without
Django's middleware, or returns None to hand it to Django. Its headers are Django's own: the
lane lets Django answer the route first and keeps that 200 answer's headers (security
policy, Vary, language) for its own answers, compressing as Django's GZip middleware would.
Anything unusual (a host Django would refuse, plain HTTP where HTTPS is required, HEAD,
an error, a large body) goes to Django, so there is one place where behaviour is defined.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.middleware.gzip import GZipMiddleware
from django.utils.text import compress_string

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# What the lane sets itself, per answer; everything else comes from Django's answer.
OWN_HEADERS = {"content-length", "content-encoding", "content-type", "date", "server", "location"}
GZIP = re.compile(r"\bgzip\b")


# A posted body larger than this goes to Django, which has its own limits.
MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class Answer:
    body: bytes
    content_type: str
    status: str = "200 OK"
    location: str = ""


def public_path(tail: str) -> re.Pattern[str]:
    """A pattern for a public page's path in any language: `/c/x/...` or `/zh-hant/c/x/...`
    (the language in the `language` group, None for the site's own)."""
    others = "|".join(
        re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    )
    return re.compile(rf"^/(?:(?P<language>{others})/)?{tail}$")


Handler = Callable[[dict[str, Any], "re.Match[str]", bytes], Answer | None]


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: re.Pattern[str]
    handler: Handler


class FastLane:
    def __init__(self, app: WSGIApp, routes: list[Route]) -> None:
        self.app = app
        self.routes = routes
        self.learned: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        found = self._route(environ)
        if found is None or not _plain(environ):
            return self.app(environ, start_response)
        route, match = found
        headers = self.learned.get((route.name, _scheme(environ)))
        if headers is None:
            return self._learn(route.name, environ, start_response)
        body = _body(environ)
        answer = None if body is None else route.handler(environ, match, body)
        if answer is None:
            return self.app(environ, start_response)
        body = answer.body
        own = [("Content-Type", answer.content_type)]
        if answer.location:
            own.append(("Location", answer.location))
        if len(body) >= 200 and GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", "")):
            # With random bytes in the header, as Django does against BREACH.
            compressed = compress_string(body, max_random_bytes=GZipMiddleware.max_random_bytes)
            if len(compressed) < len(body):
                body = compressed
                own.append(("Content-Encoding", "gzip"))
        start_response(answer.status, [*headers, *own, ("Content-Length", str(len(body)))])
        return [body]

    def _route(self, environ: dict[str, Any]) -> tuple[Route, re.Match[str]] | None:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
        for route in self.routes:
            if route.method == method and (match := route.path.match(path)):
                return route, match
        return None

    def _learn(
        self, name: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if status[:3] in ("200", "204", "303"):
                kept = [(k, v) for k, v in headers if k.lower() not in OWN_HEADERS]
                self.learned[(name, _scheme(environ))] = kept
            return start_response(status, headers, exc_info)

        return self.app(environ, capture)


def _body(environ: dict[str, Any]) -> bytes | None:
    """The posted body (b"" for a GET), left readable for Django; None when too large."""
    if environ.get("REQUEST_METHOD") == "GET":
        return b""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length > MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return bytes(body)


def _scheme(environ: dict[str, Any]) -> str:
    if settings.SECURE_PROXY_SSL_HEADER and environ.get("HTTP_X_FORWARDED_PROTO") == "https":
        return "https"
    return str(environ.get("wsgi.url_scheme", "http"))


def _plain(environ: dict[str, Any]) -> bool:
    """A request Django would serve as it is: an allowed host, and HTTPS if required."""
    if settings.SECURE_SSL_REDIRECT and _scheme(environ) != "https":
        return False
    domain, _port = split_domain_port(environ.get("HTTP_HOST", ""))
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)
