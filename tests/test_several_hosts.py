"""Several hosts serving one site: without Redis they would each count rate limits of their own,
so URGE_HOSTS above 1 needs REDIS_URL or nothing starts; and a scheduled job started by every
host at once runs once (urge/core/joblock.py). The jobs run as `urge` processes against a
database of their own (PostgreSQL when DATABASE_URL is set, else an SQLite file), which the
test shares with them as another host would."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from tests.services import ROOT, free_port, production_environment, run_urge, scratch_postgres
from urge.core.joblock import advisory_key, running_alone

SKIPPED = "holds its lock, so this one is skipped"


def errors() -> dict[str, str]:
    return {m.id or "": m.msg for m in run_checks() if m.is_serious()}


def test_several_hosts_without_redis_is_an_error_naming_both_settings(settings: Any) -> None:
    settings.URGE_HOSTS, settings.REDIS_URL = 2, None
    said = errors()["urge.E001"]
    assert "URGE_HOSTS is 2" in said
    assert "REDIS_URL is not set" in said


def test_several_hosts_with_redis_or_one_host_without_it_pass(settings: Any) -> None:
    settings.URGE_HOSTS, settings.REDIS_URL = 3, "redis://127.0.0.1:6379/0"
    assert "urge.E001" not in errors()
    settings.URGE_HOSTS, settings.REDIS_URL = 1, None
    assert "urge.E001" not in errors()


def urge(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "urge.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_urge_serve_and_the_commands_refuse_to_start(tmp_path: Path) -> None:
    env = production_environment(tmp_path, URGE_HOSTS="2")
    for args in (["serve", f"--port={free_port()}"], ["purge", "--commit"]):
        refused = urge(env, *args)
        assert refused.returncode != 0, args
        assert "urge.E001" in refused.stderr
        assert "REDIS_URL is not set" in refused.stderr
    # The check reads the setting only: a Redis that is down does not stop a start.
    url = f"redis://127.0.0.1:{free_port()}/0"
    assert urge({**env, "REDIS_URL": url}, "check").returncode == 0


def test_the_number_of_hosts_is_read_strictly(tmp_path: Path) -> None:
    for value, said in [
        ("two", "URGE_HOSTS='two' is not a whole number."),
        ("0", "URGE_HOSTS=0 is below the minimum of 1."),
    ]:
        refused = urge(production_environment(tmp_path, URGE_HOSTS=value), "check")
        assert refused.returncode != 0
        assert said in refused.stderr


@dataclass(frozen=True)
class Shared:
    """A migrated database that `urge` processes and this test use together, as hosts do."""

    env: dict[str, str]
    database: dict[str, Any]  # its DATABASES entry

    @contextmanager
    def connection(self) -> Iterator[BaseDatabaseWrapper]:
        """A connection of the test's own, as another host's."""
        handler = ConnectionHandler({"default": dict(self.database)})
        try:
            yield handler["default"]
        finally:
            handler.close_all()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    var = tmp_path_factory.mktemp("var")
    with _database(var) as (env, database):
        run_urge(env, "migrate", "--verbosity=0")
        yield Shared(env, database)


@contextmanager
def _database(var: Path) -> Iterator[tuple[dict[str, str], dict[str, Any]]]:
    url = django_settings.DATABASE_URL
    if not url:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(var / "urge.sqlite3")}
        yield production_environment(var), database
        return
    with scratch_postgres(url) as scratch:
        yield (
            production_environment(var, DATABASE_URL=scratch),
            dict(dj_database_url.parse(scratch)),
        )


@pytest.fixture(autouse=True)
def _other_databases_allowed(django_db_blocker: Any) -> Iterator[None]:
    """These tests open connections to their own database, never to the test database."""
    with django_db_blocker.unblock():
        yield


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if SKIPPED in line]


def test_a_purge_started_while_another_host_runs_it_is_skipped(shared: Shared) -> None:
    with shared.connection() as other_host, running_alone("purge", using=other_host) as mine:
        assert mine
        skipped = urge(shared.env, "purge", "--commit")
    assert skipped.returncode == 0, skipped.stderr
    assert len(skipped_lines(skipped.stderr)) == 1
    assert "urge purge" in skipped_lines(skipped.stderr)[0]
    assert skipped.stdout == ""  # nothing counted, nothing done

    ran = urge(shared.env, "purge", "--commit")
    assert ran.returncode == 0, ran.stderr
    assert "Deleted 0 unconfirmed sign-ups older than 14 days" in ran.stdout
    assert skipped_lines(ran.stderr) == []


def test_a_dry_run_takes_no_lock(shared: Shared) -> None:
    with shared.connection() as other_host, running_alone("purge", using=other_host):
        dry = urge(shared.env, "purge")
    assert "Would delete 0 unconfirmed sign-ups" in dry.stdout
    assert skipped_lines(dry.stderr) == []


def test_the_bill_tracker_is_skipped_the_same_way(shared: Shared) -> None:
    env = {
        **shared.env,
        "URGE_CONGRESS_API_KEY": "not-a-real-key",
        "URGE_CONGRESS_API_URL": f"http://127.0.0.1:{free_port()}",
    }
    with shared.connection() as other_host, running_alone("track", using=other_host):
        skipped = urge(env, "track", "--commit")
    assert skipped.returncode == 0, skipped.stderr
    assert len(skipped_lines(skipped.stderr)) == 1
    assert skipped.stdout == ""
    ran = urge(env, "track", "--commit")
    assert "No campaign tracks a bill" in ran.stdout


def test_each_job_has_a_lock_of_its_own_held_by_one_run_at_a_time(shared: Shared) -> None:
    with shared.connection() as one, shared.connection() as two:
        with running_alone("purge", using=one) as first:
            with running_alone("purge", using=two) as second:
                assert (first, second) == (True, False)
            with running_alone("track", using=two) as other_job:
                assert other_job
        with running_alone("purge", using=two) as after:
            assert after
    assert advisory_key("purge") != advisory_key("track")
    assert advisory_key("purge") == advisory_key("purge")


# A run that holds the purge's lock until it is killed.
HOLDER = """
import time
import django
django.setup()
from urge.core.joblock import running_alone
with running_alone("purge") as mine:
    print("held" if mine else "busy", flush=True)
    time.sleep(300)
"""


def test_a_run_that_is_killed_leaves_the_lock_free(shared: Shared) -> None:
    env = {**shared.env, "DJANGO_SETTINGS_MODULE": "urge.settings"}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with shared.connection() as here:
            with running_alone("purge", using=here) as mine:
                assert not mine
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=10)
            assert _granted_within(here, seconds=10)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def _granted_within(connection: BaseDatabaseWrapper, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with running_alone("purge", using=connection) as mine:
            if mine:
                return True
        time.sleep(0.1)
    return False
