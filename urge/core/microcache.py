"""A very short-lived cache of whole pages, in front of Django, for traffic spikes.

A page that may be shared by everyone (no cookie, no query, a plain GET) and that asks for it
with the `Urge-Cache` header is kept as bytes for a couple of seconds in each worker process;
until then the same request is answered without running Django at all. The campaign page is
the same for every visitor apart from counts that are cached anyway, so a spike of thousands
of visitors costs one render per worker per couple of seconds. Responses that set a cookie,
or are not 200, are never kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpResponse

MARKER = "Urge-Cache"
MAX_ENTRIES = 512

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Key = tuple[str, str, str, bool]


def cache_briefly(response: HttpResponse, seconds: int) -> HttpResponse:
    """Mark a response as the same for everyone for `seconds` (0 leaves it uncached)."""
    if seconds > 0:
        response[MARKER] = str(seconds)
    return response


class MicroCache:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.entries: dict[Key, tuple[float, str, list[tuple[str, str]], bytes]] = {}
        self.filling = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key = self.key(environ)
        if key is None:
            return self.app(environ, start_response)
        entry = self.entries.get(key)
        if entry is not None and (entry[0] > time.monotonic() or not self.filling.acquire(False)):
            # Fresh; or stale while another thread of this worker renders it again, so a
            # spike never has every thread rendering the same page at once.
            _expires, status, headers, body = entry
            start_response(status, headers)
            return [body]
        if entry is None:
            return self.fill(key, environ, start_response)
        try:
            return self.fill(key, environ, start_response)
        finally:
            self.filling.release()

    @staticmethod
    def key(environ: dict[str, Any]) -> Key | None:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or environ.get("HTTP_COOKIE")
            or environ.get("HTTP_AUTHORIZATION")
        ):
            return None
        scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "")
        return (
            scheme,
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""),
        )

    def fill(
        self, key: Key, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, [h for h in headers if h[0] != MARKER], exc_info)

        result = self.app(environ, capture)
        headers: list[tuple[str, str]] = seen.get("headers", [])
        names = {name.lower(): value for name, value in headers}
        seconds = names.get(MARKER.lower(), "")
        if not seconds.isdigit() or not seen["status"].startswith("200 ") or "set-cookie" in names:
            self.entries.pop(key, None)  # no stale copy outlives a page that stopped qualifying
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(self.entries) >= MAX_ENTRIES:
            self.entries.clear()
        kept = [h for h in headers if h[0] != MARKER]
        self.entries[key] = (time.monotonic() + int(seconds), seen["status"], kept, body)
        return [body]
