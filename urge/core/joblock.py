"""One run of a scheduled job at a time, across every host that shares the database.

Every host's `urge serve` runs the hourly `urge purge --commit` and the daily `urge track
--commit`, and an operator may also put them in cron on more than one machine. Started together,
two runs would do the same work twice (and `urge track` would ask Congress.gov twice). So
each run first takes a lock named after its job in the database that every host shares; a run
that finds it taken logs one line and ends successfully, since the job is being done.

- PostgreSQL: `pg_try_advisory_lock` on a key derived from the job's name (the same on every
  host and Python version), on the command's own connection, held until the job ends. It is a
  session lock, released explicitly, or by PostgreSQL when the connection ends: a run that is
  killed leaves nothing held. The connection must be the command's own, end to end (PostgreSQL
  directly, or PgBouncer in session mode; in transaction mode the lock would be held by
  whichever client got the server connection next).
- SQLite: a database only one machine can write, but `urge serve` and a cron, or two `urge
  serve` on different ports, can share it. An exclusive `flock` on a file beside the database
  file does for them what the advisory lock does for PostgreSQL, and the kernel releases it
  when the process ends. An in-memory database (the test suite's) is private to its process:
  nothing to share, so the lock is always granted.

Only runs that change something take the lock: a dry run beside a scheduled run is harmless,
and must not make the scheduled one skip.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)


def advisory_key(job: str) -> int:
    """The job's key for pg_try_advisory_lock: a signed 64-bit number from a hash of its name,
    so that every host derives the same one (Python's hash() differs between processes)."""
    digest = hashlib.blake2b(f"urge.joblock:{job}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_file(database: Path, job: str) -> Path:
    """The file an SQLite database's runs of `job` lock: beside the database file."""
    return database.with_name(f"{database.name}.{job}.lock")


@contextmanager
def running_alone(job: str, using: BaseDatabaseWrapper | None = None) -> Iterator[bool]:
    """Whether this run holds the lock of `job` (e.g. "purge") until the block ends. When it
    does not, another run of the job holds it, and one line in the log has said so."""
    connection = connections["default"] if using is None else using
    if connection.vendor == "postgresql":
        holding = _advisory(connection, advisory_key(job))
    elif connection.vendor == "sqlite":
        holding = _flocked(connection, job)
    else:
        raise NotImplementedError(
            f"No job lock for {connection.vendor}: Urge runs on PostgreSQL or SQLite."
        )
    with holding as mine:
        if not mine:
            logger.info(
                "urge %s: another run of it (on another host, or another process here) holds "
                "its lock, so this one is skipped.",
                job,
            )
        yield mine


@contextmanager
def _advisory(connection: BaseDatabaseWrapper, key: int) -> Iterator[bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        row = cursor.fetchone()
    mine = bool(row and row[0])
    try:
        yield mine
    finally:
        if mine:
            _unlock(connection, key)


def _unlock(connection: BaseDatabaseWrapper, key: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    except DatabaseError:
        # The connection broke during the job: the lock ended with it (and, if the process
        # somehow kept it, it ends when the process does, moments from now).
        pass


@contextmanager
def _flocked(connection: BaseDatabaseWrapper, job: str) -> Iterator[bool]:
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper only
        yield True
        return
    path = lock_file(Path(connection.settings_dict["NAME"]), job)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        yield _try_flock(descriptor)
    finally:
        os.close(descriptor)  # which releases the lock


def _try_flock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
