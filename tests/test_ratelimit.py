"""Rate limits: one allowance across a server's worker processes (or every host, with Redis),
each count lasting as long as its own window, and limits checked when the site starts."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.test import RequestFactory

from tests.conftest import ROOT
from tests.services import free_port, wait_for_http
from urge.core.ratelimit import Limit, client_address, client_key, first_use, hit, limit
from urge.core.sharedcounts import ENVIRONMENT, SharedCounts, table_path

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
        URGE_HASH_KEY="y" * 50,
        URGE_VAR_DIR=str(tmp_path),
        **extra,
    )
    return env


def test_worker_processes_share_one_allowance_in_the_servers_table(tmp_path: Path) -> None:
    env = process_env(tmp_path, **{ENVIRONMENT: str(tmp_path / "counts")})
    assert sum(run_processes(env, 4)) == 20


@pytest.mark.skipif(not REDIS_URL, reason="URGE_TEST_REDIS_URL is not set (.ci/run sets it)")
def test_worker_processes_share_one_allowance_in_redis(tmp_path: Path) -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = process_env(tmp_path, REDIS_URL=REDIS_URL)
    assert sum(run_processes(env, 4)) == 20


def test_threads_of_one_process_share_it_too(tmp_path: Path) -> None:
    table = SharedCounts(tmp_path / "counts")
    granted: list[bool] = []

    def hammer() -> None:
        granted.extend(table.hit("signup:same-client", 3600, 0) <= 50 for _ in range(40))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 50


def test_a_new_window_starts_a_new_allowance() -> None:
    short = Limit("short", 1, 3600)
    assert hit(short, "a", now=7200.0)
    assert not hit(short, "a", now=7300.0)
    assert hit(short, "b", now=7300.0)  # another client has its own allowance
    assert hit(short, "a", now=10800.0)  # the next hour


def test_limits_of_other_windows_never_take_a_live_count() -> None:
    """A sign-up hit (hourly) must not reset a staff sign-in count (every 15 minutes), on a
    table so full that every key shares its few slots with others."""
    table = SharedCounts(None, slots=8)
    now = 1_000_000
    signin_ends = (now // 900 + 1) * 900
    signup_ends = (now // 3600 + 1) * 3600
    for _ in range(9):
        table.hit("signin:guessing", signin_ends, now)
    for n in range(7):
        table.hit(f"signup:client-{n}", signup_ends, now)
    assert table.hit("signin:guessing", signin_ends, now) == 10


def test_a_flood_of_spent_stamps_never_pushes_out_a_sign_in_count(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Stamps are kept for hours and every sign-up spends one: on a table so small that a
    few fill any part, a sign-in count still counts on after thousands of them."""
    settings.REDIS_URL = ""
    table = SharedCounts(None, slots=8)
    monkeypatch.setattr("urge.core.ratelimit.shared", lambda: table)
    signin = Limit("signin", 10, 900)
    now = 1_000_000.0
    assert all(hit(signin, "guessing", now) for _ in range(10))
    for n in range(2_000):
        assert first_use("form-stamp", f"stamp-{n}", until=now + 86_400, now=now)
    assert not hit(signin, "guessing", now)  # the eleventh guess: still over the limit
    assert not first_use("form-stamp", "stamp-1999", until=now + 86_400, now=now)


def test_a_count_whose_window_is_over_frees_its_slot() -> None:
    table = SharedCounts(None, slots=1)
    assert table.hit("signin:a", 900, 0) == 1
    assert table.hit("signin:a", 900, 0) == 2
    assert table.hit("signup:b", 3600, 901) == 1  # a's window ended at 900
    assert table.hit("signup:b", 3600, 902) == 2


def test_a_full_table_forgets_the_count_that_ends_soonest() -> None:
    table = SharedCounts(None, slots=2)
    table.hit("signin:a", 900, 0)
    table.hit("signup:b", 3600, 0)
    table.hit("signup:b", 3600, 0)
    table.hit("resend:c", 3600, 0)  # no slot free: a's, ending first, goes
    assert table.hit("signup:b", 3600, 0) == 3
    assert table.hit("resend:c", 3600, 0) == 2


