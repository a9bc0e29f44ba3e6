"""Metrics in Prometheus's text format at /metrics, for the operator's monitoring alone.

What is counted: requests and their latency per route (django-prometheus's middleware, which
labels by the view's name, never by the path, so no token or typed value becomes a label),
pages the HTTP cache answered without Django (urge/core/httpcache.py), and the queue's depth
read from the database when scraped.

Who may read them: nobody, unless URGE_METRICS_TOKEN is set; then whoever sends it as
`Authorization: Bearer <token>` to GET /metrics. Every other request for /metrics goes on
as for a path that does not exist, to the site's 404: the campaign's domain does not even
say it has metrics. Without the token the middleware takes itself out of the chain
(MiddlewareNotUsed): nothing counted, nothing spent.

Prometheus must scrape each host on its own (through the load balancer it would reach one
host, a different one each time), at its own address and over plain HTTP inside the private
network, as the balancer's probes do (urge/core/health.py); Django would refuse that Host
(400) or redirect to HTTPS (301). So the scrape is answered by the middleware, which runs
before those checks: the token is what it asks for, and the answer holds counts alone.

`urge serve` runs several worker processes, each counting in memory of its own; it names a
fresh folder in PROMETHEUS_MULTIPROC_DIR, where prometheus_client's multiprocess mode keeps
each process's counts in a file, and /metrics, whichever worker answers it, adds them up.
"""

from __future__ import annotations

import hmac
import logging
import os
import shutil
import socket
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError
from django.db.models import Case, Count, F, Min, Q, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_prometheus.middleware import (  # type: ignore[import-untyped]
    Metrics,
    PrometheusAfterMiddleware,
    PrometheusBeforeMiddleware,
)
from django_prometheus.utils import Time, TimeSince  # type: ignore[import-untyped]
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
)
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from urge.core.httpcache import Entry, HttpCache, StartResponse
from urge.core.logs import METHODS

logger = logging.getLogger(__name__)

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
PATH = "/metrics"

CACHE_HITS = Counter(
    "urge_http_cache_hits",
    "Pages the HTTP cache in front of Django answered (not counted per route: Django never "
    "saw them).",
)


# What django-prometheus's middleware records that this site keeps: requests, and their count
# and latency per route, method and status. The rest (counts by method alone, by transport,
# charset or template, body sizes) says little more and would double the work per request.
KEPT = frozenset(
    {
        "django_http_requests_before_middlewares_total",
        "django_http_requests_latency_including_middlewares_seconds",
        "django_http_requests_unknown_latency_including_middlewares_total",
        "django_http_requests_total_by_view_transport_method",
        "django_http_responses_total_by_status_view_method",
        "django_http_requests_latency_seconds_by_view_method",
        "django_http_requests_unknown_latency_total",
        "django_http_exceptions_total_by_type",
        "django_http_exceptions_total_by_view",
    }
)


class _Unkept:
    """A metric not kept: whatever the middleware records in it goes nowhere."""

    def labels(self, *_values: str, **_labels: str) -> _Unkept:
        return self

    def inc(self, _amount: float = 1) -> None:
        pass

    def observe(self, _amount: float) -> None:
        pass


class KeptMetrics(Metrics):  # type: ignore[misc]
    """django-prometheus's metrics, those outside KEPT left unregistered (its documented
    way to change them: a subclass's register_metric)."""

    _instance = None  # one of its own, never a plain Metrics made elsewhere

    def register_metric(
        self, metric_cls: type, name: str, documentation: str, labelnames: Any = (), **kwargs: Any
    ) -> Any:
        if name not in KEPT:
            return _Unkept()
        return super().register_metric(metric_cls, name, documentation, labelnames, **kwargs)


