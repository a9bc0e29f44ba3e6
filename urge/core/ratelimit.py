"""Rate limits: one interface, `hit(limit, key)`, counting per keyed hash, never an address.

Where the counts live follows from the configuration: with REDIS_URL, in Redis, shared by
every host; otherwise, and while Redis does not answer, in the table every worker of this
server shares (urge/core/sharedcounts.py). Each count lasts as long as its own window. The
limits come from URGE_RATE_* settings, parsed when the site starts (urge/env.py): a typo
stops it there.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from urge.core.hashing import keyed_hash
from urge.core.rediscache import CacheUnavailable
from urge.core.sharedcounts import TOKENS, shared

# A limit's name, and the setting that holds its (count, seconds).
SETTINGS = {
    "signup": "URGE_RATE_SIGNUP",
    "resend": "URGE_RATE_RESEND",
    "action": "URGE_RATE_ACTION",
    "signin": "URGE_RATE_SIGNIN",
    "geocode": "URGE_RATE_GEOCODE",
    "mail-hour": "URGE_RATE_MAIL_HOUR",
    "mail-day": "URGE_RATE_MAIL_DAY",
}


@dataclass(frozen=True)
class Limit:
    """At most `count` hits in each window of `seconds`, per key."""

    name: str
    count: int
    seconds: int


def limit(name: str, counter: str = "") -> Limit:
    """The configured limit `name` (a key of SETTINGS); `counter` names a separate count of
    it (the sign-in limit counts passwords and codes apart)."""
    count, seconds = getattr(settings, SETTINGS[name])
    return Limit(counter or name, count, seconds)


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the right entry of X-Forwarded-For behind proxies."""
    return meta_address(request.META)


def meta_address(meta: Mapping[str, Any]) -> str:
    """The same, from a WSGI environ (which is what request.META is)."""
    proxies = settings.URGE_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return str(meta.get("REMOTE_ADDR", ""))


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the visitor's address: counts repeat visits, reveals no address."""
    return address_key(request.META)


def address_key(meta: Mapping[str, Any]) -> str:
    return keyed_hash("ip:" + meta_address(meta))


def hit(limit: Limit, key: str, now: float | None = None) -> bool:
    """Count one hit; True while the key is within its limit, False once over it."""
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    ends = (window + 1) * limit.seconds
    counter_key = f"{limit.name}:{window}:{key}"
    count = _hit_in_cache(counter_key, ends - int(now)) if settings.REDIS_URL else None
    if count is None:
        # Without Redis, or while it is down: this host's table, shared by its workers.
        count = shared().hit(counter_key, ends, int(now))
    return count <= limit.count


def _hit_in_cache(counter_key: str, seconds: int) -> int | None:
    """The count in Redis, this hit included; None while Redis does not answer."""
    try:
        cache.add(counter_key, 0, timeout=seconds + 1)
        try:
            return int(cache.incr(counter_key))
        except ValueError:  # expired between add and incr: start again
            cache.add(counter_key, 1, timeout=seconds + 1)
            return 1
    except CacheUnavailable:
        return None


def first_use(name: str, key: str, until: float, now: float | None = None) -> bool:
    """True the first time `key` is used before `until` (Unix seconds), False every time
    after: a one-time token spent. Counted where the rate limits are, so every worker of a
    server, and with Redis every host, sees the same spending; forgotten once `until` is past."""
    now = time.time() if now is None else now
    ends = int(until) + 1
    counter_key = f"{name}:{key}"
    seconds = max(ends - int(now), 1)
    count = _hit_in_cache(counter_key, seconds) if settings.REDIS_URL else None
    if count is None:
        # As for rate limits: without Redis, or while it is down, this host's table.
        count = shared().hit(counter_key, ends, int(now), part=TOKENS)
    return count == 1
