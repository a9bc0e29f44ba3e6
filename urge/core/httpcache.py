"""A shared HTTP cache in front of Django, in each worker process: it replays only what Django
marked `Cache-Control: public`, as nginx's proxy cache or a CDN would from the same headers.

Why a module of our own: no maintained WSGI middleware does this (pagecache, wsgistate and
wsgi_cache on PyPI have had no release in a decade, and set lifetimes per URL prefix instead
of reading Cache-Control), and Django's own cache middleware runs inside the middleware
chain, after the costs a spike is made of. A laptop or a single host runs without nginx in
front, yet a spike of supporters asks for the same few pages thousands of times a second.
Django decides everything here: the cache adds no rule of its own about which pages may be shared.

What it follows, from RFC 9111, for the responses Urge makes:
- only GET, without `Authorization`, and without conditional headers (those go to Django);
- only a 200 whose `Cache-Control` says `public` with `s-maxage` or `max-age` above 0, and
  neither `private`, `no-store` nor `no-cache`; never one that sets a cookie, never `Vary: *`,
  never a body above MAX_BODY;
- the key is the scheme, host, path and the whole query string, then the request headers
  the response names in `Vary` (on Urge's pages, compression: the path sets the language);
- it may let a page expire up to a fifth before its max-age, so that pages stored together
  are not all rendered again together;
- it keeps at most MAX_ENTRIES answers and MAX_BYTES of them, dropping the oldest first;
- it serves the stored status, headers and bytes as they were, adding only `Age`, as a cache
  must; with `stale-while-revalidate`, one thread renders a stale page again while the
  others keep serving the stale copy.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Headers = list[tuple[str, str]]

MAX_ENTRIES = 4096
MAX_BYTES = 64 * 1024 * 1024  # per worker; the oldest stored goes first beyond it
MAX_BODY = 512 * 1024
# Requests with these go to Django: it alone answers for people and for conditional GETs.
BYPASS = ("HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE")


@dataclass(frozen=True)
class Freshness:
    """How long Django said a response may be shared, in seconds (0: never)."""

    fresh: int
    stale_while_revalidate: int = 0


def shareable(status: str, headers: Headers) -> Freshness | None:
    """The freshness Django gave this response, or None if a shared cache must not keep it."""
    if not status.startswith("200 "):
        return None
    if not _says_public(headers):
        return None  # most answers: nothing more to read (about 1% of the sign-up page GET)
    names = {name.lower() for name, _value in headers}
    if "set-cookie" in names:
        return None
    directives: dict[str, str] = {}
    for name, value in headers:
        if name.lower() == "cache-control":
            for part in value.split(","):
                key, _sep, argument = part.strip().lower().partition("=")
                directives[key] = argument.strip('"')
    if "public" not in directives or {"private", "no-store", "no-cache"} & directives.keys():
        return None
    if "*" in _vary(headers):
        return None
    fresh = _seconds(directives.get("s-maxage") or directives.get("max-age", ""))
    if not fresh:
        return None
    return Freshness(fresh, _seconds(directives.get("stale-while-revalidate", "")))


def _says_public(headers: Headers) -> bool:
    """Whether a Cache-Control header could say `public`: without the word, it cannot."""
    return any(
        name.lower() == "cache-control" and "public" in value.lower() for name, value in headers
    )


def _seconds(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _vary(headers: Headers) -> tuple[str, ...]:
    """The request headers the response depends on, as WSGI environ keys."""
    found: list[str] = []
    for name, value in headers:
        if name.lower() == "vary":
            for field in value.split(","):
                field = field.strip()
                if field == "*":
                    found.append("*")
                elif field:
                    found.append("HTTP_" + field.upper().replace("-", "_"))
    return tuple(sorted(set(found)))


@dataclass
class Entry:
    status: str
    headers: Headers
    body: bytes
    stored: float
    freshness: Freshness
    # At most Django's max-age, shortened by up to a fifth at random: pages stored in the
    # same moment (say, the first seconds of a spike) are not all rendered again at once.
    lifetime: float = 0.0

    def age(self, now: float) -> int:
        return int(now - self.stored)

    def fresh(self, now: float) -> bool:
        return now - self.stored < self.lifetime

    def usable_stale(self, now: float) -> bool:
        return now - self.stored < self.lifetime + self.freshness.stale_while_revalidate


Primary = tuple[str, str, str, str, str]


class HttpCache:
    def __init__(
        self, app: WSGIApp, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES
    ) -> None:
        self.app = app
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        # Per URL, the headers its last response varied on; per variant, the stored answer.
        self.vary: dict[Primary, tuple[str, ...]] = {}
        self.entries: OrderedDict[tuple[Primary, tuple[str, ...]], Entry] = OrderedDict()
        self.lock = threading.Lock()
        self.refreshing: set[tuple[Primary, tuple[str, ...]]] = set()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        primary = _primary(environ)
        if primary is None:
            return self.app(environ, start_response)
        vary = self.vary.get(primary, ())
        key = (primary, tuple(str(environ.get(name, "")) for name in vary))
        entry = self.entries.get(key)
        now = time.monotonic()
        if entry is not None:
            if entry.fresh(now) or (entry.usable_stale(now) and not self._claim(key)):
                return self._replay(entry, now, start_response)
            try:
                return self._fill(primary, environ, start_response)
            finally:
                self.refreshing.discard(key)
        return self._fill(primary, environ, start_response)

    def _claim(self, key: tuple[Primary, tuple[str, ...]]) -> bool:
        """True for the one thread that renders a stale page again; the rest serve it stale."""
        with self.lock:
            if key in self.refreshing:
                return False
            self.refreshing.add(key)
            return True

    @staticmethod
    def _replay(entry: Entry, now: float, start_response: StartResponse) -> Iterable[bytes]:
        start_response(entry.status, [*entry.headers, ("Age", str(entry.age(now)))])
        return [entry.body]

    def _fill(
        self, primary: Primary, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: Headers, exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, list(headers)
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        freshness = shareable(seen["status"], seen["headers"]) if seen else None
        if freshness is None or not _small(seen["headers"]):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(body) <= MAX_BODY:
            self._store(
                primary, environ, Entry(seen["status"], seen["headers"], body, 0, freshness)
            )
        return [body]

    def _store(self, primary: Primary, environ: dict[str, Any], entry: Entry) -> None:
        vary = _vary(entry.headers)
        key = (primary, tuple(str(environ.get(name, "")) for name in vary))
        entry.stored = time.monotonic()
        spread = random.uniform(0.8, 1.0)  # noqa: S311 (timing, not secrecy)
        entry.lifetime = entry.freshness.fresh * spread
        with self.lock:
            if self.vary.get(primary, vary) != vary:
                # The page now varies on other headers: its old variants no longer apply.
                for old in [k for k in self.entries if k[0] == primary]:
                    self.bytes -= len(self.entries.pop(old).body)
            self.vary[primary] = vary
            replaced = self.entries.pop(key, None)
            self.bytes += len(entry.body) - (len(replaced.body) if replaced else 0)
            self.entries[key] = entry
            while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
                _key, oldest = self.entries.popitem(last=False)  # the oldest stored goes first
                self.bytes -= len(oldest.body)
            if len(self.vary) > 4 * self.max_entries:
                self.vary = {k[0]: self.vary[k[0]] for k in self.entries}


def _primary(environ: dict[str, Any]) -> Primary | None:
    if environ.get("REQUEST_METHOD") != "GET" or any(name in environ for name in BYPASS):
        return None
    return (
        f"{environ.get('wsgi.url_scheme', '')}|{environ.get('HTTP_X_FORWARDED_PROTO', '')}",
        str(environ.get("HTTP_HOST", "")),
        str(environ.get("SCRIPT_NAME", "")),
        str(environ.get("PATH_INFO", "")),
        str(environ.get("QUERY_STRING", "")),
    )


def _small(headers: Headers) -> bool:
    """A body of known, modest length (static files above it stay with WhiteNoise)."""
    for name, value in headers:
        if name.lower() == "content-length":
            return value.isdigit() and int(value) <= MAX_BODY
    return True
