"""Loopback services for tests and benchmarks (no Django import): free ports, scratch databases."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A new, empty database on the server `url` points at, dropped afterwards."""
    parts = urlsplit(url)
    name = f"urge_browser_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for_http(
    url: str, process: "subprocess.Popen[bytes] | None" = None, seconds: float = 60
) -> bytes:
    """The body of the first 200 answer from `url`, polling while a server starts; RuntimeError
    if `process` exits first or nothing answers in time."""
    deadline = time.monotonic() + seconds
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited early")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return bytes(response.read())
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")
        time.sleep(0.2)


def production_environment(var_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment as `urge` sees it in production (DEBUG off, throwaway keys,
    its own var folder, SQLite), with `settings` on top."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(40),
        URGE_HASH_KEY=secrets.token_urlsafe(40),
        URGE_VAR_DIR=str(var_dir),
    )
    env.update(settings)
    return env


def run_urge(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run an `urge` command in a process of its own; its output, or RuntimeError with it."""
    done = subprocess.run(
        [sys.executable, "-m", "urge.cli", *args],
        env=env,
        cwd=ROOT,
        timeout=120,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"urge {args[0]} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def nginx_config(folder: Path, http: str, workers: int = 2) -> str:
    """A whole nginx.conf for a throwaway nginx run from `folder` (its pid, error log and
    temporary files in its scratch/, which the caller makes; no access log), with `http`
    inside its http block."""
    return f"""
worker_processes {workers};
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {folder}/scratch;
  proxy_temp_path {folder}/scratch;
  fastcgi_temp_path {folder}/scratch;
  uwsgi_temp_path {folder}/scratch;
  scgi_temp_path {folder}/scratch;
{http}
}}
"""
