"""Rate limits in memory shared by the worker processes one `urge serve` forked."""

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

from cryptography.fernet import Fernet

from tests.conftest import ROOT
from tests.services import free_port, wait_for_http
from urge.core.sharedcounts import SharedCounts, table_path

# Each process maps the table on its own, as each server worker does, and tries 15 times
# against a limit of 20; four of them at once.
HAMMER = """
import sys
from pathlib import Path
from urge.core.sharedcounts import SharedCounts, table_path
table = SharedCounts(Path(sys.argv[1]))
print(sum(table.hit("signup:same-client", 7) <= 20 for _ in range(15)))
"""


def test_separate_processes_share_one_allowance(tmp_path: Path) -> None:
    path = tmp_path / "counts"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    assert sum(int(run.communicate(timeout=60)[0]) for run in runs) == 20


def test_threads_of_one_process_share_it_too(tmp_path: Path) -> None:
    table = SharedCounts(tmp_path / "counts")
    granted: list[bool] = []

    def hammer() -> None:
        granted.extend(table.hit("signup:same-client", 7) <= 50 for _ in range(40))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 50


def test_clients_and_windows_never_share_a_count(tmp_path: Path) -> None:
    table = SharedCounts(tmp_path / "counts", slots=64)
    counts = [table.hit(f"signup:client-{n}", 1) for n in range(40)]
    assert counts == [1] * 40
    assert table.hit("signup:client-3", 1) == 2
    assert table.hit("signup:client-3", 2) == 1  # a new window starts again


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
        URGE_VAR_DIR=str(tmp_path),
        URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        URGE_RATE_SIGNUP="3/3600",
        URGE_SIGNUP_MIN_SECONDS="0",
        URGE_PAGE_CACHE_SECONDS="0",
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
        page = wait_for_http(base + "/", server).decode()
        stamp = re.search(r'name="stamp" value="([^"]+)"', page)
        assert stamp is not None
        statuses = [_sign_up(base, stamp[1], n) for n in range(6)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == [303, 303, 303, 429, 429, 429]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


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
