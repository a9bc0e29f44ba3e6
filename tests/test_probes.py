"""`/healthz` and `/readyz` as a load balancer meets them: asked by the host's address, over
plain HTTP behind TLS, through the production stack (tests/wsgi.py). `/readyz` names each part
that fails (the database, Redis, the queue's table, the data release) and nothing secret."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.services import ROOT, free_port, production_environment, wait_for_http
from tests.supporters import sign_up
from tests.test_database_down import database_down
from tests.test_redis_down import redis_down  # noqa: F401 - the fixture, used by name
from tests.wsgi import request
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.core.rediscache import caches_for
from urge.legislators.models import DataRelease

BALANCER = "10.0.0.5:8000"  # how a load balancer asks: by the host's address
REDIS_URL = os.environ.get("URGE_TEST_REDIS_URL", "")


@pytest.fixture
def https(settings: Any) -> None:
    """URGE_HTTPS=true, as urge/settings.py sets it, before the stack is built (the security
    middleware reads the settings when it is made)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def lines(text: str) -> dict[str, str]:
    """The report's lines by part: {"database": "ok", ...}."""
    return dict(line.split(": ", 1) for line in text.splitlines()[1:])


def test_healthz_answers_a_balancer_that_asks_by_the_hosts_address(site: HttpCache) -> None:
    answer = request(site, "/healthz", HTTP_HOST=BALANCER)
    assert (answer.status, answer.text) == (200, "ok\n")
    assert "no-store" in answer.headers["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/", "/c/hketo/", "/healthz/", "/readyz/", "/zh-hant/healthz", "/manage/signin/"]
)
def test_every_other_path_still_refuses_that_host(
    hketo: Campaign, site: HttpCache, path: str
) -> None:
    assert request(site, path, HTTP_HOST=BALANCER).status == 400


@pytest.mark.usefixtures("https", "release")
def test_over_plain_http_behind_tls_the_probes_answer_and_pages_still_redirect(
    hketo: Campaign, site: HttpCache
) -> None:
    assert request(site, "/healthz", HTTP_HOST=BALANCER).status == 200
    assert request(site, "/readyz", HTTP_HOST=BALANCER).status == 200
    page = request(site, "/c/hketo/")
    assert (page.status, page.headers["Location"]) == (301, "https://testserver/c/hketo/")
    assert request(site, "/c/hketo/", HTTP_HOST=BALANCER).status == 400
    assert request(site, "/c/hketo/", HTTP_X_FORWARDED_PROTO="https").status == 200


def test_the_probes_answer_only_reads(site: HttpCache) -> None:
    assert request(site, "/healthz", "HEAD").status == 200
    assert request(site, "/healthz", "POST", b"a=1").status == 405
    assert request(site, "/readyz", "POST", b"a=1").status == 405


def test_readyz_reports_every_part_ready(release: DataRelease, site: HttpCache) -> None:
    answer = request(site, "/readyz", HTTP_HOST=BALANCER)
    assert answer.status == 200
    assert answer.text.splitlines()[0] == "ready"
    assert lines(answer.text) == {
        "database": "ok",
        "redis": "not configured",
        "queue": "ok",
        "data release": f"ok, #{release.pk} active",
    }
    assert "no-store" in answer.headers["Cache-Control"]


def test_readyz_counts_the_tasks_waiting_and_the_oldest_ones_wait_for_the_operator_only(
    hketo: Campaign, release: DataRelease, site: HttpCache, settings: Any
) -> None:
    """The queue's depth is a live sign of sign-ups: told only with the metrics token."""
    settings.URGE_METRICS_TOKEN = "operators-token"
    sign_up(hketo, email="first@example.org")
    sign_up(hketo, email="second@example.org")
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    assert first is not None
    then = timezone.now() - timedelta(seconds=90)
    DBTaskResult.objects.filter(pk=first.pk).update(enqueued_at=then)
    queue = lines(request(site, "/readyz", HTTP_AUTHORIZATION="Bearer operators-token").text)[
        "queue"
    ]
    assert queue.startswith("ok, 2 tasks waiting, the oldest for 9")  # 90 s, or 91 by now
    assert lines(request(site, "/readyz").text)["queue"] == "ok"
    guess = request(site, "/readyz", HTTP_AUTHORIZATION="Bearer a-guess")
    assert lines(guess.text)["queue"] == "ok"


