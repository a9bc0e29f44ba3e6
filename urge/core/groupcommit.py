"""Group commit: many requests' writes in one transaction, each answered only once durable.

Under a spike, a worker's request threads each hand their row to the worker's writer
thread and wait. The writer takes whatever has gathered (up to `most`), writes it all in one
transaction, and wakes every waiter with its own result, or with the error if the
transaction failed, in which case none of them was stored. A request is acknowledged only
after the commit that holds it: what the supporter is told was saved, was saved. When the
site is quiet a batch is a single row, written at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.conf import settings
from django.db import (
    DatabaseError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)

T = TypeVar("T")
R = TypeVar("R")

# A batch's turn and its statements are bounded (TURN_SECONDS, the database's own lock and
# statement timeouts, 20 s), so a request waits for the outcome, whatever it is: it is never
# told "not stored" about a row that is stored a moment later. WAIT_SECONDS only guards
# against a writer thread that stopped answering altogether.
TURN_SECONDS = 10.0
STATEMENT_SECONDS = 20
WAIT_SECONDS = 90.0


@contextlib.contextmanager
def writers_turn() -> Iterator[None]:
    """On SQLite, the writers of every worker process take turns by a lock on a file first.

    SQLite lets one connection write at a time; one that finds the database busy sleeps in
    growing steps (1, 2, 5, 10 ms...) before it tries again. A file lock is tried far more
    often (`take_turn`). PostgreSQL locks rows, and needs no turn.
    """
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name == ":memory:" or "mode=memory" in name:
        yield  # an in-memory database lives in one process: there is no one to take turns with
        return
    path = f"{name}-writers"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        take_turn(descriptor, time.monotonic() + TURN_SECONDS)
        yield
    finally:
        os.close(descriptor)  # which releases the lock


def take_turn(descriptor: int, deadline: float) -> None:
    """The lock on `descriptor`, tried every 0.2-0.5 ms until `deadline`. A turn lasts about
    a millisecond (one commit and its fsync), and while a worker's writer sleeps past the end
    of the other's turn, that worker's request threads wait on it and its core idles: with
    pauses growing to 5 ms, posts without script ran at 1,140 a second with a quarter of the
    CPU idle, at 1,430 with these. (Not a blocking lock: a writer must give up at `deadline`,
    and say that nothing was stored, rather than wait on a stuck one for ever.)"""
    pause = 0.0002
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise OperationalError("another writer kept its turn too long") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.0005)


def bounded_statements() -> None:
    """On PostgreSQL, a batch that waits on a lock or runs long fails instead of hanging on
    (SQLite's own busy timeout is in settings.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{STATEMENT_SECONDS}s'")
            cursor.execute(f"SET LOCAL statement_timeout = '{STATEMENT_SECONDS}s'")


class GroupCommitTimeout(DatabaseError):
    """The writer did not answer in time; the row may or may not have been stored."""


@dataclass
class _Waiting(Generic[T, R]):
    item: T
    done: threading.Event = field(default_factory=threading.Event)
    result: R | None = None
    error: BaseException | None = None


def _lend_connection_back() -> None:
    """With a pool (PostgreSQL), give this thread's connection back while it waits: the writer
    takes one from the same pool, and threads that each held one while waiting for it would
    leave it none (a pool of 4 and 4 waiting threads: every write times out). The thread takes
    one again if it needs one after. Without a pool, connections are the thread's own, kept
    open for the next request: closing one would cost its reopening."""
    if connection.settings_dict.get("OPTIONS", {}).get("pool"):
        connection.close()


class GroupCommit(Generic[T, R]):
    def __init__(self, write: Callable[[Sequence[T]], Sequence[R]], most: int = 500) -> None:
        self.write = write
        self.most = most
        self.waiting: queue.SimpleQueue[_Waiting[T, R] | None] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.writer: threading.Thread | None = None

    def submit(self, item: T) -> R:
        """Store `item` with whatever else is waiting; return its result once committed.

        A failed transaction raises a DatabaseError naming only the original's class (its
        message could quote stored values). With URGE_GROUP_COMMIT off, or when the caller
        is inside a transaction of its own (which another thread could neither see nor
        join), the caller writes it alone, in that transaction.
        """
        if not settings.URGE_GROUP_COMMIT or connection.in_atomic_block:
            with transaction.atomic():
                return self.write([item])[0]
        self._start_writer()
        _lend_connection_back()
        waiting: _Waiting[T, R] = _Waiting(item)
        self.waiting.put(waiting)
        if not waiting.done.wait(WAIT_SECONDS):
            raise GroupCommitTimeout
        if waiting.error is not None:
            raise DatabaseError(f"group commit failed: {type(waiting.error).__name__}")
        return waiting.result  # type: ignore[return-value]

    def _start_writer(self) -> None:
        # Started lazily, in the process that serves: threads do not survive a fork.
        if self.writer is not None and self.writer.is_alive():
            return
        with self.lock:
            if self.writer is None or not self.writer.is_alive():
                self.writer = threading.Thread(target=self._run, daemon=True, name="urge-writer")
                self.writer.start()

    def stop(self) -> None:
        """End the writer thread once what is waiting is written, closing its connection."""
        if self.writer is not None and self.writer.is_alive():
            self.waiting.put(None)
            self.writer.join(WAIT_SECONDS)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self.waiting.get()
            batch = [] if first is None else [first]
            stopping = first is None
            while len(batch) < self.most and not stopping:
                try:
                    waiting = self.waiting.get_nowait()
                except queue.Empty:
                    break
                if waiting is None:
                    stopping = True
                else:
                    batch.append(waiting)
            if batch:
                self._commit(batch)
        connections.close_all()

    def _commit(self, batch: list[_Waiting[T, R]]) -> None:
        close_old_connections()
        try:
            with writers_turn(), transaction.atomic():
                bounded_statements()
                results = self.write([waiting.item for waiting in batch])
        except Exception as error:  # every waiter learns of it; the writer carries on
            for waiting in batch:
                waiting.error = error
            connections["default"].close()
        else:
            for waiting, result in zip(batch, results, strict=True):
                waiting.result = result
        for waiting in batch:
            waiting.done.set()
        # With a pool (PostgreSQL), its connection goes back until the next batch.
        close_old_connections()
