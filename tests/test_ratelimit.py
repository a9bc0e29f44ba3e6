"""Rate limits hold across separate processes, in the database by default and in Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from tests.conftest import ROOT
from urge.core.models import RateCounter
from urge.core.ratelimit import Limit, client_address, client_key, hit

REDIS_URL = os.environ.get("URGE_TEST_REDIS_URL", "")

# Each process tries 15 times against a shared limit of 20; four processes at once.
HAMMER = """
import django; django.setup()
from urge.core.ratelimit import Limit, hit
print(sum(hit(Limit("test", 20, 3600), "same-client") for _ in range(15)))
"""


def run_processes(env: dict[str, str], count: int) -> list[int]:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(count)
    ]
    return [int(run.communicate(timeout=120)[0]) for run in runs]


def process_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="urge.settings",
        SECRET_KEY="x" * 50,
        URGE_VAR_DIR=str(tmp_path),
        **extra,
    )
    return env


def test_worker_processes_share_one_allowance_in_the_database(tmp_path: Path) -> None:
    env = process_env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "urge.cli", "migrate", "--verbosity=0"], env=env, check=True
    )
    assert sum(run_processes(env, 4)) == 20


@pytest.mark.skipif(not REDIS_URL, reason="URGE_TEST_REDIS_URL is not set (.ci/run sets it)")
def test_worker_processes_share_one_allowance_in_redis(tmp_path: Path) -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = process_env(tmp_path, REDIS_URL=REDIS_URL)
    assert sum(run_processes(env, 4)) == 20


def test_a_new_window_starts_a_new_allowance(db: None) -> None:
    limit = Limit("short", 1, 3600)
    assert hit(limit, "a")
    assert not hit(limit, "a")
    assert hit(limit, "b")  # another client has its own allowance
    RateCounter.objects.update(expires_at="2000-01-01T00:00:00Z")
    RateCounter.objects.filter(key__contains=":a").update(key="short:1:a")  # an old window
    assert hit(limit, "a")
    assert RateCounter.objects.filter(key="short:1:a").count() == 0  # swept


def test_a_limit_reads_count_and_seconds_from_its_setting(settings: Any) -> None:
    settings.URGE_RATE_SIGNUP = "5/60"
    assert Limit.from_setting("signup", "URGE_RATE_SIGNUP") == Limit("signup", 5, 60)
    settings.URGE_RATE_SIGNUP = "5 per minute"
    with pytest.raises(ImproperlyConfigured, match="URGE_RATE_SIGNUP"):
        Limit.from_setting("signup", "URGE_RATE_SIGNUP")


def test_the_client_is_known_by_a_keyed_hash_never_the_address(settings: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    assert "198.51.100.7" not in client_key(request)
    assert client_key(request) == client_key(RequestFactory().get("/", REMOTE_ADDR="198.51.100.7"))
    assert client_key(request) != client_key(RequestFactory().get("/", REMOTE_ADDR="198.51.100.8"))


def test_behind_a_proxy_the_address_comes_from_the_forwarded_header(settings: Any) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7"
    )
    assert client_address(request) == "127.0.0.1"  # no proxy configured: the header is ignored
    settings.URGE_PROXY_COUNT = 1
    assert client_address(request) == "198.51.100.7"  # not the part a visitor could write