def test_readyz_is_not_ready_without_an_active_data_release(db: None, site: HttpCache) -> None:
    answer = request(site, "/readyz")
    assert answer.status == 503
    assert answer.text.splitlines()[0] == "not ready"
    assert lines(answer.text)["data release"] == "none active"
    assert lines(answer.text)["database"] == "ok"


@pytest.mark.usefixtures("release")
def test_readyz_names_the_database_when_it_does_not_answer(site: HttpCache, tmp_path: Path) -> None:
    with database_down(tmp_path):
        answer = request(site, "/readyz", HTTP_HOST=BALANCER)
        alive = request(site, "/healthz", HTTP_HOST=BALANCER)
    assert answer.status == 503
    assert lines(answer.text) == {
        "database": "unreachable",
        "redis": "not configured",
        "queue": "not checked",
        "data release": "not checked",
    }
    assert alive.status == 200  # alive all the same: a restart would not bring it back


@pytest.mark.usefixtures("release", "redis_down")
def test_readyz_names_redis_when_it_does_not_answer_and_never_its_address(
    site: HttpCache, settings: Any
) -> None:
    answer = request(site, "/readyz")
    assert answer.status == 503
    assert lines(answer.text)["redis"] == "unreachable"
    assert lines(answer.text)["database"] == "ok"
    port = str(urlsplit(settings.REDIS_URL).port)
    assert port not in answer.text
    assert "redis://" not in answer.text


@pytest.mark.skipif(not REDIS_URL, reason="URGE_TEST_REDIS_URL is not set (.ci/run sets it)")
@pytest.mark.usefixtures("release")
def test_readyz_pings_redis_when_it_is_configured(site: HttpCache) -> None:
    with override_settings(REDIS_URL=REDIS_URL, CACHES=caches_for(REDIS_URL)):
        answer = request(site, "/readyz")
    assert answer.status == 200
    assert lines(answer.text)["redis"] == "ok"


@pytest.fixture
def queue_table_gone(db: None) -> None:
    """The queue's table dropped inside the test's transaction, which puts it back."""
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{DBTaskResult._meta.db_table}"')


@pytest.mark.usefixtures("release", "queue_table_gone")
def test_readyz_names_the_queue_when_its_table_cannot_be_read(site: HttpCache) -> None:
    answer = request(site, "/readyz")
    assert answer.status == 503
    assert lines(answer.text)["queue"] == "unreadable"
    assert lines(answer.text)["data release"].startswith("ok, #")


def test_a_served_site_answers_the_probes_as_a_balancer_asks(tmp_path: Path) -> None:
    """`urge serve` (granian) with URGE_HTTPS on and one public host name: a balancer asking by
    address over plain HTTP gets its answers; every page still redirects or refuses."""
    port = free_port()
    env = production_environment(
        tmp_path, URGE_HTTPS="true", ALLOWED_HOSTS="urge.example.org", URGE_PROXY_COUNT="1"
    )
    serve = ["serve", f"--port={port}", "--workers=1", "--threads=2", "--no-queue-worker"]
    server = subprocess.Popen([sys.executable, "-m", "urge.cli", *serve], env=env, cwd=ROOT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", server)
        address = f"10.0.0.5:{port}"
        assert ask(port, "/healthz", address)[:2] == (200, "")
        status, _location, body = ask(port, "/readyz", address)
        assert status == 503  # a new site: no legislator data yet
        assert "database: ok" in body
        assert "data release: none active" in body
        assert ask(port, "/", "urge.example.org")[:2] == (301, "https://urge.example.org/")
        assert ask(port, "/", address)[0] == 400
    finally:
        server.terminate()
        server.wait(timeout=30)


def ask(port: int, path: str, host: str) -> tuple[int, str, str]:
    """Status, Location and body of a plain-HTTP GET with this Host header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.getheader("Location", ""), response.read().decode()
    finally:
        connection.close()
