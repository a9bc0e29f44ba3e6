"""The settings as an operator meets them: through the environment of a new process."""

import os
import subprocess
import sys

from cryptography.fernet import Fernet

from tests.conftest import ROOT


def run_urge(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    kept = ("SECRET_KEY", "URGE_HASH_KEY", "DEBUG")
    clean = {k: v for k, v in os.environ.items() if k not in kept}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "urge.cli", *args],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path: object) -> None:
    result = run_urge("check", DEBUG="false", URGE_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_a_hash_key_of_its_own(tmp_path: object) -> None:
    """Issue 11, finding 8: the hash key defaulted to SECRET_KEY, so rotating that one made
    every returning supporter look new."""
    missing = run_urge("check", DEBUG="false", SECRET_KEY="s" * 50, URGE_VAR_DIR=str(tmp_path))
    assert missing.returncode != 0
    assert "URGE_HASH_KEY is not set" in missing.stderr
    same = run_urge(
        "check",
        DEBUG="false",
        SECRET_KEY="s" * 50,
        URGE_HASH_KEY="s" * 50,
        URGE_VAR_DIR=str(tmp_path),
    )
    assert same.returncode != 0
    assert "URGE_HASH_KEY must differ from SECRET_KEY" in same.stderr


def test_it_starts_without_a_secret_key_in_debug_mode(tmp_path: object) -> None:
    result = run_urge("check", DEBUG="true", URGE_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_it_refuses_a_misspelt_boolean(tmp_path: object) -> None:
    result = run_urge("check", DEBUG="yes", URGE_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG='yes' is not a boolean" in result.stderr


def test_it_passes_the_deployment_checks_with_production_settings(tmp_path: object) -> None:
    result = run_urge(
        "check",
        "--deploy",
        "--fail-level=WARNING",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        URGE_HASH_KEY="a-long-random-production-hash-key-" + "y" * 40,
        ALLOWED_HOSTS="urge.example.org",
        URGE_HTTPS="true",
        URGE_PROXY_COUNT="1",
        URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        URGE_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_pool_keeps_what_the_database_url_asks_for(tmp_path: object) -> None:
    """`?sslmode=verify-full` must still hold with the pool on: without it, personal data
    could cross the network in the clear."""
    result = run_urge(
        "shell",
        "--no-imports",
        "--command",
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['sslmode'], o['pool']['max_size'])",
        DEBUG="true",
        URGE_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://urge@db.example:5432/urge?sslmode=verify-full",
        URGE_DB_POOL_SIZE="3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["verify-full", "3"]
