"""The load benchmark: `make bench` (needs URGE_DATA_DIR, wrk and nginx).

Serves the example campaign with `urge serve` as in production, on a free loopback port,
over SQLite (or PostgreSQL when DATABASE_URL is set: a scratch database on that server),
and serves a static copy of the rendered campaign page from nginx beside it as this
machine's ceiling. Drives both with wrk in bounded runs, then prints one table, the loss
accounting (acknowledged sign-ups and actions against rows stored), a fault run (kill -9 of
one server worker under sign-up load) and each worker's memory; writes the table to
bench/results/.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import free_port, scratch_postgres, wait_for_http  # noqa: E402

SECONDS = int(os.environ.get("URGE_BENCH_SECONDS", "10"))
CONNECTIONS = 64
SPIKE = 256
THREADS = 2
# Seconds of load before a read-only run is measured: each worker's first render and
# Python's own warming are not what a spike that has been going for a minute looks like.
WARM = 2
UNLIMITED = "1000000000/3600"  # a loopback benchmark is one client address

DONE = """
function done(summary, latency, requests)
  io.write(string.format(
    '\\nRESULT {"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,'
    .. '"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""

# Each wrk thread gets its own number, so that every sign-up has a distinct address.
THREAD_IDS = """
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end
"""


@dataclass(frozen=True)
class Result:
    name: str
    connections: int
    requests: int
    seconds: float
    status_errors: int
    socket_errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def acknowledged(self) -> int:
        return self.requests - self.status_errors


@dataclass
class Bench:
    base: str
    scripts: Path
    env: dict[str, str]
    master_pid: int

    def wrk(
        self, name: str, url: str, script: str, connections: int, seconds: int, warm: int = 0
    ) -> Result:
        """One bounded wrk run; `warm` seconds of the same load first, not counted."""
        if warm:
            self.wrk(f"{name} (warm-up)", url, script, connections, warm)
        path = self.scripts / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.lua"
        path.write_text(script + DONE)
        output = subprocess.run(
            [
                "wrk",
                f"--threads={min(THREADS, connections)}",
                f"--connections={connections}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--script={path}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
        found = re.search(r"^RESULT (\{.*\})$", output, re.MULTILINE)
        if found is None:
            sys.exit(f"wrk printed no result for {name}:\n{output}")
        data = json.loads(found[1])
        return Result(
            name=name,
            connections=connections,
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            status_errors=data["status_errors"],
            socket_errors=data["socket_errors"],
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
        )

    def count(self, model: str) -> int:
        code = f"from django.apps import apps; print(apps.get_model({model!r}).objects.count())"
        out = urge(["shell", "--no-imports", "--command", code], self.env, capture=True)
        return int(out.strip().splitlines()[-1])

    def workers(self) -> list[int]:
        """The server's worker processes: the children of the process `urge serve` became."""
        found = subprocess.run(
            ["pgrep", "-P", str(self.master_pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in found.split()]


def urge(args: list[str], env: dict[str, str], capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "urge.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
        timeout=600,
    )
    return done.stdout or ""


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) / 1024 if found else 0.0


def wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    try:
        wait_for_http(url, process, seconds=120)
    except RuntimeError as error:
        sys.exit(f"{what}: {error}")


@contextmanager
def nginx(folder: Path, page: bytes) -> Iterator[str]:
    """Debian's nginx, 2 workers, serving the rendered page as a static file."""
    folder.chmod(0o755)  # its workers run as an unprivileged user
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "index.html").write_bytes(page)
    port = free_port()
    (folder / "nginx.conf").write_text(
        f"""
worker_processes 2;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {folder}/tmp;
  proxy_temp_path {folder}/tmp;
  fastcgi_temp_path {folder}/tmp;
  uwsgi_temp_path {folder}/tmp;
  scgi_temp_path {folder}/tmp;
  types {{ text/html html; }}
  server {{
    listen 127.0.0.1:{port};
    root {folder}/html;
  }}
}}
"""
    )
    (folder / "tmp").mkdir()
    process = subprocess.Popen(
        ["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)],
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, process, "nginx")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def served(var: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    port = free_port()
    log = (var / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "urge.cli", "serve", f"--port={port}", "--no-queue-worker"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base + "healthz", process, "urge serve")
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


def lua_list(values: list[str]) -> str:
    return "{" + ",".join(json.dumps(v) for v in values) + "}"


def sample_zips(env: dict[str, str]) -> list[str]:
    code = (
        "from urge.legislators.index import index_holder; i = index_holder.get(); "
        "print(' '.join(sorted(i.zips)[::40]))"
    )
    return urge(["shell", "--no-imports", "--command", code], env, capture=True).split()


def a_senator(env: dict[str, str]) -> str:
    code = (
        "from urge.legislators.index import index_holder; i = index_holder.get(); "
        "print(sorted(m.bioguide for m in i.members.values() if m.chamber == 'senate')[0])"
    )
    return urge(["shell", "--no-imports", "--command", code], env, capture=True).split()[-1]


def signup_script(stamp: str, run: str) -> str:
    fields = (
        "first_name=Bench&last_name=Person&zip_code=98104&website=&cohost_hkdc=on"
        f"&stamp={urllib.parse.quote(stamp)}&email=bench-{run}-"
    )
    return (
        THREAD_IDS
        + f"""
local n = 0
local headers = {{["Content-Type"] = "application/x-www-form-urlencoded"}}
local fields = "{fields}"
function request()
  n = n + 1
  local body = fields .. id .. "-" .. n .. "%40example.org"
  return wrk.format("POST", "/c/hketo/join/", headers, body)
end
"""
    )


def run_all(bench: Bench, nginx_base: str, stamp: str) -> tuple[list[Result], list[str]]:
    zips = sample_zips(bench.env)
    senator = a_senator(bench.env)
    results: list[Result] = []
    notes: list[str] = []
    plain = ""
    results.append(bench.wrk("nginx: static page", nginx_base, plain, CONNECTIONS, SECONDS))
    results.append(bench.wrk("campaign page", bench.base, plain, CONNECTIONS, SECONDS, WARM))
    lookup = f"""
local zips = {lua_list(zips)}
local n = 0
"""
    results.append(
        bench.wrk(
            "lookup JSON",
            bench.base,
            lookup
            + """function request()
  n = n + 1
  return wrk.format("GET", "/api/lookup?zip=" .. zips[(n % #zips) + 1])
end
""",
            CONNECTIONS,
            SECONDS,
            WARM,
        )
    )
    results.append(
        bench.wrk(
            "lookup HTML",
            bench.base,
            lookup
            + """local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
function request()
  n = n + 1
  return wrk.format("POST", "/", headers, "zip=" .. zips[(n % #zips) + 1])
end
""",
            CONNECTIONS,
            SECONDS,
        )
    )

    actions_before = bench.count("actions.ActionEvent")
    action = bench.wrk(
        "record an action",
        bench.base,
        f"""
wrk.method = "POST"
wrk.path = "/c/hketo/act/go/"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.body = "target={senator}&channel=post-x&variant=ask-for-a-vote&text=Please%20vote"
""",
        CONNECTIONS,
        SECONDS,
    )
    results.append(action)
    stored = bench.count("actions.ActionEvent") - actions_before
    notes.append(loss_line("actions", action.acknowledged, stored))

    before = bench.count("supporters.Supporter")
    signup = bench.wrk("sign up", bench.base, signup_script(stamp, "a"), CONNECTIONS, SECONDS)
    results.append(signup)
    stored = bench.count("supporters.Supporter") - before
    notes.append(loss_line("sign-ups", signup.acknowledged, stored))

    results += [
        bench.wrk("campaign page: spike 1 conn", bench.base, plain, 1, 2),
        bench.wrk(f"campaign page: spike to {SPIKE}", bench.base, plain, SPIKE, SECONDS),
    ]
    before = bench.count("supporters.Supporter")
    first = bench.wrk("sign up: spike 1 conn", bench.base, signup_script(stamp, "s1"), 1, 2)
    spike = bench.wrk(
        f"sign up: spike to {SPIKE}", bench.base, signup_script(stamp, "s2"), SPIKE, SECONDS
    )
    results += [first, spike]
    stored = bench.count("supporters.Supporter") - before
    notes.append(
        loss_line("sign-ups in the spike", first.acknowledged + spike.acknowledged, stored)
    )
    return results, notes


def loss_line(what: str, acknowledged: int, stored: int) -> str:
    lost = max(acknowledged - stored, 0)
    verdict = "OK" if lost == 0 else "LOST"
    return f"{what}: {acknowledged:,} acknowledged, {stored:,} stored, {lost:,} lost ({verdict})"


def fault_run(bench: Bench, stamp: str) -> list[str]:
    """Sign-up load; kill -9 one server worker in the middle of it."""
    before = bench.count("supporters.Supporter")
    killed: list[int] = []

    def kill_one() -> None:
        time.sleep(SECONDS / 2)
        victims = bench.workers()
        if victims:
            os.kill(victims[0], signal.SIGKILL)
            killed.append(victims[0])

    killer = threading.Thread(target=kill_one)
    killer.start()
    result = bench.wrk(
        "sign up, worker killed", bench.base, signup_script(stamp, "f"), CONNECTIONS, SECONDS
    )
    killer.join()
    stored = bench.count("supporters.Supporter") - before
    with urllib.request.urlopen(bench.base + "healthz", timeout=5) as response:
        serving = response.status == 200
    return [
        f"fault run: killed worker {killed[0] if killed else 'none'} with SIGKILL mid-load; "
        f"{result.status_errors + result.socket_errors:,} failed requests",
        loss_line("  sign-ups", result.acknowledged, stored),
        f"  still serving afterwards: {'yes' if serving else 'NO'}",
    ]


def table(results: list[Result], nginx_rate: float) -> list[str]:
    lines = [
        "| workload | connections | requests/s | p50 ms | p99 ms | non-2xx/3xx | x nginx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        errors = r.status_errors + r.socket_errors
        lines.append(
            f"| {r.name} | {r.connections} | {r.rate:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {errors:,} | {r.rate / nginx_rate:.3f} |"
        )
    return lines


def main() -> None:
    data = Path(os.environ.get("URGE_DATA_DIR", ""))
    if not (data / "congress-legislators").is_dir():
        sys.exit("Set URGE_DATA_DIR to the official snapshot (e.g. ../shared/data).")
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")
    database_url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if database_url else "SQLite"
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory() as tmp,
        scratch_postgres(database_url) if database_url else _nothing() as scratch,
    ):
        var = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(40),
            URGE_VAR_DIR=str(var),
            URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
            URGE_GEOCODER="false",
            URGE_RATE_SIGNUP=UNLIMITED,
            URGE_RATE_ACTION=UNLIMITED,
            URGE_RATE_RESEND=UNLIMITED,
            LOG_LEVEL="WARNING",
        )
        if scratch:
            env["DATABASE_URL"] = scratch
        print(f"Setting up on {database}: migrate, load the campaign, sync the snapshot...")
        urge(["migrate", "--verbosity=0"], env)
        urge(["load", "campaigns/hketo"], env, capture=True)
        urge(["sync", f"--from={data}", "--commit", "--verbosity=0"], env)
        with served(var, env) as (base, master):
            with urllib.request.urlopen(base, timeout=10) as response:
                page = response.read()
            stamp = re.search(rb'name="stamp" value="([^"]+)"', page)
            assert stamp is not None
            # Sign-ups pass the same checks as people: the form's stamp must be old enough.
            time.sleep(float(env.get("URGE_SIGNUP_MIN_SECONDS", "3")) + 0.5)
            bench = Bench(base=base, scripts=var, env=env, master_pid=master)
            with tempfile.TemporaryDirectory() as static, nginx(Path(static), page) as nginx_base:
                results, notes = run_all(bench, nginx_base, stamp[1].decode())
            notes += fault_run(bench, stamp[1].decode())
            memory = [rss_mb(pid) for pid in bench.workers()]
    nginx_rate = results[0].rate
    lines = [
        f"Urge load benchmark, {datetime.date.today()}, {os.cpu_count()} cores, {database}, "
        f"{SECONDS} s per run, wrk on the same machine",
        "",
        *table(results, nginx_rate),
        "",
        *notes,
        "worker memory (RSS): " + ", ".join(f"{mb:.0f} MB" for mb in memory),
        f"whole run: {time.monotonic() - started:.0f} s",
    ]
    print("\n".join(lines))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = f"{datetime.date.today()}-{os.cpu_count()}cores-{database.lower()}.md"
    (out / name).write_text("\n".join(lines) + "\n")
    print(f"\nwritten to bench/results/{name}")


@contextmanager
def _nothing() -> Iterator[str]:
    yield ""


if __name__ == "__main__":
    main()