def test_each_limit_comes_from_its_setting(settings: Any) -> None:
    settings.URGE_RATE_SIGNUP = (5, 60)
    assert limit("signup") == Limit("signup", 5, 60)
    settings.URGE_RATE_SIGNIN = (10, 900)
    assert limit("signin", counter="code") == Limit("code", 10, 900)


@pytest.mark.parametrize("value", ["5 per minute", "5/0", "/60", "-1/60"])
def test_a_mistyped_limit_stops_the_site_at_start_with_the_variable_named(
    tmp_path: Path, value: str
) -> None:
    env = process_env(tmp_path, URGE_RATE_ACTION=value)
    run = subprocess.run(
        [sys.executable, "-m", "urge.cli", "check"], env=env, capture_output=True, text=True
    )
    assert run.returncode != 0
    assert "URGE_RATE_ACTION" in run.stderr


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


def test_tables_of_servers_gone_are_cleared_away(tmp_path: Path) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f"urge-counts-{gone.stdout.strip()}"
    running = tmp_path / "urge-counts-1"  # init never exits
    stale.write_bytes(b"x")
    running.write_bytes(b"x")
    assert table_path(tmp_path) == tmp_path / f"urge-counts-{os.getpid()}"
    assert not stale.exists()
    assert running.exists()


def test_the_served_site_holds_a_limit_across_its_workers(tmp_path: Path) -> None:
    """The real thing: `urge serve` with three worker processes, one limit of three sign-ups."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(40),
        URGE_HASH_KEY=secrets.token_urlsafe(40),
        URGE_VAR_DIR=str(tmp_path),
        URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        URGE_RATE_SIGNUP="3/3600",
        URGE_SIGNUP_MIN_SECONDS="0",
    )
    urge = [sys.executable, "-m", "urge.cli"]
    subprocess.run([*urge, "migrate", "--verbosity=0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*urge, "load", "campaigns/hketo"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [*urge, "serve", f"--port={port}", "--workers=3", "--threads=1", "--no-queue-worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/c/hketo/join/", server)
        # A fresh form for each sign-up, as a person gets: a stamp is good for one.
        statuses = [_sign_up(base, _fresh_stamp(base), n) for n in range(6)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == [303, 303, 303, 429, 429, 429]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _fresh_stamp(base: str) -> str:
    with urllib.request.urlopen(f"{base}/c/hketo/join/", timeout=10) as response:
        stamp = re.search(r'name="stamp" value="([^"]+)"', response.read().decode())
    assert stamp is not None
    return stamp[1]


def _sign_up(base: str, stamp: str, n: int) -> int:
    body = urllib.parse.urlencode(
        {
            "first_name": "Kit",
            "last_name": "Lau",
            "email": f"kit{n}@example.org",
            "zip_code": "98104",
            "stamp": stamp,
        }
    ).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(f"{base}/c/hketo/join/", data=body, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


# Each process tries to spend the same one-time key five times; four processes at once.
SPENDER = """
import django, sys; django.setup()
from urge.core.ratelimit import first_use
print(sum(first_use("test-once", sys.argv[1], until=4102444800) for _ in range(5)))
"""


def spend_in_processes(env: dict[str, str], count: int) -> int:
    key = secrets.token_hex(8)  # a key of this run's own, in a Redis that others may share
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SPENDER, key],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    return sum(int(run.communicate(timeout=120)[0]) for run in runs)


def test_a_one_time_key_is_spent_for_every_worker_process(tmp_path: Path) -> None:
    env = process_env(tmp_path, **{ENVIRONMENT: str(tmp_path / "counts")})
    assert spend_in_processes(env, 4) == 1


@pytest.mark.skipif(not REDIS_URL, reason="URGE_TEST_REDIS_URL is not set (.ci/run sets it)")
def test_a_one_time_key_is_spent_for_every_host_with_redis(tmp_path: Path) -> None:
    env = process_env(tmp_path, REDIS_URL=REDIS_URL)
    assert spend_in_processes(env, 4) == 1


def test_a_one_time_key_is_free_again_once_its_time_is_over() -> None:
    assert first_use("test-once", "stamp", until=1000.0, now=0.0)
    assert not first_use("test-once", "stamp", until=1000.0, now=999.0)
    assert first_use("test-once", "stamp", until=1000.0, now=1001.0)
