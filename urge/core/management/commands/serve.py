"""`urge serve`: migrate, collect static files, then run the web server and the queue worker."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from urge.core.logs import granian_log_config
from urge.core.metrics import MULTIPROCESS, multiprocess_folder
from urge.core.sharedcounts import ENVIRONMENT, table_folder, table_path
from urge.core.supervise import Chore, supervise

# How often `urge serve` runs `urge purge --commit` beside the queue worker.
PURGE_EVERY = 3600.0
# How often it runs `urge track --commit` (the bills on Congress.gov), when it has a key.
TRACK_EVERY = 86400.0
# How long a connection may take to send a request's line and headers, in milliseconds.
# A browser sends them in one go; a connection that trickles them is closed after this.
HEADER_READ_TIMEOUT_MS = 10_000


def server_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    """granian: HTTP in Rust, each worker a Python process running the WSGI app."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface=wsgi",
        f"--host={host}",
        f"--port={port}",
        f"--workers={workers}",
        # Threads let a worker wait on the database for one request while it answers others.
        f"--blocking-threads={threads}",
        # Slow clients. granian reads headers in Rust, within this limit, before any thread
        # is involved; it has no limit on how slowly a body may come, and a thread waits for
        # it. So in production a proxy that reads each body whole goes in front
        # (deploy/nginx/urge.conf); Django bounds the body's size (DATA_UPLOAD_MAX_MEMORY_SIZE).
        "--http=1",
        f"--http1-header-read-timeout={HEADER_READ_TIMEOUT_MS}",
        # A worker that dies (even by kill -9) is replaced; the others keep serving.
        "--respawn-failed-workers",
        # No access log: it would record visitors' IP addresses.
        "--no-access-log",
        "--log-level=warning",
        "urge.wsgi:application",
    ]


def chores(urge: list[str]) -> list[Chore]:
    """What runs beside the queue worker: the hourly purge, and the daily check of the bills
    when there is a Congress.gov API key to check them with. Each takes its job's lock in the
    database first (urge/core/joblock.py): of hosts that start one together, one runs it."""
    found = [Chore([*urge, "purge", "--commit", "--verbosity=0"], every=PURGE_EVERY)]
    if settings.URGE_CONGRESS_API_KEY:
        found.append(Chore([*urge, "track", "--commit", "--verbosity=0"], every=TRACK_EVERY))
    return found


class Command(BaseCommand):
    help = (
        "Apply database migrations, collect static files, and serve the site with granian "
        "on 127.0.0.1:$PORT (8000 unless PORT is set), with the queue worker beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (127.0.0.1).")
        parser.add_argument(
            "--port", type=int, default=settings.URGE_PORT, help="Port to bind ($PORT or 8000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.URGE_WORKERS,
            help="Worker processes ($URGE_WORKERS, or one per core).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.URGE_THREADS,
            help="Threads per worker process ($URGE_THREADS, or 16).",
        )
        parser.add_argument(
            "--no-queue-worker",
            dest="queue_worker",
            action="store_false",
            default=settings.URGE_QUEUE_WORKER,
            help=(
                "Do not start the queue worker that sends emails, nor the hourly `urge purge "
                "--commit` and daily `urge track --commit` (run them elsewhere instead). "
                "Also URGE_QUEUE_WORKER=false."
            ),
        )
        parser.add_argument(
            "--skip-setup",
            action="store_true",
            help="Start serving at once, without migrating or collecting static files.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["skip_setup"]:
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = server_argv(options["host"], options["port"], options["workers"], options["threads"])
        # Every worker counts rate limits in this one table (urge/core/sharedcounts.py).
        os.environ[ENVIRONMENT] = str(table_path(table_folder(settings.VAR_DIR)))
        # Every process counts for /metrics in files of its own there, and /metrics adds them
        # up (urge/core/metrics.py); emptied now, so that a restart starts from zero.
        os.environ[MULTIPROCESS] = str(multiprocess_folder(settings.VAR_DIR, options["port"]))
        if settings.URGE_LOG_FORMAT == "json":
            argv[-1:-1] = [f"--log-config={granian_log_config(settings.VAR_DIR)}"]
        self.stdout.write(f"Serving Urge on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        if options["queue_worker"]:
            urge = [sys.executable, "-m", "urge.cli"]
            worker = [*urge, "db_worker", "--no-reload", "--verbosity=1"]
            workers = settings.URGE_QUEUE_WORKERS  # each claims tasks on its own
            raise SystemExit(supervise(argv, worker, chores(urge), workers=workers))
        # Become the server, so that signals from a process manager reach it directly.
        os.execv(argv[0], argv)  # noqa: S606
