"""Noticing a reverse proxy that URGE_PROXY_COUNT does not count.

With URGE_PROXY_COUNT at 0, rate limits count by REMOTE_ADDR. Behind a proxy that is the
proxy's address, so every visitor shares one allowance. A request that carries
X-Forwarded-For from a loopback or private address is most likely such a proxy's: the first
one is logged, once per process, and `urge check --deploy` says so when it runs in a
process that saw one (urge/core/checks.py). Nothing of the visitor's address is kept.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from urge.core.memo import forgettable

logger = logging.getLogger(__name__)

_seen = False


class ProxyCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _seen and settings.URGE_PROXY_COUNT == 0:
            _notice(request.META.get("REMOTE_ADDR", ""), "HTTP_X_FORWARDED_FOR" in request.META)
        return self.get_response(request)


def _notice(peer: str, forwarded: bool) -> None:
    global _seen
    if not forwarded or not _private(peer):
        return
    _seen = True
    logger.warning(
        "A request came through a proxy (X-Forwarded-For, from a private address) while "
        "URGE_PROXY_COUNT is 0: every visitor counts as the proxy for rate limits. Set "
        "URGE_PROXY_COUNT to the number of proxies in front of the site."
    )


def _private(peer: str) -> bool:
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False  # a Unix socket, or no address: not a proxy we can tell of
    return address.is_private or address.is_loopback


def seen_uncounted_proxy() -> bool:
    """Whether this process has seen a request from a proxy that URGE_PROXY_COUNT ignores."""
    return _seen


def forget() -> None:
    """As a new process (for tests)."""
    global _seen
    _seen = False


forgettable(forget)
