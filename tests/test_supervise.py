"""`urge serve`'s supervisor: the web server leads, the worker is restarted, chores repeat."""

from __future__ import annotations

import sys
from pathlib import Path

from urge.core.supervise import Chore, supervise


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_it_returns_the_servers_exit_status_and_stops_the_worker(tmp_path: Path) -> None:
    marker = tmp_path / "worker-stopped"
    worker = python(
        "import signal, sys, time, pathlib\n"
        f"signal.signal(signal.SIGTERM, lambda *a: (pathlib.Path({str(marker)!r}).touch(),"
        " sys.exit(0)))\n"
        "time.sleep(60)"
    )
    assert supervise(python("import time; time.sleep(1); raise SystemExit(3)"), worker) == 3
    assert marker.exists()


def test_it_starts_a_worker_that_died_again(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    worker = python(f"open({str(starts)!r}, 'a').write('x')")  # exits at once
    supervise(python("import time; time.sleep(3)"), worker, poll=0.1)
    assert len(starts.read_text()) >= 2


def test_it_runs_a_chore_at_start_and_again_when_due(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    chore = Chore(python(f"open({str(runs)!r}, 'a').write('x')"), every=0.5)
    supervise(
        python("import time; time.sleep(2.2)"),
        python("import time; time.sleep(60)"),
        [chore],
        poll=0.1,
    )
    assert 3 <= len(runs.read_text()) <= 6


def test_it_runs_as_many_workers_as_asked_and_starts_each_again(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    worker = python(f"open({str(starts)!r}, 'a').write('x')")  # exits at once
    supervise(python("import time; time.sleep(3)"), worker, poll=0.1, workers=3)
    assert len(starts.read_text()) >= 6  # three at the start, and each again after dying
