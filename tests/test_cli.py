"""The `urge` command line: every command explains itself."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from urge.core.management.commands.serve import gunicorn_argv


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ([], "Available subcommands"),
        (["serve"], "serve the site with gunicorn"),
        (["load"], "Check a campaign folder"),
    ],
)
def test_it_prints_help(command: list[str], expected: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "urge.cli", *command, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert expected in " ".join(result.stdout.split())


def test_it_starts_gunicorn_on_loopback_without_an_access_log() -> None:
    argv = gunicorn_argv("127.0.0.1", 8123, 3, 4)
    assert argv[1:4] == ["-m", "gunicorn", "urge.wsgi:application"]
    assert "--bind=127.0.0.1:8123" in argv
    assert "--workers=3" in argv
    assert "--worker-class=gthread" in argv
    assert "--threads=4" in argv
    assert not any(arg.startswith("--access-logfile") for arg in argv)
