"""Run the web server and the queue worker side by side, as `urge serve` does by default.

The web server (gunicorn) is the one that matters: signals go to it, and when it exits the
worker is stopped and its exit status is ours. A worker that dies is started again, after
a pause that grows while it keeps dying, so a broken worker cannot spin.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Sequence
from types import FrameType

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGTTIN, signal.SIGTTOU)
MAX_PAUSE = 60.0


def supervise(server_argv: Sequence[str], worker_argv: Sequence[str], poll: float = 0.5) -> int:
    server = subprocess.Popen(server_argv)  # noqa: S603
    worker = subprocess.Popen(worker_argv)  # noqa: S603

    def forward(signum: int, _frame: FrameType | None) -> None:
        server.send_signal(signum)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    pause, restart_at = 1.0, 0.0
    try:
        while server.poll() is None:
            time.sleep(poll)
            if worker.poll() is None:
                continue
            if not restart_at:
                restart_at = time.monotonic() + pause
            elif time.monotonic() >= restart_at:
                worker = subprocess.Popen(worker_argv)  # noqa: S603
                pause, restart_at = min(pause * 2, MAX_PAUSE), 0.0
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    return server.returncode
