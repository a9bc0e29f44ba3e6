"""Run the web server, the queue workers and periodic chores side by side, as `urge serve` does.

The web server (granian) is the one that matters: signals go to it, and when it exits the
others are stopped and its exit status is ours. Each of the queue workers (one, or
URGE_QUEUE_WORKERS) that dies is started again, after a pause that grows while it keeps
dying, so a broken worker cannot spin. A chore (`urge purge --commit`) runs at start and
then every `every` seconds, never two at once: what the privacy notice promises to delete
must not wait for someone to set up cron.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
MAX_PAUSE = 60.0


@dataclass
class Chore:
    argv: Sequence[str]
    every: float
    due: float = 0.0
    running: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def tick(self, now: float) -> None:
        if self.running is not None and self.running.poll() is None:
            return
        if now >= self.due:
            self.running = subprocess.Popen(self.argv)  # noqa: S603
            self.due = now + self.every


@dataclass
class Worker:
    """A process that should always run, started again after a pause that grows while it
    keeps dying."""

    argv: Sequence[str]
    pause: float = 1.0
    restart_at: float = 0.0
    process: subprocess.Popen[bytes] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.process = subprocess.Popen(self.argv)  # noqa: S603

    def tick(self, now: float) -> None:
        if self.process.poll() is None:
            return
        if not self.restart_at:
            self.restart_at = now + self.pause
        elif now >= self.restart_at:
            self.process = subprocess.Popen(self.argv)  # noqa: S603
            self.pause, self.restart_at = min(self.pause * 2, MAX_PAUSE), 0.0


def supervise(
    server_argv: Sequence[str],
    worker_argv: Sequence[str],
    chores: Sequence[Chore] = (),
    poll: float = 0.5,
    workers: int = 1,
) -> int:
    """Run the server, `workers` copies of the worker, and the chores, as described above."""
    server = subprocess.Popen(server_argv)  # noqa: S603
    running = [Worker(worker_argv) for _ in range(workers)]

    def forward(signum: int, _frame: FrameType | None) -> None:
        server.send_signal(signum)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    try:
        while server.poll() is None:
            for chore in chores:
                chore.tick(time.monotonic())
            time.sleep(poll)
            for worker in running:
                worker.tick(time.monotonic())
    finally:
        _stop(
            [
                *(worker.process for worker in running),
                *(chore.running for chore in chores if chore.running),
            ]
        )
    return server.returncode


def _stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
