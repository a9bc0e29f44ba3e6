"""The real server for browser tests: `urge serve` (granian) on a free loopback port."""

import os
import secrets
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.fernet import Fernet

from tests.legislator_sample import write_sample
from tests.services import (
    free_port,
    production_environment,
    run_urge,
    scratch_postgres,
    wait_for_http,
)

ROOT = Path(__file__).resolve().parents[2]
# An organiser's account on the served site (a throwaway database on loopback), with the
# key of the authenticator app they enrolled: the test reads codes from it as a phone would.
ORGANISER = ("organiser", secrets.token_urlsafe(16))
ORGANISER_TOTP_KEY = secrets.token_hex(20)
# The served site's minimum time to fill the sign-up form, kept short for tests that wait it.
MIN_FILL_SECONDS = 1
# A co-host's own website, for the embedded action: the served campaign lets pages from
# http://localhost:<this port> frame it. The same server reached as 127.0.0.1 is another
# origin, one the campaign does not list.
EMBED_HOST_PORT = free_port()
EMBED_ORIGIN = f"http://localhost:{EMBED_HOST_PORT}"


def _urge(args: list[str], env: dict[str, str], stdin: str | None = None) -> None:
    run_urge(env, *args, stdin=stdin)


def _add_organiser(env: dict[str, str]) -> None:
    username, password = ORGANISER
    _urge(
        ["addstaff", username, "--campaign=hketo", "--organiser", "--password-stdin"],
        env,
        stdin=password + "\n",
    )
    enrol = (
        "from django.contrib.auth.models import User\n"
        "from urge.dashboard.models import SealedTOTPDevice\n"
        f"user = User.objects.get(username={username!r})\n"
        f"SealedTOTPDevice.objects.create(user=user, name='phone', key={ORGANISER_TOTP_KEY!r},"
        " confirmed=True)\n"
    )
    _urge(["shell", "--no-imports", "--command", enrol], env)


def _embeddable_example(var_dir: Path) -> Path:
    """The example campaign, letting the test co-host's website (EMBED_ORIGIN) frame it."""
    folder = var_dir / "hketo"
    shutil.copytree(ROOT / "campaigns" / "hketo", folder)
    with (folder / "campaign.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write(f"embed_origins: [{EMBED_ORIGIN}]\n")
    return folder


@contextmanager
def cohost_website(pages: dict[str, str], port: int = EMBED_HOST_PORT) -> Iterator[None]:
    """Another website on loopback, serving `pages` (path: HTML) as a co-host's would."""

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0], "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the test's output is for what went wrong

    server = ThreadingHTTPServer(("127.0.0.1", port), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    try:
        wait_for_http(f"{base_url}healthz", process)
    except RuntimeError as error:
        raise RuntimeError(f"{error}:\n{log.read_text()}") from None


@contextmanager
def served_site(var_dir: Path, smtp_port: int) -> Iterator[str]:
    """Serve the example campaign with production settings, its queue worker sending email to
    the SMTP server on `smtp_port`; yield the base URL."""
    with served_site_and_environment(var_dir, smtp_port) as (base_url, _):
        yield base_url


@contextmanager
def served_site_and_environment(
    var_dir: Path, smtp_port: int, **settings: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """As `served_site`, with `settings` added to the server's environment; yield the base URL
    and that environment (for `urge` commands against the same database)."""
    port = free_port()
    env = production_environment(
        var_dir,
        URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        URGE_SITE_URL=f"http://127.0.0.1:{port}",
        URGE_SIGNUP_MIN_SECONDS=str(MIN_FILL_SECONDS),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        **settings,
    )
    database_url = os.environ.get("DATABASE_URL", "")
    with scratch_postgres(database_url) if database_url else _no_database() as scratch:
        if scratch:
            env["DATABASE_URL"] = scratch
        _urge(["migrate", "--verbosity=0"], env)
        _urge(["load", str(_embeddable_example(var_dir))], env)
        sample = write_sample(var_dir / "legislator-data")
        _urge(["sync", f"--from={sample}", "--commit", "--verbosity=0"], env)
        _add_organiser(env)
        log = var_dir / "serve.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "urge.cli", "serve", f"--port={port}", "--workers=2"],
                env=env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        base_url = f"http://127.0.0.1:{port}/"
        try:
            _wait_until_up(base_url, process, log)
            yield base_url, env
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def _no_database() -> Iterator[str]:
    yield ""
