"""A copy of the disk is the first place an attacker looks: the database and its journal are
readable by the site's own account alone (issue 11, finding 5)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def urge(var_dir: Path, *args: str) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(SECRET_KEY="x" * 50, URGE_HASH_KEY="y" * 50, URGE_VAR_DIR=str(var_dir))
    subprocess.run(
        [sys.executable, "-m", "urge.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def test_the_database_and_its_journal_are_the_owners_alone(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # as a typical shell leaves it: files 0644 by default
    try:
        var_dir = tmp_path / "var"
        urge(var_dir, "migrate", "--verbosity=0")
        urge(var_dir, "load", "campaigns/hketo")  # writes, so the WAL is made
    finally:
        os.umask(old_umask)
    database = var_dir / "urge.sqlite3"
    assert mode(database) == 0o600
    assert mode(var_dir) == 0o700
    for journal in (var_dir / "urge.sqlite3-wal", var_dir / "urge.sqlite3-shm"):
        if journal.exists():
            assert mode(journal) == 0o600


def test_a_database_made_readable_by_others_is_tightened_at_start(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    database = var_dir / "urge.sqlite3"
    database.touch()
    database.chmod(0o644)
    urge(var_dir, "check")
    assert mode(database) == 0o600
