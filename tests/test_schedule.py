"""`urge schedule`: the scheduler role runs `urge serve`'s periodic jobs on a host of its own."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.services import ROOT, production_environment
from urge.core.management.commands.schedule import run
from urge.core.supervise import Chore


def test_each_job_runs_at_start_and_again_on_its_period(tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    job = Chore([sys.executable, "-c", f"open({str(ran)!r}, 'a').write('.')"], every=0.3)
    deadline = time.monotonic() + 20

    def runs() -> int:
        return len(ran.read_text()) if ran.exists() else 0

    run([job], lambda: runs() >= 2 or time.monotonic() > deadline, poll=0.05)

    assert runs() >= 2
    assert job.running is not None
    assert job.running.returncode == 0  # the last run was waited for, not left behind


def test_the_command_names_its_jobs_and_stops_cleanly_when_told(tmp_path: Path) -> None:
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "urge.cli", "schedule"],
        cwd=ROOT,
        env=production_environment(tmp_path / "var"),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert scheduler.stdout is not None
        first = scheduler.stdout.readline()
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=30) == 0
    finally:
        scheduler.kill()
    assert "`urge purge` every 3600 s" in first
