"""`/healthz` and `/readyz`, for load balancers, answered before any other middleware runs.

A load balancer probes each host by its address (`Host: 10.0.0.5:8000`) and, when TLS ends
at the balancer, over plain HTTP. Django would answer such a probe 400 (the Host is not in
ALLOWED_HOSTS) or 301 (URGE_HTTPS redirects plain HTTP), and the balancer would mark every
host down. Django has a setting for half of that, SECURE_REDIRECT_EXEMPT, but none that
exempts a path from the host check, which several middlewares make (UnreadableRequestMiddleware
reads the host first of all, then CommonMiddleware, then CSRF); adding the hosts' addresses, or
"*", to ALLOWED_HOSTS would open every page to them. So one middleware, first in MIDDLEWARE,
answers these two exact paths (GET or HEAD) itself, and passes every other request on
untouched: the exemption is one rule in one place, and no other path, not even `/healthz/`,
gets past the checks with a bad host. These answers are plain text and never cached; they
carry none of the page headers the later middlewares add (CSP and the like guard HTML), only
`nosniff`.

- `/healthz`: the process answers HTTP. Nothing else is checked, so that a database or Redis
  outage never makes a balancer restart or drop hosts that would serve its 503 pages anyway.
- `/readyz`: this host can do its work: the database answers a query, Redis answers PING when
  REDIS_URL is set, the queue's table can be read (with how many tasks wait, and for how long),
  and a legislator data release is active. 200 when all pass; 503 otherwise, naming each
  failing part. How many tasks wait, and for how long, is a live sign of sign-ups coming in,
  so only a request with the metrics token (urge/core/metrics.py) is told; anyone else reads
  "queue: ok". The report holds fixed words and counts only: never a URL, a host name or an
  exception's text, which could carry a password. Each part's own module logs its outages
  (urge/core/unavailable.py, urge/core/rediscache.py), so a probe every few seconds adds no
  lines to the log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

from urge.core.metrics import authorised
from urge.core.rediscache import ForgivingRedisCache


@dataclass(frozen=True)
class Part:
    """One line of the readiness report: "database: ok", "redis: unreachable"."""

    name: str
    ok: bool
    said: str

    def line(self) -> str:
        return f"{self.name}: {self.said}"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 while the process answers: for a balancer's liveness probe."""
    return _plain("ok\n", 200)


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when every part this host needs answers; 503 naming those that do not."""
    parts = readiness(detailed=authorised(request))
    ready = all(part.ok for part in parts)
    report = ["ready" if ready else "not ready", *(part.line() for part in parts)]
    return _plain("\n".join(report) + "\n", 200 if ready else 503)


def readiness(detailed: bool = True) -> list[Part]:
    database = _database()
    if database.ok:
        after = [_queue(detailed), *(_app_check(name, check) for name, check in APP_CHECKS)]
    else:
        after = [Part(name, True, "not checked") for name in ("queue", *dict(APP_CHECKS))]
    return [database, _redis(), *after]


def _database() -> Part:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return Part("database", False, "unreachable")
    return Part("database", True, "ok")


def _redis() -> Part:
    if not settings.REDIS_URL:
        return Part("redis", True, "not configured")
    cache = caches["default"]
    if isinstance(cache, ForgivingRedisCache) and cache.answers():
        return Part("redis", True, "ok")
    return Part("redis", False, "unreachable")


def _queue(detailed: bool) -> Part:
    try:
        with transaction.atomic():  # a failed read must not spoil the connection's state
            waiting = DBTaskResult.objects.ready().aggregate(
                oldest=Min("enqueued_at"), count=Count("pk")
            )
    except DatabaseError:
        return Part("queue", False, "unreadable")
    if not detailed:
        return Part("queue", True, "ok")
    count, oldest = waiting["count"], waiting["oldest"]
    said = f"ok, {count} task{'s' if count != 1 else ''} waiting"
    if oldest is not None:
        said += f", the oldest for {int((timezone.now() - oldest).total_seconds())} s"
    return Part("queue", True, said)


# Checks the apps above core add (core imports none of them): the legislators app adds
# "data release" in its AppConfig.ready(). Each runs inside a transaction, after the database
# answered, and a database error in one counts as that part unreadable.
Check = Callable[[], Part]
APP_CHECKS: list[tuple[str, Check]] = []


def add_check(name: str, check: Check) -> None:
    """Add an app's own part to /readyz (once per name)."""
    if name not in {known for known, _ in APP_CHECKS}:
        APP_CHECKS.append((name, check))


def _app_check(name: str, check: Check) -> Part:
    try:
        with transaction.atomic():  # a failed read must not spoil the connection's state
            return check()
    except DatabaseError:
        return Part(name, False, "unreadable")


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The exact paths this module answers, and nothing else.
PROBES = {"/healthz": healthz, "/readyz": readyz}


class ProbeMiddleware:
    """First in MIDDLEWARE: `/healthz` and `/readyz` answered for any Host, over HTTP or
    HTTPS; every other request goes on to Django's checks untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)
