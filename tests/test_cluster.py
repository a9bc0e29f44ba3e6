"""Past one machine: two web hosts behind nginx, one PostgreSQL, one Redis, a queue worker,
the scheduler and an SMTP sink (tests/cluster.py). Under sign-ups and actions through the
balancer, one host is killed with SIGKILL: nothing acknowledged is lost, every stored
sign-up gets its confirmation email exactly once, a rate limit is counted once across both
hosts, and the other host goes on serving. `make bench-cluster` measures the same topology."""

from __future__ import annotations

import http.client
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import count
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.cluster import NGINX, Cluster, cluster, wait_until
from tests.legislator_sample import write_sample
from tests.smtp import SmtpServer

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="hosts share PostgreSQL"),
    pytest.mark.skipif(
        not os.environ.get("URGE_TEST_REDIS_URL"), reason="hosts share Redis (URGE_TEST_REDIS_URL)"
    ),
    pytest.mark.skipif(not NGINX.exists(), reason="nginx balances the hosts (nginx-light)"),
]

RESENDS_ALLOWED = 10
CLIENTS = 16
SIGNUP = {
    "first_name": "Ah Ming",
    "last_name": "Chan",
    "zip_code": "98104",
    "cohost_dc4hk": "on",
    "website": "",
}
ACTION = {
    "target": "S000001",
    "channel": "call-reached",
    "variant": "ask-for-a-vote",
    "t": "S000001",
    "state": "WA",
}


@pytest.fixture(scope="module")
def mail() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, mail: SmtpServer) -> Iterator[Cluster]:
    var = tmp_path_factory.mktemp("cluster")
    data = write_sample(var / "legislator-data")
    with cluster(
        var,
        os.environ["DATABASE_URL"],
        os.environ["URGE_TEST_REDIS_URL"],
        mail.port,
        data,
        URGE_RATE_SIGNUP="1000000/3600",
        URGE_RATE_ACTION="1000000/3600",
        URGE_RATE_RESEND=f"{RESENDS_ALLOWED}/3600",
    ) as started:
        yield started


def post(base: str, path: str, fields: dict[str, str], client: str | None = None) -> int:
    """A form post as a browser on the site sends it; the answer's status (0: no answer)."""
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + path,
    }
    if client is not None:  # as if through the balancer, from this address
        headers["X-Forwarded-For"] = client
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request("POST", path, urlencode(fields), headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def stamp(base: str) -> str | None:
    """A new sign-up form's stamp (each is good for one sign-up), as the site serves the form;
    None if no host answered."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request("GET", "/c/hketo/join/")
        page = connection.getresponse().read().decode()
    except OSError:
        return None
    finally:
        connection.close()
    found = re.search(r'name="stamp" value="([^"]+)"', page)
    return found[1] if found else None


def test_a_rate_limit_is_counted_once_across_both_hosts(site: Cluster) -> None:
    """One visitor's requests reaching both hosts share one allowance (in Redis)."""
    first, second = site.hosts
    statuses = [
        post(
            (first if n % 2 else second).base,
            "/c/hketo/join/resend/",
            {"email": f"resend-{n}@example.org"},
            client="203.0.113.9",
        )
        for n in range(3 * RESENDS_ALLOWED)
    ]
    assert statuses.count(200) == RESENDS_ALLOWED, statuses
    assert statuses.count(429) == 2 * RESENDS_ALLOWED


def test_a_host_killed_under_load_loses_nothing_and_the_other_serves(
    site: Cluster, mail: SmtpServer
) -> None:
    numbers = count()
    acknowledged = Counter[str]()
    answers = Counter[tuple[str, int]]()
    stop = threading.Event()
    lock = threading.Lock()

    def client() -> None:
        while not stop.is_set():
            n = next(numbers)
            if n % 2:
                form_stamp = stamp(site.base)
                if form_stamp is None:
                    continue
                fields = {**SIGNUP, "email": f"cluster-{n}@example.org", "stamp": form_stamp}
                path, kind = "/c/hketo/join/", "sign-up"
            else:
                path, kind = "/c/hketo/act/go/", "action"
                fields = ACTION
            status = post(site.base, path, fields)
            with lock:
                answers[kind, status] += 1
                if status == 303:
                    acknowledged[kind] += 1

    victim, survivor = site.hosts
    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        running = [clients.submit(client) for _ in range(CLIENTS)]
        time.sleep(3)
        victim.kill()
        time.sleep(3)
        stop.set()
        for done in running:
            done.result()

    stored_signups = site.count("supporters.Supporter")
    stored_actions = site.count("actions.ActionEvent")
    assert acknowledged["sign-up"] > 20, answers
    assert acknowledged["action"] > 20
    # A request the killed host had stored but not yet answered is stored, unacknowledged.
    assert stored_signups >= acknowledged["sign-up"]
    assert stored_actions >= acknowledged["action"]

    wait_until(site.queue_is_empty, 60, "the queue emptying")
    sent = Counter(address for recipients in mail.recipients for address in recipients)
    cluster_sent = {a: n for a, n in sent.items() if a.startswith("cluster-")}
    assert max(cluster_sent.values()) == 1, "an email went twice"
    assert len(cluster_sent) == stored_signups, "a stored sign-up got no email"

    assert post(site.base, "/c/hketo/act/go/", ACTION) == 303
    assert post(survivor.base, "/c/hketo/act/go/", ACTION) == 303


def test_every_role_ran_from_the_shared_settings(site: Cluster) -> None:
    """Each host kept its own var folder; the data keys are in the one shared folder."""
    keys = Path(site.env["URGE_KEY_DIR"])
    assert any(keys.iterdir())
    for host in site.hosts:
        assert not (Path(site.env["URGE_VAR_DIR"]).parent / host.name / "keys").exists()
