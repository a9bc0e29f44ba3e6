"""On PostgreSQL each worker process of `urge serve` shares a pool of URGE_DB_POOL_SIZE
connections among its threads: under more concurrent requests than threads, a host holds at
most workers x pool size (plus the queue worker's own), where one connection per thread would
have opened 2 x 16."""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.browser.server import served_site

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="a pool of PostgreSQL connections"
)

WORKERS = 2  # as served_site starts it, each with 16 threads
POOL_SIZE = 4  # URGE_DB_POOL_SIZE's default
# The queue worker's, and the hourly purge's that `urge serve` starts with.
OTHERS = 2


def scratch_databases() -> set[str]:
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as watcher:
        rows = watcher.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'urge_browser_%'"
        )
        return {str(row[0]) for row in rows}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The served site's base URL and the name of its scratch database."""
    before = scratch_databases()
    with served_site(tmp_path_factory.mktemp("pooled"), smtp_port=9) as base_url:
        (database,) = scratch_databases() - before
        yield base_url, database


def connections_to(database: str) -> int:
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as watcher:
        row = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchone()
        assert row is not None
        return int(row[0])


def test_many_concurrent_requests_share_each_workers_pool(site: tuple[str, str]) -> None:
    base_url, database = site
    most = 0
    loaded = threading.Event()

    def watch() -> None:
        nonlocal most
        while not loaded.is_set():
            most = max(most, connections_to(database))

    def ask(_: int) -> int:
        with urllib.request.urlopen(base_url + "healthz", timeout=30) as response:
            return int(response.status)

    for _ in range(20):  # the workers have started; the first purge is done
        ask(0)
    time.sleep(2)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=64) as clients:
            statuses = list(clients.map(ask, range(2_000)))
    finally:
        loaded.set()
        watcher.join()

    assert statuses == [200] * 2_000
    assert 1 < most <= WORKERS * POOL_SIZE + OTHERS, most
