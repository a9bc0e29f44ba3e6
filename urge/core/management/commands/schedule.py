"""`urge schedule`: the periodic jobs of `urge serve`, for the host that runs them apart.

`urge serve` runs the hourly `urge purge --commit` (and, with a Congress.gov key, the daily
`urge track --commit`) beside its queue worker. Where the site is split into roles
(deploy/compose.yaml, deploy/systemd/), the web hosts run `urge serve --no-queue-worker` and
the queue workers `urge db_worker`, so neither runs them: the scheduler role runs this command
instead, with the very same list of jobs (serve.py's `chores`). One scheduler is enough; a
second would do no harm, as each job takes a lock in the database first (urge/core/joblock.py).
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from urge.core.management.commands.serve import chores
from urge.core.supervise import Chore

# How often the jobs are looked at: each starts at most this long after it is due.
POLL = 1.0


class Command(BaseCommand):
    help = (
        "Run the periodic jobs `urge serve` runs beside its queue worker (the hourly `urge "
        "purge --commit`, and the daily `urge track --commit` when URGE_CONGRESS_API_KEY is "
        "set), each at start and then on its period, until stopped (SIGTERM or SIGINT). For "
        "sites whose web hosts run `urge serve --no-queue-worker`."
    )
    # The jobs check what they need themselves; nothing here touches the database.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        stopping: list[int] = []

        def stop(signum: int, _frame: FrameType | None) -> None:
            stopping.append(signum)

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, stop)
        urge = [sys.executable, "-m", "urge.cli"]
        jobs = chores(urge)
        names = ", ".join(f"`urge {job.argv[len(urge)]}` every {job.every:.0f} s" for job in jobs)
        self.stdout.write(f"Scheduling {names}.")
        self.stdout.flush()
        run(jobs, lambda: bool(stopping))


def run(jobs: Sequence[Chore], stopped: Callable[[], bool], poll: float = POLL) -> None:
    """Start each job when due, never two runs of one at once, until `stopped()` is true;
    then wait for the runs still going (a purge is one transaction: let it end)."""
    while not stopped():
        for job in jobs:
            job.tick(time.monotonic())
        time.sleep(poll)
    for job in jobs:
        if job.running is not None:
            job.running.wait()
