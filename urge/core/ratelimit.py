"""Rate limits that hold across every worker process and host, keyed on hashed client addresses.

With REDIS_URL set, counters live in Redis (atomic INCR), shared by every host. Otherwise,
under `urge serve`, in memory shared by all of its worker processes (urge/core/
sharedcounts.py); and in any other process, in the database, as one atomic upsert per hit.
A per-process memory counter would let each worker grant the whole allowance again.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.http import HttpRequest

from urge.core.models import RateCounter
from urge.core.sharedcounts import shared
from urge.supporters.crypto import keyed_hash


@dataclass(frozen=True)
class Limit:
    """At most `count` hits in each window of `seconds`, per key."""

    name: str
    count: int
    seconds: int

    @classmethod
    def from_setting(cls, name: str, setting: str) -> Limit:
        value = getattr(settings, setting)
        try:
            count, seconds = (int(part) for part in value.split("/"))
        except ValueError:
            raise ImproperlyConfigured(
                f'{setting} must look like "20/3600" (at most 20 in each 3600 seconds), '
                f"not {value!r}."
            ) from None
        if count < 0 or seconds < 1:
            raise ImproperlyConfigured(f"{setting} needs a count >= 0 and seconds >= 1.")
        return cls(name, count, seconds)


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


def hit(limit: Limit, key: str) -> bool:
    """Count one hit; True while the key is within its limit, False once over it."""
    now = time.time()
    window = int(now // limit.seconds)
    counter_key = f"{limit.name}:{window}:{key}"
    table = shared()
    if settings.REDIS_URL:
        count = _hit_in_cache(counter_key, limit.seconds)
    elif table is not None:
        count = table.hit(counter_key, window)
    else:
        expires = datetime.fromtimestamp((window + 1) * limit.seconds, tz=UTC)
        count = _hit_in_database(counter_key, expires)
    return count <= limit.count


def _hit_in_cache(counter_key: str, seconds: int) -> int:
    cache.add(counter_key, 0, timeout=seconds + 1)
    try:
        return int(cache.incr(counter_key))
    except ValueError:  # expired between add and incr: start again
        cache.add(counter_key, 1, timeout=seconds + 1)
        return 1


_UPSERT = (
    "INSERT INTO core_ratecounter (key, count, expires_at) VALUES (%s, 1, %s) "
    "ON CONFLICT (key) DO UPDATE SET count = core_ratecounter.count + 1 RETURNING count"
)


def _hit_in_database(counter_key: str, expires: datetime) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_UPSERT, [counter_key, connection.ops.adapt_datetimefield_value(expires)])
        row = cursor.fetchone()
    count = int(row[0])
    if count == 1:  # a new window: sweep the counters of windows gone by
        RateCounter.objects.filter(expires_at__lt=datetime.now(tz=UTC)).delete()
    return count