class _OnlyWhenRead:
    """Out of the middleware chain unless someone may read what it counts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.URGE_METRICS_TOKEN:
            raise MiddlewareNotUsed("URGE_METRICS_TOKEN is not set: no metrics are served.")
        super().__init__(get_response)  # type: ignore[call-arg]


class RequestsBefore(_OnlyWhenRead, PrometheusBeforeMiddleware):  # type: ignore[misc]
    """Early in MIDDLEWARE (after the probes): every request, and its time through all the
    middleware; and the answer to a scrape that carries the token."""

    metrics_cls = KeptMetrics

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        super().process_request(request)
        scrape = request.path_info == PATH and request.method in ("GET", "HEAD")
        return exposition() if scrape and authorised(request) else None


class RequestsAfter(_OnlyWhenRead, PrometheusAfterMiddleware):  # type: ignore[misc]
    """Last in MIDDLEWARE: requests and latency per route name, method and status.

    django-prometheus's own process_request and process_response record the metrics KEPT
    leaves out, and read the request's headers and the response's body and charset to do it;
    these two record only what is kept. Its method label is made safe everywhere: a word a
    client sends as its method would otherwise make a new series (its latency label takes the
    method as it comes)."""

    metrics_cls = KeptMetrics

    def process_request(self, request: HttpRequest) -> None:
        request.prometheus_after_middleware_event = Time()  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        view, method = self._get_view_name(request), self._method(request)
        status = str(response.status_code)
        self.metrics.responses_by_status_view_method.labels(status, view, method).inc()
        started = getattr(request, "prometheus_after_middleware_event", None)
        if started is None:
            self.metrics.requests_unknown_latency.inc()
        else:
            latency = self.metrics.requests_latency_by_view_method
            latency.labels(view, method).observe(TimeSince(started))
        return response

    def label_metric(
        self, metric: Any, request: HttpRequest, response: Any = None, **labels: str
    ) -> Any:
        if not labels or isinstance(metric, _Unkept):
            return metric
        if labels.get("method", "GET") not in METHODS:
            labels["method"] = "<invalid method>"  # the word django-prometheus uses elsewhere
        return metric.labels(**labels)


class CountedHttpCache(HttpCache):
    """The HTTP cache (urge/wsgi.py), counting the pages it answers from its store."""

    @staticmethod
    def _replay(entry: Entry, now: float, start_response: StartResponse) -> Iterable[bytes]:
        CACHE_HITS.inc()
        return HttpCache._replay(entry, now, start_response)


def authorised(request: HttpRequest) -> bool:
    """Whether the request carries `Authorization: Bearer <URGE_METRICS_TOKEN>`; compared in
    constant time, so the answer's timing says nothing of how much of a guess was right."""
    expected = settings.URGE_METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def exposition() -> HttpResponse:
    """The metrics of every worker process of this host, and the queue's depth; never
    stored by any cache, and read as plain text only."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REGISTRY)  # a registry is a collector too
    registry.register(QueueDepth())
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class QueueDepth:
    """The background queue (django_tasks_db's table), read when scraped: the same figures
    from every host, since they share the database."""

    def collect(self) -> Iterator[Metric]:
        try:
            counts, oldest = queue_counts(), oldest_ready_seconds()
        except DatabaseError as error:
            why = type(error).__name__  # its message may name the database's address
            logger.warning("Queue metrics left out: the database did not answer (%s).", why)
            return
        tasks = GaugeMetricFamily(
            "urge_queue_tasks",
            "Tasks in the queue: ready to run, scheduled for later (retries), running, or "
            "failed on every try (kept until `urge purge` prunes them).",
            labels=["state", "task"],
        )
        for (state, task), count in sorted(counts.items()):
            tasks.add_metric([state, task], count)
        yield tasks
        yield GaugeMetricFamily(
            "urge_queue_oldest_ready_seconds",
            "How long the longest-waiting task ready to run has waited (0: none waiting).",
            value=oldest,
        )


def queue_counts() -> dict[tuple[str, str], int]:
    """Tasks by state and task path, finished successfully ones aside."""
    now = timezone.now()
    later = Q(status=TaskResultStatus.READY, run_after__gt=now) & ~Q(run_after=get_date_max())
    rows = (
        DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL)
        .order_by()
        .values("status", "task_path")
        .annotate(total=Count("pk"), later=Count("pk", filter=later))
    )
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        status, task, total, scheduled = (
            str(row["status"]).lower(),
            str(row["task_path"]),
            int(row["total"]),
            int(row["later"]),
        )
        if status == "ready":
            counts["ready", task] = total - scheduled
            counts["scheduled", task] = scheduled
        else:
            counts[status, task] = total
    return counts


def oldest_ready_seconds() -> float:
    """Seconds since the longest-waiting ready task became ready: when it was queued, or the
    moment it was scheduled for."""
    became_ready = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(became_ready))["oldest"]
    if oldest is None:
        return 0.0
    return max(0.0, float((timezone.now() - oldest).total_seconds()))


def multiprocess_folder(var_dir: Path, port: int) -> Path:
    """An empty folder for this server's worker processes to count in, under the var folder.

    Named by host and port, which no two running servers share (several hosts may share a
    var folder): what a server on this port left before is removed, and nothing else."""
    folder = var_dir / "metrics" / f"{socket.gethostname()}-{port}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    return folder
