"""The `urge` command line: every command explains itself."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from urge.core.management.commands.serve import server_argv


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ([], "Available subcommands"),
        (["serve"], "serve the site with granian"),
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


def test_it_starts_granian_on_loopback_without_an_access_log() -> None:
    argv = server_argv("127.0.0.1", 8123, 3, 4)
    assert argv[1:3] == ["-m", "granian"]
    assert argv[-1] == "urge.wsgi:application"
    assert "--interface=wsgi" in argv
    assert (argv[4], argv[5]) == ("--host=127.0.0.1", "--port=8123")
    assert "--workers=3" in argv
    assert "--blocking-threads=4" in argv
    assert "--respawn-failed-workers" in argv
    assert "--no-access-log" in argv


def test_it_gives_a_slow_client_ten_seconds_for_its_headers() -> None:
    argv = server_argv("127.0.0.1", 8123, 3, 4)
    assert "--http1-header-read-timeout=10000" in argv
    assert "--http=1" in argv  # the timeout is HTTP/1's, and nothing here speaks HTTP/2
