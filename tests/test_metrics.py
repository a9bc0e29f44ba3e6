"""/metrics: the operator's Prometheus reads request counts per route, cache hits and the
queue's depth with its token; everyone else gets the site's 404, and the pages stay as they
were (no header, no cookie, the HTTP cache still replaying them)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.services import ROOT, free_port, production_environment, run_urge, wait_for_http
from tests.supporters import sign_up
from tests.wsgi import request
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.core.metrics import CountedHttpCache, multiprocess_folder
from urge.supporters.tasks import send_confirmation

TOKEN = "a-long-random-metrics-token"
BEARER = f"Bearer {TOKEN}"
VIEWS = "django_http_requests_total_by_view_transport_method_total"
LATENCY = "django_http_requests_latency_seconds_by_view_method_count"


def value(body: str, name: str, **labels: str) -> float:
    """The sample `name` with these labels (others may be there too), 0 when absent."""
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                return float(sample.value)
    return 0.0


def scrape(client: Client | None = None) -> str:
    answer = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=BEARER)
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.fixture
def metrics_on() -> Iterator[None]:
    with override_settings(URGE_METRICS_TOKEN=TOKEN):
        yield


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"],
)
def test_without_the_token_metrics_are_the_sites_404(
    metrics_on: None, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    refused = Client().get("/metrics", **headers)  # type: ignore[arg-type]
    unknown = Client().get("/no-such-page")
    assert refused.status_code == unknown.status_code == 404
    assert refused.content == unknown.content


def test_only_a_get_is_answered(db: None, metrics_on: None) -> None:
    posted = Client().post("/metrics", HTTP_AUTHORIZATION=BEARER)
    assert posted.status_code == 404
    assert Client().head("/metrics", HTTP_AUTHORIZATION=BEARER).status_code == 200


def test_each_host_is_scraped_at_its_own_address_over_plain_http(
    db: None, metrics_on: None, settings: Any
) -> None:
    """As the balancer's probes reach it: a Host that is not the site's, no TLS."""
    settings.SECURE_SSL_REDIRECT = True
    host = {"HTTP_HOST": "10.0.0.5:8000"}
    scraped = Client().get("/metrics", HTTP_AUTHORIZATION=BEARER, **host)  # type: ignore[arg-type]
    assert scraped.status_code == 200
    refused = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **host)  # type: ignore[arg-type]
    unknown = Client().get("/no-such-page", **host)  # type: ignore[arg-type]
    assert refused.status_code == unknown.status_code == 400  # a Host not in ALLOWED_HOSTS


def test_with_no_token_set_nobody_reads_metrics() -> None:
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer None").status_code == 404


def test_the_token_reads_counts_per_route_name(hketo: Campaign, metrics_on: None) -> None:
    before = value(scrape(), VIEWS, view="urge-campaign", method="GET")
    assert Client().get("/c/hketo/").status_code == 200
    assert Client().get("/zh-hant/c/hketo/").status_code == 200
    answer = Client().get("/metrics", HTTP_AUTHORIZATION=f"bearer {TOKEN}")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    assert answer["Cache-Control"] == "no-store"
    assert not answer.cookies
    body = answer.content.decode()
    assert value(body, VIEWS, view="urge-campaign", method="GET") == before + 2
    assert value(body, LATENCY, view="urge-campaign", method="GET") >= 2


def test_no_path_token_or_method_a_client_makes_up_becomes_a_label(
    hketo: Campaign, metrics_on: None
) -> None:
    token = f"{sign_up(hketo).ref}:1kZ9xq:{'s' * 27}"
    assert Client().put(f"/c/hketo/confirm/{token}/").status_code == 405
    Client().generic("BREW", "/c/hketo/")
    assert Client().get("/c/hketo/", CONTENT_LENGTH="lots").status_code == 200
    body = scrape()
    assert token.split(":")[0] not in body
    assert "/c/hketo" not in body
    assert "BREW" not in body
    assert value(body, LATENCY, view="urge-campaign", method="<invalid method>") >= 1


def test_the_middleware_changes_no_public_page(hketo: Campaign) -> None:
    plain = Client().get("/c/hketo/")
    with override_settings(URGE_METRICS_TOKEN=TOKEN):
        counted = Client().get("/c/hketo/")
    assert plain.headers.keys() == counted.headers.keys()
    assert plain["Cache-Control"] == counted["Cache-Control"]
    assert plain["Vary"] == counted["Vary"]
    assert not counted.cookies


def test_pages_the_cache_answers_are_counted_apart(
    hketo: Campaign, metrics_on: None, site: HttpCache
) -> None:
    counted = CountedHttpCache(site.app)  # with the metrics middleware: the token is set

    def scrape_here() -> str:  # not the test client: it would close the test's connection
        return request(counted, "/metrics", HTTP_AUTHORIZATION=BEARER).text

    before = scrape_here()
    first = request(counted, "/c/hketo/")
    again = request(counted, "/c/hketo/")
    assert first.status == again.status == 200
    assert "Age" in again.headers
    assert "Set-Cookie" not in again.headers
    after = scrape_here()
    hits = "urge_http_cache_hits_total"
    assert value(after, hits) == value(before, hits) + 1
    # Django saw the first request only.
    campaign_views = value(after, VIEWS, view="urge-campaign") - value(
        before, VIEWS, view="urge-campaign"
    )
    assert campaign_views == 1


def test_the_queue_depth_is_read_when_scraped(hketo: Campaign, metrics_on: None) -> None:
    sign_up(hketo)
    queued = DBTaskResult.objects.get()
    queued.enqueued_at = timezone.now() - timedelta(minutes=3)
    queued.save(update_fields=["enqueued_at"])
    later = timezone.now() + timedelta(minutes=30)
    send_confirmation.using(run_after=later).enqueue("a-retry", 2)
    body = scrape()
    task = queued.task_path
    assert value(body, "urge_queue_tasks", state="ready", task=task) == 1
    assert value(body, "urge_queue_tasks", state="scheduled", task=send_confirmation.module_path)
    assert 180 <= value(body, "urge_queue_oldest_ready_seconds") < 240


def test_each_server_counts_in_a_folder_of_its_own_emptied_at_start(tmp_path: Path) -> None:
    folder = multiprocess_folder(tmp_path, 8000)
    (folder / "counter_123.db").write_bytes(b"from the last run")
    other = multiprocess_folder(tmp_path, 8001)
    (other / "counter_456.db").write_bytes(b"another server's")
    again = multiprocess_folder(tmp_path, 8000)
    assert again == folder
    assert list(again.iterdir()) == []
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert (other / "counter_456.db").exists()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`urge serve` with two worker processes, metrics on and JSON logs; its base URL and
    its var folder (where its log goes too)."""
    var_dir = tmp_path_factory.mktemp("served")
    env = production_environment(
        var_dir, URGE_METRICS_TOKEN=TOKEN, URGE_LOG_FORMAT="json", URGE_QUEUE_WORKER="false"
    )
    run_urge(env, "migrate", "--verbosity=0")
    run_urge(env, "load", "campaigns/hketo")
    run_urge(env, "collectstatic", "--no-input", "--verbosity=0")
    port = free_port()
    with (var_dir / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "urge.cli",
                "serve",
                "--skip-setup",
                f"--port={port}",
                "--workers=2",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(f"{base_url}healthz", process)
        yield base_url, var_dir
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(url: str, **headers: str) -> str:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return str(r.read().decode())


def joins_counted_in(path: Path) -> float:
    """The join page's count in one worker process's file of counters."""
    families = MultiProcessCollector.merge([str(path)])  # type: ignore[no-untyped-call]
    return sum(
        float(sample.value)
        for family in families
        for sample in family.samples
        if sample.name == VIEWS and sample.labels["view"] == "urge-join"
    )


def test_metrics_add_up_every_worker_process(served: tuple[str, Path]) -> None:
    base_url, var_dir = served
    pages = 200
    for _ in range(pages):  # a connection each: the kernel spreads them over both workers
        _get(f"{base_url}c/hketo/join/")
    with pytest.raises(urllib.error.HTTPError, match="404"):
        _get(f"{base_url}metrics")
    per_process = {
        path.name: joins_counted_in(path) for path in (var_dir / "metrics").glob("*/counter_*.db")
    }
    assert len([count for count in per_process.values() if count]) == 2, per_process
    assert sum(per_process.values()) == pages
    for _ in range(6):  # whichever worker answers, the same sum
        body = _get(f"{base_url}metrics", Authorization=BEARER)
        assert value(body, VIEWS, view="urge-join", method="GET") == pages


def test_the_served_log_is_json_lines(served: tuple[str, Path]) -> None:
    base_url, var_dir = served
    with pytest.raises(urllib.error.HTTPError, match="404"):
        _get(f"{base_url}no-such-page")
    lines = (var_dir / "serve.log").read_text().splitlines()
    # Not a log line: what `urge serve` prints to say where it serves. (granian's own lines,
    # such as its warning of more threads than cores, are JSON too.)
    logged = [line for line in lines if not line.startswith("Serving Urge on ")]
    records = [json.loads(line) for line in logged]
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
    not_found = [record for record in records if record["message"].endswith("/no-such-page")]
    assert not_found[0]["method"] == "GET"
    assert not_found[0]["status"] == 404
    assert not any("127.0.0.1" in line for line in logged)
