"""Tasks whose worker died are run again: a lease on every running task.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when
the worker is done. A worker killed in between (kill -9, out of memory, its host gone)
leaves the task RUNNING for ever: nothing in the package runs it again (its issue #5 is
open; the maintainer's suggestion there is a period after which a running task counts as
lost). Asking whether the worker is alive does not work across hosts (a process id means
nothing elsewhere, and worker ids are random per process), and holding a row lock for the
length of a task would, on SQLite, lock the whole database.

So a claim is a lease: a task still RUNNING URGE_TASK_LEASE_SECONDS after its claim
(`started_at`, set by the claim) is put back to READY, and the next free worker claims it,
recording its own id beside the dead one's (`worker_ids`). Every `urge db_worker` checks,
in a thread of its own, LEASE_CHECKS times per lease (at least once a minute): an UPDATE
that re-checks each row, safe for any number of workers and hosts to run at once. With
`--batch` it checks once, first. A task claimed MOST_CLAIMS times without ever finishing is
taken to be what kills its workers, and is left FAILED.

The lease must be longer than any task runs, or a slow task would be run twice at once: the
email batches stop beginning emails after half of it and hand the rest on (tasks.py), and
`urge check --deploy` warns (urge.W005, urge/core/checks.py) of a lease shorter than ten
times EMAIL_TIMEOUT, since one email to a server that keeps timing out can take several of
them. A task run again must not repeat what its first run did: each confirmation email is
recorded as it goes (urge/supporters/emails.py) and skipped when run again; and as its first
run may still be going, each email is claimed just before it is sent, and left to the run
that holds its claim until that claim is as old as the lease.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

LEASE_CHECKS = 4  # a dead worker's task waits at most 1.25 leases
MOST_CHECK_SECONDS = 60.0
MOST_CLAIMS = 5


class WorkerLost(Exception):
    """Recorded as the error of a task that every worker that claimed it died running."""


@dataclass(frozen=True)
class Recovered:
    requeued: int
    failed: int


def recover_lost_tasks() -> Recovered:
    """Put back every task whose lease has run out; leave failed one claimed too often."""
    now = timezone.now()
    expired = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.URGE_TASK_LEASE_SECONDS),
    )
    # The claims are counted here rather than in SQL: JSON array lengths differ between
    # SQLite and PostgreSQL, and expired tasks are few.
    hopeless = [
        pk
        for pk, worker_ids in expired.values_list("pk", "worker_ids")
        if len(worker_ids) >= MOST_CLAIMS
    ]
    error = WorkerLost.__module__ + "." + WorkerLost.__qualname__
    failed = expired.filter(pk__in=hopeless).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=error,
        traceback=f"{error}: claimed {MOST_CLAIMS} times, and its worker never finished it",
    )
    # Each UPDATE re-checks the row: a task that finished meanwhile is not touched.
    requeued = expired.exclude(pk__in=hopeless).update(status=TaskResultStatus.READY)
    if requeued or failed:
        logger.warning(
            "Queued again %d task(s) whose worker stopped; left failed %d claimed %d times.",
            requeued,
            failed,
            MOST_CLAIMS,
        )
    return Recovered(requeued, failed)


def check_seconds() -> float:
    return min(settings.URGE_TASK_LEASE_SECONDS / LEASE_CHECKS, MOST_CHECK_SECONDS)


class LeaseKeeper(threading.Thread):
    """Checks for lost tasks now and then, beside the worker's own loop, until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True, name="urge-lease-keeper")
        self.stopping = threading.Event()

    def run(self) -> None:
        while True:
            try:
                recover_lost_tasks()
            except DatabaseError:
                # A database that does not answer now may answer next time; the worker's own
                # loop says loudly enough that it is down.
                logger.warning("Could not check for tasks whose worker stopped.")
            finally:
                connection.close()  # this thread's own; with a pool, handed back
            if self.stopping.wait(check_seconds()):
                return

    def stop(self) -> None:
        self.stopping.set()
