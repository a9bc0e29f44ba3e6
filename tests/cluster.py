"""Several hosts on one machine, as a national campaign runs them: N `urge serve` hosts (each
with its own var folder, as separate machines would have) behind nginx as the load balancer,
one PostgreSQL database, one Redis, the queue worker(s) and the scheduler as their own
processes, and an SMTP sink. Shared by tests/test_cluster.py and bench/cluster.py.

No containers: every role is the process a compose service or systemd unit would start
(deploy/), with the same commands and settings."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
from cryptography.fernet import Fernet

from tests.services import (
    ROOT,
    free_port,
    nginx_config,
    run_urge,
    scratch_postgres,
    wait_for_http,
)

NGINX = Path("/usr/sbin/nginx")


@dataclass
class Host:
    name: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def kill(self) -> None:
        """SIGKILL the host's whole process group: the server and its workers, at once, as a
        machine that loses power."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@dataclass
class Cluster:
    base: str  # the load balancer
    env: dict[str, str]  # what every role runs with
    hosts: list[Host]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def urge(self, *args: str) -> str:
        return run_urge(self.env, *args)

    def shell(self, code: str) -> str:
        """What `code` prints last, run by `urge shell` against the shared database."""
        return self.urge("shell", "--no-imports", "--command", code).strip().splitlines()[-1]

    def count(self, model: str, **filters: object) -> int:
        found = self.shell(
            "from django.apps import apps\n"
            f"print(apps.get_model({model!r}).objects.filter(**{filters!r}).count())"
        )
        return int(found)

    def queue_is_empty(self) -> bool:
        """No task waiting to run or running (finished and failed ones do not count)."""
        found = self.shell(
            "from django_tasks_db.models import DBTaskResult\n"
            "print(DBTaskResult.objects.filter(status__in=['READY', 'RUNNING']).count())"
        )
        return found == "0"


def environment(
    var: Path, database_url: str, redis_url: str, smtp_port: int, **settings: str
) -> dict[str, str]:
    """The settings every role of one site shares: keys, database, Redis, the key folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(40),
        URGE_HASH_KEY=secrets.token_urlsafe(40),
        URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        URGE_HOSTS="2",
        # Supporters' data keys: one folder all hosts share (a network file system in
        # production), apart from each host's own var folder.
        URGE_KEY_DIR=str(var / "shared-keys"),
        URGE_VAR_DIR=str(var / "migrate"),
        URGE_PROXY_COUNT="1",  # nginx in front
        URGE_GEOCODER="false",
        URGE_SIGNUP_MIN_SECONDS="0",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        LOG_LEVEL="WARNING",
    )
    env.update(settings)
    return env


@contextmanager
def cluster(
    var: Path,
    database_url: str,
    redis_url: str,
    smtp_port: int,
    data: Path,
    hosts: int = 2,
    workers: int = 1,
    threads: int = 8,
    **settings: str,
) -> Iterator[Cluster]:
    """Start the site on `hosts` hosts behind nginx; `data` is the legislator data to sync."""
    redis.Redis.from_url(redis_url).flushdb()
    with ExitStack() as stack:
        scratch = stack.enter_context(scratch_postgres(database_url))
        env = environment(var, scratch, redis_url, smtp_port, **settings)
        # Once per release, before any host serves: as deploy/'s migrate role does.
        run_urge(env, "migrate", "--verbosity=0")
        run_urge(env, "load", "campaigns/hketo")
        run_urge(env, "sync", f"--from={data}", "--commit", "--verbosity=0")
        started = [stack.enter_context(_host(var, env, f"host-{n}", threads)) for n in range(hosts)]
        queue = [
            stack.enter_context(_role(var, env, f"worker-{n}", ["db_worker", "--no-reload"]))
            for n in range(workers)
        ]
        stack.enter_context(_role(var, env, "scheduler", ["schedule"]))
        balancer = stack.enter_context(_balancer(var / "nginx", [h.port for h in started]))
        yield Cluster(base=balancer, env=env, hosts=started, workers=queue)


@contextmanager
def _host(var: Path, shared: dict[str, str], name: str, threads: int) -> Iterator[Host]:
    """One web host: `urge serve --no-queue-worker --skip-setup` with a var folder of its own,
    its static files collected at install (as the image or the unit does)."""
    env = {**shared, "URGE_VAR_DIR": str(var / name)}
    run_urge(env, "collectstatic", "--no-input", "--verbosity=0")
    port = free_port()
    argv = ["serve", f"--port={port}", "--workers=1", f"--threads={threads}"]
    with _started(var, name, env, [*argv, "--no-queue-worker", "--skip-setup"]) as process:
        host = Host(name, port, process)
        wait_for_http(host.base + "healthz", process, seconds=60)
        yield host


@contextmanager
def _role(
    var: Path, shared: dict[str, str], name: str, args: list[str]
) -> Iterator[subprocess.Popen[bytes]]:
    env = {**shared, "URGE_VAR_DIR": str(var / name)}
    with _started(var, name, env, args) as process:
        yield process


@contextmanager
def _started(
    var: Path, name: str, env: dict[str, str], args: list[str]
) -> Iterator[subprocess.Popen[bytes]]:
    """An `urge` process in a process group of its own (so that a kill reaches its children),
    its output in var/<name>.log; stopped with SIGTERM, as a process manager does."""
    (var / name).mkdir(parents=True, exist_ok=True)
    with (var / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "urge.cli", *args],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


@contextmanager
def _balancer(folder: Path, ports: list[int]) -> Iterator[str]:
    """nginx spreading requests over the hosts. A host that refuses connections is skipped
    for 10 s; a request it was answering fails (POSTs are never sent twice)."""
    folder.mkdir(parents=True)
    folder.chmod(0o755)  # nginx's workers run as an unprivileged user
    port = free_port()
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)
    (folder / "scratch").mkdir()
    (folder / "nginx.conf").write_text(
        nginx_config(
            folder,
            f"""
  upstream urge_hosts {{
{servers}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://urge_hosts;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
    }}
  }}""",
        )
    )
    process = subprocess.Popen(
        [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(base + "healthz", process, seconds=30)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until(done: object, seconds: float, what: str) -> None:
    """Poll `done()` until it is true; RuntimeError naming `what` after `seconds`."""
    assert callable(done)
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {seconds:.0f} s")
        time.sleep(0.5)
